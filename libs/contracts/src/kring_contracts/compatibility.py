"""The compatibility rule of the published event schemas, as a pure comparison.

A subscriber written against the baseline must read every event published from now on, and
a subscriber written today must read every event still in a topic. So, per topic and event
type, the current JSON Schema may differ from the baseline only by new optional properties.
Breaking: a property removed or renamed, a type, format, enum, constant or bound changed, a
new required property, a property no longer required, an event type or topic removed. A
breaking change comes as a new versioned topic (`kring.contacts.v2`) published beside the
old one, whose baseline stays satisfied.

Schemas are compared as pydantic writes them: `$ref`s into `#/$defs/`, `anyOf` for unions.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

Schema = Mapping[str, Any]
# topic -> event type -> the payload's JSON Schema
TopicSchemas = Mapping[str, Mapping[str, Schema]]

# Keywords that restrict which values are valid: any change of them changes the contract.
_RESTRICTING_KEYWORDS = (
    "format",
    "const",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "additionalProperties",
)
_UNIONS = ("anyOf", "oneOf", "allOf")
_DEFS = "#/$defs/"


@dataclass(frozen=True)
class _Side:
    """One schema with the root its `$ref`s point into."""

    node: Schema
    root: Schema

    def resolved(self) -> "_Side":
        seen: set[str] = set()
        node = self.node
        while isinstance(ref := node.get("$ref"), str) and ref.startswith(_DEFS):
            if ref in seen:
                break  # a cycle of plain references: compare what we have
            seen.add(ref)
            node = self.root.get("$defs", {})[ref.removeprefix(_DEFS)]
        return _Side(node, self.root)

    def child(self, node: Schema) -> "_Side":
        return _Side(node, self.root)


def breaking_changes(baseline: TopicSchemas, current: TopicSchemas) -> list[str]:
    """Every breaking difference of `current` from `baseline`, one sentence each; empty when
    `current` keeps the baseline's promise (new topics and event types are additions)."""
    problems: list[str] = []
    for topic, events in sorted(baseline.items()):
        if topic not in current:
            problems.append(f"{topic}: topic removed (it must stay published beside its v2)")
            continue
        for event_type, schema in sorted(events.items()):
            now = current[topic].get(event_type)
            if now is None:
                problems.append(f"{topic}: event type {event_type} removed")
                continue
            problems.extend(f"{topic}: {p}" for p in schema_breaks(schema, now, event_type))
    return problems


def schema_breaks(old: Schema, new: Schema, path: str = "") -> list[str]:
    """The breaking differences between two JSON Schemas of one message."""
    return list(_compare(_Side(old, old), _Side(new, new), path, depth=0))


def _compare(old: _Side, new: _Side, path: str, depth: int) -> Iterator[str]:
    if depth > 64:
        return  # a recursive schema: its first levels were compared
    old, new = old.resolved(), new.resolved()
    yield from _compare_types(old.node, new.node, path)
    yield from _compare_restrictions(old.node, new.node, path)
    yield from _compare_unions(old, new, path, depth)
    yield from _compare_properties(old, new, path, depth)
    for keyword in ("items", "additionalProperties"):
        old_items, new_items = old.node.get(keyword), new.node.get(keyword)
        if isinstance(old_items, Mapping) and isinstance(new_items, Mapping):
            yield from _compare(old.child(old_items), new.child(new_items), f"{path}[]", depth + 1)


def _type_set(schema: Schema) -> frozenset[str]:
    kind = schema.get("type")
    if kind is None:
        return frozenset()
    return frozenset([kind] if isinstance(kind, str) else kind)


def _compare_types(old: Schema, new: Schema, path: str) -> Iterator[str]:
    if _type_set(old) != _type_set(new):
        yield f"{path}: type changed from {_shown(old.get('type'))} to {_shown(new.get('type'))}"
    old_enum, new_enum = old.get("enum"), new.get("enum")
    if old_enum is None and new_enum is None:
        return
    if old_enum is None or new_enum is None:
        yield f"{path}: enum {'added' if old_enum is None else 'removed'}"
        return
    dropped = [v for v in old_enum if v not in new_enum]
    added = [v for v in new_enum if v not in old_enum]
    if dropped:
        yield f"{path}: enum narrowed, {_shown(dropped)} no longer allowed"
    if added:
        yield f"{path}: enum widened by {_shown(added)} (a subscriber on the baseline refuses it)"


def _compare_restrictions(old: Schema, new: Schema, path: str) -> Iterator[str]:
    for keyword in _RESTRICTING_KEYWORDS:
        before, after = old.get(keyword), new.get(keyword)
        if isinstance(before, Mapping) or isinstance(after, Mapping):
            continue  # a schema, compared as one
        if before != after:
            yield f"{path}: {keyword} changed from {_shown(before)} to {_shown(after)}"


def _compare_unions(old: _Side, new: _Side, path: str, depth: int) -> Iterator[str]:
    for keyword in _UNIONS:
        old_branches = old.node.get(keyword, [])
        new_branches = new.node.get(keyword, [])
        if not old_branches and not new_branches:
            continue
        unmatched_new = list(range(len(new_branches)))
        for branch in old_branches:
            match = next(
                (
                    i
                    for i in unmatched_new
                    if not any(
                        _compare(old.child(branch), new.child(new_branches[i]), path, depth + 1)
                    )
                ),
                None,
            )
            if match is None:
                yield f"{path}: {keyword} branch {_describe(old.child(branch))} changed or removed"
            else:
                unmatched_new.remove(match)
        for i in unmatched_new:
            yield f"{path}: {keyword} branch {_describe(new.child(new_branches[i]))} added"


def _compare_properties(old: _Side, new: _Side, path: str, depth: int) -> Iterator[str]:
    old_props: Mapping[str, Schema] = old.node.get("properties", {})
    new_props: Mapping[str, Schema] = new.node.get("properties", {})
    old_required = set(old.node.get("required", []))
    new_required = set(new.node.get("required", []))
    for name, schema in old_props.items():
        where = f"{path}.{name}" if path else name
        if name not in new_props:
            yield f"{where}: field removed or renamed"
            continue
        if name in old_required and name not in new_required:
            yield f"{where}: no longer required (a subscriber on the baseline needs it)"
        yield from _compare(old.child(schema), new.child(new_props[name]), where, depth + 1)
    for name in sorted(new_required - set(old_props)):
        where = f"{path}.{name}" if path else name
        yield f"{where}: new required field (events already published lack it)"
    for name in sorted((new_required & set(old_props)) - old_required):
        where = f"{path}.{name}" if path else name
        yield f"{where}: now required (events already published may lack it)"


def _describe(side: _Side) -> str:
    node = side.resolved().node
    return str(node.get("title") or node.get("type") or node.get("format") or "schema")


def _shown(value: Any) -> str:
    return "nothing" if value is None else repr(value)
