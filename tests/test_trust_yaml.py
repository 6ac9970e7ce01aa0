"""What the YAML says is what was meant (issue 10, items 4 and 9).

A key given twice in one mapping is a located error `[duplicate-key]` at the second one, in every
kind of file (PyYAML would silently keep the last); a merge key (`<<`) may still be overridden.
A source's url is a web address (http or https, with a host) or `unknown`: anything else is a
located `[bad-url]` in an existing file, and `source add` refuses it with one line."""

from __future__ import annotations

import json

import pytest

from conftest import ISSUE, assert_one_error_line, replace_once, run_in_process, tree_digest

CLAIM_FILE = "claims/flow/up-denies-cut.yaml"
SOURCE_ID = "2024-03-02-daily-river-flow-dispute"
SOURCE_FILE = f"sources/{SOURCE_ID}.md"


def problems_of(root, code: str) -> list[dict]:
    done = run_in_process("check", "--format", "json", cwd=root)
    assert b"Traceback" not in done.stderr, done.stderr
    problems = json.loads(done.stdout)["problems"]
    assert done.returncode == (1 if any(p["severity"] == "error" for p in problems) else 0), problems
    found = [p for p in problems if p["code"] == code]
    return found


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the nth line of `text` that starts (after indentation) with `needle`."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if line.lstrip(" -").startswith(needle)]
    return hits[nth - 1]


# ------------------------------------------------------------------------------ duplicate keys


def test_a_top_level_key_given_twice_in_a_claim_is_located_at_the_second(dataset):
    path = dataset / CLAIM_FILE
    path.write_text(path.read_text(encoding="utf-8") + "status: refuted\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    found = problems_of(dataset, "duplicate-key")
    assert found == [{"path": CLAIM_FILE, "line": line_of(text, "status:", 2), "code": "duplicate-key", "severity": "error",
                      "message": f"the key 'status' is given twice (first at line {line_of(text, 'status:')}) — keep one: YAML would silently use the last"}]


def test_the_text_form_prints_the_located_line(dataset):
    path = dataset / CLAIM_FILE
    replace_once(path, "kind: denial\n", "kind: denial\nkind: rebuttal\n")
    done = run_in_process("check", cwd=dataset)
    assert done.returncode == 1
    first = done.stdout.decode("utf-8").splitlines()[0]
    assert first == f"{CLAIM_FILE}:3: error: the key 'kind' is given twice (first at line 2) — keep one: YAML would silently use the last"


def test_a_key_given_twice_in_a_nested_mapping_is_found(dataset):
    path = dataset / "claims/flow/down-accuses-cut.yaml"
    replace_once(path, "    status: disputed\n", "    status: disputed\n    status: asserted\n")
    text = path.read_text(encoding="utf-8")
    found = problems_of(dataset, "duplicate-key")
    assert [(p["path"], p["line"]) for p in found] == [("claims/flow/down-accuses-cut.yaml", line_of(text, "status: asserted"))]


def test_a_key_given_twice_in_a_flow_mapping_is_found(dataset):
    path = dataset / "claims/flow/commission-gauges.yaml"
    replace_once(path, "said_on: {value: 2024-05-10,", "said_on: {value: 2024-05-10, value: 2024-05-11,")
    found = problems_of(dataset, "duplicate-key")
    assert [(p["line"], "'value'" in p["message"]) for p in found] == [(4, True)]


def test_a_key_given_twice_in_an_issue_file_is_found(dataset):
    path = dataset / "claims/flow/_issue.yaml"
    path.write_text(ISSUE + "title: Another title\n", encoding="utf-8")
    found = problems_of(dataset, "duplicate-key")
    assert [(p["path"], p["line"]) for p in found] == [("claims/flow/_issue.yaml", 4)]


def test_a_key_given_twice_in_actors_yaml_is_found(dataset):
    path = dataset / "claims/actors.yaml"
    replace_once(path, "    name: Lena Ortiz\n", "    name: Lena Ortiz\n    name: Someone Else\n")
    text = path.read_text(encoding="utf-8")
    found = problems_of(dataset, "duplicate-key")
    assert [(p["path"], p["line"]) for p in found] == [("claims/actors.yaml", line_of(text, "name: Someone Else"))]


def test_a_key_given_twice_in_a_source_front_matter_is_located_in_the_file(dataset):
    path = dataset / SOURCE_FILE
    replace_once(path, "outlet: Daily River\n", "outlet: Daily River\noutlet: Nightly River\n")
    text = path.read_text(encoding="utf-8")
    found = problems_of(dataset, "duplicate-key")
    assert [(p["path"], p["line"]) for p in found] == [(SOURCE_FILE, line_of(text, "outlet: Nightly"))]
    assert f"(first at line {line_of(text, 'outlet: Daily')})" in found[0]["message"]


def test_status_refuses_a_claim_whose_file_has_a_key_twice(dataset):
    path = dataset / CLAIM_FILE
    path.write_text(path.read_text(encoding="utf-8") + "status: asserted\n", encoding="utf-8")
    before = tree_digest(dataset)
    done = run_in_process("status", "flow/up-denies-cut", "refuted", "--note", "n", cwd=dataset)
    assert done.returncode == 1
    assert "has errors" in assert_one_error_line(done.stderr)
    assert tree_digest(dataset) == before


def test_a_merge_key_may_be_overridden_but_not_given_twice():
    from claimtrack.store import DuplicateKey, parse_yaml

    base = "base: &b {k: 1, j: 2}\nuse:\n  <<: *b\n  k: 3\n"
    assert parse_yaml(base)["use"] == {"k": 3, "j": 2}
    with pytest.raises(DuplicateKey) as caught:
        parse_yaml(base + "  k: 4\n")
    assert caught.value.problem_mark.line + 1 == 5 and caught.value.first_line == 4


def test_distinct_keys_that_look_alike_are_not_duplicates():
    from claimtrack.store import parse_yaml

    assert parse_yaml("a: 1\nA: 2\n'a ': 3\nb: {a: 1}\nc: [{a: 1}, {a: 2}]\n") == {"a": 1, "A": 2, "a ": 3, "b": {"a": 1}, "c": [{"a": 1}, {"a": 2}]}


# ---------------------------------------------------------------------------------------- urls


BAD_URLS = ["javascript:alert(1)", "JavaScript://example.org/%0aalert(1)", "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd", "ftp://example.org/x", "//example.org/x", "https://", "http:///path",
            "https://exa mple.org/", "https://example.org/a\"onmouseover=alert(1)", "https://[::1", "example.org"]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_url_that_is_not_a_web_address_is_a_located_error(dataset, url):
    path = dataset / SOURCE_FILE
    replace_once(path, "url: unknown\n", f"url: {json.dumps(url)}\n")
    text = path.read_text(encoding="utf-8")
    found = problems_of(dataset, "bad-url")
    assert [(p["path"], p["line"]) for p in found] == [(SOURCE_FILE, line_of(text, "url:"))]
    assert "give an http:// or https:// URL with a host, or unknown" in found[0]["message"]


def test_an_inferred_url_is_checked_too(dataset):
    path = dataset / SOURCE_FILE
    replace_once(path, "url: unknown\n", 'url: {value: "javascript:alert(1)", inferred: true, note: "from the page"}\n')
    assert [p["line"] for p in problems_of(dataset, "bad-url")] == [4]


@pytest.mark.parametrize("url", ["https://example.org/news/123?a=1&b=2#top", "HTTP://EXAMPLE.ORG", "http://192.0.2.1:8080/x",
                                 "https://[2001:db8::1]/x", "https://example.org/%D8%AE%D8%A8%D8%B1", "https://مثال.example/خبر"])
def test_web_addresses_and_unknown_are_accepted(dataset, url):
    path = dataset / SOURCE_FILE
    replace_once(path, "url: unknown\n", f"url: {json.dumps(url, ensure_ascii=False)}\n")
    done = run_in_process("check", cwd=dataset)
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd"])
def test_source_add_refuses_a_url_that_is_not_a_web_address(tmp_path, dataset, url):
    text = tmp_path / "article.txt"
    text.write_text("A new article about the dam.\n", encoding="utf-8")
    before = tree_digest(dataset)
    done = run_in_process("source", "add", str(text), "--title", "Dam", "--url", url, cwd=dataset)
    assert done.returncode == 1
    line = assert_one_error_line(done.stderr)
    assert f"'url': {url!r} is not a web address" in line
    assert tree_digest(dataset) == before


def test_source_add_keeps_a_web_address(tmp_path, dataset):
    text = tmp_path / "article.txt"
    text.write_text("A new article about the dam.\n", encoding="utf-8")
    done = run_in_process("source", "add", str(text), "--title", "Dam", "--url", "https://example.org/dam", cwd=dataset)
    assert done.returncode == 0, done.stderr
    written = done.stdout.decode("utf-8").split()[1]
    assert "url: https://example.org/dam\n" in (dataset / written).read_text(encoding="utf-8")
