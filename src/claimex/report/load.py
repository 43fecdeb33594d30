"""Reading a processed folder for the report: what the report shows, in memory bounded by the report.

The report reads its own set of columns (:data:`REPORT_COLUMNS`), not the
flags stage's: the text and offsets it shows, the claim fields it describes.
A missing table, an unreadable file or a missing column is a ClaimexError
(E070-E074) that names the file.  The reviewer's ``verdicts.parquet``, when
there is one, is lined up with the flags (:func:`claimex.review.match`), and
the run gets its id (:func:`claimex.review.run_id`), under which the page
keeps the verdicts made in the browser.

A corpus of thousands of articles has hundreds of thousands of flags, more
than anyone reads and more than a browser holds in one page.  So the tables
are streamed in record batches and only two things are kept:

* **totals** (:class:`Totals`): counts per table, per flag kind, per document
  and per claim group, and the claim matrix's cells as one compact Arrow table;
* **the rows the report shows**: the :data:`MAX_REPORT_FLAGS` most severe flags
  (shared fairly between the kinds, so every kind's filter has flags; flags
  with a verdict in ``verdicts.parquet`` after those without, so a reviewer
  works through the corpus report by report), their
  claims, the opposing claims, the sentences and entities of those statements,
  and the full text of at most :data:`MAX_TEXT_DOCS` documents (those with the
  most flags shown).  Every other row stays in the Parquet tables
  (``claimex export`` writes them as CSV or JSONL).

A folder within the limits is read whole, as before.
"""

from __future__ import annotations

import bisect
import heapq
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..errors import ClaimexError, Errors
from ..review.state import ReviewState

#: table -> (columns the report needs, columns it shows when present)
REPORT_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
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

MAX_REPORT_FLAGS = 2000   # flags the report shows (the most severe, shared between the kinds)
MAX_TEXT_DOCS = 100       # documents whose full text the report carries
MAX_ERRORS = 500          # input errors listed (the rest are in errors.parquet)
BATCH_ROWS = 2048         # rows per record batch read
TEXT_BATCH_ROWS = 32      # documents per batch when their text is read


@dataclass
class Totals:
    """Counts over every row of the tables, whatever the report shows."""

    documents: int = 0
    sentences: int = 0
    claims: int = 0
    flags: int = 0
    errors: int | None = None
    flags_by_kind: Counter = field(default_factory=Counter)
    flags_by_doc: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    claims_by_doc: Counter = field(default_factory=Counter)
    sentences_by_doc: Counter = field(default_factory=Counter)
    claims_by_key: Counter = field(default_factory=Counter)     # claim_key -> claims
    flags_by_group: Counter = field(default_factory=Counter)    # group_key -> flags
    contradicted_groups: set = field(default_factory=set)       # groups with a contradicted flag
    new_flags: int = 0                                          # flags new since the last review
    #: one row per (group, document) with claims: g, d (codes into group_names, doc_names), any
    #: affirmed (not hedged), any negated (not hedged), the number of claims
    cells: Any = None
    group_names: list[str] = field(default_factory=list)
    doc_names: list[str] = field(default_factory=list)


@dataclass
class Processed:
    """The rows of a processed folder the report shows, as plain dicts, and the totals."""

    path: Path
    documents: list[dict[str, Any]]   # every document (its text only when shown: ``text`` None otherwise)
    sentences: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    flags: list[dict[str, Any]]       # the flags shown
    claim_groups: list[dict[str, Any]]
    errors: list[dict[str, Any]] | None = None
    manifest: dict[str, Any] | None = None
    run_id: str = ""                  # claimex.review.run_id: the key of the browser's saved verdicts
    review: ReviewState = field(default_factory=ReviewState)  # earlier verdicts against these flags
    totals: Totals = field(default_factory=Totals)
    text_docs: set[str] | None = None  # documents whose text was read (None: all)
    claim_sents: set[tuple[str, str]] = field(default_factory=set)  # (doc_id, sent_id) with a claim, in those

    @property
    def flags_capped(self) -> bool:
        return len(self.flags) < self.totals.flags


# ---------------------------------------------------------------------------
# reading

def _arrow_error(path: Path, exc: BaseException) -> ClaimexError:
    return ClaimexError(Errors.E072.format(path=path, reason=str(exc).strip() or type(exc).__name__))


def _columns(path: Path, name: str) -> tuple[list[str], list[str]]:
    """The columns to read (required ones checked) and the optional ones the file lacks."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    required, optional = REPORT_COLUMNS[name]
    try:
        names = pq.read_schema(path).names
    except FileNotFoundError:
        raise ClaimexError(Errors.E071.format(path=path)) from None
    except IsADirectoryError:
        raise ClaimexError(Errors.E072.format(path=path, reason="it is a folder")) from None
    except (pa.ArrowException, OSError) as exc:
        raise _arrow_error(path, exc) from None
    missing = [c for c in required if c not in names]
    if missing:
        raise ClaimexError(Errors.E073.format(path=path, missing=", ".join(missing),
                                              found=", ".join(names) or "none"))
    return list(required) + [c for c in optional if c in names], [c for c in optional if c not in names]


def _batches(path: Path, columns: list[str], rows: int = 0) -> Iterator[Any]:
    """Record batches of ``columns`` (E072 on a damaged file)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        # one thread and small batches: the decoded data of a batch is all that is held (the
        # allocator keeps the high-water mark of parallel decoding otherwise)
        pf = pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20)
        for batch in pf.iter_batches(batch_size=rows or BATCH_ROWS, columns=columns, use_threads=False):
            yield batch
    except (pa.ArrowException, OSError) as exc:
        raise _arrow_error(path, exc) from None


def _rows(batch: Any, absent: list[str]) -> list[dict[str, Any]]:
    rows = batch.to_pylist()
    if absent:
        for row in rows:
            for c in absent:
                row[c] = None
    return rows


def _filtered(path: Path, name: str, keep: Any) -> list[dict[str, Any]]:
    """The rows of a table for which ``keep(batch)`` (an Arrow boolean mask, or None: all) holds."""
    columns, absent = _columns(path, name)
    out: list[dict[str, Any]] = []
    for batch in _batches(path, columns):
        mask = keep(batch)
        if mask is not None:
            batch = batch.filter(mask)
        if batch.num_rows:
            out += _rows(batch, absent)
    return out


def _is_in(column: Any, values: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.is_in(column, value_set=pa.array(sorted(values), type=pa.string()))


def _table_path(folder: Path, name: str) -> Path:
    return folder / f"{name}.parquet"


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    mpath = folder / "manifest.json"
    if not mpath.exists():
        return None
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ClaimexError(Errors.E074.format(path=mpath, reason=exc)) from None
    if not isinstance(manifest, dict):
        raise ClaimexError(Errors.E074.format(path=mpath, reason="top level is not a JSON object"))
    return manifest


def _doc_rank(documents: list[dict[str, Any]]) -> dict[str, int]:
    """doc_id -> its place in (source, doc_id) order (the report's D1..Dn)."""
    ordered = sorted(documents, key=lambda d: (str(d["source"]), str(d["doc_id"])))
    return {str(d["doc_id"]): i for i, d in enumerate(ordered)}


def _fair_share(counts: dict[str, int], cap: int) -> dict[str, int]:
    """How many flags of each kind to show: ``cap`` in all, shared equally between the kinds,
    a kind with fewer flags leaving its share to the others."""
    quota: dict[str, int] = {}
    left = cap
    kinds = sorted(counts, key=lambda k: (counts[k], k))
    for i, kind in enumerate(kinds):
        share = left // (len(kinds) - i)
        quota[kind] = min(counts[kind], share)
        left -= quota[kind]
    return quota


def load_processed(processed_dir: Path, *, max_flags: int = MAX_REPORT_FLAGS,
                   max_text_docs: int = MAX_TEXT_DOCS) -> Processed:
    """Read what the report shows of a processed folder, and the totals (raises ClaimexError)."""
    from ..review import read_verdicts, run_id
    from ..schema import SEVERITIES

    folder = Path(processed_dir)
    if not folder.is_dir():
        raise ClaimexError(Errors.E070.format(path=folder))
    paths = {name: _table_path(folder, name) for name in REPORT_COLUMNS}
    for name, path in paths.items():  # every table is checked before any is read
        if name in OPTIONAL_TABLES and not path.exists():
            continue
        _columns(path, name)
    manifest = _read_manifest(folder)
    totals = Totals()

    # documents: every row without its text (the text is read for the documents shown)
    doc_cols, doc_absent = _columns(paths["documents"], "documents")
    meta_cols = [c for c in doc_cols if c != "text"]
    documents: list[dict[str, Any]] = []
    for batch in _batches(paths["documents"], meta_cols):
        documents += _rows(batch, doc_absent)
    totals.documents = len(documents)
    rank = _doc_rank(documents)

    groups = _filtered(paths["claim_groups"], "claim_groups", lambda b: None)
    group_of = {str(g["claim_key"]): str(g["group_key"]) for g in groups}

    # flags: totals, and the most severe of each kind (min-heaps of the best rows)
    sev_rank = {s: i + 1 for i, s in enumerate(SEVERITIES)}
    stored = read_verdicts(folder)
    by_flag = stored.by_flag if stored is not None else {}
    seen = (stored.reviewed_flags if stored is not None and stored.reviewed_flags is not None
            else frozenset(by_flag))
    kept: dict[str, dict[str, Any]] = {}
    new_ids: set[str] = set()
    heaps: dict[str, list] = defaultdict(list)
    flag_cols, flag_absent = _columns(paths["flags"], "flags")
    # one pass over the key columns (no row is built), one more for the rows chosen
    seq = 0
    key_cols = ["flag_id", "flag", "doc_id", "claim_key", "severity", "score"]
    for batch in _batches(paths["flags"], key_cols):
        cols = [batch.column(c).to_pylist() for c in key_cols]
        for fid, kind, doc_id, claim_key, severity, score in zip(*cols):
            fid, kind, doc_id, claim_key = str(fid), str(kind), str(doc_id), str(claim_key)
            totals.flags_by_kind[kind] += 1
            totals.flags_by_doc[doc_id][kind] += 1
            gk = group_of.get(claim_key, claim_key)
            totals.flags_by_group[gk] += 1
            if kind == "contradicted":
                totals.contradicted_groups.add(gk)
            if stored is not None:
                if fid in by_flag:
                    kept[fid] = by_flag[fid]
                elif fid not in seen:
                    totals.new_flags += 1
                    new_ids.add(fid)
            # unreviewed flags first (a reviewer works through the corpus report by report), then
            # the most severe, the highest score, in document order
            key = (fid not in by_flag, sev_rank.get(str(severity), 0),
                   float(score) if score is not None else 0.0, -rank.get(doc_id, len(rank)), -seq)
            heap = heaps[kind]
            if len(heap) < max_flags:
                heapq.heappush(heap, key)
            elif key > heap[0]:
                heapq.heapreplace(heap, key)
            seq += 1
    totals.flags = seq
    quota = _fair_share({k: len(h) for k, h in heaps.items()}, max_flags)
    chosen = sorted(-key[4] for kind, heap in heaps.items() for key in heapq.nlargest(quota[kind], heap))
    del heaps
    flags: list[dict[str, Any]] = []  # in table order, as before
    offset, at = 0, 0
    for batch in _batches(paths["flags"], flag_cols):
        end = offset + batch.num_rows
        take = []
        while at < len(chosen) and chosen[at] < end:
            take.append(chosen[at] - offset)
            at += 1
        if take:
            flags += _rows(batch.take(take), flag_absent)
        offset = end
    review = ReviewState()
    if stored is not None:
        shown_ids = [str(f["flag_id"]) for f in flags]
        present_stored = set(kept)
        review = ReviewState(kept=kept, new=[f for f in shown_ids if f in new_ids],
                             vanished=[r for r in stored.rows if r["flag_id"] not in present_stored],
                             reviewed=True)

    # the documents whose text is shown: all of a small corpus, else those with the most flags shown
    if len(documents) <= max_text_docs:
        text_docs = None
        wanted_text = {str(d["doc_id"]) for d in documents}
    else:
        shown_per_doc = Counter(str(f["doc_id"]) for f in flags)
        best_docs = sorted(shown_per_doc, key=lambda d: (-shown_per_doc[d], rank.get(d, len(rank)), d))
        text_docs = set(best_docs[:max_text_docs])
        wanted_text = text_docs
    # claims: totals and matrix cells (compact Arrow columns), then the rows the flags need
    totals.cells, claim_sents = _claim_cells(paths["claims"], dict(group_of), totals, wanted_text)
    want_claims = {str(f["claim_id"]) for f in flags}
    fallback_groups = set()
    for f in flags:
        related = [str(r) for r in (f.get("related_claim_ids") or [])]
        want_claims.update(related)
        if not related and f["flag"] == "contradicted":
            fallback_groups.add(group_of.get(str(f["claim_key"]), str(f["claim_key"])))
    fallback_keys = {k for k, g in group_of.items() if g in fallback_groups} | fallback_groups

    def claim_mask(batch: Any) -> Any:
        mask = _is_in(batch.column("claim_id"), want_claims)
        if fallback_keys:
            import pyarrow.compute as pc

            mask = pc.or_(mask, _is_in(batch.column("claim_key"), fallback_keys))
        return mask

    claims = _filtered(paths["claims"], "claims", claim_mask)

    texts: dict[str, str] = {}
    for batch in _batches(paths["documents"], ["doc_id", "text"], rows=TEXT_BATCH_ROWS):
        if text_docs is not None:
            batch = batch.filter(_is_in(batch.column("doc_id"), wanted_text))
        for row in batch.to_pylist():
            texts[str(row["doc_id"])] = row["text"]
    for d in documents:
        d["text"] = texts.get(str(d["doc_id"]))
    del texts

    # sentences: counts, and those of the statements shown and of the documents with text
    want_sents = {(str(c["doc_id"]), str(c["sent_id"])) for c in claims}
    want_sent_ids = {s for _, s in want_sents}
    sent_cols, sent_absent = _columns(paths["sentences"], "sentences")
    sentences: list[dict[str, Any]] = []
    import pyarrow.compute as pc

    for batch in _batches(paths["sentences"], sent_cols):
        totals.sentences += batch.num_rows
        counts = pc.value_counts(batch.column("doc_id"))
        for item in counts.to_pylist():
            totals.sentences_by_doc[str(item["values"])] += item["counts"]
        if text_docs is not None:
            mask = pc.or_(_is_in(batch.column("doc_id"), wanted_text), _is_in(batch.column("sent_id"), want_sent_ids))
            batch = batch.filter(mask)
        for s in _rows(batch, sent_absent):
            if text_docs is None or str(s["doc_id"]) in wanted_text or (str(s["doc_id"]), str(s["sent_id"])) in want_sents:
                sentences.append(s)

    # entities: those of the documents with text, and those within the statements' sentences
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in sentences:
        if text_docs is not None and str(s["doc_id"]) not in wanted_text:
            spans[str(s["doc_id"])].append((int(s["start_char"]), int(s["end_char"])))
    starts = {d: sorted(v) for d, v in spans.items()}
    ent_docs = set(wanted_text) | set(starts)

    def in_statement(e: dict[str, Any]) -> bool:
        ranges = starts.get(str(e["doc_id"]))
        if not ranges:
            return False
        i = bisect.bisect_right(ranges, (int(e["start_char"]), float("inf"))) - 1
        return i >= 0 and ranges[i][0] <= int(e["start_char"]) and int(e["end_char"]) <= ranges[i][1]

    entities = _filtered(paths["entities"], "entities",
                         (lambda b: None) if text_docs is None else (lambda b: _is_in(b.column("doc_id"), ent_docs)))
    if text_docs is not None:
        entities = [e for e in entities if str(e["doc_id"]) in wanted_text or in_statement(e)]

    errors = None
    if paths["errors"].exists():
        err_cols, err_absent = _columns(paths["errors"], "errors")
        errors = []
        n_errors = 0
        for batch in _batches(paths["errors"], err_cols):
            n_errors += batch.num_rows
            if len(errors) < MAX_ERRORS:
                errors += _rows(batch, err_absent)[: MAX_ERRORS - len(errors)]
        totals.errors = n_errors
    return Processed(path=folder, documents=documents, sentences=sentences, entities=entities, claims=claims,
                     flags=flags, claim_groups=groups, errors=errors, manifest=manifest, run_id=run_id(folder),
                     review=review, totals=totals, text_docs=text_docs, claim_sents=claim_sents)


def _claim_cells(path: Path, group_of: dict[str, str], totals: Totals, text_docs: set[str]) -> tuple[Any, set]:
    """Claims per document and per claim key (into ``totals``), and the claim matrix's cells:
    an Arrow table with one row per (group, document): any affirmed and any negated claim
    (neither hedged), and the number of claims; groups and documents as integer codes
    (``totals.group_names``, ``totals.doc_names``), so the table stays small.  Also the
    (doc_id, sent_id) of the claims of ``text_docs``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    _columns(path, "claims")
    group_names = sorted(set(group_of.values()))
    group_code = {g: i for i, g in enumerate(group_names)}
    known = list(group_of)                                   # claim keys with a code, in order
    code_of_key = [group_code[group_of[k]] for k in known]
    keys_arr = pa.array(known, type=pa.string())
    codes_arr = pa.array(code_of_key, type=pa.int32())
    doc_names: list[str] = []
    doc_code: dict[str, int] = {}
    parts = []
    claim_sents: set[tuple[str, str]] = set()
    for batch in _batches(path, ["claim_key", "doc_id", "polarity", "hedged", "sent_id"]):
        totals.claims += batch.num_rows
        mine = batch.filter(_is_in(batch.column("doc_id"), text_docs))
        claim_sents.update(zip(map(str, mine.column("doc_id").to_pylist()), map(str, mine.column("sent_id").to_pylist())))
        doc_ids = pc.cast(batch.column("doc_id"), pa.string())
        for item in pc.value_counts(doc_ids).to_pylist():
            d = str(item["values"])
            totals.claims_by_doc[d] += item["counts"]
            if d not in doc_code:
                doc_code[d] = len(doc_names)
                doc_names.append(d)
        claim_key = pc.cast(batch.column("claim_key"), pa.string())
        for item in pc.value_counts(claim_key).to_pylist():
            k = str(item["values"])
            totals.claims_by_key[k] += item["counts"]
            if k not in group_of and k not in group_code:  # a claim key of no group: its own group
                group_code[k] = len(group_names)
                group_names.append(k)
                group_of[k] = k
                known.append(k)
                code_of_key.append(group_code[k])
                keys_arr, codes_arr = pa.array(known, type=pa.string()), pa.array(code_of_key, type=pa.int32())
        group = pc.take(codes_arr, pc.index_in(claim_key, value_set=keys_arr))
        doc = pc.index_in(doc_ids, value_set=pa.array(doc_names, type=pa.string()))
        polarity = pc.cast(batch.column("polarity"), pa.string())
        plain = pc.invert(pc.fill_null(batch.column("hedged"), False))
        t = pa.table({
            "g": group, "d": pc.cast(doc, pa.int32()),
            "aff": pc.fill_null(pc.and_(pc.equal(polarity, "affirmed"), plain), False),
            "neg": pc.fill_null(pc.and_(pc.equal(polarity, "negated"), plain), False),
        })
        parts.append(t.group_by(["g", "d"], use_threads=False).aggregate([("aff", "any"), ("neg", "any"), ("aff", "count")]))
    totals.group_names, totals.doc_names = group_names, doc_names
    if not parts:
        return pa.table({"g": pa.array([], pa.int32()), "d": pa.array([], pa.int32()),
                         "aff": pa.array([], pa.bool_()), "neg": pa.array([], pa.bool_()),
                         "n": pa.array([], pa.int64())}), claim_sents
    t = pa.concat_tables(parts)
    t = t.group_by(["g", "d"], use_threads=False).aggregate([("aff_any", "any"), ("neg_any", "any"), ("aff_count", "sum")])
    return pa.table({"g": t.column("g"), "d": t.column("d"), "aff": t.column("aff_any_any"),
                     "neg": t.column("neg_any_any"), "n": t.column("aff_count_sum")}), claim_sents
