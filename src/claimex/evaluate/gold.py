"""Gold files: reading them, checking every record, and checking spans against stored text.

The format is described in ``docs/gold-format.md``: JSONL, one line per
document, with its entities (character spans into the stored text), its claims
(one per sentence and assertion) and the flags a reviewer expects.
:func:`load_gold` reads a file or a folder of files, :func:`parse_gold_record`
checks one decoded record, and :func:`check_spans` compares a record's entity
spans with the stored document text.  Every problem is a :class:`GoldError`
naming the file and the line (``E080``–``E087``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ClaimexError, Errors
from ..schema import CERTAINTY, ENTITY_LABELS, FLAG_KINDS, POLARITIES, PREDICATES

__all__ = [
    "LAYERS",
    "GoldClaim",
    "GoldDoc",
    "GoldEntity",
    "GoldError",
    "GoldFlag",
    "check_spans",
    "load_gold",
    "parse_gold_record",
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
    entities = _entities(_list(rec["entities"], "entities", path, line), path, line)
    claims = _claims(_list(rec["claims"], "claims", path, line), path, line)
    flags = _flags(_list(rec["flags"], "flags", path, line), claims, path, line)
    return GoldDoc(doc_id, source, entities, claims, flags, path=path, line=line, layers=layers)


def _entities(items: list[Any], path: str, line: int) -> tuple[GoldEntity, ...]:
    entities: list[GoldEntity] = []
    seen_ents: set[tuple[int, int, str]] = set()
    for i, e in enumerate(items):
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
    return tuple(entities)


def _claims(items: list[Any], path: str, line: int) -> tuple[GoldClaim, ...]:
    claims: list[GoldClaim] = []
    seen_claims: set[tuple[Any, ...]] = set()
    for i, c in enumerate(items):
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
    return tuple(claims)


def _flags(items: list[Any], claims: tuple[GoldClaim, ...], path: str, line: int) -> tuple[GoldFlag, ...]:
    """The flags of a record; each names one of the record's ``claims`` (``E085`` if none)."""
    flags: list[GoldFlag] = []
    seen_flags: set[tuple[Any, ...]] = set()
    for i, f in enumerate(items):
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
    return tuple(flags)


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
