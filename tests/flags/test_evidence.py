"""Evidence per claim and the flags built on it (issue 18, docs/flags.md).

- ``claimex.nlp.claims.sentence_evidence``: the checkable evidence of a sentence (``citation``,
  ``study-reference``, ``authority``) with its character span; vague appeals are no evidence;
- through the pipeline: a sentence reporting a study its paragraph introduced ("The researchers
  found …") inherits that study, with ``evidence_text``/``evidence_start``/``evidence_end`` pointing
  into the earlier sentence of ``documents.text``;
- ``unsupported``: never on a claim with checkable evidence, nor on one an independent source with
  checkable evidence states;
- ``contradicted``: REGULATED claims never take part, a blanket denial carries one flag, and a
  claim stated by three or more documents is not flagged when a single document opposes it.

Every sentence here is written for these tests.
"""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from builders import SEED, documents_table
from flagkit import by_flag, claim, copy_of, run

from claimex.nlp.claims import ClaimRules, sentence_evidence

OFFSET = 1000  # sentence_evidence gives offsets into the Doc: the sentence's start is added


@pytest.fixture(scope="module")
def rules() -> ClaimRules:
    return ClaimRules.default()


def evidence_of(rules: ClaimRules, text: str) -> tuple[str, str] | None:
    """(kind, the evidence as written) for ``text``, checking the span is offset by OFFSET."""
    found = sentence_evidence(text, OFFSET, rules)
    if found is None:
        return None
    kind, (start, end) = found
    assert OFFSET <= start < end <= OFFSET + len(text)
    return kind, text[start - OFFSET:end - OFFSET]


# --------------------------------------------------------------------------- sentence_evidence

@pytest.mark.parametrize("text, span", [
    # bracket and parenthesis references, one or several
    ("Kratom eased back pain in most participants [3].", "[3]"),
    ("Kratom eased back pain in most participants [1][2].", "[1][2]"),
    ("Kratom eased back pain in most participants (6).", "(6)"),
    # a footnote number glued to the word and full stop before it
    ("Many people take turmeric for joint relief.2 Others prefer ginger.", "2"),
    ("Kratom users describe relief.12 Others do not.", "12"),
    # author-year and journal references
    ("Turmeric reduced knee pain (Miller et al., 2018).", "(Miller et al., 2018)"),
    ("Ginger eased nausea in pregnancy (Smith and Jones, 2016).", "(Smith and Jones, 2016)"),
    ("Lee et al. reported that kratom relieved pain.", "Lee et al."),
    ("Turmeric reduced knee pain (Pain Med 2011;12:4–9).", "(Pain Med 2011;12:4–9)"),
    # links, DOI, PMID
    ("The trial is described at https://example.org/kratom-trial in full.", "https://example.org/kratom-trial"),
    ("The trial is described at doi:10.1016/j.drugalcdep.2019.01.002 in full.",
     "doi:10.1016/j.drugalcdep.2019.01.002"),
    ("Ginger eased nausea (PMID: 31234567).", "PMID: 31234567"),
])
def test_citations(rules, text, span):
    assert evidence_of(rules, text) == ("citation", span)


@pytest.mark.parametrize("text, span", [
    # a dated study (the year names it; the journal follows)
    ("A 2019 study in the Journal of Pain Research found that kratom relieved pain.", "A 2019 study in the Journal"),  # the dated study and where it appeared
    ("A trial published in the Journal of Pain Research found relief.", "A trial published in"),
    ("A randomized trial of 120 patients found that ginger reduced nausea.", "A randomized trial of 120"),
    ("A case series from Thailand described liver injury in kratom users.", "A case series from"),
    ("A Cochrane review found little benefit of glucosamine for knee pain.", "Cochrane review"),
    ("A Gallup poll found that many adults take herbal supplements.", "Gallup poll"),
])
def test_named_or_dated_studies(rules, text, span):
    assert evidence_of(rules, text) == ("study-reference", span)


@pytest.mark.parametrize("text, span", [
    ("According to NIDA, kratom can cause dependence.", "According to NIDA"),
    ("The FDA warns that kratom can cause liver damage.", "The FDA warns"),
    ("The FDA has warned that kratom can cause seizures.", "The FDA has warned"),
    ("The WHO reports that kratom is widely used in Southeast Asia.", "The WHO reports"),
])
def test_named_authorities(rules, text, span):
    assert evidence_of(rules, text) == ("authority", span)


@pytest.mark.parametrize("text", [
    # vague appeals and anecdote: nothing a reviewer can check
    "Studies show that kratom relieves pain.",
    "Research suggests that turmeric may reduce inflammation.",
    "Experts say that ginger may ease nausea.",
    "Users report that kratom helps with anxiety.",
    "Researchers found that kratom relieves anxiety.",
    # numbers that are no footnotes
    "Take 2 to 4 grams of kratom daily.",
    "The pain score fell by 3.5 points.",
    "Vitamin B12 supports energy.",
    "Kratom relieves pain, reduces anxiety, and improves mood.",
])
def test_vague_appeals_and_plain_numbers_are_no_evidence(rules, text):
    assert evidence_of(rules, text) is None


@pytest.mark.parametrize("text", ["A study in Nature found that kratom relieved pain.",
                                  "A study in the Lancet found that kratom relieved pain."])
def test_a_study_in_a_named_journal(rules, text):
    found = evidence_of(rules, text)
    assert found is not None and found[0] == "study-reference"


def test_researchers_at_a_named_place_opening_a_sentence(rules):
    found = evidence_of(rules, "Researchers at Stanford found that kratom relieved pain.")
    assert found is not None and found[0] == "study-reference"


def test_checkable_kinds_come_first(rules):
    # a citation in a sentence that also appeals to studies is a citation
    assert evidence_of(rules, "Studies show that kratom relieves pain [7].") == ("citation", "[7]")
    # a study named alongside an authority: study-reference ranks before authority
    assert evidence_of(rules, "According to NIDA, a 2020 survey found frequent use.") == (
        "study-reference", "2020 survey")


# --------------------------------------------------------------------------- through the pipeline

ARTICLE = (
    "Kratom and back pain\n\n"
    "A 2021 trial of 90 adults with chronic back pain compared kratom tea with a placebo drink. "
    "The researchers found that kratom relieved back pain within two weeks. "
    "Kratom also eased neck pain in a few of them.\n\n"
    "Studies show that kratom relieves muscle cramps.\n\n"
    "Kratom eased joint pain in a small group of runners [4]. "
    "According to NIDA, kratom can cause dependence.\n"
)


@pytest.fixture(scope="module")
def article_out(tmp_path_factory):
    from claimex.runner import run_corpus

    raw = tmp_path_factory.mktemp("evidence_raw")
    (raw / "back-pain.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path_factory.mktemp("evidence_out")
    run_corpus([raw], out)
    text = pq.read_table(out / "documents.parquet").column("text")[0].as_py()
    claims = {r["claim_key"]: r for r in pq.read_table(out / "claims.parquet").to_pylist()}
    flags = pq.read_table(out / "flags.parquet").to_pylist()
    return text, claims, flags


def _evidence(row):
    return row["evidence"], row["evidence_text"], row["evidence_start"], row["evidence_end"]


def test_a_study_its_paragraph_introduced_backs_the_sentence_that_reports_it(article_out):
    text, claims, _ = article_out
    row = claims["kratom|TREATS|back pain"]
    assert row["text"] == "The researchers found that kratom relieved back pain within two weeks."
    study = "A 2021 trial of 90"
    first = text.index("A 2021 trial of 90 adults")
    assert _evidence(row) == ("study-reference", study, first, first + len(study))
    # the span is in the paragraph's first sentence, before the claim's own
    assert text[row["evidence_start"]:row["evidence_end"]] == study
    assert row["evidence_end"] <= row["start_char"]


def test_a_sentence_that_does_not_report_the_study_inherits_nothing(article_out):
    _, claims, _ = article_out
    # same paragraph, but no "the researchers"/"the study": its own evidence (none)
    assert _evidence(claims["kratom|TREATS|neck pain"]) == ("none", None, None, None)


def test_own_citation_authority_and_vague_appeal_in_the_claims_table(article_out):
    text, claims, _ = article_out
    cited = claims["kratom|TREATS|joint pain"]
    assert _evidence(cited)[:2] == ("citation", "[4]")
    assert text[cited["evidence_start"]:cited["evidence_end"]] == "[4]"
    assert cited["start_char"] <= cited["evidence_start"] < cited["evidence_end"] <= cited["end_char"]
    nida = claims["kratom|CAUSES|dependence"]
    assert _evidence(nida)[:2] == ("authority", "According to NIDA")
    assert text[nida["evidence_start"]:nida["evidence_end"]] == "According to NIDA"
    # a vague appeal keeps its kind, with no span to quote
    assert _evidence(claims["kratom|TREATS|cramps"]) == ("vague-appeal", None, None, None)


def test_only_the_claims_without_checkable_evidence_are_flagged_unsupported(article_out):
    _, claims, flags = article_out
    by_id = {r["claim_id"]: r["claim_key"] for r in claims.values()}
    unsupported = {by_id[f["claim_id"]]: (f["severity"], f["score"]) for f in flags if f["flag"] == "unsupported"}
    # unhedged claims of benefit: high with nothing behind them, medium for a vague appeal (+0.1 each)
    assert unsupported == {"kratom|TREATS|neck pain": ("high", 0.9), "kratom|TREATS|cramps": ("medium", 0.7)}


# --------------------------------------------------------------------------- unsupported

@pytest.mark.parametrize("evidence", ["citation", "study-reference", "authority"])
def test_a_claim_with_checkable_evidence_is_never_unsupported(evidence):
    flags, groups = run([
        claim("e1", "000", "pain", predicate="TREATS", evidence=evidence),
        claim("e2", "001", "liver damage", evidence=evidence),
        claim("e3", "002", "relaxation", predicate="HAS_EFFECT", evidence=evidence, hedged=True,
              hedge_cues=("may",), certainty="possible"),
        claim("e4", "003", "nausea", polarity="negated", evidence=evidence),
    ])
    assert by_flag(flags, "unsupported") == {}
    assert "unsupported" not in {v for r in groups.to_pylist() for v in r["flags"]}


def test_an_uncited_claim_an_independent_cited_source_states_is_not_unsupported():
    flags, _ = run([claim("u1", "000", "nausea", subject="ginger", predicate="TREATS", evidence="none"),
                    claim("u2", "001", "nausea", subject="ginger", predicate="TREATS", evidence="citation")])
    assert by_flag(flags, "unsupported") == {}
    # the same when the other source names an authority, and for a claim of harm
    flags, _ = run([claim("u1", "000", "seizures", evidence="anecdote", attribution="users"),
                    claim("u2", "003", "seizures", evidence="authority")])
    assert by_flag(flags, "unsupported") == {}


def test_a_cited_copy_a_cited_repeat_or_a_cited_denial_does_not_back_a_claim():
    rows = [claim("u1", "002", "nausea", subject="ginger", predicate="TREATS", evidence="none")]
    # the cited claim is in a near-duplicate of the same document: one source
    docs = documents_table({"002": SEED["002"], "005": copy_of(SEED["002"])})
    flags, _ = run(rows + [claim("u2", "005", "nausea", subject="ginger", predicate="TREATS",
                                 evidence="citation")], docs=docs)
    got = by_flag(flags, "unsupported")
    assert list(got) == ["u1"]
    assert (got["u1"]["severity"], got["u1"]["score"], got["u1"]["related_claim_ids"]) == ("high", 0.9, ["u2"])
    # the cited claim is in the same document
    flags, _ = run(rows + [claim("u2", "002", "nausea", subject="ginger", predicate="TREATS",
                                 evidence="citation")])
    assert list(by_flag(flags, "unsupported")) == ["u1"]
    # the cited claim says the opposite: another (claim_key, polarity)
    flags, _ = run(rows + [claim("u2", "001", "nausea", subject="ginger", predicate="TREATS",
                                 polarity="negated", evidence="citation")])
    assert list(by_flag(flags, "unsupported")) == ["u1"]


@pytest.mark.parametrize("row, severity, score", [
    # unhedged claims of benefit or safety with nothing or anecdote behind them: read first
    (dict(obj="pain", predicate="TREATS", evidence="none"), "high", 0.9),
    (dict(obj="energy", predicate="HAS_EFFECT", evidence="anecdote", attribution="users"), "high", 0.8),
    (dict(obj="opioids", predicate="SAFER_THAN", evidence="none"), "high", 0.9),
    # a vague appeal behind a claim of benefit
    (dict(obj="pain", predicate="TREATS", evidence="vague-appeal", attribution="research"), "medium", 0.7),
    # hedged or negated claims of benefit, and claims of harm: low, no +0.1
    (dict(obj="pain", predicate="TREATS", evidence="none", hedged=True, hedge_cues=("may",),
          certainty="possible"), "low", 0.8),
    (dict(obj="pain", predicate="TREATS", evidence="none", polarity="negated"), "low", 0.8),
    (dict(obj="constipation", evidence="none"), "low", 0.8),
    (dict(obj="constipation", evidence="vague-appeal", attribution="research"), "medium", 0.6),
])
def test_unsupported_severity_and_score(row, severity, score):
    row = dict(row)
    flags, _ = run([claim("s1", "000", row.pop("obj"), **row)])
    got = by_flag(flags, "unsupported")["s1"]
    assert (got["severity"], got["score"]) == (severity, score)


def test_uncited_repeats_in_other_sources_lower_the_severity():
    rows = [claim(f"r{k}", doc, "pain", predicate="TREATS", evidence="none")
            for k, doc in enumerate(["000", "001", "003"])]
    flags, _ = run(rows[:2])
    assert {cid: (r["severity"], r["score"]) for cid, r in by_flag(flags, "unsupported").items()} == {
        "r0": ("medium", 0.7), "r1": ("medium", 0.7)}  # one other independent source: 0.8 - 0.2 + 0.1
    flags, _ = run(rows)
    assert {cid: (r["severity"], r["score"]) for cid, r in by_flag(flags, "unsupported").items()} == {
        "r0": ("low", 0.5), "r1": ("low", 0.5), "r2": ("low", 0.5)}  # two: 0.8 - 0.4 + 0.1


# --------------------------------------------------------------------------- contradicted

def test_regulated_claims_of_opposite_polarity_do_not_contradict():
    flags, groups = run([
        claim("g1", "000", "legal", predicate="REGULATED", text="Kratom is legal in most states."),
        claim("g2", "001", "legal", predicate="REGULATED", polarity="negated", text="Kratom is illegal in Vermont."),
        claim("g3", "002", "approved", predicate="REGULATED", polarity="negated", evidence="authority",
              text="The FDA has not approved kratom for any medical use."),
        claim("g4", "003", "approved", predicate="REGULATED", text="Kratom is approved as a food in Thailand."),
    ])
    assert by_flag(flags, "contradicted") == {}
    assert {r["claim_key"]: r["verdict"] for r in groups.to_pylist()} == {
        "kratom|REGULATED|approved": "supported", "kratom|REGULATED|legal": "supported"}


def test_a_regulated_claim_does_not_take_part_beside_an_ordinary_conflict():
    flags, _ = run([
        claim("g1", "000", "banned", predicate="REGULATED"),
        claim("g2", "001", "banned", predicate="REGULATED", polarity="negated"),
        claim("p1", "000", "pain", predicate="TREATS"),
        claim("p2", "001", "pain", predicate="TREATS", polarity="negated"),
    ])
    assert {cid: r["related_claim_ids"] for cid, r in by_flag(flags, "contradicted").items()} == {
        "p1": ["p2"], "p2": ["p1"]}


def test_a_blanket_denial_carries_one_flag_listing_the_side_effects_it_opposes():
    flags, _ = run([
        claim("b1", "000", "side effects", polarity="negated",
              text="Kratom eases pain without the side effects of prescription drugs."),
        claim("s1", "001", "nausea", text="Kratom can upset the stomach and cause nausea."),
        claim("s2", "002", "constipation", text="Regular users often complain of constipation."),
        claim("s3", "003", "dizziness", text="Some people feel dizziness after a large dose."),
    ])
    got = by_flag(flags, "contradicted")
    assert list(got) == ["b1"]
    b1 = got["b1"]
    assert (b1["severity"], b1["score"], b1["related_claim_ids"], b1["related_doc_ids"]) == (
        "high", 0.9, ["s1", "s2", "s3"], ["001", "002", "003"])
    assert b1["reason"] == (
        'Denies that kratom CAUSES side effects; 001 (001.txt) asserts that kratom CAUSES nausea ("side '
        'effects" covers every side effect): "Kratom can upset the stomach and cause nausea.". 3 opposing '
        'claims in 3 documents.')
    assert flags.column("flag").to_pylist().count("contradicted") == 1  # one flag in the whole table


def test_a_blanket_denial_leaves_a_specific_conflict_alone():
    flags, _ = run([
        claim("b1", "000", "side effects", polarity="negated"),
        claim("s1", "001", "nausea"),
        claim("s2", "002", "nausea", polarity="negated"),
    ])
    # s1 is contradicted by the specific denial s2 only, not by the blanket b1
    assert {cid: r["related_claim_ids"] for cid, r in by_flag(flags, "contradicted").items()} == {
        "b1": ["s1"], "s1": ["s2"], "s2": ["s1"]}


def test_a_lone_document_opposing_three_carries_the_flag():
    majority = [claim(f"m{k}", doc, "insomnia") for k, doc in enumerate(["000", "001", "002"], 1)]
    lone = claim("n1", "003", "insomnia", polarity="negated", text="Kratom never causes insomnia.")
    flags, _ = run([*majority, lone])
    got = by_flag(flags, "contradicted")
    assert list(got) == ["n1"]
    assert (got["n1"]["severity"], got["n1"]["related_claim_ids"], got["n1"]["related_doc_ids"]) == (
        "high", ["m1", "m2", "m3"], ["000", "001", "002"])
    assert got["n1"]["reason"].endswith("3 opposing claims in 3 documents.")


def test_two_documents_against_one_or_three_against_two_flag_both_sides():
    two = [claim("m1", "000", "insomnia"), claim("m2", "001", "insomnia")]
    flags, _ = run([*two, claim("n1", "003", "insomnia", polarity="negated")])
    assert {cid: r["related_claim_ids"] for cid, r in by_flag(flags, "contradicted").items()} == {
        "m1": ["n1"], "m2": ["n1"], "n1": ["m1", "m2"]}
    three = [*two, claim("m3", "002", "insomnia")]
    flags, _ = run([*three, claim("n1", "003", "insomnia", polarity="negated"),
                    claim("n2", "004", "insomnia", polarity="negated")])
    assert sorted(by_flag(flags, "contradicted")) == ["m1", "m2", "m3", "n1", "n2"]


def test_three_claims_of_one_document_are_no_majority():
    flags, _ = run([claim(f"m{k}", "000", "insomnia") for k in (1, 2, 3)]
                   + [claim("n1", "003", "insomnia", polarity="negated")])
    assert {cid: r["related_claim_ids"] for cid, r in by_flag(flags, "contradicted").items()} == {
        "m1": ["n1"], "m2": ["n1"], "m3": ["n1"], "n1": ["m1", "m2", "m3"]}


def test_the_majority_is_counted_among_compatible_levels():
    high, low = (("amount", "high doses"),), (("amount", "low doses"),)
    lone = claim("n1", "003", "insomnia", polarity="negated", qualifiers=high)
    # three documents at high doses against one at high doses: the lone denial carries the flag
    flags, _ = run([claim(f"m{k}", doc, "insomnia", qualifiers=high) for k, doc in enumerate(["000", "001", "002"], 1)]
                   + [lone])
    assert {cid: r["related_claim_ids"] for cid, r in by_flag(flags, "contradicted").items()} == {
        "n1": ["m1", "m2", "m3"]}
    # one of the three at low doses: not opposed, and not counted, so 2 against 1 flags both sides
    flags, _ = run([claim("m1", "000", "insomnia", qualifiers=high), claim("m2", "001", "insomnia", qualifiers=high),
                    claim("m3", "002", "insomnia", qualifiers=low), lone])
    assert {cid: r["related_claim_ids"] for cid, r in by_flag(flags, "contradicted").items()} == {
        "m1": ["n1"], "m2": ["n1"], "n1": ["m1", "m2"]}


def test_a_claim_with_no_level_is_not_exempted_by_a_claim_at_another_level():
    high, low = (("amount", "high doses"),), (("amount", "low doses"),)
    flags, _ = run([claim("m1", "000", "insomnia"), claim("m2", "001", "insomnia"),
                    claim("m3", "002", "insomnia", qualifiers=low),
                    claim("n1", "003", "insomnia", polarity="negated", qualifiers=high)])
    assert {cid: r["related_claim_ids"] for cid, r in by_flag(flags, "contradicted").items()} == {
        "m1": ["n1"], "m2": ["n1"], "n1": ["m1", "m2"]}
