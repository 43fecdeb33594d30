"""The claims of a parsed Doc: sentence by sentence, with what carries over between sentences.

Carried over: the alkaloids the last sentence named (for "they", "these
compounds"), the evidence given earlier in the paragraph, the lead-in of a
list, and the remedy a heading names: in its section "it" and subjectless
lines stand for that remedy ("3. Turmeric" ... "It may ease joint pain"), not
for the document's main substance.  Titles, headings, table-of-contents lines and questions assert
nothing.  One claim per (subject, predicate, object, polarity) per sentence.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from ..claim_rules import ClaimRules
from ..cues import Cue
from ..doctext import doc_text
from ..segment import block_index_at, is_title_case, item_text_start
from .context import SentenceContext
from .evidence import sentence_evidence
from .lists import LeadIn, lead_in, list_item_claims
from .mentions import GENERIC_ALKALOID, Mention, doc_mentions, main_substance
from .regulatory import regulatory_claims
from .sentence import ellipsis_claims, sentence_claims

# run_on: more than max_sentence_tokens words without a sentence end (a keyword dump, a page
# stripped of its punctuation); table_header: the column names of a table
NON_CLAIM_KINDS = ("title", "heading", "toc", "boilerplate", "question", "run_on", "table_header")
_CLOSING_QUOTES = "\"'\u201d\u2019)] "


def heading_remedies(doc, ents: list[Mention]) -> list[tuple[int, str | None]]:
    """``(heading start, the first remedy the heading names or None)`` for every heading block."""
    from bisect import bisect_left

    starts = [e.start for e in ents]  # the mentions are in text order
    out = []
    for b in doc._.claimex_blocks or []:
        if b[2] != "heading":
            continue
        remedy = None
        for e in ents[bisect_left(starts, b[0]):bisect_left(starts, b[1])]:
            if e.label in ("SUBSTANCE", "ALKALOID", "THERAPY") and not e.generic:
                if doc[e.root_i].dep_ not in ("compound", "amod", "nmod") or doc[e.root_i].head.i == e.root_i:
                    remedy = e.canonical  # "3. Turmeric", "Turmeric for joint pain"
                break  # "The Morphine Comparison": the remedy modifies the heading's topic
        out.append((b[0], remedy))
    return out


def _section_main(section_mains: list[tuple[int, str | None]], pos: int) -> str | None:
    """The remedy of the section ``pos`` lies in (its last heading before ``pos``), or None."""
    found = None
    for start, remedy in section_mains:
        if start > pos:
            break
        found = remedy
    return found


class _ParagraphEvidence:
    """The checkable evidence of the sentences of one paragraph, read only when a claim asks for it.

    :func:`.evidence.sentence_evidence` runs regular expressions over the sentence: most
    sentences make no claim, so their evidence is read only when a later claim of the
    paragraph needs "the last evidence earlier in the paragraph".
    """

    def __init__(self, rules: ClaimRules):
        self.rules = rules
        self.items: list[list] = []  # [done, evidence, text, offset, following]

    def reset(self) -> None:
        self.items = []

    def add(self, text: str, offset: int, following: str) -> int:
        self.items.append([False, None, text, offset, following])
        return len(self.items) - 1

    def own(self, k: int):
        item = self.items[k]
        if not item[0]:
            item[1] = sentence_evidence(item[2], item[3], self.rules, following=item[4])
            item[0] = True
        return item[1]

    def earlier(self, k: int):
        """The evidence of the last sentence before the ``k``-th that has any, or None."""
        for j in range(k - 1, -1, -1):
            found = self.own(j)
            if found is not None:
                return found
        return None

    def reader(self, k: int):
        return (lambda: self.own(k)), (lambda: self.earlier(k))


HEADING_SHAPED_WORDS = 8  # at most this many words in a Title Case line without a sentence end


def _heading_shaped(text: str, start: int, end: int, is_item: bool) -> bool:
    """A short Title Case line (or list item) without a sentence end, that the segmenter left in
    a paragraph or a list: "Magnesium for Sleep", "• Turmeric For Joint Pain"."""
    line = text[start:end]
    if is_item:
        k = item_text_start(text, start, end)
        line = text[k:end] if k is not None else line
    line = line.strip()
    words = line.split()
    if not words or len(words) > HEADING_SHAPED_WORDS or len(words) < 2 or "\n" in line or any(
            c.isdigit() for c in line):  # "Beginners: 2 Grams" is a dose
        return False
    if line.rstrip(_CLOSING_QUOTES)[-1:] in (".", "!", "?", ":", ";", ","):
        return False
    return is_title_case(line) and words[0][:1].isupper()


def _sorted_by_start(items: list) -> bool:
    return all(items[k].start <= items[k + 1].start for k in range(len(items) - 1))


def _in_range(items: list, starts: list[int] | None, lo: int, hi: int) -> list:
    """The items whose start lies in ``[lo, hi)``, in their order (by bisection when sorted)."""
    if starts is None:
        return [x for x in items if lo <= x.start < hi]
    return items[bisect_left(starts, lo):bisect_left(starts, hi)]


def _token_masks(doc, rules: ClaimRules):
    """Per token: whether it has a dependency label (None when no token has one), and whether it
    can be part of a regulatory cue (its lower-case form or lemma in ``rules.regulatory_words``)."""
    import numpy

    arr = doc.to_array(["DEP", "LOWER", "LEMMA"]) if len(doc) else numpy.zeros((0, 3), dtype="uint64")
    parsed = arr[:, 0] != 0
    lowers, lemmas = rules.regulatory_words
    strings = doc.vocab.strings
    cue_ids = set()
    for h in set(arr[:, 1].tolist()):
        if strings[h] in lowers:
            cue_ids.add(h)
    lemma_ids = set()
    for h in set(arr[:, 2].tolist()):
        if h and strings[h].lower() in lemmas:
            lemma_ids.add(h)
    cue = numpy.fromiter((lo in cue_ids or le in lemma_ids for lo, le in zip(arr[:, 1].tolist(), arr[:, 2].tolist())),
                         dtype=bool, count=len(arr))
    return parsed, cue


def _sentence_topic(sent, s_ents: list[Mention], before: str | None) -> str | None:
    """The label of the entity the sentence's subject names ("Osteoarthritis is a joint disease":
    CONDITION); a subject "it" keeps the topic before; None for any other subject."""
    subj = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return None
    if subj.lower_ == "it":
        return before
    for e in s_ents:
        if e.tokens[0] <= subj.i < e.tokens[1]:
            return e.label
    return None


def extract_claims(doc, rules: ClaimRules, *, max_hops: int = 8) -> list[dict[str, Any]]:
    """All claims of a parsed Doc, as plain dicts (see ``docs/schema.md``, table claims).

    A sentence whose tokens carry no dependency parse makes no claim (a pipeline may leave
    sentences without any entity unparsed).
    """
    text = doc_text(doc)
    ents = doc_mentions(doc)
    doc_main = main_substance(ents, doc, rules=rules)
    section_mains = heading_remedies(doc, ents)
    cues = [Cue.from_dict(c) for c in doc._.claimex_cues or []]
    ent_starts = [e.start for e in ents] if _sorted_by_start(ents) else None
    cue_starts = [c.start for c in cues] if _sorted_by_start(cues) else None
    parsed, reg_cue = _token_masks(doc, rules)
    alkaloid_names = {e.canonical for e in ents if e.label == "ALKALOID" and not e.generic}
    therapy_names = {e.canonical for e in ents if e.label == "THERAPY"} - {e.canonical for e in ents
                                                                          if e.label == "SUBSTANCE"}
    claims: list[dict[str, Any]] = []
    prev_alkaloids: list[Mention] = []
    skip = [(b[0], b[1]) for b in (doc._.claimex_blocks or []) if b[2] in NON_CLAIM_KINDS]
    toc = [(b[0], b[1]) for b in (doc._.claimex_blocks or []) if b[2] == "toc"]
    lead: LeadIn | None = None
    topic: str | None = None  # the label of the entity the last sentence is about (its subject)
    blocks = doc._.claimex_blocks or []
    para_block = -2
    paragraph = _ParagraphEvidence(rules)
    for sent in doc.sents:
        s_ents = _in_range(ents, ent_starts, sent.start_char, sent.end_char)
        topic_before, topic = topic, _sentence_topic(sent, s_ents, topic)
        if s_ents and not parsed[sent.start:sent.end].all():
            # a mention on tokens with no parse (a sentence the pipeline left unparsed) is no claim's part
            s_ents = [e for e in s_ents if parsed[e.tokens[0]:e.tokens[1]].any()]
        main = _section_main(section_mains, sent.start_char) or doc_main
        sent_text = text[sent.start_char:sent.end_char]  # == sent.text
        first = sent.start_char + len(sent_text) - len(sent_text.lstrip())
        block = block_index_at(blocks, first) if blocks else -1
        if block != para_block:
            para_block = block
            paragraph.reset()
        k_para = paragraph.add(sent_text, sent.start_char, text[sent.end_char:sent.end_char + 40])
        is_item = item_text_start(text, first, sent.end_char) is not None
        if lead is not None and not is_item:
            lead = None  # the list governed by a lead-in ends at the first line that is no item
        if not s_ents and not (main and rules.regulatory):
            continue
        if any(a <= first < b for a, b in skip) and not (
                lead is not None and is_item and any(a <= first < b for a, b in toc)):
            # titles, headings and table-of-contents lines assert nothing; but items right under
            # a lead-in ("Products affected by the recall include:") are its list, whatever
            # their title-case look
            continue
        if sent_text.rstrip().rstrip(_CLOSING_QUOTES).endswith("?"):
            lead = None
            continue  # a question ("Is kratom safe for arthritis?") asserts nothing
        lead_line = sent_text.rstrip().endswith(":")
        regulated_item = lead is not None and is_item and lead.predicate == "REGULATED"
        if not s_ents and not lead_line and not regulated_item and not reg_cue[sent.start:sent.end].any():
            continue  # no entity, no regulatory cue, no lead-in: nothing to claim
        if not parsed[sent.start:sent.end].any():
            if lead_line:
                lead = None
            continue  # an unparsed sentence makes no claim
        s_cues = _in_range(cues, cue_starts, sent.start_char, sent.end_char)
        ctx = SentenceContext(doc, sent, s_ents, s_cues, rules, main, prev_alkaloids, max_hops,
                              text=sent_text, evidence=paragraph.reader(k_para),
                              main_is_constituent=main in alkaloid_names,
                              dose_main=doc_main if main in therapy_names else main,
                              regulatory_words_here=bool(reg_cue[sent.start:sent.end].any()))
        ctx.prev_topic = topic_before
        if _heading_shaped(text, first, sent.end_char, is_item):
            found = []  # "• Magnesium for Sleep" in a list of sections: a heading, not an assertion
        else:
            found = [*sentence_claims(ctx), *regulatory_claims(ctx)]
            if "do" in ctx.lemma_set or "be" in ctx.lemma_set:
                found += ellipsis_claims(ctx, found)
        if lead is not None and is_item:
            found += list(list_item_claims(ctx, lead, {c["object_span"][0] for c in found}))
        seen: set[tuple] = set()
        for claim in found:
            key = (claim["subject"], claim["predicate"], claim["object"], claim["polarity"])
            if key in seen:
                continue
            seen.add(key)
            claims.append(claim)
        if lead_line:
            lead = lead_in(ctx)
        specific = [e for e in s_ents if e.label == "ALKALOID" and not e.generic and e.canonical != GENERIC_ALKALOID]
        if specific:
            prev_alkaloids = specific
    return claims
