"""A fixture dataset for issue 12's provenance cases, written under a test's tmp_path.

Fictional on purpose (Easton and Westmark, two neighbours, and a monitoring mission), like the
shared fixture in conftest.py. Each case of issue 12's "Done when" is one item below:

- a spokesman's own post, first-hand, with a channel           west-post-denies-crossings
- a claim through a chain of two intermediaries                 east-ministry-via-chain
- an unnamed security source                                    east-source-says-crossed
- a government speaking as a whole                              west-denied-such-accusations
- a denial of unrecorded "such accusations" (answers:)          west-denied-such-accusations
- a date `../2014-07-24`                                        west-denied-such-accusations
- an interval                                                   east-source-says-crossed
- `unknown`                                                     monitors-count
- two citations with conflicting `reported_on` (warned)         east-ministry-via-chain
- a rebuttal dated before its target (warned)                   west-early-rebuttal
- a link with `basis: analyst` and a note                       monitors-count
- a syndicated copy                                             source 2014-07-24-daily-mirror-ministry-charge
- a truncated source                                            source 2014-07-25-evening-post-talks
- an HTML source whose original is kept, its furniture dropped  the Border Herald page, archived by `source add`
"""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

ACTORS = """\
sides:
  - id: east
    name: Easton
    colour: "#1f77b4"
  - id: west
    name: Westmark
    colour: "#d62728"
actors:
  - id: west-spokesman
    name: Omar Haddad
    side: west
    role: government spokesman
  - id: west-government
    name: Government of Westmark
    kind: government
    side: west
    aliases: [Westgrad]
  - id: east-foreign-ministry
    name: Foreign Ministry of Easton
    kind: institution
    side: east
  - id: east-security-source
    name: Easton security source
    kind: unnamed
    side: east
  - id: monitors
    name: Border Monitoring Mission
    kind: third-party
"""

ISSUE = """\
title: Fighters crossing the border
question: Did fighters cross into Easton from Westmark in July 2014?
summary: Easton says fighters crossed from Westmark; Westmark denies it.
"""

HERALD_URL = "https://borderherald.example/2014/07/24/westmark-rejects-crossing-claims/"

# A news page with the furniture real pages carry: a cookie banner, navigation, a subscribe
# link, a photo caption, related-story headlines and a footer. No date in its markup: the date
# is in its address only.
HERALD_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Westmark rejects crossing claims | The Border Herald</title>
<meta property="og:title" content="Westmark rejects crossing claims">
<meta property="og:site_name" content="The Border Herald">
<link rel="canonical" href="https://borderherald.example/2014/07/24/westmark-rejects-crossing-claims/">
<script>window.analytics = [];</script>
</head>
<body>
<div class="cookie-banner"><p>We use cookies to improve your experience. By continuing you accept our cookie policy.</p><button>Accept all cookies</button></div>
<header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/easton">Easton</a></li><li><a href="/world">World</a></li><li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<a class="subscribe" href="/subscribe">Subscribe</a>
</header>
<main>
<article>
<h1>Westmark rejects crossing claims</h1>
<figure><img src="/img/northgate.jpg" alt=""><figcaption>Trucks wait at the Northgate crossing on Wednesday. Photo: File</figcaption></figure>
<p>EASTON CITY: Westmark’s government spokesman Omar Haddad on Thursday rejected the accusation that fighters had crossed from Westmark, calling it “a fabrication meant to distract from Easton’s own failures.”</p>
<p>In a post on X, Haddad wrote that Westmark “does not allow its soil to be used against any neighbour.”</p>
<p>An Easton security source, speaking on condition of anonymity, said that at least twelve fighters had crossed the border in the past week.</p>
<p>Westmark has denied such accusations in the past, insisting that its border guards patrol every crossing.</p>
</article>
<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/2014/07/20/trade">Trade halted at Northgate as tensions rise</a></li>
<li><a href="/2014/07/21/cricket">National side names squad for the summer series</a></li>
</ul></aside>
</main>
<footer><p>© 2025 The Border Herald. All rights reserved.</p><ul><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms</a></li></ul></footer>
</body>
</html>
"""

HERALD_FURNITURE = [
    "Home", "Subscribe", "cookies", "Related stories", "Trade halted at Northgate", "squad for the summer series",
    "© 2025", "Privacy", "Terms", "Trucks wait at the Northgate crossing", "Photo: File",
]

# sources written directly: (title, outlet, published, extra front matter, body)
SOURCES = {
    "2014-07-24-wire-agency-ministry-charge": (
        "Easton ministry repeats crossing charge", "Wire Agency", "2014-07-24", "",
        "Easton’s foreign ministry said on Tuesday that fighters had crossed from Westmark, Easton TV reported.\n\n"
        "The ministry said the fighters “came across the Northgate hills at night”.\n",
    ),
    "2014-07-24-daily-mirror-ministry-charge": (
        "Easton ministry repeats crossing charge", "Daily Mirror of Easton", "2014-07-24",
        "copy_of: 2014-07-24-wire-agency-ministry-charge\n",
        "Easton’s foreign ministry said on Tuesday that fighters had crossed from Westmark, Easton TV reported. (Wire Agency)\n\n"
        "The ministry said the fighters “came across the Northgate hills at night”.\n",
    ),
    "2014-07-25-evening-post-talks": (
        "Talks planned after crossing row", "Evening Post", "2014-07-25", "truncated: true\n",
        "The foreign ministry of Easton said on Thursday that the fighters came across the Northgate hills at night.\n\n"
        "Monitors said they had counted twelve people crossing near the border po",
    ),
}

RETRIEVED = "2014-07-25"


def _source_file(sid: str, title: str, outlet: str, published: str, extra: str, body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return (f"---\ntitle: {title}\noutlet: {outlet}\nurl: unknown\npublished: {published}\nretrieved: {RETRIEVED}\n"
            f"author: unknown\nsha256: {digest}\n{extra}---\n{body}")


def claims(herald: str) -> dict[str, str]:
    """The claims, citing the Border Herald page under its archived id `herald`."""
    return {
        "crossings/east-source-says-crossed": f"""\
            statement: An unnamed Easton security source said at least twelve fighters had crossed the border in the past week.
            kind: accusation
            by: east-security-source
            said_on: 2014-07-17/2014-07-24
            against: [west]
            status: disputed
            history:
              - on: 2014-07-24
                status: disputed
                note: Westmark's spokesman called the accusation a fabrication.
            citations:
              - source: {herald}
                quote: at least twelve fighters had crossed the border in the past week
                channel: remarks to reporters on condition of anonymity
            """,
        "crossings/west-post-denies-crossings": f"""\
            statement: Westmark's spokesman Omar Haddad wrote that Westmark does not allow its soil to be used against any neighbour.
            kind: denial
            by: west-spokesman
            said_on: 2014-07-24
            status: asserted
            rebuts:
              - {{claim: crossings/east-source-says-crossed, basis: reported, note: "the article: 'rejected the accusation that fighters had crossed'"}}
            citations:
              - source: {herald}
                quote: "does not allow its soil to be used against any neighbour."
                channel: post on X
            """,
        "crossings/west-denied-such-accusations": f"""\
            statement: The Herald reported that Westmark has denied such accusations in the past.
            kind: denial
            by: west-government
            said_on: ../2014-07-24
            answers: {{against: east, note: "such accusations (not recorded)"}}
            status: asserted
            citations:
              - source: {herald}
                quote: Westmark has denied such accusations in the past
            """,
        "crossings/east-ministry-via-chain": """\
            statement: Easton's foreign ministry said fighters had crossed from Westmark across the Northgate hills at night.
            kind: accusation
            by: east-foreign-ministry
            said_on: 2014-07-22
            against: [west]
            status: disputed
            history:
              - on: 2014-07-24
                status: disputed
                note: Westmark's government rejected it.
            citations:
              - source: 2014-07-24-wire-agency-ministry-charge
                quote: the fighters “came across the Northgate hills at night”
                reported_by: [Easton TV, Wire Agency]
                reported_on: 2014-07-22
              - source: 2014-07-25-evening-post-talks
                quote: the fighters came across the Northgate hills at night
                reported_by: [Easton TV]
                reported_on: 2014-07-24
                note: The Post dates the statement to Thursday; the wire story to Tuesday.
            """,
        "crossings/west-early-rebuttal": """\
            statement: Westmark's government said no fighter had crossed at Northgate.
            kind: rebuttal
            by: west-government
            said_on: 2014-07-01
            rebuts: [crossings/east-ministry-via-chain]
            status: asserted
            citations:
              - source: 2014-07-24-daily-mirror-ministry-charge
                quote: fighters had crossed from Westmark
                note: Recorded with the Mirror's date of an earlier remark, before the charge it answers.
            """,
        "crossings/monitors-count": """\
            statement: The monitors said they had counted twelve people crossing near the border.
            kind: statement
            by: monitors
            said_on: unknown
            supports:
              - {claim: crossings/east-source-says-crossed, basis: analyst, note: "the monitors' count matches the source's number; the text does not connect them"}
            status: asserted
            citations:
              - source: 2014-07-25-evening-post-talks
                quote: Monitors said they had counted twelve people crossing near the border po
            """,
    }


def write_base(root: Path) -> Path:
    """Actors, the issue and the directly written sources: the dataset before the Border Herald
    page is archived (by the caller, with `source add`, as a user would) and the claims written."""
    (root / "claims" / "crossings").mkdir(parents=True)
    (root / "sources").mkdir()
    (root / "claims" / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    (root / "claims" / "crossings" / "_issue.yaml").write_text(ISSUE, encoding="utf-8")
    for sid, (title, outlet, published, extra, body) in SOURCES.items():
        (root / "sources" / f"{sid}.md").write_text(_source_file(sid, title, outlet, published, extra, body), encoding="utf-8")
    return root


def write_claims(root: Path, herald: str) -> Path:
    for cid, text in claims(herald).items():
        (root / "claims" / f"{cid}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return root
