"""The evaluation's outputs: the Markdown summary and the JSON file of the scores.

:func:`format_report` renders the dict of :func:`claimex.evaluate.score.score`
as Markdown tables (deterministic: the same scores give the same text);
:func:`write_json` writes the dict as indented JSON with sorted keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..markdown import md_table
from ..store.atomic import write_json_atomic

__all__ = ["format_report", "write_json"]


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def _prf_cells(r: dict[str, Any]) -> list[str]:
    return [str(r["gold"]), str(r["predicted"]), str(r["tp"]), _num(r["precision"]), _num(r["recall"]), _num(r["f1"])]


def _entity_cells(ex: dict[str, Any], le: dict[str, Any]) -> list[str]:
    """Exact counts and P/R/F1, then the lenient TP and P/R/F1 (the gold and predicted counts are shared)."""
    return _prf_cells(ex) + _prf_cells(le)[2:]


def _confusion_md(title: str, conf: dict[str, Any]) -> list[str]:
    labels = list(conf["matrix"])
    cols = conf["labels"] + [p for g in labels for p in conf["matrix"][g] if p not in conf["labels"]]
    cols = list(dict.fromkeys(cols))
    rows = [[g] + [str(conf["matrix"][g].get(p, 0)) for p in cols] for g in labels]
    out = [f"### {title}", "", f"Over {conf['n']} matched claims; agreement {_num(conf['accuracy'])}.", ""]
    return out + md_table(["gold \\ predicted"] + cols, rows) + [""]


def format_report(scores: dict[str, Any]) -> str:
    """Render the dict from :func:`~claimex.evaluate.score.score` as Markdown (deterministic)."""
    d = scores["documents"]
    missing = ", ".join(d["missing"]) if d["missing"] else "none"
    out = ["# claimex evaluation", "",
           f"{d['gold']} gold documents, {d['found']} found in the processed folder (missing: {missing}).", ""]
    head = ["gold", "predicted", "TP", "P", "R", "F1"]

    out += ["## Micro totals", ""]
    m = scores["micro"]
    out += md_table(["layer"] + head, [
        ["entities (exact)"] + _prf_cells(m["entities"]),
        ["entities (lenient)"] + _prf_cells(m["entities_lenient"]),
        ["claims"] + _prf_cells(m["claims"]),
        ["claims (with polarity)"] + _prf_cells(scores["claims"]["micro_with_polarity"]),
        ["flags"] + _prf_cells(m["flags"]),
    ]) + [""]

    ents = scores["entities"]
    out += ["## Entities", "",
            "Exact: same span, label and canonical name. Lenient: same label, overlapping span.", ""]
    rows = [[lab] + _entity_cells(ents["exact"]["labels"][lab], ents["lenient"]["labels"][lab])
            for lab in ents["exact"]["labels"]]
    rows.append(["**micro**"] + _entity_cells(ents["exact"]["micro"], ents["lenient"]["micro"]))
    out += md_table(["label", "gold", "predicted", "exact TP", "P", "R", "F1",
                      "lenient TP", "P", "R", "F1"], rows) + [""]

    cl = scores["claims"]
    out += ["## Claims", "",
            "Match: same document, subject, predicate and object, overlapping sentence.", ""]
    rows = [[p] + _prf_cells(r) for p, r in cl["predicates"].items()]
    rows.append(["**micro**"] + _prf_cells(cl["micro"]))
    rows.append(["**micro, polarity too**"] + _prf_cells(cl["micro_with_polarity"]))
    out += md_table(["predicate"] + head, rows) + [""]
    out += _confusion_md("Polarity", cl["polarity"])
    out += _confusion_md("Hedged", cl["hedged"])
    out += _confusion_md("Certainty", cl["certainty"])

    fl = scores["flags"]
    out += ["## Flags", "",
            "Match: same document, flag kind and claim (subject, predicate, object, overlapping sentence).", ""]
    rows = [[k] + _prf_cells(r) for k, r in fl["kinds"].items()]
    rows.append(["**micro**"] + _prf_cells(fl["micro"]))
    out += md_table(["flag"] + head, rows)
    return "\n".join(out) + "\n"


def write_json(scores: dict[str, Any], path: str | Path) -> None:
    """Write the scores as indented JSON with sorted keys, atomically."""
    write_json_atomic(Path(path), scores)
