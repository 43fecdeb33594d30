"""The main text of an HTML page, with its title, URL and metadata.

:func:`parse_html` cleans the page (source whitespace collapsed as a browser
renders it, cookie banners, ``<noscript>`` and ``<template>`` removed) and
hands the tree to trafilatura, which drops navigation, scripts and styles;
:func:`declared_charset` reads the ``<meta charset>`` used when the bytes
alone do not decide the encoding.  lxml and trafilatura are imported only
when a page is read.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..errors import Errors
from .documents import Entry, ParseError, one_line
from .textio import normalise_text

__all__ = ["declared_charset", "parse_html"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NOT_XML_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")
_SURROGATE_CHARS = re.compile(r"[\ud800-\udfff]")
_BOILERPLATE_ATTR = re.compile(r"cookie|consent|gdpr|onetrust|cookiebot|cc-banner|cc-window", re.IGNORECASE)
_COOKIE_WORD = re.compile(r"\bcookies?\b", re.IGNORECASE)
_CONSENT_WORD = re.compile(r"\b(accept|agree|consent|continu|privacy|policy|settings|preferences|opt)", re.IGNORECASE)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_PREFORMATTED = frozenset({"pre", "textarea"})
_NEVER_DROP = frozenset({"html", "body", "main", "article"})
_BANNER_TAGS = frozenset({"div", "section", "aside", "p", "footer", "header", "dialog", "form", "span"})
_MAX_BANNER_CHARS = 2000
_MAX_COOKIE_TEXT_CHARS = 600


def declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _http_url(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme in ("http", "https") and parts.netloc else None


def _prepare_tree(root) -> None:
    """Collapse source whitespace, remove banners, ``<noscript>``, ``<template>``.

    Runs of whitespace in text nodes (outside ``<pre>``/``<textarea>``) become
    one space, as a browser renders them, so that the only line breaks left in
    the extracted text are the ones trafilatura puts between blocks.

    trafilatura removes navigation, scripts and styles itself but keeps
    cookie banners as text.  A banner is an element whose id, class or
    aria-label names cookies/consent (and that holds at most 2000 characters),
    or a short block (at most 600 characters, outside ``<article>``/``<main>``)
    whose text speaks of cookies and of accepting/consent/privacy/settings.
    """
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.text and element.tag.lower() not in _PREFORMATTED:
            element.text = _HTML_SPACE.sub(" ", element.text)
        if element.tail:
            parent = element.getparent()
            if parent is None or not isinstance(parent.tag, str) or parent.tag.lower() not in _PREFORMATTED:
                element.tail = _HTML_SPACE.sub(" ", element.tail)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in ("noscript", "template"):
            element.drop_tree()
            continue
        if tag in _NEVER_DROP:
            continue
        attrs = " ".join(element.get(a, "") for a in ("id", "class", "aria-label"))
        if _BOILERPLATE_ATTR.search(attrs):
            if len(element.text_content()) <= _MAX_BANNER_CHARS:
                element.drop_tree()
            continue
        if tag in _BANNER_TAGS:
            content = element.text_content()
            if (len(content) <= _MAX_COOKIE_TEXT_CHARS and _COOKIE_WORD.search(content)
                    and _CONSENT_WORD.search(content)
                    and not any(a.tag in ("article", "main") for a in element.iterancestors()
                                if isinstance(a.tag, str))):
                element.drop_tree()


def parse_html(raw: str, names: tuple[str, ...]) -> Entry:
    """Main text of an HTML page, with title and URL (see module docstring).

    The title is trafilatura's (which drops a `` | Site name`` suffix), else
    ``<title>``; the URL is the canonical link, else ``og:url``, else
    trafilatura's, and only an absolute http(s) URL is kept.  ``meta`` holds
    ``sitename``, ``author`` and ``description`` when the page has them.
    Extraction favours precision: a page whose only text is navigation,
    scripts or banners raises ``E018``; a page lxml or trafilatura cannot
    handle at all raises ``E028``.  Control characters are dropped before
    parsing (lxml refuses them); ``normalise_text`` drops them anyway.
    """
    import lxml.etree
    import lxml.html

    primary = names[0]
    raw = _XML_DECLARATION.sub("", raw, count=1)
    # lxml refuses text that XML cannot hold: drop it before parsing.
    raw = _NOT_XML_CHARS.sub("", raw.replace("\x0b", " ").replace("\x0c", " "))
    raw = _SURROGATE_CHARS.sub("\ufffd", raw)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(raw, parser=parser)
    except lxml.etree.ParserError:  # "Document is empty"
        raise ParseError(Errors.E018.format(path=primary)) from None
    except (ValueError, lxml.etree.LxmlError) as exc:
        raise ParseError(Errors.E028.format(path=primary, reason=exc)) from None
    try:
        return _extract_html(root, names)
    except (ValueError, TypeError, lxml.etree.LxmlError) as exc:  # trafilatura/lxml on odd trees
        raise ParseError(Errors.E028.format(path=primary, reason=exc)) from None


def _extract_html(root, names: tuple[str, ...]) -> Entry:
    import trafilatura

    primary = names[0]
    page_title = root.findtext(".//title")
    canonical = og_url = None
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            canonical = canonical or _http_url(link.get("href"))
    for meta in root.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").strip().lower() == "og:url":
            og_url = og_url or _http_url(meta.get("content"))
    _prepare_tree(root)
    result = trafilatura.bare_extraction(
        root, with_metadata=True, include_comments=False, include_tables=True, favor_precision=True)
    text = normalise_text(result.text) if result is not None and result.text else ""
    if not text:
        raise ParseError(Errors.E018.format(path=primary))
    meta = {}
    for key in ("sitename", "author", "description"):
        value = one_line(getattr(result, key, None))
        if value:
            meta[key] = value
    return Entry(
        sources=names,
        text=text,
        format="html",
        title=one_line(result.title) or one_line(page_title),
        url=canonical or og_url or _http_url(result.url),
        meta=meta,
    )
