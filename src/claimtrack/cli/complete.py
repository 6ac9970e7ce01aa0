"""Shell completion of issue, claim, side, actor and source ids, read from the index."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
import typer.core



_COMPLETE_SQL = {
    "issue": "SELECT id, title FROM issues ORDER BY id",
    "claim": "SELECT id, statement FROM claims ORDER BY id",
    "side": "SELECT id, name FROM sides ORDER BY ord",
    "actor": "SELECT id, name FROM actors ORDER BY ord",
    "source": "SELECT id, title FROM sources ORDER BY id",
}


def _completion_root(ctx) -> Optional[Path]:
    from ..paths import find_root

    given = None
    while ctx is not None and given is None:
        given = (ctx.params or {}).get("root")
        ctx = ctx.parent
    try:
        return find_root(given)
    except Exception:
        return None


def complete_ids(ctx, incomplete: str, *kinds: str) -> list[tuple[str, str]]:
    """(id, what it is) for every id of these kinds starting with `incomplete`, from the index
    as it is on disk; [] when there is no dataset, no index yet, or anything else goes wrong."""
    import sqlite3

    try:
        from ..index.refresh import index_path

        root = _completion_root(ctx)
        if root is None:
            return []
        path = index_path(root)
        if not path.is_file():
            return []
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            out = []
            for kind in kinds:
                for ident, help_ in conn.execute(_COMPLETE_SQL[kind]):
                    if ident.startswith(incomplete):
                        out.append((ident, " ".join(str(help_ or kind).split())[:60]))
            return out
        finally:
            conn.close()
    except Exception:  # completion never breaks the shell: no suggestions instead
        return []


def complete_issue(ctx: typer.Context, incomplete: str):
    return complete_ids(ctx, incomplete, "issue")


def complete_claim(ctx: typer.Context, incomplete: str):
    return complete_ids(ctx, incomplete, "claim")


def complete_ref(ctx: typer.Context, incomplete: str):
    """An issue or a claim (show, browse): the issues, and their claims once something is typed."""
    return complete_ids(ctx, incomplete, *(("issue", "claim") if incomplete else ("issue",)))


def complete_side(ctx: typer.Context, incomplete: str):
    return complete_ids(ctx, incomplete, "side")


def complete_actor(ctx: typer.Context, incomplete: str):
    return complete_ids(ctx, incomplete, "actor")


def complete_source(ctx: typer.Context, incomplete: str):
    return complete_ids(ctx, incomplete, "source")
