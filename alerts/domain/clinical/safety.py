"""Dose-advice guard: no message may tell anyone to change, double, skip or stop a dose.

The brief: "Do not attempt to adjust your dosage on your own", "Avoid abrupt discontinuation",
and "The golden rule is never to stop baclofen abruptly". Only the prescriber changes a dose; a
text message that says "take an extra dose" or "stop baclofen" could cause the very toxicity or
withdrawal this service watches for. The safe phrasing ("do not stop baclofen abruptly", "do not
take extra to catch up") negates the verb, so a match is allowed only when a negation governs it.

Conservative by design: a false alarm costs a template rewrite, a miss could cost a seizure.
Used by the tests over every template file and every rendered clinical message.
"""

from __future__ import annotations

import re

from alerts.domain.messages import normalize_for_matching

_DRUG = r"(?:dose|doses|dosage|dosing|baclofen|medicine|medication|medications|meds|pills?|tablets?|pump)"
_DET = r"(?:(?:your|the|his|her|their|this|that|a|one|next|today'?s|tonight'?s)\s+)"
_DROGA = (
    r"(?:dosis|baclofeno|medicacion|medicamentos?|medicina|pastillas?|comprimidos?|tratamiento|bomba|toma)"
)
_DET_ES = r"(?:(?:la|las|el|los|su|sus|una|otra|esta|proxima|siguiente)\s+)"

# (what it would tell someone to do, pattern over lower-case accent-free text)
FORBIDDEN_ADVICE: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern))
    for label, pattern in (
        # English
        (
            "take extra",
            (
                r"\btake\s+(?:an?\s+|one\s+|your\s+|the\s+|\d+\s+)?"
                r"(?:extra|another|additional|more|double|second|two|twice)\b"
            ),
        ),
        ("take extra", rf"\btake\s+(?:it|them|{_DET}?{_DRUG})\s+(?:again|twice|early)\b"),
        ("double", rf"\bdouble\s+(?:up\b|{_DET}*{_DRUG})"),
        ("increase", rf"\b(?:increase|raise|boost)\s+{_DET}*{_DRUG}"),
        (
            "decrease",
            rf"\b(?:decrease|reduce|lower|halve|taper|cut)\s+(?:down\s+|back\s+)?(?:on\s+)?{_DET}*{_DRUG}",
        ),
        ("skip", rf"\b(?:skip|omit|hold|withhold)\s+(?:it\b|{_DET}*{_DRUG})"),
        (
            "stop",
            rf"\b(?:stop|stopping|discontinue|quit)\s+(?:taking|using|it\b|abruptly|suddenly|{_DET}*{_DRUG})",
        ),
        ("change", rf"\b(?:change|adjust|alter|modify|switch)\s+{_DET}*{_DRUG}"),
        # Spanish (accents already removed)
        (
            "tomar extra",
            (
                r"\btom(?:e|ar|a|en|ese)\s+(?:(?:una|la|su|el)\s+)?(?:dosis\s+|pastilla\s+)?"
                r"(?:extra|adicional|doble|de\s+mas|mas)\b"
            ),
        ),
        ("tomar extra", r"\btom(?:e|ar|a|en|ese)\s+(?:otra|dos|el\s+doble)\b"),
        ("duplicar", r"\b(?:duplic(?:ar|a|an)|dupliquen?)\b"),
        # "subir" (to raise) slipped through as "sub" + "ar": its infinitive ends in -ir.
        ("aumentar", rf"\b(?:aument(?:ar|a|an|e|en)|sub(?:ir|a|an|e|en))\s+{_DET_ES}*{_DROGA}"),
        (
            "reducir",
            rf"\b(?:reduzcan?|reducir|reduce|baj(?:ar|a|an|e|en)|disminu(?:ir|ya|yan|ye))\s+{_DET_ES}*{_DROGA}",
        ),
        ("saltar", rf"\b(?:salt(?:ar|a|e|en)(?:se)?|omit(?:ir|a|an|e))\s+{_DET_ES}*{_DROGA}"),
        (
            "dejar",
            (
                rf"\b(?:deje|dejen|dejar|deja|pare|parar|interrumpa|interrumpir|suspend(?:a|an|er|e))\s+"
                rf"(?:de\s+tomar|{_DET_ES}*{_DROGA})"
            ),
        ),
        (
            "cambiar",
            rf"\b(?:cambi(?:e|ar|a|en)|ajust(?:e|ar|a|en)|modific(?:ar|a)|modifique)\s+{_DET_ES}*{_DROGA}",
        ),
    )
)

# A negation right before the verb, with at most two harmless words in between ("do not ever
# stop", "never abruptly stop", "do not attempt to adjust", "nunca se debe dejar", "no lo deje").
# Anything else in between ("do not wait, take extra") means the negation governs another verb.
_NEGATION = (
    r"(?:do|does|did|should|must|will|can|could)\s+not|don'?t|doesn'?t|shouldn'?t|mustn'?t|"
    r"won'?t|can'?t|cannot|never|no|nunca|jamas|ni"
)
_FILLER = (
    r"ever|suddenly|abruptly|just|attempt|try|to|yourself|"
    r"se|lo|la|le|les|debe|deben|usted|intente|trate|de|por|favor"
)
_NEGATED = re.compile(rf"(?:^|\W)(?:{_NEGATION})(?:\s+(?:{_FILLER})){{0,2}}\s*$")
# A negation does not carry over a clause boundary.
_CLAUSE_END = re.compile(r"[.,;:!?\n()]")


def _prepare(text: str) -> str:
    # Curly apostrophes ("don’t") would hide the negation.
    return normalize_for_matching(text.replace("\u2019", "'").replace("\u2018", "'"))


def advice_violations(text: str) -> list[str]:
    """Every phrase in ``text`` that tells someone to change a dose, as "label: 'phrase'".

    Empty means the text is safe. Works on English and Spanish, any case, with or without accents.
    """
    prepared = _prepare(text)
    found = []
    for label, pattern in FORBIDDEN_ADVICE:
        for match in pattern.finditer(prepared):
            before = prepared[: match.start()]
            clause = _CLAUSE_END.split(before)[-1]
            if not _NEGATED.search(clause):
                found.append(f"{label}: {match.group(0)!r}")
    return found
