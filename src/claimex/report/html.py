"""``report.html``: the view model rendered through the Jinja2 templates in ``templates/``.

The page is one self-contained file: inline CSS and JavaScript (``assets/``)
and inline SVG, with a Content-Security-Policy that allows only the page's own
script and style (by hash) and no network access at all.

Escaping: the environment autoescapes, and its ``finalize`` escapes every value
with :func:`.escape.esc` (the standard library's :func:`html.escape`), so text
from an article can reach the page only escaped; markup is passed on only where
this module or a template made it (:class:`markupsafe.Markup`).  Templates are
written one element per line: the loader strips every line and joins them
without a separator, so the page has no whitespace between its tags; a space
that matters stays inside a line (and a template error reports line 1).

A large report keeps the page fast (:func:`is_large`): only the first
:data:`FLAG_PAGE` flag cards are in the page, and the other cards, the
document bodies and the script's data travel in one compressed block
(:func:`pack_store`: JSON, gzip, base64) that the script unpacks with the
browser's ``DecompressionStream``; the fragments are the escaped markup the
templates wrote and become nodes only when they are shown.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import itertools
import json
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined
from markupsafe import Markup

from .data import (CELL_LEGEND, CELL_STATES, SEVERITY_RANK, DocView, FlagView, Report, Statement,
                   entities_in, sent_text, triple_of, triple_text)
from .escape import css_class, esc, json_for_script, link_host, safe_href
from ..markdown import plural

KIND_COLOURS = {
    "contradicted": "#d55e00",
    "overstated": "#b0508a",
    "unsupported": "#0072b2",
    "hedged": "#b57b00",
}
KIND_SYMBOLS = {"contradicted": "⇄", "overstated": "▲", "unsupported": "∅", "hedged": "≈"}
OTHER_COLOUR = "#7d8596"

MATRIX_LABEL_WIDTH = 330  # pixels: claim column and each document column of the matrix
MATRIX_CELL_WIDTH = 100
MATRIX_COMPACT_WIDTH = 36 # pixels: a document column of a compact matrix (Report.matrix_compact)
FLAG_PAGE = 100           # flag cards shown at a time in a large report
EAGER_MAX_FLAGS = 1000    # above this many flags, cards are paged
EAGER_MAX_DOCS = 300      # above this many documents or characters of text,
EAGER_MAX_CHARS = 3_000_000  # document bodies are built when opened

STORE_ID = "claimex-store"
STORE_LEVEL = 6           # gzip level of the packed store (9 is 3x slower for 2 % less)

_PACKAGE = "claimex.report"
_FRAGMENT_FORBIDDEN = re.compile(r"<script|</script|<!--", re.IGNORECASE)


# ---------------------------------------------------------------------------
# the template environment

def _asset(name: str) -> str:
    return (resources.files(_PACKAGE) / "assets" / name).read_text(encoding="utf-8")


def _template_source(name: str) -> tuple[str, str, Any]:
    """A template with every line stripped and the lines joined without a separator."""
    text = (resources.files(_PACKAGE) / "templates" / name).read_text(encoding="utf-8")
    return "".join(line.strip() for line in text.splitlines()), name, lambda: True


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}``: markup made here passes, anything else is escaped by :func:`esc`."""
    if hasattr(value, "__html__"):
        return value
    return Markup(esc(value))


def _join_text(items: Any, sep: str) -> str:
    return sep.join(str(x) for x in items)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@functools.cache
def environment() -> Environment:
    """The Jinja2 environment over the package's templates (built once)."""
    env = Environment(loader=FunctionLoader(_template_source), autoescape=True, finalize=_finalize,
                      undefined=StrictUndefined)
    # Python helpers are filters, not globals: a filter is a plain call, a global goes through the context
    env.filters.update(css_class=css_class, plural=plural, join_text=_join_text, shorten=_shorten,
                       safe_href=safe_href, link_host=link_host, triple_of=triple_of, triple_text=triple_text,
                       claim_meta_parts=claim_meta_parts, sentence_html=_sentence_html,
                       verdict_line=verdict_line, utc=_utc)
    env.globals.update(cell_states=CELL_STATES, cell_legend=CELL_LEGEND, kind_symbols=KIND_SYMBOLS)
    return env


def _macros(name: str) -> Any:
    return environment().get_template(name).module


# ---------------------------------------------------------------------------
# marked-up sentences

def highlight_html(text: str, base: int, ents: list[tuple[int, int, str, str]],
                   span: tuple[int, int] | None = None) -> str:
    """Escaped ``text`` with entity ``<mark>``s (displaCy-like) and an optional
    claim span.  Offsets in ``ents`` and ``span`` are document offsets; ``base``
    is the document offset of ``text[0]``.  Overlapping entities keep the first
    (longest) one; the claim span grows to whole entities so the tags nest.
    The canonical name goes into a ``title`` only when it differs from the text."""
    n = len(text)
    marks: list[tuple[int, int, str, str]] = []
    last = 0
    for s, e, label, canonical in sorted(ents, key=lambda t: (t[0], -t[1])):
        rs, re_ = max(0, s - base), min(n, e - base)
        if rs >= re_ or rs < last:
            continue
        marks.append((rs, re_, label, canonical))
        last = re_
    events: list[tuple[int, int, Any]] = [(m[0], 2, m) for m in marks]
    if span is not None:
        cs, ce = max(0, span[0] - base), min(n, span[1] - base)
        for ms, me, _, _ in marks:
            if ms < cs < me:
                cs = ms
            if ms < ce < me:
                ce = me
        if cs < ce:
            events += [(cs, 1, "open"), (ce, 0, "close")]
    events.sort(key=lambda ev: (ev[0], ev[1]))
    out: list[str] = []
    pos = 0
    for at, _, what in events:
        if at > pos:
            out.append(esc(text[pos:at]))
            pos = at
        if what == "open":
            out.append('<span class="claim-span">')
        elif what == "close":
            out.append("</span>")
        else:
            ms, me, label, canonical = what
            surface = text[ms:me]
            # the canonical name is shown on hover when it differs from the text
            title = f' title="{esc(canonical)}"' if canonical.casefold() != surface.casefold() else ""
            # the label is drawn by CSS from data-label, so it stays out of the text
            # (copying a sentence or finding it in the page works as written)
            out.append(f'<mark class="ent ent-{css_class(label, "OTHER")}" data-label="{esc(label)}"{title}>'
                       f'{esc(surface)}</mark>')
            pos = me
    out.append(esc(text[pos:]))
    return "".join(out)


def _sentence_html(st: Statement, r: Report, span: bool = True) -> Markup:
    """A statement's sentence with its entities and the claim span marked (the claim text
    when the sentence is unknown)."""
    if st.sentence is None:
        return Markup(esc(st.claim.get("text") or ""))
    text, base = sent_text(st.doc, st.sentence)
    ents = entities_in(r.ents_by_doc, str(st.claim["doc_id"]), base, base + len(text))
    cspan = None
    if span and isinstance(st.claim.get("start_char"), int) and isinstance(st.claim.get("end_char"), int):
        cspan = (st.claim["start_char"], st.claim["end_char"])
    return Markup(highlight_html(text, base, ents, cspan))


def _fmt_num(x: Any) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def claim_meta_parts(claim: dict[str, Any]) -> list[list[Any]]:
    """The claim's description after its polarity: ``[text, quoted evidence or None]`` per part."""
    parts: list[list[Any]] = []
    for key in ("certainty", "attribution", "evidence"):
        if claim.get(key):
            parts.append([f"{key}: {claim[key]}", None])
    if claim.get("evidence_text"):
        # the words the evidence was found in, quoted for the reviewer
        parts[-1][1] = claim["evidence_text"]
    quals = claim.get("qualifiers") or []
    if quals:
        parts.append(["qualifiers: " + "; ".join(
            f"{_text(q.get('kind'))}: {_text(q.get('text'))}" for q in quals if isinstance(q, dict)), None])
    if claim.get("dose_min") is not None or claim.get("dose_max") is not None:
        lo, hi = claim.get("dose_min"), claim.get("dose_max")
        rng = _fmt_num(lo) if hi is None or hi == lo else f"{_fmt_num(lo)}–{_fmt_num(hi)}"
        unit = " ".join(str(x) for x in (claim.get("dose_unit"), claim.get("dose_period")) if x)
        parts.append([f"dose: {rng} {unit}".rstrip(), None])
    return parts


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------
# the parts of the page that need layout or lookups

@dataclass
class _SentenceView:
    anchor: str
    cls: str = "s"
    inner: Any = None               # None: the offsets do not fit the text (an empty anchor is kept)
    flags: tuple[FlagView, ...] = ()


def _document_body(r: Report, doc: DocView) -> str:
    """Metadata line and the full text of one document, one anchored span per sentence."""
    if not doc.has_text:
        return _excerpt_body(r, doc)
    text = doc.text
    pieces: list[tuple[str, _SentenceView]] = []
    pos = 0
    for s in doc.sentences:
        st, en = int(s["start_char"]), int(s["end_char"])
        view = _SentenceView(doc.sentence_anchor(s))
        if not (pos <= st <= en <= len(text)):
            pieces.append(("", view))  # keep links working
            continue
        key = (doc.doc_id, str(s["sent_id"]))
        if key in r.claim_sents:
            view.inner = Markup(highlight_html(text[st:en], st, entities_in(r.ents_by_doc, doc.doc_id, st, en)))
            view.cls += " has-claim"
        else:
            view.inner = text[st:en]
        flagged = r.flags_by_sent.get(key)
        if flagged:
            view.cls += " has-flag"
            view.flags = tuple(flagged)
        pieces.append((text[pos:st], view))
        pos = en
    return str(_macros("documents.html.j2").body(doc, pieces, text[pos:]))


def _excerpt_body(r: Report, doc: DocView) -> str:
    """A document whose text the report does not carry: the sentences the flags shown refer to,
    each anchored like in a full text (so "read in context" still lands on it)."""
    pieces: list[tuple[str, _SentenceView]] = []
    for i, s in enumerate(doc.sentences):
        view = _SentenceView(doc.sentence_anchor(s), cls="s has-claim")
        text, base = sent_text(None, s)
        view.inner = Markup(highlight_html(text, base, entities_in(r.ents_by_doc, doc.doc_id, base, base + len(text))))
        flagged = r.flags_by_sent.get((doc.doc_id, str(s["sent_id"])))
        if flagged:
            view.cls += " has-flag"
            view.flags = tuple(flagged)
        pieces.append(("" if i == 0 else " … ", view))
    return str(_macros("documents.html.j2").body(doc, pieces, ""))


def _chart_layout(r: Report) -> dict[str, Any] | None:
    """Positions of the legend, bars and labels of the flags-per-source chart (None: no flags)."""
    if not r.chart:
        return None
    kinds = r.kinds
    width, label_w, row_h, top = 820, 250, 24, 34
    bar_x = label_w + 10
    bar_max = width - bar_x - 50
    biggest = max(sum(c.values()) for _, c in r.chart) or 1
    legend, x = [], 0
    for kind in kinds:
        legend.append((bar_x + x, kind, KIND_COLOURS.get(kind, OTHER_COLOUR)))
        x += 28 + 8 * len(kind)
    rows = []
    for i, (source, counter) in enumerate(r.chart):
        bars, pos = [], 0.0
        for kind in kinds:
            n = counter.get(kind, 0)
            if n:
                w = n / biggest * bar_max
                bars.append((bar_x + pos, w, n, kind, KIND_COLOURS.get(kind, OTHER_COLOUR)))
                pos += w
        rows.append({"y": top + i * row_h, "source": source,
                     "label": source if len(source) <= 38 else source[:36] + "…",
                     "bars": bars, "end": bar_x + pos, "total": sum(counter.values())})
    other = None
    if r.chart_other:
        n_other, counter = r.chart_other
        other = {"n": n_other, "y": top + len(r.chart) * row_h, "total": sum(counter.values()),
                 "parts": [(counter[k], k) for k in kinds if counter.get(k)]}
    return {"width": width, "height": top + row_h * (len(r.chart) + (1 if r.chart_other else 0)) + 8,
            "label_w": label_w, "bar_x": bar_x, "bar_h": row_h - 7, "legend": legend, "rows": rows,
            "other": other}


def _chart_svg(r: Report) -> str:
    """The inline-SVG chart of flags per source, stacked by flag kind."""
    return str(_macros("summary.html.j2").chart(_chart_layout(r)))


def _manifest_rows(r: Report) -> list[tuple[str, Any]]:
    m = r.processed.manifest
    if not m:
        return []
    rows = []
    for key in sorted(m):
        value = m[key]
        if key in ("inputs", "errors") and isinstance(value, list):
            value = f"{len(value)} entries"
        elif isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
            if len(value) > 300:
                value = value[:299] + "…"
        rows.append((key, value))
    return rows


def _matrix_widths(r: Report) -> dict[str, Any]:
    """Column widths of the claim matrix; with many documents it is compact: a symbol per cell
    (the state in its title), silent cells blank, narrow columns."""
    return {"label": MATRIX_LABEL_WIDTH, "cell": MATRIX_COMPACT_WIDTH if r.matrix_compact else MATRIX_CELL_WIDTH,
            "compact": r.matrix_compact}


def _summary_stats(r: Report) -> list[tuple[str, str]]:
    stats = [("documents", "documents"), ("sentences", "sentences"), ("claims", "claims"),
             ("claim_groups", "claim groups"), ("contradicted_groups", "contradicted groups"),
             ("flags", "flags")]
    if "errors" in r.counts:
        stats.append(("errors", "input errors"))
    return stats


PAST = {"accept": "accepted", "reject": "rejected", "unsure": "unsure"}
EXCERPT_CHARS = 140       # characters of an opposing statement written into its card (the script shows all)


def _utc(when: Any) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ") if hasattr(when, "strftime") else str(when or "")


def verdict_line(row: dict[str, Any]) -> str:
    """``Earlier review: rejected by ana on 2026-12-04 — “note”`` for a card."""
    out = f"Earlier review: {PAST.get(row['verdict'], row['verdict'])}"
    if row.get("reviewer"):
        out += f" by {row['reviewer']}"
    if row.get("decided_at") is not None:
        out += f" on {_utc(row['decided_at'])[:10]}"
    if row.get("note"):
        out += f" — “{row['note']}”"
    return out


class OpposingPanes:
    """The opposing statements of the cards, each pane's markup written once.

    A card names a statement by its index in ``markup`` (``data-st``) and carries
    only its document, sentence number, polarity and a short plain excerpt; the
    script puts the whole pane (source, claim, highlighted sentence) in when the
    card is shown, so a statement that opposes a hundred claims is in the page
    once, not a hundred times.
    """

    def __init__(self, r: Report) -> None:
        self.r = r
        self.index: dict[str, int] = {}
        self.markup: list[str] = []
        for v in r.flags:  # flag order, so the same report numbers them the same way
            for o in v.opposing:
                self.ref(o)

    def ref(self, o: Statement) -> int:
        key = str(o.claim["claim_id"])
        if key not in self.index:
            self.index[key] = len(self.markup)
            self.markup.append(_checked_fragment(str(_macros("cards.html.j2").pane_inner(self.r, o))))
        return self.index[key]

    def excerpt(self, o: Statement) -> str:
        text = sent_text(o.doc, o.sentence)[0] if o.sentence is not None else str(o.claim.get("text") or "")
        return _shorten(" ".join(text.split()), EXCERPT_CHARS)


def _flag_data(r: Report, page: int, panes: OpposingPanes) -> dict[str, Any]:
    """What the script needs per flag: kind, severity rank, score, source and
    entity indices, document-order rank, anchor, flag and claim id, and a
    lower-cased search text; the run id and the earlier review's verdicts and
    new flags; the opposing statements' markup."""
    src_index = {s: i for i, s in enumerate(r.sources)}
    ent_index = {e: i for i, e in enumerate(r.entity_names)}
    rows = []
    for v in r.flags:
        words = [triple_text(v.triple), v.kind, v.severity, str(v.flag["reason"])]
        if v.doc is not None:
            words += [v.doc.label, v.doc.display_title, v.doc.source]
        st = v.statement
        if st is not None and st.sentence is not None:
            words.append(sent_text(st.doc, st.sentence)[0])
        rows.append({
            "id": v.anchor, "k": v.kind, "sev": SEVERITY_RANK.get(v.severity, 0), "sc": round(v.score, 6),
            "src": src_index[v.doc.source] if v.doc else -1,
            "e": [ent_index[e] for e in v.entities], "o": v.order,
            "q": " ".join(" ".join(words).lower().split()),
            "fid": str(v.flag["flag_id"]), "cid": str(v.flag["claim_id"]),
        })
    review = r.processed.review
    shown = {row["fid"] for row in rows}  # a large report's page has the verdicts of its own flags
    return {"page": page, "flags": rows, "run": r.processed.run_id,
            "verdicts": {fid: [row["verdict"], row.get("note") or "", row.get("reviewer") or "",
                               _utc(row["decided_at"])] for fid, row in review.kept.items() if fid in shown},
            "new": list(review.new), "st": panes.markup}


# ---------------------------------------------------------------------------
# the packed store of a large report

def _checked_fragment(fragment: str) -> str:
    """Stored markup is the escaped markup the templates wrote, so an article
    cannot put a tag in it; this guards against a change in the templates."""
    if _FRAGMENT_FORBIDDEN.search(fragment):  # pragma: no cover - impossible with escaped text
        raise ValueError("report fragment contains a script tag or comment")
    return fragment


def pack_store(data: dict[str, Any] | None, fragments: Any) -> str:
    """The data block of a large report: ``{"data": ..., "fragments": {anchor: markup}}``
    (``data`` is ``None`` when the flags are all in the page and their data in a plain block)
    as UTF-8 JSON, gzip-compressed (``mtime`` 0, so the same input gives the same
    bytes) and base64-encoded inside an inert ``<script type="application/octet-stream">``.

    ``fragments`` is a dict or an iterable of ``(anchor, markup)`` pairs (made as they are
    packed): the JSON is written and compressed piece by piece, so the page's bulk is never
    one string in memory, only its compressed bytes."""
    items = fragments.items() if isinstance(fragments, dict) else fragments
    z = zlib.compressobj(STORE_LEVEL, zlib.DEFLATED, 31)  # 31: a gzip stream (mtime 0)
    out: list[bytes] = []

    def put(text: str) -> None:
        out.append(z.compress(text.encode("utf-8")))

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    put('{"data":' + dumps(data) + ',"fragments":{')
    first = True
    for key, fragment in items:
        put(("" if first else ",") + dumps(key) + ":" + dumps(_checked_fragment(fragment)))
        first = False
    put("}}")
    out.append(z.flush())
    packed = base64.b64encode(b"".join(out)).decode("ascii")
    return f'<script type="application/octet-stream" id="{STORE_ID}" data-encoding="json+gzip+base64">{packed}</script>'


def unpack_store(page: str) -> dict[str, Any]:
    """The inverse of :func:`pack_store`, read from a whole page (``{}`` when the
    page has no store, i.e. a small report)."""
    m = re.search(rf'<script type="application/octet-stream" id="{STORE_ID}"[^>]*>([^<]*)</script>', page)
    if not m:
        return {}
    return json.loads(gzip.decompress(base64.b64decode(m.group(1))).decode("utf-8"))


# ---------------------------------------------------------------------------
# the page

def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def is_large(r: Report) -> tuple[bool, bool]:
    """Whether the page pages its flag cards, and whether it builds documents only
    when they are opened (the light layout for large corpora)."""
    many_flags = len(r.flags) > EAGER_MAX_FLAGS
    big_docs = (len(r.all_docs or r.docs) > EAGER_MAX_DOCS
                or sum(len(d.text) for d in r.docs) > EAGER_MAX_CHARS)
    return many_flags, big_docs


def render_html(r: Report, *, lazy: bool | None = None) -> str:
    """The whole report page as one string.

    Small reports are plain HTML throughout.  Large ones keep the page fast
    (:func:`is_large` decides; ``lazy`` forces both parts on or off): only the
    first :data:`FLAG_PAGE` flag cards are in the page and the rest, like the
    document bodies and the script's data, are packed in one compressed block
    (:func:`pack_store`) that the script unpacks and turns into nodes when they
    are shown or opened.
    """
    lazy_flags, lazy_docs = is_large(r) if lazy is None else (lazy, lazy)
    css, js = _asset("report.css"), _asset("review.js") + _asset("report.js")  # one script: verdicts, then the page
    csp = (f"default-src 'none'; script-src '{_csp_hash(js)}'; style-src '{_csp_hash(css)}'; "
           "img-src 'none'; base-uri 'none'; form-action 'none'")
    page = FLAG_PAGE if lazy_flags else max(len(r.flags), 1)
    bodies = [Markup("") if lazy_docs else Markup(_document_body(r, d)) for d in r.docs]
    panes = OpposingPanes(r)
    data = _flag_data(r, page, panes)
    data_block = ""
    if not lazy_flags:  # the filters work even where the store cannot be unpacked
        data_block = f'<script type="application/json" id="claimex-data">{json_for_script(data)}</script>'
    store_note = ""
    if lazy_flags or lazy_docs:
        card = _macros("cards.html.j2").flag_card
        fragments = ((v.anchor, str(card(r, v, panes))) for v in r.flags[page:])
        if lazy_docs:
            fragments = itertools.chain(fragments, ((d.anchor, _document_body(r, d)) for d in r.docs))
        data_block += pack_store(data if lazy_flags else None, fragments)
        missing = ([f"only the {min(page, len(r.flags))} most severe flags are shown, without filters"]
                   if lazy_flags else []) + (["documents cannot be opened"] if lazy_docs else [])
        store_note = " and ".join(missing)
    noscript = "Filters and sorting need JavaScript."
    if lazy_flags:
        noscript += (f" This report is large: without JavaScript only the {min(page, len(r.flags))} most severe "
                     "flags are shown; report.md next to this file has every flag.")
    else:
        noscript += " All flags are listed below, most severe first."
    if lazy_docs:
        noscript += " Documents open only with JavaScript."
    source_labels: dict[str, list[str]] = defaultdict(list)
    wanted = set(r.sources)
    for d in r.all_docs or r.docs:
        if d.source in wanted:
            source_labels[d.source].append(d.label)
    return environment().get_template("page.html.j2").render(
        r=r, csp=csp, css=Markup(css), js=Markup(js), stats=_summary_stats(r), chart_layout=_chart_layout(r),
        manifest_rows=_manifest_rows(r), matrix_widths=_matrix_widths(r),
        noscript=noscript, store_note=store_note, inline_flags=r.flags[:page], page=page, lazy_docs=lazy_docs,
        bodies=bodies, source_labels=source_labels, data_block=Markup(data_block), panes=panes,
        vanished=r.processed.review.vanished,
    )
