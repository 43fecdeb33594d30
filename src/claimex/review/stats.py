"""``claimex review stats``: what the reviewers' verdicts say about the flags.

Per flag kind: how many flags there are, how many were reviewed, how many of
those were accepted, rejected or left unsure, and the **observed precision**,
accepted / (accepted + rejected) (unsure verdicts say nothing either way).
Per source: how many of its reviewed flags were rejected, most rejected first,
which points at the documents or sites the flagger misreads.  Only verdicts
on flags of the current run count; verdicts whose flag is gone are counted
separately.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..markdown import md_table, plural
from ..schema import REVIEW_CHOICES
from .state import match
from .table import read_verdicts, verdicts_path


def _precision(accept: int, reject: int) -> float | None:
    return accept / (accept + reject) if accept + reject else None


def review_stats(out_dir: Path, *, top: int = 10) -> dict[str, Any]:
    """The numbers behind ``claimex review stats DIR`` (see the module docstring)."""
    from ..store import tables

    out_dir = Path(out_dir)
    flags = tables.read_table(out_dir, "flags", ["flag_id", "doc_id", "flag"]).to_pylist()
    docs = tables.read_table(out_dir, "documents", ["doc_id", "source"]).to_pylist()
    source_of = {d["doc_id"]: d["source"] for d in docs}
    stored = read_verdicts(out_dir)
    state = match([f["flag_id"] for f in flags], stored)
    kinds: dict[str, dict[str, Any]] = {}
    sources: dict[str, dict[str, int]] = {}
    for f in flags:
        k = kinds.setdefault(str(f["flag"]), {"flags": 0, "reviewed": 0, **{c: 0 for c in REVIEW_CHOICES}})
        k["flags"] += 1
        v = state.kept.get(f["flag_id"])
        if v is None:
            continue
        k["reviewed"] += 1
        k[v["verdict"]] += 1
        s = sources.setdefault(source_of.get(f["doc_id"], f["doc_id"]), {"reviewed": 0, "rejected": 0})
        s["reviewed"] += 1
        s["rejected"] += v["verdict"] == "reject"
    total = {"flags": len(flags), "reviewed": len(state.kept),
             **{c: sum(k[c] for k in kinds.values()) for c in REVIEW_CHOICES}}
    for row in [*kinds.values(), total]:
        row["precision"] = _precision(row["accept"], row["reject"])
    rejected = sorted(((src, s["reviewed"], s["rejected"]) for src, s in sources.items() if s["rejected"]),
                      key=lambda t: (-t[2], -t[2] / t[1], t[0]))
    return {
        "path": str(verdicts_path(out_dir)),
        "reviewed": state.reviewed,
        "kinds": dict(sorted(kinds.items(), key=lambda kv: (-kv[1]["flags"], kv[0]))),
        "total": total,
        "sources_rejected": [{"source": s, "reviewed": n, "rejected": r, "share": r / n}
                             for s, n, r in rejected[:top]],
        "n_sources_rejected": len(rejected),
        "new": len(state.new),
        "vanished": len(state.vanished),
    }


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def stats_lines(s: dict[str, Any]) -> list[str]:
    """``review_stats`` as the Markdown the command prints."""
    if not s["reviewed"]:
        return [f"No verdicts yet: {s['path']} does not exist. Review the flags in report.html, export "
                "the verdicts and run `claimex review import DIR FILE`."]
    t = s["total"]
    out = [f"{plural(t['reviewed'], 'flag')} of {t['flags']} reviewed"
           + (f"; {plural(s['new'], 'flag')} new since the last review" if s["new"] else "")
           + (f"; {plural(s['vanished'], 'verdict')} on flags this run no longer has" if s["vanished"] else "")
           + ".", ""]
    rows = [[kind, str(k["flags"]), str(k["reviewed"]), str(k["accept"]), str(k["reject"]), str(k["unsure"]),
             _pct(k["precision"])] for kind, k in s["kinds"].items()]
    rows.append(["all", str(t["flags"]), str(t["reviewed"]), str(t["accept"]), str(t["reject"]),
                 str(t["unsure"]), _pct(t["precision"])])
    out += md_table(["flag kind", "flags", "reviewed", "accepted", "rejected", "unsure", "precision"], rows,
                    ["---", "---:", "---:", "---:", "---:", "---:", "---:"])
    out += ["", "precision = accepted / (accepted + rejected); unsure verdicts are left out.", ""]
    if not s["sources_rejected"]:
        out.append("No source has a rejected flag.")
        return out
    more = s["n_sources_rejected"] - len(s["sources_rejected"])
    out.append("Sources whose flags were most often rejected" + (f" (top {len(s['sources_rejected'])})" if more else "")
               + ":")
    out.append("")
    out += md_table(["source", "reviewed", "rejected", "share rejected"],
                    [[r["source"].replace("|", "\\|"), str(r["reviewed"]), str(r["rejected"]), _pct(r["share"])]
                     for r in s["sources_rejected"]],
                    ["---", "---:", "---:", "---:"])
    return out
