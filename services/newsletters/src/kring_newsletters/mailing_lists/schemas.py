"""The API's bodies for mailing lists and their link to a group."""

import uuid
from datetime import datetime

from pydantic import BaseModel

from kring_newsletters.schemas import Command
from kring_platform.validation import ShortText


class NewMailingList(Command):
    name: ShortText


class MailingListRename(Command):
    name: ShortText


class GroupLink(Command):
    group_id: uuid.UUID


class MailingListView(BaseModel):
    id: uuid.UUID
    name: str
    group_id: uuid.UUID | None
    group_name: str | None
    version: int
    created_at: datetime
