"""Floors: the least each operation of claimtrack could cost, done the plainest way, stdlib + PyYAML.

    python benchmarks/floors.py parse|stat|insert|quotes|check ROOT

Each prints one line of JSON with `seconds` (the timed part, measured inside the process) and a
few counts. bench.py times `parse`, `stat` and `check` as whole processes, like the commands they
are held against; `insert` and `quotes` report only their timed part (the parse they need first is
not counted), as components of the build and check.

- parse:  read every claim, issue and actors file and every source's front matter, and parse it
          with PyYAML's C loader (yaml.CSafeLoader) — the floor of a full index build;
- stat:   list and stat every file and read the index's table of file stamps — the floor of a
          refresh with nothing changed;
- dirs:   stat only the folders — what a check that trusts folder mtimes would cost (reported
          beside refresh-noop, for comparison);
- insert: the rows claimtrack's index holds (files, claims, links, history, citations, sources
          with their bodies, issues, sides, actors, and the FTS5 rows), bulk-inserted with plain
          sqlite3 executemany in one transaction into a fresh database with the index's schema;
- quotes: every quote normalised (NFKC, one kind of quote mark and dash, whitespace collapsed) and
          found with `in` in its source's normalised body;
- check:  parse + the sha256 of every body + quotes, in one process — the floor of `check`.
- native: what a build spends in compiled code alone, with claimtrack's own libraries: read and
          hash every file and parse it with yaml-rs (the Rust parser claimtrack uses: `parse_s`),
          validate it with claimtrack's pydantic models (pydantic-core: `validate_s`), and
          bulk-insert the rows as claimtrack's first build does (no journal, no sync, secondary
          indexes after the rows: `insert_s`); `seconds` is their sum. No quote is anchored and
          no Python code of claimtrack's runs, so a build in this design cannot cost less; on
          two cores, with the insert in one process (SQLite has one writer), at least
          max(insert_s, seconds / 2) (bench.py reports it beside `build`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import yaml

LOADER = yaml.CSafeLoader

_TRANSLATE = str.maketrans(
    {**{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4"},
     **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
     **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}}
)


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_TRANSLATE).split())


def files(root: Path):
    """(kind, id, path) of every dataset file."""
    yield "actors", "", root / "claims" / "actors.yaml"
    for entry in os.scandir(root / "claims"):
        if entry.is_dir():
            for f in os.scandir(entry.path):
                if f.name.endswith(".yaml"):
                    if f.name == "_issue.yaml":
                        yield "issue", entry.name, Path(f.path)
                    else:
                        yield "claim", f"{entry.name}/{f.name[:-5]}", Path(f.path)
    for f in os.scandir(root / "sources"):
        if f.name.endswith(".md"):
            yield "source", f.name[:-3], Path(f.path)


def split(text: str) -> tuple[str, str]:
    end = text.index("\n---\n", 3)
    return text[4:end], text[end + 5 :]


def parse_all(root: Path) -> list[tuple[str, str, Path, bytes, dict, str | None]]:
    out = []
    for kind, ident, path in files(root):
        data = path.read_bytes()
        text = data.decode("utf-8")
        if kind == "source":
            front, body = split(text)
            out.append((kind, ident, path, data, yaml.load(front, Loader=LOADER), body))
        else:
            out.append((kind, ident, path, data, yaml.load(text, Loader=LOADER), None))
    return out


def floor_parse(root: Path) -> dict:
    t0 = time.perf_counter()
    parsed = parse_all(root)
    return {"seconds": time.perf_counter() - t0, "files": len(parsed)}


def floor_stat(root: Path) -> dict:
    t0 = time.perf_counter()
    stamps = {}
    for entry in os.scandir(root / "claims"):
        if entry.is_dir():
            prefix = f"claims/{entry.name}/"
            for f in os.scandir(entry.path):
                st = f.stat()
                stamps[prefix + f.name] = (st.st_size, st.st_mtime_ns)
        else:
            st = entry.stat()
            stamps[f"claims/{entry.name}"] = (st.st_size, st.st_mtime_ns)
    for f in os.scandir(root / "sources"):
        st = f.stat()
        stamps[f"sources/{f.name}"] = (st.st_size, st.st_mtime_ns)
    known = {}
    index = root / ".claimtrack" / "index.sqlite"
    if index.exists():
        conn = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
        try:
            known = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT path, size, mtime_ns FROM files")}
        except sqlite3.DatabaseError:
            pass
        conn.close()
    changed = sum(1 for rel, stamp in stamps.items() if known.get(rel) != stamp)
    return {"seconds": time.perf_counter() - t0, "files": len(stamps), "changed": changed}


def floor_dirs(root: Path) -> dict:
    """The mtimes of the folders only (claims/, each issue folder, sources/): what a freshness
    check costs that trusts folder mtimes to reveal added, removed and renamed files."""
    t0 = time.perf_counter()
    mtimes = {"claims": os.stat(root / "claims").st_mtime_ns, "sources": os.stat(root / "sources").st_mtime_ns}
    for entry in os.scandir(root / "claims"):
        if entry.is_dir():
            mtimes[entry.name] = entry.stat().st_mtime_ns
    return {"seconds": time.perf_counter() - t0, "folders": len(mtimes)}


def _date(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("value")
    return None if value is None else str(value)


def _rows(parsed) -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {k: [] for k in ("files", "claims", "links", "status_changes", "citations", "sources", "issues", "sides", "actors", "fts")}
    for kind, ident, path, data, doc, body in parsed:
        st = path.stat()
        rows["files"].append((f"{path.parent.name}/{path.name}", kind, ident, st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest(), "[]"))
        if kind == "claim":
            issue = ident.split("/", 1)[0]
            said = _date(doc["said_on"])
            rows["claims"].append((ident, issue, doc["statement"], doc["kind"], doc["by"], said, said, False, None, doc["status"], json.dumps(doc.get("tags", [])), said, said, None, "[]", "[]"))
            n = 0
            for t in ("rebuts", "supports", "supersedes"):
                for dst in doc.get(t, []):
                    rows["links"].append((ident, t, dst, n, "analyst", None))
                    n += 1
            for i, h in enumerate(doc.get("history", [])):
                on = _date(h["on"] if "on" in h else h.get(True))  # YAML 1.1 reads the key `on` as True
                rows["status_changes"].append((ident, i, on, on, False, h["status"], h["note"]))
            for i, c in enumerate(doc["citations"]):
                rows["citations"].append((ident, i, c["source"], c["quote"], c.get("via"), c.get("note"), None, None, False, None, "[]", None, False))
                rows["fts"].append((c["quote"], "quote", ident, issue))
            rows["fts"].append((doc["statement"], "claim", ident, issue))
        elif kind == "source":
            pub = _date(doc.get("published"))
            rows["sources"].append((ident, doc["title"], str(doc.get("outlet")), False, str(doc.get("url")), str(doc.get("author")),
                                    pub, pub, False, None, _date(doc.get("retrieved")), doc["sha256"], "[]", body, None, None, False))
            rows["fts"].append((f"{doc['title']}\n{body}", "source", ident, None))
        elif kind == "issue":
            rows["issues"].append((ident, doc["title"], doc["question"], doc.get("summary"), json.dumps(doc.get("tags", []))))
        elif kind == "actors":
            for i, s in enumerate(doc["sides"]):
                rows["sides"].append((s["id"], s["name"], s["colour"], i))
            for i, a in enumerate(doc.get("actors", [])):
                rows["actors"].append((a["id"], a["name"], a["side"], a.get("role"), json.dumps(a.get("aliases", [])), i, "person"))
    return rows


FALLBACK_SCHEMA = """
CREATE TABLE files (path TEXT PRIMARY KEY, kind TEXT, ident TEXT, size INT, mtime_ns INT, sha256 TEXT, problems TEXT);
CREATE TABLE claims (id TEXT PRIMARY KEY, issue TEXT, statement TEXT, kind TEXT, by TEXT, said_on TEXT, said_on_sort TEXT, said_on_inferred BOOL, said_on_note TEXT, status TEXT, tags TEXT, said_on_first TEXT, said_on_last TEXT);
CREATE TABLE links (src TEXT, type TEXT, dst TEXT, ord INT, PRIMARY KEY (src, type, dst));
CREATE TABLE status_changes (claim_id TEXT, idx INT, "on" TEXT, on_sort TEXT, on_inferred BOOL, status TEXT, note TEXT, PRIMARY KEY (claim_id, idx));
CREATE TABLE citations (claim_id TEXT, idx INT, source TEXT, quote TEXT, via TEXT, note TEXT, start INT, "end" INT, anchored BOOL, PRIMARY KEY (claim_id, idx));
CREATE TABLE sources (id TEXT PRIMARY KEY, title TEXT, outlet TEXT, outlet_inferred BOOL, url TEXT, author TEXT, published TEXT, published_sort TEXT, published_inferred BOOL, published_note TEXT, retrieved TEXT, sha256 TEXT, notes TEXT, body TEXT);
CREATE TABLE issues (id TEXT PRIMARY KEY, title TEXT, question TEXT, summary TEXT, tags TEXT);
CREATE TABLE sides (id TEXT PRIMARY KEY, name TEXT, colour TEXT, ord INT);
CREATE TABLE actors (id TEXT PRIMARY KEY, name TEXT, side TEXT, role TEXT, aliases TEXT, ord INT);
CREATE VIRTUAL TABLE fts USING fts5(text, kind UNINDEXED, ref UNINDEXED, issue UNINDEXED, tokenize='unicode61 remove_diacritics 2');
"""


def _schema(root: Path) -> list[str]:
    """The CREATE statements of claimtrack's own index when one exists (same tables, same
    secondary indexes), else a plain equivalent."""
    index = root / ".claimtrack" / "index.sqlite"
    if index.exists():
        try:
            conn = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
            sql = [r[0] for r in conn.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'fts_%' AND name NOT LIKE 'sqlite_%' ORDER BY type = 'index', rowid")]
            conn.close()
            if any("CREATE TABLE files" in s or "CREATE TABLE \"files\"" in s for s in sql):
                return sql
        except sqlite3.DatabaseError:
            pass
    return [s for s in FALLBACK_SCHEMA.strip().split(";\n") if s.strip()]


def floor_insert(root: Path) -> dict:
    rows = _rows(parse_all(root))
    schema = _schema(root)
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "floor.sqlite", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        for stmt in schema:
            conn.execute(stmt)
        cols = {t: len(r[0]) for t, r in rows.items() if r}
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        for table, n in cols.items():
            table_cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')][:n] if table != "fts" else ["text", "kind", "ref", "issue"]
            names = ", ".join(f'"{c}"' for c in table_cols)
            conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * n)})', rows[table])
        conn.execute("COMMIT")
        seconds = time.perf_counter() - t0
        conn.close()
    return {"seconds": seconds, "rows": sum(len(r) for r in rows.values())}


def _quotes(parsed) -> int:
    bodies = {ident: body for kind, ident, _, _, _, body in parsed if kind == "source"}
    by_source: dict[str, list[str]] = {}
    for kind, _, _, _, doc, _ in parsed:
        if kind == "claim":
            for c in doc["citations"]:
                by_source.setdefault(c["source"], []).append(c["quote"])
    missing = 0
    for sid, quotes in by_source.items():
        body = normalise(bodies.get(sid, ""))
        for q in quotes:
            if normalise(q) not in body:
                missing += 1
    return missing


def floor_quotes(root: Path) -> dict:
    parsed = parse_all(root)
    t0 = time.perf_counter()
    missing = _quotes(parsed)
    return {"seconds": time.perf_counter() - t0, "missing": missing}


def floor_check(root: Path) -> dict:
    t0 = time.perf_counter()
    parsed = parse_all(root)
    bad_hash = 0
    for kind, _, _, _, doc, body in parsed:
        if kind == "source" and hashlib.sha256(body.encode("utf-8")).hexdigest() != doc["sha256"]:
            bad_hash += 1
    missing = _quotes(parsed)
    return {"seconds": time.perf_counter() - t0, "missing": missing, "bad_hash": bad_hash}


def floor_native(root: Path) -> dict:
    """The build's compiled parts alone, each timed by itself (see the module's docstring)."""
    import yaml_rs

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from claimtrack.model import ActorsFile, Claim, Issue, SourceMeta

    models = {"claim": Claim, "issue": Issue, "actors": ActorsFile, "source": SourceMeta}
    paths = list(files(root))
    t0 = time.perf_counter()
    docs = []
    for kind, ident, path in paths:
        data = path.read_bytes()
        hashlib.sha256(data).hexdigest()
        text = data.decode("utf-8")
        front = split(text)[0] if kind == "source" else text
        docs.append((kind, ident, yaml_rs.loads(front, parse_datetime=False)))
    t1 = time.perf_counter()
    for kind, ident, doc in docs:
        models[kind].model_validate({**doc, "id": ident} if kind in ("claim", "issue") else doc)
    t2 = time.perf_counter()
    rows = _rows(parse_all(root))
    schema = _schema(root)
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "floor.sqlite", isolation_level=None)
        conn.execute("PRAGMA journal_mode=OFF")  # as claimtrack's first build: no journal, no sync,
        conn.execute("PRAGMA synchronous=OFF")  # the secondary indexes made after the rows
        for stmt in schema:
            if not stmt.lstrip().upper().startswith("CREATE INDEX"):
                conn.execute(stmt)
        if any("VIRTUAL TABLE fts" in stmt for stmt in schema):
            conn.execute("INSERT INTO fts(fts, rank) VALUES ('hashsize', 67108864)")  # as claimtrack's index
        t3 = time.perf_counter()
        conn.execute("BEGIN")
        for table, batch in rows.items():
            if batch:
                names = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')][: len(batch[0])] if table != "fts" else ["text", "kind", "ref", "issue"]
                quoted = ", ".join(f'"{c}"' for c in names)
                conn.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(names))})', batch)
        for stmt in schema:
            if stmt.lstrip().upper().startswith("CREATE INDEX"):
                conn.execute(stmt)
        conn.execute("COMMIT")
        t4 = time.perf_counter()
        conn.close()
    return {"seconds": (t2 - t0) + (t4 - t3), "parse_s": t1 - t0, "validate_s": t2 - t1, "insert_s": t4 - t3, "files": len(docs)}


FLOORS = {"native": floor_native, "parse": floor_parse, "stat": floor_stat, "dirs": floor_dirs, "insert": floor_insert, "quotes": floor_quotes, "check": floor_check}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in FLOORS:
        print(f"usage: floors.py {{{'|'.join(FLOORS)}}} ROOT", file=sys.stderr)
        return 2
    print(json.dumps(FLOORS[argv[0]](Path(argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
