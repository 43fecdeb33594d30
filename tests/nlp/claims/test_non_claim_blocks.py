"""Blocks that assert nothing give no claims: a run-on stretch without sentence ends, a table header."""

from __future__ import annotations

import pytest

from claimex.nlp.claims import NON_CLAIM_KINDS
from claimex.nlp.pipeline import load_pipeline


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()[0]


def test_run_on_and_table_header_are_non_claim_kinds():
    assert {"run_on", "table_header"} <= set(NON_CLAIM_KINDS)
    assert "table_row" not in NON_CLAIM_KINDS and "key_value" not in NON_CLAIM_KINDS


def test_a_run_on_stretch_gives_no_claims_but_the_same_words_as_prose_do(nlp):
    phrase = "kava relieves anxiety and valerian improves sleep and ginger eases nausea "
    run_on = nlp(phrase * 20)  # 240 words and no sentence end
    assert {b[2] for b in run_on._.claimex_blocks} == {"run_on"}
    assert run_on._.claimex_claims == []
    assert {e["canonical"] for e in run_on._.claimex_ents} >= {"kava", "anxiety", "ginger", "nausea"}
    prose = nlp("Kava relieves anxiety. Ginger eases nausea.")
    assert {(c["subject"], c["predicate"], c["object"]) for c in prose._.claimex_claims} == {
        ("kava", "TREATS", "anxiety"), ("ginger", "TREATS", "nausea")}


def test_a_table_header_gives_no_claim_but_its_rows_can(nlp):
    doc = nlp("| Herb | Used for |\n|---|---|\n| Ginger | nausea |\n")
    kinds = [b[2] for b in doc._.claimex_blocks]
    assert kinds[0] == "table_header" and "table_row" in kinds
    header = doc._.claimex_blocks[0]
    assert not [c for c in doc._.claimex_claims if header[0] <= c["start"] < header[1]]
