"""The site of a document: two pages of one site count as one source.

:func:`site_of` gives a document's site: the registrable domain of its URL
when the document has one (``https://www.health.example.co.uk/a/b`` →
``example.co.uk``), else the site its record names (``documents.site``, a
JSONL or CSV record's own ``source`` field; a host name gives its registrable
domain), else a name read from its source path: the file name without
its folder and extension, without a leading document number (``d012-``,
``0042_``) and without a trailing copy marker (``-mirror``, ``-copy``,
``-archive``, ``-amp``, ``-print``; not a number: ``article-2`` is another
page), lower-cased; a source name that
is itself a host name (``healthline.com.txt``) gives its registrable domain.
So ``d012-healthline.txt`` and ``d047-healthline.txt`` are one site, and so
are ``springer.txt`` and ``springer-mirror.txt``.

The registrable domain is found without a public-suffix list: the last two
labels of the host, or the last three when the second-to-last is a common
second-level label under a two-letter country code (``co.uk``, ``com.au``,
``org.nz``, ``gov.in``, …).  A host that is an IP address is its own site.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import pyarrow as pa

from ..store.tables import column_values

__all__ = ["COPY_SUFFIX", "DOC_NUMBER", "SECOND_LEVEL", "document_sites", "registrable_domain", "site_of"]

# second-level labels under a country code that are not registrable on their own
SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "nhs", "or", "ne", "go", "gob", "gouv",
                          "nic", "mil", "sch", "ltd", "plc"})
#: A leading document number in a file name: "d012-", "0042_", "doc7-".
DOC_NUMBER = re.compile(r"^(?:[a-z]{0,3}\d+)[-_ ]+(?=\S)", re.IGNORECASE)
#: A trailing copy marker in a file name: "-mirror", "_copy".
COPY_SUFFIX = re.compile(r"(?:[-_ ](?:mirror|copy|archive|archived|amp|print|cached))+$", re.IGNORECASE)
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
_IP = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".json", ".csv", ".xml")


def registrable_domain(host: str) -> str:
    """The registrable domain of a host name (lower case, no ``www.``, no port)."""
    host = host.lower().strip().rstrip(".").rsplit("@", 1)[-1].split(":", 1)[0]
    if not host or _IP.match(host):
        return host
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _url_host(url: str) -> str:
    url = url.strip()
    if "//" not in url:
        url = "//" + url
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def site_of(url: str | None, source: str | None, named: str | None = None) -> str:
    """A document's site: its URL's registrable domain, else the site its record names
    (``documents.site``: a JSONL/CSV record's own ``source`` field), else a name read
    from its source path."""
    if url:
        host = _url_host(url)
        if host:
            return registrable_domain(host)
    if named and named.strip():
        name = " ".join(named.strip().lower().split())
        if name.startswith("www."):
            name = name[4:]
        return registrable_domain(name) if _HOST.match(name) else name
    name = PurePosixPath(str(source or "").replace("\\", "/").rstrip("/")).name
    if "://" in str(source or ""):
        host = _url_host(str(source))
        if host:
            return registrable_domain(host)
    lowered = name.lower()
    for ext in _EXTENSIONS:
        if lowered.endswith(ext):
            name = name[: -len(ext)]
            break
    name = COPY_SUFFIX.sub("", DOC_NUMBER.sub("", name)) or name
    name = name.strip().lower()
    if _HOST.match(name):
        return registrable_domain(name)
    return name


def document_sites(documents: pa.Table) -> dict[str, str]:
    """``doc_id`` → site for every document (its ``url``, ``site`` and ``source`` columns when present)."""
    doc_ids = column_values(documents.column("doc_id"))
    n = len(doc_ids)
    def col(name: str) -> list:
        return column_values(documents.column(name)) if name in documents.column_names else [None] * n

    return {d: site_of(u, s, k) or d for d, u, s, k in zip(doc_ids, col("url"), col("source"), col("site"))}
