"""The team database's tables: those of index/schema.py (the one definition of the index), made on
PostgreSQL by SQLAlchemy, and `fulltext`, PostgreSQL's counterpart of SQLite's FTS5 table.

Two things differ from the SQLite index, both in how the tables are made, not in what they hold:
text columns compare with the "C" collation, so that ORDER BY gives the byte order SQLite gives
(a database made with en_US.UTF-8 would otherwise sort "a-b" after "ab"), and `fulltext_rows`,
the bookkeeping of the FTS5 table's rowids, is not needed: `fulltext` is an ordinary table,
indexed on the claim or source it belongs to.

Like the local index, the database is a cache: no migrations. When the stored schema differs from
this one, sync drops claimtrack's tables and fills them again from the files.
"""

from __future__ import annotations

from functools import lru_cache

from ..index.location import SCHEMA_VERSION

PG_SCHEMA = f"{SCHEMA_VERSION}+pg1"  # bump the +pgN part when this module's tables change
SQLITE_ONLY = frozenset({"fulltext_rows"})
TS_CONFIG = "simple"  # lower-cased words, no stemming, no stop words: FTS5's unicode61 as near as it gets


@lru_cache(maxsize=1)
def metadata():
    """The tables as a SQLAlchemy MetaData of their own (index/schema.py's are left as they are)."""
    from sqlalchemy import BigInteger, Column, Computed, Identity, Index, MetaData, String, Table, Text
    from sqlalchemy.dialects.postgresql import TSVECTOR
    from sqlmodel import SQLModel

    from ..index import schema  # noqa: F401  (defines the sqlmodel tables on SQLModel.metadata)

    md = MetaData()
    for table in SQLModel.metadata.sorted_tables:
        if table.name in SQLITE_ONLY:
            continue
        copy = table.to_metadata(md)
        for column in copy.columns:
            if isinstance(column.type, String):
                column.type = String(collation="C")
    text = String(collation="C")
    Table(
        "fulltext", md,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("kind", text, nullable=False),  # claim | quote | source, as in SQLite's fts table
        Column("ref", text, nullable=False),  # the claim's id (claim, quote) or the source's
        Column("issue", text),
        Column("text", Text, nullable=False),
        Column("tsv", TSVECTOR, Computed(f"to_tsvector('{TS_CONFIG}'::regconfig, text)", persisted=True)),
        Index("ix_fulltext_ref", "ref"),
        Index("ix_fulltext_tsv", "tsv", postgresql_using="gin"),
    )
    return md


def table_names() -> list[str]:
    return [t.name for t in metadata().sorted_tables]


def ensure(conn) -> bool:
    """Make the tables when they are missing or of another schema (dropping claimtrack's own
    tables only). Runs inside the sync's transaction, after its lock. True when (re)made."""
    from sqlalchemy import inspect, text

    md = metadata()
    present = set(inspect(conn).get_table_names())
    if "meta" in present:
        row = conn.execute(text("SELECT value FROM meta WHERE key = 'schema'")).first()
        if row is not None and row[0] == PG_SCHEMA and present >= set(table_names()):
            return False
    md.drop_all(conn, checkfirst=True)
    md.create_all(conn)
    conn.execute(md.tables["meta"].insert(), [{"key": "schema", "value": PG_SCHEMA}])
    return True
