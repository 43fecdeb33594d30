"""The ``overstated`` flag: one source asserts a claim more strongly than another, independent one.

:func:`overstated_flags` takes the ``claims`` table (a pyarrow Table or a list
of row dicts) and returns rows of the ``flags`` table (:data:`claimex.schema.FLAGS`).

Rules
-----
* Claims are grouped by ``key`` (default the ``claim_key`` column; any column
  such as a ``group_key`` may be named).  Only **affirmed** claims are compared:
  a negated claim opposes, it does not weaken (that is the ``contradicted``
  flag's business).
* Each claim has a *level*.  ``level="strength"``: the ``strength`` column
  (0 no relationship, 1 correlational, 2 conditional causal, 3 direct causal;
  see :mod:`claimex.nlp.strength`).  ``level="certainty"``: the claimex certainty
  (asserted 3, probable 2, possible 1, speculative 0).  ``level="auto"``
  (default): strength for a group in which every claim has a non-null
  ``strength``, certainty otherwise (so the scales are never mixed in a group).
* A claim is **overstated** when another *independent source* states the same
  key at a level at least ``min_gap`` lower.  Sources are the ``source_units``
  mapping (``claim_id`` → unit, e.g. from :func:`claimex.flags.dedup.independent_sources`,
  so near-duplicate copies count as one source); without it each document is
  a source.  Claims of the same source never make each other overstated.  Only
  the stronger claim is flagged: it is overstated relative to the weaker ones.
* ``reference`` (optional): only these claims are measured against.  The
  flags stage passes the claims that give checkable evidence (a citation, a
  named study, a named authority): a page overstates a claim when it states it
  more strongly than a source that cites its evidence does — not merely when
  some other page happens to hedge it.
* Gap (the claim's level minus the lowest level among the other sources):
  1 → severity ``low``, score 0.4; 2 → ``medium``, 0.6; 3 → ``high``, 0.8.
* ``related_claim_ids``: the weaker claims from other sources, weakest first
  (then by ``claim_id``), capped at ``max_related``; ``related_doc_ids``:
  their documents, sorted.  The reason names the claim's level and quotes the
  weakest claim from another source (the smallest ``claim_id`` at that level),
  with its document (and source name when ``documents`` is given), and gives
  the full counts.
* ``flag_id`` is :func:`claimex.flags.columns.flag_id` (``sha256(f"{claim_id}|overstated")``).
  Rows are sorted by (doc_id, sent_id, claim_id).
* In the flags stage, ``max_related`` and ``quote_chars`` come from
  :class:`~claimex.flags.settings.FlagSettings` (``max_related`` and
  ``overstated_quote_chars``).

Cost: one pass to bucket claims by key and level, then O(``max_related``) per
claim - linear in the number of claims, never pairwise.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, Callable

from ..errors import ClaimexError, Errors
from ..schema import CERTAINTY, CERTAINTY_RANK, STRENGTH_LABELS
from .columns import flag_id

__all__ = ["CERTAINTY_LEVEL", "LEVEL_MODES", "compare_levels", "overstated_flags"]

FLAG = "overstated"
LEVEL_MODES = ("auto", "strength", "certainty")
#: The certainty grades as levels, strongest highest (asserted 3 ... speculative 0).
CERTAINTY_LEVEL = {grade: len(CERTAINTY) - 1 - rank for grade, rank in CERTAINTY_RANK.items()}
SEVERITY = {1: ("low", 0.4), 2: ("medium", 0.6), 3: ("high", 0.8)}
#: What this rule reads at the least (it also runs on its own, on lists of row dicts:
#: benchmarks/eval_insciout.py); a subset of :data:`claimex.schema.FLAG_REQUIRED`.
REQUIRED = ("claim_id", "doc_id", "sent_id", "polarity", "certainty")


def compare_levels(a: int, b: int, *, min_gap: int = 1) -> str:
    """How claim ``a`` states what ``b`` states: ``exaggerates`` (``a`` at least ``min_gap``
    above), ``downplays`` (at least ``min_gap`` below) or ``same``."""
    if a - b >= min_gap:
        return "exaggerates"
    if b - a >= min_gap:
        return "downplays"
    return "same"


#: Columns of a Table that rows do not carry: read for the few claims a reason describes
#: (:func:`_reader`), not for every claim (the text is long and unique, the cues a list each).
LAZY_COLUMNS = ("text", "hedge_cues")


def _rows(claims, columns: Iterable[str], lazy: Collection[str] = ()) -> list[dict[str, Any]]:
    """Rows of a pyarrow Table (dictionary columns decoded) or of a list of dicts.

    From a Table, equal strings are shared between rows and the ``lazy``
    columns are not read: a row carries its row number as ``_row`` instead
    (see :func:`_reader`).
    """
    columns = list(columns)
    if hasattr(claims, "column_names"):
        from ..store.tables import column_values

        have = [c for c in columns if c in claims.column_names and c not in lazy]
        if not have:
            return [{"_row": i} for i in range(claims.num_rows)]
        data = [column_values(claims.column(c)) for c in have]
        if not all(c.isidentifier() and not c.startswith("_") and not hasattr(_SlotRow, c) for c in have):
            return [dict(zip(have, values), _row=i) for i, values in enumerate(zip(*data))]
        row = _row_class(tuple(have))
        return [row(values, i) for i, values in enumerate(zip(*data))]
    return [dict(r) for r in claims]


class _SlotRow:
    """A claim row read as a dict (``[]``, ``get``, its keys) whose fields are slots: a dict of
    the 20 keys a row ends with takes about 1.2 KB, this about 0.2 KB (the rule holds a row
    per claim of the corpus at once).  The fields: the columns read, ``_row`` and the keys
    :func:`overstated_flags` adds (:data:`_ADDED`)."""

    __slots__ = ()
    _columns: tuple[str, ...] = ()

    def __init__(self, values: tuple, row: int) -> None:
        for name, value in zip(self._columns, values):
            setattr(self, name, value)
        self._row = row

    def __getitem__(self, name: str) -> Any:
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None

    def __setitem__(self, name: str, value: Any) -> None:
        setattr(self, name, value)

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name, default)

    def __iter__(self) -> Iterator[str]:
        return (name for name in self.__slots__ if hasattr(self, name))


_ADDED = ("_key", "_unit", "_ref", "_level")


@functools.lru_cache(maxsize=8)
def _row_class(columns: tuple[str, ...]) -> type:
    return type("_ClaimRow", (_SlotRow,), {"__slots__": columns + ("_row",) + _ADDED, "_columns": columns})


def _reader(claims, column: str) -> Callable[[dict[str, Any]], Any]:
    """``row -> its value of column``: read from the table's column when a row carries only
    its number (:data:`LAZY_COLUMNS`), else from the row."""
    if hasattr(claims, "column_names"):
        if column not in claims.column_names:
            return lambda row: None
        from ..store.tables import LazyStrings

        values = LazyStrings(claims.column(column))
        return lambda row: values[row["_row"]]
    return lambda row: row.get(column)


def _sources(documents) -> dict[str, str]:
    if documents is None:
        return {}
    if isinstance(documents, Mapping):
        return {str(k): str(v) for k, v in documents.items()}
    if hasattr(documents, "column_names"):  # no row object per document
        from ..store.tables import column_values

        if "source" not in documents.column_names:
            return {}
        return {d: s for d, s in zip(column_values(documents.column("doc_id")),
                                     column_values(documents.column("source"))) if s}
    return {r["doc_id"]: r["source"] for r in documents if r.get("source")}


def _check_setting(name: str, value: Any, ok: bool, expected: str) -> None:
    if not ok:
        raise ClaimexError(Errors.E064.format(name=name, value=value, expected=expected))


class _Below:
    """The claims below one level of a group, in (level, claim_id) order, summarised for
    "the first ``cap`` claims not from unit u" queries (at most ``cap`` per unit, ``2*cap`` in all)."""

    def __init__(self, cap: int):
        self.cap = cap
        self.kept: list[dict[str, Any]] = []
        self.per_unit: dict[str, int] = {}
        self.count = 0
        self.unit_counts: dict[str, int] = {}

    def add(self, row: dict[str, Any]) -> None:
        unit = row["_unit"]
        self.count += 1
        self.unit_counts[unit] = self.unit_counts.get(unit, 0) + 1
        if len(self.kept) < 2 * self.cap and self.per_unit.get(unit, 0) < self.cap:
            self.kept.append(row)
            self.per_unit[unit] = self.per_unit.get(unit, 0) + 1

    def others(self, unit: str) -> list[dict[str, Any]]:
        return [r for r in self.kept if r["_unit"] != unit][: self.cap]

    def n_others(self, unit: str) -> tuple[int, int]:
        """(claims, distinct units) below this level that are not from ``unit``."""
        own = self.unit_counts.get(unit, 0)
        return self.count - own, len(self.unit_counts) - (1 if own else 0)


def _phrase(row: dict[str, Any]) -> str:
    if row.get("subject") and row.get("predicate") and row.get("object"):
        return f"{row['subject']} {row['predicate']} {row['object']}"
    return str(row.get("claim_key") or row.get("_key")).replace("|", " ")


def _describe(row: dict[str, Any], scale: str, cues_of: Callable[[dict[str, Any]], Any]) -> str:
    if scale == "strength":
        text = f"{STRENGTH_LABELS[row['_level']]} (strength {row['_level']})"
        if row.get("certainty") and row["certainty"] != "asserted":
            text += f", {row['certainty']}"
    else:
        text = row["certainty"]
    cues = [c for c in (cues_of(row) or []) if c]
    if cues:
        text += " with " + ", ".join(f'"{c}"' for c in cues)
    return text


def _quote(text: str | None, limit: int) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f': "{text}"'


def overstated_flags(
    claims,
    *,
    documents=None,
    source_units: Mapping[str, str] | Sequence[str] | None = None,
    key: str = "claim_key",
    level: str = "auto",
    min_gap: int = 1,
    max_related: int = 20,
    quote_chars: int = 100,
    reference: Collection[str] | None = None,
) -> list[dict[str, Any]]:
    """Flag rows (``flags`` table columns) for the overstated claims of ``claims`` (rules: module docstring).

    ``documents``: optional ``documents`` table (or ``{doc_id: source}``) to name
    the weaker claim's source in the reason.  ``source_units``: ``claim_id`` → unit,
    or the unit of each row of ``claims`` in order (no mapping by claim id to build).  ``reference``: the ``claim_id`` s
    whose statement a claim is measured against (None: every claim).
    """
    _check_setting("level", level, level in LEVEL_MODES, f"one of {', '.join(LEVEL_MODES)}")
    _check_setting("min_gap", min_gap, isinstance(min_gap, int) and 1 <= min_gap <= 3, "an integer from 1 to 3")
    _check_setting("max_related", max_related, isinstance(max_related, int) and max_related >= 1,
                   "an integer >= 1")
    _check_setting("quote_chars", quote_chars, isinstance(quote_chars, int) and quote_chars >= 10,
                   "an integer >= 10")
    wanted = REQUIRED + (key, "strength", "subject", "predicate", "object", "claim_key", "hedge_cues", "text")
    rows = _rows(claims, dict.fromkeys(wanted), lazy=[c for c in LAZY_COLUMNS if c != key])
    if not rows:
        return []
    have = set(rows[0])
    missing = [c for c in dict.fromkeys(REQUIRED + (key,)) if c not in have]
    if level == "strength" and "strength" not in have:
        missing.append("strength")
    if missing:
        raise ClaimexError(Errors.E060.format(table="claims", missing=", ".join(missing)))
    text_of, cues_of = _reader(claims, "text"), _reader(claims, "hedge_cues")
    names = _sources(documents)
    units = source_units or {}
    unit_by_row = not isinstance(units, Mapping)

    groups: dict[str, list[dict[str, Any]]] = {}
    for n, r in enumerate(rows):
        if r["certainty"] not in CERTAINTY_LEVEL:
            raise ClaimexError(Errors.E061.format(table="claims", column="certainty", value=r["certainty"],
                                                  row=n, allowed=", ".join(CERTAINTY)))
        s = r.get("strength")
        if s is not None and (isinstance(s, bool) or s not in (0, 1, 2, 3)):
            raise ClaimexError(Errors.E061.format(table="claims", column="strength", value=s, row=n,
                                                  allowed="0, 1, 2, 3 or null"))
        if r["polarity"] != "affirmed" or r.get(key) is None:
            continue
        r["_key"] = r[key]
        r["_unit"] = units[n] if unit_by_row else units.get(r["claim_id"], r["doc_id"])
        r["_ref"] = reference is None or r["claim_id"] in reference
        groups.setdefault(r[key], []).append(r)

    backed = "" if reference is None else " that give evidence"
    out: list[dict[str, Any]] = []
    for gkey in sorted(groups):
        members = groups[gkey]
        if level == "auto":
            scale = "strength" if all(m.get("strength") is not None for m in members) else "certainty"
        else:
            scale = level
        if scale == "strength":
            members = [m for m in members if m.get("strength") is not None]
        for m in members:
            m["_level"] = int(m["strength"]) if scale == "strength" else CERTAINTY_LEVEL[m["certainty"]]
        if len({m["_unit"] for m in members}) < 2:
            continue
        members.sort(key=lambda m: (m["_level"], m["claim_id"]))
        # first two (claim, unit) of distinct units at each level: the weakest other source's representative
        reps: dict[int, list[dict[str, Any]]] = {}
        for m in members:
            if not m["_ref"]:
                continue
            lv = reps.setdefault(m["_level"], [])
            if len(lv) < 2 and all(x["_unit"] != m["_unit"] for x in lv):
                lv.append(m)
        below = {}
        acc = _Below(max_related)
        idx = 0
        for lv in range(4):
            below[lv] = acc
            nxt = _Below(max_related)
            for r in acc.kept:
                nxt.kept.append(r)
            nxt.per_unit = dict(acc.per_unit)
            nxt.count, nxt.unit_counts = acc.count, dict(acc.unit_counts)
            while idx < len(members) and members[idx]["_level"] == lv:
                if members[idx]["_ref"]:
                    nxt.add(members[idx])
                idx += 1
            acc = nxt
        for m in members:
            weakest = None
            for lv in range(m["_level"]):
                rep = next((x for x in reps.get(lv, ()) if x["_unit"] != m["_unit"]), None)
                if rep is not None:
                    weakest = rep
                    break
            if weakest is None or m["_level"] - weakest["_level"] < min_gap:
                continue
            gap = m["_level"] - weakest["_level"]
            summary = below[m["_level"]]
            related = summary.others(m["_unit"])
            n_claims, n_units = summary.n_others(m["_unit"])
            severity, score = SEVERITY[min(gap, 3)]
            doc = weakest["doc_id"]
            where = f"{doc} ({names[doc]})" if doc in names else doc
            reason = (f"States that {_phrase(m)} as {_describe(m, scale, cues_of)}, but "
                      f"{n_claims} claim{'s' if n_claims != 1 else ''} from {n_units} other independent "
                      f"source{'s' if n_units != 1 else ''}{backed} state{'s' if n_claims == 1 else ''} it more "
                      f"weakly; "
                      f"the weakest, {where}, as {_describe(weakest, scale, cues_of)}")
            quote = _quote(text_of(weakest), quote_chars)
            reason += quote if quote else "."
            out.append({
                "flag_id": flag_id(m["claim_id"], FLAG),
                "claim_id": m["claim_id"],
                "doc_id": m["doc_id"],
                "sent_id": m["sent_id"],
                "claim_key": m.get("claim_key") or m["_key"],
                "flag": FLAG,
                "reason": reason,
                "related_claim_ids": [r["claim_id"] for r in related],
                "related_doc_ids": sorted({r["doc_id"] for r in related}),
                "severity": severity,
                "score": score,
            })
    out.sort(key=lambda f: (f["doc_id"], f["sent_id"], f["claim_id"]))
    return out
