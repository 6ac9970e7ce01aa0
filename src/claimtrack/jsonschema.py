"""JSON Schemas of the file kinds, generated from the pydantic models, for editors: a YAML
language server (VS Code, Neovim, ...) given one offers completion and validation as you type.

Sources are Markdown with YAML front matter, so their schema describes the front matter only.
"""

from __future__ import annotations

import json

KINDS_OF_FILE = ("claim", "issue", "actors", "source")


def schema_of(kind: str) -> dict:
    """The JSON Schema of one kind of file (claim, issue, actors, or a source's front matter)."""
    from .model import ActorsFile, Claim, Issue, SourceMeta

    model = {"claim": Claim, "issue": Issue, "actors": ActorsFile, "source": SourceMeta}[kind]
    schema = model.model_json_schema()
    props = schema.get("properties", {})
    props.pop("id", None)  # the id comes from the file's path, never from a key
    if "required" in schema:
        schema["required"] = [r for r in schema["required"] if r != "id"]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"claimtrack {kind} file" if kind != "source" else "claimtrack source front matter"
    return schema


def schema_json(kind: str) -> str:
    return json.dumps(schema_of(kind), indent=2, ensure_ascii=False) + "\n"
