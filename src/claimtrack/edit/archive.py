"""Archiving a source: a text, Markdown or HTML file becomes `sources/<id>.md`.

Of an HTML page only the article is archived: trafilatura, a maintained main-content extractor,
tells it apart from the page's furniture (navigation, cookie banners, related stories, captions,
footers), and inscriptis turns what it keeps into clean text (paragraphs and line breaks kept; no
trailing whitespace, one blank line between paragraphs). When it finds no article, the whole
page's text is archived, and a note says so. The page itself is kept beside the text as
`sources/<id>.html`, its sha256 in the front matter, so the conversion can be re-checked. Text and Markdown are
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

from ..paths import is_id, original_path
from ..problems import ClaimtrackError
from ..store import body_sha256, source_path, split_front_matter
from .inputs import STOPWORDS, InputError, parse_date, slugify
from .transaction import Transaction
from .yamlout import date_node, dump_rt, fold_text

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
    retrieved: str = "unknown"  # when the text was taken from the web: a date, "today", or unknown
    author: str = "unknown"
    notes: list[str] = field(default_factory=list)
    original: bytes | None = None  # the HTML page as read: kept as sources/<id>.html
    copy_of: str | None = None  # the source this one is a syndicated or mirrored copy of
    truncated: bool = False  # the archived text stops short of the article


@dataclass
class Archived:
    id: str
    path: str
    sha256: str
    lines: int
    original: str | None = None  # sources/<id>.html, when the page was kept


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


MAX_TEXT_BYTES = 5_000_000  # a source's text; an article is rarely a hundredth of it (override: --allow-large)
MAX_HTML_FACTOR = 8  # an HTML page may carry this many times the cap in markup before it is converted
FLAT_DEPTH = 100  # deeper elements lose their tags (not their text) before conversion


class TooLarge(InputError):
    pass


class TextLost(InputError):
    pass


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: one blank line between paragraphs, no markup.

    Never a part of it: converters give up below some depth of nesting (libxml2 at 256
    levels, inscriptis at Python's recursion limit) and return the text above it as if it
    were all, and unclosed <span>s reach that depth in real pages. So a page nested deeper
    than FLAT_DEPTH is flattened first (the deeper tags dropped, their text kept), and the
    result is compared with the page's own text nodes: TextLost when words are missing."""
    from inscriptis import get_text
    from inscriptis.model.config import ParserConfig

    page = _PageText.read(html)
    source = page.flattened(html) if page.depth > FLAT_DEPTH else html
    text = get_text(source, ParserConfig(display_links=False, display_images=False))
    text = re.sub(r"\n{3,}", "\n\n", clean_text(text))
    lost = missing_words(page.text, text)
    if lost:
        raise TextLost(
            f"the HTML page's text could not all be converted: {lost[0]} of its words are missing, from '{lost[1]}' on "
            "— nothing was written; save the article's text as a .txt file and archive that"
        )
    return text


_VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
_HIDDEN = frozenset(("head", "title", "script", "style"))  # never text, for any converter
_KEEP_TAG = _HIDDEN | {"body", "html"}
_CLOSES_ITSELF = frozenset("p li dt dd option tr td th".split())  # <p>a<p>b: the second closes the first
_SCOPE = frozenset("div table ul ol dl blockquote section article td th li button body html".split())
_INLINE = frozenset("a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q s samp small span strike strong sub sup time tt u var".split())
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)


class _PageText(HTMLParser):
    """One pass of the stdlib's HTML tokenizer (no tree, so no depth limit): the text a reader
    sees (outside head, script, style and display:none), and how deep the tags nest. With
    `out`, it also writes the page back with tags below FLAT_DEPTH dropped and their text kept."""

    def __init__(self, out: list[str] | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, written out, hides its content)
        self.hidden = 0
        self.depth = 0
        self.parts: list[str] = []
        self.out = out

    @classmethod
    def read(cls, html: str) -> "_PageText":
        page = cls()
        page.feed(html)
        page.close()
        return page

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def flattened(self, html: str) -> str:
        out: list[str] = []
        writer = _PageText(out)
        writer.feed(html)
        writer.close()
        return "".join(out)

    def _pop_to(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _, _, hides in self.stack[i:]:
                    self.hidden -= hides
                del self.stack[i:]
                return

    def _boundary(self, tag: str) -> None:
        """A block's edge separates words (a converter puts a line break, a bullet or a number
        there); an inline element's does not (<b>wo</b>rd is one word)."""
        if tag not in _INLINE and not self.hidden:
            self.parts.append(" ")

    def handle_starttag(self, tag, attrs):
        self._boundary(tag)
        if tag in _VOID:
            self._emit(self.get_starttag_text())
            return
        if tag in _CLOSES_ITSELF:
            for open_tag, _, _ in reversed(self.stack):
                if open_tag == tag:
                    self._pop_to(tag)
                    break
                if open_tag in _SCOPE:
                    break
        hides = tag in _HIDDEN or any(k == "style" and v and _DISPLAY_NONE.search(v) for k, v in attrs)
        written = len(self.stack) < FLAT_DEPTH or hides or tag in _KEEP_TAG
        self.stack.append((tag, written, hides))
        self.hidden += hides
        self.depth = max(self.depth, len(self.stack))
        if written:
            self._emit(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self._boundary(tag)
        self._emit(self.get_starttag_text())

    def handle_endtag(self, tag):
        self._boundary(tag)
        for open_tag, written, _ in reversed(self.stack):
            if open_tag == tag:
                self._pop_to(tag)
                if written:
                    self._emit(f"</{tag}>")
                return

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)
        if self.out is not None:
            from html import escape

            inside = self.stack[-1][0] if self.stack else ""
            self.out.append(data if inside in ("script", "style") else escape(data, quote=False))

    def handle_comment(self, data):
        self._emit(f"<!--{data}-->")

    def handle_decl(self, decl):
        self._emit(f"<!{decl}>")

    def handle_pi(self, data):
        self._emit(f"<?{data}>")

    def unknown_decl(self, data):
        self._emit(f"<![{data}]>")

    def _emit(self, raw: str | None) -> None:
        if self.out is not None and raw:
            self.out.append(raw)


_ALNUM = re.compile(r"[\W_]+")


def missing_words(page_text: str, text: str) -> tuple[int, str] | None:
    """(how many, the first) of the page's words that the converted text lacks; None when it
    has them all. Only letters and digits are compared, so that what converters add (bullets,
    numbers, quote marks, table gaps) or join (adjacent inline elements) does not count; what
    they drop does. Each word is looked for just after the one before (where it almost always
    is), then among the text's words, then anywhere (tables lay cells side by side, out of
    order); that last search is bounded, and a word it is not given is counted missing."""
    have = _ALNUM.sub("", text)
    words = set(_ALNUM.split(text))
    at, missing, first, scans = 0, 0, "", 0
    for word in page_text.split():
        chars = word if word.isalnum() else _ALNUM.sub("", word)
        if not chars:
            continue
        found = have.find(chars, at, at + len(chars) + 20_000)
        if found >= 0:
            at = found + len(chars)
            continue
        if chars in words:
            continue
        if scans < 200:
            scans += 1
            if chars in have:
                continue
        missing += 1
        first = first or word
    return (missing, first) if missing else None


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


@dataclass
class Reading:
    """What an input file gives: the body to archive, the metadata the page states (`found`),
    why a found value is only inferred (`inferred`, by key), notes for the source, and the page's
    bytes when it is HTML (kept beside the text)."""

    body: str
    found: dict[str, str] = field(default_factory=dict)
    inferred: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    original: bytes | None = None


def read_source(data: bytes, name: str = "-", fmt: str = "auto", max_bytes: int | None = MAX_TEXT_BYTES, url: str | None = None) -> Reading:
    """The body, metadata and notes of a file's bytes. fmt: auto, text, markdown or html.

    A text above `max_bytes` (UTF-8) is refused with TooLarge (None: no limit): every search,
    check and brief reads it, and nothing that large is one article."""
    shown = name if name != "-" else "the standard input"
    text = decode(data, shown)
    lower = name.lower()
    is_html = fmt == "html" or (fmt == "auto" and (lower.endswith(HTML_SUFFIXES) or (not lower.endswith(TEXT_SUFFIXES) and looks_like_html(text))))
    if is_html and max_bytes is not None and len(data) > max_bytes * MAX_HTML_FACTOR:
        raise TooLarge(f"{shown} is an HTML page of {_mb(len(data))}, more than {_mb(max_bytes * MAX_HTML_FACTOR)} — save the article's own text, or pass --allow-large to archive it all")
    if is_html:
        reading = read_html(text, url)
        reading.original = data
    else:
        reading = Reading(text)
    if not reading.body.strip():
        raise InputError(f"{shown} has no text to archive — check the file")
    size = len(reading.body.encode("utf-8"))
    if max_bytes is not None and size > max_bytes:
        raise TooLarge(f"{shown} holds {_mb(size)} of text, more than the {_mb(max_bytes)} a source may hold — archive the article's own text, or pass --allow-large to archive it all")
    return reading


def read_html(html: str, url: str | None = None) -> Reading:
    """An HTML page's article text and what the page states about itself.

    trafilatura (a maintained main-content extractor, scored on news pages by its authors and
    others) keeps the article and drops the furniture around it. Dropping is its purpose, so
    "no word silently lost" is checked in two steps instead of against the whole page: the tree
    the extractor reads must hold every word of the page (a parser that gave up at some depth
    would hand it half a page), and the text written must hold every word the extractor kept."""
    found = html_metadata(html)
    inferred: dict[str, str] = {}
    notes: list[str] = []
    body = extract_article(html)
    if body is None:
        body = html_to_text(html)
        notes.append("No article could be told apart from the rest of the page, so the whole page's text is archived, navigation and footer included.")
    else:
        notes.append("Only the article's text is archived (extracted with trafilatura): the page's navigation, "
                     "related links, captions and footer are left out. The page as read is kept beside this file.")
    if "published" not in found:
        page_date = _htmldate(html)
        if page_date:
            found["published"] = page_date
    if "published" not in found:
        for where in (url, found.get("url")):
            m = _URL_DATE.search(where or "")
            if m:
                found["published"] = "-".join(g for g in m.groups() if g)
                inferred["published"] = f"from the date in the page's address ({m.group(0)}); the page states no date"
                break
    if "title" not in found:
        h1 = _first_h1(html)
        if h1:
            found["title"] = h1
    return Reading(body, found, inferred, notes)


_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/(?:(0[1-9]|[12]\d|3[01])/)?")


def _lxml_tree(html: str):
    """The page parsed by lxml, as trafilatura reads it, after flattening a deep page; None when
    lxml can make nothing of it. TextLost when the tree lacks words of the page."""
    from trafilatura.utils import load_html

    page = _PageText.read(html)
    source = page.flattened(html) if page.depth > FLAT_DEPTH else html
    tree = load_html(source)
    if tree is None:
        return None
    seen = " ".join(tree.xpath("//text()[not(ancestor::script or ancestor::style or ancestor::head or ancestor::template)]"))
    lost = missing_words(page.text, seen)
    if lost:
        raise TextLost(
            f"the HTML page could not all be read: {lost[0]} of its words are missing, from '{lost[1]}' on "
            "— nothing was written; save the article's text as a .txt file and archive that"
        )
    return tree


def extract_article(html: str) -> str | None:
    """The article's text (one blank line between paragraphs), or None when the extractor finds
    no article. TextLost when the page, or what the extractor kept, did not all reach the text."""
    import trafilatura
    from inscriptis import get_text
    from inscriptis.model.config import ParserConfig

    tree = _lxml_tree(html)
    if tree is None:
        return None
    kept = trafilatura.extract(tree, output_format="html", include_comments=False, include_tables=True, include_images=False,
                               include_links=False, include_formatting=False, deduplicate=False, with_metadata=False)
    if not kept or not _ALNUM.sub("", _PageText.read(kept).text):
        return None
    text = re.sub(r"\n{3,}", "\n\n", clean_text(get_text(kept, ParserConfig(display_links=False, display_images=False))))
    lost = missing_words(_PageText.read(kept).text, text)
    if lost:
        raise TextLost(
            f"the article's text could not all be converted: {lost[0]} of its words are missing, from '{lost[1]}' on "
            "— nothing was written; save the article's text as a .txt file and archive that"
        )
    return text


_HEAD = re.compile(r"<head\b.*?</head>", re.I | re.S)
_MARKUP_DATES = re.compile(r"<script\b[^>]*application/ld\+json[^>]*>.*?</script>|<time\b[^>]*\bdatetime=[^>]*>", re.I | re.S)


def _htmldate(html: str) -> str | None:
    """The publication date the page's markup states (meta tags, JSON-LD, <time datetime>), read
    by htmldate. It is shown only that markup: never the page's address (a date there is offered
    apart, marked inferred) nor the running text, where any date at all may stand."""
    from htmldate import find_date

    head = _HEAD.search(html[:1_000_000])
    markup = "".join(m.group(0) for m in _MARKUP_DATES.finditer(html))
    head_text = re.sub(r"<link\b[^>]*>|<meta\b[^>]*\bog:url\b[^>]*>", "", head.group(0) if head else "<head></head>", flags=re.I)
    times = re.sub(r"(<time[^>]*>)", r"\1</time>", markup)  # the tag's datetime only, not the text it wraps
    page = f"<html>{head_text}<body>{times}</body></html>"
    try:
        found = find_date(page, url="", extensive_search=False, original_date=True)
    except Exception:  # htmldate on markup it cannot parse: no date, as when it finds none
        return None
    return found if found and re.fullmatch(r"\d{4}-\d{2}-\d{2}", found) else None


class _FirstH1(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth, self.parts, self.done = 0, [], False

    def handle_starttag(self, tag, attrs):
        if tag == "h1" and not self.done:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "h1" and self.depth:
            self.depth -= 1
            self.done = self.done or (self.depth == 0 and bool("".join(self.parts).strip()))

    def handle_data(self, data):
        if self.depth and not self.done:
            self.parts.append(data)


def _first_h1(html: str) -> str | None:
    parser = _FirstH1()
    try:
        parser.feed(html)
    except Exception:
        pass
    title = " ".join("".join(parser.parts).split())
    return title if title and len(title) <= 300 else None


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


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
    from ..quotes import normalise

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
    retrieved = draft.retrieved or "unknown"
    meta["retrieved"] = date_node(parse_date(retrieved, None, "retrieved", today), 2) if retrieved != "unknown" else "unknown"
    meta["author"] = draft.author or "unknown"
    meta["sha256"] = body_sha256(draft.body)
    if draft.original is not None:
        import hashlib

        meta["original_sha256"] = hashlib.sha256(draft.original).hexdigest()
    if draft.copy_of:
        meta["copy_of"] = draft.copy_of
    if draft.truncated:
        meta["truncated"] = True
    if draft.notes:
        from ruamel.yaml.comments import CommentedSeq

        meta["notes"] = CommentedSeq([fold_text(n, "", 4) for n in draft.notes])
    return f"---\n{dump_rt(meta)}---\n{draft.body}"


def archive_source(root: Path, draft: SourceDraft, wanted_id: str | None = None, today: dt.date | None = None) -> Archived:
    """Write sources/<id>.md for `draft`, and sources/<id>.html beside it when it has the original
    page, in one transaction. Refuses a text already archived (AlreadyArchived) and a copy_of
    that names no source; never overwrites: a taken id gets -2, -3..."""
    draft.title = " ".join((draft.title or "").split())
    if not draft.title:
        raise InputError("a source needs a title — give --title TEXT (the headline, as printed)")
    if not draft.body.strip():
        raise InputError("the source has no text to archive")
    if wanted_id is not None and not is_id(wanted_id):
        raise InputError(f"'{wanted_id}' is not a valid source id — use lower-case letters, digits and hyphens")
    text = source_file(draft, today)  # checks the dates before anything is locked
    digest = body_sha256(draft.body)
    with Transaction(root) as tx:
        known = existing_hashes(tx.root)
        same = known.get(digest) or known.get(text_key(draft.body))
        if same:
            raise AlreadyArchived(same)
        if draft.copy_of and draft.copy_of not in tx.ds.sources:
            from ..resolve import closest

            near = closest(draft.copy_of, tx.ds.sources, 1)
            hint = f"did you mean '{near[0]}'? " if near else ""
            raise InputError(f"--copy-of '{draft.copy_of}' is no archived source — {hint}archive the original first, or name it by its id")
        base = wanted_id or source_id(draft.published, draft.outlet, draft.title)
        sid, n = base, 1
        while sid in tx.ds.sources or (tx.root / source_path(sid)).exists() or (tx.root / original_path(sid)).exists():
            n += 1
            sid = f"{base}-{n}"
        tx.put(source_path(sid), text)
        if draft.original is not None:
            tx.put(original_path(sid), draft.original)
        tx.commit()
    return Archived(sid, source_path(sid), digest, len(draft.body.splitlines()), original_path(sid) if draft.original is not None else None)
