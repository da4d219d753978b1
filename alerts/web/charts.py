"""The patient page's charts, built as plain values a template turns into inline SVG.

Pure: aggregated buckets (from ``alerts.web.chart_data``) and the rules' bands in, geometry and
words out. No JavaScript chart library and nothing from a CDN: the server draws every line, so the
page works without scripts and prints as it looks.

Every chart says in text what its colours say: each band carries its words and its limit, the
summary under the chart gives the lowest, average and highest values and the days a band was
reached, and a data table (one row a local day) stands behind it for screen readers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from math import ceil, floor, log10
from zoneinfo import ZoneInfo

from alerts.domain.symptoms import SEVERITY_MAX, SYMPTOMS
from alerts.domain.vitals import KINDS, Band

# The period selector: a week answers "how has this week been", 30 and 90 days the slow trend.
PERIODS: tuple[int, ...] = (7, 30, 90)
DEFAULT_PERIOD = 7
# One point of a vitals chart per bucket: 168 hourly points for a week, 120 for 30 days, 90 for 90.
# Enough to see a night's dip, few enough for a 480-unit-wide chart to draw each one apart.
BUCKET_HOURS: dict[int, int] = {7: 1, 30: 6, 90: 24}

# The vitals the rules read, in the order a clinician reads them (breathing first).
VITALS: tuple[tuple[str, str], ...] = (
    ("respiratory_rate", "Respiratory rate"),
    ("spo2", "Oxygen saturation (SpO2)"),
    ("heart_rate", "Heart rate"),
    ("body_temperature", "Body temperature"),
    ("bp_systolic", "Blood pressure, systolic"),
)
# UCUM canonical units (``KINDS``) as people read them.
UNIT_WORDS: dict[str, str] = {"/min": "/min", "%": "%", "Cel": "°C", "mm[Hg]": "mmHg", "1": ""}

# Geometry of a chart, in SVG user units (the SVG scales to its box, so these are proportions).
WIDTH, HEIGHT = 480.0, 190.0
LEFT, RIGHT, TOP, BOTTOM = 40.0, 8.0, 8.0, 22.0
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
ROW_H = 40.0  # one symptom's strip in the small-multiples chart
LABEL_H = 14.0
# What the SVG templates need of the above.
GEOMETRY: dict[str, float] = {"width": WIDTH, "height": HEIGHT, "left": LEFT, "top": TOP, "plot_w": PLOT_W,
                              "right_x": WIDTH - RIGHT, "bottom_y": TOP + PLOT_H, "bottom_pad": BOTTOM,
                              "row_h": ROW_H}


def period_of(raw: str | None) -> int:
    """The period asked for in the query string; anything else is the default (never an error:
    a hand-edited URL still shows the page)."""
    try:
        days = int(raw or "")
    except ValueError:
        return DEFAULT_PERIOD
    return days if days in PERIODS else DEFAULT_PERIOD


def period_start(tz: str, now: datetime, days: int) -> datetime:
    """Local midnight ``days - 1`` days before today, in UTC: every bucket starts on the
    patient's own day boundary, so a day's row of the table is that day as they lived it."""
    zone = ZoneInfo(tz)
    first = now.astimezone(zone).date() - timedelta(days=days - 1)
    return datetime.combine(first, datetime.min.time(), zone).astimezone(now.tzinfo)


@dataclass(frozen=True)
class Bucket:
    """One kind's readings in one bucket, as SQL aggregated them (``index`` counts buckets from the
    period's start)."""

    index: int
    low: float
    high: float
    total: float
    count: int

    @property
    def mean(self) -> float:
        return self.total / self.count


# -- bands -------------------------------------------------------------------------------------------


def unit_words(kind: str) -> str:
    return UNIT_WORDS.get(KINDS[kind].unit, KINDS[kind].unit)


def fmt(value: float) -> str:
    """A vital as people write it: 8 /min, 91 %, 37.2 °C (one decimal only when it has one)."""
    return f"{value:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class BandView:
    """A band behind a chart: its words, and the rectangle it covers."""

    key: str
    words: str  # "slow breathing: emergency at 8 /min or less"
    emergency: bool
    limit: float
    below: bool
    y: float = 0.0
    height: float = 0.0
    line_y: float = 0.0


def band_words(band: Band, unit: str) -> BandView:
    """A rule's band in words: what it is, what it raises, and its limit with the unit."""
    what = band.key.replace("_", " ")
    level = "emergency" if band.emergency else "alert"
    side = "or less" if band.below else "or more"
    return BandView(band.key, f"{what}: {level} at {fmt(band.limit)} {unit} {side}".replace("  ", " "),
                    band.emergency, band.limit, band.below)


def reached(band: BandView, low: float, high: float) -> bool:
    """A value from ``low`` to ``high`` touched the band (at the limit counts, as in the rule)."""
    return low <= band.limit if band.below else high >= band.limit


# -- scales ------------------------------------------------------------------------------------------


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about ``ticks`` ticks over ``span``."""
    raw = max(span, 1e-9) / ticks
    power = 10 ** floor(log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return float(m * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def y_domain(values: Sequence[float], limits: Sequence[float], kind: str) -> tuple[float, float, float]:
    """(bottom, top, tick step) covering the readings and every band limit, within what the body
    can show (``KINDS``): a band is always drawn, so a line far from it says "far from it"."""
    points = list(values) + list(limits)
    lo, hi = min(points), max(points)
    step = nice_step(hi - lo or 1.0)
    bottom, top = floor(lo / step) * step, ceil(hi / step) * step
    # A quarter-step of air between the outermost value and the frame, so a line never sits on it.
    if lo - bottom < step / 4:
        bottom -= step
    if top - hi < step / 4:
        top += step
    return max(KINDS[kind].low, bottom), min(KINDS[kind].high, top), step


@dataclass(frozen=True)
class Tick:
    at: float  # x or y in user units
    label: str


@dataclass(frozen=True)
class Axes:
    """Seconds from the period's start to x, a value to y."""

    days: int
    bottom: float = 0.0
    top: float = 1.0

    def x(self, offset_seconds: float) -> float:
        return round(LEFT + PLOT_W * offset_seconds / (self.days * 86400), 1)

    def y(self, value: float) -> float:
        return round(TOP + PLOT_H * (self.top - value) / (self.top - self.bottom), 1)


def day_ticks(days: int, first: date) -> list[Tick]:
    """Local days along the x axis: every day for a week, then every week or fortnight."""
    every = 1 if days <= 7 else 7 if days <= 30 else 14
    axes = Axes(days)
    fmt_day = "%a %d" if days <= 7 else "%d %b"
    # A label needs about 36 units: one too close to the right edge would be cut off.
    return [Tick(axes.x(i * 86400), (first + timedelta(days=i)).strftime(fmt_day))
            for i in range(0, days, every) if axes.x(i * 86400) <= WIDTH - RIGHT - 36]


# -- vitals ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayRow:
    """A row of a vital's data table: one local day."""

    day: date
    low: float | None
    mean: float | None
    high: float | None
    count: int
    bands: tuple[str, ...]  # the bands reached that day, in words


@dataclass
class VitalChart:
    kind: str
    title: str
    unit: str
    days: int
    bands: list[BandView]
    rows: list[DayRow]
    count: int = 0
    low: float | None = None
    mean: float | None = None
    high: float | None = None
    latest: tuple[float, datetime] | None = None
    range_path: str = ""  # the lowest-to-highest area, one closed shape per unbroken run
    mean_path: str = ""  # the average, broken where a bucket has no reading
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"vital-{self.kind.replace('_', '-')}"

    @property
    def latest_value(self) -> str:
        return fmt(self.latest[0]) if self.latest else "—"

    @property
    def days_in_band(self) -> int:
        return sum(1 for r in self.rows if r.bands)

    @property
    def summary(self) -> str:
        """The chart in one sentence: what a screen reader hears before the table."""
        if not self.count:
            return f"No {self.title.lower()} readings in the last {self.days} days."
        u = self.unit
        parts = [f"{self.count:,} readings over {self.days} days: lowest {fmt(self.low or 0)} {u}, "
                 f"average {fmt(self.mean or 0)} {u}, highest {fmt(self.high or 0)} {u}."]
        reached_days = self.days_in_band
        if reached_days:
            parts.append(f"Reached an alert band on {reached_days} day{'s' if reached_days != 1 else ''}.")
        else:
            parts.append("Never reached an alert band.")
        return " ".join(parts)


def vital_chart(kind: str, title: str, bands: Sequence[Band], buckets: Sequence[Bucket], *, start: datetime,
                days: int, bucket_hours: int, tz: str, latest: tuple[float, datetime] | None = None) -> VitalChart:
    """One vital's chart over the period from ``start`` (local midnight, UTC) for ``days`` days.

    ``buckets`` are ``bucket_hours`` long and numbered from ``start``; a missing index is a gap in
    the line (no reading then), never a zero.
    """
    unit = unit_words(kind)
    views = [band_words(b, unit) for b in bands]
    size = bucket_hours * 3600
    zone = ZoneInfo(tz)
    first = start.astimezone(zone).date()
    ordered = sorted(buckets, key=lambda b: b.index)

    # The data table: buckets folded into local days. A bucket belongs to the day of its middle,
    # so a day bucket shifted an hour by a DST change still lands on its own day.
    per_day: dict[date, list[Bucket]] = {}
    for b in ordered:
        middle = start + timedelta(seconds=b.index * size + size / 2)
        per_day.setdefault(middle.astimezone(zone).date(), []).append(b)
    rows = []
    for i in range(days):
        day = first + timedelta(days=i)
        got = per_day.get(day, [])
        if not got:
            rows.append(DayRow(day, None, None, None, 0, ()))
            continue
        lo, hi = min(b.low for b in got), max(b.high for b in got)
        n = sum(b.count for b in got)
        mean = sum(b.total for b in got) / n
        rows.append(DayRow(day, lo, mean, hi, n, tuple(v.words for v in views if reached(v, lo, hi))))

    chart = VitalChart(kind, title, unit, days, views, rows, x_ticks=day_ticks(days, first), latest=latest)
    if not ordered:
        return chart
    chart.count = sum(b.count for b in ordered)
    chart.low, chart.high = min(b.low for b in ordered), max(b.high for b in ordered)
    chart.mean = sum(b.total for b in ordered) / chart.count
    bottom, top, step = y_domain([chart.low, chart.high], [v.limit for v in views], kind)
    axes = Axes(days, bottom, top)
    value = ceil(bottom / step - 1e-9) * step  # round ticks even when the frame was clamped
    while value <= top + step / 1000:
        chart.y_ticks.append(Tick(axes.y(value), fmt(round(value, 6))))
        value += step
    placed = []
    for v in views:
        # From the limit to the frame's edge on the band's side.
        v_y = axes.y(min(max(v.limit, bottom), top))
        edge = axes.y(bottom) if v.below else axes.y(top)
        placed.append(dataclasses.replace(v, y=min(v_y, edge), height=abs(edge - v_y), line_y=v_y))
    chart.bands = placed
    chart.range_path, chart.mean_path = _paths(ordered, axes, size)
    return chart


def _runs(buckets: Sequence[Bucket]) -> list[list[Bucket]]:
    """Consecutive buckets, split where one is missing."""
    runs: list[list[Bucket]] = []
    for b in buckets:
        if runs and runs[-1][-1].index == b.index - 1:
            runs[-1].append(b)
        else:
            runs.append([b])
    return runs


def _paths(buckets: Sequence[Bucket], axes: Axes, size: int) -> tuple[str, str]:
    area, line = [], []
    for run in _runs(buckets):
        xs = [axes.x((b.index + 0.5) * size) for b in run]
        if len(run) == 1:
            # A lone bucket: a short dash, so one reading between gaps still shows.
            x, b = xs[0], run[0]
            line.append(f"M{x - 2:g},{axes.y(b.mean):g}H{x + 2:g}")
            area.append(f"M{x - 2:g},{axes.y(b.high):g}H{x + 2:g}V{axes.y(b.low):g}H{x - 2:g}Z")
            continue
        line.append("M" + "L".join(f"{x:g},{axes.y(b.mean):g}" for x, b in zip(xs, run, strict=True)))
        top = "L".join(f"{x:g},{axes.y(b.high):g}" for x, b in zip(xs, run, strict=True))
        back = "L".join(f"{x:g},{axes.y(b.low):g}" for x, b in reversed(list(zip(xs, run, strict=True))))
        area.append(f"M{top}L{back}Z")
    return "".join(area), "".join(line)


def vital_charts(bands: Mapping[str, Sequence[Band]], buckets: Mapping[str, Sequence[Bucket]],
                 latest: Mapping[str, tuple[float, datetime]], *, start: datetime, days: int, tz: str) -> list[VitalChart]:
    """Every vital the rules read, each with its own bands, in ``VITALS`` order."""
    return [vital_chart(kind, title, bands.get(kind, ()), buckets.get(kind, ()), start=start, days=days,
                        bucket_hours=BUCKET_HOURS[days], tz=tz, latest=latest.get(kind))
            for kind, title in VITALS]


# -- symptoms ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    day: date


@dataclass
class SymptomRow:
    key: str
    label: str
    values: list[int | None]  # the day's highest severity, None when not reported
    top: float = 0.0  # y of the strip's label
    base: float = 0.0  # y of the strip's zero line
    bars: list[Bar] = field(default_factory=list)

    @property
    def worst(self) -> int:
        return max((v for v in self.values if v is not None), default=0)


@dataclass
class SymptomChart:
    days: list[date]
    rows: list[SymptomRow]
    height: float = 0.0
    x_ticks: list[Tick] = field(default_factory=list)

    @property
    def reported_days(self) -> list[tuple[date, list[int | None]]]:
        """Rows of the data table: each day something was reported, with every symptom's value."""
        return [(d, [r.values[i] for r in self.rows]) for i, d in enumerate(self.days)
                if any(r.values[i] is not None for r in self.rows)]

    @property
    def summary(self) -> str:
        if not self.rows:
            return f"No symptoms reported in the last {len(self.days)} days."
        parts = [f"{r.label}: highest {r.worst} of {SEVERITY_MAX}" for r in self.rows]
        return f"Over {len(self.days)} days, " + "; ".join(parts) + "."


def symptom_chart(checkins: Sequence[tuple[datetime, Mapping[str, int]]], *, start: datetime, days: int,
                  tz: str) -> SymptomChart:
    """Each symptom's highest severity per local day (the "are the twitches getting worse?"
    question), one strip per symptom in the catalogue's order: small multiples need no colour or
    line style to tell symptoms apart, and each strip is labelled in words."""
    zone = ZoneInfo(tz)
    first = start.astimezone(zone).date()
    span = [first + timedelta(days=i) for i in range(days)]
    values: dict[str, list[int | None]] = {}
    for recorded_at, symptoms in checkins:
        i = (recorded_at.astimezone(zone).date() - first).days
        if not 0 <= i < days:
            continue
        for key, severity in (symptoms or {}).items():
            row = values.setdefault(key, [None] * days)
            current = row[i]
            row[i] = severity if current is None else max(current, severity)
    order = {k: n for n, k in enumerate(SYMPTOMS)}
    rows = [SymptomRow(k, SYMPTOMS[k].label if k in SYMPTOMS else k.replace("_", " ").capitalize(), v)
            for k, v in sorted(values.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))]
    axes = Axes(days)
    slot = PLOT_W / days
    width = max(1.0, round(slot * 0.7, 1))
    for n, strip in enumerate(rows):
        strip.top = TOP + n * (ROW_H + LABEL_H) + LABEL_H - 3
        strip.base = TOP + n * (ROW_H + LABEL_H) + LABEL_H + ROW_H
        for i, v in enumerate(strip.values):
            if v is None:
                continue
            # A severity of 0 ("none") gets a sliver above the line: reported, and nothing felt.
            h = max(1.5, round(ROW_H * v / SEVERITY_MAX, 1))
            x = axes.x(i * 86400) + round((slot - width) / 2, 1)
            strip.bars.append(Bar(round(x, 1), round(strip.base - h, 1), width, h, v, span[i]))
    chart = SymptomChart(span, rows, x_ticks=day_ticks(days, first))
    chart.height = TOP + len(rows) * (ROW_H + LABEL_H) + BOTTOM
    return chart
