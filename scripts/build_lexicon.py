#!/usr/bin/env python
"""Build the ontology lexicon (CONDITION entries) from open vocabularies.

    .venv/bin/python scripts/build_lexicon.py --vocab ../shared/vocab

Reads ``symp.obo`` (Symptom Ontology, parsed with ``obonet``) and ``HumanDO.tsv``
(Human Disease Ontology: id, label, subClassOf) from ``--vocab`` and writes

* ``pipelines/lexicons/ontology.jsonl``: one lexicon entry per concept (the format of
  ``claimex.nlp.lexicon``): label ``CONDITION``, ``canonical`` the ontology label
  lower-cased, ``terms`` the label and its EXACT synonyms, ``group`` the parent's label
  (is_a / subClassOf), ``note`` the ontology id;
* ``pipelines/lexicons/ontology.SOURCE.json``: provenance (files, releases, licences,
  checksums) and the counts of kept and excluded terms by rule and source.

Curation rules (docs/lexicon.md) drop obsolete terms, names with digits or Roman numerals,
parentheses, commas or other punctuation, names of more than 5 words or of 1-3 characters,
acronyms that are English words, names that start with a degree word, DO names with a word
unknown to wordfreq, stop words, frequent single words (wordfreq Zipf >= 4.0) unless kept in
the exclude file, the terms
listed in ``pipelines/lexicons/ontology_exclude.txt``, and every term the curated
``pipelines/lexicons/entities.jsonl`` already has (those keep their curated entry; the
same check runs again when the lexicon is loaded).  Output is deterministic: no dates,
everything sorted.  Needs the ``lexicon`` extra (obonet, wordfreq).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from claimex.nlp.lexicon import Lexicon, term_variants  # noqa: E402

LABEL = "CONDITION"
MAX_WORDS = 5
MIN_CHARS = 4
FREQUENT_ZIPF = 4.0
CC0 = {"licence": "CC0 1.0 Universal", "licence_url": "https://creativecommons.org/publicdomain/zero/1.0/"}
# letters (any script), spaces, hyphens, apostrophes and full stops ("St. Louis encephalitis")
_ALLOWED = re.compile(r"[^\W\d_]+(?:[ \-'’.][^\W\d_]*)*")
# subtype numbers written in Roman numerals ("type II", "mucopolysaccharidosis IVA")
_ROMAN = re.compile(r"[IVX]{2,}[A-D]?|[IVX][A-D]")
# an acronym that lower-cased is an everyday word ("CHILD syndrome", "SHORT syndrome")
_ACRONYM = re.compile(r"[A-Z]{2,}[a-z]?")
ACRONYM_WORD_ZIPF = 3.0
# sources whose terms must be known to wordfreq: the 12,000 DO diseases are mostly rare ones
RARE_FILTERED = frozenset({"DOID"})
# a degree is not part of the entity ("severe headache" tags "headache", docs/gold-format.md): a term
# that starts with one would take the span from the curated head noun
DEGREE_WORDS = frozenset({"extreme", "severe", "intense", "mild", "moderate", "profound", "very", "progressive",
                          "occasional", "massive"})
_SYNONYM = re.compile(r'^"((?:[^"\\]|\\.)*)"\s+(EXACT|BROAD|NARROW|RELATED)\b')


@dataclass
class Concept:
    source: str  # "SYMP" or "DOID"
    id: str
    name: str
    synonyms: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)  # parent labels


@dataclass
class Curation:
    exclude: set[str]
    keep: set[str]
    concepts: set[str]


def norm(term: str) -> str:
    return " ".join(term.split())


def read_exclude(path: Path) -> Curation:
    cur = Curation(set(), set(), set())
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if re.fullmatch(r"(SYMP|DOID):\d+", line):
            cur.concepts.add(line)
        elif line.startswith("+"):
            cur.keep.add(norm(line[1:]).lower())
        else:
            cur.exclude.add(norm(line).lower())
    return cur


def read_symp(path: Path) -> tuple[list[Concept], dict[str, str], int]:
    """Non-obsolete terms of symp.obo, the header (data-version, ...) and the number of obsolete terms."""
    import obonet

    graph = obonet.read_obo(str(path), ignore_obsolete=False)
    header = {k: v for k, v in graph.graph.items() if isinstance(v, str)}
    names = {n: d.get("name", "") for n, d in graph.nodes(data=True)}
    concepts, obsolete = [], 0
    for node, data in sorted(graph.nodes(data=True)):
        if not node.startswith("SYMP:") or "name" not in data:
            continue
        if str(data.get("is_obsolete", "false")).lower() == "true" or data["name"].startswith("obsolete "):
            obsolete += 1
            continue
        synonyms = []
        for syn in data.get("synonym", []):
            m = _SYNONYM.match(syn)
            if m and m.group(2) == "EXACT":
                synonyms.append(m.group(1).replace('\\"', '"'))
        parents = sorted({names[p] for p in data.get("is_a", []) if names.get(p)})
        concepts.append(Concept("SYMP", node, data["name"], synonyms, parents))
    return concepts, header, obsolete


def read_do(path: Path) -> list[Concept]:
    by_id: dict[str, Concept] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            cid, label, parent = row["id"].strip(), row["label"].strip(), (row.get("subClassOf") or "").strip()
            concept = by_id.setdefault(cid, Concept("DOID", cid, label))
            if parent and parent not in concept.parents:
                concept.parents.append(parent)
    for concept in by_id.values():
        concept.parents.sort()
    return [by_id[k] for k in sorted(by_id)]


def source_row(source_md: Path, filename: str) -> str:
    """The release cell of ``filename``'s row in SOURCE.md's table."""
    for line in source_md.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0].strip("`") == filename:
            return cells[2]
    raise SystemExit(f"error: {source_md} has no table row for {filename}")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Rules:
    """Why a term does not enter (None: it may enter)."""

    def __init__(self, curation: Curation) -> None:
        from spacy.lang.en.stop_words import STOP_WORDS
        from wordfreq import zipf_frequency

        self.cur = curation
        self.stop = STOP_WORDS
        self.zipf = zipf_frequency

    def rare(self, term: str) -> bool:
        """A word of the term is unknown to wordfreq (Zipf 0): a name web articles hardly use."""
        return any(self.zipf(w, "en") == 0 for w in re.split(r"[\s\-'’.]+", term.lower()) if w)

    def reason(self, term: str, source: str = "SYMP") -> str | None:
        low = term.lower()
        if low in self.cur.exclude:
            return "exclude list"
        if low in self.cur.keep:
            return None
        words = term.split()
        if "(" in term or ")" in term or "[" in term:
            return "parenthesised qualifier"
        if re.search(r"\d", term) or any(_ROMAN.fullmatch(w) for w in words):
            return "digits or Roman numerals"
        if "," in term or not _ALLOWED.fullmatch(term):
            return "punctuation"
        if len(words) > MAX_WORDS:
            return f"more than {MAX_WORDS} words"
        if len(term) < MIN_CHARS:
            return f"{MIN_CHARS - 1} characters or fewer"
        if re.fullmatch(r"[A-Z]", words[0]) or any(
                _ACRONYM.fullmatch(w) and self.zipf(w.lower(), "en") >= ACRONYM_WORD_ZIPF for w in words):
            return "single capital letter or acronym that is an English word"
        if len(words) > 1 and words[0].lower() in DEGREE_WORDS:
            return "starts with a degree word"
        if source in RARE_FILTERED and self.rare(term):
            return "rare: a word unknown to wordfreq"
        if len(words) == 1:
            if low in self.stop:
                return "stop word"
            if self.zipf(low, "en") >= FREQUENT_ZIPF:
                return f"frequent single word (Zipf >= {FREQUENT_ZIPF})"
        return None


def build(vocab: Path, curated_path: Path, exclude_path: Path) -> tuple[list[dict], dict]:
    curation = read_exclude(exclude_path)
    rules = Rules(curation)
    symp, header, symp_obsolete = read_symp(vocab / "symp.obo")
    do = read_do(vocab / "HumanDO.tsv")
    curated = Lexicon.from_jsonl(curated_path)
    taken: set[str] = {form for form, _ in curated.patterns()}
    taken.update(t.lower() for e in curated for t in e.cased)
    taken.update(e.canonical.lower() for e in curated)
    canonicals: set[str] = set()

    entries: list[dict] = []
    stats = {src: {"concepts_read": 0, "terms_read": 0, "concepts": 0, "terms": 0,
                   "concepts_excluded": Counter(), "terms_excluded": Counter()}
             for src in ("SYMP", "DOID")}
    stats["SYMP"]["concepts_excluded"]["obsolete"] = symp_obsolete
    stats["SYMP"]["concepts_read"] = symp_obsolete  # terms_read counts the terms of non-obsolete concepts
    # SYMP first (it has synonyms); a DO concept that repeats a symptom is dropped.
    for concept in [*symp, *do]:
        st = stats[concept.source]
        st["concepts_read"] += 1
        names = [norm(concept.name)] + [norm(s) for s in concept.synonyms]
        names = list(dict.fromkeys(names))  # listed once, the label first
        st["terms_read"] += len(names)
        if concept.name.lower().startswith("obsolete "):
            st["concepts_excluded"]["obsolete"] += 1
            continue
        if concept.id in curation.concepts:
            st["concepts_excluded"]["exclude list (concept id)"] += 1
            st["terms_excluded"]["exclude list (concept id)"] += len(names)
            continue
        canonical = names[0].lower()
        kept, seen = [], set()
        for i, term in enumerate(names):
            why = rules.reason(term, concept.source)
            if why is None and term.lower() in seen:
                why = "duplicate"
            if why is None:
                forms = term_variants(term)
                if any(f in taken for f in forms):
                    why = "already a curated or earlier ontology term"
            if why is not None:
                st["terms_excluded"][why] += 1
                if i == 0:
                    # the canonical name is always matched: without it the concept cannot enter
                    st["concepts_excluded"][why] += 1
                    st["terms_excluded"]["name of an excluded concept"] += len(names) - 1
                    kept = []
                    break
                continue
            seen.add(term.lower())
            kept.append(term)
        if not kept:
            continue
        if canonical in canonicals:
            st["concepts_excluded"]["duplicate canonical"] += 1
            st["terms_excluded"]["duplicate canonical"] += len(kept)
            continue
        canonicals.add(canonical)
        for term in kept:
            taken.update(term_variants(term))
        entry: dict = {"label": LABEL, "canonical": canonical, "terms": kept}
        if concept.parents:
            entry["group"] = concept.parents[0].lower()
        entry["note"] = concept.id
        entries.append(entry)
        st["concepts"] += 1
        st["terms"] += len(kept)

    entries.sort(key=lambda e: (e["canonical"], e["note"]))
    # check the result parses and merges as the package will load it
    Lexicon.merged(curated, Lexicon.from_dict(entries, source="ontology.jsonl"))

    source_md = vocab / "SOURCE.md"
    symp_release = source_row(source_md, "symp.obo")
    do_release = source_row(source_md, "HumanDO.tsv")
    counts = {}
    for src, st in stats.items():
        counts[src] = {
            "concepts_read": st["concepts_read"], "terms_read": st["terms_read"],
            "concepts": st["concepts"], "terms": st["terms"],
            "concepts_excluded": dict(sorted(st["concepts_excluded"].items())),
            "terms_excluded": dict(sorted(st["terms_excluded"].items())),
        }
    provenance = {
        "file": "ontology.jsonl",
        "built_by": "scripts/build_lexicon.py",
        "label": LABEL,
        "entry_fields": {"canonical": "ontology label, lower-cased", "terms": "label and EXACT synonyms",
                         "group": "label of the parent concept (is_a / subClassOf), lower-cased",
                         "note": "ontology id"},
        "sources": [
            {"name": "Symptom Ontology", "id_prefix": "SYMP", "file": "symp.obo",
             "format": f"OBO {header.get('format-version', '?')}",
             "data_version": header.get("data-version"), "release": symp_release,
             "sha256": sha256(vocab / "symp.obo"), **CC0,
             "parser": _version("obonet")},
            {"name": "Human Disease Ontology", "id_prefix": "DOID", "file": "HumanDO.tsv",
             "format": "TSV: id, label, subClassOf", "release": do_release,
             "sha256": sha256(vocab / "HumanDO.tsv"), **CC0},
        ],
        "curation": {
            "exclude_file": "ontology_exclude.txt", "exclude_file_sha256": sha256(exclude_path),
            "max_words": MAX_WORDS, "min_chars": MIN_CHARS, "frequent_zipf": FREQUENT_ZIPF,
            "acronym_word_zipf": ACRONYM_WORD_ZIPF, "degree_words": sorted(DEGREE_WORDS),
            "rare_filtered_sources": sorted(RARE_FILTERED),
            "frequency_list": _version("wordfreq"), "stop_words": "spacy.lang.en.stop_words",
            "precedence": "entities.jsonl (curated) wins every collision, at build time and at load time",
        },
        "counts": counts,
        "total": {"concepts": len(entries), "terms": sum(len(e["terms"]) for e in entries)},
    }
    return entries, provenance


def _version(package: str) -> str:
    from importlib.metadata import version

    return f"{package} {version(package)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vocab", type=Path, required=True, help="folder with symp.obo, HumanDO.tsv, SOURCE.md")
    parser.add_argument("--out", type=Path, default=ROOT / "pipelines" / "lexicons")
    parser.add_argument("--curated", type=Path, default=ROOT / "pipelines" / "lexicons" / "entities.jsonl")
    parser.add_argument("--exclude", type=Path, default=ROOT / "pipelines" / "lexicons" / "ontology_exclude.txt")
    args = parser.parse_args(argv)
    try:
        import obonet  # noqa: F401
        import wordfreq  # noqa: F401
    except ImportError as err:
        print(f"error: {err.name} is missing: pip install -e '.[lexicon]'", file=sys.stderr)
        return 2
    entries, provenance = build(args.vocab, args.curated, args.exclude)
    out = args.out
    (out / "ontology.jsonl").write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
    (out / "ontology.SOURCE.json").write_text(
        json.dumps(provenance, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for src, c in provenance["counts"].items():
        print(f"{src}: {c['concepts']} concepts, {c['terms']} terms "
              f"(read {c['concepts_read']} concepts, {c['terms_read']} terms)")
    print(f"wrote {out / 'ontology.jsonl'}: {provenance['total']['concepts']} concepts, "
          f"{provenance['total']['terms']} terms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
