"""What a reader sees, made from the index: threads (`threads.py`, pure), the terminal and `--json`
shapes (`render.py`), briefs (`brief.py` and `templates/`), and thread maps (`threadmap.py`)."""
