"""The index: a SQLite cache of the dataset, rebuilt from the files whenever they change.

- `location.py`: where a dataset's index file lives (stdlib).
- `schema.py`: the tables, defined once with sqlmodel; `schema.sql` is generated from them
  (`python -m claimtrack.index.schema > src/claimtrack/index/schema.sql`), and is what the
  stdlib path executes, so building the index never imports SQLAlchemy.
- `refresh.py`: the freshness check (a stat walk, or the watcher's word) and `open_index`, stdlib only.
- `build.py`: turns changed files into rows (pydantic and YAML, imported only when a file changed).
- `watchstate.py`: what the watcher last said, read by the freshness check.
- `queries.py`: the SQL every reading command uses, returning frozen records.
"""
