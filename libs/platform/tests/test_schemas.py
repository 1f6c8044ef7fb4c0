"""model_of: a body filled from a row's attributes of the same names."""

from dataclasses import dataclass

import pytest
from pydantic import BaseModel, ValidationError

from kring_platform.schemas import model_of


@dataclass
class Row:
    id: int
    name: str
    secret: str


class Out(BaseModel):
    id: int
    name: str


class Named(BaseModel):
    id: int
    title: str


def test_fields_are_copied_by_name_and_others_left_out() -> None:
    assert model_of(Out, Row(1, "Ann", "hidden")) == Out(id=1, name="Ann")


def test_given_fields_win_over_the_row() -> None:
    assert model_of(Out, Row(1, "Ann", "hidden"), name="Ann P.") == Out(id=1, name="Ann P.")


def test_a_field_the_row_lacks_must_be_given() -> None:
    assert model_of(Named, Row(2, "Bob", ""), title="Mr").title == "Mr"
    with pytest.raises(AttributeError):
        model_of(Named, Row(2, "Bob", ""))


def test_the_model_validates_what_it_is_given() -> None:
    with pytest.raises(ValidationError):
        model_of(Out, Row(1, "Ann", ""), id="not a number")
