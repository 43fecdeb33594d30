"""A report of many flags in Chromium (issue 22): the page reaches data-ready="1" and its kind filter
works (before, a 150,000-flag page stopped at "partial" with 100 cards and no filters).

The kratom fixture's flags are copied 2,000 times (14,000 flags, test_report_scale.inflate)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from reportkit import write_kratom_fixture
from test_report_scale import inflate

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"),
]

sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")


def test_a_page_of_many_flags_opens_fully_and_filters(tmp_path):
    from claimex.report import build_report

    folder = write_kratom_fixture(tmp_path / "p")
    assert inflate(folder, 2000) == 14_000
    html_path, _ = build_report(folder)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(html_path.as_uri(), wait_until="load")
            state = None
            for _ in range(400):  # the CSP forbids wait_for_function's eval: poll
                state = page.evaluate("() => document.documentElement.getAttribute('data-ready')")
                if state:
                    break
                time.sleep(0.05)
            assert state == "1"
            assert page.evaluate("() => document.getElementById('store-note').hidden") is True
            assert page.text_content("#flag-count") == "2000 of 2000 flags match · showing 100"
            assert "This report shows 2,000 of the 14,000 flags" in page.text_content("#flags-capped")
            page.select_option("#f-kind", "hedged")
            assert page.text_content("#flag-count") == "500 of 2000 flags match · showing 100"
            kinds = page.evaluate("() => [...document.querySelectorAll('#flag-list article.flag')]"
                                  ".map(a => a.className)")
            assert len(kinds) == 100 and all("k-hedged" in k for k in kinds)
            page.click("#flag-more")
            assert page.text_content("#flag-count") == "500 of 2000 flags match · showing 200"
        finally:
            browser.close()
