"""claimex.report.escape: the escaping of untrusted text for Markdown, links, script data and ids."""

from __future__ import annotations

import json
import re

import pytest

from claimex.report import escape_md, json_for_script, make_anchors, safe_href


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


@pytest.mark.parametrize("url", [
    "https://example.com/\u202egnp.exe",            # a right-to-left override hides the real extension
    "https://trusted.example@evil.example/page",    # userinfo hides the real host
    "http://user:secret@example.com/",
    "https://exa\u200bmple.com/",                   # a zero-width space inside the host
])
def test_spoofable_links_are_shown_as_text(url):
    from claimex.report.escape import link_host, safe_href

    assert safe_href(url) is None and link_host(url) == ""


def test_every_link_shows_its_host():
    from claimex.report.escape import link_host

    assert link_host("https://www.example.org/kratom?x=1") == "www.example.org"
