"""Where a database still holds a person's values: every text-like column (text, varchar,
arrays, json, jsonb) of every table, searched for each value, case-insensitively, as a
substring. What an erasure test asserts is empty."""

from collections.abc import Iterable
from dataclasses import dataclass

import psycopg
from psycopg import sql

# information_schema's names of the types whose text a value can hide in.
_TEXT_TYPES = ("text", "character varying", "character", "ARRAY", "json", "jsonb")


@dataclass(frozen=True)
class FoundValue:
    table: str
    column: str
    value: str


def _dsn(database_url: str) -> str:
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def find_values(database_url: str, values: Iterable[str]) -> list[FoundValue]:
    """Each (table, column, value) where a row's column contains the value; `database_url`
    may be a SQLAlchemy (`postgresql+psycopg://`) or a libpq URL."""
    wanted = sorted({value.lower() for value in values if value})
    found: list[FoundValue] = []
    with psycopg.connect(_dsn(database_url)) as conn:
        columns = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " JOIN information_schema.tables USING (table_schema, table_name)"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            " AND data_type = ANY(%s) ORDER BY table_name, column_name",
            (list(_TEXT_TYPES),),
        ).fetchall()
        for table, column in columns:
            query = sql.SQL(
                "SELECT v FROM unnest(%s::text[]) AS v WHERE EXISTS"
                " (SELECT 1 FROM {} WHERE strpos(lower({}::text), v) > 0)"
            ).format(sql.Identifier(table), sql.Identifier(column))
            for (value,) in conn.execute(query, (wanted,)).fetchall():
                found.append(FoundValue(table=table, column=column, value=value))
    return found
