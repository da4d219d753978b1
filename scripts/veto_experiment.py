"""Round seventeen's experiment: the trouble net as a veto on the phrase tables' alarm (measured, not adopted).

The reader does not use this. It wraps ``alerts.domain.reading.read_sms`` for ``scripts/measure_trouble_net.py --veto``:
where the tables read urgent or an emergency (not an extra dose, not the net's own urgent) on a text in which they also
read a denial or a question, and the trouble net finds the text unlikely to describe a body in trouble (probability below
the veto threshold), the reading goes one step lower: an emergency to urgent (its signs doubtful, the words forwarded),
an urgent to nothing (the words still forwarded). Never lowered, whatever the score:

- ``protects="signs"``: an emergency sign read certain in a clause said (or asked of a state taken as given, "he's
  seizing right now, what do I do?"), not supposed, with no denial the tables read in it; and the telegraphic seizure
  ("Shaking. Not answering.");
- ``protects="symptoms"``: that, and any sign or symptom read in such a clause ("no seizures but spasms worse since
  tuesday").

``cues="negation"`` also lets any negation word open the gate (and takes no clause with one as said plainly).

The figures and the decision are in docs/sms-reader.md, "Round seventeen: the net as a veto".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from alerts.domain import reading as module
from alerts.domain import symptom_text, trouble_net
from alerts.domain.reading import Reading
from alerts.domain.text import normalise


def _plain(words: str, asked: bool, affirmed: bool, remote: bool, cues: str) -> tuple[set, set] | None:
    """The signs (certain, doubtful) the tables read in one clause said plainly; None if it is asked (not of a state taken
    as given), supposed, or carries a denial the tables read (or, ``cues="negation"``, any negation word)."""
    if asked and not module._STATEMENT_IN_QUESTION.search(words) or module._hypothetical(words, affirmed):
        return None
    denied: set = set()
    found, doubted = module._signs([(words, asked)], remote=remote, affirmed=affirmed, denied_out=denied)
    if denied or symptom_text.without_denied_symptoms(words) != words or (
            cues == "negation" and module._NEGATION_ANYWHERE.search(words)):
        return None
    return found, doubted


def gate(got: Reading, text: str, sender: str, *, protects: str = "symptoms", cues: str = "tables") -> bool:
    """May the net's score lower this reading?"""
    if got.urgency == "none" or got.by_net or got.dose == "extra" or "symptom_report" not in got.intents:
        return False
    text = module.spoken_marks_written(text or "")
    cleaned = normalise(text)
    if not cleaned:
        return False
    clauses = module._clauses(text)
    affirmed = module._AFFIRMED_SI.search(text) is not None
    remote = sender == "caregiver" and module.remote_writer(text, clauses)
    signs_denied: set = set()
    module._signs(clauses, remote=remote, affirmed=affirmed, denied_out=signs_denied)
    denial = symptom_text.without_denied_symptoms(cleaned) != cleaned
    supposed = any(module._hypothetical(w, affirmed) and not module._STATED_BEFORE_ASKING.search(w) and not (
        got.symptoms and module._IS_IT_NORMAL.fullmatch(w)) for w, _ in clauses)
    cued = denial or bool(signs_denied) or "question" in got.intents or supposed or (
        cues == "negation" and module._NEGATION_ANYWHERE.search(cleaned) is not None)
    if not cued:
        return False
    certain = set(got.signs)
    if "seizure" in certain and module._SHAKING_THEN_GONE.search(cleaned):
        return False
    for words, asked in clauses:
        plain = _plain(words, asked, affirmed, remote, cues)
        if plain is None:
            continue
        found, doubted = plain
        if found & certain:
            return False
        if protects == "symptoms" and (found or doubted or symptom_text.symptoms_in(module.as_meant(words))):
            return False
    return True


def lowered(got: Reading) -> Reading:
    """One step lower: an emergency to urgent, an urgent to nothing; the words forwarded either way."""
    if got.urgency == "emergency":
        symptoms = dict(got.symptoms)
        for sign in got.signs:
            key, _ = module.SIGN_SYMPTOM[sign]
            if key == "seizure":
                symptoms.pop(key, None)
            else:
                symptoms[key] = min(symptoms.get(key, 5), 5)
        return replace(got, urgency="urgent", signs=(), doubtful=tuple(sorted(set(got.doubtful) | set(got.signs))),
                       symptoms=symptoms, forward=True)
    return replace(got, urgency="none", signs=(), doubtful=(), symptoms={}, forward=True,
                   intents=got.intents - {"symptom_report"})


def vetoing(read: Callable[..., Reading], threshold: float, *, protects: str = "symptoms", cues: str = "tables",
            reached: set[tuple[str, str]] | None = None) -> Callable[..., Reading]:
    """``read`` (``read_sms``) with the veto at ``threshold``; the texts whose reading reached the gate are added to
    ``reached``."""
    def read_sms(text: str, *, sender: str = "patient") -> Reading:
        got = read(text, sender=sender)
        if not gate(got, text, sender, protects=protects, cues=cues):
            return got
        if reached is not None:
            reached.add((text, sender))
        if threshold > 0.0 and trouble_net.trouble_probability(text, sender) < threshold:
            return lowered(got)
        return got
    return read_sms
