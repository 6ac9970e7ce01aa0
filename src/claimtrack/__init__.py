"""claimtrack: track claims and counterclaims in a dispute, with verbatim citations.

The public API is re-exported lazily so that `claimtrack --help` stays fast: importing the package
does not import pydantic, YAML or SQLAlchemy until one of these names is used.
"""

from __future__ import annotations

__version__ = "0.1.0"

_EXPORTS = {
    "Problem": "problems",
    "ClaimtrackError": "problems",
    "DatasetNotFound": "problems",
    "UnknownId": "problems",
    "WriteRefused": "problems",
    "find_root": "store",
    "load_dataset": "store",
    "check_dataset": "check",
    "refresh_index": "index.refresh",
    "open_index": "index.refresh",
    "anchor_quote": "quotes",
    "normalise": "quotes",
    "init_dataset": "edit.init",
    "Claim": "model",
    "Citation": "model",
    "Source": "model",
    "Side": "model",
    "Actor": "model",
    "Issue": "model",
    "StatusChange": "model",
    "Dataset": "model",
    "KINDS": "vocab",
    "STATUSES": "vocab",
    "load_issue_view": "views.threads",
    "build_threads": "views.threads",
    "build_brief": "views.brief",
    "render_markdown": "views.brief",
    "render_html": "views.brief",
    "brief_json": "views.brief",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'claimtrack' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"claimtrack.{module}"), name)
    globals()[name] = value
    return value
