"""Helpers of the ingest tests: input files written into tmp_path and read back, shared inputs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from claimex.ingest import read_corpus

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def read_single(tmp_path: Path, name: str, data: bytes | str):
    folder = tmp_path / ("in-" + name.replace("/", "-"))
    write(folder, name, data)
    return read_corpus([folder])


def only_text(tmp_path: Path, name: str, data: bytes | str) -> str:
    docs, errors = read_single(tmp_path, name, data)
    assert errors == []
    assert len(docs) == 1
    return docs[0].text


GOOD_HTML = """<!DOCTYPE html>
<html><head><title>Kratom and Fibromyalgia | Example Health</title>
<meta charset="utf-8">
<link rel="canonical" href="https://example.org/kratom-fibro">
<meta property="og:url" content="https://example.org/og-url">
<script>var tracking = "do not keep this";</script>
<style>body { color: red; }</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/shop">Shop</a></li><li><a href="/blog">Blog</a></li></ul></nav>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
<button>Accept all cookies</button></div>
<article>
<h1>Kratom and Fibromyalgia</h1>
<p>Fibromyalgia is a chronic condition characterised by widespread pain, fatigue and poor sleep.
Many patients look for alternatives to prescription painkillers.</p>
<p>Some users report that kratom may reduce pain, but clinical trials are lacking.</p>
<script>console.log("inline script in article");</script>
</article>
<footer>Copyright 2024 Example Health. All rights reserved.</footer>
</body></html>"""

JSONL_LINES = [
    json.dumps({"id": 7, "title": "  First\n title ", "url": "https://a.example/1",
                "text": "Kratom may ease pain.", "lang": "en", "score": 0.5, "tags": ["x"]}),
    '{"text": "broken", ',
    "",
    json.dumps({"text": "Second article.", "source": "https://b.example/2", "id": "b2"}),
    json.dumps(["not", "an", "object"]),
    json.dumps({"title": "no text"}),
    json.dumps({"text": "Kratom may ease pain."}),
    json.dumps({"text": "   "}),
]
