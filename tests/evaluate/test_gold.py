"""claimex.evaluate.gold on the committed gold set of the seed articles (tests/gold/seeds.gold.jsonl)."""

from collections import Counter
from pathlib import Path

import pytest

from claimex.evaluate.gold import check_spans, load_gold
from claimex.ingest import text_digest
from claimex.ingest.textio import normalise_text

ROOT = Path(__file__).resolve().parents[2]
SEEDS_GOLD = ROOT / "tests" / "gold" / "seeds.gold.jsonl"
RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="module")
def seeds_gold():
    return load_gold(SEEDS_GOLD)


def seed_text(doc):
    return normalise_text((RAW / doc.source).read_text(encoding="utf-8"))


def test_seed_gold_documents(seeds_gold):
    assert [d.source for d in seeds_gold] == sorted(p.name for p in RAW.glob("*.txt"))
    assert [d.doc_id for d in seeds_gold] == ["bd6dc54bef8ad296", "0741bd6af4856b66", "f5647b61a140f240",
                                              "75bfb1f9e1ba027d", "70abac32b42f0628"]
    for doc in seeds_gold:
        raw = (RAW / doc.source).read_text(encoding="utf-8")
        text = seed_text(doc)
        assert text == raw.rstrip()
        assert text_digest(text)[0] == doc.doc_id


def test_seed_gold_spans_match_the_text(seeds_gold):
    for doc in seeds_gold:
        text = seed_text(doc)
        check_spans(doc, text)
        for e in doc.entities:
            assert text[e.start:e.end] == e.text
        for c in doc.claims:
            sentence = text[c.sentence_start:c.sentence_end]
            assert sentence == sentence.strip() and sentence[-1] in ".?!"
            # the object is an entity of that sentence
            assert any(c.sentence_start <= e.start < c.sentence_end and e.canonical == c.object
                       for e in doc.entities), (doc.source, sentence, c.object)


def test_seed_gold_counts(seeds_gold):
    # the seed gold was migrated to schema 1.1 (docs/gold-format.md): 53 mentions relabelled GENERIC,
    # 123 GENERIC/EFFECT/THERAPY mentions and 49 HAS_EFFECT claims (with 28 hedged, 21 unsupported flags) added
    ents = Counter(e.label for d in seeds_gold for e in d.entities)
    assert ents == {"CONDITION": 227, "SUBSTANCE": 178, "GENERIC": 112, "EFFECT": 56, "SIDE_EFFECT": 38,
                    "RECEPTOR": 21, "ALKALOID": 20, "THERAPY": 8, "DOSE": 3}
    claims = Counter(c.predicate for d in seeds_gold for c in d.claims)
    assert claims == {"TREATS": 103, "CAUSES": 55, "HAS_EFFECT": 49, "ACTS_ON": 28, "CONTAINS": 27, "SAFER_THAN": 3,
                      "DOSAGE": 3, "INTERACTS_WITH": 2}
    assert Counter(c.polarity for d in seeds_gold for c in d.claims) == {"affirmed": 260, "negated": 10}
    assert Counter(f.flag for d in seeds_gold for f in d.flags) == {"hedged": 133, "contradicted": 55,
                                                                   "unsupported": 46}
    assert [(len(d.entities), len(d.claims), len(d.flags)) for d in seeds_gold] == [
        (152, 45, 49), (134, 51, 37), (147, 70, 73), (158, 74, 55), (72, 30, 20)]


def test_seed_gold_key_examples(seeds_gold):
    by_source = {d.source[:3]: d for d in seeds_gold}
    d000, d002, d003 = by_source["000"], by_source["002"], by_source["003"]
    text = seed_text(d000)
    start = text.index("It may offer relief")
    got = sorted((c.subject, c.predicate, c.object, c.polarity, c.certainty)
                 for c in d000.claims if c.sentence_start == start)
    assert got == [("kratom", "ACTS_ON", "opioid receptors", "affirmed", "possible"),
                   ("kratom", "CAUSES", "addiction", "negated", "possible"),
                   ("kratom", "HAS_EFFECT", "analgesia", "affirmed", "possible"),  # HAS_EFFECT since schema 1.1
                   ("kratom", "HAS_EFFECT", "mood", "affirmed", "possible"),
                   ("kratom", "HAS_EFFECT", "sleep quality", "affirmed", "possible"),
                   ("kratom", "TREATS", "fatigue", "affirmed", "possible"),
                   ("kratom", "TREATS", "pain", "affirmed", "possible")]
    doses = sorted((c.object, c.polarity) for d in (d002, d003) for c in d.claims if c.predicate == "DOSAGE")
    assert doses == [("12–15 g/24 h", "affirmed"), ("1–5 g", "affirmed"), ("5–15 g", "affirmed")]
    assert sorted(e.text for d in seeds_gold for e in d.entities if e.label == "DOSE") == [
        "1 to 5 grams", "12 to 15 grams within a 24-hour period", "between 5 to 15 grams"]
    contradicted_doses = sorted(f.object for d in seeds_gold for f in d.flags
                                if f.flag == "contradicted" and f.predicate == "DOSAGE")
    assert contradicted_doses == ["12–15 g/24 h", "5–15 g"]
    misspelt = [(e.text, e.canonical) for d in seeds_gold for e in d.entities if e.text in ("mitraginin", "7-HMG")]
    assert misspelt == [("mitraginin", "mitragynine"), ("7-HMG", "7-hydroxymitragynine")] * 2


def test_every_hedged_gold_claim_has_a_hedged_flag(seeds_gold):
    for d in seeds_gold:
        hedged = {(c.sentence_start, c.subject, c.predicate, c.object) for c in d.claims if c.hedged}
        flagged = {(f.sentence_start, f.subject, f.predicate, f.object) for f in d.flags if f.flag == "hedged"}
        assert hedged == flagged
