"""Extractors: pure functions from a processed ``Doc`` to table rows.

A document longer than the piece limit is processed as several ``Doc`` pieces;
``offset`` is the character offset of the piece inside the stored document
text, and a :class:`DocAccumulator` keeps sentence, entity and claim counters
running across pieces so that ids and offsets are those of the whole document.
Ids are ``<doc_id>-s0007`` (sentence), ``<doc_id>-e0012`` (entity) and
``<doc_id>-c0003`` (claim): stable for the same input and readable by people.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Sequence

from .citations import find_citation_markers, markers_by_sentence
from .doctext import doc_text
from .segment import block_index_at, item_text_start

Block = Sequence[Any]  # [start, end, kind, section, paragraph]


def sent_id(doc_id: str, index: int) -> str:
    return f"{doc_id}-s{index:04d}"


def ent_id(doc_id: str, index: int) -> str:
    return f"{doc_id}-e{index:04d}"


def claim_id(doc_id: str, index: int) -> str:
    return f"{doc_id}-c{index:04d}"


def claim_key(subject: str, predicate: str, obj: str) -> str:
    return f"{subject}|{predicate}|{obj}"


@dataclass
class DocAccumulator:
    """Rows of one document, gathered over its pieces."""

    doc_id: str
    blocks: list[Block] | None = None  # whole-document blocks when the doc was split
    sentences: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    n_words: int = 0

    def add_piece(self, doc, offset: int = 0) -> None:
        blocks = self.blocks
        if blocks is None:
            blocks = [list(b) for b in (doc._.claimex_blocks or [])]
            blocks = [[b[0] + offset, b[1] + offset, *b[2:]] for b in blocks]
        self.n_words += count_words(doc)
        first_sent = len(self.sentences)
        sents = sentence_rows(doc, self.doc_id, blocks, offset=offset, first_index=first_sent)
        self.sentences.extend(sents)
        ents = entity_rows(doc, self.doc_id, sents, offset=offset, first_index=len(self.entities))
        self.entities.extend(ents)
        self.claims.extend(claim_rows(doc, self.doc_id, sents, ents, offset=offset,
                                      first_index=len(self.claims)))


def count_words(doc) -> int:
    """Tokens that are neither space nor punctuation (read from the Doc's columns: no Token objects)."""
    if not len(doc):
        return 0
    from spacy.attrs import IS_PUNCT, IS_SPACE

    return int((doc.to_array([IS_SPACE, IS_PUNCT]).sum(axis=1) == 0).sum())


def _cues_in(cues: list[dict[str, Any]], kind: str, start: int, end: int,
             starts: list[int] | None = None) -> list[str]:
    """Distinct cues of ``kind`` starting in ``[start, end)``; ``cues`` sorted by start,
    ``starts`` their start offsets (computed when not given)."""
    if starts is None:
        starts = [c["start"] for c in cues]
    lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    found = [c["cue"] for c in cues[lo:hi] if c["kind"] == kind]
    return list(dict.fromkeys(found))


def sentence_rows(doc, doc_id: str, blocks: list[Block], *, offset: int = 0,
                  first_index: int = 0) -> list[dict[str, Any]]:
    """One row per sentence, whitespace-only sentences dropped."""
    cues = sorted((dict(c, start=c["start"] + offset) for c in (doc._.claimex_cues or [])),
                  key=lambda c: c["start"])
    cue_starts = [c["start"] for c in cues]
    rows = []
    whole = doc_text(doc)
    for sent in doc.sents:
        sent_text = whole[sent.start_char:sent.end_char]  # = sent.text, which joins its tokens anew
        text = sent_text.strip()
        if not text:
            continue
        lead = len(sent_text) - len(sent_text.lstrip())
        item = item_text_start(text)
        if item is not None:
            lead += item  # a list item's row starts at its text, not at its bullet
            text = text[item:]
        start = sent.start_char + lead + offset
        end = start + len(text)
        i = block_index_at(blocks, start)
        block = blocks[i] if i >= 0 else None
        hedges = _cues_in(cues, "hedge", start, end, cue_starts)
        negs = _cues_in(cues, "negation", start, end, cue_starts)
        index = first_index + len(rows)
        rows.append({
            "doc_id": doc_id,
            "sent_id": sent_id(doc_id, index),
            "sent_index": index,
            "start_char": start,
            "end_char": end,
            "text": text,
            "section": block[3] if block else None,
            "section_kind": block[2] if block else "body",
            "paragraph": block[4] if block else 0,
            "hedged": bool(hedges),
            "hedge_cues": hedges,
            "negated": bool(negs),
            "negation_cues": negs,
        })
    # numeric reference markers ("relief.2", "[4]"), document offsets (docs/schema.md: citations)
    markers = find_citation_markers(whole)
    spans = [(r["start_char"] - offset, r["end_char"] - offset) for r in rows]
    per_sentence = markers_by_sentence(markers, spans, whole) if markers else [[] for _ in rows]
    for row, found in zip(rows, per_sentence):
        row["citations"] = [{"start": m.start + offset, "end": m.end + offset, "text": m.text} for m in found]
    return rows


def sentence_at(sents: list[dict[str, Any]], pos: int,
                starts: list[int] | None = None) -> dict[str, Any] | None:
    """The sentence row holding offset ``pos``; ``starts`` are the rows' ``start_char``."""
    if starts is None:
        starts = [s["start_char"] for s in sents]
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and pos < sents[i]["end_char"]:
        return sents[i]
    return None


def entity_rows(doc, doc_id: str, sents: list[dict[str, Any]], *, offset: int = 0,
                first_index: int = 0) -> list[dict[str, Any]]:
    rows = []
    text = doc_text(doc)
    starts = [s["start_char"] for s in sents]
    for ent in doc._.claimex_ents or []:
        start, end = ent["start"] + offset, ent["end"] + offset
        sent = sentence_at(sents, start, starts)
        if sent is None:
            continue
        index = first_index + len(rows)
        rows.append({
            "doc_id": doc_id,
            "sent_id": sent["sent_id"],
            "ent_id": ent_id(doc_id, index),
            "start_char": start,
            "end_char": end,
            "text": text[ent["start"]:ent["end"]],
            "label": ent["label"],
            "canonical": ent["canonical"],
            "group": None if ent["label"] == "DOSE" else (ent.get("group") or ent["canonical"]),
            "match": ent.get("match", "lexicon"),
            "dose_min": ent.get("dose_min"),
            "dose_max": ent.get("dose_max"),
            "dose_unit": ent.get("dose_unit"),
            "dose_period": ent.get("dose_period"),
            "dose_frequency": ent.get("dose_frequency"),
            "dose_role": ent.get("dose_role"),
        })
    return rows


def claim_rows(doc, doc_id: str, sents: list[dict[str, Any]], ents: list[dict[str, Any]], *,
               offset: int = 0, first_index: int = 0) -> list[dict[str, Any]]:
    by_span = {(e["start_char"], e["end_char"]): e["ent_id"] for e in ents}
    rows = []
    text = doc_text(doc)
    starts = [s["start_char"] for s in sents]
    for c in doc._.claimex_claims or []:
        # as the sentence row: a list item's text without its bullet
        c_start = item_text_start(text, c["start"], c["end"]) or c["start"]
        c_end = c_start + len(text[c_start:c["end"]].rstrip())  # no trailing line breaks
        start, end = c_start + offset, c_end + offset
        sent = sentence_at(sents, start, starts)
        if sent is None:
            continue

        def _ent(span):
            if not span:
                return None
            return by_span.get((span[0] + offset, span[1] + offset))

        index = first_index + len(rows)
        rows.append({
            "claim_id": claim_id(doc_id, index),
            "doc_id": doc_id,
            "sent_id": sent["sent_id"],
            "start_char": start,
            "end_char": end,
            "text": text[c_start:c_end],
            "subject": c["subject"],
            "predicate": c["predicate"],
            "object": c["object"],
            "subject_text": c["subject_text"],
            "object_text": c["object_text"],
            "subject_ent_id": _ent(c.get("subject_span")),
            "object_ent_id": _ent(c.get("object_span")),
            "polarity": c["polarity"],
            "hedged": bool(c["hedged"]),
            "hedge_cues": list(c.get("hedge_cues") or []),
            "certainty": c["certainty"],
            "strength": c.get("strength"),
            "attribution": c["attribution"],
            "evidence": c["evidence"],
            "evidence_text": text[c["evidence_span"][0]:c["evidence_span"][1]] if c.get("evidence_span") else None,
            "evidence_start": c["evidence_span"][0] + offset if c.get("evidence_span") else None,
            "evidence_end": c["evidence_span"][1] + offset if c.get("evidence_span") else None,
            "qualifiers": [dict(q) for q in c.get("qualifiers") or []],
            "dose_min": c.get("dose_min"),
            "dose_max": c.get("dose_max"),
            "dose_unit": c.get("dose_unit"),
            "dose_period": c.get("dose_period"),
            "claim_key": claim_key(c["subject"], c["predicate"], c["object"]),
        })
    return rows
