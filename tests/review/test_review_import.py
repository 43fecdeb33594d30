"""claimex.review: reading verdict exports, verdicts.parquet, the merge with a rerun's flags, stats."""

from __future__ import annotations

import csv
import json
import warnings
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from claimex import schema
from claimex.errors import ClaimexError, ClaimexWarning
from claimex.review import (import_verdicts, match, read_verdict_file, read_verdicts, review_state, review_stats,
                            run_id, stats_lines)
from claimex.store import tables

FLAGS = [  # flag_id, claim_id, doc_id, kind
    ("f1", "d1-c0001", "d1", "contradicted"),
    ("f2", "d1-c0002", "d1", "hedged"),
    ("f3", "d2-c0001", "d2", "hedged"),
    ("f4", "d2-c0002", "d2", "unsupported"),
]


def write_folder(folder: Path, flags=FLAGS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    tables.write_table(folder, "flags", [{
        "flag_id": f, "claim_id": c, "doc_id": d, "sent_id": c.replace("-c", "-s"), "claim_key": "k|TREATS|x",
        "flag": k, "reason": "r", "related_claim_ids": [], "related_doc_ids": [], "severity": "low", "score": 0.5,
    } for f, c, d, k in flags])
    tables.write_table(folder, "documents", [{
        "doc_id": d, "source": f"site-{d}.txt", "sources": [f"site-{d}.txt"], "format": "txt", "title": None,
        "url": None, "n_chars": 1, "n_words": 1, "n_sentences": 1, "content_sha256": d, "input_path": f"site-{d}.txt",
        "input_line": None, "site": None, "text_repairs": [], "text": "x",
    } for d in ("d1", "d2")])
    return folder


def export_json(path: Path, records: list[dict]) -> Path:
    body = ",\n".join(json.dumps(r) for r in records)
    path.write_text('{"format": "claimex-verdicts", "version": 1, "run_id": "abc", "verdicts": [\n'
                    + body + "\n]}\n", encoding="utf-8")
    return path


def export_csv(path: Path, records: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["flag_id", "claim_id", "verdict", "note", "reviewer", "decided_at"])
        w.writeheader()
        w.writerows(records)
    return path


def rec(flag_id, verdict, minute=0, note="", claim_id=None, reviewer="ana"):
    claim = claim_id if claim_id is not None else {f: c for f, c, _, _ in FLAGS}.get(flag_id, "zz-c0001")
    return {"flag_id": flag_id, "claim_id": claim, "verdict": verdict, "note": note, "reviewer": reviewer,
            "decided_at": f"2026-12-04T01:{minute:02d}:00.250Z"}


def utc(minute, ms=250):
    return datetime(2026, 12, 4, 1, minute, 0, ms * 1000, tzinfo=timezone.utc)


# ---------------------------------------------------------------- reading files

def test_json_and_csv_exports_read_the_same(tmp_path):
    records = [rec("f1", "accept", 1, note='too strong, "really"\nsecond line'), rec("f2", "Reject", 2),
               rec("f3", "unsure", 3, note="")]
    from_json = read_verdict_file(export_json(tmp_path / "v.json", records))
    from_csv = read_verdict_file(export_csv(tmp_path / "v.csv", records))
    strip = [(v.flag_id, v.claim_id, v.verdict, v.note, v.reviewer, v.decided_at) for v in from_json]
    assert strip == [(v.flag_id, v.claim_id, v.verdict, v.note, v.reviewer, v.decided_at) for v in from_csv]
    assert strip[0] == ("f1", "d1-c0001", "accept", 'too strong, "really"\nsecond line', "ana", utc(1))
    assert strip[1][2] == "reject" and strip[2][3] is None
    assert [v.line for v in from_json] == [2, 3, 4]
    assert [v.line for v in from_csv] == [2, 4, 5]  # the first record's note spans two lines


def test_a_bare_json_list_and_an_offset_time(tmp_path):
    path = tmp_path / "v.json"
    path.write_text(json.dumps([dict(rec("f1", "accept"), decided_at="2026-12-04T02:30:00+01:00")]))
    (v,) = read_verdict_file(path)
    assert v.decided_at == datetime(2026, 12, 4, 1, 30, tzinfo=timezone.utc) and v.line == 1


@pytest.mark.parametrize("name, text, expected", [
    ("bad.csv", "flag_id,claim_id,verdict,note,reviewer,decided_at\n"
                "f1,d1-c0001,accept,,ana,2026-12-04T01:00:00Z\n"
                "f2,d1-c0002,maybe,,ana,2026-12-04T01:00:00Z\n",
     r"^\[E104\] .*bad\.csv: line 3: verdict is 'maybe', expected one of accept, reject, unsure\.$"),
    ("bad.json", '{"verdicts": [\n{"flag_id": "f1", "verdict": "accept", "decided_at": "2026-12-04T01:00:00Z"},\n'
                 '{"flag_id": "f2", "verdict": "accept", "decided_at": "yesterday"}\n]}',
     r"^\[E105\] .*bad\.json: line 3: decided_at is 'yesterday', expected an ISO-8601 UTC time"),
    ("naive.csv", "flag_id,verdict,decided_at\nf1,accept,2026-12-04T01:00:00\n",
     r"\[E105\] .*naive\.csv: line 2: decided_at is '2026-12-04T01:00:00'"),
    ("broken.json", '{"verdicts": [\n{"flag_id": "f1",\n"verdict": accept}\n]}',
     r"^\[E101\] .*broken\.json: line 3: malformed JSON \(Expecting value, column 12\)\.$"),
    ("nocol.csv", "id,verdict\nf1,accept\n", r"^\[E102\] .*nocol\.csv: not a verdict export \(no flag_id column"),
    ("noflag.json", '[{"verdict": "accept", "decided_at": "2026-12-04T01:00:00Z"}]',
     r"^\[E103\] .*noflag\.json: line 1: flag_id is missing or empty\.$"),
    ("twice.csv", "flag_id,verdict,decided_at\nf1,accept,2026-12-04T01:00:00Z\nf1,reject,2026-12-04T01:00:00Z\n",
     r"^\[E106\] .*twice\.csv: line 3: flag_id 'f1' is judged twice \(first on line 2\)\.$"),
    ("empty.csv", "flag_id,verdict,decided_at\n", r"^\[E109\] .*empty\.csv: the verdict file has no verdicts\.$"),
    ("other.json", '{"format": "doccano", "verdicts": []}', r"^\[E102\] .*other\.json: not a verdict export "
                                                             r"\(its format is 'doccano'\)"),
])
def test_a_malformed_file_names_the_file_and_the_line(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ClaimexError, match=expected):
        read_verdict_file(path)


def test_an_unreadable_file(tmp_path):
    with pytest.raises(ClaimexError, match=r"^\[E100\] .*missing\.csv: cannot read the verdict file"):
        read_verdict_file(tmp_path / "missing.csv")


# ---------------------------------------------------------------- import into a folder

def test_import_round_trips_csv_and_json(tmp_path):
    folder = write_folder(tmp_path / "out")
    records = [rec("f1", "accept", 1, note="fine"), rec("f3", "reject", 2), rec("f4", "unsure", 3)]
    result = import_verdicts(folder, export_csv(tmp_path / "v.csv", records))
    assert (result.read, result.added, result.changed, result.unchanged, result.total) == (3, 3, 0, 0, 3)
    assert result.by_choice == {"accept": 1, "reject": 1, "unsure": 1}
    stored = read_verdicts(folder)  # decided_at kept to the second
    assert stored.rows == [
        {"flag_id": "f1", "claim_id": "d1-c0001", "verdict": "accept", "note": "fine", "reviewer": "ana",
         "decided_at": utc(1, 0)},
        {"flag_id": "f3", "claim_id": "d2-c0001", "verdict": "reject", "note": None, "reviewer": "ana",
         "decided_at": utc(2, 0)},
        {"flag_id": "f4", "claim_id": "d2-c0002", "verdict": "unsure", "note": None, "reviewer": "ana",
         "decided_at": utc(3, 0)},
    ]
    assert stored.reviewed_flags == {"f1", "f2", "f3", "f4"}
    before = (folder / "verdicts.parquet").read_bytes()
    again = import_verdicts(folder, export_json(tmp_path / "v.json", records))
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)
    assert (folder / "verdicts.parquet").read_bytes() == before
    table = pq.read_table(folder / "verdicts.parquet")
    when = table.schema.field("decided_at").type  # Parquet keeps seconds as milliseconds
    assert pa.types.is_timestamp(when) and when.tz == "UTC"
    assert table.schema.metadata[b"claimex.table"] == b"verdicts"
    assert table.schema.metadata[b"claimex.schema_version"] == schema.SCHEMA_VERSION.encode()


def test_the_latest_decision_wins(tmp_path):
    folder = write_folder(tmp_path / "out")
    import_verdicts(folder, export_csv(tmp_path / "a.csv", [rec("f1", "accept", 5), rec("f2", "accept", 5)]))
    result = import_verdicts(folder, export_csv(tmp_path / "b.csv", [rec("f1", "reject", 6), rec("f2", "reject", 4),
                                                                    rec("f3", "unsure", 1)]))
    assert (result.added, result.changed, result.unchanged, result.total) == (1, 1, 1, 3)
    assert {r["flag_id"]: r["verdict"] for r in read_verdicts(folder).rows} == {"f1": "reject", "f2": "accept",
                                                                                 "f3": "unsure"}


def test_import_fills_a_missing_claim_id_and_rejects_a_wrong_one(tmp_path):
    folder = write_folder(tmp_path / "out")
    import_verdicts(folder, export_csv(tmp_path / "a.csv", [rec("f2", "accept", claim_id="")]))
    assert read_verdicts(folder).rows[0]["claim_id"] == "d1-c0002"
    with pytest.raises(ClaimexError, match=r"^\[E107\] .*b\.csv: line 2: flag_id 'f1' belongs to claim "
                                           r"'d1-c0001' in .*, not to 'd9-c0001'"):
        import_verdicts(folder, export_csv(tmp_path / "b.csv", [rec("f1", "accept", claim_id="d9-c0001")]))


def test_verdicts_for_unknown_flags_warn_unless_none_fits(tmp_path):
    folder = write_folder(tmp_path / "out")
    with pytest.warns(ClaimexWarning, match=r"\[W003\] .*a\.csv: 1 verdict\(s\) name flags that .* does not "
                                            r"have \(first: line 3, flag_id 'gone'\)"):
        result = import_verdicts(folder, export_csv(tmp_path / "a.csv", [rec("f1", "accept"), rec("gone", "reject")]))
    assert (result.unknown, result.total) == (1, 2)
    with pytest.raises(ClaimexError, match=r"^\[E108\] .*b\.csv: none of its 1 verdicts names a flag of"):
        import_verdicts(folder, export_csv(tmp_path / "b.csv", [rec("other", "reject")]))


def test_import_needs_a_processed_folder(tmp_path):
    with pytest.raises(ClaimexError, match=r"\[E032\] .* flags\.parquet is missing"):
        import_verdicts(tmp_path, export_csv(tmp_path / "a.csv", [rec("f1", "accept")]))


# ---------------------------------------------------------------- a rerun's flags

def test_a_rerun_keeps_verdicts_marks_new_flags_and_lists_vanished_ones(tmp_path):
    folder = write_folder(tmp_path / "out")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        import_verdicts(folder, export_csv(tmp_path / "a.csv", [rec("f1", "accept"), rec("f3", "reject")]))
    assert review_state(folder).new == [] and set(review_state(folder).kept) == {"f1", "f3"}
    # the rerun: f3's flag is gone, f5 appears
    write_folder(folder, [FLAGS[0], FLAGS[1], FLAGS[3], ("f5", "d2-c0003", "d2", "hedged")])
    state = review_state(folder)
    assert list(state.kept) == ["f1"]
    assert state.new == ["f5"]  # f2 and f4 existed at the review: unreviewed, not new
    assert [r["flag_id"] for r in state.vanished] == ["f3"]
    assert state.summary() == "verdicts: 1 kept, 1 flag new since the last review, 1 verdict whose flag is gone"
    assert [r["flag_id"] for r in read_verdicts(folder).rows] == ["f1", "f3"]  # nothing is deleted


def test_no_review_no_state(tmp_path):
    folder = write_folder(tmp_path / "out")
    state = review_state(folder)
    assert (state.reviewed, state.kept, state.new, state.vanished, state.summary()) == (False, {}, [], [], "")
    assert match(["a"], None).reviewed is False


def test_run_id_follows_the_tables(tmp_path):
    folder = write_folder(tmp_path / "out")
    (folder / "manifest.json").write_text(json.dumps({"table_sha256": {"flags": "aa", "claims": "bb"}}))
    first = run_id(folder)
    assert len(first) == 16 and first == run_id(folder)
    (folder / "manifest.json").write_text(json.dumps({"table_sha256": {"flags": "ab", "claims": "bb"}}))
    assert run_id(folder) != first


# ---------------------------------------------------------------- stats

def test_stats_per_kind_and_rejected_sources(tmp_path):
    folder = write_folder(tmp_path / "out")
    import_verdicts(folder, export_csv(tmp_path / "a.csv", [rec("f1", "accept"), rec("f2", "reject"),
                                                           rec("f3", "reject"), rec("f4", "unsure")]))
    s = review_stats(folder)
    assert s["kinds"] == {
        "hedged": {"flags": 2, "reviewed": 2, "accept": 0, "reject": 2, "unsure": 0, "precision": 0.0},
        "contradicted": {"flags": 1, "reviewed": 1, "accept": 1, "reject": 0, "unsure": 0, "precision": 1.0},
        "unsupported": {"flags": 1, "reviewed": 1, "accept": 0, "reject": 0, "unsure": 1, "precision": None},
    }
    assert s["total"] == {"flags": 4, "reviewed": 4, "accept": 1, "reject": 2, "unsure": 1, "precision": 1 / 3}
    assert s["sources_rejected"] == [{"source": "site-d1.txt", "reviewed": 2, "rejected": 1, "share": 0.5},
                                     {"source": "site-d2.txt", "reviewed": 2, "rejected": 1, "share": 0.5}]
    lines = stats_lines(s)
    assert lines[0] == "4 flags of 4 reviewed."
    assert "| hedged | 2 | 2 | 0 | 2 | 0 | 0% |" in lines
    assert "| unsupported | 1 | 1 | 0 | 0 | 1 | – |" in lines
    assert "| all | 4 | 4 | 1 | 2 | 1 | 33% |" in lines
    assert "| site-d1.txt | 2 | 1 | 50% |" in lines


def test_stats_without_verdicts(tmp_path):
    folder = write_folder(tmp_path / "out")
    assert stats_lines(review_stats(folder))[0].startswith("No verdicts yet: ")


def test_every_verdicts_column_is_documented():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "schema.md").read_text(encoding="utf-8")
    section = doc.split("## verdicts", 1)[1].split("\n## ", 1)[0]
    assert [f"`{name}`" in section for name in schema.VERDICTS_TABLE.names] == [True] * 6
    assert "`claimex.reviewed_flags`" in section


def test_claimex_show_digest_has_the_review(tmp_path):
    from claimex.store.query import review_digest

    folder = write_folder(tmp_path / "out")
    flags = tables.read_table(folder, "flags").to_pylist()
    assert review_digest(folder, flags) == {"reviewed": False, "kept": 0, "by_kind": {}, "new": 0, "vanished": [],
                                            "summary": ""}
    import_verdicts(folder, export_csv(tmp_path / "a.csv", [rec("f1", "reject"), rec("f3", "accept")]))
    d = review_digest(folder, flags[1:])  # as after a rerun without f1
    assert (d["kept"], d["by_kind"], d["new"]) == (1, {"hedged": {"accept": 1, "reject": 0, "unsure": 0}}, 0)
    assert [r["flag_id"] for r in d["vanished"]] == ["f1"]
    assert d["summary"] == "verdicts: 1 kept, 0 flags new since the last review, 1 verdict whose flag is gone"
