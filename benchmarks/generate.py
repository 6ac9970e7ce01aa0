"""Synthetic claimtrack datasets in the real format, for benchmarks.

    python benchmarks/generate.py DIR --claims 100000 [--seed 0]

`generate(root, n_claims, seed=0)` writes, deterministically for a given seed:

- `claims/actors.yaml`: 4 sides and 40 actors;
- issues: `issue-000` holds about 200 claims (fewer when the dataset is small); the rest are
  spread over issues of about 100 claims each;
- claims in threads of depth 1 to 6: a root that answers nothing, then claims that rebut it
  (another side), support it or supersede it (the same side); links point only to earlier claims,
  so there is no cycle. Statuses agree with the links, so `claimtrack check` shows no warning: a
  rebutted claim is `disputed`, a superseded one `superseded`, and the last history entry's
  status is the claim's status;
- N/5 sources of about 600 words with front matter and the body's correct sha256. The
  vocabulary is Zipf-distributed: COMMON_WORD is in almost every source, RARE_WORD in only a
  handful;
- 1 to 3 citations per claim, each quoting 6 to 20 words of its source verbatim, in the source's
  own characters as `add` stores them (spanning line breaks, which a quote holds as one space);
- `peer.argdown`: the same statements, tags and rebuttals as one Argdown file (citations left
  out: Argdown has none), for the benchmark's peer, `argdown json`.

Files are written with plain string formatting (no YAML emitter): 100,000 claims take well
under a minute.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import itertools
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

GENERATOR_VERSION = 1
COMMON_WORD = "border"
RARE_WORD = "quillmarsh"
RARE_SOURCES = 5  # the rare word appears in this many sources
BIG_ISSUE = "issue-000"
BIG_ISSUE_CLAIMS = 200
ISSUE_CLAIMS = 100
MARKER = ".generated.json"

SIDES = [
    ("north", "Northern Republic", "#1f77b4"),
    ("south", "Southern Federation", "#d62728"),
    ("east", "Eastern Coalition", "#2ca02c"),
    ("mediators", "Mediation Council", "#7f7f7f"),
]
ROLES = ["ministry", "spokesperson", "army", "parliament", "governor", "envoy", "security source", "president", "police", "council"]

# Frequent English words first (Zipf rank order); COMMON_WORD sits at rank 10 (about 1% of the
# words), so a 600-word source lacks it with probability about e^-6.
_FUNCTION = ["the", "of", "and", "to", "a", "in", "that", "said", "on", COMMON_WORD, "was", "for", "by", "with", "is",
             "it", "as", "at", "from", "his", "an", "were", "are", "which", "this", "be", "has", "had", "not", "but"]
_CONTENT = (
    "ministry talks officials security militants crossing attack ceasefire province capital troops "
    "spokesperson statement government delegation agreement refugees checkpoint trade convoy village "
    "district commander envoy treaty accused denied rejected claimed reported confirmed warned "
    "demanded proposed pledged mediation negotiations sanctuary shelling drone strike casualties "
    "civilians soldiers police governor parliament election sanctions embargo pipeline river water "
    "dam flow drought canal harvest market prices fuel electricity bridge highway railway airport "
    "port customs smuggling weapons ammunition training camp fighters insurgents rebels allies "
    "neighbours sovereignty territory frontier fence crossing passage visa deportation camps aid "
    "relief food shelter winter summer monsoon flood earthquake hospital school university students "
    "journalists reporters newspaper television radio broadcast interview press conference summit "
    "meeting session committee commission inquiry report evidence witnesses satellite images maps "
    "survey census budget loan debt bank currency inflation exports imports tariffs quota fishing "
    "boats coast island navy patrol incident clash skirmish retaliation escalation de-escalation "
    "talks resumed suspended collapsed brokered hosted monitored verified disputed"
).split()
_SYLLABLES = "ka lo mi ran tes vor pel dun sa ri bek tor ma nel fi gos hul zan tri qua bre ost"
RECENT = dt.date(2024, 12, 31)


def _vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    syll = _SYLLABLES.split()
    seen = set(_FUNCTION) | set(_CONTENT) | {RARE_WORD}
    words = list(_FUNCTION) + [w for w in _CONTENT if w not in _FUNCTION]
    while len(words) < size:
        w = "".join(rng.choice(syll) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


class _Words:
    """Draw words with Zipf frequencies, fast (one bisect per word)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words = _vocabulary(rng)
        self.cum = list(itertools.accumulate(1.0 / (r + 1) for r in range(len(self.words))))

    def draw(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum, k=k)


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _source_body(rng: random.Random, words: _Words, n_words: int, rare: bool) -> tuple[str, list[str]]:
    """A body of about n_words words in sentences and paragraphs, wrapped at ~100 characters;
    returns the text and its tokens (the body's words with their punctuation, in order)."""
    raw = words.draw(n_words)
    if rare:
        raw[rng.randrange(len(raw))] = RARE_WORD
    tokens: list[str] = []
    i = 0
    while i < len(raw):
        n = rng.randint(8, 24)
        sentence = raw[i : i + n]
        i += n
        sentence[0] = sentence[0].capitalize()
        if len(sentence) > 6 and rng.random() < 0.3:  # a quoted phrase, with curly quote marks
            a = rng.randrange(1, len(sentence) - 4)
            b = a + rng.randint(1, 3)
            sentence[a] = "\u201c" + sentence[a]
            sentence[b] = sentence[b] + "\u201d"
        if len(sentence) > 8 and rng.random() < 0.15:  # an aside between em dashes
            a = rng.randrange(2, len(sentence) - 3)
            sentence[a] = "\u2014 " + sentence[a]
        if len(sentence) > 5 and rng.random() < 0.2:
            j = rng.randrange(1, len(sentence) - 1)
            sentence[j] = sentence[j] + ","
        if rng.random() < 0.1:
            j = rng.randrange(len(sentence))
            sentence[j] = sentence[j] + "\u2019s"
        sentence[-1] = sentence[-1] + "."
        for w in sentence:
            tokens.extend(w.split(" "))
        tokens.append("\n\n" if rng.random() < 0.2 else "")
    lines: list[str] = []
    line = ""
    out_tokens: list[str] = []
    for tok in tokens:
        if tok == "\n\n":
            if line:
                lines.append(line)
            lines.append("")
            line = ""
            continue
        if not tok:
            continue
        out_tokens.append(tok)
        if line and len(line) + 1 + len(tok) > 100:
            lines.append(line)
            line = tok
        else:
            line = f"{line} {tok}" if line else tok
    if line:
        lines.append(line)
    return "\n".join(lines).strip("\n") + "\n", out_tokens


def _quote(rng: random.Random, tokens: list[str]) -> str:
    n = rng.randint(6, 20)
    start = rng.randrange(0, max(1, len(tokens) - n))
    return " ".join(tokens[start : start + n])


def _date(d: dt.date) -> str:
    return d.isoformat()


def _actors_yaml() -> tuple[str, list[tuple[str, str]]]:
    lines = ["# Synthetic sides and actors (benchmarks/generate.py).", "sides:"]
    for sid, name, colour in SIDES:
        lines += [f"  - id: {sid}", f"    name: {name}", f'    colour: "{colour}"']
    lines.append("actors:")
    actors: list[tuple[str, str]] = []
    for sid, name, _ in SIDES:
        for k, role in enumerate(ROLES):
            aid = f"{sid}-{role.replace(' ', '-')}"
            actors.append((aid, sid))
            lines += [f"  - id: {aid}", f"    name: {name} {role} {k}", f"    side: {sid}", f"    role: {role}",
                      f"    aliases: [{name.split()[0]} {role}]"]
    return "\n".join(lines) + "\n", actors


def _issue_sizes(n_claims: int) -> list[int]:
    big = min(BIG_ISSUE_CLAIMS, max(1, n_claims // 5))
    rest = n_claims - big
    sizes = [big]
    if rest > 0:
        n_issues = max(1, round(rest / ISSUE_CLAIMS))
        base, extra = divmod(rest, n_issues)
        sizes += [base + (1 if i < extra else 0) for i in range(n_issues)]
    return sizes


ROOT_KINDS = ["accusation", "accusation", "statement", "proposal", "demand", "pledge"]
REBUT_KINDS = ["denial", "rebuttal", "counter-accusation"]
SUPPORT_KINDS = ["statement", "concession", "agreement", "statement"]


def _threads(rng: random.Random, issue: str, count: int, first: int, actors, by_side) -> list[dict]:
    """`count` claims of one issue, in threads of depth 1..6. Claims are dicts; links point back."""
    claims: list[dict] = []
    sides = [s[0] for s in SIDES]
    while len(claims) < count:
        depth = rng.randint(1, 6)
        size = min(count - len(claims), depth + rng.randint(0, 6))
        depth = min(depth, size)
        if depth == 1:
            size = 1  # a lone claim: a thread of depth 1
        start = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 14))
        thread: list[dict] = []
        for k in range(size):
            n = first + len(claims)
            cid = f"{issue}/c{n:06d}"
            if k == 0:
                aid, side = rng.choice(actors)
                c = {"id": cid, "by": aid, "side": side, "level": 0, "date": start, "kind": rng.choice(ROOT_KINDS),
                     "rebuts": [], "supports": [], "supersedes": []}
            else:
                if k < depth:
                    parent = thread[k - 1]  # the spine: makes the thread exactly `depth` deep
                else:
                    parent = rng.choice([t for t in thread if t["level"] < depth - 1])
                other = rng.random() < 0.6
                if other:
                    side = rng.choice([s for s in sides if s != parent["side"]])
                    aid = rng.choice(by_side[side])
                    link, kind = "rebuts", rng.choice(REBUT_KINDS)
                else:
                    side = parent["side"]
                    aid = rng.choice(by_side[side])
                    if not parent.get("superseded_by") and rng.random() < 0.3:
                        link, kind = "supersedes", rng.choice(SUPPORT_KINDS)
                    else:
                        link, kind = "supports", rng.choice(SUPPORT_KINDS)
                date = min(parent["date"] + dt.timedelta(days=rng.randint(0, 60)), RECENT)
                c = {"id": cid, "by": aid, "side": side, "level": parent["level"] + 1, "date": date, "kind": kind,
                     "rebuts": [], "supports": [], "supersedes": []}
                c[link].append(parent["id"])
                key = {"rebuts": "rebutted_by", "supports": "supported_by", "supersedes": "superseded_by"}[link]
                parent.setdefault(key, []).append(c)
                # now and then a second link: support for an earlier claim of the same side
                if len(thread) > 2 and rng.random() < 0.1:
                    mates = [t for t in thread if t["side"] == side and t is not parent and t["date"] <= date and t["level"] < c["level"]]
                    if mates:
                        mate = rng.choice(mates)
                        c["supports"].append(mate["id"])
                        mate.setdefault("supported_by", []).append(c)
            thread.append(c)
            claims.append(c)
    return claims


def _history_and_status(rng: random.Random, c: dict) -> tuple[str, list[tuple[dt.date, str, str]]]:
    said = c["date"]
    if c.get("superseded_by"):
        later = min(x["date"] for x in c["superseded_by"])
        hist = [(said, "asserted", "Reported by the outlet.")]
        if c.get("rebutted_by"):
            hist.append((min(max(said, min(x["date"] for x in c["rebutted_by"])), later), "disputed", "Another side contradicted it."))
        hist.append((later, "superseded", f"{c['superseded_by'][0]['id']} replaced this position."))
        return "superseded", hist
    if c.get("rebutted_by"):
        first = min(c["rebutted_by"], key=lambda x: x["date"])
        return "disputed", [(said, "asserted", "Reported by the outlet."),
                            (first["date"], "disputed", f"{first['id']} contradicts it.")]
    if c.get("supported_by") and rng.random() < 0.5:
        first = min(x["date"] for x in c["supported_by"])
        return "corroborated", [(said, "asserted", "Reported by the outlet."),
                                (first, "corroborated", "Independent reporting supports it.")]
    if rng.random() < 0.5:
        return "asserted", [(said, "asserted", "Reported by the outlet.")]
    return "asserted", []


def _claim_yaml(rng: random.Random, c: dict, words: _Words, citations: list[tuple[str, str]]) -> tuple[str, str, str]:
    """The claim's file, and its statement and tag for the Argdown peer (no draw of its own)."""
    status, hist = _history_and_status(rng, c)
    statement = " ".join(words.draw(rng.randint(8, 18)))
    actor_word = c["by"].split("-", 1)[1].replace("-", " ")
    sentence = f"The {c['side']} {actor_word} said that {statement}."
    lines = [f"statement: {_q(sentence)}", f"kind: {c['kind']}", f"by: {c['by']}"]
    r = rng.random()
    if r < 0.05:
        lines += ["said_on:", f"  value: {_date(c['date'])}", "  inferred: true",
                  "  note: \"The article's date; the statement is reported without one.\""]
    elif r < 0.08 and not hist:
        lines.append(f"said_on: {c['date'].strftime('%Y-%m')}")
    else:
        lines.append(f"said_on: {_date(c['date'])}")
    lines.append(f"status: {status}")
    for link in ("rebuts", "supports", "supersedes"):
        if c[link]:
            lines.append(f"{link}: [{', '.join(c[link])}]")
    if hist:
        lines.append("history:")
        for on, st, note in hist:
            lines += [f"  - on: {_date(on)}", f"    status: {st}", f"    note: {_q(note)}"]
    lines.append("citations:")
    for source, quote in citations:
        lines += [f"  - source: {source}", f"    quote: {_q(quote)}"]
        if rng.random() < 0.1:
            lines += ["    channel: interview", "    reported_by: [a television channel]"]
    tag = f"tag-{rng.randrange(20)}"
    lines.append(f"tags: [{tag}]")
    return "\n".join(lines) + "\n", sentence, tag


ARGDOWN_FILE = "peer.argdown"  # beside claims/ and sources/, never read by claimtrack
_ARGDOWN_SPECIAL = set("\\#[]<>*_@{}/")


def _argdown_text(text: str) -> str:
    return "".join("\\" + ch if ch in _ARGDOWN_SPECIAL else ch for ch in " ".join(text.split()))


def _argdown_claim(cid: str, sentence: str, tag: str, rebuts: list[str]) -> str:
    """One statement of the peer's file: its text and tag, and an attack on each claim it rebuts
    (citations are left out: Argdown has none)."""
    return f"[{cid}]: {_argdown_text(sentence)} #({tag})\n" + "".join(f"    -> [{dst}]\n" for dst in rebuts) + "\n"


def _source_text(title: str, outlet: str, published: dt.date, url: str, body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return (
        "---\n"
        f"title: {_q(title)}\n"
        f"outlet: {outlet}\n"
        f"url: {url}\n"
        f"published: {_date(published)}\n"
        "retrieved: 2025-01-15\n"
        "author: unknown\n"
        f"sha256: {digest}\n"
        "notes:\n"
        "  - Synthetic text generated for benchmarks.\n"
        "---\n"
        f"{body}"
    )


OUTLETS = ["Daily Frontier", "The Capital Post", "Northern Herald", "Southern Wire", "Coalition Times", "Valley News"]


def generate(root: str | os.PathLike, n_claims: int, seed: int = 0, words_per_source: int = 600) -> dict:
    """Write a dataset of `n_claims` claims and n_claims/5 sources under `root`; returns a summary.

    The same (n_claims, seed) always gives the same files. An existing claims/ or sources/ under
    `root` is replaced.
    """
    root = Path(root)
    rng = random.Random(seed)
    words = _Words(random.Random(seed + 1))
    for sub in ("claims", "sources", ".claimtrack"):
        if (root / sub).exists():
            shutil.rmtree(root / sub)
    (root / "claims").mkdir(parents=True)
    (root / "sources").mkdir()

    actors_text, actors = _actors_yaml()
    (root / "claims" / "actors.yaml").write_text(actors_text, encoding="utf-8")
    by_side: dict[str, list[str]] = {}
    for aid, side in actors:
        by_side.setdefault(side, []).append(aid)

    sizes = _issue_sizes(n_claims)
    issues = [BIG_ISSUE] + [f"issue-{i:03d}" if len(sizes) <= 1000 else f"issue-{i:04d}" for i in range(1, len(sizes))]

    # Sources: spread over the issues so that an issue cites mostly its own pool.
    n_sources = max(1, n_claims // 5)
    rare_at = set(rng.sample(range(n_sources), min(RARE_SOURCES, n_sources)))
    source_tokens: list[list[str]] = []
    source_ids: list[str] = []
    for s in range(n_sources):
        published = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 15))
        outlet = OUTLETS[s % len(OUTLETS)]
        sid = f"{_date(published)}-{outlet.lower().replace(' ', '-')}-{s:06d}"
        body, tokens = _source_body(rng, words, rng.randint(words_per_source - 100, words_per_source + 100), s in rare_at)
        title = " ".join(words.draw(7)).capitalize()
        url = f"https://news.example.org/{published.year}/{s:06d}"
        (root / "sources" / f"{sid}.md").write_text(_source_text(title, outlet, published, url, body), encoding="utf-8", newline="")
        source_ids.append(sid)
        source_tokens.append(tokens)

    pools: list[list[int]] = [[] for _ in issues]
    for s in range(n_sources):
        pools[s % len(issues)].append(s)

    n = 0
    peer = open(root / ARGDOWN_FILE, "w", encoding="utf-8")
    for i, (issue, count) in enumerate(zip(issues, sizes)):
        folder = root / "claims" / issue
        folder.mkdir()
        (folder / "_issue.yaml").write_text(
            f"title: {_q(f'Synthetic dispute {i}')}\n"
            f"question: {_q(f'Did the parties do what dispute {i} says they did?')}\n"
            "summary: >-\n  A synthetic issue for benchmarks: accusations, denials and rebuttals between four sides.\n"
            f"tags: [bench, group-{i % 10}]\n",
            encoding="utf-8",
        )
        pool = pools[i] or list(range(n_sources))
        for c in _threads(rng, issue, count, n, actors, by_side):
            cites = []
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                s = rng.choice(pool) if rng.random() < 0.9 else rng.randrange(n_sources)
                cites.append((source_ids[s], _quote(rng, source_tokens[s])))
            name = c["id"].split("/", 1)[1]
            text, sentence, tag = _claim_yaml(rng, c, words, cites)
            (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
            peer.write(_argdown_claim(c["id"], sentence, tag, c["rebuts"]))
            n += 1
    peer.close()
    summary = {
        "generator": GENERATOR_VERSION, "claims": n, "sources": n_sources, "issues": len(issues), "seed": seed,
        "big_issue": BIG_ISSUE, "big_issue_claims": sizes[0], "common_word": COMMON_WORD, "rare_word": RARE_WORD,
        "sample_claim": f"{BIG_ISSUE}/c{min(10, sizes[0] - 1):06d}", "argdown": ARGDOWN_FILE,
    }
    (root / MARKER).write_text(json.dumps(summary, indent=1) + "\n")
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write a synthetic claimtrack dataset (claims/, sources/) for benchmarks.")
    ap.add_argument("root", type=Path, help="the dataset folder to write (its claims/ and sources/ are replaced)")
    ap.add_argument("--claims", "-n", type=int, default=1000, help="number of claims (sources: a fifth of it)")
    ap.add_argument("--seed", type=int, default=0, help="random seed: the same seed gives the same files")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    summary = generate(args.root, args.claims, args.seed)
    print(f"wrote {summary['claims']} claims, {summary['sources']} sources, {summary['issues']} issues "
          f"to {args.root} in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
