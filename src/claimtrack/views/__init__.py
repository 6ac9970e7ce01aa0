"""What a reader sees, made from the index: threads (`threads.py`, pure), the terminal's drawings
(`render.py`, rich), the `--json` documents (`jsonout.py`, stdlib only: each record's own shape is
its `to_dict()`), how a date reads in every view (`datewords.py`), briefs (`brief.py` and
`templates/`), and thread maps (`threadmap.py`)."""
