"""claimex.report in a real browser: Debian's Chromium driven by Playwright.

The page is built from the synthetic processed folder of tests/report/reportkit.py
(three kratom documents, one of them hostile) and checked as a reviewer sees
it: summary counts, filters, sorting, the side-by-side contradiction, links
into the documents, and that none of the injected markup ran.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import reportkit as fx

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"),
]

sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def report_paths(tmp_path_factory):
    from claimex.report import build_report

    folder = fx.write_kratom_fixture(tmp_path_factory.mktemp("processed"))
    eager = build_report(folder)[0]
    return {"eager": eager, "folder": folder}


@pytest.fixture(scope="module")
def lazy_report(tmp_path_factory):
    """The same folder rendered in the light layout, three cards per page."""
    from claimex import report
    from claimex.report import html

    folder = fx.write_kratom_fixture(tmp_path_factory.mktemp("processed_lazy"))
    saved = html.FLAG_PAGE
    html.FLAG_PAGE = 3
    try:
        html_path, _ = report.build_report(folder, lazy=True)
    finally:
        html.FLAG_PAGE = saved
    return html_path


class Watch:
    """Records what the page did that it must not do."""

    def __init__(self, page, own_url: str):
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url) if r.url != own_url else None)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


def _open(browser, html_path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    url = html_path.as_uri()
    watch = Watch(page, url)
    page.goto(url, wait_until="load")
    # the page's CSP forbids eval, so wait with Playwright's own selectors, not wait_for_function
    sync_api.expect(page.locator("html")).to_have_attribute("data-ready", "1")
    assert isinstance(page.evaluate("window.__claimexReady"), (int, float))
    return page, watch


@pytest.fixture()
def page(browser, report_paths):
    page, watch = _open(browser, report_paths["eager"])
    page.watch = watch
    yield page
    page.close()


def _visible_flag_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        "#flag-list > article.flag",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.id)")


def test_summary_counts(page):
    expected = {"documents": "3", "sentences": "11", "claims": "8", "claim_groups": "7",
                "contradicted_groups": "1", "flags": "7", "errors": "1", "flag-contradicted": "2",
                "flag-overstated": "1", "flag-unsupported": "2", "flag-hedged": "2"}
    got = {key: page.locator(f"#sum-{key} .n").inner_text() for key in expected}
    assert got == expected
    assert page.locator("#flag-count").inner_text() == "7 of 7 flags match"
    assert page.locator("#chart svg rect").count() == 4 + 7  # legend swatches + stacked segments


def test_matrix_rows_legend_and_contradiction_first(page):
    first = page.locator("#claim-matrix tbody tr").first
    assert first.get_attribute("class") == "row-contradicted"
    assert first.locator("td").all_inner_texts() == ["✔ affirmed", "✘ negated", "· silent"]
    assert page.locator("#claim-matrix tbody tr").count() == 7
    assert page.locator("#matrix-legend").is_visible()
    assert "✘ negated the source denies the claim" in page.locator("#matrix-legend").inner_text()


def test_filter_by_kind_hides_the_others(page):
    assert len(_visible_flag_ids(page)) == 7
    page.select_option("#f-kind", "hedged")
    assert _visible_flag_ids(page) == ["flag-F-hedge-B", "flag-F-hedge-A"]
    assert page.locator("#flag-count").inner_text() == "2 of 7 flags match"
    page.select_option("#f-kind", "contradicted")
    assert _visible_flag_ids(page) == ["flag-F-dep-A", "flag-F-dep-B"]
    page.click("#f-reset")
    assert len(_visible_flag_ids(page)) == 7


def test_filter_by_source_and_entity(page):
    page.select_option("#f-source", label="D3 — scraped/003_evil|site.html")
    assert _visible_flag_ids(page) == ["flag-F-over-C", "flag-F-unsup-C"]
    page.select_option("#f-source", "")
    page.select_option("#f-entity", label="nausea")
    assert _visible_flag_ids(page) == ["flag-F-hedge-B"]
    page.select_option("#f-entity", label="kratom")
    assert len(_visible_flag_ids(page)) == 7


def test_clicking_a_summary_kind_filters(page):
    page.click("#sum-flag-unsupported")
    assert page.locator("#f-kind").input_value() == "unsupported"
    assert _visible_flag_ids(page) == ["flag-F-unsup-B", "flag-F-unsup-C"]


def test_text_search_filters(page):
    cards = page.locator("#flag-list > article.flag")
    page.fill("#f-text", "nausea")
    sync_api.expect(page.locator("#flag-count")).to_have_text("1 of 7 flags match")
    assert _visible_flag_ids(page) == ["flag-F-hedge-B"]
    page.fill("#f-text", "KRATOM opioids")  # every word must occur, case-insensitive
    sync_api.expect(cards.first).to_have_id("flag-F-over-C")
    assert _visible_flag_ids(page) == ["flag-F-over-C"]
    page.fill("#f-text", "no such words anywhere")
    sync_api.expect(cards).to_have_count(0)
    assert page.locator("#flag-count").inner_text() == "0 of 7 flags match"
    assert page.locator("#flag-empty").is_visible()


def test_sorting_by_score_and_document(page):
    assert _visible_flag_ids(page)[:3] == ["flag-F-dep-A", "flag-F-dep-B", "flag-F-over-C"]
    page.select_option("#f-sort", "score-asc")
    assert _visible_flag_ids(page) == ["flag-F-hedge-A", "flag-F-hedge-B", "flag-F-unsup-C", "flag-F-unsup-B",
                                       "flag-F-over-C", "flag-F-dep-A", "flag-F-dep-B"]
    page.select_option("#f-sort", "document")
    assert _visible_flag_ids(page) == ["flag-F-hedge-A", "flag-F-dep-A", "flag-F-dep-B", "flag-F-unsup-B",
                                       "flag-F-hedge-B", "flag-F-unsup-C", "flag-F-over-C"]


def test_contradiction_shows_both_sentences_side_by_side(page):
    card = page.locator("#flag-F-dep-A")
    panes = card.locator(".sbs > .pane")
    assert panes.count() == 2
    assert fx.SENT_A_DEP in panes.nth(0).inner_text()
    assert fx.SENT_B_ADD in panes.nth(1).inner_text()
    assert panes.nth(0).is_visible() and panes.nth(1).is_visible()
    a, b = panes.nth(0).bounding_box(), panes.nth(1).bounding_box()
    assert abs(a["y"] - b["y"]) < 1 and b["x"] > a["x"] + a["width"] - 1  # side by side
    assert "✘ negated" in panes.nth(1).inner_text()
    assert panes.nth(1).locator("mark.ent-SIDE_EFFECT").inner_text() == "addiction"
    label = page.evaluate("getComputedStyle(document.querySelector('#flag-F-dep-A .pane.other mark.ent-SIDE_EFFECT'),"
                          " '::after').content")
    assert label == '"SIDE_EFFECT"'


def test_read_in_context_opens_the_document(page):
    details = page.locator(f"#doc-{fx.DOC_B}")
    assert details.get_attribute("open") is None
    page.locator("#flag-F-dep-A .pane.other a", has_text="read in context").click()
    sentence = page.locator(f"#doc-{fx.DOC_B}-s1")
    sentence.wait_for(state="visible")
    assert details.get_attribute("open") == ""
    assert sentence.inner_text().startswith("Kratom")
    assert "Kratom does not cause addiction, according to advocates." in sentence.inner_text()
    # and back from the sentence to its flag
    sentence.locator("a.fl").click()
    page.wait_for_url(re.compile(r"#flag-F-dep-B$"))
    assert page.locator("#flag-F-dep-B").is_visible()


def test_injected_markup_does_not_run(page):
    page.locator(f"#doc-{fx.DOC_C} > summary").click()
    page.fill("#f-text", "euphoria")
    sync_api.expect(page.locator("#flag-count")).to_have_text("1 of 7 flags match")
    page.select_option("#f-entity", label=fx.HOSTILE_IMG)
    page.wait_for_timeout(100)
    assert page.watch.dialogs == []
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 2
    summary = page.locator(f"#doc-{fx.DOC_C} > summary")
    assert fx.HOSTILE_TITLE in summary.inner_text()
    assert page.get_by_text(fx.HOSTILE_TITLE, exact=True).first.is_visible()
    assert fx.HOSTILE_IMG in page.locator(f"#doc-{fx.DOC_C}-s1").inner_text()
    assert page.locator(f"#doc-{fx.DOC_C} .unlinked").inner_text() == "javascript:alert(3)"
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert page.watch.console == [] and page.watch.errors == []
    assert page.watch.requests == []  # nothing fetched: no images, fonts or scripts from anywhere


def test_screenshot(page, tmp_path):
    path = tmp_path / "report.png"
    page.screenshot(path=str(path), full_page=True)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 50_000


def test_lazy_layout_pages_and_builds_on_demand(browser, lazy_report):
    page, watch = _open(browser, lazy_report)
    try:
        assert _visible_flag_ids(page) == ["flag-F-dep-A", "flag-F-dep-B", "flag-F-over-C"]
        assert page.locator("#flag-count").inner_text() == "7 of 7 flags match · showing 3"
        page.click("#flag-more")
        assert _visible_flag_ids(page) == ["flag-F-dep-A", "flag-F-dep-B", "flag-F-over-C", "flag-F-unsup-B",
                                           "flag-F-unsup-C", "flag-F-hedge-B"]
        for _ in range(6):
            page.keyboard.press("j")
        assert page.locator("article.flag.current").get_attribute("id") == "flag-F-hedge-B"
        page.keyboard.press("j")  # j on the last card shown pages on, as "Show more" does
        assert page.locator("article.flag.current").get_attribute("id") == "flag-F-hedge-A"
        assert len(_visible_flag_ids(page)) == 7
        assert page.locator("#flag-more").is_hidden()
        page.select_option("#f-kind", "hedged")
        assert _visible_flag_ids(page) == ["flag-F-hedge-B", "flag-F-hedge-A"]
        assert "Stated only with the hedge 'may'." in page.locator("#flag-F-hedge-A").inner_text()
        # a document body is built when it is opened, with its highlights
        assert page.locator(f"#doc-{fx.DOC_A}-s2").count() == 0
        page.locator(f"#doc-{fx.DOC_A} > summary").click()
        assert page.locator(f"#doc-{fx.DOC_A}-s2").inner_text().startswith("Regular kratom")
        assert page.locator(f"#doc-{fx.DOC_A}-s2 mark").count() == 2
        # a link to a sentence of a closed, unbuilt document
        page.select_option("#f-kind", "")
        page.locator("#flag-F-over-C a", has_text="read in context").click()
        page.locator(f"#doc-{fx.DOC_C}-s2").wait_for(state="visible")
        assert page.locator(f"#doc-{fx.DOC_C}").get_attribute("open") == ""
        # and a link from it to a flag card that is filtered out brings the card back
        page.select_option("#f-kind", "contradicted")
        page.locator(f"#doc-{fx.DOC_C}-s1 a.fl").click()
        page.locator("#flag-F-unsup-C").wait_for(state="visible")
        assert page.locator("#f-kind").input_value() == ""
        assert watch.dialogs == [] and watch.errors == [] and watch.console == [] and watch.requests == []
        assert page.evaluate("window.__xss") is None
    finally:
        page.close()


def _open_without_decompression(browser, html_path: Path, ready: str):
    """The page as a browser without DecompressionStream shows it."""
    page = browser.new_page()
    watch = Watch(page, html_path.as_uri())
    page.add_init_script("delete window.DecompressionStream;")
    page.goto(html_path.as_uri(), wait_until="load")
    sync_api.expect(page.locator("html")).to_have_attribute("data-ready", ready)
    return page, watch


def test_lazy_layout_without_decompression_says_so(browser, lazy_report):
    """A browser without DecompressionStream keeps the first cards and points to report.md."""
    page, watch = _open_without_decompression(browser, lazy_report, "partial")
    try:
        note = page.locator("#store-note")
        assert note.is_visible()
        assert note.inner_text().endswith(
            "later): only the 3 most severe flags are shown, without filters and documents cannot be opened. "
            "report.md next to this file has every flag.")
        assert _visible_flag_ids(page) == ["flag-F-dep-A", "flag-F-dep-B", "flag-F-over-C"]
        assert watch.errors == [] and watch.requests == []
    finally:
        page.close()


def test_documents_only_packed_keep_the_filters_without_decompression(browser, tmp_path, monkeypatch):
    """Many documents but few flags: every card is in the page and its data plain,
    so the filters work even where the document store cannot be unpacked."""
    from claimex import report
    from claimex.report import html

    folder = fx.write_kratom_fixture(tmp_path / "processed")
    monkeypatch.setattr(html, "is_large", lambda r: (False, True))
    html_path, _ = report.build_report(folder)
    page, watch = _open_without_decompression(browser, html_path, "1")
    try:
        assert page.locator("#store-note").inner_text().endswith(
            "later): documents cannot be opened. report.md next to this file has every flag.")
        assert len(_visible_flag_ids(page)) == 7
        page.select_option("#f-kind", "hedged")
        assert _visible_flag_ids(page) == ["flag-F-hedge-B", "flag-F-hedge-A"]
        assert watch.errors == [] and watch.requests == []
    finally:
        page.close()
