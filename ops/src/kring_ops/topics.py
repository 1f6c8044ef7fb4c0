"""`kringctl topics ensure`: every topic of kring_contracts as the contracts say."""

from __future__ import annotations

import typer
from rich.table import Table

from kring_contracts import TOPICS
from kring_ops.config import deployment
from kring_ops.errors import fail, run
from kring_ops.output import console
from kring_platform.topics import TopicState, describe_topics, ensure_topics_async

app = typer.Typer(help="Kafka topics of libs/contracts.", no_args_is_help=True)


async def _ensure(bootstrap: str) -> tuple[list[str], list[TopicState]]:
    changed = await ensure_topics_async(bootstrap)
    return changed, await describe_topics(bootstrap)


@app.command()
def ensure(ctx: typer.Context) -> None:
    """Create missing topics, grow partitions, reset configs; show each as the broker has it."""
    changed, states = run(_ensure(deployment(ctx).need_kafka()))
    wanted = {spec.name: spec for spec in TOPICS}
    table = Table("topic", "partitions", "retention.ms", "cleanup", "state")
    off_spec = []
    for state in states:
        spec = wanted[state.name]
        as_spec = state.partitions is not None and state.partitions >= spec.partitions
        as_spec = as_spec and state.configs == spec.topic_configs()
        if not as_spec:
            off_spec.append(state.name)
        table.add_row(
            state.name,
            str(state.partitions),
            state.configs.get("retention.ms", "-"),
            state.configs.get("cleanup.policy", "delete"),
            "changed" if state.name in changed else ("ok" if as_spec else "differs"),
        )
    console.print(table)
    if off_spec:
        raise fail(f"{len(off_spec)} topic(s) still differ from the contracts")
    console.print(f"{len(states)} topics as in the contracts; {len(changed)} created or changed")
