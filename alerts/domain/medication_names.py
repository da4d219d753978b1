"""Which of a patient's medicines a text names ("took the baclofen", "tomé la metformina"). Pure.

Kept apart from the reader's phrase tables (``alerts.domain.reading``): the reader says *that* a
dose was taken, this says *which*. Names come from the patient's own medication list, so nothing
here knows a drug; it tolerates what thumbs and autocorrect do to them:

- accents and case ("Metformína"), and Spanish endings on an English name ("baclofeno",
  "metformina": the name plus -o/-a);
- one slip in a name of five letters or more, two in one of eight or more (a letter missing,
  doubled, swapped or wrong: "bacolfen", "metformn", "baclofem"). Shorter names must be exact:
  "aspirin" is not "asprin"-safe at three letters, and a four-letter name within one letter of an
  everyday word would match the word.

A name of several words ("vitamin D", "baclofen ER") is named by its first word of four letters
or more. Several medicines may be named at once ("took the baclofen and the metformin").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from alerts.domain.text import normalise

# Endings a Spanish text puts on a drug's English name: baclofen -> baclofeno, metformin -> metformina.
_SPANISH_ENDINGS = ("o", "a", "e")
# Words too common to ever stand for a medicine, however close they come to one's name.
_NEVER = frozenset({"took", "taken", "take", "dose", "doses", "pill", "pills", "the", "and", "with", "tome",
                    "tomado", "pastilla", "pastillas", "dosis", "medicine", "medicina", "meds", "tablet",
                    "tablets", "morning", "evening", "night", "noche", "manana", "tarde"})


def _key_word(name: str) -> str | None:
    """The word of a medication's name a text must contain to name it (None: no usable word)."""
    words = normalise(name).split()
    long_words = [w for w in words if len(w) >= 4 and not w.isdigit()]
    return long_words[0] if long_words else (words[0] if words and not words[0].isdigit() else None)


def _slips_allowed(word: str) -> int:
    return 2 if len(word) >= 8 else 1 if len(word) >= 5 else 0


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (Levenshtein with adjacent swaps), stopping past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _slips(word: str, key: str) -> int | None:
    """How far ``word`` is from naming ``key`` (its Spanish form included), or None if it does not."""
    if word in _NEVER:
        return None
    forms = [word] + [word[:-1] for e in _SPANISH_ENDINGS if word.endswith(e) and len(word) > len(key)]
    limit = _slips_allowed(key)
    best = min(_distance(form, key, limit) for form in forms)
    return best if best <= limit else None


def named_medications(text: str, medications: Mapping[int, str]) -> list[int]:
    """The ids of the medications (id -> name) that ``text`` names, in the order given.

    A word that would name two medicines (names a slip apart, "metformin" and "metformen") names
    the nearer only: the patient wrote the one spelt so."""
    keys = {m: k for m, k in ((m, _key_word(n)) for m, n in medications.items()) if k is not None}
    named: set[int] = set()
    for word in normalise(text).split():
        slips = {m: d for m, d in ((m, _slips(word, k)) for m, k in keys.items()) if d is not None}
        if slips:
            nearest = min(slips.values())
            named |= {m for m, d in slips.items() if d == nearest}
    return [m for m in medications if m in named]


# -- naming medicines in messages -------------------------------------------------------------------

# Baclofen as each language writes it, for doses whose schedule predates medications (no name).
_BACLOFEN = {"en": "baclofen", "es": "baclofeno"}
_AND = {"en": "and", "es": "y"}


def display_name(name: str | None, lang: str | None) -> str:
    """A medicine as a message names it: as the patient's list has it; baclofen when unnamed, or
    entered as the bare word, in the message's language (a Spanish text says "baclofeno" whether the
    schedule predates medications or the list says "baclofen": one medicine, never two names)."""
    if not name or normalise(name) in _BACLOFEN.values():
        return _BACLOFEN.get(lang or "en", _BACLOFEN["en"])
    return name


def listing(items: Sequence[str], lang: str | None) -> str:
    """"a", "a and b", "a, b and c" in the message's language."""
    word = _AND.get(lang or "en", _AND["en"])
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def dose_label(name: str | None, dose_mg: Decimal | None, local_time: str, lang: str | None) -> str:
    """One dose as a reply names it: "baclofen 10 mg 08:00"."""
    amount = f" {dose_mg.normalize():f} mg" if dose_mg is not None else ""
    return f"{display_name(name, lang)}{amount} {local_time}"
