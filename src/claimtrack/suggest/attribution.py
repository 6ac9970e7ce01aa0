"""Who said what, found by the reporting constructions of news English, without a parser.

For every reporting verb of the lexicon in a sentence, the frame around it is read: the subject
before it ("Pakistan has long accused"), or after it ("…,” said a joint statement"), or the agent
of a passive ("a claim dismissed by Pakistani authorities"), or the phrase after "according to";
a participle with no subject of its own ("…, asserting that") takes the subject of the verb before
it. The words reported are the quotation the verb is attached to when there is one ("“…,” X said",
"X said: “…”", a quotation split by its attribution), else the reported clause (after the verb, or
before "X said" at the end of a sentence). An attribution inside a quotation is second-hand: the
quoted speaker passes it on.

Everything is offsets into the body: the engine never builds text it did not find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .lexicon import Lexicon
from .sentences import Span, quotations, sentences, trim

_WORD = re.compile(r"[^\s]+")
_EDGE = "\"“”‘’«»„()[]"
_DATELINE = re.compile(r"^[A-Z][A-Z .’'-]{2,}:\s")


@dataclass(frozen=True)
class Attribution:
    """One reporting construction: offsets into the body, and how each part was found."""

    sentence: Span
    verb: Span
    verb_form: str  # lower case, spaces collapsed
    kind: str  # the kind the verb suggests
    subject: Span | None  # the speaker as written; None when the text names none
    subject_how: str  # before | after | agent | according-to | inherited | pronoun | continuation | impersonal
    content: Span  # the quote span: the quotation, or the reported clause
    quotation: bool  # content is the text's own quotation (not a reported clause)
    parts: tuple[Span, ...] = ()  # the pieces of a quotation split by its attribution
    inside: Span | None = None  # the quotation this attribution is reported in (second-hand)
    outer: int | None = None  # index of the attribution whose quotation holds this one
    relay_of: int | None = None  # index of the attribution this one only passes on
    via_subject: tuple[Span, ...] = ()  # intermediaries named as subjects ("…, officials said")
    answers: Span | None = None  # for "a claim that X rejected": the clause X rejects
    frame_start: int = 0  # where the construction starts (subject or claim noun)
    notes: tuple[str, ...] = ()


@dataclass
class _Word:
    start: int
    end: int
    text: str

    @property
    def bare(self) -> str:
        return self.text.strip(_EDGE + ",.;:!?—–-").lower().replace("’", "'")


def _is_aux(w: str, lex: Lexicon) -> bool:
    return w in lex.auxiliaries or w in lex.adverbs or (bool(lex.adverb_suffix) and len(w) > 4 and w.endswith(lex.adverb_suffix))


def _ends_clause(w: _Word) -> bool:
    t = w.text
    return t[-1] in ",;:" or t.rstrip(",;:")[-1:] in "”\"’»" or t[0] in "“\"‘«"


def _possessive(w: str) -> bool:
    return w.endswith("'s") or w.endswith("s'")


class _Sentence:
    def __init__(self, body: str, span: Span, lex: Lexicon):
        self.body, self.span, self.lex = body, span, lex
        self.quotes = [Span(span.start + q.start, span.start + q.end) for q in quotations(span.of(body))]

    def quote_at(self, pos: int) -> Span | None:
        for q in self.quotes:
            if q.start <= pos < q.end:
                return q
        return None

    def region(self, pos: int) -> tuple[int, int]:
        """The stretch a construction at `pos` may use: its quotation, or the sentence."""
        q = self.quote_at(pos)
        return (q.start, q.end) if q else (self.span.start, self.span.end)


def _noun_use(body: str, words: list[_Word], i: int, lex: Lexicon) -> bool:
    """A form like "claim" or "post" used as a noun: a determiner or possessive shortly before it."""
    for back in range(1, 4):
        if i - back < 0:
            return False
        w = words[i - back]
        if _ends_clause(w):
            return False
        b = w.bare
        if b in lex.auxiliaries or b in lex.pronouns or b == "to":
            return False
        if b in lex.determiners or _possessive(b):
            return True
    return False


def _subject_before(sent: _Sentence, words: list[_Word], i: int) -> tuple[Span | None, bool, int, str]:
    """(subject, passive?, where the frame starts, how it ended) read backwards from words[i]."""
    lex = sent.lex
    j = i - 1
    passive = False
    while j >= 0 and not _ends_clause(words[j]) and _is_aux(words[j].bare, lex):
        passive = passive or words[j].bare in lex.passive_markers
        j -= 1
    end = j  # last word of the subject
    if end < 0:
        return None, passive, words[i].start, "start"
    if words[end].text.endswith(","):
        # an appositive before the verb: "Syed Kazmi, the Jirga head, noted" (or an inversion)
        k = end - 1
        while k >= 0 and not _ends_clause(words[k]) and words[k].bare not in lex.clause_openers:
            k -= 1
        first = k + 1
        if words[end].bare in lex.verb_kind:  # "X said, reaffirming": no subject of its own
            return None, passive, words[i].start, "comma"
        if first <= end and words[first].bare in _PARENTHETICAL and k >= 0 and words[k].text.endswith(","):
            # "X, in a post on X, said": the phrase between the commas is the channel, X the subject
            sub, passive2, start, how = _subject_before(sent, words[: k + 1] + [words[i]], k + 1)
            return sub, passive or passive2, start, how
        if first <= end and end - first + 1 <= lex.max_subject_words and not words[first].text.startswith(("“", '"')):
            start, stop = trim(sent.body, words[first].start, words[end].end)
            return Span(start, stop), passive, start, "appositive"
        return None, passive, words[i].start, "comma"
    k, first, how = end, end + 1, "boundary"
    while k >= 0:
        w = words[k]
        if k < end and (w.text[-1] in ",;:" or w.text.rstrip(",;:.")[-1:] in "”\"’»"):
            break
        if w.bare in lex.clause_openers:
            how = "opener"
            break
        first = k
        if w.text[0] in "“\"‘«":
            break
        k -= 1
    if first > end:
        return None, passive, words[i].start, how
    # "Both sides earlier extended the ceasefire and agreed": the subject of the first verb
    if words[end].bare in ("and", "or"):
        stop = first
        while stop < end and not _is_aux(words[stop].bare, lex) and not (words[stop].bare.endswith("ed") and words[stop].text[0].islower()):
            stop += 1
        if stop == first:
            return None, passive, words[i].start, how
        end = stop - 1
    if end - first + 1 > lex.max_subject_words:
        return None, passive, words[i].start, "long"
    start, stop = trim(sent.body, words[first].start, words[end].end, " ,;:—–-\"“”")
    if _DATELINE.match(sent.body[start : stop + 2]):
        m = _DATELINE.match(sent.body[start : stop + 2])
        start = start + m.end()
    return (Span(start, stop) if start < stop else None), passive, start, how


def _np_after(body: str, pos: int, end: int, lex: Lexicon) -> Span | None:
    """The noun phrase from `pos`: up to punctuation or a preposition starting a new phrase."""
    words = [_Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(body, pos, end)]
    out: list[_Word] = []
    for w in words:
        if w.bare in ("in", "on", "at", "during", "after", "before", "when", "that", "while", "outside", "late", "earlier", "who"):
            break
        out.append(w)
        if w.text[-1] in ",.;:!?" or len(out) >= lex.max_subject_words:
            break
    if not out:
        return None
    s, e = trim(body, out[0].start, out[-1].end, " ,.;:!?—–-\"“”")
    return Span(s, e) if s < e else None


def _claim_noun_start(sent: _Sentence, words: list[_Word], j: int) -> int | None:
    """Index of the first word of "a claim (that)" ending at words[j] (the claim noun), or None."""
    if j < 0 or words[j].bare not in sent.lex.claim_nouns:
        return None
    k = j
    while k - 1 >= 0 and not _ends_clause(words[k - 1]) and j - (k - 1) <= 3:
        k -= 1
        if words[k].bare in sent.lex.determiners:
            return k
    return j


def find_attributions(body: str, lex: Lexicon) -> list[Attribution]:
    """Every reporting construction in `body`, in text order."""
    out: list[Attribution] = []
    spans = sentences(body)
    prev_sentence_quoted: int | None = None  # index of the attribution a bare quotation continues
    for sspan in spans:
        sent = _Sentence(body, sspan, lex)
        words = [_Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(body, sspan.start, sspan.end)]
        found: list[Attribution] = []
        for m in lex.verb_re.finditer(body, sspan.start, sspan.end):
            att = _one(sent, words, m, found, out)
            if att is not None:
                found.append(att)
        found += _according_to(sent, words, found)
        found.sort(key=lambda a: a.verb.start)
        found = _cut_contents(body, found)
        if all(a.inside is not None for a in found) and prev_sentence_quoted is not None and _all_quotation(sent):
            prev = out[prev_sentence_quoted]
            q = sent.quotes[0]
            s, e = trim(body, q.start, q.end, " ,")
            found.insert(0, Attribution(sspan, prev.verb, prev.verb_form, prev.kind, prev.subject, "continuation",
                                     Span(s, e), True, frame_start=sspan.start,
                                     notes=("a quotation of its own, after one by the same speaker",)))
        base = len(out)
        for a in found:
            if a.inside is not None and a.outer is None:
                holder = next((k for k, b in enumerate(found) if b.quotation and b.inside is None and b.content.start <= a.verb.start < b.content.end), None)
                if holder is not None:
                    a = replace(a, outer=base + holder)
            out.append(a)
        last_quoted = [k for k in range(base, len(out)) if out[k].quotation and out[k].inside is None and out[k].relay_of is None]
        prev_sentence_quoted = last_quoted[-1] if last_quoted else (prev_sentence_quoted if not found and _all_quotation(sent) else None)
    return _relays(out)


def _all_quotation(sent: _Sentence) -> bool:
    if not sent.quotes:
        return False
    text = sent.span.of(sent.body)
    covered = sum(q.end - q.start for q in sent.quotes)
    return text[:1] in "“\"‘«" and covered >= 0.85 * len(text)


def _one(sent: _Sentence, words: list[_Word], m: re.Match, found: list[Attribution], before: list[Attribution]) -> Attribution | None:
    body, lex = sent.body, sent.lex
    form = " ".join(m.group().lower().split())
    if form in lex.relay_verbs and form not in lex.verb_kind:
        return None
    kind = lex.verb_kind.get(form, "statement")
    i = next((k for k, w in enumerate(words) if w.start <= m.start() < w.end), None)
    if i is None:
        return None
    if words[i].text[0] in "“\"‘«" and words[i].start != m.start() - 1:
        return None
    if form in lex.also_nouns and _noun_use(body, words, i, lex):
        return None
    if form.endswith("ing") and i >= 2 and words[i - 1].bare == "by" and words[i - 2].bare in lex.verb_kind:
        return None  # "countered by claiming": one construction, read at its first verb
    inside = sent.quote_at(m.start())
    last = i + len(form.split()) - 1  # the verb's last word
    after = words[last].end
    region_start, region_end = sent.region(m.start())
    if form.endswith("ing") and i >= 1 and words[i - 1].text.endswith(","):
        subject, passive, frame_start, how = None, False, m.start(), "comma"  # ", blaming the drought"
    else:
            subject, passive, frame_start, how = _subject_before(sent, [w for w in words if w.end > region_start and w.start < region_end], _local(words, i, region_start, region_end))
    subject_how = "before"
    answers = None
    notes: list[str] = []
    nxt = [w for w in words[last + 1 :] if w.start < region_end]
    # the agent of a passive or of a reduced relative: "a claim dismissed by X", "agreed upon by X"
    agent_at = 1 if nxt[:1] and nxt[0].bare in ("upon", "on") and nxt[1:2] and nxt[1].bare == "by" else 0
    by_verb = nxt[agent_at + 1 : agent_at + 2] and nxt[agent_at + 1].bare.endswith("ing")
    if nxt[agent_at : agent_at + 1] and nxt[agent_at].bare == "by" and not by_verb and not words[last].text.endswith(","):
        agent = _np_after(body, nxt[agent_at].end, region_end, lex)
        if agent is not None:
            k = _local(words, i, region_start, region_end) - 1
            local = [w for w in words if w.end > region_start and w.start < region_end]
            noun_start = _claim_noun_start(sent, local, k)
            start = local[noun_start].start if noun_start is not None else (subject.start if subject else m.start())
            end = _clause_end(body, agent.end, region_end)
            content = Span(*trim(body, start, end, " ,.;:"))
            if noun_start is not None:
                answers = _previous_clause(body, region_start, start)
            return Attribution(sent.span, Span(m.start(), m.end()), form, kind, agent, "agent", content, False,
                               inside=inside, answers=answers, frame_start=start)
    if passive:
        if subject is not None and sent.body[subject.start : subject.end].lower().split()[-1:] and sent.body[subject.start : subject.end].lower().split()[-1] in lex.expletives and nxt[:1] and nxt[0].bare in lex.complementisers:
            subject, subject_how = None, "impersonal"
            notes.append("no speaker named: an impersonal passive")
        else:
            return None  # "was said to be", "was announced": nobody is said to have said it
    elif subject is not None:
        low = body[subject.start : subject.end].lower().replace("’", "'")
        first_word = low.split()[0]
        if low in lex.pronouns:
            subject_how = "pronoun"
        elif first_word in lex.expletives and len(low.split()) > 1:
            subject = None
        # "a claim that X rejected": X denies the clause before the claim noun
        if subject is not None and how == "opener":
            local = [w for w in words if w.end > region_start and w.start < region_end]
            li = _local(words, i, region_start, region_end)
            opener = next((k for k in range(li - 1, -1, -1) if local[k].start < subject.start), None)
            if opener is not None and local[opener].bare in ("that", "which"):
                noun_start = _claim_noun_start(sent, local, opener - 1)
                if noun_start is not None and local[opener - 1].bare in lex.claim_nouns:
                    start = local[noun_start].start
                    end = _clause_end(body, m.end(), region_end)
                    answers = _previous_clause(body, region_start, start)
                    return Attribution(sent.span, Span(m.start(), m.end()), form, kind, subject, "before",
                                       Span(*trim(body, start, end, " ,.;:")), False, inside=inside, answers=answers,
                                       frame_start=start)
    if subject is None and subject_how != "impersonal":
        prev_text = body[region_start : m.start()].rstrip()
        if form.endswith("ing") and found and (prev_text.endswith(",") or prev_text.lower().endswith((" while", " by", " and"))):
            holder = found[-1]
            subject, subject_how = holder.subject, "inherited"
            frame_start = m.start()
            if holder.subject is None:
                return None
        elif prev_text.endswith((",”", "”,", ',"', '",', ",’", ",")) and not form.endswith("ing"):
            subject = _np_after(body, after, region_end, lex)
            subject_how = "after"
            if subject is None:
                return None
            after = subject.end
        else:
            return None
    content, quotation, parts = _content(sent, words, m, last, after, subject, subject_how, form, region_start, region_end)
    if content is None:
        return None
    return Attribution(sent.span, Span(m.start(), m.end()), form, kind, subject, subject_how, content, quotation, tuple(parts),
                       inside=inside, frame_start=min(frame_start, subject.start) if subject and subject_how in ("before", "pronoun") else frame_start,
                       notes=tuple(notes))


def _local(words: list[_Word], i: int, start: int, end: int) -> int:
    return sum(1 for w in words[:i] if w.end > start and w.start < end)


def _clause_end(body: str, pos: int, limit: int) -> int:
    m = re.compile(r"[,;]\s|[.!?](?:\s|$)|[.!?][”\"’]").search(body, pos, limit)
    return m.start() if m else limit


def _previous_clause(body: str, start: int, end: int) -> Span | None:
    s, e = trim(body, start, end, " ,;:")
    return Span(s, e) if s < e else None


_PARENTHETICAL = ("in", "on", "at", "during", "via", "through", "speaking", "writing", "addressing", "later", "earlier", "however", "meanwhile")
_STARTS_FRAME = ("in ", "on ", "at ", "during ", "outside ", "late ", "earlier ", "via ", "through ")


def _content(sent: _Sentence, words: list[_Word], m: re.Match, last: int, after: int, subject: Span | None, how: str,
             form: str, region_start: int, region_end: int) -> tuple[Span | None, bool, list[Span]]:
    body = sent.body
    frame_first = subject.start if subject is not None and how in ("before", "pronoun") else m.start()
    if how == "after":
        frame_first = m.start()
    # a quotation just before the frame: "“…,” X said" / "“…,” said X"
    before_q = next((q for q in sent.quotes if q.end <= frame_first and not body[q.end : frame_first].strip(" ,”\"’»")), None)
    if before_q is not None and not (sent.quote_at(m.start())):
        parts = [before_q]
        follow = next((q for q in sent.quotes if q.start > after and not body[after : q.start].strip(" ,:”\"“‘’").strip() or
                       (q.start > after and re.fullmatch(r"[\s,]*(?:(?:in|on|at|outside|during|to)\b[^“\"]{0,80})?[,:]?\s*[“\"‘]?", body[after : q.start]))), None)
        if follow is not None and follow.start > before_q.end:
            parts.append(follow)
        s, e = trim(body, parts[0].start, parts[-1].end, " ,")
        return Span(s, e), True, parts if len(parts) > 1 else []
    # a quotation right after the verb (or after its frame): "X said: “…”"
    q_after = next((q for q in sent.quotes if q.start > after and re.fullmatch(r"[\s,:]*[“\"‘«]", body[after : q.start])), None)
    if q_after is not None:
        s, e = trim(body, q_after.start, q_after.end, " ,")
        return Span(s, e), True, []
    # the reported clause after the verb
    pos = after
    text = body[pos:region_end]
    skip = re.match(r"[\s,:]*(?:by\s+\w+ing\s+)?(?:that\s+)?", text)
    pos += skip.end() if skip else 0
    # "said on Thursday that …", "said yesterday that …": the frame first, then the clause
    framed = re.match(r"(?:on|in|at|during|late|earlier|last|yesterday|today|outside|via|through)\b(?:[^,;“\"”]|,(?=\s*\d)){0,70}?\s+that\s+", body[pos:region_end], re.IGNORECASE)
    if framed:
        pos += framed.end()
    if form.startswith(("told", "tell", "telling")) or form in ("tells",):
        aud = re.match(r"(?:(?:a|an|the)\s+)?(?:group of\s+)?(?:media|reporters|journalists|the press|[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})(?:\s+(?:outside|at|in)\s+the\s+[\w\s]+?(?:building|office))?(?:\s+on\s+\w+day)?[\s,]*(?:that\s+)?", body[pos:region_end])
        if aud:
            pos += aud.end()
    clause_end = region_end
    s, e = trim(body, pos, clause_end, " ,.;:—–-")
    while e > s and body[e - 1] in "”\"’" and body.count("“", s, e) < body.count("”", s, e):
        e -= 1
    clause = body[s:e]
    first_word = clause.split()[0].lower() if clause.split() else ""
    if first_word in sent.lex.verb_kind and first_word.endswith("ing"):
        clause = ""  # "X said, reaffirming that …": the words X said stand before X
    if len(clause.split()) >= 4 and not clause.lower().startswith(_STARTS_FRAME):
        return Span(s, e), False, []
    if 1 <= len(clause.split()) < 4 and not clause.lower().startswith(_STARTS_FRAME) and subject is not None and how == "before":
        # a short object ("denied the claims"): the whole construction is the quote
        s2, e2 = trim(body, subject.start, e, " ,.;:")
        return Span(s2, e2), False, []
    # nothing after the verb but its frame: the words reported stand before the subject
    s, e = trim(body, region_start, frame_first, " ,;:—–-")
    if s < e and _DATELINE.match(body[s:e]):
        s += _DATELINE.match(body[s:e]).end()
    if e - s > 0 and len(body[s:e].split()) >= 3:
        return Span(s, e), False, []
    return None, False, []


def _cut_contents(body: str, found: list[Attribution]) -> list[Attribution]:
    """A reported clause ends where the next construction of its sentence starts."""
    out = []
    for k, a in enumerate(found):
        if not a.quotation and a.subject_how not in ("agent",) and a.answers is None:
            later = [b.frame_start for b in found[k + 1 :] if b.frame_start > a.content.start and b.inside == a.inside]
            later_verbs = [b.verb.start for b in found[k + 1 :] if b.subject_how == "inherited" and b.verb.start > a.content.start]
            cut = min(later + later_verbs, default=None)
            if cut is not None and cut < a.content.end:
                e = cut
                text = body[a.content.start : e]
                tail = re.search(r"(?:[\s,;]+(?:while|and|but|by|as|with|a|an|the|describing))*[\s,;]*$", text)
                e = a.content.start + (tail.start() if tail else len(text))
                s, e = trim(body, a.content.start, e, " ,;:—–-")
                if len(body[s:e].split()) >= 2:
                    a = replace(a, content=Span(s, e))
        out.append(a)
    return out


def _according_to(sent: _Sentence, words: list[_Word], found: list[Attribution]) -> list[Attribution]:
    body = sent.body
    out = []
    for m in re.finditer(r"\b[Aa]ccording to\s+", body[sent.span.start : sent.span.end]):
        at = sent.span.start + m.start()
        np_start = sent.span.start + m.end()
        stop = re.compile(r"[,;.]\s|[,;.]$|$").search(body, np_start, sent.span.end)
        np_end = stop.start() if stop and stop.start() > np_start else sent.span.end
        s, e = trim(body, np_start, np_end, " ,.;:")
        if s >= e or len(body[s:e].split()) > sent.lex.max_subject_words + 3:
            continue
        if at - sent.span.start <= 2:  # "According to X, Y."
            cs, ce = trim(body, np_end, sent.span.end, " ,.;:")
        else:  # "Y, according to X."
            cs, ce = trim(body, sent.span.start, at, " ,.;:")
        if ce - cs <= 0:
            continue
        out.append(Attribution(sent.span, Span(at, at + len("according to")), "according to", "statement", Span(s, e), "according-to",
                               Span(cs, ce), False, frame_start=at))
    return out


def _relays(atts: list[Attribution]) -> list[Attribution]:
    """"Pakistan and Afghanistan agreed …, officials said": the agreement is the claim, and the
    officials who said so are the intermediary it came through, not a second claim."""
    out = list(atts)
    for k, a in enumerate(atts):
        if a.quotation or a.subject is None or a.subject_how in ("agent", "inherited", "continuation"):
            continue
        inner = [j for j, b in enumerate(atts) if j != k and b.sentence == a.sentence and b.subject is not None and b.inside is None
                 and a.content.start <= b.verb.start < a.content.end and b.subject_how not in ("inherited",)]
        if inner and a.content.end <= a.verb.start:
            for j in inner:
                out[j] = replace(out[j], via_subject=out[j].via_subject + (a.subject,))
            out[k] = replace(a, relay_of=inner[0])
    return out
