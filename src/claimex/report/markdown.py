"""``report.md``: the Markdown twin of the report (summary, chart data, matrix, documents, flags).

Every value from an article goes through :func:`.escape.escape_md`; links are
made only for ``http``/``https`` URLs.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from ..markdown import md_table, plural
from .data import CELL_LEGEND, CELL_STATES, Report, Statement, sent_text, triple_of, triple_text
from .escape import escape_md, safe_href

MD_SENTENCE_LIMIT = 400   # characters of a sentence in a Markdown table cell
MD_MAX_FLAGS = 300        # flags listed (the most severe first); report.html and flags.parquet have more
MD_MAX_DOCS = 300         # documents listed


def _md_statement(st: Statement | None) -> str:
    if st is None:
        return ""
    if st.sentence is None:
        return escape_md(st.claim.get("text") or "", MD_SENTENCE_LIMIT)
    return escape_md(sent_text(st.doc, st.sentence)[0], MD_SENTENCE_LIMIT)


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


PAST = {"accept": "accepted", "reject": "rejected", "unsure": "unsure"}


def _md_verdict(row: dict[str, Any]) -> list[str]:
    when = row.get("decided_at")
    return [escape_md(PAST.get(row["verdict"], row["verdict"])), escape_md(row.get("reviewer") or ""),
            when.strftime("%Y-%m-%d") if hasattr(when, "strftime") else escape_md(when or ""),
            escape_md(row.get("note") or "", MD_SENTENCE_LIMIT)]


def _md_review(r: Report) -> list[str]:
    """The earlier review (verdicts.parquet): the kept verdicts, the new flags, the vanished verdicts."""
    review = r.processed.review
    if not review.reviewed:
        return []
    n = {c: sum(1 for row in review.kept.values() if row["verdict"] == c) for c in PAST}
    lines = ["", "## Review", "",
             f"{len(review.kept)} of {plural(r.counts['flags'], 'flag')} have a verdict from the last review "
             f"(verdicts.parquet): {n['accept']} accepted, {n['reject']} rejected, {n['unsure']} unsure; "
             f"{plural(r.processed.totals.new_flags, 'flag')} new since that review.", ""]
    kept = [v for v in r.flags[:MD_MAX_FLAGS] if v.verdict is not None]
    if kept:
        lines += md_table(["#", "Flag ID", "Verdict", "Reviewer", "Decided", "Note"],
                          [[str(v.number), escape_md(v.flag["flag_id"])] + _md_verdict(v.verdict) for v in kept],
                          ["---:", "---", "---", "---", "---", "---"])
    if review.vanished:
        lines += ["", f"{plural(len(review.vanished), 'verdict')} on flags this run no longer has "
                  "(kept in verdicts.parquet):", ""]
        lines += md_table(["Flag ID", "Claim ID", "Verdict", "Reviewer", "Decided", "Note"],
                          [[escape_md(row["flag_id"]), escape_md(row["claim_id"])] + _md_verdict(row)
                           for row in review.vanished])
    return lines


def render_markdown(r: Report) -> str:
    """The Markdown twin: summary, chart data, matrix, documents and flags as tables."""
    c = r.counts
    lines = ["# claimex flag report", ""]
    lines.append(f"{c['documents']} documents, {c['claims']} claims, {c['flags']} flags to review. "
                 "Every value from an article is escaped; see report.html for the highlighted sentences.")
    if r.notes or len(r.flags) > MD_MAX_FLAGS:
        lines.append("")
        lines += [escape_md(n) for n in r.notes]
        if len(r.flags) > MD_MAX_FLAGS:
            lines.append(f"This file lists the {MD_MAX_FLAGS} most severe flags; report.html shows "
                         f"{len(r.flags):,}, flags.parquet has all {c['flags']:,} "
                         "(`claimex export DIR` writes every table as CSV or JSONL).")
    lines += ["", "## Summary", ""]
    rows = [["Documents", str(c["documents"])], ["Sentences", str(c["sentences"])],
            ["Claims", str(c["claims"])], ["Claim groups", str(c["claim_groups"])],
            ["Contradicted claim groups", str(c["contradicted_groups"])], ["Flags", str(c["flags"])]]
    rows += [[f"Flags: {escape_md(k)}", str(r.flags_by_kind.get(k, 0))] for k in r.kinds]
    if "errors" in c:
        rows.append(["Input errors", str(c["errors"])])
    lines += md_table(["Measure", "Count"], rows, ["---", "---:"])

    lines += ["", "## Flags per source", ""]
    if r.chart:
        header = ["Source"] + [escape_md(k) for k in r.kinds] + ["Total"]
        body = [[escape_md(src)] + [str(cnt.get(k, 0)) for k in r.kinds] + [str(sum(cnt.values()))]
                for src, cnt in r.chart]
        if r.chart_other:
            n_other, cnt = r.chart_other
            body.append([plural(n_other, "other source")] + [str(cnt.get(k, 0)) for k in r.kinds]
                        + [str(sum(cnt.values()))])
        lines += md_table(header, body, ["---"] + ["---:"] * (len(r.kinds) + 1))
    else:
        lines.append("No flags.")

    lines += ["", "## Claim matrix", ""]
    lines.append("Legend: " + " · ".join(f"{sym} {word} = {CELL_LEGEND[state]}"
                                         for state, (sym, word) in CELL_STATES.items()))
    lines += [""] + [escape_md(n) for n in r.matrix_notes] + ([""] if r.matrix_notes else [])
    compact = r.matrix_compact  # many sources: symbols only, silent cells blank
    if compact:
        lines += [f"{len(r.matrix_cols)} sources: a cell holds the symbol alone; a blank cell is silent.", ""]
    if r.groups:
        header = ["Claim group", "Verdict"] + [d.label for d in r.matrix_cols]
        body = []
        for g in r.groups:
            label = escape_md(triple_text(g.triple))
            if g.aka:
                label += " (also: " + "; ".join(escape_md(triple_text(t)) for t in g.aka) + ")"
            cells = []
            for d in r.matrix_cols:
                state = g.cells.get(d.doc_id, ("silent", 0))[0]
                sym, word = CELL_STATES[state]
                cells.append(("" if state == "silent" else sym) if compact else f"{sym} {word}")
            body.append([label, escape_md(g.verdict)] + cells)
        lines += md_table(header, body)
    else:
        lines.append("No claims were extracted.")

    lines += ["", "## Documents", ""]
    listed = r.docs[:MD_MAX_DOCS]
    if len(listed) < c["documents"]:
        lines += [f"{len(listed):,} of {c['documents']:,} documents (documents.parquet has them all).", ""]
    body = [[d.label, escape_md(d.display_title, 200), escape_md(d.source), _md_url(d.url),
             str(d.n_sentences), str(d.n_claims), str(d.n_flags)] for d in listed]
    lines += md_table(["Doc", "Title", "Source", "URL", "Sentences", "Claims", "Flags"], body,
                       ["---", "---", "---", "---", "---:", "---:", "---:"])

    lines += ["", "## Flags", ""]
    shown = r.flags[:MD_MAX_FLAGS]
    if r.flags:
        body = []
        for v in shown:
            st = v.statement
            body.append([str(v.number), escape_md(v.flag["flag_id"]), escape_md(v.kind), escape_md(v.severity),
                         f"{v.score:.2f}", escape_md(triple_text(v.triple)),
                         _md_polarity(st.claim) if st else "", v.doc.label if v.doc else "",
                         _md_statement(st), escape_md(v.flag["reason"], MD_SENTENCE_LIMIT)])
        lines += md_table(["#", "Flag ID", "Kind", "Severity", "Score", "Claim", "Polarity", "Doc", "Sentence",
                            "Reason"], body, ["---:", "---", "---", "---", "---:", "---", "---", "---", "---", "---"])
    else:
        lines.append("No flags.")

    opposing = [(v, o) for v in shown for o in v.opposing]
    if opposing:
        lines += ["", "## Opposing statements", "",
                  "For each contradiction flag: the flagged statement and the statements it is contradicted by.", ""]
        body = []
        for v, o in opposing:
            st = v.statement
            body.append([str(v.number), v.doc.label if v.doc else "", _md_statement(st),
                         o.doc.label if o.doc else "", _md_polarity(o.claim),
                         escape_md(triple_text(triple_of(o.claim))), _md_statement(o)])
        lines += md_table(["Flag #", "Doc", "Statement", "Opposing doc", "Opposing polarity", "Opposing claim",
                            "Opposing statement"], body, ["---:", "---", "---", "---", "---", "---", "---"])

    lines += _md_review(r)

    errors = r.processed.errors
    if errors:
        lines += ["", "## Input errors", ""]
        body = [[escape_md(e["stage"]), escape_md(e["source"]), escape_md(e["error"], 400)] for e in errors]
        lines += md_table(["Stage", "Source", "Error"], body)
    return "\n".join(lines) + "\n"
