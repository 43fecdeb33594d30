"""benchmarks/bench_equality.py: the reference config and the row comparison."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import bench_equality  # noqa: E402


def test_reference_config_sources_spacys_ruler_and_lemmatizer():
    text = bench_equality.reference_config()
    assert "[components.attribute_ruler]\nsource = ${paths.base_model}\n" in text
    assert "[components.lemmatizer]\nsource = ${paths.base_model}\n" in text
    assert "claimex_attribute_ruler" not in text and "claimex_lemmatizer" not in text
    assert 'factory = "claimex_claims"' in text  # the rest untouched


def test_differences_name_table_row_and_field():
    fast = [{"doc_id": "d1", "claim_id": "c1", "predicate": "TREATS"}, {"doc_id": "d1", "claim_id": "c2"}]
    ref = [{"doc_id": "d1", "claim_id": "c1", "predicate": "CAUSES"}, {"doc_id": "d2", "claim_id": "c9"}]
    assert bench_equality.differences("claims", fast, ref) == [
        "claims ('d1', 'c1') predicate: fast 'TREATS' vs reference 'CAUSES'",
        "claims ('d1', 'c2'): only in the fast pipeline",
        "claims ('d2', 'c9'): only in the reference pipeline",
    ]
    assert bench_equality.differences("claims", fast, fast) == []
