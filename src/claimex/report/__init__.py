"""The reviewer flag report: ``report.html`` (one self-contained page) and its
Markdown twin ``report.md``.

The report answers one question per flagged claim: *is the flag right?*  For
each flag it shows the claim (``subject PREDICATE object``), the sentence it
came from with the entities highlighted, the reason, severity and score, and
for a contradiction the opposing sentences from the other sources side by side,
each linked to its place in the full text of its document further down the
page.  Above the flags: summary counts, an inline-SVG chart of flags per
source, and the claim matrix (one row per claim group, one column per source
document, each cell affirmed / negated / hedged / mixed / silent).

Everything is in the one file: inline CSS, inline JavaScript (filters by flag
kind, source, entity and text; sorting by severity or score) and inline SVG, so
the page opens offline and can be mailed.  A Content-Security-Policy allows
only the page's own script and style (by hash) and no network access at all.

Untrusted text: every string that comes from an article (text, title, source,
URL, entity names, reasons) goes through :func:`html.escape` in the HTML and
through :func:`escape_md` in the Markdown.  Links to sources are made only for
``http``/``https`` URLs (:func:`safe_href`).  Data for the script travels in a
``<script type="application/json">`` block encoded by :func:`json_for_script`;
the script reads it with ``JSON.parse``, filters and reorders the cards, and
never puts text into HTML or code.  In a large report the cards after the
first page, the document bodies and the script's data travel in one
compressed block (:func:`pack_store`: JSON, gzip, base64, in a
``<script type="application/octet-stream">``) that the script unpacks with the
browser's ``DecompressionStream``; the fragments are the same escaped markup
Python wrote (no ``<`` from an article can be in them) and become nodes only
when they are shown.  So the page stays small and fast for thousands of
documents: see benchmarks/bench_report.py.

The algorithms are plain functions (:func:`load_processed`, :func:`prepare`,
:func:`render_html`, :func:`render_markdown`); :func:`build_report` glues them
together and writes both files atomically.
"""

from __future__ import annotations

import base64
import bisect
import gzip
import hashlib
import html
import json
import os
import re
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from ..errors import ClaimexError, Errors

# ---------------------------------------------------------------------------
# vocabularies and presentation constants

#: flag kinds in display order (most serious first); unknown kinds follow, sorted.
KIND_ORDER = ("contradicted", "overstated", "unsupported", "hedged")
KIND_COLOURS = {
    "contradicted": "#d55e00",
    "overstated": "#b0508a",
    "unsupported": "#0072b2",
    "hedged": "#b57b00",
}
KIND_SYMBOLS = {"contradicted": "⇄", "overstated": "▲", "unsupported": "∅", "hedged": "≈"}
OTHER_COLOUR = "#7d8596"
SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}
VERDICT_ORDER = ("contradicted", "unsupported", "hedged", "supported")

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
MATRIX_LABEL_WIDTH = 330  # pixels: claim column and each document column of the matrix
MATRIX_CELL_WIDTH = 100
FLAG_PAGE = 100           # flag cards shown at a time in a large report
EAGER_MAX_FLAGS = 1000    # above this many flags, cards are paged
EAGER_MAX_DOCS = 300      # above this many documents or characters of text,
EAGER_MAX_CHARS = 3_000_000  # document bodies are built when opened
MD_SENTENCE_LIMIT = 400   # characters of a sentence in a Markdown table cell

_TABLES_REQUIRED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # table: (required columns, optional columns)
    "documents": (("doc_id", "source", "text"),
                  ("sources", "format", "title", "url", "n_words")),
    "sentences": (("doc_id", "sent_id", "sent_index", "start_char", "end_char", "text"), ()),
    "entities": (("doc_id", "start_char", "end_char", "label", "canonical"), ()),
    "claims": (("claim_id", "doc_id", "sent_id", "subject", "predicate", "object", "polarity",
                "hedged", "claim_key"),
               ("start_char", "end_char", "hedge_cues", "certainty", "attribution", "evidence",
                "evidence_text", "qualifiers", "dose_min", "dose_max", "dose_unit", "dose_period")),
    "flags": (("flag_id", "claim_id", "doc_id", "claim_key", "flag", "reason", "severity", "score"),
              ("sent_id", "related_claim_ids", "related_doc_ids")),
    "claim_groups": (("claim_key", "group_key", "subject", "predicate", "object", "verdict"), ()),
    "errors": (("source", "stage", "error"), ()),
}
OPTIONAL_TABLES = ("errors",)

_ASSETS = "assets"


# ---------------------------------------------------------------------------
# escaping helpers (the only way untrusted text reaches the output)

def esc(value: Any) -> str:
    """HTML-escape any value for text and double-quoted attribute contexts."""
    return html.escape("" if value is None else str(value), quote=True)


_MD_CTRL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")
_MD_LEADING = re.compile(r"^[#+\-=!:]")


def escape_md(value: Any, limit: int | None = None) -> str:
    """Escape untrusted text for one Markdown table cell or one line of prose.

    Newlines and control characters become spaces (a cell cannot be broken
    across lines), ``&``, ``<`` and ``>`` become entities (no raw HTML),
    backslash, backticks, ``* _ [ ] ~`` and ``|`` get a backslash (no code
    spans, emphasis, links, strike-through or extra columns), and a leading
    block marker (``#``, ``-``, ``+``, ``=``, ``1.``) is escaped.
    """
    text = "" if value is None else str(value)
    text = " ".join(_MD_CTRL.sub(" ", text).split())
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if _MD_LEADING_NUMBER.match(text):
        text = _MD_LEADING_NUMBER.sub(r"\1\\\2", text, count=1)
    elif _MD_LEADING.match(text):
        text = "\\" + text
    return text


_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029\"'<>\\`]")


def safe_href(url: Any) -> str | None:
    """Return ``url`` if it is a plain absolute ``http``/``https`` URL, else ``None``.

    ``javascript:``, ``data:``, relative URLs, and anything with whitespace,
    control characters, quotes or angle brackets are refused: they are shown
    as text, never as a link.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or _URL_FORBIDDEN.search(url):
        return None
    lowered = url.lower()
    if not lowered.startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def json_for_script(obj: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e``, ``\\u0026``
    (so ``</script>`` or ``<!--`` in article text cannot end the block) and the
    line separators U+2028/U+2029 as escapes.  ``JSON.parse`` gives back the
    original strings.
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,80}")
_SAFE_CLASS = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}")


def make_anchors(prefix: str, ids: list[str]) -> dict[str, str]:
    """Map each id to a unique HTML id ``prefix + id`` (hashed when the id is not
    made of ``[A-Za-z0-9_-]``).  Deterministic for the same ids."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for value in sorted(set(ids)):
        if _SAFE_ID.fullmatch(value):
            candidate = prefix + value
        else:
            candidate = prefix + "h" + hashlib.sha1(value.encode("utf-8", "replace")).hexdigest()[:16]
        unique, n = candidate, 2
        while unique in used:
            unique, n = f"{candidate}-{n}", n + 1
        used.add(unique)
        out[value] = unique
    return out


def css_class(value: Any, fallback: str = "other") -> str:
    text = "" if value is None else str(value)
    return text if _SAFE_CLASS.fullmatch(text) else fallback


# ---------------------------------------------------------------------------
# loading

@dataclass
class Processed:
    """The rows of a processed folder, as plain dicts."""

    path: Path
    documents: list[dict[str, Any]]
    sentences: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    flags: list[dict[str, Any]]
    claim_groups: list[dict[str, Any]]
    errors: list[dict[str, Any]] | None = None
    manifest: dict[str, Any] | None = None


def _read_rows(path: Path, name: str) -> list[dict[str, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    required, optional = _TABLES_REQUIRED[name]
    try:
        names = pq.read_schema(path).names
    except FileNotFoundError:
        raise ClaimexError(Errors.E071.format(path=path)) from None
    except (pa.ArrowException, OSError) as exc:
        raise ClaimexError(Errors.E072.format(path=path, reason=str(exc).strip() or type(exc).__name__)) from None
    missing = [c for c in required if c not in names]
    if missing:
        raise ClaimexError(Errors.E073.format(path=path, missing=", ".join(missing),
                                              found=", ".join(names) or "none"))
    columns = list(required) + [c for c in optional if c in names]
    try:
        rows = pq.read_table(path, columns=columns).to_pylist()
    except (pa.ArrowException, OSError) as exc:
        raise ClaimexError(Errors.E072.format(path=path, reason=str(exc).strip() or type(exc).__name__)) from None
    absent = [c for c in optional if c not in names]
    if absent:
        for row in rows:
            for c in absent:
                row[c] = None
    return rows


def load_processed(processed_dir: Path) -> Processed:
    """Read the tables and manifest of a processed folder (raises ClaimexError)."""
    folder = Path(processed_dir)
    if not folder.is_dir():
        raise ClaimexError(Errors.E070.format(path=folder))
    tables: dict[str, Any] = {}
    for name in _TABLES_REQUIRED:
        path = folder / f"{name}.parquet"
        if name in OPTIONAL_TABLES and not path.exists():
            tables[name] = None
            continue
        tables[name] = _read_rows(path, name)
    manifest = None
    mpath = folder / "manifest.json"
    if mpath.exists():
        try:
            manifest = json.loads(mpath.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ClaimexError(Errors.E074.format(path=mpath, reason=exc)) from None
        if not isinstance(manifest, dict):
            raise ClaimexError(Errors.E074.format(path=mpath, reason="top level is not a JSON object"))
    return Processed(path=folder, manifest=manifest, **tables)


# ---------------------------------------------------------------------------
# the view model

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
    ents_by_doc: dict[str, tuple[list[int], list[tuple[int, int, str, str]]]]
    claim_sents: set[tuple[str, str]]
    flags_by_sent: dict[tuple[str, str], list[FlagView]]


def _kind_order(kinds: set[str]) -> list[str]:
    """All documented kinds (so zero counts show), then any unknown kinds, sorted."""
    return list(KIND_ORDER) + sorted(k for k in kinds if k not in KIND_ORDER)


def _sent_text(doc: DocView | None, sent: dict[str, Any]) -> tuple[str, int]:
    """The sentence text and its start offset, taken from the document text when
    the offsets fit it (so entity offsets line up), else from the sentences table."""
    start, end = sent.get("start_char"), sent.get("end_char")
    if doc is not None and isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(doc.text):
        return doc.text[start:end], start
    return str(sent.get("text") or ""), int(start or 0)


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


def _triple(row: dict[str, Any] | None, key: str = "") -> tuple[str, str, str]:
    if row is not None:
        return (str(row.get("subject") or ""), str(row.get("predicate") or ""), str(row.get("object") or ""))
    parts = key.split("|")
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    return key, "", ""


def prepare(processed: Processed, *, max_matrix_rows: int = 100, max_matrix_cols: int = 30) -> Report:
    """Turn the tables into everything the two renderers need (pure, deterministic)."""
    p = processed
    # documents, labelled D1..Dn in (source, doc_id) order
    doc_rows = sorted(p.documents, key=lambda d: (str(d["source"]), str(d["doc_id"])))
    anchors = make_anchors("doc-", [str(d["doc_id"]) for d in doc_rows])
    docs: list[DocView] = []
    for i, d in enumerate(doc_rows):
        doc_id = str(d["doc_id"])
        docs.append(DocView(
            doc_id=doc_id, label=f"D{i + 1}", index=i, anchor=anchors[doc_id],
            source=str(d["source"]), title=d.get("title"), url=d.get("url"),
            sources=[str(s) for s in (d.get("sources") or [])], format=d.get("format"),
            n_words=d.get("n_words"), text=str(d.get("text") or ""),
        ))
    docs_by_id = {d.doc_id: d for d in docs}

    sent_by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for s in p.sentences:
        sent_by_key[(str(s["doc_id"]), str(s["sent_id"]))] = s
        doc = docs_by_id.get(str(s["doc_id"]))
        if doc is not None:
            doc.sentences.append(s)
    for doc in docs:
        doc.sentences.sort(key=lambda s: (int(s["start_char"]), int(s["sent_index"])))

    ents_tmp: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for e in p.entities:
        ents_tmp[str(e["doc_id"])].append((int(e["start_char"]), int(e["end_char"]),
                                           str(e["label"]), str(e["canonical"])))
    ents_by_doc = {}
    for doc_id, items in ents_tmp.items():
        items.sort(key=lambda t: (t[0], -t[1], t[2], t[3]))
        ents_by_doc[doc_id] = ([t[0] for t in items], items)

    def sentence_entities(doc_id: str, start: int, end: int) -> list[tuple[int, int, str, str]]:
        starts, items = ents_by_doc.get(doc_id, ([], []))
        lo = bisect.bisect_left(starts, start)
        hi = bisect.bisect_left(starts, end)
        return [t for t in items[lo:hi] if t[1] <= end]

    claims_by_id = {str(c["claim_id"]): c for c in p.claims}
    claim_sents = {(str(c["doc_id"]), str(c["sent_id"])) for c in p.claims}
    for c in p.claims:
        doc = docs_by_id.get(str(c["doc_id"]))
        if doc is not None:
            doc.n_claims += 1

    def statement(claim: dict[str, Any]) -> Statement:
        doc = docs_by_id.get(str(claim["doc_id"]))
        return Statement(claim, doc, sent_by_key.get((str(claim["doc_id"]), str(claim["sent_id"]))))

    def doc_index(doc_id: str) -> int:
        doc = docs_by_id.get(doc_id)
        return doc.index if doc is not None else len(docs)

    # claim groups: claim_key -> group_key
    group_of: dict[str, str] = {}
    group_members: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for g in p.claim_groups:
        group_of[str(g["claim_key"])] = str(g["group_key"])
        group_members[str(g["group_key"])][str(g["claim_key"])] = g
    claims_in_group: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in p.claims:
        gk = group_of.get(str(c["claim_key"]), str(c["claim_key"]))
        claims_in_group[gk].append(c)

    # flags
    kinds_present = {str(f["flag"]) for f in p.flags}
    kinds = _kind_order(kinds_present)
    flags_by_kind = Counter(str(f["flag"]) for f in p.flags)
    flags_in_group: Counter = Counter()
    contradicted_groups: set[str] = set()
    for f in p.flags:
        gk = group_of.get(str(f["claim_key"]), str(f["claim_key"]))
        flags_in_group[gk] += 1
        if f["flag"] == "contradicted":
            contradicted_groups.add(gk)

    flag_anchors = make_anchors("flag-", [str(f["flag_id"]) for f in p.flags])
    views: list[FlagView] = []
    for f in p.flags:
        claim = claims_by_id.get(str(f["claim_id"]))
        st = statement(claim) if claim is not None else None
        doc = docs_by_id.get(str(f["doc_id"])) or (st.doc if st else None)
        related_ids = [str(r) for r in (f.get("related_claim_ids") or [])]
        related = [claims_by_id[r] for r in dict.fromkeys(related_ids)
                   if r in claims_by_id and r != str(f["claim_id"])]
        if not related and f["flag"] == "contradicted" and claim is not None:
            gk = group_of.get(str(claim["claim_key"]), str(claim["claim_key"]))
            related = [c for c in claims_in_group.get(gk, [])
                       if c["doc_id"] != claim["doc_id"] and c["polarity"] != claim["polarity"]]
        related.sort(key=lambda c: (doc_index(str(c["doc_id"])), int(c.get("start_char") or 0), str(c["claim_id"])))
        opposing = [statement(c) for c in related[:MAX_OPPOSING]]
        rest = related[MAX_OPPOSING:]
        more_ids = list(dict.fromkeys(str(c["doc_id"]) for c in rest))
        more_docs = [docs_by_id[d] for d in more_ids if d in docs_by_id]
        names: set[str] = set()
        if claim is not None:
            names.update({str(claim["subject"]), str(claim["object"])})
        if st is not None and st.sentence is not None:
            text, base = _sent_text(st.doc, st.sentence)
            names.update(t[3] for t in sentence_entities(str(claim["doc_id"]), base, base + len(text)))
        names.discard("")
        score = f.get("score")
        views.append(FlagView(
            flag=f, number=0, anchor=flag_anchors[str(f["flag_id"])], kind=str(f["flag"]),
            severity=str(f["severity"]), score=float(score) if score is not None else 0.0,
            triple=_triple(claim, str(f["claim_key"])), statement=st, doc=doc,
            opposing=opposing, more_docs=more_docs, n_more=len(rest), entities=sorted(names),
        ))
        if doc is not None:
            doc.n_flags += 1

    def doc_order_key(v: FlagView) -> tuple:
        sent = v.statement.sentence if v.statement else None
        return (v.doc.index if v.doc else len(docs), int(sent["start_char"]) if sent else 0, str(v.flag["flag_id"]))

    for rank, v in enumerate(sorted(views, key=doc_order_key)):
        v.order = rank
    views.sort(key=lambda v: (-SEVERITY_RANK.get(v.severity, 0), -v.score, v.order))
    for i, v in enumerate(views):
        v.number = i + 1
    flags_by_sent: dict[tuple[str, str], list[FlagView]] = defaultdict(list)
    for v in views:
        if v.statement is not None:
            flags_by_sent[(str(v.statement.claim["doc_id"]), str(v.statement.claim["sent_id"]))].append(v)

    # chart: flags per document source
    per_source: dict[str, Counter] = defaultdict(Counter)
    for v in views:
        source = v.doc.source if v.doc else "(unknown document)"
        per_source[source][v.kind] += 1
    ranked = sorted(per_source.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    chart = ranked[:MAX_CHART_SOURCES]
    chart_other = None
    if len(ranked) > MAX_CHART_SOURCES:
        other_counter: Counter = Counter()
        for _, counter in ranked[MAX_CHART_SOURCES:]:
            other_counter.update(counter)
        chart_other = (len(ranked) - MAX_CHART_SOURCES, other_counter)

    # matrix rows, one per claim group (group_key)
    rows: list[GroupRow] = []
    for gk, members_claims in claims_in_group.items():
        members = group_members.get(gk, {})
        by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for c in members_claims:
            by_doc[str(c["doc_id"])].append(c)
        member_keys = sorted(set(members) | {str(c["claim_key"]) for c in members_claims})
        key_counts = Counter(str(c["claim_key"]) for c in members_claims)
        rep_key = gk if gk in member_keys else min(member_keys, key=lambda k: (-key_counts[k], k))
        rep_row = members.get(rep_key) or next((c for c in members_claims if c["claim_key"] == rep_key), None)
        aka = [_triple(members.get(k) or next((c for c in members_claims if c["claim_key"] == k), None), k)
               for k in member_keys if k != rep_key]
        verdicts = {str(m["verdict"]) for m in members.values()}
        verdict = next((v for v in VERDICT_ORDER if v in verdicts), min(verdicts) if verdicts else "")
        contradicted = verdict == "contradicted" or gk in contradicted_groups
        if contradicted:
            verdict = "contradicted"
        cells = {doc_id: (_cell_state(cs), len(cs)) for doc_id, cs in by_doc.items()}
        rows.append(GroupRow(group_key=gk, triple=_triple(rep_row, rep_key), aka=aka, verdict=verdict,
                             contradicted=contradicted, n_flags=flags_in_group[gk], cells=cells))
    rows.sort(key=lambda r: (not r.contradicted, -r.n_flags, -len(r.cells), " ".join(r.triple), r.group_key))
    n_groups = len(rows)
    notes: list[str] = []
    shown_rows = rows[:max_matrix_rows]
    if n_groups > len(shown_rows):
        notes.append(f"Showing the first {len(shown_rows)} of {n_groups} claim groups "
                     "(contradicted groups first, then by number of flags and sources).")
    if len(docs) <= max_matrix_cols:
        cols = list(docs)
    else:
        activity: Counter = Counter()
        for r in shown_rows:
            activity.update(r.cells.keys())
        chosen = sorted((d for d in docs if activity[d.doc_id]), key=lambda d: (-activity[d.doc_id], d.index))
        cols = sorted(chosen[:max_matrix_cols], key=lambda d: d.index)
        notes.append(f"Showing {len(cols)} of {len(docs)} documents as columns (those with the most "
                     "claims in these groups); every document is listed under Documents.")

    sources = sorted({d.source for d in docs})
    entity_names = sorted({n for v in views for n in v.entities})
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
        processed=p, docs=docs, docs_by_id=docs_by_id, counts=counts, kinds=kinds,
        flags_by_kind=flags_by_kind, chart=chart, chart_other=chart_other,
        groups=shown_rows, n_groups=n_groups, n_contradicted_groups=counts["contradicted_groups"],
        matrix_cols=cols, matrix_notes=notes, flags=views, sources=sources, entity_names=entity_names,
        ents_by_doc=ents_by_doc, claim_sents=claim_sents, flags_by_sent=flags_by_sent,
    )


# ---------------------------------------------------------------------------
# HTML rendering

def highlight_html(text: str, base: int, ents: list[tuple[int, int, str, str]],
                   span: tuple[int, int] | None = None) -> str:
    """Escaped ``text`` with entity ``<mark>``s (displaCy-like) and an optional
    claim span.  Offsets in ``ents`` and ``span`` are document offsets; ``base``
    is the document offset of ``text[0]``.  Overlapping entities keep the first
    (longest) one; the claim span grows to whole entities so the tags nest.
    The canonical name goes into a ``title`` only when it differs from the text."""
    n = len(text)
    marks: list[tuple[int, int, str, str]] = []
    last = 0
    for s, e, label, canonical in sorted(ents, key=lambda t: (t[0], -t[1])):
        rs, re_ = max(0, s - base), min(n, e - base)
        if rs >= re_ or rs < last:
            continue
        marks.append((rs, re_, label, canonical))
        last = re_
    events: list[tuple[int, int, Any]] = [(m[0], 2, m) for m in marks]
    if span is not None:
        cs, ce = max(0, span[0] - base), min(n, span[1] - base)
        for ms, me, _, _ in marks:
            if ms < cs < me:
                cs = ms
            if ms < ce < me:
                ce = me
        if cs < ce:
            events += [(cs, 1, "open"), (ce, 0, "close")]
    events.sort(key=lambda ev: (ev[0], ev[1]))
    out: list[str] = []
    pos = 0
    for at, _, what in events:
        if at > pos:
            out.append(esc(text[pos:at]))
            pos = at
        if what == "open":
            out.append('<span class="claim-span">')
        elif what == "close":
            out.append("</span>")
        else:
            ms, me, label, canonical = what
            surface = text[ms:me]
            # the canonical name is shown on hover when it differs from the text
            title = f' title="{esc(canonical)}"' if canonical.casefold() != surface.casefold() else ""
            # the label is drawn by CSS from data-label, so it stays out of the text
            # (copying a sentence or finding it in the page works as written)
            out.append(f'<mark class="ent ent-{css_class(label, "OTHER")}" data-label="{esc(label)}"{title}>'
                       f'{esc(surface)}</mark>')
            pos = me
    out.append(esc(text[pos:]))
    return "".join(out)


def _asset(name: str) -> str:
    return (resources.files("claimex.report") / _ASSETS / name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _fmt_num(x: Any) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _triple_html(triple: tuple[str, str, str]) -> str:
    s, p, o = triple
    return f'<span class="subj">{esc(s)}</span> <span class="pred">{esc(p)}</span> <span class="obj">{esc(o)}</span>'


def _triple_text(triple: tuple[str, str, str]) -> str:
    return " ".join(t for t in triple if t)


def _polarity_html(claim: dict[str, Any]) -> str:
    pol = str(claim.get("polarity") or "")
    sym = CELL_STATES.get(pol, ("", ""))[0]
    out = f'<span class="pol {css_class(pol)}">{sym} {esc(pol)}</span>'
    if claim.get("hedged"):
        cues = ", ".join(str(c) for c in (claim.get("hedge_cues") or []))
        out += f' <span class="pol hedged">≈ hedged{(" (" + esc(cues) + ")") if cues else ""}</span>'
    return out


def _claim_meta(claim: dict[str, Any]) -> str:
    parts = []
    for key in ("certainty", "attribution", "evidence"):
        if claim.get(key):
            parts.append(f"{key}: {esc(claim[key])}")
    if claim.get("evidence_text"):
        # the words the evidence was found in, quoted for the reviewer
        parts[-1] += f' (<q class="evidence">{esc(claim["evidence_text"])}</q>)'
    quals = claim.get("qualifiers") or []
    if quals:
        parts.append("qualifiers: " + "; ".join(
            f"{esc(q.get('kind'))}: {esc(q.get('text'))}" for q in quals if isinstance(q, dict)))
    if claim.get("dose_min") is not None or claim.get("dose_max") is not None:
        lo, hi = claim.get("dose_min"), claim.get("dose_max")
        rng = _fmt_num(lo) if hi is None or hi == lo else f"{_fmt_num(lo)}–{_fmt_num(hi)}"
        unit = " ".join(str(x) for x in (claim.get("dose_unit"), claim.get("dose_period")) if x)
        parts.append(f"dose: {esc(rng)} {esc(unit)}".rstrip())
    return " · ".join(parts)


def _url_html(url: Any) -> str:
    href = safe_href(url)
    if href is not None:
        return f'<a href="{esc(href)}" rel="noopener noreferrer nofollow" target="_blank">{esc(href)}</a>'
    if url:
        return f'<span class="unlinked" title="not an http(s) link, shown as text">{esc(url)}</span>'
    return '<span class="muted">no URL</span>'


def _doc_ref(doc: DocView | None, sent: dict[str, Any] | None, *, with_url: bool = True) -> str:
    if doc is None:
        return '<span class="muted">document not found</span>'
    parts = [f'<a class="dlabel" href="#{doc.anchor}">{doc.label}</a>',
             f'<span class="dtitle">{esc(doc.display_title)}</span>',
             f'<span class="src">{esc(doc.source)}</span>']
    if sent is not None:
        parts.append(f'sentence {int(sent["sent_index"]) + 1} · '
                     f'<a href="#{doc.sentence_anchor(sent)}">read in context</a>')
    if with_url:
        href = safe_href(doc.url)
        if href:
            parts.append(f'<a href="{esc(href)}" rel="noopener noreferrer nofollow" target="_blank">original ↗</a>')
    return " · ".join(parts)


def _statement_html(r: Report, st: Statement, *, span: bool = True) -> str:
    if st.sentence is None:
        return f'<blockquote class="sent">{esc(st.claim.get("text") or "")}</blockquote>'
    text, base = _sent_text(st.doc, st.sentence)
    starts, items = r.ents_by_doc.get(str(st.claim["doc_id"]), ([], []))
    lo, hi = bisect.bisect_left(starts, base), bisect.bisect_left(starts, base + len(text))
    ents = [t for t in items[lo:hi] if t[1] <= base + len(text)]
    cspan = None
    if span and isinstance(st.claim.get("start_char"), int) and isinstance(st.claim.get("end_char"), int):
        cspan = (st.claim["start_char"], st.claim["end_char"])
    return f'<blockquote class="sent">{highlight_html(text, base, ents, cspan)}</blockquote>'


def _flag_card(r: Report, v: FlagView) -> str:
    f = v.flag
    kc = css_class(v.kind)
    out = [f'<article class="flag k-{kc}" id="{v.anchor}">',
           "<header>",
           f'<span class="badge kind">{KIND_SYMBOLS.get(v.kind, "⚑")} {esc(v.kind)}</span>',
           f'<span class="badge sev-{css_class(v.severity)}">severity: {esc(v.severity)}</span>',
           f'<span class="score">score {v.score:.2f}</span>',
           f'<span class="score">#{v.number}</span>',
           f'<h3 class="claim">{_triple_html(v.triple)}</h3>',
           "</header>"]
    st = v.statement
    out.append(f'<p class="where">{_doc_ref(v.doc, st.sentence if st else None)}</p>')
    if st is not None:
        if not v.opposing:
            out.append(_statement_html(r, st))
        meta = _claim_meta(st.claim)
        out.append(f'<p class="meta">{_polarity_html(st.claim)}{" · " + meta if meta else ""}</p>')
    else:
        out.append('<p class="meta muted">The flagged claim is not in claims.parquet.</p>')
    out.append(f'<p class="reason"><strong>Why flagged:</strong> {esc(f["reason"])}</p>')
    if v.opposing:
        title = "Opposing statements" if v.kind == "contradicted" else "Related statements"
        out.append(f'<div class="opposing"><h4>{title}</h4><div class="sbs">')
        if st is not None:
            out.append(f'<div class="pane this"><p class="where">This statement ({st.doc.label if st.doc else "?"})</p>'
                       f'{_polarity_html(st.claim)} <span class="muted">{_triple_html(_triple(st.claim))}</span>'
                       f'{_statement_html(r, st)}</div>')
        for o in v.opposing:
            out.append(f'<div class="pane other"><p class="where">{_doc_ref(o.doc, o.sentence, with_url=False)}</p>'
                       f'{_polarity_html(o.claim)} <span class="muted">{_triple_html(_triple(o.claim))}</span>'
                       f'{_statement_html(r, o)}</div>')
        out.append("</div>")
        if v.n_more:
            links = ", ".join(f'<a href="#{d.anchor}">{d.label}</a>' for d in v.more_docs[:30])
            extra = " …" if len(v.more_docs) > 30 else ""
            out.append(f'<p class="more">and {_plural(v.n_more, "more statement")} in {links}{extra}</p>')
        out.append("</div>")
    out.append("</article>")
    return "".join(out)


def _chart_svg(r: Report) -> str:
    if not r.chart:
        return '<p class="note">No flags, so nothing to chart.</p>'
    kinds = r.kinds
    width, label_w, row_h, top = 820, 250, 24, 34
    bar_x = label_w + 10
    bar_max = width - bar_x - 50
    biggest = max(sum(c.values()) for _, c in r.chart) or 1
    height = top + row_h * (len(r.chart) + (1 if r.chart_other else 0)) + 8
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-labelledby="chart-title">'
            '<title id="chart-title">Flags per source, stacked by flag kind</title>')]
    x = 0
    for kind in kinds:
        colour = KIND_COLOURS.get(kind, OTHER_COLOUR)
        out.append(f'<rect x="{bar_x + x}" y="6" width="12" height="12" rx="2" fill="{colour}"/>'
                   f'<text x="{bar_x + x + 16}" y="16">{esc(kind)}</text>')
        x += 28 + 8 * len(kind)
    for i, (source, counter) in enumerate(r.chart):
        y = top + i * row_h
        label = source if len(source) <= 38 else source[:36] + "…"
        out.append(f'<text class="lbl" x="{label_w}" y="{y + 15}" text-anchor="end">'
                   f'<title>{esc(source)}</title>{esc(label)}</text>')
        pos = 0.0
        for kind in kinds:
            n = counter.get(kind, 0)
            if not n:
                continue
            w = n / biggest * bar_max
            colour = KIND_COLOURS.get(kind, OTHER_COLOUR)
            out.append(f'<rect x="{bar_x + pos:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 7}" fill="{colour}">'
                       f'<title>{esc(source)}: {n} {esc(kind)}</title></rect>')
            pos += w
        out.append(f'<text x="{bar_x + pos + 5:.1f}" y="{y + 15}">{sum(counter.values())}</text>')
    if r.chart_other:
        n_other, counter = r.chart_other
        y = top + len(r.chart) * row_h
        parts = ", ".join(f"{counter[k]} {esc(k)}" for k in kinds if counter.get(k))
        out.append(f'<text class="lbl" x="{label_w}" y="{y + 15}" text-anchor="end">'
                   f'{_plural(n_other, "other source")}</text>'
                   f'<text x="{bar_x}" y="{y + 15}">{sum(counter.values())} flags ({parts}), not drawn</text>')
    out.append("</svg>")
    return "".join(out)


def _summary_html(r: Report) -> str:
    c = r.counts
    stats = [("documents", "documents"), ("sentences", "sentences"), ("claims", "claims"),
             ("claim_groups", "claim groups"), ("contradicted_groups", "contradicted groups"),
             ("flags", "flags")]
    if "errors" in c:
        stats.append(("errors", "input errors"))
    out = ['<div class="summary" id="summary-counts">']
    for key, label in stats:
        out.append(f'<div class="stat" id="sum-{key}"><span class="n" data-count="{c[key]}">{c[key]}</span>'
                   f'<span class="l">{label}</span></div>')
    for kind in r.kinds:
        n = r.flags_by_kind.get(kind, 0)
        kc = css_class(kind)
        out.append(f'<div class="stat kind k-{kc}" id="sum-flag-{kc}" data-filter-kind="{esc(kind)}" '
                   f'title="show only {esc(kind)} flags"><span class="n" data-count="{n}">{n}</span>'
                   f'<span class="l">{KIND_SYMBOLS.get(kind, "⚑")} {esc(kind)} flags</span></div>')
    out.append("</div>")
    return "".join(out)


def _run_details(r: Report) -> str:
    m = r.processed.manifest
    if not m:
        return ""
    rows = []
    for key in sorted(m):
        value = m[key]
        if key in ("inputs", "errors") and isinstance(value, list):
            value = f"{len(value)} entries"
        elif isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
            if len(value) > 300:
                value = value[:299] + "…"
        rows.append(f"<tr><th>{esc(key)}</th><td>{esc(value)}</td></tr>")
    return (f'<details class="run"><summary>Run details (manifest.json)</summary>'
            f'<table>{"".join(rows)}</table></details>')


def _matrix_html(r: Report) -> str:
    legend = "".join(f'<span><span class="cell c-{state}">{sym} {word}</span> '
                     f'{esc(CELL_LEGEND[state])}</span>' for state, (sym, word) in CELL_STATES.items())
    out = [f'<div class="legend" id="matrix-legend"><strong>Legend:</strong> {legend}</div>']
    out.extend(f'<p class="note">{esc(n)}</p>' for n in r.matrix_notes)
    if not r.groups:
        out.append('<p class="empty">No claims were extracted.</p>')
        return "".join(out)
    head = "".join(f'<th scope="col"><a href="#{d.anchor}" title="{esc(d.display_title)} — {esc(d.source)}">'
                   f'{d.label}</a></th>'
                   for d in r.matrix_cols)
    cols = f'<colgroup><col width="{MATRIX_LABEL_WIDTH}">' + f'<col width="{MATRIX_CELL_WIDTH}">' * len(r.matrix_cols)
    width = MATRIX_LABEL_WIDTH + MATRIX_CELL_WIDTH * len(r.matrix_cols)
    out.append(f'<div class="matrix-wrap"><table class="matrix" id="claim-matrix" width="{width}">'
               f'{cols}</colgroup><thead><tr>'
               f'<th scope="col" class="claim-col">Claim group</th>{head}</tr></thead><tbody>')
    for g in r.groups:
        aka = ""
        if g.aka:
            aka = '<span class="aka">also: ' + "; ".join(esc(_triple_text(t)) for t in g.aka) + "</span>"
        cls = ' class="row-contradicted"' if g.contradicted else ""
        cells = []
        for d in r.matrix_cols:
            state, n = g.cells.get(d.doc_id, ("silent", 0))
            sym, word = CELL_STATES[state]
            # one text node per cell keeps a big matrix cheap to lay out
            tip = f' title="{d.label}: {n} claim{"s" if n != 1 else ""}"' if n else ""
            cells.append(f'<td class="cell c-{state}"{tip}>{sym} {word}</td>')
        out.append(f'<tr{cls} data-group="{esc(g.group_key)}"><th scope="row">{_triple_html(g.triple)}'
                   f'<span class="verdict">{esc(g.verdict)}</span>{aka}</th>{"".join(cells)}</tr>')
    out.append("</tbody></table></div>")
    key = "".join(f'<li><a class="dlabel" href="#{d.anchor}">{d.label}</a> {esc(d.display_title)} '
                  f'<span class="muted">— {esc(d.source)}</span></li>' for d in r.matrix_cols)
    out.append(f'<ol class="dockey">{key}</ol>')
    return "".join(out)


def _filters_html(r: Report) -> str:
    kinds = "".join(f'<option value="{esc(k)}">{esc(k)} ({r.flags_by_kind.get(k, 0)})</option>' for k in r.kinds)
    labels: dict[str, list[str]] = defaultdict(list)
    for d in r.docs:
        labels[d.source].append(d.label)
    srcs = "".join(f'<option value="{i}">{esc(", ".join(labels[s][:3]))} — '
                   f'{esc(s if len(s) <= 70 else s[:69] + "…")}</option>'
                   for i, s in enumerate(r.sources))
    ents = "".join(f'<option value="{i}">{esc(e if len(e) <= 70 else e[:69] + "…")}</option>'
                   for i, e in enumerate(r.entity_names))
    return ('<div class="filters" role="search">'
            f'<label>Flag kind<select id="f-kind"><option value="">all kinds</option>{kinds}</select></label>'
            f'<label>Source<select id="f-source"><option value="">all sources</option>{srcs}</select></label>'
            f'<label>Entity<select id="f-entity"><option value="">all entities</option>{ents}</select></label>'
            '<label>Search text<input type="search" id="f-text" placeholder="claim, sentence, reason…" '
            'autocomplete="off"></label>'
            '<label>Sort by<select id="f-sort"><option value="severity">severity, then score</option>'
            '<option value="score">score (high first)</option><option value="score-asc">score (low first)</option>'
            '<option value="document">document order</option></select></label>'
            '<button type="button" id="f-reset">Clear filters</button>'
            f'<span id="flag-count" aria-live="polite">{len(r.flags)} of {len(r.flags)} flags match</span>'
            "</div>")


def _flag_data(r: Report, page: int) -> dict[str, Any]:
    """What the script needs per flag: kind, severity rank, score, source and
    entity indices, document-order rank, anchor, and a lower-cased search text."""
    src_index = {s: i for i, s in enumerate(r.sources)}
    ent_index = {e: i for i, e in enumerate(r.entity_names)}
    rows = []
    for v in r.flags:
        words = [_triple_text(v.triple), v.kind, v.severity, str(v.flag["reason"])]
        if v.doc is not None:
            words += [v.doc.label, v.doc.display_title, v.doc.source]
        st = v.statement
        if st is not None and st.sentence is not None:
            words.append(_sent_text(st.doc, st.sentence)[0])
        rows.append({
            "id": v.anchor, "k": v.kind, "sev": SEVERITY_RANK.get(v.severity, 0), "sc": round(v.score, 6),
            "src": src_index[v.doc.source] if v.doc else -1,
            "e": [ent_index[e] for e in v.entities], "o": v.order,
            "q": " ".join(" ".join(words).lower().split()),
        })
    return {"page": page, "flags": rows}


def _document_body(r: Report, doc: DocView) -> str:
    """Metadata line and the full text of one document, one anchored span per sentence."""
    text = doc.text
    out: list[str] = []
    pos = 0
    starts, items = r.ents_by_doc.get(doc.doc_id, ([], []))
    for s in doc.sentences:
        st, en = int(s["start_char"]), int(s["end_char"])
        anchor = doc.sentence_anchor(s)
        if not (pos <= st <= en <= len(text)):
            out.append(f'<span class="s" id="{anchor}"></span>')  # keep links working
            continue
        out.append(esc(text[pos:st]))
        key = (doc.doc_id, str(s["sent_id"]))
        cls = "s"
        if key in r.claim_sents:
            lo, hi = bisect.bisect_left(starts, st), bisect.bisect_left(starts, en)
            inner = highlight_html(text[st:en], st, [t for t in items[lo:hi] if t[1] <= en])
            cls += " has-claim"
        else:
            inner = esc(text[st:en])
        links = ""
        flagged = r.flags_by_sent.get(key)
        if flagged:
            cls += " has-flag"
            links = "".join(f'<a class="fl" href="#{v.anchor}" title="{esc(v.kind)} flag #{v.number}">⚑{v.number}</a>'
                            for v in flagged)
        out.append(f'<span class="{cls}" id="{anchor}">{inner}{links}</span>')
        pos = en
    out.append(esc(text[pos:]))
    meta = [f"URL: {_url_html(doc.url)}", f"source: {esc(doc.source)}"]
    others = [s for s in doc.sources if s != doc.source]
    if others:
        meta.append("duplicates: " + "; ".join(esc(s) for s in others))
    if doc.format:
        meta.append(f"format: {esc(doc.format)}")
    if doc.n_words is not None:
        meta.append(f"{doc.n_words} words")
    return f'<p class="docmeta">{" · ".join(meta)}</p><div class="doctext">{"".join(out)}</div>'


_FRAGMENT_FORBIDDEN = re.compile(r"<script|</script|<!--", re.IGNORECASE)
STORE_ID = "claimex-store"
STORE_LEVEL = 6           # gzip level of the packed store (9 is 3x slower for 2 % less)


def _checked_fragment(fragment: str) -> str:
    """Stored markup is the escaped markup the templates wrote, so an article
    cannot put a tag in it; this guards against a change in the templates."""
    if _FRAGMENT_FORBIDDEN.search(fragment):  # pragma: no cover - impossible with escaped text
        raise ValueError("report fragment contains a script tag or comment")
    return fragment


def pack_store(data: dict[str, Any] | None, fragments: dict[str, str]) -> str:
    """The data block of a large report: ``{"data": ..., "fragments": {anchor: markup}}``
    (``data`` is ``None`` when the flags are all in the page and their data in a plain block)
    as UTF-8 JSON, gzip-compressed (``mtime`` 0, so the same input gives the same
    bytes) and base64-encoded inside an inert ``<script type="application/octet-stream">``."""
    payload = json.dumps({"data": data, "fragments": {k: _checked_fragment(v) for k, v in fragments.items()}},
                         ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packed = base64.b64encode(gzip.compress(payload, compresslevel=STORE_LEVEL, mtime=0)).decode("ascii")
    return f'<script type="application/octet-stream" id="{STORE_ID}" data-encoding="json+gzip+base64">{packed}</script>'


def unpack_store(page: str) -> dict[str, Any]:
    """The inverse of :func:`pack_store`, read from a whole page (``{}`` when the
    page has no store, i.e. a small report)."""
    m = re.search(rf'<script type="application/octet-stream" id="{STORE_ID}"[^>]*>([^<]*)</script>', page)
    if not m:
        return {}
    return json.loads(gzip.decompress(base64.b64decode(m.group(1))).decode("utf-8"))


def _document_html(r: Report, doc: DocView, *, body: bool) -> str:
    """One collapsible document; without ``body`` the text is left out (a large
    report stores it in the packed store under the document's anchor)."""
    counts = f"{esc(doc.source)} · {len(doc.sentences)} sentences · {doc.n_claims} claims · {doc.n_flags} flags"
    return (f'<details class="doc" id="{doc.anchor}"><summary><span class="dlabel">{doc.label}</span> '
            f'{esc(doc.display_title)}<span class="counts">{counts}</span></summary>'
            f'{_document_body(r, doc) if body else ""}</details>')


def _errors_html(r: Report) -> str:
    errors = r.processed.errors
    if not errors:
        return ""
    items = "".join(f"<li><strong>{esc(e['stage'])}</strong> {esc(e['source'])}: {esc(e['error'])}</li>"
                    for e in errors)
    return (f'<section id="input-errors"><h2>Input errors ({len(errors)})</h2>'
            f'<p class="note">These inputs were not processed.</p><ul class="errors">{items}</ul></section>')


def is_large(r: Report) -> tuple[bool, bool]:
    """Whether the page pages its flag cards, and whether it builds documents only
    when they are opened (the light layout for large corpora)."""
    many_flags = len(r.flags) > EAGER_MAX_FLAGS
    big_docs = len(r.docs) > EAGER_MAX_DOCS or sum(len(d.text) for d in r.docs) > EAGER_MAX_CHARS
    return many_flags, big_docs


def render_html(r: Report, *, lazy: bool | None = None) -> str:
    """The whole report page as one string.

    Small reports are plain HTML throughout.  Large ones keep the page fast
    (:func:`is_large` decides; ``lazy`` forces both parts on or off): only the
    first :data:`FLAG_PAGE` flag cards are in the page and the rest, like the
    document bodies and the script's data, are packed in one compressed block
    (:func:`pack_store`) that the script unpacks and turns into nodes when they
    are shown or opened.
    """
    lazy_flags, lazy_docs = is_large(r) if lazy is None else (lazy, lazy)
    css = _asset("report.css")
    js = _asset("report.js")
    csp = (f"default-src 'none'; script-src '{_csp_hash(js)}'; style-src '{_csp_hash(css)}'; "
           "img-src 'none'; base-uri 'none'; form-action 'none'")
    c = r.counts
    page = FLAG_PAGE if lazy_flags else max(len(r.flags), 1)
    inline_cards = "".join(_flag_card(r, v) for v in r.flags[:page])
    docs = "".join(_document_html(r, d, body=not lazy_docs) for d in r.docs)
    data = _flag_data(r, page)
    data_block = ""
    if not lazy_flags:  # the filters work even where the store cannot be unpacked
        data_block = f'<script type="application/json" id="claimex-data">{json_for_script(data)}</script>'
    store_note = ""
    if lazy_flags or lazy_docs:
        fragments = {v.anchor: _flag_card(r, v) for v in r.flags[page:]}
        if lazy_docs:
            fragments.update((d.anchor, _document_body(r, d)) for d in r.docs)
        data_block += pack_store(data if lazy_flags else None, fragments)
        missing = ([f"only the {min(page, len(r.flags))} most severe flags are shown, without filters"]
                   if lazy_flags else []) + (["documents cannot be opened"] if lazy_docs else [])
        store_note = ('<p class="note" id="store-note" hidden>This browser cannot unpack the rest of this large '
                      "report (it needs DecompressionStream: Chrome or Edge 80, Firefox 113, Safari 16.4 or "
                      f"later): {' and '.join(missing)}. report.md next to this file has every flag.</p>")
    docs_cls = ' class="big"' if lazy_docs else ""
    kinds_txt = ", ".join(f"{r.flags_by_kind.get(k, 0)} {k}" for k in r.kinds)
    noscript = "Filters and sorting need JavaScript."
    if lazy_flags:
        noscript += (f" This report is large: without JavaScript only the {min(page, len(r.flags))} most severe "
                     "flags are shown; report.md next to this file has every flag.")
    else:
        noscript += " All flags are listed below, most severe first."
    if lazy_docs:
        noscript += " Documents open only with JavaScript."
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>claimex flag report</title>",
        f"<style>{css}</style></head><body>",
        '<header class="page"><div class="wrap"><h1>claimex flag report</h1>',
        f"<p>{c['documents']} documents · {c['claims']} claims · {c['flags']} flags to review ({esc(kinds_txt)})</p>",
        ('<nav><a href="#summary">Summary</a><a href="#matrix">Claim matrix</a><a href="#flags">Flags</a>'
         '<a href="#documents">Documents</a></nav></div></header><main>'),
        '<section id="summary"><h2>Summary</h2>', _summary_html(r),
        '<h4>Flags per source</h4><div class="chart" id="chart">', _chart_svg(r), "</div>",
        _run_details(r), "</section>",
        ('<section id="matrix"><h2>Claim matrix</h2>'
         '<p class="note">One row per claim group, one column per source document. '
         "Contradicted groups come first.</p>"), _matrix_html(r), "</section>",
        ('<section id="flags"><h2>Flags</h2>'
         '<p class="note">For each flag: is it right? The sentence shows entities highlighted and the claim '
         "shaded; “read in context” opens the document at that sentence.</p>"
         f'<noscript><p class="note">{noscript}</p></noscript>'),
        _filters_html(r), store_note,
        f'<div id="flag-list">{inline_cards}</div>',
        f'<p class="empty" id="flag-empty"{"" if not r.flags else " hidden"}>No flag matches the filters.</p>',
        f'<p class="more-wrap"><button type="button" id="flag-more" hidden>Show {page} more</button></p>',
        "</section>",
        (f'<section id="documents"{docs_cls}><h2>Documents</h2>'
         '<p class="note">The full text of every document. Sentences with claims are shaded, flagged ones '
         "in amber with links (⚑) back to their flags.</p>"
         '<div class="doc-tools"><button type="button" id="docs-open">Expand all</button>'
         '<button type="button" id="docs-close">Collapse all</button></div>'), docs, "</section>",
        _errors_html(r),
        "</main>",
        data_block,
        f"<script>{js}</script>",
        "</body></html>\n",
    ]
    return "".join(parts)


# ---------------------------------------------------------------------------
# Markdown rendering

def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    align = align or ["---"] * len(header)
    return [_md_row(header), _md_row(align)] + [_md_row(r) for r in rows]


def _md_statement(st: Statement | None) -> str:
    if st is None:
        return ""
    if st.sentence is None:
        return escape_md(st.claim.get("text") or "", MD_SENTENCE_LIMIT)
    return escape_md(_sent_text(st.doc, st.sentence)[0], MD_SENTENCE_LIMIT)


def _md_polarity(claim: dict[str, Any]) -> str:
    pol = str(claim.get("polarity") or "")
    sym = CELL_STATES.get(pol, ("", ""))[0]
    out = f"{sym} {escape_md(pol)}".strip()
    if claim.get("hedged"):
        out += ", hedged"
    return out


def _md_url(url: Any) -> str:
    href = safe_href(url)
    if href is not None:
        host = urlsplit(href).hostname or "link"
        return f"[{escape_md(host)}]({quote(href, safe=':/?#@!$&*+,;=%~')})"
    if url:
        return "not linked: " + escape_md(url)
    return ""


def render_markdown(r: Report) -> str:
    """The Markdown twin: summary, chart data, matrix, documents and flags as tables."""
    c = r.counts
    lines = ["# claimex flag report", ""]
    lines.append(f"{c['documents']} documents, {c['claims']} claims, {c['flags']} flags to review. "
                 "Every value from an article is escaped; see report.html for the highlighted sentences.")
    lines += ["", "## Summary", ""]
    rows = [["Documents", str(c["documents"])], ["Sentences", str(c["sentences"])],
            ["Claims", str(c["claims"])], ["Claim groups", str(c["claim_groups"])],
            ["Contradicted claim groups", str(c["contradicted_groups"])], ["Flags", str(c["flags"])]]
    rows += [[f"Flags: {escape_md(k)}", str(r.flags_by_kind.get(k, 0))] for k in r.kinds]
    if "errors" in c:
        rows.append(["Input errors", str(c["errors"])])
    lines += _md_table(["Measure", "Count"], rows, ["---", "---:"])

    lines += ["", "## Flags per source", ""]
    if r.chart:
        header = ["Source"] + [escape_md(k) for k in r.kinds] + ["Total"]
        body = [[escape_md(src)] + [str(cnt.get(k, 0)) for k in r.kinds] + [str(sum(cnt.values()))]
                for src, cnt in r.chart]
        if r.chart_other:
            n_other, cnt = r.chart_other
            body.append([_plural(n_other, "other source")] + [str(cnt.get(k, 0)) for k in r.kinds]
                        + [str(sum(cnt.values()))])
        lines += _md_table(header, body, ["---"] + ["---:"] * (len(r.kinds) + 1))
    else:
        lines.append("No flags.")

    lines += ["", "## Claim matrix", ""]
    lines.append("Legend: " + " · ".join(f"{sym} {word} = {CELL_LEGEND[state]}"
                                         for state, (sym, word) in CELL_STATES.items()))
    lines += [""] + [escape_md(n) for n in r.matrix_notes] + ([""] if r.matrix_notes else [])
    if r.groups:
        header = ["Claim group", "Verdict"] + [d.label for d in r.matrix_cols]
        body = []
        for g in r.groups:
            label = escape_md(_triple_text(g.triple))
            if g.aka:
                label += " (also: " + "; ".join(escape_md(_triple_text(t)) for t in g.aka) + ")"
            cells = []
            for d in r.matrix_cols:
                state = g.cells.get(d.doc_id, ("silent", 0))[0]
                sym, word = CELL_STATES[state]
                cells.append(f"{sym} {word}")
            body.append([label, escape_md(g.verdict)] + cells)
        lines += _md_table(header, body)
    else:
        lines.append("No claims were extracted.")

    lines += ["", "## Documents", ""]
    body = [[d.label, escape_md(d.display_title, 200), escape_md(d.source), _md_url(d.url),
             str(len(d.sentences)), str(d.n_claims), str(d.n_flags)] for d in r.docs]
    lines += _md_table(["Doc", "Title", "Source", "URL", "Sentences", "Claims", "Flags"], body,
                       ["---", "---", "---", "---", "---:", "---:", "---:"])

    lines += ["", "## Flags", ""]
    if r.flags:
        body = []
        for v in r.flags:
            st = v.statement
            body.append([str(v.number), escape_md(v.flag["flag_id"]), escape_md(v.kind), escape_md(v.severity),
                         f"{v.score:.2f}", escape_md(_triple_text(v.triple)),
                         _md_polarity(st.claim) if st else "", v.doc.label if v.doc else "",
                         _md_statement(st), escape_md(v.flag["reason"], MD_SENTENCE_LIMIT)])
        lines += _md_table(["#", "Flag ID", "Kind", "Severity", "Score", "Claim", "Polarity", "Doc", "Sentence",
                            "Reason"], body, ["---:", "---", "---", "---", "---:", "---", "---", "---", "---", "---"])
    else:
        lines.append("No flags.")

    opposing = [(v, o) for v in r.flags for o in v.opposing]
    if opposing:
        lines += ["", "## Opposing statements", "",
                  "For each contradiction flag: the flagged statement and the statements it is contradicted by.", ""]
        body = []
        for v, o in opposing:
            st = v.statement
            body.append([str(v.number), v.doc.label if v.doc else "", _md_statement(st),
                         o.doc.label if o.doc else "", _md_polarity(o.claim),
                         escape_md(_triple_text(_triple(o.claim))), _md_statement(o)])
        lines += _md_table(["Flag #", "Doc", "Statement", "Opposing doc", "Opposing polarity", "Opposing claim",
                            "Opposing statement"], body, ["---:", "---", "---", "---", "---", "---", "---"])

    errors = r.processed.errors
    if errors:
        lines += ["", "## Input errors", ""]
        body = [[escape_md(e["stage"]), escape_md(e["source"]), escape_md(e["error"], 400)] for e in errors]
        lines += _md_table(["Stage", "Source", "Error"], body)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# writing

def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` to a temporary file in ``path``'s folder, then ``os.replace`` it."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ClaimexError(Errors.E075.format(path=path, reason=exc.strerror or exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise ClaimexError(Errors.E075.format(path=path, reason=exc.strerror or exc)) from None
        raise
    return path


def build_report(processed_dir: Path, *, out_html: Path | None = None, out_md: Path | None = None,
                 max_matrix_rows: int = 100, max_matrix_cols: int = 30,
                 lazy: bool | None = None) -> tuple[Path, Path]:
    """Write ``report.html`` and ``report.md`` for a processed folder.

    Defaults: ``processed_dir/report.html`` and ``processed_dir/report.md``.
    ``lazy`` forces the light page layout on or off (default: on for large
    corpora, see :func:`is_large`).
    Both are written atomically.  Raises :class:`ClaimexError` (E070–E075)
    naming the file and the problem.
    """
    processed_dir = Path(processed_dir)
    report = prepare(load_processed(processed_dir), max_matrix_rows=max_matrix_rows,
                     max_matrix_cols=max_matrix_cols)
    html_path = write_text_atomic(Path(out_html) if out_html else processed_dir / "report.html",
                                  render_html(report, lazy=lazy))
    md_path = write_text_atomic(Path(out_md) if out_md else processed_dir / "report.md", render_markdown(report))
    return html_path, md_path
