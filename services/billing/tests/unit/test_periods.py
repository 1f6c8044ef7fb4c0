"""Billing periods and pro rata shares (pure logic)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kring_billing.contribution_runs.periods import (
    covered_days,
    monthly_period,
    pro_rata,
    yearly_period,
)
from kring_billing.money import balance, line_amounts, settled_status

days = st.dates(min_value=date(1901, 1, 1), max_value=date(2190, 12, 31))


@given(days, st.integers(1, 12), st.integers(1, 31))
def test_a_yearly_period_holds_the_day_and_lasts_a_year(day: date, month: int, start: int) -> None:
    period = yearly_period(day, month, start)
    assert period.holds(day)
    assert period.start.month == month
    assert period.days in (365, 366)
    following = yearly_period(period.end + timedelta(days=1), month, start)
    assert following.start == period.end + timedelta(days=1)


def test_a_season_from_29_february_starts_on_the_28th_in_other_years() -> None:
    assert yearly_period(date(2027, 3, 1), 2, 29).start == date(2027, 2, 28)
    assert yearly_period(date(2028, 3, 1), 2, 29).start == date(2028, 2, 29)


@given(days)
def test_a_monthly_period_is_the_calendar_month(day: date) -> None:
    period = monthly_period(day)
    assert period.holds(day) and period.start.day == 1
    assert (period.end + timedelta(days=1)).day == 1


@given(days, st.integers(0, 400), st.decimals(min_value=0, max_value=10_000, places=2))
def test_pro_rata_never_exceeds_the_fee_and_is_whole_for_the_whole_period(
    day: date, offset: int, fee: Decimal
) -> None:
    period = yearly_period(day, 9, 1)
    start = period.start + timedelta(days=offset)
    share = pro_rata(fee, covered_days(period, start, None), period)
    assert Decimal(0) <= share <= fee
    assert pro_rata(fee, covered_days(period, period.start, None), period) == fee


def test_lines_round_half_up_per_line() -> None:
    amounts = line_amounts(Decimal(3), Decimal("0.335"), Decimal(21))
    assert amounts.net == Decimal("1.01")  # 1.005 rounds up
    assert amounts.vat == (amounts.net * Decimal("0.21")).quantize(Decimal("0.01"))


def test_an_overpaid_invoice_shows_a_credit_balance() -> None:
    total, paid = Decimal("100.00"), Decimal("120.00")
    assert balance(total, paid, Decimal(0)).credit_balance == paid - total
    assert settled_status(total, paid, Decimal(0)) == "paid"
    assert settled_status(total, Decimal(0), total) == "credited"
    assert settled_status(total, Decimal(1), Decimal(0)) == "partly_paid"
