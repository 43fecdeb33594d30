"""Tests for the claimex_segmenter spaCy component (runs before the parser)."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

import claimex.nlp.components.segmenter  # noqa: F401  (registers the factory)
from claimex.nlp.components.segmenter import ArticleSegmenter, sentence_blocks
from claimex.nlp.segment import segment_text
from claimex.settings import resolve_model

RAW = Path(__file__).resolve().parents[3] / "data" / "raw"
SEEDS = sorted(RAW.glob("*.txt"))


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load(resolve_model(), exclude=["ner"])
    nlp.add_pipe("claimex_segmenter", before="parser")
    return nlp


@pytest.fixture(scope="module")
def seed_docs(nlp):
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    return dict(zip([p.name[:3] for p in SEEDS], nlp.pipe(texts)))


def test_pipeline_order(nlp):
    names = nlp.pipe_names
    assert names.index("claimex_segmenter") == names.index("parser") - 1
    assert nlp.get_pipe("claimex_segmenter").cfg == {
        "max_heading_words": 20, "max_heading_chars": 200, "max_wrap_width": 100, "max_sentence_tokens": 150}


def test_claimex_pipeline_repairs_sentences_right_after_the_parser():
    from claimex.nlp.pipeline import load_pipeline

    names = load_pipeline()[0].pipe_names
    assert names[names.index("parser") + 1] == "claimex_sentence_repair"


def test_blocks_on_doc_equal_plain_segmentation(seed_docs):
    assert len(seed_docs) == 5
    for doc in seed_docs.values():
        assert doc._.claimex_blocks == [list(b) for b in segment_text(doc.text)]
    assert [len(d._.claimex_blocks) for d in seed_docs.values()] == [13, 15, 14, 14, 4]


def test_no_sentence_crosses_a_block(seed_docs):
    for key, doc in seed_docs.items():
        blocks = doc._.claimex_blocks
        for sent, index in zip(doc.sents, sentence_blocks(doc)):
            text = sent.text.strip()
            start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            assert index >= 0, (key, text)
            assert blocks[index][0] <= start and start + len(text) <= blocks[index][1], (key, text)


def test_heading_title_and_toc_lines_are_single_sentences(seed_docs):
    n_checked = 0
    for doc in seed_docs.values():
        blocks = doc._.claimex_blocks
        by_block: dict[int, list[str]] = {}
        for sent, index in zip(doc.sents, sentence_blocks(doc)):
            by_block.setdefault(index, []).append(sent.text.strip())
        for i, (start, end, kind, _section, _par) in enumerate(blocks):
            if kind in ("heading", "title", "toc"):
                assert by_block[i] == [doc.text[start:end]]
                n_checked += 1
    assert n_checked == 4 * 6 + 1


def test_every_block_starts_a_sentence(seed_docs):
    for doc in seed_docs.values():
        sent_starts = {s.start_char for s in doc.sents}
        assert all(b[0] in sent_starts for b in doc._.claimex_blocks)


def test_sentence_blocks_seed_001(seed_docs):
    doc = seed_docs["001"]
    blocks = doc._.claimex_blocks
    kinds = [blocks[i][2] for i in sentence_blocks(doc)]
    assert kinds[:1] == ["summary"]
    assert kinds.count("heading") == 3 and kinds.count("toc") == 3
    assert kinds[-1] == "conclusion"
    heading_sents = [s.text.strip() for s, k in zip(doc.sents, kinds) if k == "heading"]
    assert heading_sents == ["Understanding Chronic Pain and Its Impact",
                             "Kratom: A Natural Approach to Pain Management",
                             "Exploring the Science Behind Kratom's Efficacy"]


def test_newline_tokens_do_not_start_sentences(nlp):
    text = "Kratom: A Natural Approach. To Pain\nKratom helps some people. It hurts others.\n\nEnd."
    doc = nlp(text)
    assert [t.text for t in doc if t.is_space] == ["\n", "\n\n"]
    for token in doc:
        if token.is_space:
            assert token.is_sent_start is False
            assert doc[token.i + 1].is_sent_start is True
    assert [s.text for s in doc.sents][0] == "Kratom: A Natural Approach. To Pain\n"
    assert doc._.claimex_blocks == [[0, 35, "title", None, 0], [36, 78, "summary", None, 1],
                                    [80, 84, "body", None, 2]]


def test_title_extension_is_read(nlp):
    text = "Kratom and Pain\nUses\nPeople take it for pain.\nRisks\nIt can cause nausea.\n"
    doc = nlp.make_doc(text)
    doc._.claimex_title = "Kratom and Pain"
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    assert [b[2] for b in doc._.claimex_blocks] == ["title", "heading", "body", "heading", "body"]
    assert nlp(text)._.claimex_blocks[0][2] == "heading"


def test_empty_doc(nlp):
    doc = nlp("")
    assert doc._.claimex_blocks == []
    assert sentence_blocks(doc) == []


def test_blank_pipeline_with_config_setting():
    nlp = spacy.blank("en")
    nlp.add_pipe("claimex_segmenter", config={"max_heading_words": 2})
    first = ("Kratom is a plant used by many people for pain relief and for energy at work, "
             "and its use is growing.")
    text = f"{first}\nThree Word Heading\nIt may ease pain. It may also cause nausea."
    doc = nlp(text)
    # three words are too many for a heading here: three body paragraphs
    assert [b[2] for b in doc._.claimex_blocks] == ["body", "body", "body"]
    # a blank pipeline has no parser: one sentence per block
    assert [s.text.strip() for s in doc.sents] == [
        first, "Three Word Heading", "It may ease pain. It may also cause nausea."]


def test_settings_round_trip(tmp_path):
    seg = ArticleSegmenter(None, max_heading_words=3, max_heading_chars=50, max_wrap_width=70,
                           max_sentence_tokens=40)
    seg.to_disk(tmp_path / "seg")
    other = ArticleSegmenter(None).from_disk(tmp_path / "seg")
    assert other.cfg == {"max_heading_words": 3, "max_heading_chars": 50, "max_wrap_width": 70,
                         "max_sentence_tokens": 40}


def test_blocks_survive_docbin(seed_docs, nlp):
    doc = seed_docs["004"]
    data = DocBin(docs=[doc], store_user_data=True).to_bytes()
    (restored,) = DocBin().from_bytes(data).get_docs(nlp.vocab)
    # msgpack gives the inner lists back as tuples
    assert [list(b) for b in restored._.claimex_blocks] == doc._.claimex_blocks
    assert list(restored._.claimex_blocks[0]) == [0, 80, "title", None, 0]


def test_unpunctuated_runs_are_capped_at_a_comma_or_the_limit():
    nlp = spacy.blank("en")
    nlp.add_pipe("claimex_segmenter", config={"max_sentence_tokens": 8})
    # 20 words without any punctuation: starts at tokens 8 and 16 (the cap)
    words = "herbs leaves roots and bark were sold in the market by traders from the hills every week all year"
    doc = nlp(words)
    assert [s.start for s in doc.sents] == [0, 8, 16]
    # a comma in the last quarter of the run moves the start after it
    nlp12 = spacy.blank("en")
    nlp12.add_pipe("claimex_segmenter", config={"max_sentence_tokens": 12})
    doc = nlp12("w0 w1 w2 w3 w4 w5 w6 w7 w8 w9, w10 w11 w12 w13 w14")
    assert doc[10].text == "," and [s.start for s in doc.sents] == [0, 11]
    # a full stop resets the count: short sentences are not cut
    from claimex.nlp.components.segmenter import cap_sentence_length
    assert cap_sentence_length(nlp.make_doc("one two three four five. six seven eight nine ten."), 8) == 0


def test_cap_off_and_real_text_untouched(nlp, seed_docs):
    from claimex.nlp.components.segmenter import cap_sentence_length
    assert nlp.get_pipe("claimex_segmenter").max_sentence_tokens == 150
    doc = nlp.make_doc("a b c d e f g h i j")
    assert cap_sentence_length(doc, 0) == 0 and cap_sentence_length(doc, 20) == 0
    assert cap_sentence_length(doc, 4) == 2
    # no seed sentence comes near the default cap of 150 tokens
    assert max(len(s) for d in seed_docs.values() for s in d.sents) < 150


def test_cap_covers_runs_with_decimals_and_leaves_short_stretches_alone():
    from claimex.nlp.components.segmenter import cap_sentence_length
    nlp = spacy.blank("en")
    # 30 numbers with decimals, no sentence end: one run of 30 tokens, capped at 10
    doc = nlp.make_doc(" ".join(f"{i}.5" for i in range(30)))
    assert cap_sentence_length(doc, 10) == 2
    assert [t.i for t in doc if t.is_sent_start] == [0, 10, 20]  # token 0 always starts one
    # many short sentences: no stretch reaches the cap
    doc = nlp.make_doc("It helps. " * 50)
    assert cap_sentence_length(doc, 10) == 0


def test_run_ending_the_text_with_a_full_stop_is_capped():
    from claimex.nlp.components.segmenter import cap_sentence_length
    nlp = spacy.blank("en")
    # a final full stop at the very end of the text ends the run like any other
    doc = nlp.make_doc("a b c d e f g h i j.")
    assert cap_sentence_length(doc, 4) == 2
    assert [t.i for t in doc if t.is_sent_start] == [0, 4, 8]
    # "0.5" and "e.g" do not end a run
    doc = nlp.make_doc("take 0.5 g of leaf e.g in tea with honey and lemon")
    assert len(doc) == 12 and cap_sentence_length(doc, 5) == 2
    assert [t.i for t in doc if t.is_sent_start] == [0, 5, 10]


def test_sentence_starts_set_in_one_pass_match_the_token_view():
    nlp = spacy.blank("en")
    nlp.add_pipe("claimex_segmenter")
    doc = nlp("Kratom Uses\n\n• Pain relief, mostly\n2. Energy ; focus\nIt helps, they say.\n")
    starts = [(t.text, t.is_sent_start) for t in doc]
    assert starts[0] == ("Kratom", True) and starts[1] == ("Uses", False)
    assert [t for t, s in starts if s] == ["Kratom", "•", "2", "It"]  # "2." is "2" "."
    # newlines never open a sentence, nor does closing punctuation inside a paragraph
    assert all(s is False for t, s in starts if t.strip() == "" or t in {",", ";"})


def test_parsed_doc_is_refused():
    from claimex.nlp.components.segmenter import set_block_sent_starts
    nlp = spacy.blank("en")
    doc = nlp.make_doc("It helps. It hurts.")
    doc[1].dep_ = "ROOT"
    with pytest.raises(ValueError):
        set_block_sent_starts(doc, [[0, 19, "body", None, 0]])


def test_repair_merges_a_sentence_that_opens_on_a_no_start_token():
    from spacy.tokens import Doc as _Doc

    from claimex.nlp.components.segmenter import repair_sentences
    vocab = spacy.blank("en").vocab
    # "1. Nausea Relief" parsed as two trees: "1 ." and "Nausea Relief"
    words = ["1", ".", "Nausea", "Relief", "\n", "Ginger", "helps", "."]
    spaces = [False, True, True, False, False, True, False, False]
    doc = _Doc(vocab, words=words, spaces=spaces, heads=[0, 0, 3, 3, 3, 6, 6, 6],
               deps=["ROOT", "punct", "compound", "ROOT", "dep", "nsubj", "ROOT", "punct"])
    assert [s.text for s in doc.sents] == ["1.", "Nausea Relief\n", "Ginger helps."]
    blocks = [[0, 16, "body", None, 0], [17, 30, "body", None, 1]]
    assert doc.text[0:16] == "1. Nausea Relief" and doc.text[17:30] == "Ginger helps."
    assert repair_sentences(doc, blocks) == 1
    assert [s.text for s in doc.sents] == ["1. Nausea Relief\n", "Ginger helps."]
    assert doc[3].head.i == 0 and doc[3].dep_ == "dep" and doc[2].head.i == 3
    assert repair_sentences(doc, blocks) == 0  # nothing left to repair


def test_repair_leaves_block_starts_and_unparsed_docs_alone():
    from spacy.tokens import Doc as _Doc

    from claimex.nlp.components.segmenter import repair_sentences
    vocab = spacy.blank("en").vocab
    doc = _Doc(vocab, words=["It", "helps", ".", "It", "hurts", "."], heads=[1, 1, 1, 4, 4, 4],
               deps=["nsubj", "ROOT", "punct", "nsubj", "ROOT", "punct"])
    # "It hurts." opens a block of its own, and no rule forbids a start there
    assert repair_sentences(doc, [[0, 10, "body", None, 0], [10, 19, "body", None, 1]]) == 0
    assert repair_sentences(doc, [[0, 19, "body", None, 0]]) == 0
    assert len(list(doc.sents)) == 2
    plain = spacy.blank("en").make_doc("It helps. It hurts.")
    assert repair_sentences(plain, [[0, 19, "body", None, 0]]) == 0


def test_with_the_parser_no_sentence_opens_where_the_segmenter_forbids_it():
    nlp = spacy.load(resolve_model(), exclude=["ner"])
    nlp.add_pipe("claimex_segmenter", before="parser")
    nlp.add_pipe("claimex_sentence_repair", after="parser")
    text = ("Benefits Of Ginger\n\n1. Nausea Relief\n\nGinger may ease nausea [\n2,\n5]. It is also "
            "used for pain.\"\n\n\u201cGinger works,\u201d says one reader.\n\n\u2022 Week 1: Take 1 g a day\n"
            "\u2022 Week 2: Take 2 g a day\n\nDose: 1\u20132 g\n")
    doc = nlp(text)
    sents = [s.text.strip() for s in doc.sents]
    assert "1. Nausea Relief" in sents
    assert "\u2022 Week 1: Take 1 g a day" in sents and "Dose: 1\u20132 g" in sents
    assert not [s for s in sents if not any(c.isalnum() for c in s)]  # no sentence of marks only
    assert not [s for s in sents if s.endswith(":")]  # no "Week 1:" split from its value
