"""The claimex_claims component and the whole pipeline as a spaCy object."""

import spacy
from spacy.tokens import DocBin

TEXT = ("Kratom is a herbal supplement. It may relieve chronic pain without the sedating effects of opioids. "
        "Long-term use has been linked to liver damage.")
EXPECTED = [
    ("kratom", "CAUSES", "liver damage", "affirmed"),
    ("kratom", "CAUSES", "sedation", "negated"),
    ("kratom", "TREATS", "chronic pain", "affirmed"),
]


def triples(doc):
    return sorted((c["subject"], c["predicate"], c["object"], c["polarity"]) for c in doc._.claimex_claims)


def test_pipeline_order(nlp):
    assert nlp.pipe_names == ["tok2vec", "tagger", "claimex_segmenter", "parser", "claimex_sentence_repair",
                              "attribute_ruler", "lemmatizer", "claimex_entities", "claimex_cues", "claimex_claims"]


def test_saved_pipeline_loads_with_spacy_load(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "claimex_claims" / "rules.json").exists()
    reloaded = spacy.load(tmp_path / "pipe")
    assert reloaded.pipe_names == nlp.pipe_names
    assert triples(reloaded(TEXT)) == triples(nlp(TEXT)) == EXPECTED


def test_doc_extensions_survive_docbin(nlp):
    doc = nlp(TEXT)
    bin_ = DocBin(store_user_data=True, docs=[doc])
    [back] = list(DocBin().from_bytes(bin_.to_bytes()).get_docs(nlp.vocab))
    assert triples(back) == EXPECTED
    assert [list(b) for b in back._.claimex_blocks] == [list(b) for b in doc._.claimex_blocks]


def test_multiprocess_pipe_gives_the_same_claims(nlp):
    texts = [TEXT, "Kratom can cause nausea and constipation."]
    single = [triples(d) for d in nlp.pipe(texts)]
    multi = [triples(d) for d in nlp.pipe(texts, n_process=2)]
    assert multi == single
    assert single[1] == [("kratom", "CAUSES", "constipation", "affirmed"), ("kratom", "CAUSES", "nausea", "affirmed")]


def test_factory_declares_what_it_reads_and_writes(nlp):
    meta = nlp.get_pipe_meta("claimex_claims")
    assert meta.requires == ["token.dep", "token.pos", "token.lemma", "doc._.claimex_ents", "doc._.claimex_cues"]
    assert meta.assigns == ["doc._.claimex_claims", "doc._.claimex_ents"]
    problems = nlp.analyze_pipes()["problems"]["claimex_claims"]
    assert problems == []  # claimex_attribute_ruler declares token.pos (spaCy's ruler did not)


def test_to_disk_from_disk_with_exclude(nlp, tmp_path):
    import json

    from claimex.nlp.claim_rules import ClaimRules
    from claimex.nlp.components.claim_extractor import ClaimExtractor

    extractor = nlp.get_pipe("claimex_claims")
    extractor.to_disk(tmp_path / "claims")
    assert sorted(p.name for p in (tmp_path / "claims").iterdir()) == ["cfg.json", "rules.json", "strength_cues.jsonl"]
    assert json.loads((tmp_path / "claims" / "cfg.json").read_text()) == {"max_hops": 8}
    assert ClaimRules.from_file(tmp_path / "claims" / "rules.json") == ClaimRules.default()
    other = ClaimExtractor(nlp, max_hops=3).from_disk(tmp_path / "claims")
    assert other.max_hops == 8 and other.rules == extractor.rules
    assert other.strength_lexicon == extractor.strength_lexicon
    kept = ClaimExtractor(nlp, max_hops=3).from_disk(tmp_path / "claims", exclude=["cfg", "rules"])
    assert kept.max_hops == 3 and kept.rules is None
    assert kept.strength_lexicon == extractor.strength_lexicon
