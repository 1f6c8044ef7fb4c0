"""Exact amounts: every amount is a Decimal rounded half up to the cent, line by line, and
totals are sums of rounded lines (what the printed invoice adds up to)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    vat: Decimal


def line_amounts(quantity: Decimal, unit_price: Decimal, vat_rate: Decimal) -> LineAmounts:
    """A line's net amount and VAT (`vat_rate` in percent, e.g. 21 or 0)."""
    net = to_cents(quantity * unit_price)
    return LineAmounts(net=net, vat=to_cents(net * vat_rate / Decimal(100)))


@dataclass(frozen=True)
class Balance:
    """What an issued invoice still asks, or what was paid beyond it."""

    open_amount: Decimal
    credit_balance: Decimal


def balance(total: Decimal, paid: Decimal, credited: Decimal) -> Balance:
    rest = total - paid - credited
    return Balance(open_amount=max(rest, ZERO), credit_balance=max(-rest, ZERO))


def settled_status(total: Decimal, paid: Decimal, credited: Decimal) -> str:
    """The status of an issued invoice from what was paid and credited on it."""
    if credited >= total and paid == ZERO:
        return "credited"
    if paid + credited >= total:
        return "paid"
    if paid > ZERO:
        return "partly_paid"
    return "issued"
