"""Text as the SMS readers compare it: lower case, no accents, punctuation as single spaces.

Shared by the reply parser (``alerts.domain.replies``) and the symptom reader
(``alerts.domain.symptom_text``), so both see "Can't breathe!!" as "can t breathe".
"""

from __future__ import annotations

import re
import unicodedata


def normalise(text: str) -> str:
    """Lower case, accents removed, anything not a letter or digit turned into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())
