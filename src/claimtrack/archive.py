"""Archiving a source: a text, Markdown or HTML file becomes `sources/<id>.md`.

HTML is turned into clean text with inscriptis (paragraphs and line breaks kept, scripts, styles
and tags gone; no trailing whitespace, one blank line between paragraphs); text and Markdown are
kept exactly as they are, byte for byte. The sha256 in the front matter covers exactly the body
written. The id is `<published>-<outlet>-<title>` in short slugs; an existing file is never
overwritten, and the same text archived twice is recognised by its hash and named, even when only
its whitespace or quote marks differ (the hash of its normalised form is compared too).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .problems import ClaimtrackError
from .store import body_sha256, source_path, split_front_matter
from .write import STOPWORDS, InputError, Transaction, date_node, dump_rt, fold_text, parse_date, slugify

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAGS = re.compile(r"</(p|div|body|html|article|span|a)>", re.I)


class AlreadyArchived(ClaimtrackError):
    def __init__(self, source_id: str):
        self.source_id = source_id
        super().__init__(f"this text is already archived as {source_path(source_id)} — cite it as '{source_id}'; nothing was written")


@dataclass
class SourceDraft:
    """A source to archive: its body (already text) and what is known about it."""

    body: str
    title: str
    outlet: str = "unknown"
    url: str = "unknown"
    published: str = "unknown"  # YYYY-MM-DD, YYYY-MM, YYYY or unknown
    published_note: str | None = None  # given: the date is inferred, and this says from what
    retrieved: str | None = None  # default: today
    author: str = "unknown"
    notes: list[str] = field(default_factory=list)


@dataclass
class Archived:
    id: str
    path: str
    sha256: str
    lines: int


# ------------------------------------------------------------------------------ reading input


def looks_like_html(text: str) -> bool:
    head = text[:4000]
    return bool(_HTML_START.match(head)) or len(_HTML_TAGS.findall(head)) >= 3


def decode(data: bytes, name: str = "the input") -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not UTF-8 (byte {exc.start}) — save it as UTF-8 and try again") from None


def clean_text(text: str) -> str:
    """Line breaks as \\n, no trailing whitespace, no blank lines at either end, one final \\n."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: one blank line between paragraphs, no markup."""
    from inscriptis import get_text
    from inscriptis.model.config import ParserConfig

    text = get_text(html, ParserConfig(display_links=False, display_images=False))
    text = clean_text(text)
    return re.sub(r"\n{3,}", "\n\n", text)


class _Meta(HTMLParser):
    """The metadata an HTML page states about itself: <title>, og:*, article:*, author, canonical."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}
        self._in_title = False
        self._title: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            content = " ".join(a.get("content", "").split())
            if key and content:
                self.found.setdefault(key, content)
        elif tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.found.setdefault("canonical", a["href"])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self._title.append(data)

    @property
    def title(self) -> str:
        return " ".join("".join(self._title).split())


def html_metadata(html: str) -> dict[str, str]:
    """title, outlet, url, published, author — those the page states; nothing guessed."""
    parser = _Meta()
    try:
        parser.feed(html)
    except Exception:  # a broken page gives what it gave so far
        pass
    f = parser.found
    out: dict[str, str] = {}
    title = f.get("og:title") or f.get("twitter:title") or parser.title
    site = f.get("og:site_name")
    if title and site:
        # "Border talks resume | Example Times": the site's name is the outlet, not the title.
        for sep in (" | ", " - ", " – ", " — ", " :: "):
            if title.endswith(sep + site) and len(title) > len(sep + site):
                title = title[: -len(sep + site)]
                break
    if title:
        out["title"] = title
    if site:
        out["outlet"] = site
    url = f.get("canonical") or f.get("og:url")
    if url and url.startswith(("http://", "https://")):
        out["url"] = url
    published = f.get("article:published_time") or f.get("datepublished") or f.get("date") or f.get("pubdate")
    if published and re.match(r"^\d{4}-\d{2}-\d{2}", published):
        out["published"] = published[:10]
    author = f.get("author") or f.get("article:author")
    if author and not author.startswith(("http://", "https://")):
        out["author"] = author
    return out


def read_source(data: bytes, name: str = "-", fmt: str = "auto") -> tuple[str, dict[str, str]]:
    """(body, metadata the input states) from a file's bytes. fmt: auto, text, markdown or html."""
    text = decode(data, name if name != "-" else "the standard input")
    lower = name.lower()
    is_html = fmt == "html" or (fmt == "auto" and (lower.endswith(HTML_SUFFIXES) or (not lower.endswith(TEXT_SUFFIXES) and looks_like_html(text))))
    if is_html:
        body, meta = html_to_text(text), html_metadata(text)
    else:
        body, meta = text, {}
    if not body.strip():
        raise InputError(f"{name if name != '-' else 'the standard input'} has no text to archive — check the file")
    return body, meta


def first_line_title(body: str) -> str | None:
    """The first line, when it reads like a headline: a default to offer, never taken silently."""
    for line in body.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= 160 else None
    return None


# --------------------------------------------------------------------------------- the id


def source_id(published: str, outlet: str, title: str) -> str:
    """`<date>-<outlet>-<title>`: e.g. 2025-11-05-arab-news-istanbul-talks; 'unknown' where not known."""
    date = published if published and published != "unknown" else "unknown"
    outlet_slug = slugify(outlet, max_words=3, max_len=24) if outlet and outlet != "unknown" else "unknown"
    title_slug = slugify(title, max_words=4, max_len=36, stop=STOPWORDS) or "source"
    return f"{date}-{outlet_slug or 'unknown'}-{title_slug}"


def text_key(body: str) -> str:
    """The hash of a text's normalised form: the same for copies that differ only in whitespace,
    line endings or the kind of quote marks and dashes."""
    from .quotes import normalise

    return "n:" + body_sha256(normalise(body))


def existing_hashes(root: Path) -> dict[str, str]:
    """sha256 of every archived body (as on disk, as recorded, and normalised) -> source id."""
    out: dict[str, str] = {}
    for path in sorted((root / "sources").glob("*.md")):
        try:
            split = split_front_matter(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        if split is None:
            continue
        out.setdefault(body_sha256(split[1]), path.stem)
        out.setdefault(text_key(split[1]), path.stem)
        m = re.search(r"^sha256:\s*['\"]?([0-9a-f]{64})", split[0], re.M)
        if m:
            out.setdefault(m.group(1), path.stem)
    return out


def source_file(draft: SourceDraft, today: dt.date | None = None) -> str:
    """The text of sources/<id>.md: front matter in the documented order, then the body."""
    from ruamel.yaml.comments import CommentedMap

    today = today or dt.date.today()
    meta = CommentedMap()
    meta["title"] = fold_text(draft.title, "title")
    meta["outlet"] = draft.outlet or "unknown"
    meta["url"] = draft.url or "unknown"
    meta["published"] = date_node(parse_date(draft.published, draft.published_note, "published", today), 2) if draft.published != "unknown" else "unknown"
    retrieved = draft.retrieved or today.isoformat()
    meta["retrieved"] = date_node(parse_date(retrieved, None, "retrieved", today), 2) if retrieved != "unknown" else "unknown"
    meta["author"] = draft.author or "unknown"
    meta["sha256"] = body_sha256(draft.body)
    if draft.notes:
        from ruamel.yaml.comments import CommentedSeq

        meta["notes"] = CommentedSeq([fold_text(n, "", 4) for n in draft.notes])
    return f"---\n{dump_rt(meta)}---\n{draft.body}"


def archive_source(root: Path, draft: SourceDraft, wanted_id: str | None = None, today: dt.date | None = None) -> Archived:
    """Write sources/<id>.md for `draft`. Refuses a text already archived (AlreadyArchived);
    never overwrites: a taken id gets -2, -3..."""
    draft.title = " ".join((draft.title or "").split())
    if not draft.title:
        raise InputError("a source needs a title — give --title TEXT (the headline, as printed)")
    if not draft.body.strip():
        raise InputError("the source has no text to archive")
    if wanted_id is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", wanted_id):
        raise InputError(f"'{wanted_id}' is not a valid source id — use lower-case letters, digits and hyphens")
    text = source_file(draft, today)  # checks the dates before anything is locked
    digest = body_sha256(draft.body)
    with Transaction(root) as tx:
        known = existing_hashes(tx.root)
        same = known.get(digest) or known.get(text_key(draft.body))
        if same:
            raise AlreadyArchived(same)
        base = wanted_id or source_id(draft.published, draft.outlet, draft.title)
        sid, n = base, 1
        while sid in tx.ds.sources or (tx.root / source_path(sid)).exists():
            n += 1
            sid = f"{base}-{n}"
        tx.put(source_path(sid), text)
        tx.commit()
    return Archived(sid, source_path(sid), digest, len(draft.body.splitlines()))
