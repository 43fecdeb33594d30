"""Flag ids stay the same across reruns while a claim and its evidence do not change.

A verdict is keyed by ``flag_id`` (``sha256(claim_id|flag)``, ``claim_id`` =
the document's content hash + the claim's position in it), so a reviewer's
decisions carry into the next run exactly when the flagged claim is the same.
Two full runs over the same three articles give the same flags; a rerun in
which the one article about another substance (turmeric) is edited keeps
every flag of the two kratom articles, with its id, and the verdicts on them,
while the verdicts on the edited article's flags are listed as vanished.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from claimex.review import import_verdicts, review_state
from claimex.runner import run_corpus

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
SEEDS = ["001_e00226db8c1070c3.txt", "004_87505c1645927b3b.txt"]
TURMERIC = ("Turmeric for Joint Pain\n\n"
            "Turmeric may reduce joint pain in people with osteoarthritis. Curcumin, the active compound in "
            "turmeric, is often said to relieve inflammation. Some users report that turmeric causes nausea "
            "at high doses. Many people take 500 mg of curcumin twice a day.\n")
EDITED = TURMERIC.replace("Some users report", "A few users say").replace("500 mg", "1,000 mg")

pytestmark = pytest.mark.slow


def _flags(out: Path) -> list[tuple[str, str, str, str]]:
    t = pq.read_table(out / "flags.parquet", columns=["flag_id", "claim_id", "doc_id", "flag"])
    return sorted(zip(*(t.column(c).to_pylist() for c in t.column_names)))


def _corpus(folder: Path, turmeric: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in SEEDS:
        shutil.copy(RAW / name, folder / name)
    (folder / "900_turmeric.txt").write_text(turmeric, encoding="utf-8")
    return folder


def test_flag_ids_survive_reruns_and_an_unrelated_edit(tmp_path):
    corpus = _corpus(tmp_path / "in", TURMERIC)
    run_corpus([corpus], tmp_path / "a", report=False)
    run_corpus([corpus], tmp_path / "b", report=False, force=True)
    first = _flags(tmp_path / "a")
    assert first == _flags(tmp_path / "b")  # the same input: the same flags and ids
    old_doc = _doc_id(tmp_path / "a")
    kratom = [f for f in first if f[2] != old_doc]
    on_turmeric = [f for f in first if f[2] == old_doc]
    assert len(kratom) > 20 and on_turmeric

    # the reviewer judges one flag of each article
    export = tmp_path / "v.csv"
    with open(export, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["flag_id", "claim_id", "verdict", "note", "reviewer", "decided_at"])
        for f, c, _, _ in (kratom[0], kratom[-1], on_turmeric[0]):
            w.writerow([f, c, "accept", "", "ana", "2026-12-04T01:00:00Z"])
    import_verdicts(tmp_path / "b", export)

    # the turmeric article is edited; the rerun (incremental, into the same folder) recomputes the flags
    (corpus / "900_turmeric.txt").write_text(EDITED, encoding="utf-8")
    result = run_corpus([corpus], tmp_path / "b")
    second = _flags(tmp_path / "b")
    new_doc = _doc_id(tmp_path / "b")
    assert new_doc != old_doc
    assert [f for f in second if f[2] != new_doc] == kratom  # every kratom flag, with its id
    on_edited = [f[0] for f in _flag_order(tmp_path / "b") if f[2] == new_doc]
    assert on_edited and not set(on_edited) & {f[0] for f in on_turmeric}  # the edited article's claims are new
    state = review_state(tmp_path / "b")
    assert set(state.kept) == {kratom[0][0], kratom[-1][0]}
    assert [r["flag_id"] for r in state.vanished] == [on_turmeric[0][0]]
    assert state.new == on_edited
    assert result.review.summary() == (f"verdicts: 2 kept, {len(on_edited)} flags new since the last review, "
                                       "1 verdict whose flag is gone")
    assert (tmp_path / "b" / "verdicts.parquet").exists()  # the run's swap leaves the reviewer's table alone
    page = (tmp_path / "b" / "report.html").read_text(encoding="utf-8")
    assert page.count('<p class="rv-earlier rv-was-accept">Earlier review: accepted by ana on 2026-12-04</p>') == 2
    assert page.count('<span class="badge new">') == len(on_edited)
    assert f"<td>{on_turmeric[0][0]}</td>" in page  # listed under the verdicts whose flag is gone


def _doc_id(out: Path) -> str:
    """The turmeric article's doc_id in a run's documents table."""
    t = pq.read_table(out / "documents.parquet", columns=["doc_id", "source"]).to_pylist()
    return next(d["doc_id"] for d in t if d["source"].endswith("900_turmeric.txt"))


def _flag_order(out: Path) -> list[tuple[str, str, str]]:
    t = pq.read_table(out / "flags.parquet", columns=["flag_id", "claim_id", "doc_id"])
    return list(zip(*(t.column(c).to_pylist() for c in t.column_names)))
