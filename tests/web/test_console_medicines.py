"""The console with several medicines: the reports page and its CSV give adherence per medicine,
and the patient page shows each medicine's next dose."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from alerts.clock import utcnow
from alerts.models import Dose, DoseSchedule, Medication
from alerts.services.doses import record_dose, start_schedule
from tests.support.settings import POLICY, WINDOWS


def _metformin(session, family):  # type: ignore[no-untyped-def]
    """Rosa's schedule becomes her baclofen; metformin 500 mg is added; one dose of each is due
    yesterday: the baclofen taken on time, the metformin missed."""
    rosa = family.rosa
    baclofen = Medication(patient_id=rosa.id, name="baclofen", route="oral")
    metformin = Medication(patient_id=rosa.id, name="Metformin", route="oral")
    session.add_all([baclofen, metformin])
    session.flush()
    family.schedule.medication_id = baclofen.id
    schedule = DoseSchedule(patient_id=rosa.id, medication_id=metformin.id, times=["21:00"], dose_mg=Decimal(500),
                            grace_minutes=30)
    session.add(schedule)
    session.flush()
    now = utcnow()
    start_schedule(session, schedule, rosa, now)
    day_ago = now - timedelta(days=1)
    for sched, status in ((family.schedule, "taken"), (schedule, "missed")):
        session.add(Dose(patient_id=rosa.id, schedule_id=sched.id, due_at=day_ago, check_at=day_ago + timedelta(minutes=30),
                         local_date=day_ago.date(), local_time="03:33", dose_mg=sched.dose_mg, status=status,
                         taken_at=day_ago + timedelta(minutes=5) if status == "taken" else None))
    session.flush()
    # An extra metformin, named (no dose due).
    record_dose(session, rosa, taken_at=now - timedelta(hours=2), source="app", now=now, medication_id=metformin.id, windows=WINDOWS, policy=POLICY)
    session.commit()
    return baclofen, metformin


def test_the_reports_page_and_csv_give_adherence_per_medicine(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    _metformin(session, family)
    make_staff("admin", "admin@example.org")
    admin = console().sign_in_staff("admin@example.org")

    page = admin.get("/reports?days=7").get_data(as_text=True)
    assert "By medicine" in page
    rows = list(csv.DictReader(io.StringIO(admin.get("/reports/medicines.csv?days=7").get_data(as_text=True))))

    rosa = [(r["medication"], r["doses_due"], r["doses_taken"], r["dose_adherence_pct"], r["missed"], r["extra"])
            for r in rows if r["patient"] == "Rosa Diaz"]
    assert rosa == [("baclofen", "1", "1", "100", "0", "0"), ("Metformin", "1", "0", "0", "1", "1")]


def test_a_caregiver_sees_only_their_own_patients_medicines(family, session, console) -> None:  # type: ignore[no-untyped-def]
    _metformin(session, family)
    oscar = console().sign_in_caregiver(session, family.oscar.phone)

    body = oscar.get("/reports/medicines.csv").get_data(as_text=True)

    assert "Rosa Diaz" not in body and "Metformin" not in body


def test_the_patient_page_shows_each_medicines_next_dose(family, session, console) -> None:  # type: ignore[no-untyped-def]
    _metformin(session, family)
    ann = console().sign_in_caregiver(session, family.ann.phone)

    page = ann.get(f"/patients/{family.rosa.id}").get_data(as_text=True)

    next_line = next(line for line in page.splitlines() if line.startswith("<p>Next:"))
    assert "baclofen" in next_line and "Metformin" in next_line and "(500.00 mg)" in next_line
    pending = session.scalars(select(Dose).where(Dose.patient_id == family.rosa.id, Dose.status == "pending")).all()
    assert len(pending) == 2
