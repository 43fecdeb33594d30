"""The report's view model: everything the HTML and Markdown renderers show.

:func:`prepare` turns the rows of a processed folder into a :class:`Report`
(pure and deterministic): documents labelled D1..Dn in (source, doc_id) order,
flags ordered by severity then score with their statement, opposing statements,
entities and earlier verdict, the per-source chart counts, and the claim matrix
(one row per claim group, one cell state per document).
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..schema import SEVERITIES, VERDICTS
from .escape import make_anchors
from .load import Processed

#: flag kinds in display order (most serious first); unknown kinds follow, sorted.
KIND_ORDER = ("contradicted", "overstated", "unsupported", "hedged")
SEVERITY_RANK = {severity: rank + 1 for rank, severity in enumerate(SEVERITIES)}  # high = 3

#: matrix cell states: symbol and the words shown next to it
CELL_STATES = {
    "affirmed": ("✔", "affirmed"),
    "negated": ("✘", "negated"),
    "hedged": ("≈", "hedged"),
    "mixed": ("±", "mixed"),
    "silent": ("·", "silent"),
}
CELL_LEGEND = {
    "affirmed": "the source states the claim",
    "negated": "the source denies the claim",
    "hedged": "the source states it only with a hedge (may, might, ...)",
    "mixed": "the source both states and denies it",
    "silent": "the source does not make the claim",
}

MAX_OPPOSING = 3          # opposing sentences shown per flag (the rest are listed by document)
MAX_CHART_SOURCES = 20    # bars in the per-source chart (the rest are summed as "other")
MAX_MATRIX_COLS = 100     # document columns of the claim matrix
MATRIX_COMPACT_COLS = 16  # more columns than this: the matrix is compact (a symbol per cell, silent cells blank)

Entity = tuple[int, int, str, str]  # (start_char, end_char, label, canonical) in document offsets
#: doc_id -> (entity starts, entities), both sorted by start (longest first)
EntityIndex = dict[str, tuple[list[int], list[Entity]]]


@dataclass
class DocView:
    doc_id: str
    label: str            # "D1", "D2", ... in (source, doc_id) order
    index: int
    anchor: str           # HTML id of the <details>
    source: str
    title: str | None
    url: str | None
    sources: list[str]
    format: str | None
    n_words: int | None
    text: str
    sentences: list[dict[str, Any]] = field(default_factory=list)
    n_claims: int = 0
    n_flags: int = 0

    def sentence_anchor(self, sent: dict[str, Any]) -> str:
        return f"{self.anchor}-s{int(sent['sent_index'])}"

    @property
    def display_title(self) -> str:
        return self.title if self.title and self.title.strip() else "(untitled)"


@dataclass
class GroupRow:
    group_key: str
    triple: tuple[str, str, str]
    aka: list[tuple[str, str, str]]
    verdict: str
    contradicted: bool
    n_flags: int
    cells: dict[str, tuple[str, int]]   # doc_id -> (state, number of claims)


@dataclass
class Statement:
    """One claim with its document and sentence, ready to render."""

    claim: dict[str, Any]
    doc: DocView | None
    sentence: dict[str, Any] | None


@dataclass
class FlagView:
    flag: dict[str, Any]
    number: int
    anchor: str
    kind: str
    severity: str
    score: float
    triple: tuple[str, str, str]
    statement: Statement | None
    doc: DocView | None
    opposing: list[Statement]
    more_docs: list[DocView]
    n_more: int
    entities: list[str]
    order: int = 0
    verdict: dict[str, Any] | None = None   # the earlier review's verdict row (verdicts.parquet)
    new: bool = False                       # the flag did not exist at the last review


@dataclass
class Report:
    processed: Processed
    docs: list[DocView]
    docs_by_id: dict[str, DocView]
    counts: dict[str, int]
    kinds: list[str]
    flags_by_kind: Counter
    chart: list[tuple[str, Counter]]          # the sources with the most flags
    chart_other: tuple[int, Counter] | None   # (number of other sources, their flags)
    groups: list[GroupRow]
    n_groups: int
    n_contradicted_groups: int
    matrix_cols: list[DocView]
    matrix_notes: list[str]
    flags: list[FlagView]
    sources: list[str]
    entity_names: list[str]
    ents_by_doc: EntityIndex
    claim_sents: set[tuple[str, str]]
    flags_by_sent: dict[tuple[str, str], list[FlagView]]
    matrix_compact: bool = False   # more than MATRIX_COMPACT_COLS document columns


# ---------------------------------------------------------------------------
# small queries shared by the renderers

def entity_index(entities: list[dict[str, Any]]) -> EntityIndex:
    """The entities of each document, sorted by start (longest first), with their starts for bisecting."""
    by_doc: dict[str, list[Entity]] = defaultdict(list)
    for e in entities:
        by_doc[str(e["doc_id"])].append((int(e["start_char"]), int(e["end_char"]),
                                         str(e["label"]), str(e["canonical"])))
    index = {}
    for doc_id, items in by_doc.items():
        items.sort(key=lambda t: (t[0], -t[1], t[2], t[3]))
        index[doc_id] = ([t[0] for t in items], items)
    return index


def entities_in(index: EntityIndex, doc_id: str, start: int, end: int) -> list[Entity]:
    """The entities of ``doc_id`` that lie within ``[start, end)`` (document offsets)."""
    starts, items = index.get(doc_id, ([], []))
    lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    return [t for t in items[lo:hi] if t[1] <= end]


def sent_text(doc: DocView | None, sent: dict[str, Any]) -> tuple[str, int]:
    """The sentence text and its start offset, taken from the document text when
    the offsets fit it (so entity offsets line up), else from the sentences table."""
    start, end = sent.get("start_char"), sent.get("end_char")
    if doc is not None and isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(doc.text):
        return doc.text[start:end], start
    return str(sent.get("text") or ""), int(start or 0)


def triple_of(row: dict[str, Any] | None, key: str = "") -> tuple[str, str, str]:
    """``(subject, predicate, object)`` of a claim or group row, else split from a ``s|p|o`` key."""
    if row is not None:
        return (str(row.get("subject") or ""), str(row.get("predicate") or ""), str(row.get("object") or ""))
    parts = key.split("|")
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    return key, "", ""


def triple_text(triple: tuple[str, str, str]) -> str:
    return " ".join(t for t in triple if t)


def _kind_order(kinds: set[str]) -> list[str]:
    """All documented kinds (so zero counts show), then any unknown kinds, sorted."""
    return list(KIND_ORDER) + sorted(k for k in kinds if k not in KIND_ORDER)


def _cell_state(claims: list[dict[str, Any]]) -> str:
    affirmed = any(c["polarity"] == "affirmed" and not c["hedged"] for c in claims)
    negated = any(c["polarity"] == "negated" and not c["hedged"] for c in claims)
    if affirmed and negated:
        return "mixed"
    if affirmed:
        return "affirmed"
    if negated:
        return "negated"
    return "hedged" if claims else "silent"


# ---------------------------------------------------------------------------
# preparation, one step per part of the report

@dataclass
class _Corpus:
    """The lookups the preparation steps share."""

    docs: list[DocView]
    docs_by_id: dict[str, DocView]
    sent_by_key: dict[tuple[str, str], dict[str, Any]]
    claims_by_id: dict[str, dict[str, Any]]
    ents: EntityIndex
    group_of: dict[str, str]                                   # claim_key -> group_key
    group_members: dict[str, dict[str, dict[str, Any]]]       # group_key -> claim_key -> group row
    claims_in_group: dict[str, list[dict[str, Any]]]

    def group(self, claim_key: Any) -> str:
        return self.group_of.get(str(claim_key), str(claim_key))

    def statement(self, claim: dict[str, Any]) -> Statement:
        doc = self.docs_by_id.get(str(claim["doc_id"]))
        return Statement(claim, doc, self.sent_by_key.get((str(claim["doc_id"]), str(claim["sent_id"]))))

    def doc_index(self, doc_id: str) -> int:
        doc = self.docs_by_id.get(doc_id)
        return doc.index if doc is not None else len(self.docs)


def _documents(p: Processed) -> list[DocView]:
    """The documents, labelled D1..Dn in (source, doc_id) order."""
    doc_rows = sorted(p.documents, key=lambda d: (str(d["source"]), str(d["doc_id"])))
    anchors = make_anchors("doc-", [str(d["doc_id"]) for d in doc_rows])
    docs = []
    for i, d in enumerate(doc_rows):
        doc_id = str(d["doc_id"])
        docs.append(DocView(
            doc_id=doc_id, label=f"D{i + 1}", index=i, anchor=anchors[doc_id],
            source=str(d["source"]), title=d.get("title"), url=d.get("url"),
            sources=[str(s) for s in (d.get("sources") or [])], format=d.get("format"),
            n_words=d.get("n_words"), text=str(d.get("text") or ""),
        ))
    return docs


def _corpus(p: Processed) -> _Corpus:
    docs = _documents(p)
    docs_by_id = {d.doc_id: d for d in docs}
    sent_by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for s in p.sentences:
        sent_by_key[(str(s["doc_id"]), str(s["sent_id"]))] = s
        doc = docs_by_id.get(str(s["doc_id"]))
        if doc is not None:
            doc.sentences.append(s)
    for doc in docs:
        doc.sentences.sort(key=lambda s: (int(s["start_char"]), int(s["sent_index"])))
    for c in p.claims:
        doc = docs_by_id.get(str(c["doc_id"]))
        if doc is not None:
            doc.n_claims += 1
    group_of: dict[str, str] = {}
    group_members: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for g in p.claim_groups:
        group_of[str(g["claim_key"])] = str(g["group_key"])
        group_members[str(g["group_key"])][str(g["claim_key"])] = g
    claims_in_group: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in p.claims:
        claims_in_group[group_of.get(str(c["claim_key"]), str(c["claim_key"]))].append(c)
    return _Corpus(docs=docs, docs_by_id=docs_by_id, sent_by_key=sent_by_key,
                   claims_by_id={str(c["claim_id"]): c for c in p.claims}, ents=entity_index(p.entities),
                   group_of=group_of, group_members=group_members, claims_in_group=claims_in_group)


def _flag_view(f: dict[str, Any], anchor: str, cx: _Corpus) -> FlagView:
    """One flag with its statement, its opposing statements and the entities it mentions."""
    claim = cx.claims_by_id.get(str(f["claim_id"]))
    st = cx.statement(claim) if claim is not None else None
    doc = cx.docs_by_id.get(str(f["doc_id"])) or (st.doc if st else None)
    related_ids = [str(r) for r in (f.get("related_claim_ids") or [])]
    related = [cx.claims_by_id[r] for r in dict.fromkeys(related_ids)
               if r in cx.claims_by_id and r != str(f["claim_id"])]
    if not related and f["flag"] == "contradicted" and claim is not None:
        related = [c for c in cx.claims_in_group.get(cx.group(claim["claim_key"]), [])
                   if c["doc_id"] != claim["doc_id"] and c["polarity"] != claim["polarity"]]
    related.sort(key=lambda c: (cx.doc_index(str(c["doc_id"])), int(c.get("start_char") or 0), str(c["claim_id"])))
    rest = related[MAX_OPPOSING:]
    more_ids = list(dict.fromkeys(str(c["doc_id"]) for c in rest))
    names: set[str] = set()
    if claim is not None:
        names.update({str(claim["subject"]), str(claim["object"])})
    if st is not None and st.sentence is not None:
        text, base = sent_text(st.doc, st.sentence)
        names.update(t[3] for t in entities_in(cx.ents, str(claim["doc_id"]), base, base + len(text)))
    names.discard("")
    score = f.get("score")
    return FlagView(
        flag=f, number=0, anchor=anchor, kind=str(f["flag"]),
        severity=str(f["severity"]), score=float(score) if score is not None else 0.0,
        triple=triple_of(claim, str(f["claim_key"])), statement=st, doc=doc,
        opposing=[cx.statement(c) for c in related[:MAX_OPPOSING]],
        more_docs=[cx.docs_by_id[d] for d in more_ids if d in cx.docs_by_id], n_more=len(rest),
        entities=sorted(names),
    )


def _flag_views(p: Processed, cx: _Corpus) -> list[FlagView]:
    """Every flag, most severe first (then by score, then in document order), numbered from 1."""
    anchors = make_anchors("flag-", [str(f["flag_id"]) for f in p.flags])
    views = []
    fresh = set(p.review.new)
    for f in p.flags:
        v = _flag_view(f, anchors[str(f["flag_id"])], cx)
        v.verdict = p.review.kept.get(str(f["flag_id"]))
        v.new = str(f["flag_id"]) in fresh
        if v.doc is not None:
            v.doc.n_flags += 1
        views.append(v)

    def doc_order_key(v: FlagView) -> tuple:
        sent = v.statement.sentence if v.statement else None
        return (v.doc.index if v.doc else len(cx.docs), int(sent["start_char"]) if sent else 0,
                str(v.flag["flag_id"]))

    for rank, v in enumerate(sorted(views, key=doc_order_key)):
        v.order = rank
    views.sort(key=lambda v: (-SEVERITY_RANK.get(v.severity, 0), -v.score, v.order))
    for i, v in enumerate(views):
        v.number = i + 1
    return views


def _chart(views: list[FlagView]) -> tuple[list[tuple[str, Counter]], tuple[int, Counter] | None]:
    """Flags per document source: the sources with the most flags, and the rest summed."""
    per_source: dict[str, Counter] = defaultdict(Counter)
    for v in views:
        per_source[v.doc.source if v.doc else "(unknown document)"][v.kind] += 1
    ranked = sorted(per_source.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    if len(ranked) <= MAX_CHART_SOURCES:
        return ranked, None
    other: Counter = Counter()
    for _, counter in ranked[MAX_CHART_SOURCES:]:
        other.update(counter)
    return ranked[:MAX_CHART_SOURCES], (len(ranked) - MAX_CHART_SOURCES, other)


def _group_rows(p: Processed, cx: _Corpus) -> list[GroupRow]:
    """One matrix row per claim group, contradicted groups first, then by flags and sources."""
    flags_in_group: Counter = Counter()
    contradicted_groups: set[str] = set()
    for f in p.flags:
        gk = cx.group(f["claim_key"])
        flags_in_group[gk] += 1
        if f["flag"] == "contradicted":
            contradicted_groups.add(gk)
    rows: list[GroupRow] = []
    for gk, members_claims in cx.claims_in_group.items():
        members = cx.group_members.get(gk, {})
        by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for c in members_claims:
            by_doc[str(c["doc_id"])].append(c)
        member_keys = sorted(set(members) | {str(c["claim_key"]) for c in members_claims})
        key_counts = Counter(str(c["claim_key"]) for c in members_claims)
        rep_key = gk if gk in member_keys else min(member_keys, key=lambda k: (-key_counts[k], k))

        def row_of(k: str) -> dict[str, Any] | None:
            return members.get(k) or next((c for c in members_claims if c["claim_key"] == k), None)

        verdicts = {str(m["verdict"]) for m in members.values()}
        verdict = next((v for v in VERDICTS if v in verdicts), min(verdicts) if verdicts else "")
        contradicted = verdict == "contradicted" or gk in contradicted_groups
        if contradicted:
            verdict = "contradicted"
        rows.append(GroupRow(group_key=gk, triple=triple_of(row_of(rep_key), rep_key),
                             aka=[triple_of(row_of(k), k) for k in member_keys if k != rep_key],
                             verdict=verdict, contradicted=contradicted, n_flags=flags_in_group[gk],
                             cells={doc_id: (_cell_state(cs), len(cs)) for doc_id, cs in by_doc.items()}))
    rows.sort(key=lambda r: (not r.contradicted, -r.n_flags, -len(r.cells), " ".join(r.triple), r.group_key))
    return rows


def _matrix_columns(shown: list[GroupRow], docs: list[DocView], max_cols: int) -> list[DocView]:
    """Every document, or when there are more than ``max_cols`` those with the most claims in ``shown``."""
    if len(docs) <= max_cols:
        return list(docs)
    activity: Counter = Counter()
    for r in shown:
        activity.update(r.cells.keys())
    chosen = sorted((d for d in docs if activity[d.doc_id]), key=lambda d: (-activity[d.doc_id], d.index))
    return sorted(chosen[:max_cols], key=lambda d: d.index)


def prepare(processed: Processed, *, max_matrix_rows: int = 100, max_matrix_cols: int = MAX_MATRIX_COLS) -> Report:
    """Turn the tables into everything the two renderers need (pure, deterministic)."""
    p = processed
    cx = _corpus(p)
    docs = cx.docs
    views = _flag_views(p, cx)
    flags_by_sent: dict[tuple[str, str], list[FlagView]] = defaultdict(list)
    for v in views:
        if v.statement is not None:
            flags_by_sent[(str(v.statement.claim["doc_id"]), str(v.statement.claim["sent_id"]))].append(v)
    chart, chart_other = _chart(views)

    rows = _group_rows(p, cx)
    n_groups = len(rows)
    shown_rows = rows[:max_matrix_rows]
    notes: list[str] = []
    if n_groups > len(shown_rows):
        notes.append(f"Showing the first {len(shown_rows)} of {n_groups} claim groups "
                     "(contradicted groups first, then by number of flags and sources).")
    cols = _matrix_columns(shown_rows, docs, max_matrix_cols)
    if len(cols) < len(docs):
        notes.append(f"Showing {len(cols)} of {len(docs)} documents as columns (those with the most "
                     "claims in these groups); every document is listed under Documents.")

    counts = {
        "documents": len(p.documents),
        "sentences": len(p.sentences),
        "claims": len(p.claims),
        "claim_groups": n_groups,
        "contradicted_groups": sum(1 for r in rows if r.contradicted),
        "flags": len(p.flags),
    }
    if p.errors is not None:
        counts["errors"] = len(p.errors)
    return Report(
        processed=p, docs=docs, docs_by_id=cx.docs_by_id, counts=counts,
        kinds=_kind_order({str(f["flag"]) for f in p.flags}), flags_by_kind=Counter(str(f["flag"]) for f in p.flags),
        chart=chart, chart_other=chart_other,
        groups=shown_rows, n_groups=n_groups, n_contradicted_groups=counts["contradicted_groups"],
        matrix_cols=cols, matrix_notes=notes, flags=views, sources=sorted({d.source for d in docs}),
        entity_names=sorted({n for v in views for n in v.entities}),
        ents_by_doc=cx.ents, claim_sents={(str(c["doc_id"]), str(c["sent_id"])) for c in p.claims},
        flags_by_sent=flags_by_sent, matrix_compact=len(cols) > MATRIX_COMPACT_COLS,
    )
