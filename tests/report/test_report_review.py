"""The report and the reviewer's verdicts: run id, earlier verdicts, new and vanished flags;
opposing statements written once; the compact claim matrix for many sources."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from reportkit import DOC_A, DOC_B, SENT_B_ADD, write_kratom_fixture

from claimex.report import build_report, render_markdown
from claimex.review import run_id, write_verdicts

FLAG_IDS = ["F-dep-A", "F-dep-B", "F-hedge-A", "F-hedge-B", "F-unsup-B", "F-unsup-C", "F-over-C"]


def _data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="claimex-data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def _card(page: str, flag_id: str) -> str:
    return re.search(rf'<article class="flag[^"]*" id="flag-{flag_id}">.*?</article>', page, re.S).group(0)


def test_a_report_without_a_review(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p")
    page = build_report(folder)[0].read_text(encoding="utf-8")
    data = _data(page)
    assert data["run"] == run_id(folder) and len(data["run"]) == 16
    assert (data["verdicts"], data["new"]) == ({}, [])
    assert [(r["fid"], r["cid"]) for r in data["flags"]][:2] == [("F-dep-A", f"{DOC_A}-c0001"),
                                                                  ("F-dep-B", f"{DOC_B}-c0000")]
    assert '<p class="rv-earlier' not in page and 'id="vanished"' not in page
    assert '<span class="badge new">' not in page


def test_earlier_verdicts_new_flags_and_vanished_verdicts(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p")
    when = datetime(2026, 12, 4, 1, 30, tzinfo=timezone.utc)
    write_verdicts(folder, [
        {"flag_id": "F-dep-A", "claim_id": f"{DOC_A}-c0001", "verdict": "reject", "note": "a user's <b>view</b>",
         "reviewer": "ana", "decided_at": when},
        {"flag_id": "F-gone", "claim_id": "0000000000000000-c0009", "verdict": "accept", "note": None,
         "reviewer": None, "decided_at": when},
    ], reviewed_flags=set(FLAG_IDS) - {"F-over-C"} | {"F-gone"})
    html_path, md_path = build_report(folder)
    page = html_path.read_text(encoding="utf-8")
    assert ('<p class="rv-earlier rv-was-reject">Earlier review: rejected by ana on 2026-12-04 — '
            "“a user&#x27;s &lt;b&gt;view&lt;/b&gt;”</p>") in _card(page, "F-dep-A")
    assert '<p class="rv-earlier' not in _card(page, "F-dep-B")
    assert '<span class="badge new">new since the last review</span>' in _card(page, "F-over-C")
    assert page.count('<span class="badge new">') == 1
    vanished = re.search(r'<details class="vanished" id="vanished">.*?</details>', page, re.S).group(0)
    assert "1 verdict of the last review on flags this run no longer has" in vanished
    assert "<td>F-gone</td><td>0000000000000000-c0009</td><td>accept</td><td></td><td>2026-12-04T01:30:00Z</td>" \
        in vanished
    data = _data(page)
    assert data["verdicts"] == {"F-dep-A": ["reject", "a user's <b>view</b>", "ana", "2026-12-04T01:30:00Z"]}
    assert data["new"] == ["F-over-C"]
    assert "\\u003cb\\u003e" in page  # the note reaches the script's data escaped
    md = md_path.read_text(encoding="utf-8").split("\n## Review\n", 1)[1].split("\n## ", 1)[0].splitlines()
    assert md[1] == ("1 of 7 flags have a verdict from the last review (verdicts.parquet): 0 accepted, 1 rejected, "
                     "0 unsure; 1 flag new since that review.")
    assert md[5].startswith("| 1 | F-dep-A | rejected | ana | 2026-12-04 | a user's ")
    assert "<b>" not in md[5]
    assert md[7] == "1 verdict on flags this run no longer has (kept in verdicts.parquet):"
    assert md[-1] == "| F-gone | 0000000000000000-c0009 | accepted |  | 2026-12-04 |  |"


def test_an_opposing_statement_is_written_once(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p")
    page = build_report(folder)[0].read_text(encoding="utf-8")
    card = _card(page, "F-dep-A")
    other = re.search(r'<div class="pane other" data-st="(\d+)">(.*?)</div>', card, re.S)
    assert other.group(2).endswith(f'<blockquote class="sent excerpt">{SENT_B_ADD}</blockquote>')
    assert 'mark class="ent' not in other.group(2)  # the highlighted sentence is in the data, once
    st = _data(page)["st"]
    assert len(st) == 2  # F-dep-A and F-dep-B oppose each other's statement
    full = st[int(other.group(1))]
    assert "read in context" in full and '<mark class="ent ent-SIDE_EFFECT" data-label="SIDE_EFFECT">addiction</mark>' in full
    # the document body and F-dep-B's own statement; in the data the markup is JSON-escaped
    assert page.count('data-label="SIDE_EFFECT">addiction</mark>') == 2


def test_many_sources_make_the_matrix_compact(tmp_path, monkeypatch):
    from claimex.report import data as report_data

    folder = write_kratom_fixture(tmp_path / "p")
    monkeypatch.setattr(report_data, "MATRIX_COMPACT_COLS", 2)
    html_path, md_path = build_report(folder)
    page = html_path.read_text(encoding="utf-8")
    table = re.search(r'<table class="matrix compact" id="claim-matrix" width="(\d+)">.*?</table>', page, re.S)
    assert table.group(1) == str(330 + 36 * 3)
    first = re.search(r"<tbody><tr[^>]*>.*?</tr>", table.group(0), re.S).group(0)
    assert re.findall(r"<td[^>]*>[^<]*</td>", first) == [
        '<td class="cell c-affirmed" title="D1: affirmed, 1 claim">✔</td>',
        '<td class="cell c-negated" title="D2: negated, 1 claim">✘</td>', "<td></td>"]
    assert "3 sources: each cell shows the symbol alone" in page
    md = md_path.read_text(encoding="utf-8")
    assert "3 sources: a cell holds the symbol alone; a blank cell is silent." in md
