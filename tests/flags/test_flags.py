"""Tests of claimex.flags: hedged / contradicted / unsupported flags and claim groups."""

from __future__ import annotations

import hashlib
import json
import random

import pyarrow as pa
import pytest
from builders import SEED, documents_table, sentences_table

from claimex import schema
from claimex.errors import ClaimexError
from claimex.flags import ClaimGroupLexicon, FlagSettings, flag_claims

NO_CITE = "Cites nothing: no link, reference, DOI, PMID or named study."


# --------------------------------------------------------------------------- builders

def claim(claim_id: str, doc_id: str, obj: str, *, polarity: str = "affirmed",
          predicate: str = "CAUSES", subject: str = "kratom", text: str | None = None,
          qualifiers: tuple[tuple[str, str], ...] = (), hedged: bool = False,
          hedge_cues: tuple[str, ...] = (), certainty: str = "asserted",
          attribution: str = "author", evidence: str = "citation",
          dose: tuple | None = None, sent_id: str | None = None,
          object_ent_id: str | None = None) -> dict:
    """A claims row with defaults for every column (asserted, cited, unqualified)."""
    dmin, dmax, unit, period = dose or (None, None, None, None)
    text = text or f"{subject} {predicate.lower()} {obj}"
    return {
        "claim_id": claim_id, "doc_id": doc_id, "sent_id": sent_id or f"{doc_id}:{claim_id}",
        "start_char": 0, "end_char": len(text), "text": text,
        "subject": subject, "predicate": predicate, "object": obj,
        "subject_text": subject, "object_text": obj, "subject_ent_id": None,
        "object_ent_id": object_ent_id, "polarity": polarity, "hedged": hedged,
        "hedge_cues": list(hedge_cues), "certainty": certainty, "attribution": attribution,
        "evidence": evidence, "qualifiers": [{"kind": k, "text": t} for k, t in qualifiers],
        "dose_min": dmin, "dose_max": dmax, "dose_unit": unit, "dose_period": period,
        "claim_key": f"{subject}|{predicate}|{obj}",
    }


def run(rows: list[dict], docs: pa.Table | None = None, sentences: pa.Table | None = None, **kw):
    claims = pa.Table.from_pylist(rows, schema=schema.CLAIMS)
    return flag_claims(claims, documents_table() if docs is None else docs, sentences, **kw)


def by_flag(flags: pa.Table, kind: str) -> dict[str, dict]:
    return {r["claim_id"]: r for r in flags.to_pylist() if r["flag"] == kind}


def groups_by_key(groups: pa.Table) -> dict[str, dict]:
    return {r["claim_key"]: r for r in groups.to_pylist()}


def fid(claim_id: str, flag: str) -> str:
    return hashlib.sha256(f"{claim_id}|{flag}".encode()).hexdigest()[:16]


def copy_of(text: str) -> str:
    old = "The standard recommended starting dose is around 1 to 5 grams"
    assert old in text
    return text.replace(old, "Most guides suggest starting with about 1 to 5 grams")


# --------------------------------------------------------------------------- hedged

def test_hedged_flag_names_the_cues():
    flags, _ = run([claim("c1", "000", "fibromyalgia", predicate="TREATS", hedged=True,
                          hedge_cues=("may", "potentially", "may"), certainty="possible")])
    assert flags.to_pylist() == [{
        "flag_id": fid("c1", "hedged"), "claim_id": "c1", "doc_id": "000", "sent_id": "000:c1",
        "claim_key": "kratom|TREATS|fibromyalgia", "flag": "hedged",
        "reason": 'Hedged with "may", "potentially": the source does not assert that kratom '
                  'TREATS fibromyalgia.',
        "related_claim_ids": [], "related_doc_ids": [], "severity": "medium", "score": 0.5,
    }]


def test_hedged_by_certainty_alone_and_negated_hedges():
    flags, _ = run([
        claim("c1", "000", "arthritis", predicate="TREATS", certainty="speculative"),
        claim("c2", "000", "anxiety", predicate="TREATS", certainty="probable"),
        claim("c3", "001", "nausea", polarity="negated", hedged=True, hedge_cues=("might",),
              certainty="possible"),
        claim("c4", "001", "pain", predicate="TREATS", hedged=True),  # hedged, certainty asserted
        claim("c5", "002", "pain", predicate="TREATS"),                # not hedged: no flag
    ])
    got = {cid: (r["reason"], r["severity"], r["score"]) for cid, r in by_flag(flags, "hedged").items()}
    assert got == {
        "c1": ("Stated as speculative: the source does not assert that kratom TREATS arthritis.",
               "high", 0.7),
        "c2": ("Stated as probable: the source does not assert that kratom TREATS anxiety.", "low", 0.3),
        "c3": ('Hedged with "might": the source does not firmly deny that kratom CAUSES nausea.',
               "medium", 0.5),
        "c4": ("Stated as asserted: the source does not assert that kratom TREATS pain.", "low", 0.3),
    }


# --------------------------------------------------------------------------- contradicted

ADDICTION_000 = claim(
    "c1", "000", "addiction", polarity="negated",
    text="without the addictive risks of prescription opioids",
    qualifiers=(("comparator", "prescription opioids"),), hedged=True,
    hedge_cues=("may", "potentially"), certainty="possible")
DEPENDENCE_002 = claim("c2", "002", "dependence", text="the potential for dependence and withdrawal")


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


# --------------------------------------------------------------------------- doses

MODERATE_003 = claim("c8", "003", "dose", predicate="DOSAGE",
                     text="a moderate dose of kratom, ranging between 5 to 15 grams",
                     qualifiers=(("amount", "moderate dose"),), dose=(5.0, 15.0, "g", None))
LIMIT_002 = claim("c9", "002", "dose", predicate="DOSAGE",
                  text="not to exceed the upper limit of 12 to 15 grams within a 24-hour period",
                  dose=(12.0, 15.0, "g", "within a 24-hour period"))
START_002 = claim("c10", "002", "dose", predicate="DOSAGE",
                  text="The standard recommended starting dose is around 1 to 5 grams",
                  dose=(1.0, 5.0, "g", None))


def test_moderate_dose_reaching_an_upper_limit():
    flags, _ = run([MODERATE_003, LIMIT_002, START_002])
    got = {cid: (r["reason"], r["severity"], r["related_claim_ids"], r["related_doc_ids"])
           for cid, r in by_flag(flags, "contradicted").items()}
    assert got == {
        "c8": ('Says "a moderate dose of kratom, ranging between 5 to 15 grams" (5\u201315 g); 002 '
               '(002.txt) gives an upper limit of 12\u201315 g within a 24-hour period.',
               "high", ["c9"], ["002"]),
        "c9": ('Gives an upper limit of 12\u201315 g within a 24-hour period; 003 (003.txt) says "a '
               'moderate dose of kratom, ranging between 5 to 15 grams" (5\u201315 g), which reaches it.',
               "high", ["c8"], ["003"]),
    }


def test_starting_dose_above_a_maximum_with_unit_conversion():
    flags, _ = run([
        claim("c1", "000", "dose", predicate="DOSAGE", text="no more than 15 grams a day",
              dose=(15.0, 15.0, "g", "a day")),
        claim("c2", "001", "dose", predicate="DOSAGE", text="a starting dose of 20000 mg",
              dose=(20000.0, None, "mg", None)),
        claim("c3", "003", "dose", predicate="DOSAGE", text="start with 500 mg", dose=(500.0, None, "mg", None)),
        claim("c4", "004", "dose", predicate="DOSAGE", text="high doses of 25 g cause sedation",
              dose=(25.0, None, "g", None)),
        claim("c5", "002", "dose", predicate="DOSAGE", text="take 20 g", dose=(20.0, None, "g", "per week")),
        claim("c6", "002", "dose", predicate="DOSAGE", text="take 4 capsules", dose=(4.0, None, "capsules", None)),
    ])
    got = {cid: r["reason"] for cid, r in by_flag(flags, "contradicted").items()}
    assert got == {
        "c1": 'Gives an upper limit of 15 g a day; 001 (001.txt) says "a starting dose of 20000 mg" '
              '(20000 mg), which reaches it.',
        "c2": 'Says "a starting dose of 20000 mg" (20000 mg); 000 (000.txt) gives an upper limit of 15 g a day.',
    }


def test_dose_conflict_inside_one_document_is_low_and_merges_with_polarity_conflicts():
    flags, _ = run([
        claim("c1", "002", "dose", predicate="DOSAGE", text="the maximum is 10 g", dose=(10.0, None, "g", None)),
        claim("c2", "002", "dose", predicate="DOSAGE", text="take 12 g", dose=(12.0, None, "g", None),
              hedged=True, hedge_cues=("may",), certainty="possible"),
        claim("c3", "003", "dose", predicate="DOSAGE", polarity="negated", text="there is no safe dose"),
    ])
    got = by_flag(flags, "contradicted")
    assert (got["c2"]["reason"], got["c2"]["severity"], got["c2"]["score"], got["c2"]["related_claim_ids"],
            got["c2"]["related_doc_ids"]) == (
        'Asserts that kratom DOSAGE dose; 003 (003.txt) denies that kratom DOSAGE dose: "there is no safe '
        'dose". Says "take 12 g" (12 g); the same document gives an upper limit of 10 g.',
        "medium", 0.6, ["c1", "c3"], ["002", "003"])
    assert got["c1"]["reason"].endswith(
        'Gives an upper limit of 10 g; the same document says "take 12 g" (12 g), which reaches it.')


# --------------------------------------------------------------------------- unsupported

def test_unsupported_reasons_by_evidence():
    flags, _ = run([
        claim("c1", "000", "pain", predicate="TREATS", evidence="anecdote", attribution="users"),
        claim("c2", "001", "arthritis", predicate="TREATS", evidence="vague-appeal", attribution="research"),
        claim("c3", "002", "anxiety", predicate="TREATS", evidence="none"),
        claim("c4", "003", "mood", predicate="TREATS", evidence="citation"),
        claim("c5", "004", "sleep", predicate="TREATS", evidence="study-reference"),
    ])
    got = {cid: (r["reason"], r["severity"], r["score"], r["related_claim_ids"])
           for cid, r in by_flag(flags, "unsupported").items()}
    # unhedged TREATS claims are claims of benefit: +0.1 (issue 18); high with nothing or anecdote
    # behind them, medium for a vague appeal
    assert got == {
        "c1": ("Rests on anecdote (users report): no link, reference, DOI, PMID or named study. "
               "No other claim states it.", "high", 0.8, []),
        "c2": ("Appeals to research without naming a study: no link, reference, DOI or PMID. "
               "No other claim states it.", "medium", 0.7, []),
        "c3": (f"{NO_CITE} No other claim states it.", "high", 0.9, []),
    }


def test_copies_do_not_corroborate_but_independent_sources_do():
    docs = documents_table({"002": SEED["002"], "005": copy_of(SEED["002"]), "003": SEED["003"]})
    rows = [claim("c1", "002", "nausea", evidence="none"), claim("c2", "005", "nausea", evidence="none")]
    flags, groups = run(rows, docs=docs)
    got = by_flag(flags, "unsupported")
    assert (got["c1"]["reason"], got["c1"]["severity"], got["c1"]["score"], got["c1"]["related_claim_ids"],
            got["c1"]["related_doc_ids"]) == (
        f"{NO_CITE} Repeated by 1 other claim, but by no other independent source (repeats within a "
        f"document and copies count once).", "low", 0.8, ["c2"], ["005"])  # a harm (CAUSES): low since issue 18
    row = groups_by_key(groups)["kratom|CAUSES|nausea"]
    assert (row["n_sources"], row["n_independent_sources"], row["verdict"]) == (2, 1, "unsupported")

    flags, groups = run(rows + [claim("c3", "003", "nausea", evidence="none")], docs=docs)
    got = by_flag(flags, "unsupported")
    assert (got["c3"]["reason"], got["c3"]["severity"], got["c3"]["score"]) == (
        f"{NO_CITE} Also stated by 2 other claims from 1 other independent source.", "medium", 0.6)  # one other source
    row = groups_by_key(groups)["kratom|CAUSES|nausea"]
    assert (row["n_sources"], row["n_independent_sources"], row["verdict"]) == (3, 2, "supported")


def test_near_duplicate_documents_conflict_at_low_severity():
    docs = documents_table({"002": SEED["002"], "005": copy_of(SEED["002"])})
    flags, _ = run([claim("c1", "002", "nausea"), claim("c2", "005", "nausea", polarity="negated")], docs=docs)
    assert {cid: r["severity"] for cid, r in by_flag(flags, "contradicted").items()} == {"c1": "low", "c2": "low"}


def test_verbatim_shared_sentence_counts_once():
    shared = "Kratom can lead to dependence in regular users over time."
    sentences = sentences_table([("000", "000:1", shared), ("001", "001:4", shared),
                                 ("003", "003:2", "Long-term use can lead to dependence.")])
    rows = [claim("c1", "000", "dependence", sent_id="000:1", evidence="none"),
            claim("c2", "001", "dependence", sent_id="001:4", evidence="none")]
    _, groups = run(rows, sentences=sentences)
    row = groups_by_key(groups)["kratom|CAUSES|dependence"]
    assert (row["n_sources"], row["n_independent_sources"], row["verdict"]) == (2, 1, "unsupported")
    _, groups = run(rows)  # without the sentences table the copy is not seen
    row = groups_by_key(groups)["kratom|CAUSES|dependence"]
    assert (row["n_sources"], row["n_independent_sources"], row["verdict"]) == (2, 2, "supported")
    _, groups = run(rows + [claim("c3", "003", "dependence", sent_id="003:2", evidence="none")],
                    sentences=sentences)
    row = groups_by_key(groups)["kratom|CAUSES|dependence"]
    assert (row["n_sources"], row["n_independent_sources"], row["verdict"]) == (3, 2, "supported")


# --------------------------------------------------------------------------- claim groups

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
    assert rows["kratom|TREATS|fibromyalgia"] == {
        "claim_key": "kratom|TREATS|fibromyalgia", "group_key": "kratom|TREATS|fibromyalgia",
        "subject": "kratom", "predicate": "TREATS", "object": "fibromyalgia", "n_claims": 4,
        "n_sources": 3, "n_independent_sources": 3, "n_affirming": 2, "n_negating": 1, "n_hedging": 2,
        "doc_ids": ["001", "003", "004"], "flags": ["contradicted", "hedged", "overstated", "unsupported"],
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


# --------------------------------------------------------------------------- tables

def corpus_rows() -> list[dict]:
    return [ADDICTION_000, DEPENDENCE_002, MODERATE_003, LIMIT_002, START_002,
            claim("c5", "001", "side effects", polarity="negated", evidence="anecdote", attribution="users"),
            claim("c6", "002", "nausea", evidence="none", hedged=True, certainty="probable"),
            claim("c11", "001", "chronic pain", predicate="TREATS", evidence="vague-appeal",
                  attribution="research"),
            claim("c12", "003", "chronic pain", predicate="TREATS", evidence="none"),
            claim("c13", "004", "sedation", polarity="negated", qualifiers=(("amount", "low doses"),))]


def test_output_schemas_and_row_order():
    flags, groups = run(corpus_rows())
    assert flags.schema.equals(schema.FLAGS, check_metadata=True)
    assert groups.schema.equals(schema.CLAIM_GROUPS, check_metadata=True)
    keys = [(r["doc_id"], r["sent_id"], r["claim_id"], r["flag"]) for r in flags.to_pylist()]
    assert keys == sorted(keys)
    # 11 since issue 18: c6 (nausea) is no longer contradicted by c5's blanket denial of side effects
    assert len(set(flags.column("flag_id").to_pylist())) == flags.num_rows == 11
    assert groups.column("claim_key").to_pylist() == sorted(set(r["claim_key"] for r in corpus_rows()))


def test_shuffled_input_gives_identical_tables():
    rows = corpus_rows()
    claims = pa.Table.from_pylist(rows, schema=schema.CLAIMS)
    order = list(range(len(rows)))
    random.Random(7).shuffle(order)
    first = flag_claims(claims, documents_table())
    second = flag_claims(claims.take(order), documents_table().take([4, 2, 0, 3, 1]))
    assert order != sorted(order)
    assert first[0].equals(second[0]) and first[1].equals(second[1])


def test_flags_sink_gets_the_table_in_batches(monkeypatch):
    """With a sink the rows arrive in record batches of FLAG_BATCH_ROWS, in table order."""
    from claimex.flags import stage

    claims = pa.Table.from_pylist(corpus_rows(), schema=schema.CLAIMS)
    whole, groups = flag_claims(claims, documents_table())
    monkeypatch.setattr(stage, "FLAG_BATCH_ROWS", 5)
    batches = []
    streamed, streamed_groups = flag_claims(claims, documents_table(), flags_sink=batches.append)
    assert streamed is None
    assert [b.num_rows for b in batches] == [5, 5, 1]  # 11 flags (see test_output_schemas_and_row_order)
    assert pa.Table.from_batches(batches, schema=schema.FLAGS).equals(whole)
    assert streamed_groups.equals(groups)
    # and without a sink, small batches give the same table as one batch
    assert flag_claims(claims, documents_table())[0].equals(whole)


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


def test_empty_claims_with_a_sink_call_it_never():
    batches = []
    flags, groups = run([], flags_sink=batches.append)
    assert flags is None and batches == [] and groups.num_rows == 0


def test_string_columns_share_equal_values():
    from claimex.store.tables import column_values as _pylist

    column = pa.chunked_array([["kratom", "pain", None], ["kratom", "pain"]])
    values = _pylist(column)
    assert values == ["kratom", "pain", None, "kratom", "pain"]
    assert values[0] is values[3] and values[1] is values[4]
    coded = pa.array(["b", "a", "b"]).dictionary_encode()
    assert _pylist(coded) == ["b", "a", "b"]
    assert _pylist(pa.array([1, None, 3])) == [1, None, 3]


def test_empty_claims_give_empty_tables():
    flags, groups = run([])
    assert flags.num_rows == groups.num_rows == 0
    assert flags.schema.equals(schema.FLAGS, check_metadata=True)
    assert groups.schema.equals(schema.CLAIM_GROUPS, check_metadata=True)


# --------------------------------------------------------------------------- errors, settings, lexicon

def test_input_errors():
    claims = pa.Table.from_pylist([DEPENDENCE_002], schema=schema.CLAIMS)
    with pytest.raises(ClaimexError, match=r"^\[E060\] claims table is missing columns: polarity "):
        flag_claims(claims.drop_columns(["polarity"]), documents_table())
    bad = dict(DEPENDENCE_002, polarity="uncertain")
    with pytest.raises(ClaimexError, match=r"^\[E061\] claims table: column 'polarity' has value "
                                           r"'uncertain' \(row 1\); expected one of affirmed, negated\.$"):
        run([ADDICTION_000, bad])
    with pytest.raises(ClaimexError, match=r"^\[E063\] claims table: claim_id 'c2' occurs 2 times"):
        run([DEPENDENCE_002, DEPENDENCE_002])
    with pytest.raises(ClaimexError, match=r"^\[E064\] Flag setting max_related=0 is invalid"):
        run([DEPENDENCE_002], settings=FlagSettings(max_related=0))


def test_settings_round_trip():
    settings = FlagSettings(minhash_threshold=0.9, max_related=5)
    assert FlagSettings.from_dict(settings.to_dict()) == settings
    with pytest.raises(ClaimexError, match=r"^\[E064\] Flag setting colour='red' is invalid"):
        FlagSettings.from_dict({"colour": "red"})


def test_packaged_lexicon_groups():
    lex = ClaimGroupLexicon.default()
    assert [lex.group_of(o) for o in ("Addiction", "dependency", "abuse potential",
                                      "psychological dependence", "sedative effects", "drowsiness",
                                      "adverse reactions", "kidney stones")] == [
        "dependence", "dependence", "dependence", "dependence", "sedation", "sedation",
        "side effects", "kidney stones"]
    assert lex.generic_group == "side effects"
    assert {"dependence", "sedation", "nausea", "side effects"} <= lex.side_effect_groups
    assert "pain" not in lex.side_effect_groups
    assert lex.level("amount", "Higher amounts") == ("amount", "high")
    assert lex.level("dose", "low-dose") == ("amount", "low")
    assert lex.level("duration", "long-term use") == ("duration", "long")
    assert lex.level("population", "older adults") is None
    assert lex.dose_role("not to exceed the upper limit of 12 to 15 grams; higher doses") == "limit"
    assert lex.dose_role("The standard recommended starting dose") == "starting"
    assert lex.dose_role("a moderate dose") == "recommended"
    assert (lex.unit("mg"), lex.unit("grams"), lex.unit("ml")) == (("g", 0.001), ("g", 1.0), ("ml", 1.0))
    assert [lex.period(p) for p in (None, "per day", "within a 24-hour period", "24 hours", "weekly")] == [
        "day", "day", "day", "day", "week"]


def test_lexicon_file_errors_name_the_file_and_line(tmp_path):
    path = tmp_path / "groups.jsonl"
    path.write_text('{"type": "group", "group": "a", "members": ["x"]}\n\n'
                    '{"type": "group", "group": "b", "members": ["X"]}\n', encoding="utf-8")
    with pytest.raises(ClaimexError, match=rf"^\[E062\] {path}: line 3: claim-group entry is invalid "
                                           rf"\('X' is already in group 'a'\)"):
        ClaimGroupLexicon.from_jsonl(path)
    path.write_text('{"type": "group", "group": "a", "members": ["x"]}\n{oops\n', encoding="utf-8")
    with pytest.raises(ClaimexError, match=rf"^\[E062\] {path}: line 2: .*malformed JSON"):
        ClaimGroupLexicon.from_jsonl(path)
    path.write_text('{"type": "synonyms"}\n', encoding="utf-8")
    with pytest.raises(ClaimexError, match=r"line 1: .*unknown type 'synonyms'"):
        ClaimGroupLexicon.from_jsonl(path)


def test_custom_lexicon_file_is_used(tmp_path):
    path = tmp_path / "groups.jsonl"
    records = [{"type": "group", "group": "harm", "members": ["nausea", "vomiting"]}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    lex = ClaimGroupLexicon.from_jsonl(path)
    lex.to_jsonl(tmp_path / "copy.jsonl")
    assert ClaimGroupLexicon.from_jsonl(tmp_path / "copy.jsonl").to_records() == records
    rows = [claim("c1", "000", "nausea"), claim("c2", "001", "vomiting", polarity="negated")]
    flags, groups = run(rows, settings=FlagSettings(lexicon_path=str(path)))
    assert sorted(by_flag(flags, "contradicted")) == ["c1", "c2"]
    assert groups.column("group_key").to_pylist() == ["kratom|CAUSES|harm", "kratom|CAUSES|harm"]
    flags, _ = run(rows)  # the packaged lexicon keeps nausea and vomiting apart
    assert by_flag(flags, "contradicted") == {}


def test_claim_flagger_round_trip(tmp_path):
    from claimex.flags import ClaimFlagger

    claims = pa.Table.from_pylist([ADDICTION_000, DEPENDENCE_002], schema=schema.CLAIMS)
    with pytest.raises(ClaimexError, match=r"^\[E040\] Component 'claimex_flags' was used before"):
        ClaimFlagger()(claims, documents_table())
    flagger = ClaimFlagger(settings=FlagSettings(max_related=1)).initialize()
    expected = flagger(claims, documents_table())
    assert expected == flag_claims(claims, documents_table(), settings=FlagSettings(max_related=1))
    flagger.to_disk(tmp_path / "flags")
    assert sorted(p.name for p in (tmp_path / "flags").iterdir()) == ["claim_groups.jsonl", "settings.json"]
    loaded = ClaimFlagger().from_disk(tmp_path / "flags")
    assert loaded.settings == FlagSettings(max_related=1)
    result = loaded(claims, documents_table())
    assert result[0].equals(expected[0]) and result[1].equals(expected[1])


def test_overstated_flags_join_the_flags_table_in_order():
    flags, groups = run([
        claim("c1", "001", "fibromyalgia", predicate="TREATS", evidence="none"),
        claim("c2", "003", "fibromyalgia", predicate="TREATS", evidence="none", hedged=True,
              hedge_cues=("may",), certainty="possible"),
    ])
    rows = flags.to_pylist()
    assert [(r["claim_id"], r["flag"]) for r in rows] == [
        ("c1", "overstated"), ("c1", "unsupported"), ("c2", "hedged"), ("c2", "unsupported")]
    over = rows[0]
    assert (over["related_claim_ids"], over["related_doc_ids"]) == (["c2"], ["003"])
    assert groups.to_pylist()[0]["flags"] == ["hedged", "overstated", "unsupported"]
