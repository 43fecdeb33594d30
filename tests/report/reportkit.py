"""The synthetic processed folder the report tests read (written with the real schemas).

Three documents about kratom, one of them hostile (script in the title, an <img> with onerror
in the text, a javascript: URL, a '|' in the source name).  ``write_kratom_fixture`` is used by
every tests/report module, the browser tests included; ``Collector`` parses a page's tags.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from claimex import schema

# ---------------------------------------------------------------------------
# the synthetic processed folder

DOC_A, DOC_B, DOC_C = "a3f1c2d4e5b60718", "b7e2d9c0a1f43b56", "c0ffee0000000bad"
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(2)>"
HOSTILE_REASON = 'No source is cited for "euphoria" <img src=x onerror="window.__xss=1"> | check.'

SENT_A_DEP = "Regular kratom use causes dependence in some users."
SENT_B_ADD = "Kratom does not cause addiction, according to advocates."

_DOCS = [
    {
        "doc_id": DOC_A, "source": "data/raw/001_kratom-fibromyalgia.txt",
        "title": "Kratom for Fibromyalgia: What Patients Should Know",
        "url": "https://example.org/kratom-fibromyalgia",
        "body": ["Kratom may relieve chronic pain in people with fibromyalgia.", SENT_A_DEP,
                 "Mitragynine acts on mu-opioid receptors."],
        # (sentence number, surface, label, canonical); sentence 0 is the title
        "ents": [(0, "Kratom", "SUBSTANCE", "kratom"), (0, "Fibromyalgia", "CONDITION", "fibromyalgia"),
                 (1, "Kratom", "SUBSTANCE", "kratom"), (1, "chronic pain", "CONDITION", "chronic pain"),
                 (1, "fibromyalgia", "CONDITION", "fibromyalgia"), (2, "kratom", "SUBSTANCE", "kratom"),
                 (2, "dependence", "SIDE_EFFECT", "dependence"), (3, "Mitragynine", "ALKALOID", "mitragynine"),
                 (3, "mu-opioid receptors", "RECEPTOR", "mu-opioid receptor")],
    },
    {
        "doc_id": DOC_B, "source": "data/raw/002_kratom-arthritis.txt",
        "title": "Kratom and Arthritis: A Natural Option?",
        "url": "http://health.example.com/kratom-arthritis",
        "body": [SENT_B_ADD, "Kratom treats arthritis pain.", "Kratom can cause nausea after high doses."],
        "ents": [(0, "Kratom", "SUBSTANCE", "kratom"), (0, "Arthritis", "CONDITION", "arthritis"),
                 (1, "Kratom", "SUBSTANCE", "kratom"), (1, "addiction", "SIDE_EFFECT", "addiction"),
                 (2, "Kratom", "SUBSTANCE", "kratom"), (2, "arthritis pain", "CONDITION", "arthritis"),
                 (3, "Kratom", "SUBSTANCE", "kratom"), (3, "nausea", "SIDE_EFFECT", "nausea")],
    },
    {
        "doc_id": DOC_C, "source": "scraped/003_evil|site.html",
        "title": HOSTILE_TITLE,
        "url": "javascript:alert(3)",
        "body": [f'Kratom causes "euphoria" | {HOSTILE_IMG} in most users.',
                 "Kratom is safer than opioids\u2028for everyone."],
        "ents": [(1, "Kratom", "SUBSTANCE", "kratom"), (1, "euphoria", "SIDE_EFFECT", "euphoria"),
                 (1, HOSTILE_IMG, "SUBSTANCE", HOSTILE_IMG),
                 (2, "Kratom", "SUBSTANCE", "kratom"), (2, "opioids", "SUBSTANCE", "opioids")],
    },
]

# (doc, sentence number, claim index, subject, predicate, object, subject surface, object surface,
#  polarity, hedged, hedge cues, certainty, attribution, evidence, claim_key)
_CLAIMS = [
    (DOC_A, 1, 0, "kratom", "TREATS", "chronic pain", "Kratom", "chronic pain", "affirmed", True, ["may"],
     "possible", "author", "none", "kratom|TREATS|chronic pain"),
    (DOC_A, 2, 1, "kratom", "CAUSES", "dependence", "kratom", "dependence", "affirmed", False, [],
     "asserted", "author", "none", "kratom|CAUSES|dependence"),
    (DOC_A, 3, 2, "mitragynine", "ACTS_ON", "mu-opioid receptor", "Mitragynine", "mu-opioid receptors",
     "affirmed", False, [], "asserted", "author", "none", "mitragynine|ACTS_ON|mu-opioid receptor"),
    (DOC_B, 1, 0, "kratom", "CAUSES", "addiction", "Kratom", "addiction", "negated", False, [],
     "asserted", "proponents", "vague-appeal", "kratom|CAUSES|addiction"),
    (DOC_B, 2, 1, "kratom", "TREATS", "arthritis", "Kratom", "arthritis pain", "affirmed", False, [],
     "asserted", "author", "none", "kratom|TREATS|arthritis"),
    (DOC_B, 3, 2, "kratom", "CAUSES", "nausea", "Kratom", "nausea", "affirmed", True, ["can"],
     "possible", "author", "none", "kratom|CAUSES|nausea"),
    (DOC_C, 1, 0, "kratom", "CAUSES", "euphoria", "Kratom", "euphoria", "affirmed", False, [],
     "asserted", "author", "none", "kratom|CAUSES|euphoria"),
    (DOC_C, 2, 1, "kratom", "SAFER_THAN", "opioids", "Kratom", "opioids", "affirmed", False, [],
     "asserted", "author", "none", "kratom|SAFER_THAN|opioids"),
]

# (flag id, claim (doc, index), kind, severity, score, reason, related claims)
_FLAGS = [
    ("F-dep-A", (DOC_A, 1), "contradicted", "high", 0.92,
     "Another source denies it: kratom CAUSES addiction (same group: dependence).", [(DOC_B, 0)]),
    ("F-dep-B", (DOC_B, 0), "contradicted", "high", 0.92,
     "Another source states it: kratom CAUSES dependence (same group: dependence).", [(DOC_A, 1)]),
    ("F-hedge-A", (DOC_A, 0), "hedged", "low", 0.30, "Stated only with the hedge 'may'.", []),
    ("F-hedge-B", (DOC_B, 2), "hedged", "low", 0.35, "Stated only with the hedge 'can'.", []),
    ("F-unsup-B", (DOC_B, 1), "unsupported", "medium", 0.60,
     "No evidence is given for this treatment claim.", []),
    ("F-unsup-C", (DOC_C, 0), "unsupported", "medium", 0.55, HOSTILE_REASON, []),
    ("F-over-C", (DOC_C, 1), "overstated", "high", 0.80,
     "Comparative safety claim stated as certain, without evidence.", []),
]

_GROUPS = {  # claim_key: (group_key, verdict, flags)
    "kratom|TREATS|chronic pain": ("kratom|TREATS|chronic pain", "hedged", ["hedged"]),
    "kratom|CAUSES|dependence": ("dependence", "contradicted", ["contradicted"]),
    "kratom|CAUSES|addiction": ("dependence", "contradicted", ["contradicted"]),
    "mitragynine|ACTS_ON|mu-opioid receptor": ("mitragynine|ACTS_ON|mu-opioid receptor", "supported", []),
    "kratom|TREATS|arthritis": ("kratom|TREATS|arthritis", "unsupported", ["unsupported"]),
    "kratom|CAUSES|nausea": ("kratom|CAUSES|nausea", "hedged", ["hedged"]),
    "kratom|CAUSES|euphoria": ("kratom|CAUSES|euphoria", "unsupported", ["unsupported"]),
    "kratom|SAFER_THAN|opioids": ("kratom|SAFER_THAN|opioids", "unsupported", ["overstated"]),
}


def write_table(folder: Path, name: str, rows: list[dict]) -> None:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema.TABLES[name]), folder / f"{name}.parquet")


def write_kratom_fixture(folder: Path, *, with_errors: bool = True) -> Path:
    """Write the synthetic processed folder into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    documents, sentences, entities, claims = [], [], [], []
    sent_rows: dict[tuple[str, int], dict] = {}
    for d in _DOCS:
        parts = [d["title"]] + d["body"]
        text = parts[0] + "\n\n" + " ".join(parts[1:])
        pos = 0
        for i, part in enumerate(parts):
            start = text.index(part, pos)
            end = start + len(part)
            pos = end
            row = {
                "doc_id": d["doc_id"], "sent_id": f"{d['doc_id']}-s{i:04d}", "sent_index": i,
                "start_char": start, "end_char": end, "text": part, "section": None,
                "section_kind": "title" if i == 0 else "body", "paragraph": 0 if i == 0 else 1,
                "hedged": False, "hedge_cues": [], "negated": False, "negation_cues": [],
            }
            sentences.append(row)
            sent_rows[(d["doc_id"], i)] = row
        for k, (si, surface, label, canonical) in enumerate(d["ents"]):
            sent = sent_rows[(d["doc_id"], si)]
            start = text.index(surface, sent["start_char"])
            assert start + len(surface) <= sent["end_char"]
            entities.append({
                "doc_id": d["doc_id"], "sent_id": sent["sent_id"], "ent_id": f"{d['doc_id']}-e{k:04d}",
                "start_char": start, "end_char": start + len(surface), "text": surface, "label": label,
                "canonical": canonical, "match": "lexicon", "dose_min": None, "dose_max": None,
                "dose_unit": None, "dose_period": None,
            })
        documents.append({
            "doc_id": d["doc_id"], "source": d["source"], "sources": [d["source"]], "format": "txt",
            "title": d["title"], "url": d["url"], "n_chars": len(text), "n_words": len(text.split()),
            "n_sentences": len(parts), "content_sha256": "0" * 64, "input_path": d["source"], "input_line": None,
            "site": None, "text_repairs": [], "text": text,
        })
    for (doc, si, ci, subj, pred, obj, s_txt, o_txt, pol, hedged, cues, cert, attr, evid, key) in _CLAIMS:
        sent = sent_rows[(doc, si)]
        text = sent["text"]
        start = sent["start_char"] + text.index(s_txt)
        end = sent["start_char"] + text.index(o_txt) + len(o_txt)
        claims.append({
            "claim_id": f"{doc}-c{ci:04d}", "doc_id": doc, "sent_id": sent["sent_id"],
            "start_char": start, "end_char": end, "text": text, "subject": subj, "predicate": pred,
            "object": obj, "subject_text": s_txt, "object_text": o_txt, "subject_ent_id": None,
            "object_ent_id": None, "polarity": pol, "hedged": hedged, "hedge_cues": cues, "certainty": cert,
            "attribution": attr, "evidence": evid, "qualifiers": [], "dose_min": None, "dose_max": None,
            "dose_unit": None, "dose_period": None, "claim_key": key,
        })
    by_id = {c["claim_id"]: c for c in claims}
    flags = []
    for fid, (doc, ci), kind, sev, score, reason, related in _FLAGS:
        claim = by_id[f"{doc}-c{ci:04d}"]
        flags.append({
            "flag_id": fid, "claim_id": claim["claim_id"], "doc_id": doc, "sent_id": claim["sent_id"],
            "claim_key": claim["claim_key"], "flag": kind, "reason": reason,
            "related_claim_ids": [f"{d}-c{i:04d}" for d, i in related],
            "related_doc_ids": [d for d, _ in related], "severity": sev, "score": score,
        })
    groups = []
    for key, (gk, verdict, gflags) in _GROUPS.items():
        members = [c for c in claims if c["claim_key"] == key]
        subj, pred, obj = key.split("|")
        groups.append({
            "claim_key": key, "group_key": gk, "subject": subj, "predicate": pred, "object": obj,
            "n_claims": len(members), "n_sources": len({c["doc_id"] for c in members}),
            "n_independent_sources": len({c["doc_id"] for c in members}),
            "n_affirming": sum(c["polarity"] == "affirmed" and not c["hedged"] for c in members),
            "n_negating": sum(c["polarity"] == "negated" for c in members),
            "n_hedging": sum(bool(c["hedged"]) for c in members),
            "n_independent_affirming": len({c["doc_id"] for c in members if c["polarity"] == "affirmed"}),
            "n_independent_negating": len({c["doc_id"] for c in members if c["polarity"] == "negated"}),
            "doc_ids": sorted({c["doc_id"] for c in members}), "flags": gflags, "verdict": verdict,
        })
    write_table(folder, "documents", documents)
    write_table(folder, "sentences", sentences)
    write_table(folder, "entities", entities)
    write_table(folder, "claims", claims)
    write_table(folder, "flags", flags)
    write_table(folder, "claim_groups", groups)
    if with_errors:
        write_table(folder, "errors", [{"source": "data/raw/broken|<b>.pdf", "stage": "read",
                                   "error": "[E022] data/raw/broken|<b>.pdf: unsupported file type '.pdf'; skipped."}])
    manifest = {
        "claimex_version": "0.1.0", "schema_version": schema.SCHEMA_VERSION,
        "model": {"name": "en_core_web_sm", "version": "3.8.0"},
        "inputs": [{"doc_id": d["doc_id"], "sources": [d["source"]]} for d in _DOCS],
        "row_counts": {"documents": 3, "sentences": len(sentences), "claims": len(claims), "flags": len(flags)},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


class Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.script_bodies: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_bodies.append(data)


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "div", "h1", "h2", "h3", "h4", "p",
                 "nav", "a", "main", "section", "span", "svg", "rect", "text", "details", "summary", "table",
                 "tr", "th", "td", "thead", "tbody", "strong", "ol", "li", "ul", "label", "select", "option",
                 "input", "button", "article", "blockquote", "mark", "noscript", "script", "colgroup", "col"}
