"""What every feature's bodies share: `Command`, the base of every request body (each
feature's bodies are in its `schemas.py`, kept apart from the tables in db_models; a body
filled from a row is `kring_platform.schemas.model_of`)."""

from pydantic import BaseModel, ConfigDict


class Command(BaseModel):
    """A request body: unknown fields are refused rather than silently dropped."""

    model_config = ConfigDict(extra="forbid")
