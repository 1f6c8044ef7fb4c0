"""What every service's API bodies and events share: `model_of`, one filled from a row."""

from typing import TypeVar

from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)


def model_of(model: type[Model], source: object, **given: object) -> Model:
    """`model` with the fields `given` (computed, or named otherwise in `source`) and each
    other field copied from the attribute of `source` (a row, a dataclass) of its name.
    Only the model's fields are read: an unloaded relationship is never touched."""
    copied = {name: getattr(source, name) for name in model.model_fields if name not in given}
    return model.model_validate({**copied, **given})
