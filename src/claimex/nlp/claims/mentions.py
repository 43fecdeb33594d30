"""The tagged entities as the claim rules see them, a claim's subject, and the article's main substance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..doctext import doc_text

# a therapy is a subject ("acupuncture relieved her pain"), never an object
SUBJECT_LABELS = ("SUBSTANCE", "ALKALOID", "THERAPY")
GENERIC_ALKALOID = "alkaloids"


@dataclass
class Mention:
    """One record of ``doc._.claimex_ents`` with its token span.

    ``label`` is the role a generic word plays ("side effects" is a
    SIDE_EFFECT); ``data`` is the record itself (its ``label`` is the tagged
    one, and is changed by the claims, see :func:`.rows.label_by_role`).
    """

    start: int
    end: int
    label: str
    canonical: str
    text: str
    tokens: tuple[int, int]  # token start, end (exclusive)
    data: dict[str, Any]

    @property
    def root_i(self) -> int:
        return self.tokens[1] - 1

    @property
    def generic(self) -> bool:
        return self.data.get("label") == "GENERIC"


@dataclass
class Subject:
    """A claim's subject: a canonical name, the words that stand for it, their span (None when implied)."""

    canonical: str
    text: str
    span: tuple[int, int] | None
    qualifiers: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, mention: Mention) -> Subject:
        """The subject named by ``mention``."""
        return cls(mention.canonical, mention.text, (mention.start, mention.end))


def doc_mentions(doc) -> list[Mention]:
    """The entities of ``doc`` (``doc._.claimex_ents``) that align with its tokens."""
    ents = []
    text = doc_text(doc)
    for e in doc._.claimex_ents or []:
        span = doc.char_span(e["start"], e["end"], alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        # a generic word ("side effects", "medications") plays the label it stands in for
        label = e.get("role") or e["label"]
        ents.append(Mention(e["start"], e["end"], label, e["canonical"], text[e["start"]:e["end"]],
                            (span.start, span.end), e))
    return ents


def span_root(doc, ent: Mention):
    """The syntactic head of the mention's tokens (found once per mention and Doc)."""
    cached = ent.__dict__.get("_root")
    if cached is not None and cached.doc is doc:
        return cached
    root = doc[ent.tokens[0]:ent.tokens[1]].root
    ent.__dict__["_root"] = root
    return root


TITLE_WEIGHT = 3  # a substance named in the title counts as three mentions
# A constituent named this many times as often as any substance is the article's topic.
CONSTITUENT_RATIO = 2


def main_substance(ents: Iterable[Mention], doc=None, *, rules=None) -> str | None:
    """The document's most frequent named substance (ties: first mentioned).

    Generic words ("supplements", "drugs") never count.  A constituent that
    the article names more than CONSTITUENT_RATIO (2) times as often as any substance is its topic
    ("curcumin" in an article that names turmeric once).  Given the ``doc``, a
    mention in the title counts :data:`TITLE_WEIGHT` times and a comparator
    ("stronger than morphine": a word of ``comparator_words`` of the ``rules``, by default the
    packaged :class:`~claimex.nlp.claim_rules.ClaimRules`, right before it) not at all.
    """
    comparator_words = frozenset()
    if doc is not None:
        if rules is None:
            from ..claim_rules import ClaimRules
            rules = ClaimRules.default()
        comparator_words = rules.words.comparator_words
    blocks = (doc._.claimex_blocks or []) if doc is not None else []
    titles = [(b[0], b[1]) for b in blocks if b[2] == "title"]
    counts: dict[str, int] = {}
    alk_counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for e in ents:
        if e.generic:
            continue
        weight = 1
        if doc is not None:
            before = doc[max(e.tokens[0] - 2, 0):e.tokens[0]]
            if any(t.lower_ in comparator_words for t in before):
                continue
            if any(a <= e.start < b for a, b in titles):
                weight = TITLE_WEIGHT
        if e.label == "SUBSTANCE":
            counts[e.canonical] = counts.get(e.canonical, 0) + weight
            first.setdefault(e.canonical, e.start)
        elif e.label == "ALKALOID":
            alk_counts[e.canonical] = alk_counts.get(e.canonical, 0) + weight
            first.setdefault(e.canonical, e.start)
    top_alk = sorted(alk_counts, key=lambda c: (-alk_counts[c], first[c]))[:1]
    if top_alk and alk_counts[top_alk[0]] > CONSTITUENT_RATIO * max(counts.values(), default=0):
        return top_alk[0]
    if not counts:
        return None
    return sorted(counts, key=lambda c: (-counts[c], first[c]))[0]
