"""Writes a JSON Schema per event type (and the envelope) for external subscribers.

Usage: kring-write-schemas [OUTPUT_DIR]   (default: libs/contracts/schemas)
"""

import json
import sys
from pathlib import Path
from typing import Any

from kring_contracts.envelope import Envelope, EventPayload, event_type_for

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "schemas"


def event_schemas() -> dict[str, dict[str, Any]]:
    event_type_for("kring.contacts.contact.created")  # registers every payload module
    schemas: dict[str, dict[str, Any]] = {}
    for event_type, payload in sorted(EventPayload.registered().items()):
        if not payload.__module__.startswith("kring_contracts."):
            continue  # e.g. a test's own event type
        schema = payload.model_json_schema()
        schema["$id"] = f"urn:kring:event:{event_type}"
        schema["x-kring-topic"] = payload.topic
        schemas[event_type] = schema
    schemas["envelope"] = Envelope.model_json_schema()
    return schemas


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in event_schemas().items():
        path = out_dir / f"{name}.schema.json"
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written


def main() -> None:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    for path in write_schemas(out_dir):
        print(path)


if __name__ == "__main__":
    main()
