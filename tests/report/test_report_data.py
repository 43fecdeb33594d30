"""claimex.report.data: the view model (counts, flag order, matrix, chart, opposing statements)."""

from __future__ import annotations

import pyarrow.parquet as pq
from reportkit import DOC_A, DOC_B, DOC_C, SENT_B_ADD, write_table, write_kratom_fixture

from claimex.report import load_processed, prepare, render_markdown


def test_prepare_counts_matrix_and_flag_order(processed):
    r = prepare(load_processed(processed))
    assert r.counts == {"documents": 3, "sentences": 11, "claims": 8, "claim_groups": 7,
                        "contradicted_groups": 1, "flags": 7, "errors": 1}
    assert dict(r.flags_by_kind) == {"contradicted": 2, "hedged": 2, "unsupported": 2, "overstated": 1}
    assert [d.label + " " + d.doc_id for d in r.docs] == [f"D1 {DOC_A}", f"D2 {DOC_B}", f"D3 {DOC_C}"]
    assert [(" ".join(g.triple), g.verdict, [g.cells.get(d, ("silent", 0))[0] for d in (DOC_A, DOC_B, DOC_C)])
            for g in r.groups] == [
        ("kratom CAUSES addiction", "contradicted", ["affirmed", "negated", "silent"]),
        ("kratom CAUSES euphoria", "unsupported", ["silent", "silent", "affirmed"]),
        ("kratom CAUSES nausea", "hedged", ["silent", "hedged", "silent"]),
        ("kratom SAFER_THAN opioids", "unsupported", ["silent", "silent", "affirmed"]),
        ("kratom TREATS arthritis", "unsupported", ["silent", "affirmed", "silent"]),
        ("kratom TREATS chronic pain", "hedged", ["hedged", "silent", "silent"]),
        ("mitragynine ACTS_ON mu-opioid receptor", "supported", ["affirmed", "silent", "silent"]),
    ]
    assert r.groups[0].aka == [("kratom", "CAUSES", "dependence")]
    assert [v.flag["flag_id"] for v in r.flags] == [
        "F-dep-A", "F-dep-B", "F-over-C", "F-unsup-B", "F-unsup-C", "F-hedge-B", "F-hedge-A"]
    first = r.flags[0]
    assert [o.claim["claim_id"] for o in first.opposing] == [f"{DOC_B}-c0000"]
    assert first.opposing[0].sentence["text"] == SENT_B_ADD
    assert first.entities == ["dependence", "kratom"]
    assert [(s, dict(c)) for s, c in r.chart] == [
        ("data/raw/002_kratom-arthritis.txt", {"contradicted": 1, "hedged": 1, "unsupported": 1}),
        ("data/raw/001_kratom-fibromyalgia.txt", {"contradicted": 1, "hedged": 1}),
        ("scraped/003_evil|site.html", {"overstated": 1, "unsupported": 1}),
    ]


def test_prepare_caps_the_matrix(processed):
    r = prepare(load_processed(processed), max_matrix_rows=3, max_matrix_cols=2)
    assert [" ".join(g.triple) for g in r.groups] == [
        "kratom CAUSES addiction", "kratom CAUSES euphoria", "kratom CAUSES nausea"]
    # D2 has claims in two of the shown rows, D1 and D3 in one each: the tie goes to D1
    assert [d.label for d in r.matrix_cols] == ["D1", "D2"]
    assert r.matrix_notes == [
        "Showing the first 3 of 7 claim groups (contradicted groups first, then by number of flags and sources).",
        ("Showing 2 of 3 documents as columns (those with the most claims in these groups); "
         "every document is listed under Documents."),
    ]


def test_chart_sums_sources_beyond_the_limit(processed, monkeypatch):
    from claimex.report import data, html

    monkeypatch.setattr(data, "MAX_CHART_SOURCES", 2)
    r = prepare(load_processed(processed))
    assert [s for s, _ in r.chart] == ["data/raw/002_kratom-arthritis.txt", "data/raw/001_kratom-fibromyalgia.txt"]
    assert r.chart_other == (1, {"overstated": 1, "unsupported": 1})
    svg = html._chart_svg(r)
    assert ">1 other source</text>" in svg
    assert ">2 flags (1 overstated, 1 unsupported), not drawn</text>" in svg
    md = render_markdown(r)
    assert "| 1 other source | 0 | 1 | 1 | 0 | 2 |" in md


def test_contradiction_falls_back_to_group_claims(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p")
    table = pq.read_table(folder / "flags.parquet").to_pylist()
    for row in table:
        row["related_claim_ids"] = []
    write_table(folder, "flags", table)
    r = prepare(load_processed(folder))
    by_id = {v.flag["flag_id"]: v for v in r.flags}
    assert [o.claim["claim_id"] for o in by_id["F-dep-A"].opposing] == [f"{DOC_B}-c0000"]
    assert [o.claim["claim_id"] for o in by_id["F-dep-B"].opposing] == [f"{DOC_A}-c0001"]
    assert by_id["F-hedge-A"].opposing == []
