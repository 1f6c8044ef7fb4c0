"""What every feature's request bodies share (each feature's bodies are in its `schemas.py`,
kept apart from the tables in db_models)."""

from pydantic import BaseModel, ConfigDict


class Command(BaseModel):
    """A request body: unknown fields are refused rather than silently dropped."""

    model_config = ConfigDict(extra="forbid")
