"""`kringctl dlq`: the dead letters of every consumer group, one by one, and their replay."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kring_contracts import dlq_topic
from kring_ops.config import deployment
from kring_ops.errors import NOT_FOUND, OpsError, run
from kring_ops.output import age, console
from kring_platform.dlq_replay import (
    DeadLetter,
    dlq_sources,
    parse_dead_letter_id,
    pending_dead_letters,
    replay_dlq,
)

app = typer.Typer(
    help="Dead letters: messages a consumer parked, and their replay.", no_args_is_help=True
)


async def all_pending(bootstrap: str) -> list[DeadLetter]:
    """Every pending dead letter of every consumer group, oldest first per DLQ."""
    letters: list[DeadLetter] = []
    for topic, group in dlq_sources():
        letters.extend(await pending_dead_letters(topic, group, bootstrap))
    return letters


def _preview(data: bytes | None, width: int = 60) -> str:
    if data is None:
        return "-"
    text = data.decode(errors="replace").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command("list")
def list_letters(ctx: typer.Context) -> None:
    """Pending dead letters per consumer group: id, topic, key, error, attempts, age."""
    letters = run(all_pending(deployment(ctx).need_kafka()))
    if not letters:
        console.print("no pending dead letters")
        return
    table = Table("id", "group", "topic", "key", "error", "attempts", "age")
    for letter in letters:
        table.add_row(
            letter.id,
            letter.group,
            letter.topic,
            _preview(letter.key, 40),
            _preview(letter.header("error").encode(), 80),
            letter.header("attempts") or "-",
            age(letter.parked_at),
        )
    console.print(table)
    console.print(f"{len(letters)} pending dead letter(s)")


async def _find(bootstrap: str, letter_id: str) -> DeadLetter:
    topic, group, _, _ = parse_dead_letter_id(letter_id)
    for letter in await pending_dead_letters(topic, group, bootstrap):
        if letter.id == letter_id:
            return letter
    raise OpsError(
        f"no pending dead letter {letter_id} (replayed, expired or never parked)", NOT_FOUND
    )


@app.command()
def show(
    ctx: typer.Context,
    letter_id: Annotated[
        str, typer.Argument(metavar="ID", help="<dlq topic>:<partition>:<offset>")
    ],
) -> None:
    """One dead letter whole: its headers (the reason, where it came from) and its value."""
    letter = run(_find(deployment(ctx).need_kafka(), letter_id))
    table = Table("field", "value", show_header=False)
    table.add_row("id", letter.id)
    table.add_row("consumer group", letter.group)
    table.add_row("topic", letter.topic)
    table.add_row("key", _preview(letter.key, 200))
    table.add_row("parked", f"{letter.parked_at.isoformat()} ({age(letter.parked_at)} ago)")
    for name, value in letter.headers.items():
        table.add_row(name, value)
    console.print(table)
    console.print(letter.value.decode(errors="replace") if letter.value else "(no value)")


def _chosen_sources(topic: str | None, group: str | None) -> list[tuple[str, str]]:
    """The (topic, group) DLQs that --topic / --group leave; refused when none."""
    chosen = [
        (t, g)
        for t, g in dlq_sources()
        if (topic is None or t == topic) and (group is None or g == group)
    ]
    if not chosen:
        raise OpsError(f"no DLQ of topic {topic or 'any'} and group {group or 'any'}", NOT_FOUND)
    return chosen


async def _replay(
    bootstrap: str, letter_id: str | None, topic: str | None, group: str | None
) -> list[tuple[str, int]]:
    if letter_id is not None:
        letter = await _find(bootstrap, letter_id)
        count = await replay_dlq(letter.topic, letter.group, bootstrap, offsets={letter.offset})
        return [(dlq_topic(letter.topic, letter.group), count)]
    return [
        (dlq_topic(source, of_group), await replay_dlq(source, of_group, bootstrap))
        for source, of_group in _chosen_sources(topic, group)
    ]


@app.command()
def replay(
    ctx: typer.Context,
    letter_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="<dlq topic>:<partition>:<offset>")
    ] = None,
    replay_all: Annotated[bool, typer.Option("--all", help="Every pending dead letter")] = False,
    topic: Annotated[
        str | None, typer.Option(help="With --all: only the DLQs of this topic")
    ] = None,
    group: Annotated[
        str | None, typer.Option(help="With --all: only the DLQs of this consumer group")
    ] = None,
) -> None:
    """Put one dead letter (or --all, of a --topic / --group) back on its topic, after the
    fix is deployed."""
    if (letter_id is None) == (not replay_all):
        raise typer.BadParameter("give one dead letter ID or --all")
    if letter_id is not None and (topic or group):
        raise typer.BadParameter("--topic and --group go with --all")
    counts = run(_replay(deployment(ctx).need_kafka(), letter_id, topic, group))
    for source, count in counts:
        if count:
            console.print(f"replayed {count} from {source}")
    console.print(f"{sum(count for _, count in counts)} dead letter(s) replayed")
