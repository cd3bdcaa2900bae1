"""The anomaly test (pingan.alerts.anomaly): Poisson tails worked out by hand, the guards, the explanation, the
month arithmetic and the many-series pass. No database."""
from __future__ import annotations

import datetime as dt
import math

import pytest

from pingan.alerts import anomaly as a

D = dt.date


# ------------------------------------------------------------------------------------------------ poisson tail
def test_the_tail_of_lambda_2_from_7_by_hand():
    # P(X ≥ 7 | λ=2) = 1 − Σ_{k=0..6} e^-2 2^k/k!
    #   Σ 2^k/k! = 1 + 2 + 2 + 1.33333 + 0.66667 + 0.26667 + 0.08889 = 7.35556
    #   e^-2 = 0.1353353; 0.1353353 × 7.35556 = 0.9954662; 1 − 0.9954662 = 0.0045338
    assert a.poisson_sf(7, 2.0) == pytest.approx(0.0045338, abs=1e-7)


def test_the_tail_of_lambda_1_from_3_and_from_6_by_hand():
    # P(X ≥ 3 | λ=1) = 1 − e^-1 (1 + 1 + 1/2) = 1 − 0.3678794 × 2.5 = 1 − 0.9196986 = 0.0803014
    assert a.poisson_sf(3, 1.0) == pytest.approx(0.0803014, abs=1e-7)
    # P(X ≥ 6 | λ=1) = 1 − e^-1 (1 + 1 + 1/2 + 1/6 + 1/24 + 1/120) = 1 − 0.3678794 × 2.7166667
    #               = 1 − 0.9994058 = 0.0005942
    assert a.poisson_sf(6, 1.0) == pytest.approx(0.0005942, abs=1e-7)


def test_the_tail_below_the_mean_and_the_edges_by_hand():
    # P(X ≥ 2 | λ=5) = 1 − e^-5 (1 + 5) = 1 − 0.0067379 × 6 = 0.9595723
    assert a.poisson_sf(2, 5.0) == pytest.approx(0.9595723, abs=1e-7)
    # P(X ≥ 1 | λ=0.5) = 1 − e^-0.5 = 1 − 0.6065307 = 0.3934693
    assert a.poisson_sf(1, 0.5) == pytest.approx(0.3934693, abs=1e-7)
    assert a.poisson_sf(0, 3.0) == 1.0
    assert a.poisson_sf(-1, 3.0) == 1.0
    assert a.poisson_sf(1, 0.0) == 0.0


def test_a_tiny_tail_keeps_its_precision():
    # P(X ≥ 20 | λ=1) ≈ e^-1/20! × (1 + 1/21 + 1/(21·22) + …) = 0.3678794 / 2.4329020e18 × 1.0499 = 1.5875e-19;
    # 1 − (lower sum) would give 0 in floating point.
    assert a.poisson_sf(20, 1.0) == pytest.approx(1.5876e-19, rel=1e-3)
    assert a.poisson_sf(20, 1.0) > 0


# ------------------------------------------------------------------------------------------------ the test
def test_nine_against_a_mean_of_2_1_fires_with_the_numbers_shown():
    history = [2, 3, 1, 2, 2, 3, 1, 2, 2, 3, 2, 2]  # 25 / 12 = 2.083 → "2.1"
    result = a.poisson_anomaly(9, history)
    assert (result.observed, result.months, result.anomalous, result.tested) == (9, 12, True, True)
    assert result.expected == pytest.approx(25 / 12)
    # P(X ≥ 9 | λ=2.08333) = e^-λ Σ_{k≥9} λ^k/k!: λ^8/8! = 0.008801, then × λ/9, × λ/10, …:
    #   0.002037 + 0.000424 + 0.0000804 + 0.0000140 + 0.0000022 + 0.0000003 = 0.0025579;
    #   e^-2.08333 = 0.124514; 0.124514 × 0.0025579 = 0.0003185
    assert result.p_value == pytest.approx(0.0003185, abs=1e-6)
    assert result.explanation == "本月 9 件，过去 12 个月平均 2.1 件（泊松检验 p=0.0003 < 0.001）"


def test_six_against_a_flat_one_fires_and_five_does_not():
    # P(X ≥ 6 | 1) = 0.0005942 < 0.001 (above); P(X ≥ 5 | 1) = 0.0005942 + e^-1/120 = 0.0005942 + 0.0030657
    #              = 0.0036599 ≥ 0.001
    assert a.poisson_anomaly(6, [1] * 12).anomalous
    five = a.poisson_anomaly(5, [1] * 12)
    assert not five.anomalous
    assert five.p_value == pytest.approx(0.0036599, abs=1e-7)
    assert five.explanation == "本月 5 件，过去 12 个月平均 1.0 件（泊松检验 p=0.0037 ≥ 0.001）"


def test_a_flat_series_never_fires():
    assert not a.poisson_anomaly(4, [4] * 12).anomalous
    assert not a.poisson_anomaly(0, [0] * 12).anomalous


def test_zero_to_one_or_two_never_fires_whatever_the_history():
    for observed in (1, 2):
        result = a.poisson_anomaly(observed, [0] * 12)
        assert (result.anomalous, result.p_value) == (False, None)
    assert a.poisson_anomaly(2, [0] * 12).explanation == "本月 2 件，过去 12 个月平均 0.0 件（少于 3 件，不作检验）"


def test_three_after_a_year_of_zeros_is_tested_against_half_an_event():
    # λ = 0.5 / 12 = 0.0416667; P(X ≥ 3) = 1 − e^-λ (1 + λ + λ²/2) ≈ λ³/6 × e^-λ × (1 + λ/4 + …)
    #   = 0.0000120563 × 0.959189 × 1.0105 ≈ 0.0000116858
    result = a.poisson_anomaly(3, [0] * 12)
    assert result.p_value == pytest.approx(1.16858e-5, rel=1e-3)
    assert result.expected == 0.0
    assert result.explanation == "本月 3 件，过去 12 个月平均 0.0 件（泊松检验 p=1.2×10⁻⁵ < 0.001）"


def test_a_short_history_is_not_tested():
    result = a.poisson_anomaly(20, [1] * 5)
    assert (result.anomalous, result.p_value) == (False, None)
    assert result.explanation == "本月 20 件，过去 5 个月平均 1.0 件（历史不足 6 个月，不作检验）"
    assert a.poisson_anomaly(20, [1] * 5, min_history=5).anomalous
    assert not a.poisson_anomaly(5, [], min_history=0).tested  # no history at all: nothing to compare with


def test_the_guards_and_alpha_are_configurable():
    # 5 against a flat 1: p = 0.0036599 (above): fires at alpha 0.01, not at 0.001
    assert a.poisson_anomaly(5, [1] * 12, alpha=0.01).anomalous
    assert a.poisson_anomaly(5, [1] * 12, alpha=0.01).explanation.endswith("p=0.0037 < 0.01）")
    assert not a.poisson_anomaly(6, [1] * 12, min_count=7).tested
    # 40 against 1: far below 1e-5, shown in powers of ten
    tiny = a.poisson_anomaly(40, [1] * 12, alpha=0.00001, label="2026年11月")
    assert tiny.anomalous
    assert tiny.explanation.startswith("2026年11月 40 件，过去 12 个月平均 1.0 件（泊松检验 p=")
    assert tiny.explanation.endswith("×10⁻⁴⁹ < 1.0×10⁻⁵）")


def test_format_p():
    assert a.format_p(0.0045338) == "0.0045"
    assert a.format_p(0.0001) == "0.0001"
    assert a.format_p(0.0000116858) == "1.2×10⁻⁵"
    assert a.format_p(0.0) == "0"
    assert a.format_alpha(0.001) == "0.001"


def test_alpha_from_ppm():
    assert a.alpha_from_ppm(1000) == 0.001
    assert a.alpha_from_ppm(10) == 0.00001
    assert a.alpha_from_ppm(5_000_000) == 1.0
    assert a.alpha_from_ppm(0) == 0.0


# ------------------------------------------------------------------------------------------------ months
def test_months():
    assert a.last_complete_month(D(2026, 12, 7)) == D(2026, 11, 1)
    assert a.last_complete_month(D(2026, 1, 31)) == D(2025, 12, 1)
    assert a.add_months(D(2026, 11, 1), -12) == D(2025, 11, 1)
    assert a.add_months(D(2026, 11, 1), 2) == D(2027, 1, 1)
    assert a.window(D(2026, 12, 7), 12) == (D(2025, 11, 1), D(2026, 11, 1), D(2026, 12, 1))
    assert a.window(D(2026, 12, 7), 100_000)[0] == D(2016, 11, 1)  # clamped to 120 months
    assert a.month_label(D(2026, 3, 1)) == "2026年3月"


# ------------------------------------------------------------------------------------------------ many series
def _rows(place, category, per_month: dict[dt.date, int]):
    return [(place, category, month, n) for month, n in per_month.items() if n]


def _months(first: dt.date, values: list[int]) -> dict[dt.date, int]:
    return {a.add_months(first, i): v for i, v in enumerate(values)}


def test_find_anomalies_picks_the_planted_one_only():
    start, target = D(2025, 11, 1), D(2026, 11, 1)
    rows = (_rows("甲村", "0202", _months(start, [1] * 12 + [6]))      # 6 against 1.0: p 0.00059 → fires
            + _rows("乙村", "0202", _months(start, [2] * 13))           # flat
            + _rows("乙村", "0301", _months(start, [0] * 12 + [2]))     # 0 → 2: below the minimum
            + _rows("丙村", "0202", _months(start, [1] * 12 + [5])))    # 5 against 1.0: p 0.0037, no
    found = a.find_anomalies(rows, target=target)
    assert [key for key, _r in found] == [("甲村", "0202")]
    assert found[0][1].explanation == "2026年11月 6 件，过去 12 个月平均 1.0 件（泊松检验 p=0.0006 < 0.001）"


def test_find_anomalies_takes_a_mapping_and_sums_repeated_rows():
    target = D(2026, 11, 1)
    counts = {("甲村", "x", a.add_months(target, -i)): 1 for i in range(1, 13)}
    counts[("甲村", "x", target)] = 6
    assert len(a.find_anomalies(counts, target=target)) == 1
    rows = [("甲村", "x", a.add_months(target, -i), 1) for i in range(1, 13)] + [("甲村", "x", target, 3)] * 2
    assert len(a.find_anomalies(rows, target=target)) == 1


def test_find_anomalies_counts_history_from_the_datas_own_start():
    # The data begin 4 months before the target: 4 months of history < 6, nothing is tested; with the
    # history guard at 4, the mean is 1.0 over those 4 months (not 4/12) and 6 fires (p 0.00059).
    target = D(2026, 11, 1)
    rows = [("甲村", "x", a.add_months(target, -i), 1) for i in range(1, 5)] + [("甲村", "x", target, 6)]
    assert a.find_anomalies(rows, target=target) == []
    found = a.find_anomalies(rows, target=target, min_history=4)
    assert found[0][1].months == 4 and found[0][1].expected == 1.0
    # Told the data begin earlier, the missing months are zeros: mean 4/12, p tiny.
    earlier = a.find_anomalies(rows, target=target, history_from=D(2020, 1, 1))
    assert earlier[0][1].months == 12 and earlier[0][1].expected == pytest.approx(1 / 3)


def test_find_anomalies_ignores_months_after_the_target_and_with_no_history_months_nothing_fires():
    target = D(2026, 11, 1)
    rows = [("甲村", "x", a.add_months(target, -i), 1) for i in range(1, 13)] + [("甲村", "x", target, 6),
                                                                                ("甲村", "x", D(2026, 12, 1), 50)]
    assert [r.observed for _k, r in a.find_anomalies(rows, target=target)] == [6]
    assert a.find_anomalies(rows, target=target, months=0) == []
    assert math.isclose(a.ALPHA, a.alpha_from_ppm(a.ALPHA_PPM))
