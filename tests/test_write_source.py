"""`claimtrack source add`: archiving text, Markdown and HTML, ids, hashes and duplicates."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.edit.archive import html_to_text, source_id
from claimtrack.check import check_dataset
from claimtrack.cli.app import app
from claimtrack.store import load_source_text, split_front_matter

runner = CliRunner()

ARTICLE = """\
Commission publishes March gauge readings

The River Commission on Tuesday published the gauge readings for March.   
Downstream's spokesperson called them "a vindication".
"""

PAGE = """\
<!doctype html>
<html><head>
<title>Gauges published | The River Times</title>
<meta property="og:site_name" content="The River Times">
<meta property="article:published_time" content="2024-05-14T08:00:00Z">
<link rel="canonical" href="https://rivertimes.example/gauges">
<script>var tracking = 1;</script><style>p { color: red }</style>
</head><body>
<h1>Gauges published</h1>
<p>The River Commission on Tuesday published the gauge readings
for March.</p>
<p>Downstream's spokesperson called them <em>“a vindication”</em>.</p>
</body></html>
"""


def add_source(root: Path, path: str, *options: str, input: str | None = None):
    return runner.invoke(app, ["source", "add", "--root", str(root), path, *options], input=input)


def written(root: Path, sid: str):
    source, problems = load_source_text(sid, (root / "sources" / f"{sid}.md").read_text())
    assert problems == []
    return source


def test_a_text_file_is_archived_with_its_metadata_and_hash(dataset, tmp_path):
    (tmp_path / "article.txt").write_text(ARTICLE)
    result = add_source(dataset, str(tmp_path / "article.txt"), "--title", "Commission publishes March gauge readings",
                        "--outlet", "The River Times", "--published", "2024-05-14", "--retrieved", "2024-06-01")
    assert result.exit_code == 0, result.output
    sid = "2024-05-14-the-river-times-commission-publishes-march-gauge"
    assert f"Archived sources/{sid}.md (4 lines" in result.stdout
    text = (dataset / "sources" / f"{sid}.md").read_text()
    body = ARTICLE  # verbatim: even the trailing spaces stay
    assert text == textwrap.dedent(f"""\
        ---
        title: Commission publishes March gauge readings
        outlet: The River Times
        url: unknown
        published: 2024-05-14
        retrieved: 2024-06-01
        author: unknown
        sha256: {hashlib.sha256(body.encode()).hexdigest()}
        ---
        """) + body


def test_the_dataset_checks_clean_after_archiving(dataset, tmp_path):
    (tmp_path / "a.md").write_text("# Heading\n\nSome *Markdown* text.\n")
    add_source(dataset, str(tmp_path / "a.md"), "--title", "A note")
    _, problems = check_dataset(dataset)
    assert problems == []


def test_html_becomes_clean_text_with_its_paragraphs(dataset, tmp_path):
    (tmp_path / "page.html").write_text(PAGE)
    result = add_source(dataset, str(tmp_path / "page.html"), "--title", "Gauges published", "--published", "2024-05-14", "--outlet", "The River Times")
    assert result.exit_code == 0, result.output
    source = written(dataset, "2024-05-14-the-river-times-gauges-published")
    assert source.body == (  # the headline is the source's title; the extractor keeps the article's text
        "The River Commission on Tuesday published the gauge readings for March.\n\n"
        "Downstream's spokesperson called them “a vindication”.\n"
    )


def test_html_is_recognised_without_a_suffix(dataset, tmp_path):
    (tmp_path / "download").write_text(PAGE)
    add_source(dataset, str(tmp_path / "download"), "--title", "Gauges published")
    assert "<p>" not in written(dataset, "2024-05-14-the-river-times-gauges-published").body


def test_html_metadata_fills_what_the_options_leave_out_and_says_so(dataset, tmp_path):
    (tmp_path / "page.html").write_text(PAGE)
    result = add_source(dataset, str(tmp_path / "page.html"))
    assert result.exit_code == 0, result.output
    assert "outlet (from the page): The River Times" in result.stderr
    source = written(dataset, "2024-05-14-the-river-times-gauges-published")
    assert (source.meta.title, source.meta.url, source.meta.published.value) == (
        "Gauges published", "https://rivertimes.example/gauges", "2024-05-14")
    assert source.meta.notes[-1] == "Title, outlet, url, published taken from the HTML page's metadata."


def test_the_standard_input_can_be_archived(dataset):
    result = add_source(dataset, "-", "--title", "Piped readings", "--published", "2024", input=ARTICLE)
    assert result.exit_code == 0, result.output
    assert written(dataset, "2024-unknown-piped-readings").body.startswith("Commission publishes")


def test_an_inferred_publication_date_carries_its_note(dataset, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    add_source(dataset, str(tmp_path / "a.txt"), "--title", "Readings", "--published", "2024-05-14",
               "--published-inferred", "the readings came out 'on Tuesday' after the May 10 report")
    published = written(dataset, "2024-05-14-unknown-readings").meta.published
    assert published.inferred and "on Tuesday" in published.note


def test_the_same_text_twice_is_recognised_and_named(dataset, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    add_source(dataset, str(tmp_path / "a.txt"), "--title", "Readings", "--published", "2024-05-14")
    files = sorted((dataset / "sources").iterdir())
    result = add_source(dataset, str(tmp_path / "a.txt"), "--title", "Another title")
    assert result.exit_code == 1
    assert result.stderr == "claimtrack: error: this text is already archived as sources/2024-05-14-unknown-readings.md — cite it as '2024-05-14-unknown-readings'; nothing was written\n"
    assert sorted((dataset / "sources").iterdir()) == files


def test_an_existing_source_is_never_overwritten(dataset, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text(ARTICLE + "A correction was appended.\n")
    add_source(dataset, str(tmp_path / "a.txt"), "--title", "Readings", "--published", "2024-05-14")
    first = (dataset / "sources/2024-05-14-unknown-readings.md").read_bytes()
    result = add_source(dataset, str(tmp_path / "b.txt"), "--title", "Readings", "--published", "2024-05-14")
    assert "Archived sources/2024-05-14-unknown-readings-2.md" in result.stdout
    assert (dataset / "sources/2024-05-14-unknown-readings.md").read_bytes() == first


def test_missing_title_without_a_terminal_is_a_usage_error(dataset, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    result = add_source(dataset, str(tmp_path / "a.txt"))
    assert result.exit_code == 2
    assert "give --title TEXT" in result.stderr
    assert len(list((dataset / "sources").iterdir())) == 2


def test_prompts_ask_for_what_is_missing(dataset, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    answers = "\n".join(["", "The River Times", "", "2024-05-14", "n", "the 'Tuesday' after the report", "Ana Ruiz", "2024-06-01"]) + "\n"
    result = add_source(dataset, str(tmp_path / "a.txt"), "--interactive", input=answers)
    assert result.exit_code == 0, result.output
    source = written(dataset, "2024-05-14-the-river-times-commission-publishes-march-gauge")
    assert source.meta.title == "Commission publishes March gauge readings"  # the first line, offered as default
    assert (source.meta.outlet, source.meta.url, source.meta.author) == ("The River Times", "unknown", "Ana Ruiz")
    assert source.meta.published.inferred
    assert source.meta.retrieved.value == "2024-06-01"  # asked, never today by default


def test_retrieved_is_unknown_without_a_terminal_or_the_option(dataset, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    result = add_source(dataset, str(tmp_path / "a.txt"), "--title", "Readings")
    assert result.exit_code == 0, result.output
    assert "\nretrieved: unknown\n" in (dataset / "sources" / "unknown-unknown-readings.md").read_text()


@pytest.mark.parametrize("option, message", [
    (("--published", "2999-01-01"), "published 2999-01-01 is in the future"),
    (("--published", "14 May"), "published: '14 May' is not a date"),
    (("--id", "Bad Id"), "'Bad Id' is not a valid source id"),
])
def test_bad_metadata_writes_nothing(dataset, tmp_path, option, message):
    (tmp_path / "a.txt").write_text(ARTICLE)
    result = add_source(dataset, str(tmp_path / "a.txt"), "--title", "T", *option)
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert len(list((dataset / "sources").iterdir())) == 2


def test_a_file_that_is_not_utf8_is_refused(dataset, tmp_path):
    (tmp_path / "a.txt").write_bytes("caf\xe9".encode("latin-1"))
    result = add_source(dataset, str(tmp_path / "a.txt"), "--title", "T")
    assert result.exit_code == 1
    assert "is not UTF-8" in result.stderr


def test_the_id_is_date_outlet_and_a_short_title():
    assert source_id("2025-11-05", "Arab News", "Pakistan's defense minister reaffirms talks with Afghanistan") == "2025-11-05-arab-news-pakistans-defense-minister-reaffirms"
    assert source_id("unknown", "unknown", "The talks") == "unknown-unknown-talks"


def test_html_to_text_drops_scripts_and_keeps_paragraph_breaks():
    assert html_to_text("<p>One</p><script>x()</script><p>Two<br>lines</p>") == "One\n\nTwo\nlines\n"


def test_a_text_is_kept_byte_for_byte_and_the_hash_covers_exactly_it(dataset, tmp_path):
    original = "Windows line endings\r\nand no final line break"
    (tmp_path / "a.txt").write_bytes(original.encode())
    add_source(dataset, str(tmp_path / "a.txt"), "--title", "CRLF", "--published", "2024")
    text = (dataset / "sources/2024-unknown-crlf.md").read_bytes().decode("utf-8")
    front, body, _ = split_front_matter(text)
    assert body == original
    assert hashlib.sha256(body.encode()).hexdigest() in front


def test_a_copy_that_differs_only_in_whitespace_and_quote_marks_is_recognised(dataset, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text(ARTICLE.replace("\n", "\r\n").replace('"a vindication"', "“a vindication”").rstrip())
    add_source(dataset, str(tmp_path / "a.txt"), "--title", "Readings", "--published", "2024-05-14")
    result = add_source(dataset, str(tmp_path / "b.txt"), "--title", "Readings again")
    assert result.exit_code == 1
    assert "already archived as sources/2024-05-14-unknown-readings.md" in result.stderr


def test_the_site_name_is_taken_off_an_html_title(tmp_path):
    from claimtrack.edit.archive import html_metadata

    page = '<html><head><title>Talks resume | Example Times</title><meta property="og:site_name" content="Example Times"></head><body><p>x</p></body></html>'
    meta = html_metadata(page)
    assert (meta["title"], meta["outlet"]) == ("Talks resume", "Example Times")
