"""The contradicted flag by polarity (claimex.flags.contradicted): groups, scope, relative claims, severity, quotes."""

from __future__ import annotations

import pyarrow as pa
from builders import documents_table
from flagkit import ADDICTION_000, DEPENDENCE_002, by_flag, claim, fid, groups_by_key, run

from claimex.flags import FlagSettings


def test_addiction_and_dependence_meet_through_their_group():
    flags, groups = run([ADDICTION_000, DEPENDENCE_002])
    got = by_flag(flags, "contradicted")
    assert {cid: (r["reason"], r["severity"], r["score"], r["related_claim_ids"], r["related_doc_ids"])
            for cid, r in got.items()} == {
        "c1": ('Denies that kratom CAUSES addiction; 002 (002.txt) asserts that kratom CAUSES '
               'dependence (same group "dependence"): "the potential for dependence and withdrawal".',
               "medium", 0.6, ["c2"], ["002"]),
        "c2": ('Asserts that kratom CAUSES dependence; 000 (000.txt) denies that kratom CAUSES '
               'addiction (same group "dependence"): "without the addictive risks of prescription '
               'opioids".', "medium", 0.6, ["c1"], ["000"]),
    }
    assert got["c1"]["flag_id"] == fid("c1", "contradicted")
    rows = groups_by_key(groups)
    assert rows["kratom|CAUSES|addiction"]["group_key"] == "kratom|CAUSES|dependence"
    assert rows["kratom|CAUSES|dependence"]["group_key"] == "kratom|CAUSES|dependence"
    assert [r["verdict"] for r in groups.to_pylist()] == ["contradicted", "contradicted"]


def test_negated_sedating_effects_against_higher_amounts():
    flags, _ = run([
        claim("c3", "003", "sedation", text="higher amounts can lead to sedation",
              qualifiers=(("amount", "higher amounts"),)),
        claim("c4", "004", "sedating effects", polarity="negated",
              text="without the sedating effects often associated with traditional opioids",
              qualifiers=(("comparator", "traditional opioids"),)),
    ])
    got = {cid: (r["reason"], r["severity"], r["score"]) for cid, r in by_flag(flags, "contradicted").items()}
    assert got == {
        "c3": ('Asserts that kratom CAUSES sedation; 004 (004.txt) denies that kratom CAUSES sedating '
               'effects (same group "sedation"): "without the sedating effects often associated with '
               'traditional opioids".', "high", 0.9),
        "c4": ('Denies that kratom CAUSES sedating effects; 003 (003.txt) asserts that kratom CAUSES '
               'sedation (same group "sedation"): "higher amounts can lead to sedation".', "high", 0.9),
    }


def test_different_amount_or_duration_levels_do_not_conflict():
    flags, _ = run([
        claim("c1", "000", "stimulation", text="low doses act as a stimulant",
              qualifiers=(("amount", "low doses"),)),
        claim("c2", "001", "sedation", text="high doses are sedating", qualifiers=(("amount", "high doses"),)),
        claim("c3", "002", "sedation", polarity="negated", text="at low doses it is not sedating",
              qualifiers=(("amount", "low doses"),)),
        claim("c4", "003", "stimulation", polarity="negated", text="high doses do not stimulate",
              qualifiers=(("dose", "high doses"),)),
        claim("c5", "000", "dependence", qualifiers=(("duration", "long-term use"),)),
        claim("c6", "004", "addiction", polarity="negated", qualifiers=(("duration", "short term use"),)),
    ])
    assert by_flag(flags, "contradicted") == {}


def test_same_amount_level_or_unrecognised_amount_text_conflicts():
    flags, _ = run([
        claim("c1", "001", "sedation", qualifiers=(("amount", "high doses"),)),
        claim("c2", "002", "sedation", polarity="negated", qualifiers=(("amount", "low doses"),)),
        claim("c3", "003", "drowsiness", polarity="negated", qualifiers=(("amount", "large amounts"),)),
        claim("c4", "004", "sedation", polarity="negated", qualifiers=(("amount", "a few grams"),)),
    ])
    got = by_flag(flags, "contradicted")
    assert {cid: r["related_claim_ids"] for cid, r in got.items()} == {
        "c1": ["c3", "c4"], "c3": ["c1"], "c4": ["c1"],
    }


def test_generic_side_effects_subsume_every_side_effect():
    """A blanket denial opposes every affirmed side effect of its subject and carries ONE
    flag listing them (issue 18); the specific side effects are not flagged by it."""
    flags, groups = run([
        claim("c5", "001", "side effects", polarity="negated", text="without intense side effects"),
        claim("c6", "002", "nausea", text="side effects such as nausea"),
        claim("c3", "003", "sedation", text="higher amounts can lead to sedation",
              qualifiers=(("amount", "higher amounts"),)),
        claim("c7", "003", "adverse effects", text="may have adverse side effects"),
        claim("c8", "004", "nausea", polarity="negated", text="does not cause nausea"),
        claim("c9", "004", "pain", predicate="TREATS"),
    ])
    got = {cid: (r["reason"], r["severity"], r["related_claim_ids"], r["related_doc_ids"])
           for cid, r in by_flag(flags, "contradicted").items()}
    assert got == {
        "c5": ('Denies that kratom CAUSES side effects; 003 (003.txt) asserts that kratom CAUSES '
               'sedation ("side effects" covers every side effect): "higher amounts can lead to '
               'sedation". 3 opposing claims in 2 documents.', "high", ["c3", "c6", "c7"],
               ["002", "003"]),
        # c6 is contradicted by the specific denial c8 only; c3 (sedation) is opposed by nothing but the
        # blanket denial, so it carries no flag
        "c6": ('Asserts that kratom CAUSES nausea; 004 (004.txt) denies that kratom CAUSES nausea: '
               '"does not cause nausea".', "high", ["c8"], ["004"]),
        # "adverse effects" is in the group "side effects" itself: an ordinary same-group conflict
        "c7": ('Asserts that kratom CAUSES adverse effects; 001 (001.txt) denies that kratom CAUSES '
               'side effects (same group "side effects"): "without intense side effects".',
               "high", ["c5"], ["001"]),
        # a negated specific side effect does not deny side effects in general (c7)
        "c8": ('Denies that kratom CAUSES nausea; 002 (002.txt) asserts that kratom CAUSES nausea: '
               '"side effects such as nausea".', "high", ["c6"], ["002"]),
    }
    assert groups_by_key(groups)["kratom|TREATS|pain"]["verdict"] == "supported"


def test_entities_table_marks_side_effects_missing_from_the_lexicon():
    rows = [claim("c1", "001", "side effects", polarity="negated"),
            claim("c2", "002", "jaundice", object_ent_id="e7")]
    entities = pa.table({"ent_id": ["e7"], "label": ["SIDE_EFFECT"]})
    flags, _ = run(rows)
    assert by_flag(flags, "contradicted") == {}
    flags, _ = run(rows, entities=entities)
    # the entity makes jaundice a side effect the blanket denial opposes; only the denial is flagged
    assert {cid: r["related_claim_ids"] for cid, r in by_flag(flags, "contradicted").items()} == {
        "c1": ["c2"]}


def test_relative_negation_is_a_weak_one_sided_contradiction():
    flags, groups = run([
        claim("c7", "000", "addiction", polarity="negated", text="without the same level of addiction risk",
              qualifiers=(("comparator", "traditional opiates"),)),
        DEPENDENCE_002,
    ])
    got = by_flag(flags, "contradicted")
    assert list(got) == ["c7"]
    assert (got["c7"]["reason"], got["c7"]["severity"], got["c7"]["score"], got["c7"]["related_claim_ids"]) == (
        'Denies that kratom CAUSES addiction only relatively ("same level of addiction", compared with '
        'traditional opiates); 002 (002.txt) asserts that kratom CAUSES dependence (same group '
        '"dependence"): "the potential for dependence and withdrawal". A comparison is a weak '
        'contradiction.', "low", 0.2, ["c2"])
    verdicts = {k: r["verdict"] for k, r in groups_by_key(groups).items()}
    assert verdicts == {"kratom|CAUSES|addiction": "contradicted", "kratom|CAUSES|dependence": "supported"}


# sentences of the seed articles, with the qualifiers the claim extractor attaches to every claim
SAME_LEVEL = ("Its effects are believed to stem from its interaction with the brain\u2019s opioid receptors, "
              "providing pain relief similar to that of traditional opiates but without the same level of "
              "addiction risk.")
MILDER = ("This mechanism of action is similar to that of opioid drugs, but kratom is often touted as a safer "
          "alternative due to its milder side effects and lower risk of respiratory depression.")
NO_INTENSE = ("Many users report improved symptoms, well-being, and increased daily functionality without "
              "intense side effects.")


def test_relative_cue_must_grade_the_object_mention():
    degree = (("degree", "the same level of"), ("comparator", "traditional opiates"))
    milder = (("degree", "milder"), ("degree", "lower risk"))
    flags, _ = run([
        claim("r1", "000", "addiction", polarity="negated", text=SAME_LEVEL, qualifiers=degree),
        claim("r2", "000", "pain", predicate="TREATS", text=SAME_LEVEL, qualifiers=degree),
        claim("r3", "004", "side effects", text=MILDER, qualifiers=milder),
        claim("r4", "004", "respiratory depression", text=MILDER, qualifiers=milder),
        claim("n1", "001", "side effects", polarity="negated", text=NO_INTENSE),
        claim("n2", "002", "pain", predicate="TREATS", polarity="negated", text="kratom does not relieve pain"),
        claim("a1", "003", "dependence", text="the risk of developing dependence or tolerance"),
    ])
    got = {cid: (r["severity"], r["related_claim_ids"], r["reason"].split(";")[0])
           for cid, r in by_flag(flags, "contradicted").items()}
    assert got == {
        # graded: weak, and they flag nothing else (n1 is opposed by a1's dependence only)
        "r1": ("low", ["a1"], 'Denies that kratom CAUSES addiction only relatively ("same level of addiction", '
                              'compared with traditional opiates)'),
        "r3": ("low", ["n1"], 'Asserts that kratom CAUSES side effects only relatively ("milder side effects")'),
        # r4 (respiratory depression) and a1 (dependence) are specific side effects opposed only by n1's
        # blanket denial: since issue 18 the denial alone carries that flag
        # the degree qualifier of the sentence does not grade "pain": an ordinary conflict
        "r2": ("high", ["n2"], "Asserts that kratom TREATS pain"),
        "n2": ("high", ["r2"], "Denies that kratom TREATS pain"),
        "n1": ("high", ["a1"], "Denies that kratom CAUSES side effects"),
    }


def test_quotes_are_centred_on_the_object_mention():
    limit = ("Users should be cautious not to exceed the upper limit of 12 to 15 grams within a 24-hour "
             "period, as higher doses can intensify side effects and lead to adverse reactions.")
    flags, _ = run([claim("c1", "002", "adverse reactions", text=limit),
                    claim("c2", "001", "side effects", polarity="negated", text=NO_INTENSE)],
                   settings=FlagSettings(quote_chars=60))
    got = by_flag(flags, "contradicted")
    assert got["c2"]["reason"] == (
        'Denies that kratom CAUSES side effects; 002 (002.txt) asserts that kratom CAUSES adverse reactions '
        '(same group "side effects"): "\u2026can intensify side effects and lead to adverse reactions.".')
    assert got["c1"]["reason"] == (
        'Asserts that kratom CAUSES adverse reactions; 001 (001.txt) denies that kratom CAUSES side effects '
        '(same group "side effects"): "\u2026increased daily functionality without intense side effects.".')
    middle = ("Several case reports from poison control centres link heavy kratom use to respiratory depression "
              "in rare cases, although most of them also involve other substances taken at the same time.")
    flags, _ = run([claim("c3", "003", "respiratory depression", text=middle),
                    claim("c4", "004", "respiratory depression", polarity="negated")],
                   settings=FlagSettings(quote_chars=60))
    assert by_flag(flags, "contradicted")["c4"]["reason"] == (
        'Denies that kratom CAUSES respiratory depression; 003 (003.txt) asserts that kratom CAUSES '
        'respiratory depression: "\u2026heavy kratom use to respiratory depression in rare cases\u2026".')


def test_same_polarity_other_subject_or_predicate_do_not_conflict():
    flags, _ = run([
        claim("c1", "000", "nausea"),
        claim("c2", "001", "nausea"),
        claim("c3", "002", "nausea", subject="mitragynine", polarity="negated"),
        claim("c4", "003", "nausea", predicate="TREATS", polarity="negated"),
    ])
    assert by_flag(flags, "contradicted") == {}


def test_conflict_inside_one_document_is_low():
    flags, _ = run([claim("c1", "000", "dependence", text="kratom can cause dependence"),
                    claim("c2", "000", "addiction", polarity="negated", text="kratom is not addictive")])
    got = {cid: (r["reason"], r["severity"], r["score"]) for cid, r in by_flag(flags, "contradicted").items()}
    assert got == {
        "c1": ('Asserts that kratom CAUSES dependence; the same document denies that kratom CAUSES '
               'addiction (same group "dependence"): "kratom is not addictive".', "low", 0.3),
        "c2": ('Denies that kratom CAUSES addiction; the same document asserts that kratom CAUSES '
               'dependence (same group "dependence"): "kratom can cause dependence".', "low", 0.3),
    }


def test_representative_prefers_an_asserted_claim_from_another_source():
    flags, _ = run([
        claim("c1", "000", "nausea", polarity="negated"),
        claim("a1", "000", "nausea", text="kratom causes nausea here"),           # same document
        claim("a2", "001", "nausea", text="kratom might cause nausea", hedged=True),
        claim("a3", "002", "nausea", text="kratom causes nausea"),
    ])
    row = by_flag(flags, "contradicted")["c1"]
    assert row["reason"] == ('Denies that kratom CAUSES nausea; 002 (002.txt) asserts that kratom CAUSES '
                             'nausea: "kratom causes nausea". 3 opposing claims in 3 documents.')
    assert row["severity"] == "high"
    assert row["related_claim_ids"] == ["a1", "a2", "a3"]


def test_related_ids_are_capped_and_the_reason_has_the_count():
    rows = [claim(f"a{k:02d}", f"d{k:02d}", "nausea") for k in range(25)]
    rows.append(claim("n1", "x", "nausea", polarity="negated"))
    flags, _ = run(rows, docs=documents_table({}))
    row = by_flag(flags, "contradicted")["n1"]
    assert row["related_claim_ids"] == [f"a{k:02d}" for k in range(20)]
    assert row["related_doc_ids"] == [f"d{k:02d}" for k in range(20)]
    assert row["reason"] == ('Denies that kratom CAUSES nausea; d00 asserts that kratom CAUSES nausea: '
                             '"kratom causes nausea". 25 opposing claims in 25 documents.')
    flags, _ = run(rows, docs=documents_table({}), settings=FlagSettings(max_related=3))
    assert by_flag(flags, "contradicted")["n1"]["related_claim_ids"] == ["a00", "a01", "a02"]


def _denials_against(n_affirming: int, n_denying: int):
    rows = [claim(f"a{k}", f"{k:03d}", "withdrawal", text="Stopping kratom brings withdrawal for weeks.")
            for k in range(n_affirming)]
    rows += [claim(f"n{k}", f"{100 + k:03d}", "withdrawal", polarity="negated",
                   text="It is hard to stop without withdrawal.") for k in range(n_denying)]
    flags, _ = run(rows)
    return sorted(by_flag(flags, "contradicted"))


def test_two_misread_denials_do_not_flag_six_sources():
    """6 documents affirm, 2 deny: the affirming side has 3 times as many documents, so only the denials
    are flagged (each lists the affirmations it opposes)."""
    assert _denials_against(6, 2) == ["n0", "n1"]


def test_opposition_in_proportion_flags_both_sides():
    """4 documents against 2 is no overwhelming majority: every claim of both sides is flagged."""
    assert _denials_against(4, 2) == ["a0", "a1", "a2", "a3", "n0", "n1"]
    # a lone denial against 3 documents flags the denial only, as before
    assert _denials_against(3, 1) == ["n0"]


def test_a_denial_read_from_advice_takes_no_part():
    flags, _ = run([
        claim("c1", "001", "salmonella", text="Several kratom powders were contaminated with salmonella."),
        claim("c2", "002", "salmonella", polarity="negated",
              text="The agency recommends that people not consume kratom in any form because of salmonella."),
        claim("c3", "003", "nausea", polarity="negated", text="You should never mix kratom with alcohol."),
        claim("c4", "004", "nausea", text="Kratom often causes nausea in new users."),
    ])
    assert by_flag(flags, "contradicted") == {}


def test_an_affirmed_claim_inside_advice_still_takes_part():
    flags, _ = run([
        claim("c1", "001", "nausea", text="Users should not exceed 5 grams, as higher doses cause nausea."),
        claim("c2", "002", "nausea", polarity="negated", text="Kratom does not cause nausea."),
    ])
    assert sorted(by_flag(flags, "contradicted")) == ["c1", "c2"]


def test_comparisons_never_contradict():
    flags, _ = run([
        claim("c1", "001", "opioids", predicate="SAFER_THAN", text="Kratom is safer than opioids."),
        claim("c2", "002", "opioids", predicate="SAFER_THAN", polarity="negated",
              text="Kratom is not safer than opioids."),
    ])
    assert by_flag(flags, "contradicted") == {}
