"""Citation and footnote markers (issue 16): claimex.nlp.citations and the sentences' citations column."""

from __future__ import annotations

import pytest

from claimex.nlp.citations import Marker, find_citation_markers, markers_by_sentence


@pytest.mark.parametrize("text, expected", [
    ("Ginger eased the cramps.2 Later", [(24, 25, "2")]),
    ("It may upset the stomach.3–5 and", [(25, 28, "3–5")]),
    ("as two trials found.4,7.", [(20, 23, "4,7")]),
    ("heart attacks.[4][7] Next", [(14, 17, "[4]"), (17, 20, "[7]")]),
    ("less worry(2-3) in most", [(10, 15, "(2-3)")]),
    ("several reviews [4, 5].", [(16, 22, "[4, 5]")]),
    ("better sleep¹² overall", [(12, 14, "¹²")]),
    # not markers: decimals, a year or a dose in parentheses, a journal volume, a word with digits
    ("take 0.5 g at night", []),
    ("a trial (2019) and a dose (2 g)", []),
    ("J Pain. 2019 Aug;56", []),
    ("the COVID19 wave", []),
])
def test_find_citation_markers(text, expected):
    found = find_citation_markers(text)
    assert [tuple(m) for m in found] == expected
    assert all(text[m.start:m.end] == m.text for m in found)


def test_a_marker_that_opens_a_sentence_belongs_to_the_one_before():
    text = "Use grew in 2019 [1]. Doses vary [2]. Some stop.3"
    # the splitter cut "[1]." off the first sentence
    spans = [(0, 16), (17, 37), (38, 49)]
    markers = find_citation_markers(text)
    assert [m.text for m in markers] == ["[1]", "[2]", "3"]
    assert markers_by_sentence(markers, spans, text) == [
        [Marker(17, 20, "[1]")], [Marker(33, 36, "[2]")], [Marker(48, 49, "3")]]
    assert markers_by_sentence([], spans, text) == [[], [], []]
    assert markers_by_sentence(markers, [], text) == []


def test_sentence_rows_carry_citations():
    import spacy

    from claimex.nlp.extract import sentence_rows

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("Ginger eased nausea [2]. It is cheap [3]. Nothing here.")
    rows = sentence_rows(doc, "d", [], offset=100)
    assert [r["citations"] for r in rows] == [
        [{"start": 120, "end": 123, "text": "[2]"}], [{"start": 137, "end": 140, "text": "[3]"}], []]


def test_markers_found_only_where_one_can_start_are_those_of_a_full_scan():
    from claimex.nlp.citations import MARKER

    text = ("Relief was reported.2 Pain fell.3,4 Sleep improved [5] and [6, 7]. Mood rose (8) "
            "and anxiety(9-11) eased.¹² Doses of 2.5 g (n = 40) in 2019 [12][13] nausea.1–3 "
            "versions 1.2.3, (a) lists, [x] boxes, death.[4] and [ 14 ].")
    found = [tuple(m) for m in find_citation_markers(text)]
    assert found == [(m.start(), m.end(), m.group(0)) for m in MARKER.finditer(text)]
    # "rose (8)": a space before the parenthesis, no marker
    assert [m[2] for m in found] == ["2", "3,4", "[5]", "[6, 7]", "(9-11)", "¹²", "[12]", "[13]",
                                     "1–3", "[4]", "[ 14 ]"]
