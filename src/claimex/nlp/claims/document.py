"""The claims of a parsed Doc: sentence by sentence, with what carries over between sentences.

Carried over: the alkaloids the last sentence named (for "they", "these
compounds"), the evidence given earlier in the paragraph, the lead-in of a
list, and the remedy a heading names: in its section "it" and subjectless
lines stand for that remedy ("3. Turmeric" ... "It may ease joint pain"), not
for the document's main substance.  Titles, headings, table-of-contents lines and questions assert
nothing.  One claim per (subject, predicate, object, polarity) per sentence.
"""

from __future__ import annotations

from typing import Any

from ..claim_rules import ClaimRules
from ..cues import Cue
from ..segment import block_index_at, item_text_start
from .context import SentenceContext
from .evidence import sentence_evidence
from .lists import LeadIn, lead_in, list_item_claims
from .mentions import GENERIC_ALKALOID, Mention, doc_mentions, main_substance
from .regulatory import regulatory_claims
from .sentence import sentence_claims

NON_CLAIM_KINDS = ("title", "heading", "toc", "boilerplate", "question")
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
                remedy = e.canonical
                break
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


def extract_claims(doc, rules: ClaimRules, *, max_hops: int = 8) -> list[dict[str, Any]]:
    """All claims of a parsed Doc, as plain dicts (see ``docs/schema.md``, table claims)."""
    ents = doc_mentions(doc)
    doc_main = main_substance(ents, doc)
    section_mains = heading_remedies(doc, ents)
    cues = [Cue.from_dict(c) for c in doc._.claimex_cues or []]
    claims: list[dict[str, Any]] = []
    prev_alkaloids: list[Mention] = []
    skip = [(b[0], b[1]) for b in (doc._.claimex_blocks or []) if b[2] in NON_CLAIM_KINDS]
    lead: LeadIn | None = None
    text = doc.text
    blocks = doc._.claimex_blocks or []
    para_block, para_evidence = -2, None
    for sent in doc.sents:
        s_ents = [e for e in ents if sent.start_char <= e.start < sent.end_char]
        main = _section_main(section_mains, sent.start_char) or doc_main
        sent_text = sent.text  # rebuilt from the tokens on every access
        first = sent.start_char + len(sent_text) - len(sent_text.lstrip())
        block = block_index_at(blocks, first) if blocks else -1
        if block != para_block:
            para_block, para_evidence = block, None
        own_evidence = sentence_evidence(sent_text, sent.start_char, rules,
                                         following=text[sent.end_char:sent.end_char + 40])
        earlier_evidence, para_evidence = para_evidence, own_evidence or para_evidence
        is_item = item_text_start(text, first, sent.end_char) is not None
        if lead is not None and not is_item:
            lead = None  # the list governed by a lead-in ends at the first line that is no item
        if not s_ents and not (main and rules.regulatory):
            continue
        if any(a <= first < b for a, b in skip):
            continue  # titles, headings and table-of-contents lines assert nothing
        if sent_text.rstrip().rstrip(_CLOSING_QUOTES).endswith("?"):
            lead = None
            continue  # a question ("Is kratom safe for arthritis?") asserts nothing
        s_cues = [c for c in cues if sent.start_char <= c.start < sent.end_char]
        ctx = SentenceContext(doc, sent, s_ents, s_cues, rules, main, prev_alkaloids, max_hops,
                              own_evidence=own_evidence, paragraph_evidence=earlier_evidence)
        found = [*sentence_claims(ctx), *regulatory_claims(ctx)]
        if lead is not None and is_item:
            found += list(list_item_claims(ctx, lead, {c["object_span"][0] for c in found}))
        seen: set[tuple] = set()
        for claim in found:
            key = (claim["subject"], claim["predicate"], claim["object"], claim["polarity"])
            if key in seen:
                continue
            seen.add(key)
            claims.append(claim)
        if sent_text.rstrip().endswith(":"):
            lead = lead_in(ctx)
        specific = [e for e in s_ents if e.label == "ALKALOID" and e.canonical != GENERIC_ALKALOID]
        if specific:
            prev_alkaloids = specific
    return claims
