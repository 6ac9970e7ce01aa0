"""The index's tables as sqlmodel classes: the one definition of the index's schema. The index is a
cache of the files: no migrations — when SCHEMA_VERSION changes, the index is rebuilt from the files.

SCHEMA_VERSION lives in location.py (stdlib only), because the freshness check compares it on
every read without importing this module; raise it there when a table here changes."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import BigInteger, Index, text
from sqlmodel import Field, SQLModel

from .location import SCHEMA_VERSION  # noqa: F401  (the version of these tables, kept where the stdlib path reads it)


class FileRow(SQLModel, table=True):
    __tablename__ = "files"
    # Every read lists the files left out for their errors (cli.app.files_left_out): without this
    # index that is a scan of every row (0.1-0.2 s at 100,000 claims); with it, of the few.
    __table_args__ = (Index("ix_files_left_out", "path", sqlite_where=text("problems != '[]'"),
                            postgresql_where=text("problems != '[]'")),)
    path: str = Field(primary_key=True)
    kind: str
    ident: str
    size: int
    mtime_ns: int = Field(sa_type=BigInteger)  # nanoseconds since 1970 outgrow a 32-bit INTEGER (PostgreSQL's)
    sha256: str
    problems: str = "[]"  # JSON list of load problems for this file


class SideRow(SQLModel, table=True):
    __tablename__ = "sides"
    id: str = Field(primary_key=True)
    name: str
    colour: str
    ord: int


class ActorRow(SQLModel, table=True):
    __tablename__ = "actors"
    id: str = Field(primary_key=True)
    name: str
    side: Optional[str] = Field(default=None, index=True)  # none for a third party or an outlet
    role: Optional[str] = None
    aliases: str = "[]"  # JSON list
    ord: int
    kind: str = "person"  # vocab.ACTOR_KINDS


class IssueRow(SQLModel, table=True):
    __tablename__ = "issues"
    id: str = Field(primary_key=True)
    title: str
    question: str
    summary: Optional[str] = None
    tags: str = "[]"


class ClaimRow(SQLModel, table=True):
    __tablename__ = "claims"
    id: str = Field(primary_key=True)
    issue: str = Field(index=True)
    statement: str
    kind: str = Field(index=True)
    by: str = Field(index=True)
    said_on: str = Field(index=True)  # as written (EDTF): 2014-07-23, 2014-07, ../2014-07-24, unknown, ...
    said_on_sort: str = Field(index=True)  # where it sorts (dates.DateSpan.sort_key)
    said_on_inferred: bool = False
    said_on_note: Optional[str] = None
    status: str = Field(index=True)
    tags: str = "[]"
    said_on_first: str = Field(index=True)  # the first day it can mean, YYYY-MM-DD (0001-01-01 when open)
    said_on_last: str = Field(index=True)  # the last day it can mean (9999-12-31 when open)
    after: Optional[str] = None  # said after this claim, where the text says so
    against: str = "[]"  # JSON list of side or actor ids
    answers: str = "[]"  # JSON list of {against, note}


class LinkRow(SQLModel, table=True):
    __tablename__ = "links"
    src: str = Field(primary_key=True)
    type: str = Field(primary_key=True)
    dst: str = Field(primary_key=True, index=True)
    ord: int = 0
    basis: str = "analyst"  # reported (the text presents it) | analyst (the dataset's reading)
    note: Optional[str] = None


class StatusChangeRow(SQLModel, table=True):
    __tablename__ = "status_changes"
    claim_id: str = Field(primary_key=True)
    idx: int = Field(primary_key=True)
    on: str
    on_sort: str
    on_inferred: bool = False
    status: str
    note: str


class CitationRow(SQLModel, table=True):
    __tablename__ = "citations"
    claim_id: str = Field(primary_key=True)
    idx: int = Field(primary_key=True)
    source: str = Field(index=True)
    quote: str
    via: Optional[str] = None  # the old spelling of channel + reported_by
    note: Optional[str] = None
    start: Optional[int] = None  # the quote's span in the source body; NULL when not found
    end: Optional[int] = None
    anchored: bool = Field(default=False, index=True)  # the span was computed against the current body
    channel: Optional[str] = None
    reported_by: str = "[]"  # JSON list, nearest the speaker first
    reported_on: Optional[str] = None
    reported_on_inferred: bool = False


class SourceRow(SQLModel, table=True):
    __tablename__ = "sources"
    id: str = Field(primary_key=True)
    title: str
    outlet: str
    outlet_inferred: bool = False
    url: str
    author: str
    published: Optional[str] = None
    published_sort: Optional[str] = None
    published_inferred: bool = False
    published_note: Optional[str] = None
    retrieved: Optional[str] = None
    sha256: str
    notes: str = "[]"
    body: str
    original_sha256: Optional[str] = None
    copy_of: Optional[str] = None
    truncated: bool = False


class FtsRowRef(SQLModel, table=True):
    """Which full-text rows belong to which claim or source, so a change deletes them by rowid
    (the FTS5 table's own columns are not indexed)."""

    __tablename__ = "fulltext_rows"
    fts_rowid: int = Field(primary_key=True)
    ref: str = Field(index=True)
    kind: str


class MetaRow(SQLModel, table=True):
    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


def schema_sql() -> str:
    """The CREATE statements SQLAlchemy emits for these tables on SQLite. The index is created
    from schema.sql, a copy of this text, so that building it never imports SQLAlchemy; a test
    holds the two equal (regenerate with `python -m claimtrack.index.schema > src/claimtrack/index/schema.sql`)."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    dialect = sqlite.dialect()
    out = []
    for table in SQLModel.metadata.sorted_tables:
        out.append(str(CreateTable(table).compile(dialect=dialect)).strip() + ";")
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            out.append(str(CreateIndex(index).compile(dialect=dialect)).strip() + ";")
    return "\n\n".join(out) + "\n"


if __name__ == "__main__":
    print(schema_sql(), end="")
