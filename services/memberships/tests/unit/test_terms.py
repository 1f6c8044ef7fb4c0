"""Where terms end: month ends, leap years and seasons, by example and by property."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kring_memberships.membership_types.terms import (
    Term,
    anniversary,
    check_term,
    season_start,
    term_end,
)

ONE_DAY = timedelta(days=1)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 31))
months = st.integers(min_value=1, max_value=600)
# Period starts a calendar has every year (29 February is refused).
period_starts = st.dates(min_value=date(2001, 1, 1), max_value=date(2001, 12, 31))


@pytest.mark.parametrize(
    ("start", "n", "last_day"),
    [
        (date(2025, 1, 15), 1, date(2025, 2, 14)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # all of a leap February
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # a year from a leap day
        (date(2024, 2, 29), 48, date(2028, 2, 28)),  # back on a leap day: ends the day before
        (date(2025, 9, 1), 12, date(2026, 8, 31)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 1, 1), 600, date(2074, 12, 31)),
    ],
)
def test_a_term_of_months_ends_the_day_before_its_anniversary(
    start: date, n: int, last_day: date
) -> None:
    assert term_end(Term(kind="fixed_months", months=n), start) == last_day


@pytest.mark.parametrize(
    ("start", "last_day"),
    [
        (date(2025, 9, 1), date(2026, 8, 31)),
        (date(2025, 10, 15), date(2026, 8, 31)),
        (date(2026, 8, 31), date(2026, 8, 31)),  # the last day of the season
        (date(2026, 1, 10), date(2026, 8, 31)),
        (date(2024, 2, 29), date(2024, 8, 31)),
    ],
)
def test_a_seasonal_term_ends_with_its_season(start: date, last_day: date) -> None:
    season = Term(kind="seasonal", period_start_month=9, period_start_day=1)
    assert term_end(season, start) == last_day


def test_rolling_and_fixed_end_terms() -> None:
    assert term_end(Term(kind="rolling"), date(2025, 3, 3)) is None
    fixed = Term(kind="fixed_end", end_date=date(2025, 12, 31))
    assert term_end(fixed, date(2025, 3, 3)) == date(2025, 12, 31)


@given(days, months)
def test_terms_laid_end_to_end_cover_every_day_once(start: date, n: int) -> None:
    last_day = term_end(Term(kind="fixed_months", months=n), start)
    assert last_day is not None
    assert last_day >= start
    next_start = last_day + ONE_DAY
    assert next_start == anniversary(start, n)
    # n months later: same day of the month, or the 1st after a month too short for it.
    moved_months = (next_start.year - start.year) * 12 + next_start.month - start.month
    if next_start.day == start.day:
        assert moved_months == n
    else:
        assert (next_start.day, moved_months) == (1, n + 1)
        assert start.day > 28


@given(days, months)
def test_a_longer_term_never_ends_earlier(start: date, n: int) -> None:
    shorter = term_end(Term(kind="fixed_months", months=n), start)
    longer = term_end(Term(kind="fixed_months", months=n + 1), start)
    assert shorter is not None and longer is not None
    assert 28 <= (longer - shorter).days <= 31


@given(days, period_starts)
def test_a_season_holds_its_start_and_lasts_a_year(day: date, period: date) -> None:
    season = Term(kind="seasonal", period_start_month=period.month, period_start_day=period.day)
    first = season_start(day, period.month, period.day)
    last_day = term_end(season, day)
    assert last_day is not None
    assert first <= day <= last_day
    assert (first.month, first.day) == (period.month, period.day)
    assert (last_day + ONE_DAY).replace(year=first.year) == first
    assert last_day + ONE_DAY == first.replace(year=first.year + 1)


def test_term_fields_must_fit_the_kind() -> None:
    fields = {"period_start_month": 9, "period_start_day": 1}
    check_term("fixed_months", months=12, end_date=None, **fields)
    check_term("fixed_end", months=None, end_date=date(2026, 1, 1), **fields)
    check_term("seasonal", months=None, end_date=None, **fields)
    with pytest.raises(ValueError, match="term_months"):
        check_term("fixed_months", months=None, end_date=None, **fields)
    with pytest.raises(ValueError, match="term_months"):
        check_term("rolling", months=3, end_date=None, **fields)
    with pytest.raises(ValueError, match="term_end_date"):
        check_term("fixed_end", months=None, end_date=None, **fields)
    with pytest.raises(ValueError, match="every year"):
        check_term(
            "seasonal", period_start_month=2, period_start_day=29, months=None, end_date=None
        )
    with pytest.raises(ValueError, match="every year"):
        check_term(
            "seasonal", period_start_month=4, period_start_day=31, months=None, end_date=None
        )
