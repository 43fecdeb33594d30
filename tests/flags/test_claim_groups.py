"""The claim_groups table and its verdicts (claimex.flags.claim_groups)."""

from __future__ import annotations

from flagkit import claim, groups_by_key, run

from claimex.flags import FlagSettings


def test_claim_group_rows_and_verdicts():
    _, groups = run([
        claim("c1", "000", "pain", predicate="TREATS"),
        claim("c2", "000", "arthritis", predicate="TREATS", hedged=True, hedge_cues=("may",),
              certainty="possible", evidence="study-reference"),
        claim("c3", "000", "anxiety", predicate="TREATS", evidence="anecdote", attribution="users"),
        claim("c4", "001", "fibromyalgia", predicate="TREATS", evidence="none"),
        claim("c5", "003", "fibromyalgia", predicate="TREATS", evidence="none"),
        claim("c6", "003", "fibromyalgia", predicate="TREATS", evidence="none", hedged=True,
              hedge_cues=("could",), certainty="possible"),
        claim("c7", "004", "fibromyalgia", predicate="TREATS", evidence="none", polarity="negated",
              certainty="speculative"),
    ])
    rows = groups_by_key(groups)
    assert list(rows) == sorted(rows)
    # not overstated: no source that gives evidence states it more weakly
    assert rows["kratom|TREATS|fibromyalgia"] == {
        "claim_key": "kratom|TREATS|fibromyalgia", "group_key": "kratom|TREATS|fibromyalgia",
        "subject": "kratom", "predicate": "TREATS", "object": "fibromyalgia", "n_claims": 4,
        "n_sources": 3, "n_independent_sources": 3, "n_affirming": 2, "n_negating": 1, "n_hedging": 2,
        "n_independent_affirming": 2, "n_independent_negating": 1, "doc_ids": ["001", "003", "004"], "flags": ["contradicted", "hedged", "unsupported"],
        "verdict": "contradicted",
    }
    assert {k: (r["verdict"], r["flags"], r["group_key"]) for k, r in rows.items() if "fibro" not in k} == {
        "kratom|TREATS|pain": ("supported", [], "kratom|TREATS|pain"),
        "kratom|TREATS|arthritis": ("hedged", ["hedged"], "kratom|TREATS|arthritis"),
        "kratom|TREATS|anxiety": ("unsupported", ["unsupported"], "kratom|TREATS|anxiety"),
    }


def test_two_independent_unhedged_sources_make_a_key_supported():
    _, groups = run([claim("c1", "001", "fibromyalgia", predicate="TREATS", evidence="none"),
                     claim("c2", "003", "fibromyalgia", predicate="TREATS", evidence="none"),
                     claim("c3", "004", "chronic pain", predicate="TREATS", evidence="none"),
                     claim("c4", "004", "chronic pain", predicate="TREATS", evidence="none")])
    rows = groups_by_key(groups)
    assert rows["kratom|TREATS|fibromyalgia"]["verdict"] == "supported"
    assert (rows["kratom|TREATS|chronic pain"]["verdict"], rows["kratom|TREATS|chronic pain"]["group_key"]) == (
        "unsupported", "kratom|TREATS|pain")
    _, groups = run([claim("c1", "001", "fibromyalgia", predicate="TREATS", evidence="none")],
                    settings=FlagSettings(min_independent_sources=1))
    assert groups.column("verdict").to_pylist() == ["supported"]


def test_independent_affirming_and_negating_count_one_site_once():
    import pyarrow as pa

    from builders import SEED, documents_table

    docs = documents_table({d: SEED[d] for d in ("001", "003", "004")})
    urls = ["https://www.herbs.example/kratom-a", "https://blog.herbs.example/kratom-b", "https://other.example/x"]
    docs = docs.set_column(docs.schema.get_field_index("url"), "url", pa.array(urls, pa.string()))
    _, groups = run([claim("c1", "001", "fibromyalgia", predicate="TREATS"),
                     claim("c2", "003", "fibromyalgia", predicate="TREATS"),
                     claim("c3", "004", "fibromyalgia", predicate="TREATS", polarity="negated")], docs=docs)
    row = groups_by_key(groups)["kratom|TREATS|fibromyalgia"]
    # two pages of one site affirm, another site denies: 2 affirming documents, 1 independent source each side
    assert (row["n_affirming"], row["n_negating"], row["n_independent_affirming"], row["n_independent_negating"],
            row["n_independent_sources"]) == (2, 1, 1, 1, 2)
