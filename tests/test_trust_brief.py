"""Nothing injected: the HTML brief of a dataset whose every text field is hostile holds no element,
attribute or URL from the data, in whichever order the briefs were rendered and with a fresh or a
warm template cache; the Markdown brief is escaped once; and `brief -o` refuses every destination
that writing over would damage (issue 10, items 1 and 2).

Briefs are rendered by real processes, each with TMPDIR in tmp_path: the template cache lives
there, and it is shared between processes, which is where the injection came from.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli.app import app
from conftest import assert_one_error_line, run_claimtrack, run_in_process, tree_digest, write_dataset

runner = CliRunner()

# Every text field of the hostile dataset holds all of these.
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"onmouseover=alert(1) x="'
URL = "javascript:alert(1)"
STYLE_END = "</style>"
IMG = "<img src=x onerror=alert(1)>"
H = f"{SCRIPT} {ATTRIBUTE} {URL} {STYLE_END} {IMG}"
HOSTILE_URL = "https://example.org/s?q='onmouseover='alert(1)'"  # <, > and " in a url are refused by [bad-url]  # <, > and " are refused by [bad-url]
# A URL that is http(s), so it is linked: its quote marks must stay inside the attribute.
LINKED_URL = "https://example.org/x'onmouseover='alert(1)'"


def y(text: str) -> str:
    """A YAML scalar holding `text` exactly (JSON strings are YAML)."""
    return json.dumps(text)


def hostile_source(title: str, url: str, inferred_outlet: bool) -> tuple[str, str]:
    body = f"{H}\n\nA report: {H} said so.\nThe second account: {H} denied it.\n"
    outlet = f"{{value: {y(H)}, inferred: true, note: {y(H)}}}" if inferred_outlet else y(H)
    front = (
        f"---\ntitle: {y(title)}\noutlet: {outlet}\nurl: {y(url)}\npublished: 2024-03-02\nretrieved: 2024-06-01\n"
        f"author: {y(H)}\nnotes: [{y(H)}]\nsha256: {hashlib.sha256(body.encode('utf-8')).hexdigest()}\n---\n"
    )
    return front, body


def write_hostile(root: Path) -> Path:
    """A dataset whose every text field (side and actor names, roles, aliases, the issue's title,
    question and summary, statements, notes, quotes, via, the sources' title, outlet, URL, author,
    notes and bodies) holds SCRIPT, ATTRIBUTE, URL, STYLE_END and IMG."""
    actors = f"""\
sides:
  - {{id: one, name: {y(H + " one")}, colour: "#1f77b4"}}
  - {{id: two, name: {y(H + " two")}, colour: "#d62728"}}
actors:
  - {{id: a1, name: {y(H + " a1")}, side: one, role: {y(H)}, aliases: [{y(H)}]}}
  - {{id: a2, name: {y(H + " a2")}, side: two, role: {y(H)}}}
"""
    issue = f"title: {y(H)}\nquestion: {y(H)}\nsummary: {y(H)}\ntags: [x]\n"
    cite = f"citations:\n  - {{source: s-one, quote: {y(H)}, via: {y(H)}, note: {y(H)}}}\n  - {{source: s-two, quote: {y('A report: ' + H)}}}\n"
    claims = {
        "hx/accuse": f"statement: {y(H + ' accuses')}\nkind: accusation\nby: a1\nsaid_on: {{value: 2024-03-02, inferred: true, note: {y(H)}}}\n"
        f"status: superseded\nhistory:\n  - {{on: 2024-03-02, status: disputed, note: {y(H)}}}\n  - {{on: 2024-05, status: superseded, note: {y(H)}}}\n{cite}",
        "hx/deny": f"statement: {y('denies ' + H)}\nkind: denial\nby: a2\nsaid_on: 2024-03-03\nstatus: asserted\nrebuts: [hx/accuse]\n{cite}",
        "hx/support": f"statement: {y('supports the denial, ' + H + ', at length')}\nkind: statement\nby: a2\nsaid_on: 2024-04\nstatus: asserted\nsupports: [hx/deny]\n{cite}",
        "hx/change": f"statement: {y('a change of position: ' + H + ' — concedes the point')}\nkind: concession\nby: a1\nsaid_on: 2024-05\nstatus: disputed\nsupersedes: [hx/accuse]\n"
        f"history:\n  - {{on: 2024-05, status: disputed, note: {y(H)}}}\n{cite}",
    }
    write_dataset(root, claims=claims, actors=actors, issues={"hx": issue}, sources={})
    # A url must be http(s) with a host ([bad-url]): the payload rides in its path and query.
    for source_id, url, inferred in (("s-one", HOSTILE_URL, True), ("s-two", LINKED_URL, False)):
        front, body = hostile_source(H, url, inferred)
        (root / "sources" / f"{source_id}.md").write_text(front + body, encoding="utf-8")
    return root


class Page(HTMLParser):
    """What a browser would build from the page: its elements, attributes and text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)


# A text fragment (issue 16): nothing after `#:~:text=` but unreserved characters and %HH escapes.
TEXT_FRAGMENT = re.compile(r"^(.*)#:~:text=[A-Za-z0-9._~%]+(?:,[A-Za-z0-9._~%]+)?$")


def assert_nothing_injected(html: str) -> None:
    page = Page(html)
    names = [tag for tag, _ in page.tags]
    assert "script" not in names and "img" not in names, names
    assert names.count("style") == 1  # the page's own stylesheet, and no other
    for tag, attrs in page.tags:
        for name, value in attrs:
            numeric_svg_x = name == "x" and tag in ("rect", "text") and re.fullmatch(r"-?[0-9.]+", value or "")  # the thread map's own
            assert not name.startswith("on") and (name != "x" or numeric_svg_x), (tag, name, value)
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
            if name == "href" and TEXT_FRAGMENT.match(value or ""):  # a quote's link: the URL, then its words percent-encoded
                value = TEXT_FRAGMENT.match(value).group(1)
            assert "alert" not in (value or "") or value in (LINKED_URL, HOSTILE_URL), (tag, name, value)
            if name in ("href", "src", "action"):
                assert value.startswith("#") or value.endswith(".html") or value in (LINKED_URL, HOSTILE_URL), (tag, name, value)
    assert not any("alert" in s for s in page.styles), "data inside the <style> element"
    # The data is there, as text: escaped, not dropped.
    text = "".join(page.text)
    assert text.count(SCRIPT) >= 10 and STYLE_END in text and URL in text and ATTRIBUTE in text


def assert_markdown_escaped_once(md: str) -> None:
    assert "&amp;lt;" not in md and "&amp;gt;" not in md and "&amp;quot;" not in md
    assert "<script" not in md and "</style" not in md and "<img" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = write_hostile(tmp_path / "ds")
    check = run_in_process("check", "--root", str(root))
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()
    return root


def render(root: Path, fmt: str, tmpdir: Path) -> str:
    tmpdir.mkdir(exist_ok=True)
    result = run_claimtrack("brief", "hx", "-f", fmt, "--root", str(root), env={"TMPDIR": str(tmpdir)})
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""
    return result.stdout.decode("utf-8")


def test_the_hostile_fixture_puts_the_payload_in_every_text_field(hostile):
    """The fixture's promise, checked: every field that is text holds the whole payload."""
    result = run_in_process("brief", "hx", "-f", "json", "--root", str(hostile))
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    fields = [data["issue"]["title"], data["issue"]["question"], data["issue"]["summary"]]
    fields += [s["name"] for s in data["sides"]]
    for c in data["claims"]:
        fields += [c["statement"], c["actor"], c["actor_role"], c["said_on_note"] or H]
        fields += [h["note"] for h in c["history"]] + [x["quote"] for x in c["citations"]]
    for s in data["sources"]:
        fields += [s["title"], s["outlet"], s["author"]] + [x["quote"] for x in s["quotes"]]
    assert data["claims"][0]["said_on_note"] == H
    assert {s["url"] for s in data["sources"]} == {HOSTILE_URL, LINKED_URL}
    assert all(H in f for f in fields), [f for f in fields if H not in f]


@pytest.mark.parametrize("order", [("md", "html"), ("html", "md")])
def test_the_html_brief_holds_nothing_from_the_data_in_either_order_fresh_or_warm(hostile, tmp_path, order):
    before = tree_digest(hostile)
    cache = tmp_path / "tmp"
    out = {}
    for rendering in ("fresh", "warm"):  # the second round finds every template compiled
        for fmt in order:
            out[fmt, rendering] = render(hostile, fmt, cache)
    for rendering in ("fresh", "warm"):
        assert_nothing_injected(out["html", rendering])
        assert_markdown_escaped_once(out["md", rendering])
    assert out["html", "fresh"] == out["html", "warm"] and out["md", "fresh"] == out["md", "warm"]
    assert tree_digest(hostile) == before


def test_the_cache_never_changes_a_brief(hostile, tmp_path):
    """The HTML brief rendered after the Markdown one (sharing a cache) is byte for byte the one
    rendered with an empty cache; and the same for the Markdown brief after the HTML one."""
    alone_html = render(hostile, "html", tmp_path / "a")
    alone_md = render(hostile, "md", tmp_path / "b")
    render(hostile, "md", tmp_path / "c")
    assert render(hostile, "html", tmp_path / "c") == alone_html
    render(hostile, "html", tmp_path / "d")
    assert render(hostile, "md", tmp_path / "d") == alone_md


def test_the_index_page_of_all_briefs_holds_nothing_from_the_data(hostile, tmp_path):
    cache = tmp_path / "tmp"
    render(hostile, "md", cache)
    out = tmp_path / "out"
    result = run_claimtrack("brief", "--all", "-f", "html", "-o", str(out), "--root", str(hostile), env={"TMPDIR": str(cache)})
    assert result.returncode == 0, result.stderr.decode()
    assert_nothing_injected((out / "hx.html").read_text(encoding="utf-8"))
    page = Page((out / "index.html").read_text(encoding="utf-8"))
    assert not [t for t, _ in page.tags if t in ("script", "img")]
    assert [v for t, a in page.tags for n, v in a if n == "href"] == ["hx.html"]
    assert SCRIPT in "".join(page.text)


def test_the_markdown_brief_rendered_as_html_holds_nothing_from_the_data(hostile, tmp_path):
    """As GitHub or a Markdown viewer would show it (raw HTML allowed): no element from the data."""
    from markdown_it import MarkdownIt

    md = render(hostile, "md", tmp_path / "tmp")
    page = Page(MarkdownIt("commonmark", {"html": True}).render(md))
    assert not [t for t, _ in page.tags if t in ("script", "img", "style")]
    assert not [(t, n) for t, a in page.tags for n, v in a if n.startswith("on") or "javascript:" in (v or "")]
    assert SCRIPT in "".join(page.text)


def test_a_cache_that_cannot_be_read_is_no_cache(hostile, tmp_path):
    """Compiled templates that are garbage (a full disk, a crash mid-write) are compiled again."""
    cache = tmp_path / "tmp"
    good = render(hostile, "html", cache)
    files = list(cache.rglob("__claimtrack_*.cache"))
    assert files
    for f in files:
        f.write_bytes(b"not a compiled template")
    assert render(hostile, "html", cache) == good


# --- brief -o: where a brief may go -----------------------------------------------------------


def brief_to(root: Path, output: str | Path, *more: str, code: int = 0):
    result = runner.invoke(app, ["brief", "flow", "-o", str(output), "--root", str(root), *more])
    assert result.exit_code == code, result.output
    return result


def assert_refused(result, *words: str) -> str:
    assert result.exit_code == 2, result.output
    line = assert_one_error_line(result.stderr)
    assert result.stdout == ""
    for w in words:
        assert w in line, line
    return line


@pytest.mark.parametrize("target", ["claims/flow/down-accuses-cut.yaml", "claims/actors.yaml", "sources/2024-03-02-daily-river-flow-dispute.md"])
def test_brief_o_refuses_to_write_over_a_file_of_the_dataset(dataset, target):
    before = tree_digest(dataset)
    line = assert_refused(brief_to(dataset, dataset / target, code=2), "inside the dataset's", "write it outside claims/, sources/ and .claimtrack/")
    assert target.split("/")[0] + "/" in line
    assert tree_digest(dataset) == before


@pytest.mark.parametrize("target", ["claims/brief.md", "claims/flow/brief.html", "sources/brief.md", ".claimtrack/brief.md"])
def test_brief_o_refuses_a_new_file_inside_the_datasets_folders(dataset, target):
    assert runner.invoke(app, ["check", "--root", str(dataset)]).exit_code == 0
    before = tree_digest(dataset)
    assert_refused(brief_to(dataset, dataset / target, code=2), "inside the dataset's")
    assert not (dataset / target).exists()
    assert tree_digest(dataset) == before


def test_brief_o_refuses_the_index(dataset):
    brief_to(dataset, dataset.parent / "first.md")  # builds the index
    index = dataset / ".claimtrack" / "index.sqlite"
    before = index.read_bytes()
    assert_refused(brief_to(dataset, index, code=2), ".claimtrack/", "which holds the index")
    assert index.read_bytes() == before


def test_brief_o_through_a_symlinked_folder_into_claims_is_refused(dataset, tmp_path):
    """Symbolic links in the path are resolved first: the real destination is what counts."""
    (tmp_path / "innocent").symlink_to(dataset / "claims" / "flow")
    before = tree_digest(dataset)
    line = assert_refused(brief_to(dataset, tmp_path / "innocent" / "down-accuses-cut.yaml", code=2), "inside the dataset's claims/")
    assert str(dataset / "claims" / "flow" / "down-accuses-cut.yaml") in line  # the real path is shown
    assert tree_digest(dataset) == before


def test_brief_o_refuses_a_symlink_and_leaves_it_and_its_target_alone(dataset, tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert_refused(brief_to(dataset, link, code=2), "is a symbolic link", "not a regular file", "-o -")
    assert link.is_symlink() and target.read_text() == "keep me\n"


def test_brief_o_refuses_a_named_pipe_without_opening_it(dataset, tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    assert_refused(brief_to(dataset, fifo, code=2), "named pipe (FIFO)")  # opening it for writing would block
    assert fifo.is_fifo()


@pytest.mark.parametrize("device", ["/dev/full", "/dev/null"])
def test_brief_o_refuses_a_device_and_leaves_it_a_device(dataset, device):
    assert_refused(brief_to(dataset, device, code=2), "character device")
    assert Path(device).is_char_device()


def test_brief_o_refuses_a_folder_where_the_brief_would_go(dataset, tmp_path):
    """-o DIR writes DIR/ISSUE.md; if that is itself a folder, it is not replaced."""
    (tmp_path / "out" / "flow.md").mkdir(parents=True)
    (tmp_path / "out" / "flow.md" / "keep.txt").write_text("x")
    assert_refused(brief_to(dataset, tmp_path / "out", code=2), "is a folder")
    assert (tmp_path / "out" / "flow.md" / "keep.txt").read_text() == "x"


def test_brief_all_into_claims_is_refused_and_writes_nothing(dataset):
    before = tree_digest(dataset)
    result = runner.invoke(app, ["brief", "--all", "-o", str(dataset / "claims"), "--root", str(dataset)])
    assert_refused(result, "inside the dataset's claims/")
    assert tree_digest(dataset) == before


def test_brief_all_with_one_refused_destination_writes_none(dataset, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.md").symlink_to(dataset / "claims" / "actors.yaml")
    before = tree_digest(dataset)
    result = runner.invoke(app, ["brief", "--all", "-o", str(out), "--root", str(dataset)])
    assert_refused(result, "index.md", "symbolic link")
    assert sorted(p.name for p in out.iterdir()) == ["index.md"]  # flow.md was not written either
    assert tree_digest(dataset) == before


def test_brief_o_still_replaces_a_regular_file_outside_the_dataset(dataset, tmp_path):
    old = tmp_path / "brief.md"
    old.write_text("last week's brief\n")
    result = brief_to(dataset, old)
    assert result.exit_code == 0, result.output
    assert old.read_text(encoding="utf-8").startswith("# The dam's flow")


def test_brief_o_dash_streams_the_brief_to_stdout(dataset):
    before = tree_digest(dataset)
    result = brief_to(dataset, "-", "-f", "html")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.endswith("</html>\n")
    assert result.stderr == ""
    assert not (Path.cwd() / "-").exists()
    assert tree_digest(dataset) == before


def test_brief_o_dash_gives_the_same_markdown_as_no_o(dataset):
    streamed = brief_to(dataset, "-")
    plain = runner.invoke(app, ["brief", "flow", "--root", str(dataset)])
    assert streamed.exit_code == plain.exit_code == 0
    assert streamed.stdout == plain.stdout and streamed.stdout.startswith("# The dam's flow")


def test_brief_all_to_dash_is_a_usage_error(dataset):
    result = runner.invoke(app, ["brief", "--all", "-o", "-", "--root", str(dataset)])
    assert_refused(result, "give a folder with -o DIR")
