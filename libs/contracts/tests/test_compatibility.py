"""The compatibility gate: the comparison on small schemas (so it cannot pass silently), then
the real contracts against the committed baseline."""

import json
import uuid
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel

from kring_contracts.baseline import (
    REGENERATE,
    current_schemas,
    main,
    read_baseline,
    write_baseline,
)
from kring_contracts.compatibility import breaking_changes, schema_breaks


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


class Address(BaseModel):
    street: str
    city: str


class Joined(BaseModel):
    contact_id: uuid.UUID
    group_name: str
    reason: Literal["added", "merged"]
    address: Address | None = None


def test_the_same_schema_has_no_breaking_change() -> None:
    assert schema_breaks(schema_of(Joined), schema_of(Joined)) == []


def test_a_new_optional_field_passes() -> None:
    class JoinedWithNote(Joined):
        note: str | None = None

    assert schema_breaks(schema_of(Joined), schema_of(JoinedWithNote)) == []


def test_a_new_optional_field_in_a_nested_object_passes() -> None:
    class AddressWithBox(BaseModel):
        street: str
        city: str
        box: str | None = None

    class JoinedWithBox(BaseModel):
        contact_id: uuid.UUID
        group_name: str
        reason: Literal["added", "merged"]
        address: AddressWithBox | None = None

    assert schema_breaks(schema_of(Joined), schema_of(JoinedWithBox)) == []


def test_a_removed_or_renamed_field_fails() -> None:
    class Renamed(BaseModel):
        contact_id: uuid.UUID
        name: str  # was group_name
        reason: Literal["added", "merged"]
        address: Address | None = None

    assert schema_breaks(schema_of(Joined), schema_of(Renamed)) == [
        "group_name: field removed or renamed",
        "name: new required field (events already published lack it)",
    ]


def test_a_type_change_fails() -> None:
    class CountedName(BaseModel):
        contact_id: uuid.UUID
        group_name: int
        reason: Literal["added", "merged"]
        address: Address | None = None

    assert schema_breaks(schema_of(Joined), schema_of(CountedName)) == [
        "group_name: type changed from 'string' to 'integer'"
    ]


def test_a_changed_format_fails() -> None:
    class LooseId(BaseModel):
        contact_id: str
        group_name: str
        reason: Literal["added", "merged"]
        address: Address | None = None

    assert schema_breaks(schema_of(Joined), schema_of(LooseId)) == [
        "contact_id: format changed from 'uuid' to nothing"
    ]


def test_a_narrowed_or_widened_enum_fails() -> None:
    def joined_with(reasons: Any) -> dict[str, Any]:
        model = type(
            "J", (BaseModel,), {"__annotations__": {"reason": reasons}, "__module__": __name__}
        )
        return schema_of(model)

    both = joined_with(Literal["added", "merged"])
    assert schema_breaks(both, joined_with(Literal["added", "imported"])) == [
        "reason: enum narrowed, ['merged'] no longer allowed",
        "reason: enum widened by ['imported'] (a subscriber on the baseline refuses it)",
    ]


def test_a_type_change_inside_a_nested_object_fails() -> None:
    class NumberedAddress(BaseModel):
        street: int
        city: str

    class Moved(BaseModel):
        contact_id: uuid.UUID
        group_name: str
        reason: Literal["added", "merged"]
        address: NumberedAddress | None = None

    assert schema_breaks(schema_of(Joined), schema_of(Moved)) == [
        "address: anyOf branch Address changed or removed",
        "address: anyOf branch NumberedAddress added",
    ]


def test_a_new_required_field_fails() -> None:
    class JoinedOn(Joined):
        joined_on: str

    assert schema_breaks(schema_of(Joined), schema_of(JoinedOn)) == [
        "joined_on: new required field (events already published lack it)"
    ]


def test_a_field_made_required_or_optional_fails() -> None:
    class AddressRequired(BaseModel):
        contact_id: uuid.UUID
        group_name: str
        reason: Literal["added", "merged"]
        address: Address | None

    class NameOptional(BaseModel):
        contact_id: uuid.UUID
        group_name: str = ""
        reason: Literal["added", "merged"]
        address: Address | None = None

    assert schema_breaks(schema_of(Joined), schema_of(AddressRequired)) == [
        "address: now required (events already published may lack it)"
    ]
    assert schema_breaks(schema_of(Joined), schema_of(NameOptional)) == [
        "group_name: no longer required (a subscriber on the baseline needs it)"
    ]


V1 = "kring.test.v1"
V2 = "kring.test.v2"


def test_a_removed_event_type_fails() -> None:
    baseline = {V1: {"kring.test.joined": schema_of(Joined), "kring.test.left": {}}}
    current = {V1: {"kring.test.joined": schema_of(Joined)}}
    assert breaking_changes(baseline, current) == [f"{V1}: event type kring.test.left removed"]


def test_a_removed_topic_fails() -> None:
    baseline = {V1: {"kring.test.joined": schema_of(Joined)}}
    assert breaking_changes(baseline, {}) == [
        f"{V1}: topic removed (it must stay published beside its v2)"
    ]


def test_a_breaking_change_on_a_v2_topic_beside_v1_passes() -> None:
    class JoinedV2(BaseModel):
        contact_id: uuid.UUID
        group_id: uuid.UUID  # replaces group_name: breaking, hence v2

    baseline = {V1: {"kring.test.joined": schema_of(Joined)}}
    beside = {
        V1: {"kring.test.joined": schema_of(Joined)},
        V2: {"kring.test.joined.v2": schema_of(JoinedV2)},
    }
    assert breaking_changes(baseline, beside) == []
    # v2 instead of v1: the subscribers of v1 lose their events.
    instead = {V2: {"kring.test.joined.v2": schema_of(JoinedV2)}}
    assert breaking_changes(baseline, instead) != []
    # The same change made on v1 itself fails.
    in_place = {V1: {"kring.test.joined": schema_of(JoinedV2)}}
    assert "group_name: field removed or renamed" in breaking_changes(baseline, in_place)[0]


def test_the_published_contracts_keep_the_committed_baseline() -> None:
    problems = breaking_changes(read_baseline(), current_schemas())
    assert not problems, (
        "Breaking changes to published events; publish them on a new versioned topic beside "
        "the old one instead (docs/events.md):\n" + "\n".join(problems)
    )


def test_the_committed_baseline_holds_every_published_schema() -> None:
    assert read_baseline() == current_schemas(), (
        f"The contracts changed additively: run `{REGENERATE}` and commit libs/contracts/baseline"
    )


def test_the_baseline_command_refuses_to_write_over_a_breaking_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    current = current_schemas()
    write_baseline(current, tmp_path)
    contacts = tmp_path / "kring.contacts.v1.json"
    published = json.loads(contacts.read_text())
    published["events"]["kring.contacts.contact.retired"] = {"type": "object"}
    contacts.write_text(json.dumps(published))

    with pytest.raises(SystemExit) as refused:
        main(["--baseline-dir", str(tmp_path)])
    assert refused.value.code == 1
    assert "event type kring.contacts.contact.retired removed" in capsys.readouterr().out
    assert "kring.contacts.contact.retired" in contacts.read_text()  # not written over


def test_the_baseline_command_writes_an_additive_change(tmp_path: Path) -> None:
    current = current_schemas()
    older = {topic: events for topic, events in current.items() if topic != "kring.access.v1"}
    write_baseline(older, tmp_path)
    with pytest.raises(SystemExit):
        main(["--baseline-dir", str(tmp_path), "--check"])
    main(["--baseline-dir", str(tmp_path)])
    assert read_baseline(tmp_path) == current
