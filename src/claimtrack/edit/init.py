"""Starting a dataset: empty, or a copy of the example that ships with the package."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from ..problems import ClaimtrackError

EMPTY_ACTORS = """\
# Sides and actors of the dispute. See docs/format.md.
sides: []
actors: []
"""

README = """\
# A claimtrack dataset

claims/   one folder per issue: _issue.yaml and one YAML file per claim; actors.yaml
sources/  archived sources: YAML front matter + the text, verbatim

Run `claimtrack check` to validate, `claimtrack issues` to read.
"""


def example_dir() -> Path:
    """The example dataset: packaged in a wheel, or the repository's own in a source checkout."""
    packaged = resources.files("claimtrack") / "example"
    if packaged.is_dir() and (Path(str(packaged)) / "claims").is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "claims").is_dir() and (checkout / "sources").is_dir() and (checkout / "pyproject.toml").exists():
        return checkout
    raise ClaimtrackError("the example dataset is not in this installation — reinstall claimtrack from its wheel or repository")


def init_dataset(target: Path, example: bool = False) -> Path:
    """Create a dataset at `target` (which must not hold claims/ or sources/ yet)."""
    target = target.resolve()
    for name in ("claims", "sources"):
        if (target / name).exists():
            raise ClaimtrackError(f"{target / name} already exists — choose an empty folder, nothing was changed")
    if target.exists() and not target.is_dir():
        raise ClaimtrackError(f"{target} is a file — choose a folder")
    target.mkdir(parents=True, exist_ok=True)
    if example:
        src = example_dir()
        shutil.copytree(src / "claims", target / "claims", ignore=shutil.ignore_patterns(".*", "__pycache__"))
        shutil.copytree(src / "sources", target / "sources", ignore=shutil.ignore_patterns(".*", "__pycache__"))
    else:
        (target / "claims").mkdir()
        (target / "sources").mkdir()
        (target / "claims" / "actors.yaml").write_text(EMPTY_ACTORS, encoding="utf-8")
        if not (target / "README.md").exists():
            (target / "README.md").write_text(README, encoding="utf-8")
    gitignore = target / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(".claimtrack/\n", encoding="utf-8")
    return target
