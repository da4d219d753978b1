"""Score the SMS reader on a blind batch of labelled replies; print aggregate figures only.

    python -m tests.unit.sms_batches tests/fixtures/sms/tuning.jsonl [--misses]
    python -m tests.unit.sms_batches BATCH.jsonl --labels SECOND_LABELLER.jsonl   # two people's agreement

The batches (``tests/fixtures/sms/``) were written by people who never saw the reader, from the
brief alone: each line has the sender, the text and what it must mean (``expect``: urgency
emergency/urgent/none, dose taken/not_taken/extra/none, intents, emergency sign). This prints only
totals, so running it on the held-out batch tells nothing about its texts; ``--misses`` lists the
rows read wrong and is for the tuning batch (and for the held-out one only after the reader is final).

Figures:
- emergencies escalated: as an emergency / as urgent with the text forwarded to the caregivers /
  missed (neither);
- denials and questions (categories ``denial`` and ``question``) that alarmed (any urgency) or
  recorded a dose;
- doses recorded (taken or extra) that the text did not report;
- overall agreement: urgency, dose and the intents the service acts on (ack, stop, supply problem,
  status request) all as labelled. The writers disagreed on whether a supply problem with no
  symptom is urgent, and (D against A-C) whether an extra dose with no symptom is (``NOTES.md``), so
  on those rows either "urgent" or "none" agrees; they are counted on their own lines.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "sms"
ACTED_ON = ("ack", "stop", "supply_problem", "status_request")


@dataclass(frozen=True)
class Scored:
    """What the reader made of one row, in the batches' terms."""

    urgency: str
    forwarded: bool
    dose: str
    intents: frozenset[str]


# What the service does with each answer to its numbered question (``alerts.services.inbound._numbered``).
_NUMBERED: dict[str, Scored] = {
    "taken": Scored("none", False, "taken", frozenset({"dose_report"})),
    "not_yet": Scored("none", False, "not_taken", frozenset({"dose_report"})),
    "unwell": Scored("urgent", True, "none", frozenset({"symptom_report"})),
    "emergency": Scored("emergency", True, "none", frozenset({"symptom_report"})),
    "ack": Scored("none", False, "none", frozenset({"ack"})),
    "status": Scored("none", False, "none", frozenset({"status_request"})),
}


def _read_now(text: str, sender: str, context: str | None = None) -> Scored:
    """The reader as it is: ``alerts.domain.reading.read_sms``; a reply to the numbered question
    (context "numbered question") read as the service reads it (``numbered_answer``, and, where the
    reader has it, ``answer_stands``: the words with the number may say more)."""
    from alerts.domain import reading as module
    reading = module.read_sms(text, sender=sender)
    if context == "numbered question":
        chosen = module.numbered_answer(text, sender)
        stands = getattr(module, "answer_stands", lambda chosen, reading: True)
        if chosen is not None and stands(chosen, reading):
            return _NUMBERED[chosen]
    return Scored(reading.urgency, reading.forward, reading.dose, frozenset(reading.intents))


def _read_before(text: str, sender: str, context: str | None = None) -> Scored:
    """The reader before the redesign (``parse_reply`` + red-flag triage), as the service acted on
    it then: nothing was ever forwarded to a caregiver."""
    from alerts.domain.clinical.redflags import classify_symptoms
    from alerts.domain.replies import parse_reply
    reply = parse_reply(text)
    level = classify_symptoms(reply.symptoms).level if reply.symptoms else "none"
    urgency = "emergency" if reply.intent == "emergency" or level == "emergency" else \
        "urgent" if level == "urgent" else "none"
    dose = {"taken": "taken", "not_taken": "not_taken", "extra_dose": "extra"}.get(reply.intent, "none")
    if sender == "caregiver" and dose == "taken":
        dose = "none"  # the service recorded a caregiver's "took it" as nothing
    intents = {"ack": "ack", "stop": "stop", "supply": "supply_problem", "status": "status_request"}
    acted = {intents[reply.intent]} if reply.intent in intents else set()
    if reply.intent in ("ack", "status") and sender != "caregiver":
        acted = set()
    return Scored(urgency, False, dose, frozenset(acted))


def reader() -> object:
    try:
        import alerts.domain.reading  # noqa: F401
    except ImportError:
        return _read_before
    return _read_now


def labels_reader(other: list[dict]) -> object:
    """A second person's labels of the same texts, as a "reader": what the scorer measures then is how
    often two people who follow the same guide agree, the ceiling any reader is held to. Rows are
    matched by sender, context and text, in file order (the same text twice may be labelled twice)."""
    queues: dict[tuple, list[Scored]] = {}
    for row in other:
        e = row["expect"]
        queues.setdefault((row["text"], row["sender"], row.get("context")), []).append(
            Scored(e["urgency"], e["urgency"] != "none", e["dose"], frozenset(e["intents"]) & set(ACTED_ON)))

    def read(text: str, sender: str, context: str | None = None) -> Scored:
        return queues[(text, sender, context)].pop(0)
    return read


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _symptomless_supply(row: dict) -> bool:
    return "supply_problem" in row["expect"]["intents"] and "symptom_report" not in row["expect"]["intents"]


def _symptomless_extra(row: dict) -> bool:
    """An extra dose with no symptom: writers A-C label it urgent, D none (``NOTES.md``)."""
    return row["expect"]["dose"] == "extra" and "symptom_report" not in row["expect"]["intents"] \
        and row["expect"]["urgency"] in ("urgent", "none")


def judge(row: dict, got: Scored) -> tuple[bool, list[str]]:
    """Does the reading agree with the label? And which counted failures it is."""
    expect = row["expect"]
    wrong: list[str] = []
    urgency_ok = got.urgency == expect["urgency"] or (
        (_symptomless_supply(row) or _symptomless_extra(row)) and {got.urgency, expect["urgency"]} <= {"urgent", "none"})
    if not urgency_ok:
        wrong.append(f"urgency {got.urgency} (want {expect['urgency']})")
    if got.dose != expect["dose"]:
        wrong.append(f"dose {got.dose} (want {expect['dose']})")
    for intent in ACTED_ON:
        if (intent in expect["intents"]) != (intent in got.intents):
            wrong.append(f"{intent} {'missed' if intent in expect['intents'] else 'invented'}")
    return not wrong, wrong


def score(rows: list[dict], read: object = None) -> dict[str, object]:
    read = read or reader()
    c: Counter[str] = Counter()
    misses: list[tuple[dict, Scored, list[str]]] = []
    for row in rows:
        got = read(row["text"], row["sender"], row.get("context"))  # type: ignore[operator]
        expect = row["expect"]
        c["rows"] += 1
        if expect["urgency"] == "emergency":
            c["emergencies"] += 1
            if got.urgency == "emergency":
                c["emergency_as_emergency"] += 1
            elif got.urgency == "urgent" and got.forwarded:
                c["emergency_as_urgent_forwarded"] += 1
            else:
                c["emergency_missed"] += 1
        kind = re.split(r"[:/]", row["category"])[0].strip()  # "denial: plain" or "denial/plain"
        if kind in ("denial", "question"):
            c["denials_questions"] += 1
            # A dose the denial itself reports ("Taken at 8, no twitching") is not one it invented.
            if got.urgency != "none" or got.dose in ("taken", "extra") and expect["dose"] not in ("taken", "extra"):
                c["denial_question_alarmed_or_dosed"] += 1
        if got.dose in ("taken", "extra") and expect["dose"] not in ("taken", "extra"):
            c["dose_not_reported_recorded"] += 1
        if _symptomless_supply(row):
            c["symptomless_supply"] += 1
            c[f"symptomless_supply_read_{got.urgency}"] += 1
        if _symptomless_extra(row):
            c["symptomless_extra"] += 1
            c[f"symptomless_extra_labelled_{expect['urgency']}_read_{got.urgency}"] += 1
        ok, wrong = judge(row, got)
        c["agree"] += ok
        if not ok:
            misses.append((row, got, wrong))
    return {"counts": c, "misses": misses}


def report(path: Path, show_misses: bool = False, read: object = None) -> str:
    result = score(load(path), read)
    c: Counter[str] = result["counts"]  # type: ignore[assignment]
    lines = [
        f"{path.name}: {c['rows']} replies",
        f"emergencies escalated: {c['emergency_as_emergency'] + c['emergency_as_urgent_forwarded']}"
        f"/{c['emergencies']} (as emergency {c['emergency_as_emergency']}, as urgent with the text forwarded "
        f"{c['emergency_as_urgent_forwarded']}, missed {c['emergency_missed']})",
        f"denials and questions that alarmed or recorded a dose: {c['denial_question_alarmed_or_dosed']}"
        f"/{c['denials_questions']}",
        f"doses recorded that the text did not report: {c['dose_not_reported_recorded']}",
        f"symptom-less supply problems: {c['symptomless_supply']} (read urgent {c['symptomless_supply_read_urgent']}, "
        f"none {c['symptomless_supply_read_none']}, emergency {c['symptomless_supply_read_emergency']})",
        f"symptom-less extra doses: {c['symptomless_extra']} (labelled none, read urgent: "
        f"{c['symptomless_extra_labelled_none_read_urgent']}; either agrees)",
        f"overall agreement: {c['agree']}/{c['rows']} = {100 * c['agree'] / max(c['rows'], 1):.1f}%",
    ]
    if show_misses:
        for row, got, wrong in result["misses"]:  # type: ignore[union-attr]
            lines.append(f"  MISS {row['id']} [{row['sender']}] {row['text']!r}: {'; '.join(wrong)}")
    return "\n".join(lines)


if __name__ == "__main__":
    # --labels OTHER.jsonl: score OTHER's labels of the same texts instead of the reader (one batch).
    other = sys.argv[sys.argv.index("--labels") + 1] if "--labels" in sys.argv else None
    args = [a for a in sys.argv[1:] if not a.startswith("--") and a != other]
    paths = [Path(a) for a in args] or [FIXTURES / "tuning.jsonl"]
    for p in paths:
        print(report(p, show_misses="--misses" in sys.argv, read=labels_reader(load(Path(other))) if other else None))
