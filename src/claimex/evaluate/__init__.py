"""Scoring a processed folder against a hand-annotated gold set (``claimex evaluate``).

The gold format is described in ``docs/gold-format.md``: JSONL, one line per
document, with its entities (character spans into the stored text), its claims
(one per sentence and assertion) and the flags a reviewer expects.

Plain functions, in order of use:

* :func:`load_gold` reads and validates a gold file (errors name the file and
  the line: ``E080``–``E086``);
* :func:`load_predictions` reads the ``documents``, ``entities``, ``claims``
  and ``flags`` tables of a processed folder (pyarrow only);
* :func:`score_predictions` compares the two and returns a plain, JSON-ready
  dict; :func:`score` does both reads and the comparison;
* :func:`format_report` renders the dict as Markdown tables and
  :func:`write_json` writes it to a file;
* :func:`evaluate` glues them together for the command line.

Matching rules (documented in ``docs/gold-format.md``, relied on by the tests):

* **Entities, exact**: same document, ``start``, ``end``, ``label`` and
  ``canonical``.  **Entities, lenient**: same document and label, and the
  spans overlap (canonical ignored); one-to-one.
* **Claims**: same document, same ``subject``, ``predicate`` and ``object``,
  and the predicted claim's sentence span overlaps the gold one; one-to-one.
  Polarity, hedging and certainty are scored separately, over the matched
  pairs (confusion tables), and ``micro_with_polarity`` also requires the
  polarity to agree.
* **Flags**: same document, flag kind, claim ``subject``/``predicate``/
  ``object``, and overlapping claim sentences; one-to-one.
* Only the documents named in the gold file are scored; other documents in the
  processed folder are ignored.  A gold document that is missing from the
  folder counts as predicted empty (everything in it is missed).

Precision is ``tp / predicted`` and is ``None`` when nothing was predicted;
recall is ``tp / gold`` and is ``None`` when the gold has nothing; F1 is
``2·tp / (gold + predicted)``, which is ``0.0`` when one side is empty and the
other is not, and ``None`` only when both are empty.  One-to-one matching is
greedy in a fixed order (gold items by document and position; among the
candidates: same polarity first, then the largest overlap, then position), so
the same inputs always give the same numbers.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from ..errors import ClaimexError, Errors
from ..schema import CERTAINTY, ENTITY_LABELS, FLAG_KINDS, POLARITIES, PREDICATES

__all__ = [
    "GoldClaim",
    "GoldDoc",
    "GoldEntity",
    "GoldError",
    "GoldFlag",
    "Predictions",
    "check_spans",
    "evaluate",
    "format_report",
    "load_gold",
    "load_predictions",
    "parse_gold_record",
    "prf",
    "score",
    "score_predictions",
    "write_json",
]

DOC_ID_RE = re.compile(r"^[0-9a-f]{16}$")
HEDGED_KEYS = ("true", "false")
ENTITY_FIELDS = ("start", "end", "label", "canonical")
# ``text`` is optional: gold on third-party corpora names spans by offsets only
# (the article's text is never copied into the gold); the document's ``doc_id``
# is a content hash, so a changed article is caught, and the text is taken from
# the stored document when scoring.
ENTITY_OPTIONAL = ("text",)
CLAIM_FIELDS = ("sentence_start", "sentence_end", "subject", "predicate", "object",
                "polarity", "hedged", "certainty")
FLAG_CLAIM_FIELDS = ("subject", "predicate", "object", "sentence_start")
RECORD_FIELDS = ("doc_id", "source", "entities", "claims", "flags")
OPTIONAL_FIELDS = ("note",)
# A record may say which layers it annotates (``layers``); a layer it leaves
# out is not scored for that document (predictions there are ignored too).
LAYERS = ("entities", "claims", "flags")
# Labels left out of the headline entity figures (scored in their own row).
UNSCORED_LABELS = ("GENERIC",)

# Columns read from each table of the processed folder.
PRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id", "text"),
    "entities": ("doc_id", "start_char", "end_char", "text", "label", "canonical"),
    "claims": ("claim_id", "doc_id", "start_char", "end_char", "subject", "predicate", "object",
               "polarity", "hedged", "certainty"),
    "flags": ("claim_id", "doc_id", "flag"),
}


class GoldError(ClaimexError):
    """A gold file that cannot be used; the message names the file and the line."""


# ---------------------------------------------------------------------------
# gold records


@dataclass(frozen=True)
class GoldEntity:
    start: int
    end: int
    text: str | None
    label: str
    canonical: str


@dataclass(frozen=True)
class GoldClaim:
    sentence_start: int
    sentence_end: int
    subject: str
    predicate: str
    object: str
    polarity: str
    hedged: bool
    certainty: str


@dataclass(frozen=True)
class GoldFlag:
    """A flag on a gold claim; ``sentence_end`` is taken from the claim it names."""

    subject: str
    predicate: str
    object: str
    sentence_start: int
    sentence_end: int
    flag: str


@dataclass(frozen=True)
class GoldDoc:
    doc_id: str
    source: str
    entities: tuple[GoldEntity, ...]
    claims: tuple[GoldClaim, ...]
    flags: tuple[GoldFlag, ...]
    path: str = "<gold>"
    line: int = 0
    layers: tuple[str, ...] = LAYERS


def _fail(path: str, line: int, reason: str) -> GoldError:
    return GoldError(Errors.E082.format(path=path, line=line, reason=reason))


def _check_fields(obj: Any, required: tuple[str, ...], where: str, path: str, line: int,
                  optional: tuple[str, ...] = ()) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise _fail(path, line, f"{where} must be a JSON object, not {type(obj).__name__}")
    missing = [f for f in required if f not in obj]
    if missing:
        raise _fail(path, line, f"{where} has no {', '.join(repr(m) for m in missing)}")
    unknown = sorted(set(obj) - set(required) - set(OPTIONAL_FIELDS) - set(optional))
    if unknown:
        raise _fail(path, line, f"{where} has unknown field(s) {', '.join(repr(u) for u in unknown)}")
    return obj


def _int(value: Any, name: str, where: str, path: str, line: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(path, line, f"{where}.{name} must be a non-negative integer, not {value!r}")
    return value


def _str(value: Any, name: str, where: str, path: str, line: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, line, f"{where}.{name} must be a non-empty string, not {value!r}")
    return value


def _choice(value: Any, name: str, allowed: Iterable[str], where: str, path: str, line: int) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise GoldError(Errors.E083.format(path=path, line=line, where=f"{where}.{name}", value=value,
                                           allowed=", ".join(allowed)))
    return value


def _list(value: Any, name: str, path: str, line: int) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(path, line, f"'{name}' must be a list, not {type(value).__name__}")
    return value


def parse_gold_record(data: Any, *, path: str = "<gold>", line: int = 0) -> GoldDoc:
    """Validate one decoded JSONL record and return it as a :class:`GoldDoc`."""
    rec = _check_fields(data, RECORD_FIELDS, "the record", path, line, ("layers",))
    layers = LAYERS
    if "layers" in rec:
        raw_layers = _list(rec["layers"], "layers", path, line)
        for i, name in enumerate(raw_layers):
            _choice(name, "layers", LAYERS, f"layers[{i}]", path, line)
        layers = tuple(n for n in LAYERS if n in raw_layers)
        if not layers:
            raise _fail(path, line, "'layers' must name at least one of " + ", ".join(LAYERS))
        for name in LAYERS:
            if name not in layers and rec[name]:
                raise _fail(path, line, f"'{name}' has items but 'layers' leaves it out")
    doc_id = rec["doc_id"]
    if not isinstance(doc_id, str) or not DOC_ID_RE.match(doc_id):
        raise _fail(path, line, f"doc_id must be 16 lower-case hex digits, not {doc_id!r}")
    source = _str(rec["source"], "source", "the record", path, line)

    entities: list[GoldEntity] = []
    seen_ents: set[tuple[int, int, str]] = set()
    for i, e in enumerate(_list(rec["entities"], "entities", path, line)):
        where = f"entities[{i}]"
        _check_fields(e, ENTITY_FIELDS, where, path, line, ENTITY_OPTIONAL)
        start, end = _int(e["start"], "start", where, path, line), _int(e["end"], "end", where, path, line)
        if end <= start:
            raise _fail(path, line, f"{where} ends ({end}) at or before it starts ({start})")
        text = _str(e["text"], "text", where, path, line) if "text" in e else None
        if text is not None and len(text) != end - start:
            raise _fail(path, line, f"{where}.text {text!r} has {len(text)} characters but the span "
                                    f"{start}-{end} has {end - start}")
        label = _choice(e["label"], "label", ENTITY_LABELS, where, path, line)
        canonical = _str(e["canonical"], "canonical", where, path, line)
        key = (start, end, label)
        if key in seen_ents:
            raise _fail(path, line, f"{where} repeats the {label} entity at {start}-{end}")
        seen_ents.add(key)
        entities.append(GoldEntity(start, end, text, label, canonical))

    claims: list[GoldClaim] = []
    seen_claims: set[tuple[Any, ...]] = set()
    for i, c in enumerate(_list(rec["claims"], "claims", path, line)):
        where = f"claims[{i}]"
        _check_fields(c, CLAIM_FIELDS, where, path, line)
        s_start = _int(c["sentence_start"], "sentence_start", where, path, line)
        s_end = _int(c["sentence_end"], "sentence_end", where, path, line)
        if s_end <= s_start:
            raise _fail(path, line, f"{where} sentence ends ({s_end}) at or before it starts ({s_start})")
        subject = _str(c["subject"], "subject", where, path, line)
        predicate = _choice(c["predicate"], "predicate", PREDICATES, where, path, line)
        obj = _str(c["object"], "object", where, path, line)
        polarity = _choice(c["polarity"], "polarity", POLARITIES, where, path, line)
        hedged = c["hedged"]
        if not isinstance(hedged, bool):
            raise _fail(path, line, f"{where}.hedged must be true or false, not {hedged!r}")
        certainty = _choice(c["certainty"], "certainty", CERTAINTY, where, path, line)
        if hedged != (certainty != "asserted"):
            raise _fail(path, line, f"{where} has hedged={str(hedged).lower()} but certainty "
                                    f"'{certainty}' (a claim is hedged exactly when it is not 'asserted')")
        if predicate == "DOSAGE" and polarity != "affirmed":
            raise _fail(path, line, f"{where} is a negated DOSAGE claim; DOSAGE claims are never negated")
        key = (s_start, subject, predicate, obj, polarity)
        if key in seen_claims:
            raise _fail(path, line, f"{where} repeats {subject} {predicate} {obj} ({polarity}) "
                                    f"in the sentence at {s_start}")
        seen_claims.add(key)
        claims.append(GoldClaim(s_start, s_end, subject, predicate, obj, polarity, hedged, certainty))

    flags: list[GoldFlag] = []
    seen_flags: set[tuple[Any, ...]] = set()
    for i, f in enumerate(_list(rec["flags"], "flags", path, line)):
        where = f"flags[{i}]"
        _check_fields(f, ("claim", "flag"), where, path, line)
        ref = _check_fields(f["claim"], FLAG_CLAIM_FIELDS, f"{where}.claim", path, line)
        kind = _choice(f["flag"], "flag", FLAG_KINDS, where, path, line)
        s_start = _int(ref["sentence_start"], "sentence_start", f"{where}.claim", path, line)
        triple = (ref["subject"], ref["predicate"], ref["object"])
        targets = {(c.sentence_start, c.sentence_end) for c in claims
                   if c.sentence_start == s_start and (c.subject, c.predicate, c.object) == triple}
        if not targets:
            raise GoldError(Errors.E085.format(
                path=path, line=line, where=where,
                claim=f"{triple[0]} {triple[1]} {triple[2]} in the sentence at {s_start}"))
        s_end = min(targets)[1]
        key = (s_start, *triple, kind)
        if key in seen_flags:
            raise _fail(path, line, f"{where} repeats the '{kind}' flag on {' '.join(triple)} at {s_start}")
        seen_flags.add(key)
        flags.append(GoldFlag(triple[0], triple[1], triple[2], s_start, s_end, kind))

    return GoldDoc(doc_id, source, tuple(entities), tuple(claims), tuple(flags), path=path, line=line,
                   layers=layers)


def load_gold(path: str | Path) -> list[GoldDoc]:
    """Read a gold JSONL file, or every ``*.jsonl`` of a folder in name order.

    Every problem raises :class:`GoldError` naming the file and line; a document
    annotated twice (in one file or in two) is ``E084``.
    """
    if Path(path).is_dir():
        files = sorted(Path(path).glob("*.jsonl"))
        if not files:
            raise GoldError(Errors.E086.format(path=str(path)))
        docs: list[GoldDoc] = []
        seen: dict[str, GoldDoc] = {}
        for f in files:
            for doc in _load_gold_file(f):
                if doc.doc_id in seen:
                    raise GoldError(Errors.E084.format(path=doc.path, line=doc.line, doc_id=doc.doc_id,
                                                       first=f"{seen[doc.doc_id].line} of {seen[doc.doc_id].path}"))
                seen[doc.doc_id] = doc
                docs.append(doc)
        return docs
    return _load_gold_file(path)


def _load_gold_file(path: str | Path) -> list[GoldDoc]:
    name = str(path)
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise GoldError(Errors.E080.format(path=name, reason=reason)) from None
    docs: list[GoldDoc] = []
    first_line: dict[str, int] = {}
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise GoldError(Errors.E081.format(path=name, line=lineno, reason=exc.msg)) from None
        doc = parse_gold_record(data, path=name, line=lineno)
        if doc.doc_id in first_line:
            raise GoldError(Errors.E084.format(path=name, line=lineno, doc_id=doc.doc_id,
                                               first=first_line[doc.doc_id]))
        first_line[doc.doc_id] = lineno
        docs.append(doc)
    if not docs:
        raise GoldError(Errors.E086.format(path=name))
    return docs


def check_spans(doc: GoldDoc, text: str) -> None:
    """Raise ``E087`` unless every gold entity's text is ``text[start:end]``."""
    for e in doc.entities:
        found = text[e.start:e.end]
        if e.text is None:
            if e.end > len(text):
                raise GoldError(Errors.E087.format(
                    path=doc.path, line=doc.line, start=e.start, end=e.end,
                    text=f"a span of {e.end - e.start} characters",
                    found=f"past the end of its {len(text)} characters", doc_id=doc.doc_id))
            continue
        if found != e.text:
            raise GoldError(Errors.E087.format(path=doc.path, line=doc.line, start=e.start, end=e.end,
                                               text=e.text, found=found, doc_id=doc.doc_id))


# ---------------------------------------------------------------------------
# predictions


@dataclass
class Predictions:
    """The rows of a processed folder that the scorer needs, as plain dicts.

    ``entities`` rows have ``doc_id, start, end, text, label, canonical``;
    ``claims`` rows ``claim_id, doc_id, start, end, subject, predicate, object,
    polarity, hedged, certainty``; ``flags`` rows ``claim_id, doc_id, flag``.
    ``texts`` maps each document id to its stored text (may be empty).
    """

    doc_ids: set[str]
    entities: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)


def _read(pred_dir: Path, name: str, keep: set[str] | None) -> list[dict[str, Any]]:
    path = pred_dir / f"{name}.parquet"
    if not path.exists():
        raise ClaimexError(Errors.E032.format(path=pred_dir, missing=path.name))
    columns = PRED_COLUMNS[name]
    try:
        have = set(pq.read_schema(path).names)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for bad files
        raise ClaimexError(Errors.E088.format(path=path, reason=str(exc).splitlines()[0])) from None
    missing = [c for c in columns if c not in have]
    if missing:
        raise ClaimexError(Errors.E088.format(path=path, reason=f"no column(s) {', '.join(missing)}"))
    rows = pq.read_table(path, columns=list(columns)).to_pylist()
    if keep is not None:
        rows = [r for r in rows if r["doc_id"] in keep]
    return rows


def load_predictions(pred_dir: str | Path, doc_ids: Iterable[str] | None = None) -> Predictions:
    """Read the four tables of a processed folder, keeping only ``doc_ids`` when given."""
    pred_dir = Path(pred_dir)
    keep = set(doc_ids) if doc_ids is not None else None
    docs = _read(pred_dir, "documents", keep)
    ents = _read(pred_dir, "entities", keep)
    claims = _read(pred_dir, "claims", keep)
    flags = _read(pred_dir, "flags", keep)
    return Predictions(
        doc_ids={d["doc_id"] for d in docs},
        texts={d["doc_id"]: d["text"] for d in docs},
        entities=[{"doc_id": r["doc_id"], "start": r["start_char"], "end": r["end_char"], "text": r["text"],
                   "label": r["label"], "canonical": r["canonical"]} for r in ents],
        claims=[{"claim_id": r["claim_id"], "doc_id": r["doc_id"], "start": r["start_char"], "end": r["end_char"],
                 "subject": r["subject"], "predicate": r["predicate"], "object": r["object"],
                 "polarity": r["polarity"], "hedged": bool(r["hedged"]), "certainty": r["certainty"]}
                for r in claims],
        flags=[{"claim_id": r["claim_id"], "doc_id": r["doc_id"], "flag": r["flag"]} for r in flags],
    )


# ---------------------------------------------------------------------------
# scoring


def prf(tp: int, n_gold: int, n_pred: int) -> dict[str, Any]:
    """Counts with precision, recall and F1 (see the module docstring for the empty cases)."""
    return {
        "gold": n_gold,
        "predicted": n_pred,
        "tp": tp,
        "precision": tp / n_pred if n_pred else None,
        "recall": tp / n_gold if n_gold else None,
        "f1": 2 * tp / (n_gold + n_pred) if n_gold + n_pred else None,
    }


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def _match(gold: list[dict[str, Any]], pred: list[dict[str, Any]], key, *, polarity: bool = False
           ) -> list[tuple[int, int]]:
    """One-to-one greedy matching of items with equal ``key`` and overlapping spans.

    Items are dicts with ``start``/``end``; ``key(item)`` gives the fields that
    must be equal.  Returns ``(gold index, pred index)`` pairs.
    """
    by_key: dict[Any, list[int]] = {}
    for j, p in enumerate(pred):
        by_key.setdefault(key(p), []).append(j)
    order = sorted(range(len(gold)), key=lambda i: (key(gold[i]), gold[i]["start"], gold[i]["end"], i))
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for i in order:
        g = gold[i]
        best, best_rank = None, None
        for j in by_key.get(key(g), ()):
            if j in used:
                continue
            p = pred[j]
            ov = _overlap(g["start"], g["end"], p["start"], p["end"])
            if ov <= 0:
                continue
            rank = (0 if not polarity or p.get("polarity") == g.get("polarity") else 1,
                    -ov, p["start"], p["end"], j)
            if best_rank is None or rank < best_rank:
                best, best_rank = j, rank
        if best is not None:
            used.add(best)
            pairs.append((i, best))
    return sorted(pairs)


def _table(gold_items, pred_items, pairs, categories: Iterable[str], cat) -> tuple[dict[str, Any], dict[str, Any]]:
    """Per-category and micro P/R/F1 from matched pairs (the category of a pair is its gold item's)."""
    g_count = Counter(cat(x) for x in gold_items)
    p_count = Counter(cat(x) for x in pred_items)
    tp = Counter(cat(gold_items[i]) for i, _ in pairs)
    names = list(categories)
    names += sorted((set(g_count) | set(p_count)) - set(names))
    rows = {n: prf(tp[n], g_count[n], p_count[n]) for n in names}
    micro = prf(len(pairs), len(gold_items), len(pred_items))
    return rows, micro


def _confusion(pairs, gold_items, pred_items, labels: tuple[str, ...], value) -> dict[str, Any]:
    matrix = {g: {p: 0 for p in labels} for g in labels}
    for i, j in pairs:
        g, p = value(gold_items[i]), value(pred_items[j])
        matrix.setdefault(g, {q: 0 for q in labels})
        matrix[g][p] = matrix[g].get(p, 0) + 1
    n = len(pairs)
    agree = sum(matrix[g].get(g, 0) for g in matrix)
    return {"labels": list(labels), "matrix": matrix, "n": n, "accuracy": agree / n if n else None}


def _gold_rows(gold_docs: list[GoldDoc], texts: dict[str, str] | None = None):
    ents, claims, flags = [], [], []
    texts = texts or {}
    for d in gold_docs:
        for e in d.entities:
            text = e.text if e.text is not None else texts.get(d.doc_id, "")[e.start:e.end]
            ents.append({"doc_id": d.doc_id, "start": e.start, "end": e.end, "text": text,
                         "label": e.label, "canonical": e.canonical})
        for c in d.claims:
            claims.append({"doc_id": d.doc_id, "start": c.sentence_start, "end": c.sentence_end,
                           "subject": c.subject, "predicate": c.predicate, "object": c.object,
                           "polarity": c.polarity, "hedged": c.hedged, "certainty": c.certainty})
        for f in d.flags:
            flags.append({"doc_id": d.doc_id, "start": f.sentence_start, "end": f.sentence_end,
                          "subject": f.subject, "predicate": f.predicate, "object": f.object, "flag": f.flag})
    return ents, claims, flags


def _pred_flag_rows(preds: Predictions) -> list[dict[str, Any]]:
    """Predicted flags joined to their claims; a flag whose claim is unknown keeps empty fields."""
    claims = {c["claim_id"]: c for c in preds.claims}
    rows = []
    for f in preds.flags:
        c = claims.get(f["claim_id"])
        rows.append({"doc_id": f["doc_id"], "claim_id": f["claim_id"], "flag": f["flag"],
                     "start": c["start"] if c else 0, "end": c["end"] if c else 0,
                     "subject": c["subject"] if c else "", "predicate": c["predicate"] if c else "",
                     "object": c["object"] if c else ""})
    return rows


def _sorted_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in document order (then by all their fields, for a total order)."""
    return sorted(rows, key=lambda r: (r.get("doc_id") or "", r.get("start") or 0, r.get("end") or 0,
                                       json.dumps(r, sort_keys=True, ensure_ascii=False)))


def lexicon_names() -> Callable[[str], str]:
    """Map a canonical name to the packaged lexicon's name for the same concept.

    Gold written by other annotators names concepts its own way ("psychoactive"
    for the lexicon's "psychoactive effects", "high blood pressure" for
    "hypertension"); both sides are mapped through the lexicon before they are
    compared, so a match means "the same concept", not "the same spelling".
    Names the lexicon does not know are compared lower-cased.
    """
    from ..nlp.lexicon import load_default_lexicon

    lexicon = load_default_lexicon()

    @functools.lru_cache(maxsize=None)
    def name(value: str) -> str:
        entry = lexicon.lookup(value)
        return entry.canonical.lower() if entry is not None else " ".join(value.lower().split())

    return name


def _renamed(rows: list[dict[str, Any]], name: Callable[[str], str], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    return [dict(r, **{f: name(r[f]) for f in fields if r.get(f)}) for r in rows]


def score_predictions(gold_docs: list[GoldDoc], preds: Predictions, *, details: bool = False,
                      names: Callable[[str], str] | None = None) -> dict[str, Any]:
    """Compare gold documents with predictions already in memory (see :func:`score`).

    ``names`` maps canonical names before they are compared (see
    :func:`lexicon_names`); None compares them as written.
    """
    gold_ids = [d.doc_id for d in gold_docs]
    keep = set(gold_ids)
    for d in gold_docs:
        if d.doc_id in preds.texts:
            check_spans(d, preds.texts[d.doc_id])
    g_ents, g_claims, g_flags = _gold_rows(gold_docs, preds.texts)
    p_ents = [e for e in preds.entities if e["doc_id"] in keep]
    claim_docs = {d.doc_id for d in gold_docs if "claims" in d.layers}
    flag_docs = {d.doc_id for d in gold_docs if "flags" in d.layers}
    p_claims = [c for c in preds.claims if c["doc_id"] in claim_docs]
    p_flags = [f for f in _pred_flag_rows(preds) if f["doc_id"] in flag_docs]
    if names is not None:
        g_ents, p_ents = _renamed(g_ents, names, ("canonical",)), _renamed(p_ents, names, ("canonical",))
        g_claims, p_claims = (_renamed(g_claims, names, ("subject", "object")),
                              _renamed(p_claims, names, ("subject", "object")))
        g_flags, p_flags = (_renamed(g_flags, names, ("subject", "object")),
                            _renamed(p_flags, names, ("subject", "object")))

    # entities
    # entities: the headline figures leave out the generic words (their own
    # rows in the per-label tables), which gold on real text marks apart
    exact_key = lambda e: (e["doc_id"], e["start"], e["end"], e["label"], e["canonical"])
    label = lambda e: e["label"]
    headline = [n for n in ENTITY_LABELS if n not in UNSCORED_LABELS]
    ex_rows, le_rows = {}, {}
    g_all, p_all = g_ents, p_ents
    for part in (headline, list(UNSCORED_LABELS)):
        g_part = [e for e in g_all if e["label"] in part]
        p_part = [e for e in p_all if e["label"] in part]
        ex_part, ex_m = _table(g_part, p_part, _match(g_part, p_part, exact_key), part, label)
        le_part, le_m = _table(g_part, p_part, _match(g_part, p_part, lambda e: (e["doc_id"], e["label"])),
                               part, label)
        ex_rows.update(ex_part)
        le_rows.update(le_part)
        if part is headline:
            g_ents, p_ents, ex_micro, le_micro = g_part, p_part, ex_m, le_m
    exact_pairs = _match(g_ents, p_ents, exact_key)
    lenient_pairs = _match(g_ents, p_ents, lambda e: (e["doc_id"], e["label"]))

    # claims
    claim_key = lambda c: (c["doc_id"], c["subject"], c["predicate"], c["object"])
    claim_pairs = _match(g_claims, p_claims, claim_key, polarity=True)
    pred_rows, claims_micro = _table(g_claims, p_claims, claim_pairs, PREDICATES, lambda c: c["predicate"])
    strict_tp = sum(1 for i, j in claim_pairs if g_claims[i]["polarity"] == p_claims[j]["polarity"])
    hedge_value = lambda c: "true" if c["hedged"] else "false"

    # flags
    flag_key = lambda f: (f["doc_id"], f["flag"], f["subject"], f["predicate"], f["object"])
    flag_pairs = _match(g_flags, p_flags, flag_key)
    flag_rows, flags_micro = _table(g_flags, p_flags, flag_pairs, FLAG_KINDS, lambda f: f["flag"])

    found = [i for i in gold_ids if i in preds.doc_ids]
    result: dict[str, Any] = {
        "documents": {"gold": len(gold_ids), "found": len(found),
                      "missing": sorted(i for i in gold_ids if i not in preds.doc_ids)},
        "entities": {
            "exact": {"labels": ex_rows, "micro": ex_micro},
            "lenient": {"labels": le_rows, "micro": le_micro},
        },
        "claims": {
            "predicates": pred_rows,
            "micro": claims_micro,
            "micro_with_polarity": prf(strict_tp, len(g_claims), len(p_claims)),
            "polarity": _confusion(claim_pairs, g_claims, p_claims, POLARITIES, lambda c: c["polarity"]),
            "hedged": _confusion(claim_pairs, g_claims, p_claims, HEDGED_KEYS, hedge_value),
            "certainty": _confusion(claim_pairs, g_claims, p_claims, CERTAINTY, lambda c: c["certainty"]),
        },
        "flags": {"kinds": flag_rows, "micro": flags_micro},
        "micro": {
            "entities": ex_micro,
            "entities_lenient": le_micro,
            "claims": claims_micro,
            "flags": flags_micro,
        },
    }
    if details:
        result["details"] = {
            "entities": _misses(g_ents, p_ents, exact_pairs, ("doc_id", "start", "end", "text", "label", "canonical")),
            "claims": _misses(g_claims, p_claims, claim_pairs,
                              ("doc_id", "start", "end", "subject", "predicate", "object", "polarity")),
            "flags": _misses(g_flags, p_flags, flag_pairs,
                             ("doc_id", "start", "end", "subject", "predicate", "object", "flag")),
        }
    return result


def _misses(gold, pred, pairs, fields: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    gi = {i for i, _ in pairs}
    pj = {j for _, j in pairs}
    pick = lambda r: {f: r.get(f) for f in fields}
    return {
        "missed": _sorted_rows([pick(g) for i, g in enumerate(gold) if i not in gi]),
        "spurious": _sorted_rows([pick(p) for j, p in enumerate(pred) if j not in pj]),
    }


def score(gold_docs: list[GoldDoc], pred_dir: str | Path, *, details: bool = False,
          names: Callable[[str], str] | None = None) -> dict[str, Any]:
    """Score the processed folder ``pred_dir`` (Parquet tables) against ``gold_docs``.

    Raises ``E032`` when a table is missing, ``E088`` when a table lacks a
    needed column, ``E089`` when none of the gold documents is in the folder
    and ``E087`` when a gold span does not match the stored text.
    """
    preds = load_predictions(pred_dir, [d.doc_id for d in gold_docs])
    if not preds.doc_ids:
        raise ClaimexError(Errors.E089.format(path=pred_dir, n=len(gold_docs),
                                              sources=", ".join(d.source for d in gold_docs[:3])))
    return score_predictions(gold_docs, preds, details=details, names=names)


# ---------------------------------------------------------------------------
# output


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def _prf_cells(r: dict[str, Any]) -> list[str]:
    return [str(r["gold"]), str(r["predicted"]), str(r["tp"]), _num(r["precision"]), _num(r["recall"]), _num(r["f1"])]


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(cells) + " |" for cells in rows]
    return out


def _confusion_md(title: str, conf: dict[str, Any]) -> list[str]:
    labels = list(conf["matrix"])
    cols = conf["labels"] + [p for g in labels for p in conf["matrix"][g] if p not in conf["labels"]]
    cols = list(dict.fromkeys(cols))
    rows = [[g] + [str(conf["matrix"][g].get(p, 0)) for p in cols] for g in labels]
    out = [f"### {title}", "", f"Over {conf['n']} matched claims; agreement {_num(conf['accuracy'])}.", ""]
    return out + _md_table(["gold \\ predicted"] + cols, rows) + [""]


def format_report(scores: dict[str, Any]) -> str:
    """Render the dict from :func:`score` as Markdown (deterministic)."""
    d = scores["documents"]
    missing = ", ".join(d["missing"]) if d["missing"] else "none"
    out = ["# claimex evaluation", "",
           f"{d['gold']} gold documents, {d['found']} found in the processed folder (missing: {missing}).", ""]
    head = ["gold", "predicted", "TP", "P", "R", "F1"]

    out += ["## Micro totals", ""]
    m = scores["micro"]
    out += _md_table(["layer"] + head, [
        ["entities (exact)"] + _prf_cells(m["entities"]),
        ["entities (lenient)"] + _prf_cells(m["entities_lenient"]),
        ["claims"] + _prf_cells(m["claims"]),
        ["claims (with polarity)"] + _prf_cells(scores["claims"]["micro_with_polarity"]),
        ["flags"] + _prf_cells(m["flags"]),
    ]) + [""]

    ents = scores["entities"]
    out += ["## Entities", "",
            "Exact: same span, label and canonical name. Lenient: same label, overlapping span.", ""]
    rows = []
    for lab in ents["exact"]["labels"]:
        ex, le = ents["exact"]["labels"][lab], ents["lenient"]["labels"][lab]
        rows.append([lab, str(ex["gold"]), str(ex["predicted"]), str(ex["tp"]), _num(ex["precision"]),
                     _num(ex["recall"]), _num(ex["f1"]), str(le["tp"]), _num(le["precision"]),
                     _num(le["recall"]), _num(le["f1"])])
    ex, le = ents["exact"]["micro"], ents["lenient"]["micro"]
    rows.append(["**micro**", str(ex["gold"]), str(ex["predicted"]), str(ex["tp"]), _num(ex["precision"]),
                 _num(ex["recall"]), _num(ex["f1"]), str(le["tp"]), _num(le["precision"]),
                 _num(le["recall"]), _num(le["f1"])])
    out += _md_table(["label", "gold", "predicted", "exact TP", "P", "R", "F1",
                      "lenient TP", "P", "R", "F1"], rows) + [""]

    cl = scores["claims"]
    out += ["## Claims", "",
            "Match: same document, subject, predicate and object, overlapping sentence.", ""]
    rows = [[p] + _prf_cells(r) for p, r in cl["predicates"].items()]
    rows.append(["**micro**"] + _prf_cells(cl["micro"]))
    rows.append(["**micro, polarity too**"] + _prf_cells(cl["micro_with_polarity"]))
    out += _md_table(["predicate"] + head, rows) + [""]
    out += _confusion_md("Polarity", cl["polarity"])
    out += _confusion_md("Hedged", cl["hedged"])
    out += _confusion_md("Certainty", cl["certainty"])

    fl = scores["flags"]
    out += ["## Flags", "",
            "Match: same document, flag kind and claim (subject, predicate, object, overlapping sentence).", ""]
    rows = [[k] + _prf_cells(r) for k, r in fl["kinds"].items()]
    rows.append(["**micro**"] + _prf_cells(fl["micro"]))
    out += _md_table(["flag"] + head, rows)
    return "\n".join(out) + "\n"


def write_json(scores: dict[str, Any], path: str | Path) -> None:
    """Write the scores as indented JSON with sorted keys, atomically."""
    from ..store.tables import write_json_atomic

    write_json_atomic(Path(path), scores)


def evaluate(gold_path: str | Path, pred_dir: str | Path, *, json_path: str | Path | None = None,
             details: bool = False, same_concept: bool = True) -> tuple[dict[str, Any], str]:
    """Load the gold file, score ``pred_dir``, optionally write JSON; return ``(scores, markdown)``.

    ``same_concept`` (the default) compares canonical names through the
    packaged lexicon (:func:`lexicon_names`); False compares them as written.
    """
    scores = score(load_gold(gold_path), pred_dir, details=details,
                   names=lexicon_names() if same_concept else None)
    scores["canonical_names"] = "same concept (through the lexicon)" if same_concept else "as written"
    if json_path is not None:
        write_json(scores, json_path)
    return scores, format_report(scores)
