"""A team's shared index on PostgreSQL: `sync.sync` copies the local index into it, and
`reads.connect` reads it with the same queries as the local one.

The files stay the truth and the local SQLite index stays the cache every command refreshes; the
PostgreSQL database is one more copy of that index, made for a team (one server, many clones, and
the SQL tools a newsroom already has). It holds the tables of index/schema.py — the one definition, for
both engines — and, instead of SQLite's FTS5 table, a `fulltext` table with a `tsvector` column.

Only this package imports psycopg and SQLAlchemy, and only when a database URL is used:
    schema.py   the PostgreSQL tables (index/schema.py's, plus `fulltext`), made and checked
    sync.py     the incremental copy, in one transaction under an advisory lock
    reads.py    a connection that runs queries.py's SQL, and full-text search through tsvector
"""

from __future__ import annotations

from ..problems import ClaimtrackError


class DatabaseError(ClaimtrackError):
    """The database cannot be reached, or holds no claimtrack index: the message says what to do."""


_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def libpq_url(url: str) -> str:
    """The URL as libpq (psycopg) takes it: postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?...]."""
    for scheme in _SCHEMES:
        if url.startswith(scheme):
            return "postgresql://" + url[len(scheme):]
    raise DatabaseError(f"'{shown_url(url)}' is not a PostgreSQL URL — write postgresql://USER@HOST/DB")


def shown_url(url: str) -> str:
    """The URL with any password masked, for messages and output."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    userinfo, at, hostpart = rest.rpartition("@")
    if at and ":" in userinfo:
        userinfo = userinfo.split(":", 1)[0] + ":***"
    return f"{scheme}://{userinfo}{at}{hostpart}"
