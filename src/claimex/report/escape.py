"""Escaping: the only ways text from an article reaches the report.

:func:`esc` for HTML text and double-quoted attributes (the templates' autoescape
uses it too, see :mod:`.html`), :func:`escape_md` for a Markdown cell or line,
:func:`safe_href` for the links (``http``/``https`` only), :func:`json_for_script`
for data inside a ``<script>`` block, and :func:`make_anchors` / :func:`css_class`
for ids and class names built from data.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from typing import Any
from urllib.parse import urlsplit


def esc(value: Any) -> str:
    """HTML-escape any value for text and double-quoted attribute contexts."""
    return html.escape("" if value is None else str(value), quote=True)


_MD_CTRL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")
_MD_LEADING = re.compile(r"^[#+\-=!:]")


def escape_md(value: Any, limit: int | None = None) -> str:
    """Escape untrusted text for one Markdown table cell or one line of prose.

    Newlines and control characters become spaces (a cell cannot be broken
    across lines), ``&``, ``<`` and ``>`` become entities (no raw HTML),
    backslash, backticks, ``* _ [ ] ~`` and ``|`` get a backslash (no code
    spans, emphasis, links, strike-through or extra columns), and a leading
    block marker (``#``, ``-``, ``+``, ``=``, ``1.``) is escaped.
    """
    text = "" if value is None else str(value)
    text = " ".join(_MD_CTRL.sub(" ", text).split())
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if _MD_LEADING_NUMBER.match(text):
        text = _MD_LEADING_NUMBER.sub(r"\1\\\2", text, count=1)
    elif _MD_LEADING.match(text):
        text = "\\" + text
    return text


# whitespace, controls, quotes and brackets, and the invisible bidi and zero-width marks that can make a
# link look like another ("https://example.com/\u202egnp.exe")
_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\"'<>\\`]")


def safe_href(url: Any) -> str | None:
    """Return ``url`` if it is a plain absolute ``http``/``https`` URL, else ``None``.

    ``javascript:``, ``data:``, relative URLs, URLs with ``user:pass@``, and
    anything with whitespace, control characters, bidi or zero-width marks
    (a right-to-left override), quotes or angle brackets are refused: they are
    shown as text, never as a link.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or _URL_FORBIDDEN.search(url):
        return None
    lowered = url.lower()
    if not lowered.startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if "@" in parts.netloc:
        return None  # "https://trusted.example@evil.example/": userinfo hides the real host
    return url


def link_host(url: Any) -> str:
    """The host a safe link goes to (shown beside every link), or ``""``."""
    href = safe_href(url)
    return (urlsplit(href).hostname or "") if href else ""


def json_for_script(obj: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e``, ``\\u0026``
    (so ``</script>`` or ``<!--`` in article text cannot end the block) and the
    line separators U+2028/U+2029 as escapes.  ``JSON.parse`` gives back the
    original strings.
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,80}")
_SAFE_CLASS = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}")


def make_anchors(prefix: str, ids: list[str]) -> dict[str, str]:
    """Map each id to a unique HTML id ``prefix + id`` (hashed when the id is not
    made of ``[A-Za-z0-9_-]``).  Deterministic for the same ids."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for value in sorted(set(ids)):
        if _SAFE_ID.fullmatch(value):
            candidate = prefix + value
        else:
            candidate = prefix + "h" + hashlib.sha1(value.encode("utf-8", "replace")).hexdigest()[:16]
        unique, n = candidate, 2
        while unique in used:
            unique, n = f"{candidate}-{n}", n + 1
        used.add(unique)
        out[value] = unique
    return out


def css_class(value: Any, fallback: str = "other") -> str:
    text = "" if value is None else str(value)
    return text if _SAFE_CLASS.fullmatch(text) else fallback
