"""Tests for claimex.report: the reviewer flag report (HTML + Markdown twin).

The processed folder is synthetic (written with the real schemas): three
documents about kratom, one of them hostile (script in the title, an <img>
with onerror in the text, a javascript: URL, a '|' in the source name).
``write_kratom_fixture`` is also used by tests/test_report_browser.py.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from claimex import schema
from claimex.errors import ClaimexError
from claimex.report import (
    build_report,
    escape_md,
    highlight_html,
    json_for_script,
    load_processed,
    make_anchors,
    prepare,
    render_markdown,
    safe_href,
)

# ---------------------------------------------------------------------------
# the synthetic processed folder

DOC_A, DOC_B, DOC_C = "a3f1c2d4e5b60718", "b7e2d9c0a1f43b56", "c0ffee0000000bad"
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(2)>"
HOSTILE_REASON = 'No source is cited for "euphoria" <img src=x onerror="window.__xss=1"> | check.'

SENT_A_DEP = "Regular kratom use causes dependence in some users."
SENT_B_ADD = "Kratom does not cause addiction, according to advocates."

_DOCS = [
    {
        "doc_id": DOC_A, "source": "data/raw/001_kratom-fibromyalgia.txt",
        "title": "Kratom for Fibromyalgia: What Patients Should Know",
        "url": "https://example.org/kratom-fibromyalgia",
        "body": ["Kratom may relieve chronic pain in people with fibromyalgia.", SENT_A_DEP,
                 "Mitragynine acts on mu-opioid receptors."],
        # (sentence number, surface, label, canonical); sentence 0 is the title
        "ents": [(0, "Kratom", "SUBSTANCE", "kratom"), (0, "Fibromyalgia", "CONDITION", "fibromyalgia"),
                 (1, "Kratom", "SUBSTANCE", "kratom"), (1, "chronic pain", "CONDITION", "chronic pain"),
                 (1, "fibromyalgia", "CONDITION", "fibromyalgia"), (2, "kratom", "SUBSTANCE", "kratom"),
                 (2, "dependence", "SIDE_EFFECT", "dependence"), (3, "Mitragynine", "ALKALOID", "mitragynine"),
                 (3, "mu-opioid receptors", "RECEPTOR", "mu-opioid receptor")],
    },
    {
        "doc_id": DOC_B, "source": "data/raw/002_kratom-arthritis.txt",
        "title": "Kratom and Arthritis: A Natural Option?",
        "url": "http://health.example.com/kratom-arthritis",
        "body": [SENT_B_ADD, "Kratom treats arthritis pain.", "Kratom can cause nausea after high doses."],
        "ents": [(0, "Kratom", "SUBSTANCE", "kratom"), (0, "Arthritis", "CONDITION", "arthritis"),
                 (1, "Kratom", "SUBSTANCE", "kratom"), (1, "addiction", "SIDE_EFFECT", "addiction"),
                 (2, "Kratom", "SUBSTANCE", "kratom"), (2, "arthritis pain", "CONDITION", "arthritis"),
                 (3, "Kratom", "SUBSTANCE", "kratom"), (3, "nausea", "SIDE_EFFECT", "nausea")],
    },
    {
        "doc_id": DOC_C, "source": "scraped/003_evil|site.html",
        "title": HOSTILE_TITLE,
        "url": "javascript:alert(3)",
        "body": [f'Kratom causes "euphoria" | {HOSTILE_IMG} in most users.',
                 "Kratom is safer than opioids\u2028for everyone."],
        "ents": [(1, "Kratom", "SUBSTANCE", "kratom"), (1, "euphoria", "SIDE_EFFECT", "euphoria"),
                 (1, HOSTILE_IMG, "SUBSTANCE", HOSTILE_IMG),
                 (2, "Kratom", "SUBSTANCE", "kratom"), (2, "opioids", "SUBSTANCE", "opioids")],
    },
]

# (doc, sentence number, claim index, subject, predicate, object, subject surface, object surface,
#  polarity, hedged, hedge cues, certainty, attribution, evidence, claim_key)
_CLAIMS = [
    (DOC_A, 1, 0, "kratom", "TREATS", "chronic pain", "Kratom", "chronic pain", "affirmed", True, ["may"],
     "possible", "author", "none", "kratom|TREATS|chronic pain"),
    (DOC_A, 2, 1, "kratom", "CAUSES", "dependence", "kratom", "dependence", "affirmed", False, [],
     "asserted", "author", "none", "kratom|CAUSES|dependence"),
    (DOC_A, 3, 2, "mitragynine", "ACTS_ON", "mu-opioid receptor", "Mitragynine", "mu-opioid receptors",
     "affirmed", False, [], "asserted", "author", "none", "mitragynine|ACTS_ON|mu-opioid receptor"),
    (DOC_B, 1, 0, "kratom", "CAUSES", "addiction", "Kratom", "addiction", "negated", False, [],
     "asserted", "proponents", "vague-appeal", "kratom|CAUSES|addiction"),
    (DOC_B, 2, 1, "kratom", "TREATS", "arthritis", "Kratom", "arthritis pain", "affirmed", False, [],
     "asserted", "author", "none", "kratom|TREATS|arthritis"),
    (DOC_B, 3, 2, "kratom", "CAUSES", "nausea", "Kratom", "nausea", "affirmed", True, ["can"],
     "possible", "author", "none", "kratom|CAUSES|nausea"),
    (DOC_C, 1, 0, "kratom", "CAUSES", "euphoria", "Kratom", "euphoria", "affirmed", False, [],
     "asserted", "author", "none", "kratom|CAUSES|euphoria"),
    (DOC_C, 2, 1, "kratom", "SAFER_THAN", "opioids", "Kratom", "opioids", "affirmed", False, [],
     "asserted", "author", "none", "kratom|SAFER_THAN|opioids"),
]

# (flag id, claim (doc, index), kind, severity, score, reason, related claims)
_FLAGS = [
    ("F-dep-A", (DOC_A, 1), "contradicted", "high", 0.92,
     "Another source denies it: kratom CAUSES addiction (same group: dependence).", [(DOC_B, 0)]),
    ("F-dep-B", (DOC_B, 0), "contradicted", "high", 0.92,
     "Another source states it: kratom CAUSES dependence (same group: dependence).", [(DOC_A, 1)]),
    ("F-hedge-A", (DOC_A, 0), "hedged", "low", 0.30, "Stated only with the hedge 'may'.", []),
    ("F-hedge-B", (DOC_B, 2), "hedged", "low", 0.35, "Stated only with the hedge 'can'.", []),
    ("F-unsup-B", (DOC_B, 1), "unsupported", "medium", 0.60,
     "No evidence is given for this treatment claim.", []),
    ("F-unsup-C", (DOC_C, 0), "unsupported", "medium", 0.55, HOSTILE_REASON, []),
    ("F-over-C", (DOC_C, 1), "overstated", "high", 0.80,
     "Comparative safety claim stated as certain, without evidence.", []),
]

_GROUPS = {  # claim_key: (group_key, verdict, flags)
    "kratom|TREATS|chronic pain": ("kratom|TREATS|chronic pain", "hedged", ["hedged"]),
    "kratom|CAUSES|dependence": ("dependence", "contradicted", ["contradicted"]),
    "kratom|CAUSES|addiction": ("dependence", "contradicted", ["contradicted"]),
    "mitragynine|ACTS_ON|mu-opioid receptor": ("mitragynine|ACTS_ON|mu-opioid receptor", "supported", []),
    "kratom|TREATS|arthritis": ("kratom|TREATS|arthritis", "unsupported", ["unsupported"]),
    "kratom|CAUSES|nausea": ("kratom|CAUSES|nausea", "hedged", ["hedged"]),
    "kratom|CAUSES|euphoria": ("kratom|CAUSES|euphoria", "unsupported", ["unsupported"]),
    "kratom|SAFER_THAN|opioids": ("kratom|SAFER_THAN|opioids", "unsupported", ["overstated"]),
}


def _write(folder: Path, name: str, rows: list[dict]) -> None:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema.TABLES[name]), folder / f"{name}.parquet")


def write_kratom_fixture(folder: Path, *, with_errors: bool = True) -> Path:
    """Write the synthetic processed folder into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    documents, sentences, entities, claims = [], [], [], []
    sent_rows: dict[tuple[str, int], dict] = {}
    for d in _DOCS:
        parts = [d["title"]] + d["body"]
        text = parts[0] + "\n\n" + " ".join(parts[1:])
        pos = 0
        for i, part in enumerate(parts):
            start = text.index(part, pos)
            end = start + len(part)
            pos = end
            row = {
                "doc_id": d["doc_id"], "sent_id": f"{d['doc_id']}-s{i:04d}", "sent_index": i,
                "start_char": start, "end_char": end, "text": part, "section": None,
                "section_kind": "title" if i == 0 else "body", "paragraph": 0 if i == 0 else 1,
                "hedged": False, "hedge_cues": [], "negated": False, "negation_cues": [],
            }
            sentences.append(row)
            sent_rows[(d["doc_id"], i)] = row
        for k, (si, surface, label, canonical) in enumerate(d["ents"]):
            sent = sent_rows[(d["doc_id"], si)]
            start = text.index(surface, sent["start_char"])
            assert start + len(surface) <= sent["end_char"]
            entities.append({
                "doc_id": d["doc_id"], "sent_id": sent["sent_id"], "ent_id": f"{d['doc_id']}-e{k:04d}",
                "start_char": start, "end_char": start + len(surface), "text": surface, "label": label,
                "canonical": canonical, "match": "lexicon", "dose_min": None, "dose_max": None,
                "dose_unit": None, "dose_period": None,
            })
        documents.append({
            "doc_id": d["doc_id"], "source": d["source"], "sources": [d["source"]], "format": "txt",
            "title": d["title"], "url": d["url"], "n_chars": len(text), "n_words": len(text.split()),
            "n_sentences": len(parts), "content_sha256": "0" * 64, "text": text,
        })
    for (doc, si, ci, subj, pred, obj, s_txt, o_txt, pol, hedged, cues, cert, attr, evid, key) in _CLAIMS:
        sent = sent_rows[(doc, si)]
        text = sent["text"]
        start = sent["start_char"] + text.index(s_txt)
        end = sent["start_char"] + text.index(o_txt) + len(o_txt)
        claims.append({
            "claim_id": f"{doc}-c{ci:04d}", "doc_id": doc, "sent_id": sent["sent_id"],
            "start_char": start, "end_char": end, "text": text, "subject": subj, "predicate": pred,
            "object": obj, "subject_text": s_txt, "object_text": o_txt, "subject_ent_id": None,
            "object_ent_id": None, "polarity": pol, "hedged": hedged, "hedge_cues": cues, "certainty": cert,
            "attribution": attr, "evidence": evid, "qualifiers": [], "dose_min": None, "dose_max": None,
            "dose_unit": None, "dose_period": None, "claim_key": key,
        })
    by_id = {c["claim_id"]: c for c in claims}
    flags = []
    for fid, (doc, ci), kind, sev, score, reason, related in _FLAGS:
        claim = by_id[f"{doc}-c{ci:04d}"]
        flags.append({
            "flag_id": fid, "claim_id": claim["claim_id"], "doc_id": doc, "sent_id": claim["sent_id"],
            "claim_key": claim["claim_key"], "flag": kind, "reason": reason,
            "related_claim_ids": [f"{d}-c{i:04d}" for d, i in related],
            "related_doc_ids": [d for d, _ in related], "severity": sev, "score": score,
        })
    groups = []
    for key, (gk, verdict, gflags) in _GROUPS.items():
        members = [c for c in claims if c["claim_key"] == key]
        subj, pred, obj = key.split("|")
        groups.append({
            "claim_key": key, "group_key": gk, "subject": subj, "predicate": pred, "object": obj,
            "n_claims": len(members), "n_sources": len({c["doc_id"] for c in members}),
            "n_independent_sources": len({c["doc_id"] for c in members}),
            "n_affirming": sum(c["polarity"] == "affirmed" and not c["hedged"] for c in members),
            "n_negating": sum(c["polarity"] == "negated" for c in members),
            "n_hedging": sum(bool(c["hedged"]) for c in members),
            "doc_ids": sorted({c["doc_id"] for c in members}), "flags": gflags, "verdict": verdict,
        })
    _write(folder, "documents", documents)
    _write(folder, "sentences", sentences)
    _write(folder, "entities", entities)
    _write(folder, "claims", claims)
    _write(folder, "flags", flags)
    _write(folder, "claim_groups", groups)
    if with_errors:
        _write(folder, "errors", [{"source": "data/raw/broken|<b>.pdf", "stage": "read",
                                   "error": "[E022] data/raw/broken|<b>.pdf: unsupported file type '.pdf'; skipped."}])
    manifest = {
        "claimex_version": "0.1.0", "schema_version": schema.SCHEMA_VERSION,
        "model": {"name": "en_core_web_sm", "version": "3.8.0"},
        "inputs": [{"doc_id": d["doc_id"], "sources": [d["source"]]} for d in _DOCS],
        "row_counts": {"documents": 3, "sentences": len(sentences), "claims": len(claims), "flags": len(flags)},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    return write_kratom_fixture(tmp_path_factory.mktemp("processed"))


@pytest.fixture(scope="module")
def built(processed) -> tuple[str, str]:
    html_path, md_path = build_report(processed)
    return html_path.read_text(encoding="utf-8"), md_path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# escaping helpers

@pytest.mark.parametrize("text,expected", [
    ("a | b", r"a \| b"),
    ("line one\nline two\r\n", "line one line two"),
    ("`rm -rf` *bold* _it_ [x](javascript:alert(1))", r"\`rm -rf\` \*bold\* \_it\_ \[x\](javascript:alert(1))"),
    ("<img src=x onerror=alert(2)>", "&lt;img src=x onerror=alert(2)&gt;"),
    ("# heading", r"\# heading"),
    ("- item", r"\- item"),
    ("1. first", r"1\. first"),
    ("a\\|b", r"a\\\|b"),
    ("Tom & Jerry &lt;", "Tom &amp; Jerry &amp;lt;"),
    ("x\u2028y\u2029z", "x y z"),
    (None, ""),
])
def test_escape_md(text, expected):
    assert escape_md(text) == expected


def test_escape_md_truncates_before_escaping():
    assert escape_md("abc|defgh", limit=6) == r"abc\|d…"


@pytest.mark.parametrize("url,expected", [
    ("https://example.org/a?b=1", "https://example.org/a?b=1"),
    ("  HTTP://Example.org/x  ", "HTTP://Example.org/x"),
    ("javascript:alert(3)", None),
    ("JaVaScRiPt:alert(3)", None),
    ("java\tscript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("//example.org/x", None),
    ("https://example.org/\"onmouseover=alert(1)", None),
    ("https:///nohost", None),
    ("", None),
    (None, None),
])
def test_safe_href(url, expected):
    assert safe_href(url) == expected


def test_json_for_script_escapes_and_round_trips():
    value = {"t": "</script><!-- & \u2028\u2029 >"}
    encoded = json_for_script(value)
    assert encoded == '{"t":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 \\u003e"}'
    assert json.loads(encoded) == value


def test_make_anchors_safe_and_unique():
    anchors = make_anchors("doc-", ["abc", "a b", "doc-1"])
    assert anchors["abc"] == "doc-abc"
    assert anchors["doc-1"] == "doc-doc-1"
    assert re.fullmatch(r"doc-h[0-9a-f]{16}", anchors["a b"])
    assert make_anchors("doc-", ["a b"]) == {"a b": anchors["a b"]}


def test_highlight_html_marks_entities_and_claim_span():
    text = "Regular kratom use causes dependence & more."
    ents = [(110, 116, "SUBSTANCE", "kratom"), (128, 138, "SIDE_EFFECT", 'dep"<x>')]
    out = highlight_html(text, 102, ents, span=(110, 138))
    assert out == (
        'Regular <span class="claim-span"><mark class="ent ent-SUBSTANCE" data-label="SUBSTANCE">kratom</mark>'
        ' use causes <mark class="ent ent-SIDE_EFFECT" data-label="SIDE_EFFECT" title="dep&quot;&lt;x&gt;">'
        'dependence</mark></span>'
        " &amp; more."
    )


def test_highlight_html_overlaps_and_bad_labels():
    # the second entity overlaps the first and is dropped; a label that is not a
    # CSS identifier gets the class ent-OTHER and is still escaped as text
    out = highlight_html("<b>kratom tea</b>", 0, [(3, 13, "SUB<x>", "kratom tea"), (10, 13, "X", "tea")])
    assert out == '&lt;b&gt;<mark class="ent ent-OTHER" data-label="SUB&lt;x&gt;">kratom tea</mark>&lt;/b&gt;'


# ---------------------------------------------------------------------------
# the view model

def test_prepare_counts_matrix_and_flag_order(processed):
    r = prepare(load_processed(processed))
    assert r.counts == {"documents": 3, "sentences": 11, "claims": 8, "claim_groups": 7,
                        "contradicted_groups": 1, "flags": 7, "errors": 1}
    assert dict(r.flags_by_kind) == {"contradicted": 2, "hedged": 2, "unsupported": 2, "overstated": 1}
    assert [d.label + " " + d.doc_id for d in r.docs] == [f"D1 {DOC_A}", f"D2 {DOC_B}", f"D3 {DOC_C}"]
    assert [(" ".join(g.triple), g.verdict, [g.cells.get(d, ("silent", 0))[0] for d in (DOC_A, DOC_B, DOC_C)])
            for g in r.groups] == [
        ("kratom CAUSES addiction", "contradicted", ["affirmed", "negated", "silent"]),
        ("kratom CAUSES euphoria", "unsupported", ["silent", "silent", "affirmed"]),
        ("kratom CAUSES nausea", "hedged", ["silent", "hedged", "silent"]),
        ("kratom SAFER_THAN opioids", "unsupported", ["silent", "silent", "affirmed"]),
        ("kratom TREATS arthritis", "unsupported", ["silent", "affirmed", "silent"]),
        ("kratom TREATS chronic pain", "hedged", ["hedged", "silent", "silent"]),
        ("mitragynine ACTS_ON mu-opioid receptor", "supported", ["affirmed", "silent", "silent"]),
    ]
    assert r.groups[0].aka == [("kratom", "CAUSES", "dependence")]
    assert [v.flag["flag_id"] for v in r.flags] == [
        "F-dep-A", "F-dep-B", "F-over-C", "F-unsup-B", "F-unsup-C", "F-hedge-B", "F-hedge-A"]
    first = r.flags[0]
    assert [o.claim["claim_id"] for o in first.opposing] == [f"{DOC_B}-c0000"]
    assert first.opposing[0].sentence["text"] == SENT_B_ADD
    assert first.entities == ["dependence", "kratom"]
    assert [(s, dict(c)) for s, c in r.chart] == [
        ("data/raw/002_kratom-arthritis.txt", {"contradicted": 1, "hedged": 1, "unsupported": 1}),
        ("data/raw/001_kratom-fibromyalgia.txt", {"contradicted": 1, "hedged": 1}),
        ("scraped/003_evil|site.html", {"overstated": 1, "unsupported": 1}),
    ]


def test_prepare_caps_the_matrix(processed):
    r = prepare(load_processed(processed), max_matrix_rows=3, max_matrix_cols=2)
    assert [" ".join(g.triple) for g in r.groups] == [
        "kratom CAUSES addiction", "kratom CAUSES euphoria", "kratom CAUSES nausea"]
    # D2 has claims in two of the shown rows, D1 and D3 in one each: the tie goes to D1
    assert [d.label for d in r.matrix_cols] == ["D1", "D2"]
    assert r.matrix_notes == [
        "Showing the first 3 of 7 claim groups (contradicted groups first, then by number of flags and sources).",
        ("Showing 2 of 3 documents as columns (those with the most claims in these groups); "
         "every document is listed under Documents."),
    ]


def test_chart_sums_sources_beyond_the_limit(processed, monkeypatch):
    from claimex.report import data, html

    monkeypatch.setattr(data, "MAX_CHART_SOURCES", 2)
    r = prepare(load_processed(processed))
    assert [s for s, _ in r.chart] == ["data/raw/002_kratom-arthritis.txt", "data/raw/001_kratom-fibromyalgia.txt"]
    assert r.chart_other == (1, {"overstated": 1, "unsupported": 1})
    svg = html._chart_svg(r)
    assert ">1 other source</text>" in svg
    assert ">2 flags (1 overstated, 1 unsupported), not drawn</text>" in svg
    md = render_markdown(r)
    assert "| 1 other source | 0 | 1 | 1 | 0 | 2 |" in md


def test_contradiction_falls_back_to_group_claims(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p")
    table = pq.read_table(folder / "flags.parquet").to_pylist()
    for row in table:
        row["related_claim_ids"] = []
    _write(folder, "flags", table)
    r = prepare(load_processed(folder))
    by_id = {v.flag["flag_id"]: v for v in r.flags}
    assert [o.claim["claim_id"] for o in by_id["F-dep-A"].opposing] == [f"{DOC_B}-c0000"]
    assert [o.claim["claim_id"] for o in by_id["F-dep-B"].opposing] == [f"{DOC_A}-c0001"]
    assert by_id["F-hedge-A"].opposing == []


# ---------------------------------------------------------------------------
# the HTML page

class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.script_bodies: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_bodies.append(data)


_ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "div", "h1", "h2", "h3", "h4", "p",
                 "nav", "a", "main", "section", "span", "svg", "rect", "text", "details", "summary", "table",
                 "tr", "th", "td", "thead", "tbody", "strong", "ol", "li", "ul", "label", "select", "option",
                 "input", "button", "article", "blockquote", "mark", "noscript", "script", "colgroup", "col"}


def test_html_has_only_our_markup(built):
    page, _ = built
    parser = _Collector()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert set(tags) <= _ALLOWED_TAGS
    assert "img" not in tags
    scripts = [a for t, a in parser.tags if t == "script"]
    assert scripts == [{"type": "application/json", "id": "claimex-data"}, {}]
    for tag, attrs in parser.tags:
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("#", "http://", "https://")), href
    external = sorted(a["href"] for t, a in parser.tags if t == "a" and not a["href"].startswith("#"))
    # one "original" link per flag card of D1/D2 and one in each document's metadata; none for D3
    assert external == (["http://health.example.com/kratom-arthritis"] * 4
                        + ["https://example.org/kratom-fibromyalgia"] * 3)


def test_html_escapes_hostile_text(built):
    page, _ = built
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert '<span class="unlinked" title="not an http(s) link, shown as text">javascript:alert(3)</span>' in page
    assert "scraped/003_evil|site.html" in page
    # CSP: no network, only our own script and style
    assert "default-src &#x27;none&#x27;; script-src &#x27;sha256-" in page


def test_html_summary_and_json_data(built):
    page, _ = built
    for key, n in [("documents", 3), ("sentences", 11), ("claims", 8), ("flags", 7), ("errors", 1),
                   ("flag-contradicted", 2), ("flag-hedged", 2), ("flag-unsupported", 2), ("flag-overstated", 1)]:
        assert re.search(rf'id="sum-{key}"[^>]*><span class="n" data-count="{n}">{n}</span>', page), key
    parser = _Collector()
    parser.feed(page)
    data = json.loads(parser.script_bodies[0])
    assert [row["k"] for row in data["flags"]] == [
        "contradicted", "contradicted", "overstated", "unsupported", "unsupported", "hedged", "hedged"]
    assert [row["sev"] for row in data["flags"]] == [3, 3, 3, 2, 2, 1, 1]
    assert data["flags"][4]["q"].startswith("kratom causes euphoria unsupported medium no source is cited")
    assert "<img src=x onerror=\"window.__xss=1\">" in data["flags"][4]["q"]
    assert "</script" not in page.split('id="claimex-data">', 1)[1].split("</script>", 1)[0]


def test_html_anchors_link_flags_to_document_sentences(built):
    page, _ = built
    assert f'id="doc-{DOC_A}-s2"' in page
    # the header of F-dep-B and the opposing pane of F-dep-A
    assert page.count(f'href="#doc-{DOC_B}-s1"') == 2
    assert '<a class="fl" href="#flag-F-dep-A" title="contradicted flag #1">⚑1</a>' in page


def test_lazy_html_packs_cards_documents_and_data(processed, monkeypatch):
    from claimex import report
    from claimex.report import html

    monkeypatch.setattr(html, "FLAG_PAGE", 3)
    page = report.render_html(prepare(load_processed(processed)), lazy=True)
    parser = _Collector()
    parser.feed(page)
    scripts = [(a.get("type"), a.get("id")) for t, a in parser.tags if t == "script"]
    assert scripts == [("application/octet-stream", "claimex-store"), (None, None)]
    inline = [a["id"] for t, a in parser.tags if t == "article"]
    assert inline == ["flag-F-dep-A", "flag-F-dep-B", "flag-F-over-C"]
    # the documents are in the page without their bodies
    assert [a["id"] for t, a in parser.tags if t == "details" and a.get("class") == "doc"] == [f"doc-{DOC_A}", f"doc-{DOC_B}", f"doc-{DOC_C}"]
    assert f'id="doc-{DOC_A}-s2"' not in page
    store = report.unpack_store(page)
    assert store["data"]["page"] == 3
    assert [f["id"] for f in store["data"]["flags"]] == [
        "flag-F-dep-A", "flag-F-dep-B", "flag-F-over-C", "flag-F-unsup-B", "flag-F-unsup-C", "flag-F-hedge-B",
        "flag-F-hedge-A"]
    assert list(store["fragments"]) == [
        "flag-F-unsup-B", "flag-F-unsup-C", "flag-F-hedge-B", "flag-F-hedge-A",
        f"doc-{DOC_A}", f"doc-{DOC_B}", f"doc-{DOC_C}"]
    assert f'id="doc-{DOC_A}-s2"' in store["fragments"][f"doc-{DOC_A}"]
    assert store["fragments"]["flag-F-hedge-A"].startswith('<article class="flag')
    # the stored markup is the same escaped markup: only our tags, no handlers
    for body in store["fragments"].values():
        inner = _Collector()
        inner.feed(body)
        assert {t for t, _ in inner.tags} <= _ALLOWED_TAGS - {"script", "style"}
        assert not [k for _, a in inner.tags for k in a if k.startswith("on")]
    assert "<script>alert" not in page and "<img" not in page
    assert sum("&lt;img src=x onerror=alert(2)&gt;" in b for b in store["fragments"].values()) == 2  # C, F-unsup-C
    # packing is deterministic, and a small report has no store
    assert report.render_html(prepare(load_processed(processed)), lazy=True) == page
    assert report.unpack_store(report.render_html(prepare(load_processed(processed)), lazy=False)) == {}


def test_store_is_much_smaller_than_the_markup_it_holds():
    from claimex.report import pack_store, unpack_store

    fragments = {f"doc-{i:04d}": "<p>" + "Kratom may ease chronic pain. " * 40 + f"{i}</p>" for i in range(200)}
    block = pack_store({"page": 100, "flags": []}, fragments)
    assert block.startswith('<script type="application/octet-stream" id="claimex-store"')
    assert len(block) * 20 < sum(map(len, fragments.values()))
    assert unpack_store(f"<html>{block}</html>") == {"data": {"page": 100, "flags": []}, "fragments": fragments}


# ---------------------------------------------------------------------------
# the Markdown twin

_PIPE = re.compile(r"(?<!\\)\|")


def _tables(md: str) -> list[list[str]]:
    tables, current = [], []
    for line in md.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def test_markdown_tables_keep_their_columns(built):
    _, md = built
    tables = _tables(md)
    assert len(tables) == 7  # summary, per source, matrix, documents, flags, opposing, errors
    for table in tables:
        widths = {len(_PIPE.findall(row)) for row in table}
        assert len(widths) == 1, table
    assert [len(_PIPE.findall(t[0])) - 1 for t in tables] == [2, 6, 5, 7, 10, 7, 3]
    assert [len(t) - 2 for t in tables] == [11, 3, 7, 3, 7, 2, 1]


def test_markdown_escapes_hostile_text(built):
    _, md = built
    assert "<" not in md
    assert "| D3 | &lt;script&gt;alert(1)&lt;/script&gt; | scraped/003\\_evil\\|site.html | " \
           "not linked: javascript:alert(3) | 3 | 2 | 2 |" in md
    assert "| D1 | Kratom for Fibromyalgia: What Patients Should Know | data/raw/001\\_kratom-fibromyalgia.txt | " \
           "[example.org](https://example.org/kratom-fibromyalgia) | 4 | 3 | 2 |" in md
    assert ("| 5 | F-unsup-C | unsupported | medium | 0.55 | kratom CAUSES euphoria | ✔ affirmed | D3 | "
            "Kratom causes \"euphoria\" \\| &lt;img src=x onerror=alert(2)&gt; in most users. | "
            "No source is cited for \"euphoria\" &lt;img src=x onerror=\"window.\\_\\_xss=1\"&gt; \\| check. |") in md


def test_markdown_summary_and_matrix(built):
    _, md = built
    assert "| Documents | 3 |\n| Sentences | 11 |\n| Claims | 8 |" in md
    assert ("| Flags: contradicted | 2 |\n| Flags: overstated | 1 |\n| Flags: unsupported | 2 |\n"
            "| Flags: hedged | 2 |") in md
    assert ("| kratom CAUSES addiction (also: kratom CAUSES dependence) | contradicted | ✔ affirmed | ✘ negated | "
            "· silent |") in md
    assert (f"| 1 | D1 | {SENT_A_DEP} | D2 | ✘ negated | kratom CAUSES addiction | {SENT_B_ADD} |") in md


def test_markdown_twin_of_prepare_is_deterministic(processed):
    r1 = render_markdown(prepare(load_processed(processed)))
    r2 = render_markdown(prepare(load_processed(processed)))
    assert r1 == r2


# ---------------------------------------------------------------------------
# build_report: paths, atomic writes, errors

def test_build_report_default_and_custom_paths(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p", with_errors=False)
    html_path, md_path = build_report(folder)
    assert (html_path, md_path) == (folder / "report.html", folder / "report.md")
    out_html, out_md = tmp_path / "out" / "r.html", tmp_path / "out" / "r.md"
    assert build_report(folder, out_html=out_html, out_md=out_md) == (out_html, out_md)
    assert out_html.read_bytes() == html_path.read_bytes()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["r.html", "r.md"]  # no temp files left
    assert 'id="sum-errors"' not in html_path.read_text(encoding="utf-8")
    assert "Input errors" not in md_path.read_text(encoding="utf-8")


def test_missing_folder_is_e070(tmp_path):
    with pytest.raises(ClaimexError, match=r"^\[E070\] Cannot build the report: .*nope is not a folder"):
        build_report(tmp_path / "nope")


def test_missing_table_is_e071(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p")
    (folder / "claims.parquet").unlink()
    with pytest.raises(ClaimexError, match=r"^\[E071\] .*claims\.parquet: table is missing"):
        build_report(folder)


def test_corrupt_table_is_e072(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p")
    (folder / "flags.parquet").write_bytes(b"not a parquet file")
    with pytest.raises(ClaimexError, match=r"^\[E072\] .*flags\.parquet: cannot read the Parquet table"):
        build_report(folder)


def test_missing_column_is_e073(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p")
    pq.write_table(pa.table({"doc_id": ["x"], "source": ["y"]}), folder / "documents.parquet")
    with pytest.raises(ClaimexError, match=r"^\[E073\] .*documents\.parquet: table lacks the column\(s\) text "):
        build_report(folder)


def test_bad_manifest_is_e074(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p")
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ClaimexError, match=r"^\[E074\] .*manifest\.json: manifest is not valid"):
        build_report(folder)


def test_unwritable_output_is_e075(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ClaimexError, match=r"^\[E075\] Cannot write the report to .*file/r\.html"):
        build_report(folder, out_html=blocker / "r.html")
