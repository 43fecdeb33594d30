"""claimex.ingest.html: the main text, title, URL and metadata of HTML pages."""

from __future__ import annotations

import pytest

from claimex.ingest import InputError

from ingest_files import GOOD_HTML, only_text, read_single


NAV_HTML = """<html><head><title>Shop</title><script>var x = 1;</script><style>.a {}</style></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/shop">Shop</a></li><li><a href="/about">About us</a></li></ul></nav>
<div class="cookie-banner">We use cookies. <a href="/privacy">Privacy policy</a> <button>Accept</button></div>
<div><p>This website uses cookies to ensure you get the best experience. By continuing you accept our
use of cookies.</p></div>
<noscript>Please enable JavaScript to view this site.</noscript>
<script>document.write("hello")</script>
<footer><a href="/terms">Terms</a></footer></body></html>"""

MALFORMED_HTML = """<html><body><div><p>Kratom leaves contain mitragynine, an alkaloid.<p>Users report relief
from chronic back pain <b>but also nausea.
<div><span>Unclosed tags everywhere</table></body>"""


def test_good_html(tmp_path):
    docs, errors = read_single(tmp_path, "page.html", GOOD_HTML)
    assert errors == []
    [doc] = docs
    assert doc.text == (
        "Kratom and Fibromyalgia\n"
        "Fibromyalgia is a chronic condition characterised by widespread pain, fatigue and poor sleep. "
        "Many patients look for alternatives to prescription painkillers.\n"
        "Some users report that kratom may reduce pain, but clinical trials are lacking.")
    assert doc.title == "Kratom and Fibromyalgia"
    assert doc.url == "https://example.org/kratom-fibro"  # canonical beats og:url
    assert doc.format == "html"
    assert doc.meta == {"sitename": "example.org"}


def test_html_url_falls_back_to_og_url_and_title_to_title_tag(tmp_path):
    html = GOOD_HTML.replace('<link rel="canonical" href="https://example.org/kratom-fibro">',
                             '<link rel="canonical" href="/relative-only">')
    docs, errors = read_single(tmp_path, "page.htm", html)
    assert errors == []
    assert docs[0].url == "https://example.org/og-url"
    assert docs[0].format == "html"


def test_navigation_only_html(tmp_path):
    docs, errors = read_single(tmp_path, "shop.html", NAV_HTML)
    assert docs == []
    assert errors == [InputError("shop.html", "parse",
                                 "[E018] shop.html: HTML page has no extractable main text.")]


def test_malformed_html_still_yields_text(tmp_path):
    docs, errors = read_single(tmp_path, "broken.html", MALFORMED_HTML)
    assert errors == []
    # The source line break inside the paragraph is collapsed as a browser
    # would; the <div> left inside the unclosed <b> stays inline.
    assert docs[0].text == ("Kratom leaves contain mitragynine, an alkaloid.\n"
                            "Users report relief from chronic back pain but also nausea. "
                            "Unclosed tags everywhere")
    assert (docs[0].title, docs[0].url) == (None, None)


def test_html_in_windows_1252_with_meta_charset(tmp_path):
    html = ('<html><head><meta charset="windows-1252"><title>Caf\xe9</title></head><body>'
            '<p>Kratom \x93works\x94 for some users, according to anecdotal reports from forums.</p>'
            '</body></html>').encode("latin-1")
    docs, errors = read_single(tmp_path, "w.html", html)
    assert errors == []
    assert docs[0].text == "Kratom “works” for some users, according to anecdotal reports from forums."
    assert docs[0].title == "Café"


def test_html_with_control_characters_and_preformatted_text(tmp_path):
    html = ("<html><body><p>Kratom\x01 leaf\x0cpowder is sold\n   online in many forms.</p>"
            "<pre>dose:\n  2 g</pre></body></html>")
    assert only_text(tmp_path, "c.html", html) == "Kratom leaf powder is sold online in many forms.\ndose:\n  2 g"


@pytest.mark.parametrize("html", ["<!-- only a comment -->", "<html><head></head></html>", "<p>\u00a0</p>"])
def test_html_without_any_text(tmp_path, html):
    docs, errors = read_single(tmp_path, "e.html", html)
    assert docs == []
    assert errors == [InputError("e.html", "parse", "[E018] e.html: HTML page has no extractable main text.")]
