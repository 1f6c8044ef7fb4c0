"""The merge request body."""

import uuid

from pydantic import BaseModel, ConfigDict, Field

from kring_contacts.merges.merge import MergeField


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    duplicate_id: uuid.UUID = Field(
        description="The contact merged into this one; it becomes a tombstone naming this one"
    )
    take_from_duplicate: list[MergeField] = Field(
        default=[],
        description="The fields whose value the duplicate gives (the address as a whole). "
        "Every other field keeps this contact's value, or takes the duplicate's where this "
        "contact has none. E-mails are always the union (this contact's first), notes both.",
    )
