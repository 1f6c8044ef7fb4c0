"""What changed for the federation since its last export. Pure.

`previous` holds the values the federation received (by contact), `current` every member's
values now; a member is compared on the columns the profile exports now, so a column it
never received counts as changed."""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Change = Literal["new", "changed", "ended"]
MemberValues = Mapping[str, str]


@dataclass(frozen=True)
class DeltaRow:
    contact_id: uuid.UUID
    change: Change
    values: MemberValues


def _differs(before: MemberValues, now: MemberValues, columns: Sequence[str]) -> bool:
    return any(before.get(column) != now.get(column) for column in columns)


def delta_rows(
    previous: Mapping[uuid.UUID, MemberValues],
    current: Mapping[uuid.UUID, MemberValues],
    columns: Sequence[str],
) -> list[DeltaRow]:
    """New and changed members in `current`'s order, then the ended ones in `previous`'s;
    unchanged members are left out."""
    rows: list[DeltaRow] = []
    for contact_id, values in current.items():
        before = previous.get(contact_id)
        if before is None:
            rows.append(DeltaRow(contact_id, "new", values))
        elif _differs(before, values, columns):
            rows.append(DeltaRow(contact_id, "changed", values))
    rows.extend(
        DeltaRow(contact_id, "ended", values)
        for contact_id, values in previous.items()
        if contact_id not in current
    )
    return rows
