"""Tests for claimex.nlp.segment: article blocks on the seed corpus and synthetic texts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimex.schema import SECTION_KINDS
from claimex.nlp.segment import (
    BLOCK_KINDS,
    Block,
    block_index_at,
    block_text,
    is_boilerplate,
    is_heading_like,
    is_question_line,
    is_title_case,
    normalize_heading,
    segment_text,
)

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


def read_seed(prefix: str) -> str:
    (path,) = sorted(RAW.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


def texts(text: str, blocks: list[Block], kind: str | None = None) -> list[str]:
    return [text[b.start:b.end] for b in blocks if kind is None or b.kind == kind]


def layout(text: str, **kw) -> list[tuple[str, str, str | None]]:
    return [(b.kind, text[b.start:b.end], b.section) for b in segment_text(text, **kw)]


# -- the seed corpus ------------------------------------------------------------

TEMPLATE_KINDS = {
    "000": ["summary", "intro", "toc", "toc", "toc",
            "heading", "body", "body", "heading", "body", "heading", "body", "conclusion"],
    "001": ["summary", "intro", "toc", "toc", "toc",
            "heading", "body", "body", "heading", "body", "body", "heading", "body", "body", "conclusion"],
    "002": ["summary", "intro", "toc", "toc", "toc",
            "heading", "body", "heading", "body", "body", "heading", "body", "body", "conclusion"],
    "003": ["summary", "intro", "toc", "toc", "toc",
            "heading", "body", "heading", "body", "body", "heading", "body", "body", "conclusion"],
}

HEADINGS = {
    "000": ["Understanding Fibromyalgia and its Impact on Chronic Pain and Stiffness",
            "The Role of Kratom as a Natural Remedy for Fibromyalgia Symptoms",
            "Analyzing the Efficacy and Safety of Kratom for Fibromyalgia Management"],
    "001": ["Understanding Chronic Pain and Its Impact",
            "Kratom: A Natural Approach to Pain Management",
            "Exploring the Science Behind Kratom's Efficacy"],
    "002": ["Understanding Kratom's Role in Chronic Pain Management: A Closer Look at Its Mechanisms and Efficacy",
            "Weighing the Potential Benefits Against Side Effects of Kratom Use for Chronic Pain",
            "Navigating Kratom Dosage, Safety Precautions, and Regulatory Considerations for Chronic Pain Sufferers"],
    "003": ["Unraveling Muscle Tension and Chronic Pain through Kratom: An Overview of its Mechanisms",
            "Integrating Kratom into a Holistic Approach for Chronic Pain Relief: "
            "Complementary Therapies and Precautions",
            "The Role of Kratom in Muscle Relaxation: Effectiveness, Dosage, and Safety Considerations"],
}


@pytest.mark.parametrize("seed", sorted(TEMPLATE_KINDS))
def test_template_seed_kinds_headings_and_toc(seed):
    text = read_seed(seed)
    blocks = segment_text(text)
    assert [b.kind for b in blocks] == TEMPLATE_KINDS[seed]
    assert texts(text, blocks, "heading") == HEADINGS[seed]
    assert texts(text, blocks, "toc") == ["- " + h for h in HEADINGS[seed]]
    # one block per line, offsets exact
    assert texts(text, blocks) == text.split("\n")
    assert [b.paragraph for b in blocks] == list(range(len(blocks)))
    # headings are their own section; front matter, TOC and closing paragraph have none
    for b in blocks:
        if b.kind == "heading":
            assert b.section == text[b.start:b.end]
        elif b.kind in ("summary", "intro", "toc", "conclusion"):
            assert b.section is None


def test_seed_000_sections_and_closing_paragraph():
    text = read_seed("000")
    blocks = segment_text(text)
    assert len(blocks) == 13
    assert blocks[7].section == "Understanding Fibromyalgia and its Impact on Chronic Pain and Stiffness"
    assert text[blocks[7].start:].startswith("In recent years, natural supplements like Kratom")
    assert blocks[11].section == "Analyzing the Efficacy and Safety of Kratom for Fibromyalgia Management"
    assert text[blocks[12].start:blocks[12].end].startswith("In conclusion, fibromyalgia is a condition")
    assert text[blocks[12].start:blocks[12].end].endswith("a more holistic approach to pain relief.")
    assert blocks[12].end == len(text)


def test_seed_001_unmarked_closing_paragraph_is_conclusion():
    text = read_seed("001")
    blocks = segment_text(text)
    assert len(blocks) == 15
    last = blocks[-1]
    assert last.kind == "conclusion" and last.section is None
    assert text[last.start:last.end].startswith("Kratom has emerged as a promising natural alternative")
    # the two paragraphs of the last section stay body
    assert [(b.kind, b.section) for b in blocks[12:14]] == [
        ("body", "Exploring the Science Behind Kratom's Efficacy")] * 2
    assert text[blocks[13].start:blocks[13].end].startswith("Research suggests that kratom\u2019s analgesic")


def test_seed_002_lowercase_paragraph_after_heading():
    text = read_seed("002")
    blocks = segment_text(text)
    assert blocks[11].kind == "body"
    assert text[blocks[11].start:blocks[11].end].startswith("navigating kratom dosage for chronic pain")
    assert blocks[11].section == HEADINGS["002"][2]
    assert blocks[9].section == HEADINGS["002"][1]


def test_seed_003_summary_intro_and_sections():
    text = read_seed("003")
    blocks = segment_text(text)
    assert text[blocks[0].start:blocks[0].end].startswith("Kratom, a plant from Southeast Asia with leaves rich")
    assert text[blocks[1].start:blocks[1].end].startswith("Chronic pain affects millions")
    assert text[blocks[9].start:blocks[9].end].startswith("However, the use of kratom should be approached")
    assert blocks[9].section == HEADINGS["003"][1]


def test_seed_004_title_and_blank_line_paragraphs():
    text = read_seed("004")
    blocks = segment_text(text)
    assert [(b.kind, b.section, b.paragraph) for b in blocks] == [
        ("title", None, 0), ("summary", None, 1), ("body", None, 2), ("body", None, 3)]
    assert texts(text, blocks) == [line for line in text.split("\n") if line]
    assert texts(text, blocks)[0] == "Understanding Kratom\u2019s Role in Pain Management \u2013 A Holistic Approach to Wellness"
    assert texts(text, blocks)[3].startswith("To maximize the benefits of kratom")


# -- synthetic texts -------------------------------------------------------------

def test_empty_and_whitespace_text():
    assert segment_text("") == []
    assert segment_text(" \n\n\t \r\n") == []


def test_no_structure_is_all_body():
    text = ("Kratom is a plant. It may help with pain.\n"
            "Some people use it daily. Others avoid it.\n")
    assert layout(text) == [
        ("body", "Kratom is a plant. It may help with pain.", None),
        ("body", "Some people use it daily. Others avoid it.", None)]


def test_single_heading_like_line_is_body():
    assert layout("Kratom and chronic pain") == [("body", "Kratom and chronic pain", None)]


def test_markdown_headings_title_lists_and_conclusion_section():
    text = ("# Kratom Guide\n\nKratom is a tree.\n\n## Benefits\n\nIt may ease pain.\n\n"
            "* Pain relief\n* Energy\n\n## Conclusion\n\nUse with care.\n")
    assert layout(text) == [
        ("title", "# Kratom Guide", None),
        ("summary", "Kratom is a tree.", None),
        ("heading", "## Benefits", "Benefits"),
        ("body", "It may ease pain.", "Benefits"),
        ("body", "* Pain relief", "Benefits"),
        ("body", "* Energy", "Benefits"),
        ("heading", "## Conclusion", "Conclusion"),
        ("conclusion", "Use with care.", "Conclusion"),
    ]


def test_markdown_same_level_first_heading_is_not_title():
    text = "## Benefits\nKratom may ease pain.\n## Risks ##\nKratom may cause nausea.\n"
    assert layout(text) == [
        ("heading", "## Benefits", "Benefits"),
        ("body", "Kratom may ease pain.", "Benefits"),
        ("heading", "## Risks ##", "Risks"),
        ("body", "Kratom may cause nausea.", "Risks"),
    ]


def test_final_thoughts_heading_makes_conclusion_blocks():
    text = "# Kratom\n\nIntro.\n\n## Dosage\n\nTake 2 g.\n\n## Final Thoughts\n\nBe careful.\n\nTalk to a doctor.\n"
    assert [(k, s) for k, _, s in layout(text)] == [
        ("title", None), ("summary", None), ("heading", "Dosage"), ("body", "Dosage"),
        ("heading", "Final Thoughts"), ("conclusion", "Final Thoughts"), ("conclusion", "Final Thoughts")]


def test_hard_wrapped_paragraphs_join():
    text = ("Kratom is a tropical tree native to Southeast Asia whose leaves have\n"
            "been chewed by farm workers for centuries. Users report that it eases\n"
            "pain.\n"
            "\n"
            "The leaves contain mitragynine, an alkaloid that acts on opioid\n"
            "receptors in the brain.\n")
    blocks = segment_text(text)
    assert [(b.start, b.end, b.kind) for b in blocks] == [(0, 144, "body"), (146, 233, "body")]
    assert text[blocks[1].start:blocks[1].end] == (
        "The leaves contain mitragynine, an alkaloid that acts on opioid\nreceptors in the brain.")


def test_hard_wrapped_text_with_headings_without_blank_lines():
    text = ("Kratom Basics\n"
            "Kratom is a tropical tree native to Southeast Asia whose leaves have\n"
            "been chewed by farm workers for centuries.\n"
            "Safety Concerns\n"
            "High doses can cause nausea, constipation and dependence in some\n"
            "users, so caution is advised. Kratom is not approved by the FDA.\n"
            "Long-term users report withdrawal symptoms that resemble those of\n"
            "opioids.\n")
    assert layout(text) == [
        ("heading", "Kratom Basics", "Kratom Basics"),
        ("body", "Kratom is a tropical tree native to Southeast Asia whose leaves have\n"
                 "been chewed by farm workers for centuries.", "Kratom Basics"),
        ("heading", "Safety Concerns", "Safety Concerns"),
        ("body", "High doses can cause nausea, constipation and dependence in some\n"
                 "users, so caution is advised. Kratom is not approved by the FDA.\n"
                 "Long-term users report withdrawal symptoms that resemble those of\n"
                 "opioids.", "Safety Concerns"),
    ]


def test_short_lines_without_broken_sentences_stay_separate():
    text = "Kratom and Pain\nFirst para is here.\nSecond para.\n"
    assert layout(text) == [
        ("title", "Kratom and Pain", None), ("summary", "First para is here.", None),
        ("body", "Second para.", None)]


def test_title_argument_matches_first_line():
    text = "Kratom and Pain\nUses\nPeople take it for pain.\nRisks\nIt can cause nausea.\n"
    # without the title, the first line heads a chain of headings
    assert [k for k, _, _ in layout(text)] == ["heading", "heading", "body", "heading", "body"]
    assert [k for k, _, _ in layout(text, title="KRATOM AND PAIN!")] == [
        "title", "heading", "body", "heading", "body"]


def test_title_followed_by_blank_line_when_headings_are_not():
    text = "Kratom Explained\n\nKratom is a tree.\nUses\nPeople take it for pain.\nRisks\nIt can cause nausea.\n"
    assert [k for k, _, _ in layout(text)] == ["title", "summary", "heading", "body", "heading", "body"]


def test_numbered_toc_and_question_heading():
    text = ("Intro paragraph here about kratom.\n1. What Is Kratom?\n2. Dosage\n"
            "What Is Kratom?\nKratom is a tree.\nDosage\nTake little.\n")
    assert layout(text) == [
        ("summary", "Intro paragraph here about kratom.", None),
        ("toc", "1. What Is Kratom?", None),
        ("toc", "2. Dosage", None),
        ("heading", "What Is Kratom?", "What Is Kratom?"),
        ("body", "Kratom is a tree.", "What Is Kratom?"),
        ("heading", "Dosage", "Dosage"),
        ("body", "Take little.", "Dosage"),
    ]


def test_table_of_contents_label_is_toc():
    text = ("Kratom is a tree from Asia.\nTable of Contents\n- Benefits\n- Risks\n"
            "Benefits\nIt may ease pain.\nRisks\nIt can cause nausea.\n")
    assert [(k, t) for k, t, _ in layout(text)][:4] == [
        ("summary", "Kratom is a tree from Asia."), ("toc", "Table of Contents"),
        ("toc", "- Benefits"), ("toc", "- Risks")]


def test_sentence_list_before_first_heading_is_intro_not_toc():
    text = ("Kratom is a tree from Asia.\nPeople use it for:\n- Pain relief in the back.\n"
            "- More energy at work.\nBenefits\nIt may ease pain.\nRisks\nIt can cause nausea.\n"
            "It can also cause constipation.\n")
    assert [(k, t) for k, t, _ in layout(text)] == [
        ("summary", "Kratom is a tree from Asia."), ("intro", "People use it for:"),
        ("intro", "- Pain relief in the back."), ("intro", "- More energy at work."),
        ("heading", "Benefits"), ("body", "It may ease pain."), ("heading", "Risks"),
        ("body", "It can cause nausea."), ("body", "It can also cause constipation.")]


LONG_A = ("Kratom is a plant used by many people for pain relief, and there is a growing literature "
          "about it that is worth reading carefully.")


@pytest.mark.parametrize("last, kind", [
    ("Overall, kratom needs more research before anyone can recommend it for chronic pain.", "conclusion"),
    ("To conclude, kratom needs more research before anyone can recommend it.", "conclusion"),
    ("In summary, kratom needs more research before anyone can recommend it.", "conclusion"),
    ("Overall health matters more than any single supplement for chronic pain.", "body"),
    ("Written by Jane Doe", "body"),
])
def test_closing_paragraph_markers(last, kind):
    text = f"{LONG_A}\n{last}\n"
    assert layout(text) == [("body", LONG_A, None), (kind, last, None)]


def test_unmarked_last_paragraph_is_body_without_toc():
    text = ("Kratom Explained\n\nKratom is a tree.\nUses\nPeople take it for pain.\n"
            "Some take it for energy.\nThey like it.\n")
    assert [k for k, _, _ in layout(text)] == ["title", "summary", "heading", "body", "body", "body"]


def test_indented_line_continues_list_item():
    text = (f"{LONG_A}\n- Item one\n  continues here\n- Item two\n"
            "A closing line that is a long paragraph so that the document stays in line mode here.\n")
    assert texts(text, segment_text(text)) == [
        LONG_A, "- Item one\n  continues here", "- Item two",
        "A closing line that is a long paragraph so that the document stays in line mode here."]


def test_bare_bullet_line_joins_the_next_line():
    # web pages often put the "•" marker on a line of its own: marker and item are one list item
    text = (f"{LONG_A}\n•\nBetter sleep at night\n•\nLess pain in the joints\n• A third item inline\n"
            "A closing line that is a long paragraph so that the document stays in line mode here.\n")
    assert texts(text, segment_text(text)) == [
        LONG_A, "•\nBetter sleep at night", "•\nLess pain in the joints", "• A third item inline",
        "A closing line that is a long paragraph so that the document stays in line mode here."]


def test_crlf_offsets():
    text = "My Title\r\n\r\nFirst para.\r\n\r\nSecond para.\r\n"
    blocks = segment_text(text)
    assert [(b.start, b.end, b.kind) for b in blocks] == [
        (0, 8, "title"), (12, 23, "summary"), (27, 39, "body")]


def test_max_heading_words_setting():
    text = f"{LONG_A}\nOne Two Three Four\n{LONG_A}\n"
    assert [k for k, _, _ in layout(text)] == ["summary", "heading", "body"]
    assert [k for k, _, _ in layout(text, max_heading_words=3)] == ["body", "body", "body"]


# -- helpers ---------------------------------------------------------------------

def test_block_kinds_match_schema():
    assert BLOCK_KINDS == SECTION_KINDS


@pytest.mark.parametrize("line, expected", [
    ("Understanding Chronic Pain and Its Impact", True),
    ("Kratom: A Natural Approach to Pain Management", True),
    ("Is Kratom Safe?", True),
    ("is it safe?", False),
    ("Is it safe for you and me?", False),
    ("Kratom helps.", False),
    ("People use it for:", False),
    ("navigating kratom dosage", False),
    ("Dosage (mg)", True),
    ("12345", False),
    ("", False),
])
def test_is_heading_like(line, expected):
    assert is_heading_like(line) is expected


def test_is_title_case():
    assert is_title_case("Understanding Fibromyalgia and its Impact on Chronic Pain") is True
    assert is_title_case("Understanding fibromyalgia and its impact") is False


def test_normalize_heading():
    assert normalize_heading("- Exploring the Science Behind Kratom\u2019s Efficacy!") == \
        "exploring the science behind kratom's efficacy"


def test_block_text_strips_markers():
    text = "## Risks ##\n- Item one\nPlain line."
    blocks = [(0, 11), (12, 22), (23, 34)]
    assert [block_text(text, b) for b in blocks] == ["Risks", "Item one", "Plain line."]


def test_block_index_at():
    blocks = [[0, 5, "body", None, 0], [7, 10, "body", None, 1]]
    assert [block_index_at(blocks, p) for p in (0, 4, 5, 6, 7, 9, 10, 50)] == [0, 0, -1, -1, 1, 1, -1, -1]
    assert block_index_at([], 0) == -1


PIECES = st.sampled_from([
    "Kratom helps pain.", "Dosage", "# Title", "## Risks", "- Risks", "* item", "1. First", "\n", "\n\n",
    " ", "\r\n", "In conclusion, it works.", "wrapped line without end", "  indented", "Is It Safe?", "x",
    "Table of Contents", "\t", "#", "-", "Conclusion"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=20).map("".join), st.one_of(st.none(), st.sampled_from(["Dosage", "Title"])))
def test_blocks_cover_all_text_in_order(text, title):
    blocks = segment_text(text, title)
    prev_end = 0
    for i, b in enumerate(blocks):
        assert b.paragraph == i
        assert b.kind in BLOCK_KINDS
        assert prev_end <= b.start < b.end <= len(text)
        assert text[prev_end:b.start].strip() == ""
        chunk = text[b.start:b.end]
        assert chunk == chunk.strip()
        prev_end = b.end
    assert text[prev_end:].strip() == ""


# -- issue 16: navigation residue and question lines ---------------------------------------------

def test_navigation_residue_is_boilerplate():
    text = ("Skip to Content Skip to Footer\nGinger and Joint Pain\n\nGinger is a root used for nausea.\n"
            "Share on Pinterest\nIt may ease sore knees in older adults.\n"
            "We use cookies to improve your experience on this website. Accept all cookies\n")
    assert [k for k, _, _ in layout(text)] == ["boilerplate", "heading", "body", "boilerplate", "body", "boilerplate"]


@pytest.mark.parametrize("line, expected", [
    ("Skip to main content", True), ("Share this article", True), ("Advertisement", True),
    ("Subscribe to our newsletter for weekly tips", True), ("Back to top", True),
    # real sentences that start like residue are not
    ("Share your dose with your doctor before you take anything new, and tell them about every "
     "supplement you use, because some of them interact with common medicines", False),
    ("Ginger is a root.", False), ("Sharing needles spreads infection.", False),
])
def test_is_boilerplate(line, expected):
    assert is_boilerplate(line) is expected


def test_a_question_line_is_its_own_kind():
    text = ("Turmeric for Knees\n\nTurmeric is a spice.\nIs turmeric safe for people on blood thinners?\n"
            "It can raise the risk of bleeding. What should you do? Ask a doctor.\n")
    kinds = [(k, t) for k, t, _ in layout(text)]
    assert kinds == [("title", "Turmeric for Knees"), ("summary", "Turmeric is a spice."),
                     ("question", "Is turmeric safe for people on blood thinners?"),
                     ("body", "It can raise the risk of bleeding. What should you do? Ask a doctor.")]
    assert is_question_line("Does it work?") and not is_question_line("It works. Does it?")


# -- tables, key-value lines, citations broken over lines (rules 12, 13) ------------------------

def _kinds(text):
    return [(b.kind, text[b.start:b.end]) for b in segment_text(text)]


def test_pipe_table_rows_are_blocks_read_with_their_header():
    from claimex.nlp.segment import table_row_reading
    text = ("Ginger Doses\n\nGinger is a root.\n\n"
            "| Form | Amount | Notes |\n| --- | :---: | --- |\n| Fresh root | 1–2 g | grated |\n"
            "| Capsule | 250 mg |  |\nAfter the table.\n")
    blocks = segment_text(text)
    assert [(b.kind, text[b.start:b.end]) for b in blocks][2:] == [
        ("table_header", "| Form | Amount | Notes |\n| --- | :---: | --- |"),
        ("table_row", "| Fresh root | 1–2 g | grated |"),
        ("table_row", "| Capsule | 250 mg |  |"),
        ("body", "After the table.")]
    assert table_row_reading(text, blocks, 3) == "Form: Fresh root; Amount: 1–2 g; Notes: grated"
    assert table_row_reading(text, blocks, 4) == "Form: Capsule; Amount: 250 mg"
    assert table_row_reading(text, blocks, 2) is None


def test_pipe_rows_without_delimiter_and_lines_that_are_no_table():
    text = "| Herb | Use |\n| Sage | sore throat |\n\nPosted: May 2 | Updated: May 9\nA plain line.\n"
    assert _kinds(text)[:2] == [("table_header", "| Herb | Use |"), ("table_row", "| Sage | sore throat |")]
    # one line with pipes is not a table
    assert "table_row" not in {k for k, _ in _kinds("Intro line here.\nHome | Herbs | Contact\nBody text.\n")}


def test_table_rows_are_never_joined_in_a_hard_wrapped_text():
    wrapped = ("Sage is an herb that people have used for a long time for sore throats and\n"
               "for memory, and it is still sold in many shops today as tea or tincture.\n"
               "| Form | Dose |\n|---|---|\n| Tea | 1 cup |\n| Tincture | 2 mL |\n")
    kinds = _kinds(wrapped)
    assert [k for k, _ in kinds] == ["body", "table_header", "table_row", "table_row"]


def test_key_value_lines_are_blocks_of_their_own():
    text = ("Fennel Facts\n\nFennel is a seed.\n\nAt a glance\nDose: 1–2 g\nSide effects: bloating, rash\n"
            "Onset: 20 minutes\n")
    assert _kinds(text)[3:] == [("key_value", "Dose: 1–2 g"), ("key_value", "Side effects: bloating, rash"),
                               ("key_value", "Onset: 20 minutes")]
    # hard-wrapped text: the key-value lines are still not glued together
    wrapped = ("Fennel seed has a long history of use for the gut and people still chew it after\n"
               "meals in many places, often with sugar.\nDose: 1–2 g\nOnset: 20 minutes\n")
    assert [k for k, _ in _kinds(wrapped)] == ["body", "key_value", "key_value"]


def test_what_is_not_a_key_value_line():
    # a Title Case heading with a colon, a labelled paragraph of several sentences, a question
    text = ("Intro line of the page.\nFennel: A Seed With a Long History\nIt is sweet.\n\n"
            "Background: Fennel is a plant. It grows in dry places.\n\nFact check: Is fennel safe?\n\n")
    kinds = _kinds(text)
    assert ("heading", "Fennel: A Seed With a Long History") in kinds
    assert ("body", "Background: Fennel is a plant. It grows in dry places.") in kinds
    assert ("question", "Fact check: Is fennel safe?") in kinds
    assert "key_value" not in {k for k, _ in kinds}
    # a wrapped sentence that happens to open with "Note:"
    wrapped = "Note: the seed may cause a rash in\nsome people who react to carrots.\n"
    assert _kinds(wrapped) == [("body", "Note: the seed may cause a rash in\nsome people who react to carrots.")]


def test_citation_broken_over_lines_continues_the_paragraph():
    text = "Pain relief was modest in trials [\n3,\n8]. Later work agreed [\n9].\nA new paragraph.\n"
    assert _kinds(text) == [("body", "Pain relief was modest in trials [\n3,\n8]. Later work agreed [\n9]."),
                            ("body", "A new paragraph.")]


def test_unpunctuated_run_is_a_block_of_its_own_kind():
    from claimex.nlp.segment import RUN_ON_WORDS, is_run_on
    words = " ".join(["sage", "leaf", "tea", "sleep", "dose"] * 40)  # 200 words, no full stop
    text = f"Sage Notes\n\nSage is an herb. It is used as tea.\n\n{words}\n"
    assert [b.kind for b in segment_text(text)] == ["title", "summary", "run_on"]
    assert RUN_ON_WORDS == 150 and is_run_on(words) and not is_run_on(words[:500])
    # full stops every 100 words: prose-like, not a run
    chunked = ". ".join(" ".join(["sage"] * 100) for _ in range(3)) + "."
    assert not is_run_on(chunked)
    # a decimal does not end a stretch
    assert is_run_on(" ".join(["0.5 g"] * 80))
