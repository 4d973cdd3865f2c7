"""The rules of the kept index: periods and the confidence grid."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dyadwatch.analytics.tally import (
    GRID,
    PERIODS,
    grid_step,
    period_end,
    period_of,
    period_span,
    period_start,
    step_of,
)


def test_a_threshold_on_the_grid_keeps_the_events_of_its_step_and_above() -> None:
    for step in range(GRID + 1):
        threshold = step / GRID
        assert grid_step(threshold) == step
        assert step_of(threshold) == step
        assert step_of(threshold - 1e-12) == max(0, step - 1)
    assert step_of(None) == 0
    assert [grid_step(t) for t in (0.7, 0.9, 0.0, 1.0)] == [14, 18, 0, 20]
    assert grid_step(0.33) is None and grid_step(0.725) is None


@pytest.mark.parametrize("by", PERIODS)
def test_a_period_spans_the_days_named_by_it(by: str) -> None:
    day = date(2019, 12, 20)
    while day < date(2021, 1, 10):
        first, last = period_span(period_of(day, by), by)  # type: ignore[arg-type]
        assert (first, last) == (period_start(day, by), period_end(day, by))  # type: ignore[arg-type]
        assert first <= day <= last
        assert period_of(first - timedelta(days=1), by) != period_of(day, by)  # type: ignore[arg-type]
        assert period_of(last + timedelta(days=1), by) != period_of(day, by)  # type: ignore[arg-type]
        day += timedelta(days=1)


@pytest.mark.parametrize(("period", "by"), [("2023-W5", "week"), ("2023-13", "month"),
                                            ("2023-06", "day"), ("2023x", "year")])  # fmt: skip
def test_a_name_that_is_no_period_is_refused(period: str, by: str) -> None:
    with pytest.raises(ValueError):
        period_span(period, by)  # type: ignore[arg-type]
