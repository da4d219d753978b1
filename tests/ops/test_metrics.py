"""``/metrics``: after a simulated day and a day's API traffic, every series an on-call engineer
graphs is there, with the values the day produced."""

from __future__ import annotations

import re

from prometheus_client.parser import text_string_to_metric_families

from tests.ops.conftest import run_day


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def _value(samples, metric: str, /, **labels: str) -> float:  # type: ignore[no-untyped-def]
    return sum(v for (n, ls), v in samples.items() if n == metric and set(labels.items()) <= set(ls))


def _has(samples, metric: str, /, **labels: str) -> bool:  # type: ignore[no-untyped-def]
    return any(n == metric and set(labels.items()) <= set(ls) for n, ls in samples)


def test_metrics_expose_the_loop_the_outbox_the_people_and_the_api_after_a_day(ops_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = ops_app.test_client()
    before = _samples(client.get("/metrics").get_data(as_text=True))
    day = run_day(ops_app, tmp_path)
    assert day.responses["seizure"] == 201 and day.responses["ack"] == 200
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    after = _samples(response.get_data(as_text=True))

    def grew(metric: str, /, **labels: str) -> float:
        return _value(after, metric, **labels) - _value(before, metric, **labels)

    # The tick: its duration, and the due doses it found (the demo misses its 08:00 dose).
    assert grew("dosewatch_tick_duration_seconds_count") > 0
    assert grew("dosewatch_tick_items_total", item="missed_doses") >= 1
    assert grew("dosewatch_tick_items_total", item="steps_run") >= 1
    # Sends by result (the console notifier records) and channel; the emergency's time to first send.
    assert grew("dosewatch_sends_total", result="recorded", channel="sms", error_code="") >= 8
    assert grew("dosewatch_sends_total", result="recorded", channel="voice") >= 1
    assert grew("dosewatch_send_duration_seconds_count") >= 9
    assert grew("dosewatch_emergency_first_send_seconds_count") == 1
    # Acknowledgement by SMS, and inbound replies by what they meant.
    assert grew("dosewatch_acknowledgement_seconds_count", kind="emergency") == 1
    assert grew("dosewatch_inbound_sms_total", outcome="acknowledged") == 1
    assert grew("dosewatch_inbound_sms_total", outcome="unknown_sender") == 1
    # HTTP by route template (never an id), method and status, with latency.
    assert grew("dosewatch_http_requests_total", route="/v1/patients/<int:patient_id>/checkins",
                method="POST", status="201") == 1
    assert grew("dosewatch_http_requests_total", route="/v1/patients/<int:patient_id>/doses", status="401") == 1
    assert grew("dosewatch_http_requests_total", route="/twilio/sms", status="200") == 3
    assert grew("dosewatch_http_request_duration_seconds_count", route="/healthz") == 1
    # State read from the database at the scrape: the emergency was acknowledged, so none is open;
    # the heartbeats are seconds old.
    assert ("dosewatch_database_up", ()) in after and after[("dosewatch_database_up", ())] == 1
    assert _value(after, "dosewatch_open_alerts", kind="emergency") == 0
    assert _has(after, "dosewatch_heartbeat_age_seconds", name="tick")
    assert _value(after, "dosewatch_heartbeat_age_seconds", name="tick") < 60
    assert _value(after, "dosewatch_heartbeat_age_seconds", name="send") < 60


def test_outbox_depth_and_oldest_due_age_by_kind_and_priority(ops_app) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    from freezegun import freeze_time

    from alerts.app import get_db
    from alerts.models import Notification, Patient

    now = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
    with get_db(ops_app).sessionmaker.begin() as session:
        patient = Patient(name="P", timezone="UTC", phone="+12025550170", language="en")
        session.add(patient)
        session.flush()
        for i, (kind, priority, waited) in enumerate([("emergency", 0, 40), ("reminder", 2, 300),
                                                      ("reminder", 2, 10), ("reminder", 2, -60)]):
            session.add(Notification(dedupe_key=f"k{i}", patient_id=patient.id, kind=kind, recipient_kind="patient",
                                     recipient_id=patient.id, to_number=patient.phone, body="b", urgent=priority < 2, priority=priority,
                                     status="queued", next_attempt_at=now - timedelta(seconds=waited),
                                     created_at=now - timedelta(seconds=600)))
    with freeze_time(now):
        text = ops_app.test_client().get("/metrics").get_data(as_text=True)
    samples = _samples(text)
    assert _value(samples, "dosewatch_outbox_depth", kind="reminder", priority="routine", status="queued") == 3
    assert _value(samples, "dosewatch_outbox_depth", kind="emergency", priority="emergency") == 1
    assert _value(samples, "dosewatch_outbox_oldest_due_age_seconds", kind="reminder", priority="routine") == 300
    assert _value(samples, "dosewatch_outbox_oldest_due_age_seconds", kind="emergency", priority="emergency") == 40
    assert not re.search(r"\+1202555", text)


def test_the_dashboard_and_the_alert_rules_use_only_series_the_service_exposes(ops_app) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    import yaml

    text = ops_app.test_client().get("/metrics").get_data(as_text=True)
    exposed: set[str] = set()
    for family in text_string_to_metric_families(text):
        suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_count", "_sum"]}.get(family.type, [""])
        exposed |= {family.name + s for s in suffixes}
    deploy = Path(__file__).resolve().parents[2] / "deploy"
    dashboard = (deploy / "grafana-dashboard.json").read_text()
    rules = yaml.safe_load((deploy / "prometheus-alerts.yml").read_text())
    used = set(re.findall(r"dosewatch_[a-z_]+", dashboard)) | {
        name for group in rules["groups"] for rule in group["rules"] for name in re.findall(r"dosewatch_[a-z_]+", rule["expr"])}
    assert used and used <= exposed, used - exposed
