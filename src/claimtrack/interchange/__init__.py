"""The field's formats: exports of a claimtrack dataset, and imports back into one.

One module per format, each with pure functions over the read layer's records
(`export_x(bundle) -> str`) and, where the format can come back, `import_x(text) -> Imported`.
`bundle.py` gathers what an export needs from the index (threads.IssueView per issue, the archived
bodies) and what an import needs to write (the same validated `write.Transaction` as `add`).

What a format cannot hold but a claimtrack dataset requires (an archived source's text, a claim's
kind, its verbatim quotes) travels in one documented extension, `claimtrack`, written by the export
and read by the import; docs/interchange.md has the mapping table of each format. A file from
elsewhere, without that extension, is imported only when it carries everything: otherwise the import
says exactly what is missing and writes nothing. Nothing is ever invented.
"""

from __future__ import annotations

EXPORT_FORMATS = ("claimreview", "aif", "argdown", "dot", "mermaid", "csl", "annotations", "svg")
IMPORT_FORMATS = ("claimreview", "aif", "argdown")
SUFFIXES = {
    "claimreview": ".jsonld",
    "aif": ".aif.json",
    "argdown": ".argdown",
    "dot": ".dot",
    "mermaid": ".mmd",
    "csl": ".csl.json",
    "annotations": ".annotations.jsonld",
    "svg": ".svg",
}
