"""`model_of`, a response body or event from a row: the fields given win, the others are
copied from the attributes of the same name, and a field the row lacks is an error."""

from dataclasses import dataclass

import pytest
from pydantic import BaseModel, ValidationError

from kring_platform.schemas import model_of


@dataclass
class Row:
    id: int
    name: str
    created: str


class Out(BaseModel):
    id: int
    name: str
    label: str


def test_copies_the_fields_of_the_same_name_and_takes_the_given_ones() -> None:
    row = Row(id=7, name="Anna", created="today")

    assert model_of(Out, row, label="member") == Out(id=7, name="Anna", label="member")
    assert model_of(Out, row, name="Bert", label="member").name == "Bert"


def test_a_field_the_row_lacks_must_be_given() -> None:
    with pytest.raises(AttributeError):
        model_of(Out, Row(id=7, name="Anna", created="today"))


def test_the_values_are_validated() -> None:
    with pytest.raises(ValidationError):
        model_of(Out, Row(id=7, name="Anna", created="today"), label=None)
