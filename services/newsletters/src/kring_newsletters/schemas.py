"""What every feature's bodies share: `Command`, the base of every request body, and
`model_of`, a body filled from a row (each feature's bodies are in its `schemas.py`, kept
apart from the tables in db_models)."""

from typing import TypeVar

from pydantic import BaseModel, ConfigDict

Model = TypeVar("Model", bound=BaseModel)


class Command(BaseModel):
    """A request body: unknown fields are refused rather than silently dropped."""

    model_config = ConfigDict(extra="forbid")


def model_of(model: type[Model], source: object, **given: object) -> Model:
    """`model` with the fields `given` (computed, or named otherwise in `source`) and each
    other field copied from the attribute of `source` (a row) of its name."""
    copied = {name: getattr(source, name) for name in model.model_fields if name not in given}
    return model.model_validate({**copied, **given})
