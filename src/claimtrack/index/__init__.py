"""The index: a SQLite cache of the dataset, rebuilt from the files whenever they change.

- `location.py`: where a dataset's index file lives, and SCHEMA_VERSION, the one version of the
  schema (stdlib: the freshness check compares it on every read).
- `schema.py`: the tables, defined once with sqlmodel; `schema.sql` is generated from them
  (`python -m claimtrack.index.schema > src/claimtrack/index/schema.sql`, a test holds them
  equal), and is what the stdlib path executes, so building the index never imports SQLAlchemy.
- `refresh.py`: the freshness check (a stat walk, or the watcher's word) and `open_index`, stdlib only.
- `build.py`: turns changed files into rows, each made from its model by the table's column names
  (pydantic and YAML, imported only when a file changed).
- `watchstate.py`: what the watcher last said, read by the freshness check.
- `queries.py`: the SQL every reading command uses, returning frozen records whose fields are
  the columns' names (the SELECT lists come from them) and which own their JSON (`to_dict()`).

What sqlmodel is for at run time: the schema (schema.py, and schema.sql made from it) and the
shared PostgreSQL index (teamdb/, where SQLAlchemy makes the same tables). Nothing reads through
it: reads use the stdlib sqlite3 (or psycopg for teamdb), because importing sqlmodel costs about
as much CPU time as a whole `claimtrack show` on a fresh index (0.59 s against 0.51 s here; the
figures are in docs/architecture.md, "What sqlmodel is for").
"""
