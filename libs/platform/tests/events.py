"""Event payload types used only by the platform's tests, on a per-test topic."""

from typing import ClassVar

from kring_contracts import EventPayload


class NoteWritten(EventPayload):
    event_type: ClassVar[str] = "kring.test.note.written"
    topic: ClassVar[str] = "set-per-test"
    text: str
