"""Entity lexicon: JSONL entries mapping surface terms to one canonical name per entity.

One JSON object per line (``pipelines/lexicons/entities.jsonl``)::

    {"label": "ALKALOID", "canonical": "7-hydroxymitragynine",
     "terms": ["7-hydroxymitragynine", "7-OH-mitragynine", "7-OH", "7-HMG"], "fuzzy": true}

Fields
------
``label`` (required)
    One of ``SUBSTANCE``, ``ALKALOID``, ``CONDITION``, ``SIDE_EFFECT``,
    ``RECEPTOR`` (``DOSE`` comes from :mod:`claimex.nlp.dose`, not from the lexicon).
``canonical`` (required)
    The one name every variant maps to.  Lower-case except proper names and
    acronyms ("NSAIDs", "PTSD", "St. John's wort").  Classes read in the plural
    ("opioids", "side effects", "opioid receptors"); single things in the
    singular ("morphine", "nausea", "mu-opioid receptor").  The canonical name
    is matched as a term too (case-insensitively, unless it is listed in ``cased``).
``terms`` (required)
    Surface forms matched case-insensitively on whole tokens.  List the
    singular: the plural of the last word is added automatically (see
    ``inflect``), and a hyphen between two words also matches a space
    ("mu-opioid receptor" matches "mu opioid receptor").  Misspellings are not
    listed: the fuzzy matcher catches them (see ``fuzzy``).
``cased`` (optional, list)
    Extra forms matched only with this exact capitalisation, for short
    acronyms that are ordinary words in lower case ("OUD", "RA", "MOR").
``fuzzy`` (optional, default ``false``)
    Whether near-miss spellings of this entry's terms are matched
    ("mitraginin" -> "mitragynine").  Turn it on for long technical names;
    leave it off for short or common words.
``group`` (optional)
    A family of near-synonymous canonical names that the flagging stage treats
    as one ("dependence", "addiction" and "abuse potential" share the group
    ``"dependence"``).  :meth:`Lexicon.group_of` returns it, or the canonical
    name itself when the entry has no group.
``role`` (required for ``GENERIC`` entries, not allowed on others)
    The label a generic word stands in for in claims ("side effects" ->
    ``SIDE_EFFECT``): the entities table says ``GENERIC``, claims use the role.
``pos`` (optional, list of universal POS tags)
    A one-word match counts only when the word has one of these parts of
    speech (``["NOUN"]`` keeps "focus" the effect and drops "we focus on").
``inflect`` (optional, default ``true``)
    Add the plural of the last word of every term automatically.  Set it to
    ``false`` for entries whose terms must not be pluralised.
``note`` (optional)
    Free text for editors (sources, reasons); ignored by the code.

A term may belong to one entry only; two entries with the same canonical name,
an unknown field, or an unknown label are errors that name the file and line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import ClaimexError, Errors
from ..rulebase import RuleFile, packaged
from ..schema import ENTITY_LABELS

LEXICON_LABELS: tuple[str, ...] = tuple(label for label in ENTITY_LABELS if label != "DOSE")
ENTRY_FIELDS: tuple[str, ...] = ("label", "canonical", "terms", "cased", "fuzzy", "group", "role", "pos",
                                  "inflect", "note")
UNIVERSAL_POS: tuple[str, ...] = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART",
                                   "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X")
# A GENERIC entry ("side effects", "medications") names the label it stands in
# for in claims (its ``role``); the entities table keeps the label GENERIC.
ROLE_LABELS: tuple[str, ...] = tuple(label for label in LEXICON_LABELS if label != "GENERIC")
DEFAULT_LEXICON = ("lexicons", "entities.jsonl")

_ES_ENDINGS = ("s", "x", "z", "ch", "sh")
_VOWELS = set("aeiou")


@dataclass(frozen=True)
class LexiconEntry:
    label: str
    canonical: str
    terms: tuple[str, ...]
    cased: tuple[str, ...] = ()
    fuzzy: bool = False
    group: str | None = None
    inflect: bool = True
    note: str | None = None
    line: int = field(default=0, compare=False)
    role: str | None = None
    pos: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The entry as a JSON-ready dict; optional fields only when they differ from the defaults."""
        out: dict[str, Any] = {"label": self.label, "canonical": self.canonical, "terms": list(self.terms)}
        if self.cased:
            out["cased"] = list(self.cased)
        if self.fuzzy:
            out["fuzzy"] = True
        if self.group is not None:
            out["group"] = self.group
        if self.role is not None:
            out["role"] = self.role
        if self.pos:
            out["pos"] = list(self.pos)
        if not self.inflect:
            out["inflect"] = False
        if self.note is not None:
            out["note"] = self.note
        return out


def plural_of(word: str) -> str | None:
    """English plural of a single lower-case word, or None when it should not be inflected.

    Words that already end in "s" are left alone (mostly plurals or mass nouns
    such as "diabetes", "arthritis"), except "-sis" -> "-ses" ("psychosis").
    Words with digits or of one or two letters are left alone.
    """
    if len(word) <= 2 or not word.isalpha():
        return None
    if word.endswith("sis"):
        return word[:-2] + "es"
    if word.endswith("s"):
        return None
    if word.endswith("y") and word[-2] not in _VOWELS:
        return word[:-1] + "ies"
    if word.endswith(_ES_ENDINGS):
        return word + "es"
    return word + "s"


_WORD_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W_])")


def term_variants(term: str, inflect: bool = True, *, lower: bool = True) -> list[str]:
    """Surface variants of a term: itself, hyphen -> space, and the plural of the last word.

    Lower-cased unless ``lower=False`` (the matcher tokenizes the original spelling too).
    Cached: building a lexicon and its matchers asks for the same terms several times.
    """
    return list(_term_variants(term, inflect, lower))


@functools.lru_cache(maxsize=65536)
def _term_variants(term: str, inflect: bool, lower: bool) -> tuple[str, ...]:
    base = term.strip().lower() if lower else term.strip()
    forms = [base]
    spaced = _WORD_HYPHEN.sub(" ", base)
    if spaced != base:
        forms.append(spaced)
    if inflect:
        for form in list(forms):
            head, sep, last = form.rpartition(" ")
            # "7-hydroxymitragynine" -> pluralise the part after the last hyphen
            head2, hyph, last2 = last.rpartition("-")
            plural = plural_of(last2.lower())
            if plural:
                # keep the written case of the unchanged prefix: "NSAID" -> "NSAIDs"
                keep = 0
                while keep < len(last2) and last2[keep].lower() == plural[keep]:
                    keep += 1
                forms.append(head + sep + head2 + hyph + last2[:keep] + plural[keep:])
    return tuple(dict.fromkeys(forms))


def _parse_entry(obj: Any, source: str, line: int) -> LexiconEntry:
    def fail(reason: str) -> ClaimexError:
        return ClaimexError(Errors.E041.format(path=source, line=line, reason=reason))

    if not isinstance(obj, dict):
        raise fail(f"expected a JSON object, got {type(obj).__name__}")
    unknown = sorted(set(obj) - set(ENTRY_FIELDS))
    if unknown:
        raise fail(f"unknown field {unknown[0]!r}; allowed fields: {', '.join(ENTRY_FIELDS)}")
    for required in ("label", "canonical", "terms"):
        if required not in obj:
            raise fail(f"missing field {required!r}")
    label = obj["label"]
    if label == "DOSE":
        raise fail("label DOSE is produced by the dose patterns (patterns/dose.jsonl), not by the lexicon")
    if label not in LEXICON_LABELS:
        raise ClaimexError(Errors.E042.format(label=label, path=source, line=line,
                                              labels=", ".join(LEXICON_LABELS)))
    canonical = obj["canonical"]
    if not isinstance(canonical, str) or not canonical.strip() or canonical != canonical.strip():
        raise fail("'canonical' must be a non-empty string without surrounding spaces")
    for name in ("terms", "cased"):
        value = obj.get(name, [])
        if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
            raise fail(f"{name!r} must be a list of non-empty strings")
    if not obj["terms"]:
        raise fail("'terms' must list at least one term")
    for name in ("fuzzy", "inflect"):
        if name in obj and not isinstance(obj[name], bool):
            raise fail(f"{name!r} must be true or false")
    for name in ("group", "note"):
        if name in obj and (not isinstance(obj[name], str) or not obj[name].strip()):
            raise fail(f"{name!r} must be a non-empty string")
    role = obj.get("role")
    if (label == "GENERIC") != (role is not None):
        raise fail("a GENERIC entry needs a 'role' (the label it stands in for in claims), "
                   "and only GENERIC entries have one")
    pos = obj.get("pos", [])
    if not isinstance(pos, list) or not all(p in UNIVERSAL_POS for p in pos):
        raise fail(f"'pos' must be a list of universal POS tags ({', '.join(UNIVERSAL_POS)})")
    if role is not None and role not in ROLE_LABELS:
        raise fail(f"'role' must be one of {', '.join(ROLE_LABELS)}, not {role!r}")
    return LexiconEntry(
        label=label,
        canonical=canonical,
        terms=tuple(t.strip() for t in obj["terms"]),
        cased=tuple(t.strip() for t in obj.get("cased", [])),
        fuzzy=obj.get("fuzzy", False),
        group=obj.get("group"),
        inflect=obj.get("inflect", True),
        note=obj.get("note"),
        line=line,
        role=role,
        pos=tuple(pos),
    )


class Lexicon(RuleFile):
    """Validated lexicon entries with term -> entry indexes.

    ``patterns()`` yields the (term, entry) pairs the matcher needs;
    ``lookup(term)`` maps any listed or generated form back to its entry.
    Read and written through :class:`claimex.rulebase.RuleFile` (``default()``
    is the curated file alone; :func:`load_default_lexicon` adds the ontology).
    """

    DEFAULT_FILE = DEFAULT_LEXICON
    LINE_ERROR = "E041"
    READ_ERROR = "E044"

    def __init__(self, entries: Iterable[LexiconEntry], source: str = "<dict>") -> None:
        self.entries: tuple[LexiconEntry, ...] = tuple(entries)
        self.source = source
        if not self.entries:
            raise ClaimexError(Errors.E046.format(path=source))
        self._by_canonical: dict[str, LexiconEntry] = {}
        self._explicit: dict[str, LexiconEntry] = {}  # lower-cased listed term -> entry
        self._terms: dict[str, LexiconEntry] = {}  # every lower-cased form (listed + generated)
        self._cased: dict[str, LexiconEntry] = {}
        for entry in self.entries:
            if entry.canonical in self._by_canonical:
                first = self._by_canonical[entry.canonical]
                raise self._error(entry, f"canonical {entry.canonical!r} is already defined on line {first.line}")
            self._by_canonical[entry.canonical] = entry
            for term in self._listed(entry):
                key = term.lower()
                other = self._explicit.get(key)
                if other is not None and other is not entry:
                    raise self._error(entry, f"term {term!r} already belongs to {other.canonical!r} "
                                             f"(line {other.line})")
                self._explicit[key] = entry
            for term in entry.cased:
                other = self._cased.get(term)
                if other is not None and other is not entry:
                    raise self._error(entry, f"cased term {term!r} already belongs to {other.canonical!r} "
                                             f"(line {other.line})")
                self._cased[term] = entry
        # Generated forms never override a listed term; between entries the first one wins.
        for key, entry in self._explicit.items():
            self._terms[key] = entry
        for entry in self.entries:
            for term in self._listed(entry):
                for form in term_variants(term, entry.inflect):
                    if form not in self._terms:
                        self._terms[form] = entry

    def _error(self, entry: LexiconEntry, reason: str) -> ClaimexError:
        return ClaimexError(Errors.E041.format(path=self.source, line=entry.line, reason=reason))

    def listed_terms(self, entry: LexiconEntry) -> list[str]:
        """The canonical name (unless listed already) and the entry's ``terms``, as written."""
        return self._listed(entry)

    @staticmethod
    def _listed(entry: LexiconEntry) -> list[str]:
        listed = {t.lower() for t in entry.terms}
        if entry.canonical.lower() in listed or entry.canonical in entry.cased:
            return list(entry.terms)
        return [entry.canonical, *entry.terms]

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_lines(cls, rows: list[tuple[int, Any]], *, source: str) -> Lexicon:
        return cls([_parse_entry(obj, source, line) for line, obj in rows], source=source)

    # the older names, still used by scripts/build_lexicon.py
    @classmethod
    def from_dict(cls, entries: Iterable[dict[str, Any]], source: str = "<dict>") -> Lexicon:
        return cls.from_records(entries, source=source)

    from_jsonl = classmethod(RuleFile.from_file.__func__)

    def to_records(self) -> list[dict[str, Any]]:
        return [entry.to_dict() for entry in self.entries]

    # -- queries ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[LexiconEntry]:
        return iter(self.entries)

    def __contains__(self, canonical: object) -> bool:
        return canonical in self._by_canonical

    def get(self, canonical: str) -> LexiconEntry | None:
        """The entry whose canonical name is ``canonical`` (exact), or None."""
        return self._by_canonical.get(canonical)

    def lookup(self, term: str) -> LexiconEntry | None:
        """The entry a surface form belongs to (case-insensitive, plurals and cased forms included)."""
        term = " ".join(term.split())
        entry = self._cased.get(term)
        if entry is not None:
            return entry
        return self._terms.get(term.lower())

    def group_of(self, canonical: str) -> str:
        """The entry's ``group``, or the canonical name itself (also for names not in the lexicon)."""
        entry = self._by_canonical.get(canonical)
        if entry is None or entry.group is None:
            return canonical
        return entry.group

    def patterns(self) -> list[tuple[str, LexiconEntry]]:
        """Every lower-cased form (listed and generated) with its entry, in a stable order."""
        return sorted(self._terms.items(), key=lambda item: item[0])

    def fuzzy_terms(self) -> dict[str, LexiconEntry]:
        """Forms of the entries with ``fuzzy: true`` (lower-cased)."""
        return {form: entry for form, entry in sorted(self._terms.items()) if entry.fuzzy}

    # -- merging ------------------------------------------------------------------------
    @classmethod
    def merged(cls, curated: Lexicon, extra: Lexicon | Iterable[LexiconEntry]) -> Lexicon:
        """``curated``'s entries unchanged, then those of ``extra`` that do not collide with them.

        Curated entries take precedence: an ``extra`` entry whose canonical name is a
        curated canonical name (case-insensitively) is dropped; so is every ``extra``
        term of which any generated form (plural, hyphen/space) is a form of a curated
        term, canonical or cased term; an entry whose own canonical name is dropped
        that way, or that is left without terms, is dropped as a whole.
        """
        from dataclasses import replace

        taken = set(curated._terms) | {t.lower() for t in curated._cased}
        taken.update(e.canonical.lower() for e in curated.entries)
        canonicals = {e.canonical.lower() for e in curated.entries}
        kept: list[LexiconEntry] = []
        for entry in extra:
            if entry.canonical.lower() in canonicals:
                continue
            terms = tuple(t for t in cls._listed(entry)
                          if not any(f in taken for f in term_variants(t, entry.inflect)))
            cased = tuple(t for t in entry.cased if t.lower() not in taken)
            own = {t.lower() for t in terms}
            if entry.canonical.lower() not in own and entry.canonical not in cased:
                continue  # its canonical name is a curated term: the curated entry covers it
            kept.append(replace(entry, terms=terms, cased=cased))
        source = getattr(extra, "source", "<entries>")
        return cls([*curated.entries, *kept], source=f"{curated.source} + {source}")


ONTOLOGY_LEXICON = ("lexicons", "ontology.jsonl")


@functools.lru_cache(maxsize=1)
def load_default_lexicon() -> Lexicon:
    """The packaged lexicon: the curated ``claimex.pipelines/lexicons/entities.jsonl`` plus the
    ontology terms of ``lexicons/ontology.jsonl`` (built by ``scripts/build_lexicon.py``), merged
    with :meth:`Lexicon.merged` so that curated entries win every collision."""
    curated = Lexicon.default()
    ontology = packaged(*ONTOLOGY_LEXICON)
    return Lexicon.merged(curated, Lexicon.from_file(ontology)) if ontology.is_file() else curated
