"""`export` and `import`: a dataset in the field's formats, and claims brought back from them.

Each command parses its options, calls claimtrack.interchange, and prints; the formats' mappings
live in claimtrack/interchange/ and docs/interchange.md. Only typer, the stdlib and claimtrack.cli.app
are imported at start-up.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import RootOption, app, fail, guarded, resolve_root, safe_line

from .reading import fresh_index
from .complete import complete_issue


class ExportFormat(str, Enum):
    claimreview = "claimreview"
    aif = "aif"
    argdown = "argdown"
    dot = "dot"
    mermaid = "mermaid"
    csl = "csl"
    annotations = "annotations"
    svg = "svg"


class ImportFormat(str, Enum):
    claimreview = "claimreview"
    aif = "aif"
    argdown = "argdown"


def _note(text: str) -> None:
    typer.echo(safe_line(text), err=True)


@app.command("export")
def export_command(
    issue: Annotated[Optional[str], typer.Argument(metavar="ISSUE", help="The issue to export (an issue id); or use --all.", show_default=False, autocompletion=complete_issue)] = None,
    format: Annotated[Optional[ExportFormat], typer.Option("--format", "-f", help="claimreview, aif, argdown, dot, mermaid, csl, annotations or svg (see docs/interchange.md).", show_default=False)] = None,
    all_issues: Annotated[bool, typer.Option("--all", help="Export every issue into one file.")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file (default: print).", show_default=False)] = None,
    publisher: Annotated[Optional[str], typer.Option("--publisher", help="claimreview: the organisation publishing the reviews (required: claimtrack never poses as the fact-checker).", show_default=False)] = None,
    review_url: Annotated[Optional[str], typer.Option("--url", help="claimreview: the page the reviews are published on; each review's url is URL#<claim id>.", show_default=False)] = None,
    root: RootOption = None,
) -> None:
    """Export an issue (or --all) as ClaimReview, AIF, Argdown, DOT, Mermaid, CSL-JSON, Web Annotations or an SVG map.

    Examples:

      claimtrack export sanctuary -f argdown -o sanctuary.argdown

      claimtrack export sanctuary -f svg -o sanctuary.svg

      claimtrack export --all -f claimreview --publisher "Example Fact Desk" -o reviews.json
    """
    from ..index import queries as q

    if format is None:
        fail("choose a format with --format (claimreview, aif, argdown, dot, mermaid, csl, annotations or svg)", 2)
    if (issue is None) == (not all_issues):
        fail("give one ISSUE or --all (not both)", 2)
    if format is ExportFormat.claimreview and not (publisher and publisher.strip()):
        fail("ClaimReview needs --publisher NAME: the organisation that publishes the reviews (claimtrack never poses as the fact-checker)", 2)
    where = resolve_root(root)
    conn = fresh_index(where)
    if issue is not None:
        guarded(lambda: q.get_issue(conn, issue))

    def run() -> str:
        from ..interchange import aif, argdown, bundle, claimreview, csl, graph, webannotation

        b = bundle.load_bundle(where, conn, issue)
        writers = {
            "claimreview": lambda: claimreview.export_claimreview(b, publisher.strip(), review_url),
            "aif": lambda: aif.export_aif(b),
            "argdown": lambda: argdown.export_argdown(b),
            "dot": lambda: graph.export_dot(b),
            "mermaid": lambda: graph.export_mermaid(b),
            "csl": lambda: csl.export_csl(b),
            "annotations": lambda: webannotation.export_annotations(b),
            "svg": lambda: svg_map(b),
        }
        text = writers[format.value]()
        for item in b.left_out if format.value in ("claimreview", "aif", "argdown", "dot", "mermaid") else []:
            _note(f"note: left out {item}")
        if format is ExportFormat.claimreview:
            _note(f"note: {len(claimreview.assessed(b))} of {len(b.claims)} claims carry an assessment (a status other than asserted or disputed) and are exported")
            if not review_url:
                _note("note: no --url given, so the reviews have no 'url' (Google requires one: the page that publishes them)")
        return text

    def svg_map(b) -> str:
        from ..views.brief import brief_from_view
        from ..views.threadmap import issue_svg

        return issue_svg([brief_from_view(view) for view in b.views])

    text = guarded(run)
    if output is None:
        typer.echo(text, nl=False)
        return
    from ..paths import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc} — choose another -o path")
    _note(f"Wrote {output}")


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The file to import ('-' for standard input).")],
    format: Annotated[ImportFormat, typer.Option("--format", "-f", help="claimreview, aif or argdown (see docs/interchange.md).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be written, and write nothing.")] = False,
    root: RootOption = None,
) -> None:
    """Import claims (with their actors, issues and sources) from ClaimReview, AIF or Argdown.

    Everything goes through the same validation as 'claimtrack add': all is written, or nothing.

    Examples:

      claimtrack import -f argdown sanctuary.argdown

      claimtrack export sanctuary -f aif | claimtrack --root ../copy import -f aif -
    """
    import sys

    where = resolve_root(root)
    name = "<stdin>" if str(file) == "-" else str(file)
    try:
        raw = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        fail(f"cannot read {name}: {exc.strerror or exc}", 2)
    except UnicodeDecodeError as exc:
        fail(f"{name} is not UTF-8 (byte {exc.start}) — save it as UTF-8", 2)

    from ..interchange import aif, argdown, claimreview
    from ..interchange.bundle import ImportRefused, write_imported

    readers = {"claimreview": claimreview.import_claimreview, "aif": aif.import_aif, "argdown": argdown.import_argdown}
    try:
        imported = readers[format.value](text)
    except ValueError as exc:  # json.JSONDecodeError is a ValueError, with a line
        line = getattr(exc, "lineno", 0)
        fail(f"{name}:{line}: not {format.value} ({getattr(exc, 'msg', exc)}) — is --format right?")
    except Exception as exc:  # a YAML error in Argdown front matter or data
        mark = getattr(exc, "problem_mark", None)
        fail(f"{name}:{mark.line + 1 if mark else 0}: cannot read it as {format.value}: {str(exc).splitlines()[0]}")
    try:
        result = guarded(lambda: write_imported(where, imported, name, dry_run))
    except ImportRefused as exc:
        for p in exc.problems:
            _note(p.format())
        fail(f"{len(exc.problems)} problem{'s' * (len(exc.problems) != 1)} in the import — nothing was written")
    verb = "would write" if dry_run else "wrote"
    for rel in result.paths:
        typer.echo(f"{verb} {rel}")
    for rel in result.skipped:
        typer.echo(f"already there, the same: {rel}")
    if dry_run:
        for rel in result.paths:
            typer.echo(f"\n--- {rel}")
            typer.echo(safe_block(result.texts[rel]), nl=False)
    for p in result.warnings:
        _note(p.format())
    for note in imported.notes:
        _note(f"note: {note}")
    for item in imported.unmapped:
        _note(f"no place in claimtrack: {item}")
    claims = sum(rel.startswith("claims/") and not rel.endswith(("_issue.yaml", "actors.yaml")) for rel in result.paths)
    _note(f"{'Would import' if dry_run else 'Imported'} {claims} claim{'s' * (claims != 1)} ({len(result.paths)} file{'s' * (len(result.paths) != 1)}{', nothing written' if dry_run else ''})")


def safe_block(text: str) -> str:
    """A file's text for the terminal: control characters (but not line breaks) shown as escapes."""
    return "\n".join(safe_line(line) for line in text.split("\n"))
