"""The hash an Idempotency-Key's body is compared by: canonical, so the same request hashes
alike however its JSON was spelt, and any change of a value changes it."""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel

from kring_platform.idempotency import request_hash


class Payment(BaseModel):
    amount: Decimal
    paid_on: date
    method: str = "bank_transfer"


def test_the_same_body_hashes_alike_whatever_the_key_order() -> None:
    assert request_hash({"a": 1, "b": [1, 2], "c": {"y": 1, "x": 2}}) == request_hash(
        {"c": {"x": 2, "y": 1}, "b": [1, 2], "a": 1}
    )


def test_a_model_hashes_as_the_api_parsed_it() -> None:
    sent = Payment.model_validate({"paid_on": "2026-09-10", "amount": "10.50"})
    defaulted = Payment.model_validate(
        {"amount": "10.50", "paid_on": "2026-09-10", "method": "bank_transfer"}
    )
    assert request_hash(sent) == request_hash(defaulted)
    assert len(request_hash(sent)) == 64 and int(request_hash(sent), 16) >= 0


def test_any_other_value_changes_the_hash() -> None:
    base = Payment(amount=Decimal("10.50"), paid_on=date(2026, 9, 10))
    others = [
        base.model_copy(update={"amount": Decimal("10.51")}),
        base.model_copy(update={"paid_on": date(2026, 9, 11)}),
        base.model_copy(update={"method": "cash"}),
    ]
    hashes = {request_hash(base), *(request_hash(other) for other in others)}
    assert len(hashes) == 4
    assert request_hash([1, 2]) != request_hash([2, 1])
    assert request_hash({"a": "1"}) != request_hash({"a": 1})
