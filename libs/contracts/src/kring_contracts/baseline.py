"""The committed baseline of the published event schemas: one file per topic.

Usage: kring-contracts-baseline [--check]

Writes libs/contracts/baseline/<topic>.json (every event type of the topic with its JSON
Schema) and envelope.json. It refuses to write over a breaking change: that one needs a new
versioned topic beside the old one (see docs/events.md). `--check` writes nothing and exits 1
when the baseline is out of date or the change is breaking.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kring_contracts.compatibility import TopicSchemas, breaking_changes
from kring_contracts.schemas import event_schemas

BASELINE_DIR = Path(__file__).resolve().parents[2] / "baseline"
ENVELOPE = "envelope"
REGENERATE = "uv run kring-contracts-baseline"


def current_schemas() -> dict[str, dict[str, dict[str, Any]]]:
    """Topic -> event type -> JSON Schema as the contracts define them now; the envelope
    under its own name, compared like a topic of one message."""
    by_topic: dict[str, dict[str, dict[str, Any]]] = {}
    for name, schema in event_schemas().items():
        if name == ENVELOPE:
            by_topic[ENVELOPE] = {ENVELOPE: schema}
        else:
            by_topic.setdefault(schema["x-kring-topic"], {})[name] = schema
    return by_topic


def read_baseline(directory: Path = BASELINE_DIR) -> dict[str, dict[str, dict[str, Any]]]:
    baseline = {}
    for path in sorted(directory.glob("*.json")):
        content = json.loads(path.read_text())
        baseline[content["topic"]] = content["events"]
    return baseline


def write_baseline(schemas: TopicSchemas, directory: Path = BASELINE_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for topic, events in sorted(schemas.items()):
        path = directory / f"{topic}.json"
        content = {"topic": topic, "events": events}
        path.write_text(json.dumps(content, indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only tell, write nothing")
    parser.add_argument("--baseline-dir", type=Path, default=BASELINE_DIR)
    args = parser.parse_args(argv)
    directory: Path = args.baseline_dir
    current, baseline = current_schemas(), read_baseline(directory)
    problems = breaking_changes(baseline, current)
    if problems:
        print("Breaking changes against the baseline (publish them on a new versioned topic):")
        print("\n".join(f"  {problem}" for problem in problems))
        sys.exit(1)
    if current == baseline:
        print(f"the baseline in {directory} is up to date")
        return
    if args.check:
        print(f"additive changes only: run `{REGENERATE}` and commit {directory}")
        sys.exit(1)
    for path in write_baseline(current, directory):
        print(path)


if __name__ == "__main__":
    main()
