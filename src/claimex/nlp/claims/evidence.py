"""Who says a claim and what it rests on: attribution and evidence.

Attribution climbs from the trigger to a reporting verb ("report", "claim",
"suggest", ...) and reads its subject ("users", "proponents", "research",
...); ``author`` when there is none.  Evidence is read from the sentence:
a citation, a study reference or a named authority (:func:`sentence_evidence`),
else a study its paragraph introduced, else an anecdote, a vague appeal, or
none; a ``REGULATED`` claim also takes the regulator its sentence names
("approved by the FDA").  The lexicon and the patterns are data
(``claim_rules.json``: ``report_verbs``, ``attribution``, ``evidence_patterns``).
"""

from __future__ import annotations

import re

from ..claim_rules import ClaimRules
from ..doctext import doc_text
from .context import Evidence, SentenceContext
from .tree import ancestors, lemma_of

# The evidence kinds a reader can check, strongest first.
EVIDENCE_KINDS_CHECKABLE = ("citation", "study-reference", "authority")


def sentence_evidence(text: str, offset: int, rules: ClaimRules, *, following: str = "") -> Evidence | None:
    """The checkable evidence a sentence gives: ``(kind, (start, end))``, offsets into the Doc.

    Kinds, strongest first: ``citation`` (bracket or parenthesis references,
    footnote numbers glued to a word, author–year, journal references, DOI,
    PMID, links), ``study-reference`` (a named or dated study: "a 2019 study in
    the Journal of …", "a randomized trial of 120 patients", "a Cochrane
    review"), ``authority`` (a named agency or institution as the source:
    "according to NIDA", "the FDA warns").  The patterns are data
    (``claim_rules.json``, ``evidence_patterns``).  Vague appeals ("studies
    show") are not evidence here.

    ``following``: the text right after the sentence.  A reference marker that
    the sentence splitter cut off ("… in 2018 [1]." read as "… in 2018" and
    "[1].") still belongs to the sentence: when ``following`` starts with
    bracket references and nothing else before the next sentence, they are the
    sentence's citation.
    """
    res = rules.evidence_res
    for kind in EVIDENCE_KINDS_CHECKABLE:
        pat = res.get(kind)
        m = pat.search(text) if pat is not None else None
        if m:
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            return kind, (offset + start, offset + m.end())
    m = _TRAILING_MARKER.match(following) if following else None
    if m:
        end = offset + len(text)
        return "citation", (end + m.start(1), end + m.end(1))
    return None


# bracket references alone between a sentence and the next one: " [1].", "[2][3]"
_TRAILING_MARKER = re.compile(r"[ \t]{0,2}((?:\[\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*\])+)[.;,]?(?=\s|$)")


def regulator_evidence(text: str, offset: int, rules: ClaimRules) -> Evidence | None:
    """A regulator named as the source of a regulatory status: ``("authority", (start, end))``.

    "approved by the FDA", "the FDA has not approved", "FDA-approved" (the
    ``regulator`` pattern of ``evidence_patterns``).  It backs only the
    sentence's ``REGULATED`` claims: "not approved by the FDA and listed as a
    drug of concern due to its potential for dependence" names the FDA as the
    source of the approval status, not of the dependence.
    """
    pat = rules.evidence_res.get("regulator")
    m = pat.search(text) if pat is not None else None
    return ("authority", (offset + m.start(), offset + m.end())) if m else None


def study_report(text: str, rules: ClaimRules) -> tuple[int, int] | None:
    """Where a document that reports its own study starts its methods: the span of that label.

    A research abstract or paper ("Background: … Methods: … Results: …", a case
    report's "Case Presentation: … Discussion: …") reports the study it is:
    its claims from the methods on are that study's findings.  A document is
    one when its lines open with at least two distinct section labels (the
    ``study-report`` pattern, group ``label``) and one of them names its
    methods (``method_labels``, ``claim_rules.json``); the span is that first methods label.
    """
    pat = rules.evidence_res.get("study-report")
    if pat is None:
        return None
    labels: set[str] = set()
    first: tuple[int, int] | None = None
    for m in pat.finditer(text):
        label = " ".join(m.group("label").lower().split()).rstrip("s")
        labels.add(label)
        if first is None and label in rules.words.method_labels:
            first = m.span("label")
    return first if first is not None and len(labels) >= 2 else None


def _doc_study(ctx: SentenceContext) -> tuple[int, int] | None:
    """:func:`study_report` of the sentence's document, once per Doc (kept in ``doc.user_data``)."""
    data = ctx.doc.user_data
    key = "claimex_study_report"
    if key not in data:
        data[key] = study_report(doc_text(ctx.doc), ctx.rules)
    return data[key]


def claim_evidence(ctx: SentenceContext, attribution: str,
                   predicate: str | None = None) -> tuple[str, tuple[int, int] | None]:
    """The evidence of a claim in ``ctx``'s sentence: ``(kind, span or None)``.

    The sentence's own checkable evidence, else (for a ``REGULATED`` claim) the
    regulator it names (:func:`regulator_evidence`), else a study its paragraph
    introduced and this sentence reports ("The researchers found …"), else,
    in a document that reports its own study, from its methods on, that study
    (:func:`study_report`; "respondents reported" there is the study's data,
    not anecdote), else the appeal it makes (an anecdote, a vague appeal), else
    ``none``.
    """
    if ctx.own_evidence is not None:
        return ctx.own_evidence
    text = ctx.text
    if predicate == "REGULATED":
        found = regulator_evidence(text, ctx.sent.start_char, ctx.rules)
        if found is not None:
            return found
    res = ctx.rules.evidence_res
    if _found(ctx, res, "study-anaphor", text) and ctx.paragraph_evidence is not None:
        return ctx.paragraph_evidence
    study = _doc_study(ctx) if "study-report" in res else None
    if study is not None and ctx.sent.start_char >= study[0]:
        return "study-reference", study
    if attribution in ("users", "anecdote") or _found(ctx, res, "anecdote", text):
        return "anecdote", None
    if attribution in ("research", "experts", "regulators") or _found(ctx, res, "vague-appeal", text):
        return "vague-appeal", None
    return "none", None


def _found(ctx, res: dict, kind: str, text: str) -> bool:
    """``res[kind]`` matches the sentence: searched once per sentence (a SentenceContext keeps it)."""
    cache = getattr(ctx, "pattern_hits", None)
    if cache is None:
        return res[kind].search(text) is not None
    hit = cache.get(kind)
    if hit is None:
        hit = cache[kind] = res[kind].search(text) is not None
    return hit


def attribution(ctx: SentenceContext, trigger, anchor) -> str:
    """Who the sentence says makes the claim whose trigger (or, without one, anchor) is given."""
    rules = ctx.rules
    by_lemma = rules.attribution_by_lemma
    start = trigger if trigger is not None else anchor
    for tok in ancestors(start, ctx.max_hops + 4):
        lemma = lemma_of(tok)
        if lemma in rules.report_verbs or lemma in rules.passive_proponent_verbs:
            for child in tok.children:
                if child.dep_ in ("nsubj", "nsubjpass", "agent"):
                    who = _who(child, by_lemma)
                    if who:
                        return who
            if lemma in rules.passive_proponent_verbs:
                return "proponents"
        if lemma == "according":
            for t in tok.subtree:
                who = by_lemma.get(lemma_of(t))
                if who:
                    return who
    # sentence-initial reporting frame the parser attached elsewhere
    for tok, lemma in zip(ctx.tokens, ctx.lemmas):
        if lemma in rules.report_verbs and tok.i < start.i:
            for child in tok.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    who = _who(child, by_lemma)
                    if who:
                        return who
    return "author"


def _who(tok, by_lemma: dict[str, str]) -> str | None:
    """The attribution a reporting verb's subject names ("users", "a study", "anecdotal reports")."""
    words = [tok] + [c for c in tok.subtree if c.dep_ in ("amod", "compound", "conj", "nsubj")]
    for t in words:
        if lemma_of(t) == "anecdotal":
            return "anecdote"
    for t in [tok] + list(tok.subtree):
        who = by_lemma.get(lemma_of(t))
        if who:
            return who
    return None
