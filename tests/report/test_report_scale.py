"""The report of a large corpus (issue 22): what a reviewer can read, in memory that does not grow
with the number of flags.

The kratom fixture's flags are copied many times over (new flag ids, other scores): the page carries
the MAX_REPORT_FLAGS most severe of them, shared between the kinds, the Markdown twin the
MD_MAX_FLAGS first with a pointer to the tables, and the counts stay those of every flag.
"""

from __future__ import annotations

import tracemalloc

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from reportkit import write_kratom_fixture

from claimex.report import build_report, load, load_processed, markdown, prepare, render_html, unpack_store


def inflate(folder, copies: int):
    """Replace flags.parquet by ``copies`` copies of each flag (ids ``<id>-<n>``, scores spread)."""
    base = pq.read_table(folder / "flags.parquet")
    rows = base.to_pylist()
    out = []
    for n in range(copies):
        for r in rows:
            out.append(dict(r, flag_id=f"{r['flag_id']}-{n:05d}", score=round((n % 997) / 997, 4)))
    pq.write_table(pa.Table.from_pylist(out, schema=base.schema), folder / "flags.parquet")
    return len(out)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    folder = write_kratom_fixture(tmp_path_factory.mktemp("big"))
    n = inflate(folder, 500)  # 7 flags x 500
    return folder, n


def test_the_page_carries_the_most_severe_flags_of_each_kind(big):
    folder, n = big
    assert n == 3500
    html_path, md_path = build_report(folder)
    page = html_path.read_text(encoding="utf-8")
    rows = unpack_store(page)["data"]["flags"]
    assert len(rows) == load.MAX_REPORT_FLAGS == 2000
    # 4 kinds: 1000 contradicted, 500 overstated, 1000 unsupported, 1000 hedged in the tables
    kinds = {k: sum(1 for r in rows if r["k"] == k) for k in ("contradicted", "overstated", "unsupported", "hedged")}
    assert kinds == {"contradicted": 500, "overstated": 500, "unsupported": 500, "hedged": 500}
    # the most severe of a kind: every contradicted flag shown scores at least as high as any left out
    shown = {r["fid"] for r in rows}
    table = pq.read_table(folder / "flags.parquet").to_pylist()
    left_out = max(f["score"] for f in table if f["flag"] == "contradicted" and f["flag_id"] not in shown)
    assert min(r["sc"] for r in rows if r["k"] == "contradicted") >= left_out == 0.2497
    assert "3500 flags to review" in page
    assert "This report shows 2,000 of the 3,500 flags" in page
    assert "claimex export" in page
    assert '<option value="hedged">hedged (500 of 1000)</option>' in page


def test_the_markdown_twin_is_capped_with_a_pointer_to_the_tables(big):
    folder, _ = big
    md = (build_report(folder)[1]).read_text(encoding="utf-8")
    flag_lines = [line for line in md.splitlines() if line.startswith("| ") and "| F-" in line]
    assert len(flag_lines) == markdown.MD_MAX_FLAGS == 300
    assert "flags.parquet has all 3,500 (`claimex export DIR` writes every table as CSV or JSONL)" in md
    assert len(md.encode("utf-8")) < 250_000


def test_a_small_folder_is_shown_whole(processed):
    r = prepare(load_processed(processed))
    assert len(r.flags) == r.counts["flags"] == 7
    assert r.notes == [] and not r.flags_capped


def _peak(folder) -> int:
    tracemalloc.start()
    try:
        render_html(prepare(load_processed(folder)))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_flags(tmp_path):
    """Ten times the flags, about the same peak (before: every flag became a card and a row)."""
    small = write_kratom_fixture(tmp_path / "small")
    inflate(small, 400)        # 2,800 flags: above the cap already
    large = write_kratom_fixture(tmp_path / "large")
    inflate(large, 4000)       # 28,000 flags
    p_small, p_large = _peak(small), _peak(large)
    assert p_large <= 1.3 * p_small, (p_small, p_large)


def test_flags_with_a_verdict_make_room_for_unreviewed_ones(tmp_path):
    """The reviewer's loop at scale: verdicts on the 500 hedged flags shown; the next report
    shows the next 500 hedged flags, and the page holds no verdict of a flag it does not show."""
    from datetime import datetime, timezone

    from claimex.review import write_verdicts

    folder = write_kratom_fixture(tmp_path / "p")
    inflate(folder, 500)
    first = {r["fid"] for r in unpack_store(build_report(folder)[0].read_text())["data"]["flags"] if r["k"] == "hedged"}
    assert len(first) == 500
    when = datetime(2026, 12, 4, tzinfo=timezone.utc)
    flags = {f["flag_id"]: f for f in pq.read_table(folder / "flags.parquet").to_pylist()}
    write_verdicts(folder, [{"flag_id": fid, "claim_id": flags[fid]["claim_id"], "verdict": "accept",
                             "note": None, "reviewer": "ana", "decided_at": when} for fid in sorted(first)], first)
    page = build_report(folder)[0].read_text()
    data = unpack_store(page)["data"]
    second = {r["fid"] for r in data["flags"] if r["k"] == "hedged"}
    assert len(second) == 500 and not (first & second)
    assert data["verdicts"] == {}
    assert "flags without a verdict in verdicts.parquet first" in page


def test_documents_beyond_the_caps_are_excerpted_or_unlisted(processed, monkeypatch):
    """A large corpus in miniature: the text of one document (the one with most flags shown), two
    documents listed; the third is shown by label without links, the second by its flagged sentences."""
    from claimex.report import data

    monkeypatch.setattr(data, "MAX_LISTED_DOCS", 2)
    r = prepare(load_processed(processed, max_text_docs=1))
    assert [(d.label, d.has_text, d.listed) for d in r.all_docs] == [
        ("D1", False, True), ("D2", True, True), ("D3", False, False)]
    assert [d.label for d in r.docs] == ["D1", "D2"]
    assert r.notes == ["Documents: 2 of 3 are listed (those the flags shown refer to most), 1 with their full "
                       "text (those with the most flags shown); every document and its sentences are in "
                       "documents.parquet and sentences.parquet."]
    page = render_html(r)
    d3 = next(d for d in r.all_docs if d.label == "D3")
    assert f'href="#{d3.anchor}' not in page and f'id="{d3.anchor}"' not in page
    assert '<span class="dlabel">D3</span>' in page
    assert page.count("The full text of this document is not in this report") == 1   # D1
    d1 = r.all_docs[0]
    assert f'id="{d1.sentence_anchor(d1.sentences[0])}"' in page   # its flagged sentence, anchored
