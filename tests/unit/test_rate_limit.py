"""The per-recipient limit on non-urgent messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerts.domain.rate_limit import RateLimit, wait_until

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
LIMIT = RateLimit(count=3, window=timedelta(hours=1))
MIN = timedelta(minutes=1)


def test_under_the_limit_a_message_goes_now() -> None:
    assert wait_until([NOW - 10 * MIN, NOW - 5 * MIN], NOW, LIMIT) is None


def test_at_the_limit_the_next_waits_for_the_oldest_to_leave_the_window() -> None:
    sent = [NOW - 50 * MIN, NOW - 20 * MIN, NOW - 5 * MIN]
    assert wait_until(sent, NOW, LIMIT) == NOW + 10 * MIN


def test_messages_older_than_the_window_do_not_count() -> None:
    assert wait_until([NOW - 61 * MIN, NOW - 60 * MIN, NOW - 5 * MIN], NOW, LIMIT) is None


def test_over_the_limit_it_waits_until_enough_have_left() -> None:
    sent = [NOW - 55 * MIN, NOW - 50 * MIN, NOW - 40 * MIN, NOW - MIN]
    assert wait_until(sent, NOW, LIMIT) == NOW + 10 * MIN  # two must leave for a third to fit
