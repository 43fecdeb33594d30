"""`claimex show` and `claimex export` on the seeds' output (the session fixture `seeds_out`)."""

from __future__ import annotations

import csv
import json
import shutil

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from claimex.store import query as show
from claimex.cli import app
from claimex.schema import TABLES

runner = CliRunner()
WIDE = {"COLUMNS": "200"}

S000, S001, S002, S003, S004 = (
    "000_0b499bb038d65974.txt", "001_e00226db8c1070c3.txt", "002_8d8250643712a73f.txt",
    "003_81d297962e730e8c.txt", "004_87505c1645927b3b.txt")
ALL = [S000, S001, S002, S003, S004]

# What the pipeline writes for data/raw.
# Schema 1.1 added EFFECT/THERAPY/GENERIC entities and HAS_EFFECT/REGULATED claims (and their flags).
# Issue 18: 5 claims fewer ('X-related'/'X-induced' names a cause: TREATS fibromyalgia in S000, CAUSES injury
# in S003; 'regulation' is no REGULATED cue: one "restricted" claim in each of S000, S001, S002), so 2 claim
# groups fewer; and the blanket denial of side effects in S001 ("without intense side effects") carries one
# flag instead of flagging every specific side effect: 16 contradicted fewer (the injury claim's, and 15 on
# specific side effects opposed by nothing else: 11 in S002, 3 in S004, 1 in S003).
# The seeds cite nothing, so every claim is still flagged unsupported.
# Issues 16-18 (2026-12-04): entities 665 -> 668 (the lexicon's new terms), claims 267 -> 270 (usage
# frames, copulas), a sources table (one source unit per seed), and no overstated flag any more: the seeds
# cite nothing, and a claim is overstated only against an independent source with checkable evidence.
# Issue 17 claims (2026-12-04): claims 270 -> 262 (no claims on comparators' properties such as
# "potentially addictive pharmaceuticals", no generic "compounds" beside the alkaloids they name, no
# condition named as the setting of another relief; coordinated subjects added), so 4 claim groups fewer
# and 11 flags fewer (8 unsupported, 3 hedged).
# Issue 16 entities (2026-12-04): 668 -> 667 (the lead-in roles and wrong-sense rules of that issue).
# Issue 17 claims, real-article frames (2026-12-04): claim groups 69 -> 67, claims 262 -> 261, flags 447 -> 445
# ("natural supplements like Kratom ... support options for managing fibromyalgia": the example kratom is the
# subject, not the generic "supplements", so supplements|TREATS|fibromyalgia joins kratom|TREATS|fibromyalgia;
# in S004 "touted as a safer alternative due to its milder side effects and lower risk of respiratory
# depression", next to "similar to that of opioid drugs", is a comparison, SAFER_THAN only: no CAUSES
# respiratory depression, one hedged and one unsupported flag fewer).
# 'can' is no hedge by default (issue 17, 2026-12-04: the cue detector's weak_hedges off): flags 445 -> 418,
# 27 hedged flags fewer ("can result in", "can lead to" are asserted; per source 3, 2, 6, 9, 7).
EXPECTED_ROWS = {"documents": 5, "sentences": 216, "entities": 667, "claims": 261, "flags": 418,
                 "claim_groups": 67, "errors": 0, "sources": 5}
FLAGS_BY_KIND = {"contradicted": 45, "hedged": 112, "unsupported": 261}
FLAGS_BY_SOURCE = {
    S000: {"contradicted": 4, "hedged": 32, "unsupported": 44},
    S001: {"contradicted": 6, "hedged": 18, "unsupported": 48},
    S002: {"contradicted": 19, "hedged": 32, "unsupported": 71},
    S003: {"contradicted": 10, "hedged": 22, "unsupported": 59},
    S004: {"contradicted": 6, "hedged": 8, "unsupported": 39},
}
# (claim_key, verdict, independent sources, sources, affirming, negating, hedging, mentions, source names)
TOP_GROUPS = [
    ("kratom|CAUSES|side effects", "contradicted", 5, 5, 4, 1, 5, 17, ALL),
    ("kratom|CAUSES|dependence", "contradicted", 4, 4, 4, 0, 3, 8, [S000, S002, S003, S004]),
    ("kratom|CAUSES|addiction", "contradicted", 3, 3, 1, 2, 3, 6, [S000, S001, S002]),
]
ADDICTION = "kratom|CAUSES|addiction"
# (source, polarity, certainty, attribution, evidence, flags, contradicted_by, start of the sentence)
ADDICTION_MENTIONS = [
    (S000, "negated", "possible", "author", "none", ["contradicted", "hedged", "unsupported"], [S002, S003, S004],
     "It may offer relief through its analgesic properties"),
    (S000, "negated", "asserted", "author", "none", ["contradicted", "unsupported"], [S002, S003, S004],
     "Its effects are believed to stem from its interaction"),
    (S001, "negated", "probable", "research", "vague-appeal", ["contradicted", "hedged", "unsupported"],
     [S000, S002, S003, S004], "The evidence suggests that kratom’s unique chemical composition"),
    # S004 denies adverse effects only in general: since issue 18 that blanket denial no longer contradicts
    # the specific affirmation of addiction (it carries one flag of its own)
    (S002, "affirmed", "asserted", "author", "none", ["contradicted", "unsupported"], [S000, S001],
     "As interest in natural and less addictive pain management options grows"),
    (S002, "affirmed", "asserted", "author", "none", ["contradicted", "unsupported"], [S000, S001],
     "Long-term use has been linked to more serious issues such as liver damage and addiction."),
    (S002, "affirmed", "possible", "author", "none", ["contradicted", "hedged", "unsupported"], [S000, S001],
     "Long-term use or high doses can result in serious side effects"),
]


def table_rows(output: str) -> list[list[str]]:
    """The cells of every table line rich printed (lines starting with a vertical border)."""
    return [[c.strip() for c in line.strip().strip("│").split("│")]
            for line in output.splitlines() if line.startswith("│")]


def table_blocks(output: str) -> list[list[list[str]]]:
    """Rows of a table printed with lines between rows: one list of line cells per row."""
    blocks: list[list[list[str]]] = []
    for line in output.splitlines():
        if line.startswith(("┡", "├")):
            blocks.append([])
        elif line.startswith("│") and blocks:
            blocks[-1].append([c.strip() for c in line.strip().strip("│").split("│")])
    return blocks


# --- the digest --------------------------------------------------------------------------------

def test_digest_counts(seeds_out):
    d = show.digest(seeds_out)
    assert (d["n_documents"], d["n_groups"], len(d["groups"])) == (5, 67, 15)
    assert d["flags_by_kind"] == FLAGS_BY_KIND
    assert d["flags_by_source"] == FLAGS_BY_SOURCE


def test_digest_orders_groups_by_verdict_then_sources_and_names_the_sources(seeds_out):
    groups = show.digest(seeds_out, top=3)["groups"]
    assert [(g["claim_key"], g["verdict"], g["n_independent_sources"], g["n_sources"], g["n_affirming"],
             g["n_negating"], g["n_hedging"], g["n_claims"], g["sources"]) for g in groups] == TOP_GROUPS


def test_show_prints_groups_with_their_sources_and_flags_per_source(seeds_out):
    result = runner.invoke(app, ["show", str(seeds_out), "--top", "3"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "Top claim groups (3 of 67, 5 documents)" in result.output
    rows = table_rows(result.output)
    for key, verdict, indep, n, aff, neg, hedg, mentions, sources in TOP_GROUPS:
        i = next(i for i, r in enumerate(rows) if r[0] == key)
        assert rows[i] == [key, verdict, f"{indep}/{n}", f"{aff}/{neg}/{hedg}", str(mentions)]
        assert rows[i + 1][0] == ", ".join(sources)
    assert ["contradicted", "45"] in rows and ["hedged", "112"] in rows and ["unsupported", "261"] in rows
    for src, counts in FLAGS_BY_SOURCE.items():
        assert [src, *(str(counts[k]) for k in sorted(counts))] in rows


def test_show_in_a_narrow_terminal_folds_instead_of_truncating(seeds_out):
    result = runner.invoke(app, ["show", str(seeds_out)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    assert max(len(line) for line in result.output.splitlines()) == 80
    assert "Top claim groups (15 of 67, 5 documents)" in result.output


# --- one claim group ---------------------------------------------------------------------------

def test_claim_detail_lists_every_sentence_with_who_contradicts_it(seeds_out):
    d = show.claim_detail(seeds_out, ADDICTION)
    g = d["group"]
    assert (g["claim_key"], g["group_key"], g["verdict"], g["sources"]) == (
        ADDICTION, "kratom|CAUSES|dependence", "contradicted", [S000, S001, S002])
    got = [(m["source"], m["polarity"], m["certainty"], m["attribution"], m["evidence"], m["flags"],
            m["contradicted_by"], m["text"]) for m in d["mentions"]]
    assert [row[:7] for row in got] == [m[:7] for m in ADDICTION_MENTIONS]
    for (*_, text), (*_, start) in zip(got, ADDICTION_MENTIONS):
        assert text.startswith(start)


def test_show_claim_prints_the_group_and_its_sentences(seeds_out):
    result = runner.invoke(app, ["show", str(seeds_out), "--claim", ADDICTION], env=WIDE)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == [
        f"{ADDICTION}  verdict: contradicted",
        "6 mentions in 3 sources (3 independent): 1 affirming, 2 negating, 3 hedging",
        f"stated in: {S000}, {S001}, {S002}",
    ]
    blocks = table_blocks(result.output)
    assert len(blocks) == len(ADDICTION_MENTIONS)
    for block, (src, pol, cert, attr, evid, flags, by, start) in zip(blocks, ADDICTION_MENTIONS):
        mention = " ".join(line[0] for line in block if line[0])
        assert mention == (f"{src} {pol}, {cert} by {attr}, evidence: {evid} flags: {', '.join(flags)} "
                           f"contradicted by: {', '.join(by)}")
        assert " ".join(line[1] for line in block if line[1]).startswith(start)


def test_show_claim_matches_a_key_in_another_case(seeds_out):
    result = runner.invoke(app, ["show", str(seeds_out), "--claim", "KRATOM|causes|Addiction"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"{ADDICTION}  verdict: contradicted"


def test_unknown_claim_key_names_the_table_and_close_matches(seeds_out):
    result = runner.invoke(app, ["show", str(seeds_out), "--claim", "kratom|TREATS|pian"])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"claimex: error: {seeds_out / 'claim_groups.parquet'}: no claim group 'kratom|TREATS|pian'. "
        "Closest claim keys: kratom|TREATS|pain, ")
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_fragment_of_a_key_suggests_the_keys_containing_it(seeds_out):
    result = runner.invoke(app, ["show", str(seeds_out), "--claim", "addiction"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"claimex: error: {seeds_out / 'claim_groups.parquet'}: no claim group 'addiction'. Closest claim keys: "
        "7-hydroxymitragynine|CAUSES|addiction, kratom|CAUSES|addiction, mitraphylline|CAUSES|addiction.")


def test_a_key_like_nothing_points_to_the_listing(seeds_out):
    result = runner.invoke(app, ["show", str(seeds_out), "--claim", "zzz"])
    assert result.exit_code == 1
    assert result.output.strip() == (f"claimex: error: {seeds_out / 'claim_groups.parquet'}: no claim group 'zzz'. "
                                     "Run `claimex show` to list the claim groups.")


def test_close_keys():
    known = ["kratom|CAUSES|addiction", "kratom|TREATS|pain", "kratom|TREATS|chronic pain"]
    assert show.close_keys("kratom|treats|pian", known) == ["kratom|TREATS|pain", "kratom|TREATS|chronic pain"]
    assert show.close_keys("pain", known) == ["kratom|TREATS|pain", "kratom|TREATS|chronic pain"]
    assert show.close_keys("qqq", known) == []


def test_show_on_a_folder_that_is_not_processed(tmp_path):
    result = runner.invoke(app, ["show", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip() == (f"claimex: error: [E032] {tmp_path} is not a claimex output folder: "
                                     "documents.parquet is missing. Run `claimex run` first.")


def test_show_on_a_damaged_table_names_the_file(seeds_out, tmp_path):
    for p in seeds_out.glob("*.parquet"):
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "claim_groups.parquet").write_bytes(b"PAR1 not really parquet")
    result = runner.invoke(app, ["show", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"claimex: error: [E072] {tmp_path / 'claim_groups.parquet'}: cannot read the Parquet table (")
    assert "Traceback" not in result.output


# --- export ------------------------------------------------------------------------------------

def test_export_csv_writes_one_file_per_table_with_json_lists(seeds_out, tmp_path):
    result = runner.invoke(app, ["export", str(seeds_out), "--format", "csv", "--dest", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [str(tmp_path / f"{name}.csv") for name in TABLES]
    data = {}
    for name in TABLES:
        with open(tmp_path / f"{name}.csv", encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            assert reader.fieldnames == TABLES[name].names
            data[name] = list(reader)
    assert {name: len(rows) for name, rows in data.items()} == EXPECTED_ROWS
    group = next(r for r in data["claim_groups"] if r["claim_key"] == ADDICTION)
    assert json.loads(group["doc_ids"]) == ["0741bd6af4856b66", "bd6dc54bef8ad296", "f5647b61a140f240"]
    assert json.loads(group["flags"]) == ["contradicted", "hedged", "unsupported"]
    claim = next(r for r in data["claims"]
                 if r["sent_id"] == "bd6dc54bef8ad296-s0004" and r["claim_key"] == "kratom|TREATS|pain")
    assert claim["qualifiers"] == '[{"kind": "comparator", "text": "prescription opioids"}]'
    assert claim["hedge_cues"] == '["may", "potentially"]'
    assert (claim["hedged"], claim["dose_min"], claim["dose_unit"]) == ("True", "", "")
    dose = next(r for r in data["claims"] if r["claim_key"] == "kratom|DOSAGE|12–15 g/24 h")
    assert (dose["dose_min"], dose["dose_max"], dose["dose_unit"], dose["dose_period"]) == ("12.0", "15.0", "g", "24 h")
    # Multi-line article text survives the CSV quoting.
    stored = pq.read_table(seeds_out / "documents.parquet").column("text").to_pylist()
    assert [r["text"] for r in data["documents"]] == stored


def test_export_jsonl_keeps_lists_and_nulls(seeds_out, tmp_path):
    result = runner.invoke(app, ["export", str(seeds_out), "-f", "jsonl", "--dest", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = {name: [json.loads(line) for line in (tmp_path / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
            for name in TABLES}
    assert {name: len(rows) for name, rows in data.items()} == EXPECTED_ROWS
    claim = next(r for r in data["claims"]
                 if r["sent_id"] == "bd6dc54bef8ad296-s0004" and r["claim_key"] == "kratom|TREATS|pain")
    assert claim["qualifiers"] == [{"kind": "comparator", "text": "prescription opioids"}]
    assert (claim["hedge_cues"], claim["hedged"], claim["dose_min"]) == (["may", "potentially"], True, None)
    assert list(data["flags"][0]) == TABLES["flags"].names


def test_export_defaults_to_the_processed_folder(seeds_out, tmp_path):
    for p in seeds_out.glob("*.parquet"):
        shutil.copy(p, tmp_path / p.name)
    result = runner.invoke(app, ["export", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.jsonl")) == sorted(f"{n}.jsonl" for n in TABLES)
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("fmt", ["xml", "CSV"])
def test_export_unknown_format(seeds_out, tmp_path, fmt):
    result = runner.invoke(app, ["export", str(seeds_out), "--format", fmt, "--dest", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip() == f"claimex: error: Unknown export format '{fmt}': use csv or jsonl."
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"http://x.example\",\"click\")", "'=HYPERLINK(\"http://x.example\",\"click\")"),
    ("+1 555 0100", "'+1 555 0100"), ("@SUM(A1:A9)", "'@SUM(A1:A9)"), ("-2+3", "'-2+3"),
    ("Kratom may ease pain.", "Kratom may ease pain."), (3, 3), (None, None),
    (["a", "b"], '["a", "b"]'),
])
def test_csv_cells_never_start_a_formula(value, cell):
    from claimex.store.query import csv_cell

    assert csv_cell(value) == cell
