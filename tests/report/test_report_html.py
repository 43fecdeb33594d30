"""claimex.report.html: the page (only our markup, escaping, anchors, the packed store, highlighting)."""

from __future__ import annotations

import json
import re

from reportkit import ALLOWED_TAGS, Collector, DOC_A, DOC_B, DOC_C

from claimex.report import highlight_html, load_processed, prepare


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


def test_html_has_only_our_markup(built):
    page, _ = built
    parser = Collector()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert set(tags) <= ALLOWED_TAGS
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
    parser = Collector()
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
    parser = Collector()
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
        inner = Collector()
        inner.feed(body)
        assert {t for t, _ in inner.tags} <= ALLOWED_TAGS - {"script", "style"}
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
