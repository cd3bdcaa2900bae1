"""Statistical anomaly detection for the early-warning rules (异常增多): is this month's count of one place and
category anomalously high against the same place's own history?

The test is a one-sided Poisson test: the expected count is the mean of the previous N months (default 12),
and p = P(X ≥ observed | λ = expected), computed exactly (no approximation). The count is anomalous when
p < alpha (default 0.001). Guards keep noise out:

- a minimum observed count (default 3): 0 → 1 or 0 → 2 never fires, however quiet the history;
- a minimum history (default 6 months): a place or a system too new to have a history is not tested;
- a history of zeros is tested against half an event over the whole history (λ = 0.5 / N), not λ = 0, for
  which every count would be "impossible" (p = 0); the expected value shown is still the mean, 0.

    poisson_sf(7, 2.0)                                  -> 0.00453…   (P(X ≥ 7 | λ = 2))
    poisson_anomaly(9, [2, 3, 1, …], label="本月")      -> Anomaly(observed=9, expected=2.1, p_value=…, …)
    find_anomalies(counts, target=date(2026, 11, 1))     -> [((place, category), Anomaly), …]   # only the anomalous

Plain functions of numbers and dates: no model, no module (the rules that use them live in the modules'
`alerts.py` and bring the counts from one aggregate query).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Hashable, Iterable, Mapping, Sequence

MONTHS = 12          # history length looked at
MIN_COUNT = 3        # the fewest observed events that may fire
MIN_HISTORY = 6      # the fewest months of history needed to test
ALPHA = 0.001        # significance level
ALPHA_PPM = 1000     # the same, in parts per million (rule params are whole numbers)
MAX_MONTHS = 120     # the longest history a rule looks at (params may say more; clamped)
ZERO_HISTORY_EVENTS = 0.5  # a history of zeros counts as half an event over the whole history


@dataclass(frozen=True)
class Anomaly:
    """The test of one count. `p_value` is None when a guard stopped the test (`tested` False)."""

    observed: int
    expected: float
    months: int
    p_value: float | None
    alpha: float
    anomalous: bool
    explanation: str

    @property
    def tested(self) -> bool:
        return self.p_value is not None


def poisson_sf(observed: int, lam: float) -> float:
    """P(X ≥ observed) for X ~ Poisson(lam), exact. Above the mean it sums the upper tail directly (no
    1 − (almost 1) cancellation for the tiny p-values that matter); at or below it, 1 − the lower sum."""
    if observed <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    if observed > lam:
        # term(k) = e^-λ λ^k / k!, from k = observed upwards; terms fall geometrically since k > λ.
        term = math.exp(-lam + observed * math.log(lam) - math.lgamma(observed + 1))
        total, k = 0.0, observed
        while term > 0.0 and term > total * 1e-17:
            total += term
            k += 1
            term *= lam / k
        return min(1.0, total)
    term = math.exp(-lam)
    lower = 0.0
    for k in range(observed):
        lower += term
        term *= lam / (k + 1)
    return min(1.0, max(0.0, 1.0 - lower))


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_p(p: float) -> str:
    """A probability as people read it: four decimals down to 0.0001 ("0.0045"), below that "3.2×10⁻⁷"."""
    if p >= 0.0001:
        return f"{p:.4f}"
    if p <= 0:
        return "0"
    mantissa, exponent = f"{p:.1e}".split("e")
    return f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def format_alpha(alpha: float) -> str:
    return f"{alpha:g}" if alpha >= 0.0001 else format_p(alpha)


def poisson_anomaly(observed: int, history: Sequence[int], *, min_count: int = MIN_COUNT,
                    min_history: int = MIN_HISTORY, alpha: float = ALPHA, label: str = "本月") -> Anomaly:
    """Test `observed` (this month) against `history` (the same place and category's previous months, zeros
    included). `label` names the month in the explanation ("本月", "2026年11月")."""
    observed = int(observed)
    months = len(history)
    expected = sum(history) / months if months else 0.0
    said = f"{label} {observed} 件，过去 {months} 个月平均 {expected:.1f} 件"
    if months < max(min_history, 1):
        return Anomaly(observed, expected, months, None, alpha, False,
                       f"{said}（历史不足 {max(min_history, 1)} 个月，不作检验）")
    if observed < max(min_count, 1):
        return Anomaly(observed, expected, months, None, alpha, False,
                       f"{said}（少于 {max(min_count, 1)} 件，不作检验）")
    lam = expected if expected > 0 else ZERO_HISTORY_EVENTS / months
    p = poisson_sf(observed, lam)
    anomalous = p < alpha
    return Anomaly(observed, expected, months, p, alpha, anomalous,
                   f"{said}（泊松检验 p={format_p(p)} {'<' if anomalous else '≥'} {format_alpha(alpha)}）")


# ------------------------------------------------------------------------------------------------ months
def month_start(day: dt.date) -> dt.date:
    """The first of `day`'s month; a datetime (a TruncMonth of a timestamp, already in local time) as a date."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    """The first of the month `n` months after (before, when negative) `month`'s."""
    index = month.year * 12 + (month.month - 1) + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_label(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"


def last_complete_month(today: dt.date) -> dt.date:
    """The first day of the last month that has ended by `today` (in December: November)."""
    return add_months(month_start(today), -1)


def window(today: dt.date, months: int = MONTHS) -> tuple[dt.date, dt.date, dt.date]:
    """(first history month, target month, first day after the target month) for a scan on `today`: the last
    complete month against the `months` before it (clamped to 0…MAX_MONTHS)."""
    months = max(0, min(int(months), MAX_MONTHS))
    target = last_complete_month(today)
    return add_months(target, -months), target, add_months(target, 1)


# The params of a rule that uses this test (name -> (default, label), as `registry.Rule` takes them).
PARAMS = {
    "months": (MONTHS, "对比的历史月数"),
    "min_count": (MIN_COUNT, "本月至少件数"),
    "min_history": (MIN_HISTORY, "至少历史月数"),
    "alpha_ppm": (ALPHA_PPM, "检验水平（百万分之一）"),
}


def settings_from(params: Mapping[str, Any]) -> dict[str, Any]:
    """A rule's params (`PARAMS`, as edited) as the keyword arguments of `find_anomalies`."""
    return {"months": max(0, min(int(params.get("months", MONTHS)), MAX_MONTHS)),
            "min_count": int(params.get("min_count", MIN_COUNT)),
            "min_history": int(params.get("min_history", MIN_HISTORY)),
            "alpha": alpha_from_ppm(params.get("alpha_ppm", ALPHA_PPM))}


def alpha_from_ppm(ppm: Any) -> float:
    """A rule's alpha param (parts per million, a whole number) as a probability, at most 1."""
    return min(max(int(ppm), 0), 1_000_000) / 1_000_000


# ------------------------------------------------------------------------------------------------ many series
Counts = Mapping[tuple[Hashable, Hashable, dt.date], int] | Iterable[tuple[Hashable, Hashable, dt.date, int]]


def find_anomalies(counts: Counts,
                   *, target: dt.date, months: int = MONTHS, min_count: int = MIN_COUNT,
                   min_history: int = MIN_HISTORY, alpha: float = ALPHA,
                   history_from: dt.date | None = None) -> list[tuple[tuple[Hashable, Hashable], Anomaly]]:
    """Every (place, category) whose count in `target` (a month's first day) is anomalous against its
    previous `months` months: `counts` maps (place, category, month's first day) to a count (or is an iterable
    of (place, category, month, count) rows, as one GROUP BY returns them); months missing are zeros.

    The history starts at `history_from` when given, else at the earliest month of any row before the target
    (the data's own start: months before anything was recorded are not zeros), and never before `months`
    months back. Sorted by place and category."""
    rows = counts.items() if isinstance(counts, Mapping) else (((p, c, m), n) for p, c, m, n in counts)
    table: dict[tuple[Hashable, Hashable], dict[dt.date, int]] = {}
    earliest = None
    for (place, category, month), n in rows:
        month = month_start(month)
        series = table.setdefault((place, category), {})
        series[month] = series.get(month, 0) + int(n)
        if month < target and (earliest is None or month < earliest):
            earliest = month
    months = max(0, min(int(months), MAX_MONTHS))
    start = add_months(target, -months)
    begin = history_from or earliest
    if begin is not None and month_start(begin) > start:
        start = month_start(begin)
    history_months = []
    month = start
    while month < target:
        history_months.append(month)
        month = add_months(month, 1)
    found = []
    label = month_label(target)
    for key in sorted(table, key=lambda k: (str(k[0]), str(k[1]))):
        series = table[key]
        observed = series.get(target, 0)
        if observed < max(min_count, 1):
            continue  # cannot fire: skip the arithmetic
        result = poisson_anomaly(observed, [series.get(m, 0) for m in history_months], min_count=min_count,
                                 min_history=min_history, alpha=alpha, label=label)
        if result.anomalous:
            found.append((key, result))
    return found


# ------------------------------------------------------------------------------------ the modules' scans
def village_of_record():
    """The ORM expression of a record's village: its jurisdiction, or the grid's parent village (Django)."""
    from django.db.models import Case, F, When

    from pingan.geo.choices import Level

    return Case(When(jurisdiction__level=Level.GRID, then=F("jurisdiction__parent_id")),
                default=F("jurisdiction_id"))


VILLAGE_LEVELS = ("village", "community", "grid")  # records at these levels count for a village


def village_scan(*, rule: str, params: Mapping[str, Any], now: dt.datetime, counts, labels, subject: str,
                 noun: str):
    """The warnings of one module's village anomaly rule (`events.anomaly`, `disputes.anomaly`).

    `counts(first, end)`: rows (village id, 大类, month, n) of [first, end); `labels(groups)`: {大类: name};
    `subject`: what is counted, as the reason says it ("网格事件上报数"); `noun`: the title's word ("事件")."""
    from django.utils import timezone

    from pingan.geo.models import Node

    from .registry import AlertSpec

    settings = settings_from(params)
    first, target, end = window(timezone.localdate(now), settings["months"])
    found = find_anomalies(counts(first, end), target=target, **settings)
    if not found:
        return
    villages = Node.objects.in_bulk({place for (place, _g), _r in found})
    names = labels({group for (_p, group), _r in found})
    month = month_label(target)
    for (place, group), result in found:
        village = villages[place]
        label = names.get(group, group)
        yield AlertSpec(
            rule=rule, jurisdiction=village, source=None, key=f"{rule}:{village.pk}:{group}:{target:%Y-%m}",
            title=f"{village.name}{label}类{noun}异常增多（{month}）",
            reason=(f"{village.name}“{label}”类{subject}：{result.explanation}。以本村过去各月的平均数为期望值"
                    f"作单侧泊松检验，p 值小于检验水平即为异常增多，请研判是否有引发群体性事件的苗头。"))
