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
MAX_LISTED_DOCS = 300     # documents listed under Documents in a large corpus

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
    n_sentences: int = 0
    has_text: bool = True  # False: the report does not carry this document's text (see load.MAX_TEXT_DOCS)
    listed: bool = True    # False: not under Documents (a large corpus lists MAX_LISTED_DOCS); shown without links

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
    cells: dict[str, tuple[str, int]]   # doc_id -> (state, number of claims), for the matrix's columns
    n_docs: int = 0                      # documents with a claim of the group


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
    all_docs: list[DocView] = field(default_factory=list)   # every document (``docs``: those listed)
    shown_by_kind: Counter = field(default_factory=Counter)  # flags shown per kind (``flags_by_kind``: all)
    notes: list[str] = field(default_factory=list)           # what the report leaves out, and where it is

    @property
    def flags_capped(self) -> bool:
        return len(self.flags) < self.counts["flags"]


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
            has_text=p.text_docs is None or doc_id in p.text_docs,
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
    t = p.totals
    for doc in docs:
        doc.sentences.sort(key=lambda s: (int(s["start_char"]), int(s["sent_index"])))
        doc.n_claims = t.claims_by_doc.get(doc.doc_id, 0)
        doc.n_sentences = t.sentences_by_doc.get(doc.doc_id, 0)
        doc.n_flags = sum(t.flags_by_doc.get(doc.doc_id, Counter()).values())
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


def _chart(p: Processed, cx: _Corpus) -> tuple[list[tuple[str, Counter]], tuple[int, Counter] | None]:
    """Flags per document source (every flag): the sources with the most flags, and the rest summed."""
    per_source: dict[str, Counter] = defaultdict(Counter)
    for doc_id, counter in p.totals.flags_by_doc.items():
        doc = cx.docs_by_id.get(doc_id)
        per_source[doc.source if doc else "(unknown document)"].update(counter)
    ranked = sorted(per_source.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    if len(ranked) <= MAX_CHART_SOURCES:
        return ranked, None
    other: Counter = Counter()
    for _, counter in ranked[MAX_CHART_SOURCES:]:
        other.update(counter)
    return ranked[:MAX_CHART_SOURCES], (len(ranked) - MAX_CHART_SOURCES, other)


def _group_order(p: Processed, cx: _Corpus) -> list[tuple]:
    """Every claim group with a claim, in matrix order: contradicted groups first, then by
    flags and documents.  One tuple per group: (sort key, group key, representative claim key,
    verdict, contradicted, flags, documents)."""
    import pyarrow.compute as pc

    t = p.totals
    cells = t.cells
    docs_per_group: Counter = Counter()
    if cells is not None and cells.num_rows:
        for item in pc.value_counts(cells.column("g")).to_pylist():
            docs_per_group[t.group_names[item["values"]]] = item["counts"]
    keys_in_group: dict[str, set[str]] = defaultdict(set)
    for key in t.claims_by_key:
        keys_in_group[cx.group(key)].add(key)
    out = []
    for gk in docs_per_group:
        members = cx.group_members.get(gk, {})
        member_keys = sorted(set(members) | keys_in_group.get(gk, set()))
        rep_key = gk if gk in member_keys else min(member_keys, key=lambda k: (-t.claims_by_key[k], k))
        verdicts = {str(m["verdict"]) for m in members.values()}
        verdict = next((v for v in VERDICTS if v in verdicts), min(verdicts) if verdicts else "")
        contradicted = verdict == "contradicted" or gk in t.contradicted_groups
        if contradicted:
            verdict = "contradicted"
        triple = triple_of(members.get(rep_key), rep_key)
        n_flags, n_docs = t.flags_by_group.get(gk, 0), docs_per_group[gk]
        out.append(((not contradicted, -n_flags, -n_docs, " ".join(triple), gk), gk, rep_key, member_keys,
                    verdict, contradicted, n_flags, n_docs, triple))
    out.sort(key=lambda r: r[0])
    return out


def _group_rows(p: Processed, cx: _Corpus, order: list[tuple], docs: list[DocView],
                max_rows: int, max_cols: int) -> tuple[list[GroupRow], list[DocView]]:
    """The first ``max_rows`` groups as matrix rows, and the matrix's document columns: every
    document, or when there are more than ``max_cols`` those with the most claims in these rows."""
    import pyarrow as pa
    import pyarrow.compute as pc

    shown = order[:max_rows]
    t = p.totals
    cells = t.cells
    group_code = {g: i for i, g in enumerate(t.group_names)}
    if cells is not None and cells.num_rows and shown:
        codes = [group_code[r[1]] for r in shown if r[1] in group_code]
        cells = cells.filter(pc.is_in(cells.column("g"), value_set=pa.array(codes, pa.int32())))
    if len(docs) <= max_cols:
        cols = list(docs)
    else:
        activity: Counter = Counter()
        if cells is not None and cells.num_rows:
            for item in pc.value_counts(cells.column("d")).to_pylist():
                if item["values"] is not None:
                    activity[t.doc_names[item["values"]]] = item["counts"]
        chosen = sorted((d for d in docs if activity[d.doc_id]), key=lambda d: (-activity[d.doc_id], d.index))
        cols = sorted(chosen[:max_cols], key=lambda d: d.index)
        if cells is not None and cells.num_rows:
            doc_code = {d: i for i, d in enumerate(t.doc_names)}
            codes = [doc_code[d.doc_id] for d in cols if d.doc_id in doc_code]
            cells = cells.filter(pc.is_in(cells.column("d"), value_set=pa.array(codes, pa.int32())))
    by_group: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    if cells is not None and shown:
        for c in cells.to_pylist():
            state = ("mixed" if c["aff"] and c["neg"] else "affirmed" if c["aff"] else
                     "negated" if c["neg"] else "hedged" if c["n"] else "silent")
            if c["d"] is not None:
                by_group[t.group_names[c["g"]]][t.doc_names[c["d"]]] = (state, int(c["n"]))
    rows = []
    for _, gk, rep_key, member_keys, verdict, contradicted, n_flags, n_docs, triple in shown:
        members = cx.group_members.get(gk, {})
        rows.append(GroupRow(group_key=gk, triple=triple,
                             aka=[triple_of(members.get(k), k) for k in member_keys if k != rep_key],
                             verdict=verdict, contradicted=contradicted, n_flags=n_flags,
                             cells=by_group.get(gk, {}), n_docs=n_docs))
    return rows, cols


def _listed_docs(docs: list[DocView], views: list[FlagView], cols: list[DocView]) -> list[DocView]:
    """The documents the page lists: all of a small corpus, else at most :data:`MAX_LISTED_DOCS`:
    those with text and the matrix's columns, then those the flags shown and their opposing
    statements refer to most often.  The others are marked ``listed=False`` (no links to them)."""
    if len(docs) <= MAX_LISTED_DOCS:
        return list(docs)
    refs: Counter = Counter()
    for v in views:
        if v.doc is not None:
            refs[v.doc.doc_id] += 1
        refs.update(o.doc.doc_id for o in v.opposing if o.doc is not None)
        refs.update(d.doc_id for d in v.more_docs[:30])
    first = [d.doc_id for d in docs if d.has_text] + [d.doc_id for d in cols]
    ranked = sorted((d for d in docs if refs[d.doc_id]), key=lambda d: (-refs[d.doc_id], d.index))
    keep: set[str] = set()
    for doc_id in dict.fromkeys(first + [d.doc_id for d in ranked]):
        if len(keep) >= MAX_LISTED_DOCS:
            break
        keep.add(doc_id)
    for d in docs:
        d.listed = d.doc_id in keep
    return [d for d in docs if d.listed]


def prepare(processed: Processed, *, max_matrix_rows: int = 100, max_matrix_cols: int = MAX_MATRIX_COLS) -> Report:
    """Turn the tables into everything the two renderers need (pure, deterministic)."""
    p = processed
    t = p.totals
    cx = _corpus(p)
    docs = cx.docs
    views = _flag_views(p, cx)
    flags_by_sent: dict[tuple[str, str], list[FlagView]] = defaultdict(list)
    for v in views:
        if v.statement is not None:
            flags_by_sent[(str(v.statement.claim["doc_id"]), str(v.statement.claim["sent_id"]))].append(v)
    chart, chart_other = _chart(p, cx)

    order = _group_order(p, cx)
    n_groups = len(order)
    shown_rows, cols = _group_rows(p, cx, order, docs, max_matrix_rows, max_matrix_cols)
    notes: list[str] = []
    if n_groups > len(shown_rows):
        notes.append(f"Showing the first {len(shown_rows)} of {n_groups} claim groups "
                     "(contradicted groups first, then by number of flags and sources).")
    listed = _listed_docs(docs, views, cols)
    if len(cols) < len(docs):
        notes.append(f"Showing {len(cols)} of {len(docs)} documents as columns (those with the most "
                     "claims in these groups); "
                     + ("every document is listed under Documents." if len(listed) == len(docs)
                        else "every document is in documents.parquet."))

    counts = {
        "documents": t.documents,
        "sentences": t.sentences,
        "claims": t.claims,
        "claim_groups": n_groups,
        "contradicted_groups": sum(1 for r in order if r[5]),
        "flags": t.flags,
    }
    if p.errors is not None:
        counts["errors"] = t.errors if t.errors is not None else len(p.errors)
    shown_by_kind = Counter(v.kind for v in views)
    report_notes = []
    folder = "DIR"
    if len(views) < t.flags:
        report_notes.append(
            f"This report shows {len(views):,} of the {t.flags:,} flags: the most severe of each kind ("
            + ", ".join(f"{shown_by_kind.get(k, 0):,} of {t.flags_by_kind[k]:,} {k}" for k in _kind_order(set(t.flags_by_kind))
                        if t.flags_by_kind.get(k))
            + ")" + (", flags without a verdict in verdicts.parquet first" if p.review.reviewed else "")
            + f". Every flag is in flags.parquet; `claimex export {folder}` writes the tables as CSV or JSONL.")
    n_text = sum(1 for d in docs if d.has_text)
    if n_text < len(docs) or len(listed) < len(docs):
        report_notes.append(
            f"Documents: {len(listed):,} of {len(docs):,} are listed (those the flags shown refer to most), "
            f"{n_text:,} with their full text (those with the most flags shown); every document and its "
            "sentences are in documents.parquet and sentences.parquet.")
    return Report(
        processed=p, docs=listed, docs_by_id=cx.docs_by_id, counts=counts,
        kinds=_kind_order(set(t.flags_by_kind)), flags_by_kind=Counter(t.flags_by_kind),
        chart=chart, chart_other=chart_other,
        groups=shown_rows, n_groups=n_groups, n_contradicted_groups=counts["contradicted_groups"],
        matrix_cols=cols, matrix_notes=notes, flags=views,
        sources=sorted({d.source for d in listed} | {v.doc.source for v in views if v.doc is not None}),
        entity_names=sorted({n for v in views for n in v.entities}),
        ents_by_doc=cx.ents, claim_sents=p.claim_sents,
        flags_by_sent=flags_by_sent, matrix_compact=len(cols) > MATRIX_COMPACT_COLS,
        all_docs=docs, shown_by_kind=shown_by_kind, notes=report_notes,
    )
