"""Every SMS template stays in GSM-7 (one character outside it makes the whole text UCS-2, 70
characters a segment) and within two segments before its values are filled in."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.domain.messages import is_gsm7, sms_segments, template_paths

# Voice templates are spoken, not texted: they may use accents.
SMS_TEMPLATES = [p for p in template_paths() if not p.stem.endswith("_voice")]


@pytest.mark.parametrize("path", SMS_TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sms_template_is_gsm7_and_at_most_two_segments(path: Path) -> None:
    text = path.read_text(encoding="utf-8").strip()
    assert is_gsm7(text), [ch for ch in text if not is_gsm7(ch)]
    assert sms_segments(text) <= 2
