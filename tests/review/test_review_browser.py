"""The reviewer's loop in report.html, in headless Chromium (Debian's, driven by Playwright).

Three flags reviewed with the keyboard survive a reload; an export (JSON and
CSV, downloaded from Blob URLs) imported into a fresh browser gives the same
decisions, and `claimex review import` reads both files into verdicts.parquet.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"),
]

sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")

_spec = importlib.util.spec_from_file_location(  # the report tests' synthetic folder
    "_claimex_reportkit_review", Path(__file__).parents[1] / "report" / "reportkit.py")
fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fx)

# the fixture's flags in the report's order (severity, then score)
ORDER = ["F-dep-A", "F-dep-B", "F-over-C", "F-unsup-B", "F-unsup-C", "F-hedge-B", "F-hedge-A"]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from claimex.report import build_report

    folder = fx.write_kratom_fixture(tmp_path_factory.mktemp("processed_review"))
    return build_report(folder)[0]


def _open(context, html_path: Path):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(f"{m.type}: {m.text}"))
    page.goto(html_path.as_uri(), wait_until="load")
    sync_api.expect(page.locator("html")).to_have_attribute("data-ready", "1")
    return page


def _verdicts(page) -> dict[str, str]:
    """flag id -> the pressed verdict button of every card in the page."""
    return page.eval_on_selector_all(
        "#flag-list > article.flag",
        "els => Object.fromEntries(els.map(e => [e.id.slice(5), "
        "(e.querySelector('.review [aria-pressed=true]') || {dataset: {}}).dataset.verdict || '']))")


def _review_three_with_the_keyboard(page):
    page.keyboard.press("j")                  # the first card becomes current
    sync_api.expect(page.locator("article.flag.current")).to_have_id("flag-F-dep-A")
    assert page.evaluate("document.activeElement.id") == "flag-F-dep-A"   # focus is on the card
    page.keyboard.press("a")                  # accept, and on to the next
    page.keyboard.press("r")
    page.keyboard.press("n")                  # a note on the third
    page.keyboard.type('overstated? "strong" claim, but cited')
    page.keyboard.press("Escape")
    page.keyboard.press("u")


def test_keyboard_review_survives_a_reload_and_filters_in_the_url(browser, report, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = _open(context, report)
        assert page.locator("#rv-count").inner_text() == "reviewed 0 / 7"
        _review_three_with_the_keyboard(page)
        expected = dict.fromkeys(ORDER, "")
        expected.update({"F-dep-A": "accept", "F-dep-B": "reject", "F-over-C": "unsure"})
        assert _verdicts(page) == expected
        assert page.locator("#rv-count").inner_text() == "reviewed 3 / 7"
        assert page.locator("article.flag.current").get_attribute("id") == "flag-F-unsup-B"
        page.reload()
        sync_api.expect(page.locator("html")).to_have_attribute("data-ready", "1")
        assert _verdicts(page) == expected
        assert page.locator("#rv-count").inner_text() == "reviewed 3 / 7"
        assert page.locator("#flag-F-over-C .rv-note").input_value() == 'overstated? "strong" claim, but cited'
        # the same key again clears a verdict; "unreviewed only" and its URL
        page.locator("#flag-F-dep-B .review .rv-reject").click()
        assert page.locator("#rv-count").inner_text() == "reviewed 2 / 7"
        page.select_option("#f-review", "unreviewed")
        assert page.url.endswith("report.html?review=unreviewed")
        page.select_option("#f-kind", "contradicted")
        assert page.url.endswith("report.html?kind=contradicted&review=unreviewed")
        page.reload()
        sync_api.expect(page.locator("html")).to_have_attribute("data-ready", "1")
        assert page.locator("#f-kind").input_value() == "contradicted"
        assert list(_verdicts(page)) == ["F-dep-B"]
        assert page.locator("#flag-count").inner_text() == "1 of 7 flags match"
        page.keyboard.press("?")
        assert page.locator("#rv-help").is_visible()
        page.keyboard.press("Escape")
        assert page.locator("#rv-help").is_hidden()
        assert page.errors == []
        # the report of a rerun (another run id) offers to bring the decisions over
        rerun = _rerun_report(report, tmp_path)
        page = _open(context, rerun)
        assert page.locator("#rv-count").inner_text() == "reviewed 0 / 7"
        page.click("#rv-carry")
        assert page.locator("#rv-count").inner_text() == "reviewed 2 / 7"
        assert page.locator("#rv-status").inner_text() == "Brought over 2 verdicts from earlier reports."
        assert page.errors == []
    finally:
        context.close()


def _rerun_report(report: Path, tmp_path: Path) -> Path:
    """The same flags in another folder whose tables (manifest digests) differ: another run id."""
    import shutil

    from claimex.report import build_report

    folder = tmp_path / "rerun"
    shutil.copytree(report.parent, folder)
    (folder / "manifest.json").write_text(json.dumps({"table_sha256": {"claims": "0" * 64}}), encoding="utf-8")
    return build_report(folder)[0]


def test_export_import_into_a_fresh_report_and_the_import_command(browser, report, tmp_path):
    from claimex.review import import_verdicts, read_verdicts, read_verdict_file

    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    try:
        page = _open(context, report)
        page.fill("#rv-name", "ana")
        page.locator("#rv-name").press("Tab")
        _review_three_with_the_keyboard(page)
        exports = {}
        for kind in ("json", "csv"):
            with page.expect_download() as info:
                page.click(f"#rv-export-{kind}")
            exports[kind] = tmp_path / f"verdicts.{kind}"
            info.value.save_as(exports[kind])
            assert info.value.suggested_filename.endswith("." + kind)
        assert page.locator("#rv-status").inner_text() == "Exported 3 verdicts as CSV."
        decided = _verdicts(page)
    finally:
        context.close()
    from claimex.review import run_id

    data = json.loads(exports["json"].read_text())
    assert (data["format"], data["version"], data["run_id"]) == ("claimex-verdicts", 1, run_id(report.parent))
    assert [(v["flag_id"], v["claim_id"], v["verdict"], v["reviewer"]) for v in data["verdicts"]] == [
        ("F-dep-A", f"{fx.DOC_A}-c0001", "accept", "ana"), ("F-dep-B", f"{fx.DOC_B}-c0000", "reject", "ana"),
        ("F-over-C", f"{fx.DOC_C}-c0001", "unsure", "ana")]
    assert exports["csv"].read_text().splitlines()[0] == "flag_id,claim_id,verdict,note,reviewer,decided_at"
    from_json, from_csv = read_verdict_file(exports["json"]), read_verdict_file(exports["csv"])
    assert [v.as_row() for v in from_json] == [v.as_row() for v in from_csv]
    assert from_json[2].note == 'overstated? "strong" claim, but cited'

    for kind in ("json", "csv"):  # a fresh browser (no stored verdicts) imports the file
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = _open(context, report)
            assert page.locator("#rv-count").inner_text() == "reviewed 0 / 7"
            page.set_input_files("#rv-import-file", str(exports[kind]))
            sync_api.expect(page.locator("#rv-status")).to_have_text(f"verdicts.{kind}: imported 3 verdicts.")
            assert _verdicts(page) == decided
            assert page.locator("#rv-count").inner_text() == "reviewed 3 / 7"
            assert page.locator("#flag-F-over-C .rv-note").input_value() == 'overstated? "strong" claim, but cited'
            if kind == "csv":  # a bad record is skipped and named by its line
                bad = tmp_path / "bad.csv"
                bad.write_text("flag_id,verdict,decided_at\nF-hedge-A,accept,2026-12-04T02:00:00Z\n"
                               "F-hedge-B,maybe,2026-12-04T02:00:00Z\n", encoding="utf-8")
                page.set_input_files("#rv-import-file", str(bad))
                sync_api.expect(page.locator("#rv-status")).to_have_text(
                    "bad.csv: imported 1 verdicts, skipped 1 invalid (line 3).")
                assert page.locator("#rv-count").inner_text() == "reviewed 4 / 7"
            assert page.errors == []
        finally:
            context.close()

    folder = report.parent  # the processed folder the report was built from
    result = import_verdicts(folder, exports["csv"])
    assert (result.added, result.total) == (3, 3)
    assert import_verdicts(folder, exports["json"]).unchanged == 3
    rows = read_verdicts(folder).rows
    assert [(r["flag_id"], r["claim_id"], r["verdict"], r["reviewer"]) for r in rows] == [
        ("F-dep-A", f"{fx.DOC_A}-c0001", "accept", "ana"), ("F-dep-B", f"{fx.DOC_B}-c0000", "reject", "ana"),
        ("F-over-C", f"{fx.DOC_C}-c0001", "unsure", "ana")]
