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
    out += md_table(["flag"] + head, rows) + [""]
    out += _flag_measures_md(fl)
    out += _details_md(scores.get("details"))
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f} %"


def _flag_measures_md(fl: dict[str, Any]) -> list[str]:
    """The flag measures of :mod:`claimex.evaluate.flag_measures` (absent from older score dicts)."""
    out: list[str] = []
    head = ["gold", "predicted", "TP", "P", "R", "F1"]
    folders = fl.get("folders") or {}
    if folders:
        out += ["### Flags per folder", ""]
        rows = [[name or "(none)", k] + _prf_cells(r) for name, f in folders.items() for k, r in f["kinds"].items()
                if r["gold"] or r["predicted"]]
        out += md_table(["folder", "flag"] + head, rows) + [""]
    matched = fl.get("on_matched_claims")
    if matched:
        out += ["### Flags on matched claims", "",
                f"Over the {matched['pairs']} claim pairs that matched: does the found claim carry the gold "
                "claim's flag?", ""]
        out += md_table(["flag"] + head, [[k] + _prf_cells(r) for k, r in matched["kinds"].items()]) + [""]
    shares = fl.get("shares")
    if shares:
        kinds = list(next(iter(shares.values()))["kinds"])
        out += ["### Share of claims flagged", "",
                "Predicted claims of every scored document carrying at least one flag of the kind.", ""]
        rows = [[name or "(none)", str(s["claims"])] + [_pct(s["kinds"][k]["share"]) for k in kinds]
                for name, s in shares.items()]
        out += md_table(["folder", "claims"] + kinds, rows) + [""]
    cited = fl.get("cited_unsupported")
    if cited:
        out += ["### Claims with evidence flagged unsupported", "",
                "Claims whose own sentence (or paragraph) gives a citation, study reference or authority; "
                "target for the own sentence: at most 10 %.", ""]
        rows = [[where, str(c["claims"]), str(c["unsupported"]), _pct(c["share"])] for where, c in cited.items()]
        out += md_table(["evidence from", "claims", "flagged unsupported", "share"], rows) + [""]
    ge = fl.get("gold_evidence")
    if ge:
        s, c = ge["sentences"], ge["claims"]
        out += ["### Hand-marked evidence sentences", "",
                f"{s['gold']} sentences marked: {s['found']} hold a claim with checkable evidence, "
                f"{s['same_kind']} of the marked kind. {c['gold']} gold claims sit in them, {c['matched']} "
                f"matched, {c['unsupported']} of those flagged unsupported ({_pct(c['share'])}).", ""]
    return out


_DETAIL_COLUMNS = {
    "entities": ("doc_id", "start", "end", "label", "canonical", "text"),
    "claims": ("doc_id", "start", "end", "subject", "predicate", "object", "polarity", "text"),
    "flags": ("doc_id", "start", "end", "flag", "subject", "predicate", "object", "text"),
}


def _cell(value: Any) -> str:
    return "" if value is None else str(value).replace("|", "\\|")


def _details_md(details: dict[str, Any] | None) -> list[str]:
    """``--details``: the missed (gold, not found) and spurious (found, not gold) items of each layer."""
    if not details:
        return []
    out = ["## Details", "",
           "Missed: gold items nothing found matched. Spurious: found items no gold item matched. "
           "Offsets are characters into the stored text; the text is quoted from it.", ""]
    for layer, columns in _DETAIL_COLUMNS.items():
        for side in ("missed", "spurious"):
            rows = (details.get(layer) or {}).get(side) or []
            out += [f"### {layer.capitalize()} {side} ({len(rows)})", ""]
            if rows:
                out += md_table(list(columns), [[_cell(r.get(c)) for c in columns] for r in rows]) + [""]
    return out


def write_json(scores: dict[str, Any], path: str | Path) -> None:
    """Write the scores as indented JSON with sorted keys, atomically."""
    write_json_atomic(Path(path), scores)
