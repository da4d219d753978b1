"""Outgoing message text, rendered from template files a clinician can review in one place.

Templates live in ``alerts/templates/messages/<lang>/<name>.txt``, one file per message and language,
with ``$placeholders`` (:class:`string.Template`). Rendering is pure: a name, a language and values in,
GSM-7-friendly text out.
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "messages"
DEFAULT_LANGUAGE = "en"

# Characters that force an SMS into UCS-2 (halving the characters per segment) although a GSM-7
# look-alike exists. Non-breaking spaces are the classic culprit (healthchecks strips them too).
_GSM_LOOKALIKES = {
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "-", "\u2026": "...",
}
_GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€")


class UnknownTemplate(LookupError):
    pass


def available_languages() -> list[str]:
    return sorted(p.name for p in TEMPLATE_DIR.iterdir() if p.is_dir())


def template_paths() -> list[Path]:
    """Every template file, for reviewers and for the safety tests."""
    return sorted(TEMPLATE_DIR.glob("*/*.txt"))


@lru_cache(maxsize=None)
def _load(lang: str, name: str) -> string.Template:
    path = TEMPLATE_DIR / lang / f"{name}.txt"
    if not path.is_file():
        raise UnknownTemplate(f"no template {name!r} for language {lang!r}")
    return string.Template(path.read_text(encoding="utf-8").strip())


def render(name: str, lang: str | None = None, **values: object) -> str:
    """Render template ``name`` in ``lang`` (falling back to English), made SMS-friendly.

    Every placeholder must be supplied: a message with a hole in it is a bug, not a message.
    """
    lang = lang or DEFAULT_LANGUAGE
    try:
        template = _load(lang, name)
    except UnknownTemplate:
        template = _load(DEFAULT_LANGUAGE, name)
    return sms_safe(template.substitute(**{k: str(v) for k, v in values.items()}))


def sms_safe(text: str) -> str:
    """Replace look-alike characters that would force UCS-2, and collapse runs of spaces."""
    text = "".join(_GSM_LOOKALIKES.get(ch, ch) for ch in text)
    return re.sub(r"[ \t]+", " ", text).strip()


def is_gsm7(text: str) -> bool:
    return all(ch in _GSM7_BASIC or ch in _GSM7_EXTENDED for ch in text)


def sms_segments(text: str) -> int:
    """How many SMS segments ``text`` takes (GSM-7: 160/153 septets, UCS-2: 70/67 characters)."""
    if is_gsm7(text):
        units = sum(2 if ch in _GSM7_EXTENDED else 1 for ch in text)
        single, multi = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
    return 1 if units <= single else -(-units // multi)


def normalize_for_matching(text: str) -> str:
    """Lower-case, accent-free text, for the safety checks on rendered messages."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
