"""flag_claims_by_subject, the Dask engine's group-by (claimex.flags.by_subject)."""

from __future__ import annotations

import pyarrow as pa
import pytest
from builders import SEED, documents_table, sentences_table
from flagkit import by_flag, claim, copy_of, corpus_rows

from claimex import schema
from claimex.errors import ClaimexError
from claimex.flags import flag_claims


@pytest.mark.parametrize("n_partitions", [1, 2, 3, 16])
def test_group_by_subject_gives_the_same_tables(n_partitions):
    """flag_claims_by_subject (the Dask engine's group-by) == flag_claims, whatever the
    number of parts and the order the parts come back in."""
    from claimex.flags import flag_claims_by_subject

    rows = corpus_rows() + [
        claim("m1", "003", "pain", subject="mitragynine", predicate="TREATS"),
        claim("m2", "004", "pain", subject="mitragynine", predicate="TREATS", polarity="negated"),
        claim("m3", "000", "mu-opioid receptors", subject="mitragynine", predicate="ACTS_ON",
              hedged=True, certainty="possible", evidence="none"),
    ]
    claims = pa.Table.from_pylist(rows, schema=schema.CLAIMS)
    whole = flag_claims(claims, documents_table())
    calls = []

    def backwards(fn, parts):
        calls.append(len(parts))
        return [fn(p) for p in parts][::-1]

    flags, groups = flag_claims_by_subject(claims, documents_table(), n_partitions=n_partitions,
                                           map_partitions=backwards)
    assert flags.equals(whole[0]) and groups.equals(whole[1])
    assert calls == [1 if n_partitions == 1 else 2]  # kratom and mitragynine part ways
    assert set(by_flag(flags, "contradicted")) >= {"m1", "m2"}


def test_group_by_subject_parts_carry_only_their_share():
    """Each part's task holds the documents, source units and side-effect entities
    of its own claims, and the tables still equal flag_claims' (near-duplicate
    documents, a verbatim-shared sentence and an entity-marked side effect)."""
    from claimex.flags import flag_claims_by_subject

    shared = "Kratom can lead to dependence in regular users over time."
    docs = documents_table({"000": SEED["000"], "001": SEED["001"], "002": SEED["002"],
                            "003": SEED["003"], "005": copy_of(SEED["002"])})
    sentences = sentences_table([("000", "000:1", shared), ("003", "003:2", shared),
                                 ("001", "001:1", "Kratom is free of side effects.")])
    rows = [claim("c1", "000", "dependence", sent_id="000:1", evidence="none"),
            claim("c2", "003", "dependence", sent_id="003:2", evidence="none"),
            claim("c3", "002", "nausea"), claim("c4", "005", "nausea", polarity="negated"),
            claim("c5", "001", "side effects", sent_id="001:1", polarity="negated"),
            claim("c6", "002", "jaundice", object_ent_id="e7"),
            claim("m1", "003", "pain", subject="mitragynine", predicate="TREATS", object_ent_id="e9")]
    entities = pa.table({"ent_id": ["e7", "e8", "e9"], "label": ["SIDE_EFFECT", "SIDE_EFFECT", "CONDITION"]})
    claims = pa.Table.from_pylist(rows, schema=schema.CLAIMS)
    whole = flag_claims(claims, docs, sentences, entities=entities)
    seen = []

    def record(fn, parts):
        seen.extend(parts)
        return [fn(p) for p in parts]

    flags, groups = flag_claims_by_subject(claims, docs, sentences, entities=entities, map_partitions=record)
    assert flags.equals(whole[0]) and groups.equals(whole[1])
    # the entity counted: jaundice (c6) is among the side effects c5's blanket denial opposes, and the denial
    # alone carries that flag (issue 18)
    got = by_flag(flags, "contradicted")
    assert got["c5"]["related_claim_ids"] == ["c1", "c2", "c3", "c6"] and "c6" not in got
    parts = {p[0].column("subject")[0].as_py(): p for p in seen}
    assert sorted(parts) == ["kratom", "mitragynine"]
    _, names, ents, units, _, _ = parts["kratom"]
    assert names.column("doc_id").to_pylist() == ["000", "001", "002", "003", "005"]
    assert units.clusters == {"000": "000", "001": "001", "002": "002", "003": "003", "005": "002"}
    assert units.shared == {("000", "000:1"): units.shared[("000", "000:1")],
                            ("003", "003:2"): units.shared[("000", "000:1")]}
    assert ents.column("ent_id").to_pylist() == ["e7"]
    _, names, ents, units, _, _ = parts["mitragynine"]
    assert names.column("doc_id").to_pylist() == ["003"]
    assert (units.clusters, units.shared, ents.num_rows) == ({"003": "003"}, {}, 0)


def test_group_by_subject_checks_its_part_count():
    from claimex.flags import flag_claims_by_subject

    claims = pa.Table.from_pylist(corpus_rows(), schema=schema.CLAIMS)
    with pytest.raises(ClaimexError, match=r"^\[E065\] flag_claims_by_subject: n_partitions=0 is invalid: "
                                            r"expected a whole number >= 1\.$"):
        flag_claims_by_subject(claims, documents_table(), n_partitions=0)
    with pytest.raises(ClaimexError, match=r"^\[E060\] entities table is missing columns: label "):
        flag_claims_by_subject(claims, documents_table(), entities=pa.table({"ent_id": ["e1"]}))
    empty = flag_claims_by_subject(claims.slice(0, 0), documents_table())
    assert empty[0].num_rows == empty[1].num_rows == 0
