"""Assertion extraction: subject – predicate – object claims from a parsed Doc.

The algorithm, in plain functions (the ``claimex_claims`` component is a thin
wrapper around :func:`extract_claims`):

1. Every tagged entity that can be the *object* of a claim (CONDITION,
   SIDE_EFFECT, ALKALOID, RECEPTOR, DOSE and substances other than the subject)
   is a candidate.  Its predicate comes from its label and from a *trigger*
   found by climbing the dependency tree from the entity to the root (at most
   ``max_hops`` heads): "relief", "alleviate", "manage" → TREATS; "lead to",
   "linked to", "risk" → CAUSES; "interact with", "bind" → ACTS_ON; …
2. The *subject* is found on the parse, not by proximity: the nearest
   ``nsubj``/``nsubjpass`` (or possessor) up the tree from the trigger.  A
   subject that is a tagged substance or alkaloid is used as such (each member
   of a coordination gives its own claim); "it", "its", "this herb", "the
   plant" … resolve to the document's main substance (its most frequent
   SUBSTANCE); "they", "these compounds", a relative "which" resolve to the
   alkaloids they stand for; "use", "doses", "users" … are the main substance
   seen through a qualifier ("long-term use", "higher amounts").
   A substance reached through "of", "than", "associated with" inside a
   negated or compared phrase is a *comparator*, recorded as a qualifier and
   never taken as the subject.
3. Polarity comes from the negation scopes decided on the parse by
   ``claimex_cues``; hedging from the hedge cues whose scope covers the
   object or the trigger.  ``certainty`` is the weakest grade among them.
4. Attribution climbs from the trigger to a reporting verb ("report",
   "claim", "suggest", …) and reads its subject ("users", "proponents",
   "research", …).  Evidence is read from the sentence: citation,
   study-reference, vague appeal, anecdote or none.

Everything returned is plain data (msgpack-serialisable).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from .claim_rules import ClaimRules
from .segment import block_index_at, item_text_start

CERTAINTY_ORDER = ("asserted", "probable", "possible", "speculative")
OBJECT_LABELS = ("CONDITION", "SIDE_EFFECT", "ALKALOID", "RECEPTOR", "DOSE", "SUBSTANCE")
SUBJECT_LABELS = ("SUBSTANCE", "ALKALOID")
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Dependency relations that continue a clause upwards: the subject of the
# governing verb is also the subject of these.
CLAUSE_LINKS = ("xcomp", "advcl", "conj", "pcomp", "prep", "acl", "dobj", "pobj", "relcl",
                "attr", "oprd", "acomp", "npadvmod", "amod", "compound", "appos", "ccomp", "nmod",
                "agent", "dative", "advmod", "pcomp")
GENERIC_ALKALOID = "alkaloids"
GENERIC_SYMPTOMS = "symptoms"
NON_CLAIM_KINDS = ("title", "heading", "toc")
LIGHT_VERB_OBJECTS = frozenset({"relief", "benefit", "support", "treatment", "remedy", "therapy", "comfort",
                                "alleviation", "reduction", "improvement", "aid"})
ASSERTING_MARKS = frozenset({"as", "because", "since", "while", "though", "although", "whereas"})
PERSON_NOUNS = frozenset({"sufferer", "patient", "individual", "people", "person", "user", "community",
                          "population", "adult", "child", "woman", "man", "group", "sufferers"})
EFFECT_HEADS = frozenset({"risk", "nature", "effect", "property", "potential", "quality", "side", "issue",
                          "reaction", "consequence", "danger", "profile", "action", "symptom", "tendency",
                          "substance", "drug", "medication", "pharmaceutical", "painkiller", "opioid"})


def _lemma(tok) -> str:
    return (tok.lemma_ or tok.text).lower()


def _ancestors(tok, max_hops: int):
    """The token itself, then its heads up to the root (bounded)."""
    out = [tok]
    cur = tok
    for _ in range(max_hops):
        if cur.head.i == cur.i:  # the root is its own head
            break
        cur = cur.head
        out.append(cur)
    return out


CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp"})


def _phrase_tokens(tok) -> set[int]:
    """Indices of ``tok``'s subtree without the subtrees of its clausal dependents."""
    out = {tok.i}
    stack = [c for c in tok.children if c.dep_ not in CLAUSE_DEPS]
    while stack:
        t = stack.pop()
        out.add(t.i)
        stack.extend(c for c in t.children if c.dep_ not in CLAUSE_DEPS)
    return out


def _in_range(pos: int, start: int, end: int) -> bool:
    return start <= pos < end


@dataclass
class _Ent:
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


def _doc_entities(doc) -> list[_Ent]:
    ents = []
    text = doc.text  # Doc.text is rebuilt from the tokens on every access
    for e in doc._.claimex_ents or []:
        span = doc.char_span(e["start"], e["end"], alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        # a generic word ("side effects", "medications") plays the label it stands in for
        label = e.get("role") or e["label"]
        ents.append(_Ent(e["start"], e["end"], label, e["canonical"], text[e["start"]:e["end"]],
                         (span.start, span.end), e))
    return ents


def _span_root(doc, ent: _Ent):
    return doc[ent.tokens[0]:ent.tokens[1]].root


def main_substance(ents: Iterable[_Ent]) -> str | None:
    """The document's most frequent named substance (ties: first mentioned).

    Generic words ("supplements", "drugs") never count.  A constituent that
    the article names more than twice as often as any substance is its topic
    ("curcumin" in an article that names turmeric once).
    """
    counts: dict[str, int] = {}
    alk_counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for e in ents:
        if e.data.get("label") == "GENERIC":
            continue
        if e.label == "SUBSTANCE":
            counts[e.canonical] = counts.get(e.canonical, 0) + 1
            first.setdefault(e.canonical, e.start)
        elif e.label == "ALKALOID":
            alk_counts[e.canonical] = alk_counts.get(e.canonical, 0) + 1
            first.setdefault(e.canonical, e.start)
    top_alk = sorted(alk_counts, key=lambda c: (-alk_counts[c], first[c]))[:1]
    if top_alk and alk_counts[top_alk[0]] > 2 * max(counts.values(), default=0):
        return top_alk[0]
    if not counts:
        return None
    return sorted(counts, key=lambda c: (-counts[c], first[c]))[0]


# ---------------------------------------------------------------------------
# the extractor


@dataclass
class _Subject:
    canonical: str
    text: str
    span: tuple[int, int] | None
    qualifiers: list[dict[str, str]] = field(default_factory=list)


class _SentenceContext:
    def __init__(self, doc, sent, ents, cues, rules: ClaimRules, main: str | None,
                 prev_alkaloids: list[_Ent], max_hops: int, *,
                 own_evidence: tuple[str, tuple[int, int]] | None = None,
                 paragraph_evidence: tuple[str, tuple[int, int]] | None = None):
        self.doc = doc
        self.sent = sent
        self.ents = ents
        self.cues = cues
        self.rules = rules
        self.main = main
        self.prev_alkaloids = prev_alkaloids
        self.max_hops = max_hops
        self.own_evidence = own_evidence  # sentence_evidence() of this sentence
        self.paragraph_evidence = paragraph_evidence  # the last evidence earlier in its paragraph
        self.tok2ent: dict[int, _Ent] = {}
        for e in ents:
            for i in range(*e.tokens):
                self.tok2ent[i] = e

    # -- subjects ---------------------------------------------------------
    def _main_subject(self, tok=None) -> _Subject | None:
        """The document's main substance, written as ``tok`` ("it", "this herb") when given."""
        if not self.main:
            return None
        return _Subject(self.main, tok.text if tok is not None else self.main, None)

    def _ents_in_subtree(self, tok, labels) -> list[_Ent]:
        """Entities in the phrase headed by ``tok``, leaving out its clauses (relative, adverbial)."""
        seen, out = set(), []
        for i in sorted(_phrase_tokens(tok)):
            e = self.tok2ent.get(i)
            if e is not None and e.label in labels and id(e) not in seen:
                seen.add(id(e))
                out.append(e)
        return out

    def resolve_subject_token(self, tok, comparators: set[int]) -> list[_Subject]:
        """Resolve a grammatical subject token to the entities it stands for."""
        rules = self.rules
        lemma = _lemma(tok)
        # relative pronoun: the antecedent is the head of the relative clause
        if lemma in ("which", "that", "who") and tok.head.dep_ == "relcl":
            antecedent = tok.head.head
            while antecedent.dep_ == "conj" and antecedent.head.i != antecedent.i:
                antecedent = antecedent.head  # "mitragynine and 7-HMG, which …": the whole coordination
            return self.resolve_subject_token(antecedent, comparators)
        ents = [e for e in self._ents_in_subtree(tok, SUBJECT_LABELS)
                if id(e) not in comparators and not _after_than(self.doc[e.root_i])]
        if ents and self.prev_alkaloids and all(e.label == "ALKALOID" and e.data.get("label") == "GENERIC"
                                                for e in ents):
            # "The compounds interact with …" after a sentence naming them: the named alkaloids
            return [_Subject(e.canonical, e.text, (e.start, e.end)) for e in self.prev_alkaloids]
        if ents:
            alks = [e for e in ents if e.label == "ALKALOID" and e.canonical != GENERIC_ALKALOID]
            if alks and _lemma(tok) in ("alkaloid", "compound", "constituent") or \
                    (alks and self.tok2ent.get(tok.i) is not None and self.tok2ent[tok.i].label == "ALKALOID"):
                chosen = alks
            else:
                head_ent = self.tok2ent.get(tok.i)
                chosen = [head_ent] if head_ent is not None and head_ent.label in SUBJECT_LABELS else ents[:1]
            return [_Subject(e.canonical, e.text, (e.start, e.end)) for e in chosen]
        if lemma in ("which", "that", "who") and tok.head.head.i != tok.head.i and \
                tok.head.head.pos_ in ("NOUN", "PROPN"):
            return self.resolve_subject_token(tok.head.head, comparators)
        if lemma in rules.pronouns or lemma in rules.anaphors:
            s = self._main_subject(tok)
            return [s] if s else []
        if lemma in rules.plural_anaphors and (lemma == "they" or any(
                c.dep_ == "det" and c.lower_ in ("these", "those", "such") for c in tok.children)):
            if self.prev_alkaloids:
                return [_Subject(e.canonical, e.text, (e.start, e.end)) for e in self.prev_alkaloids]
            s = self._main_subject(tok)
            return [s] if s else []
        if lemma in rules.usage_nouns:
            s = self._main_subject(tok)
            return [s] if s else []
        # possessor inside the subject phrase: "its ability", "kratom's composition"
        for child in tok.children:
            if child.dep_ == "poss":
                return self.resolve_subject_token(child, comparators)
        return []

    def find_subjects(self, trigger, comparators: set[int]) -> list[_Subject] | None:
        """Climb from the trigger to the nearest clause with a subject.

        Returns ``None`` when the trigger sits inside a subject phrase ("Kratom
        for fibromyalgia support has been an area of interest"): a topic, not
        an assertion.
        """
        cur = trigger
        for _ in range(self.max_hops + 2):
            for child in cur.children:
                if child.dep_ in SUBJECT_DEPS:
                    return self.resolve_subject_token(child, comparators)
            for child in cur.children:
                if child.dep_ == "poss":
                    got = self.resolve_subject_token(child, comparators)
                    if got:
                        return got
            if cur.dep_ == "relcl":
                got = self.resolve_subject_token(cur.head, comparators)
                if got:
                    return got
            if cur.head.i == cur.i:
                break
            if cur.dep_ in SUBJECT_DEPS:
                return None
            cur = cur.head
        return []

    def non_assertive(self, trigger) -> bool:
        """The trigger is governed by a verb that does not assert ("seeking … to manage",
        "consult … before incorporating kratom into their management plan")."""
        verbs = self.rules.non_assertive
        chain = _ancestors(trigger, len(self.sent))
        for k, tok in enumerate(chain):
            if k > 0 or trigger.pos_ != "VERB":
                if tok.pos_ in ("VERB", "AUX") and _lemma(tok) in verbs:
                    return True
            if tok.pos_ == "NOUN" and any(c.dep_ == "poss" for c in tok.children):
                return False  # "gained attention for its pain-relieving properties" presupposes them
            if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ASSERTING_MARKS
                                           for c in tok.children):
                return False  # "… with caution, as higher amounts can lead to sedation" asserts
        return False

    # -- triggers ---------------------------------------------------------
    def find_trigger(self, ent: _Ent, classes: tuple[str, ...]):
        """First token up the tree from the entity whose lemma triggers one of ``classes``."""
        doc = self.doc
        root = _span_root(doc, ent)
        path = _ancestors(root, self.max_hops)
        sets = self.rules.trigger_sets
        for below, tok in zip([None] + path[:-1], path):
            if ent.tokens[0] <= tok.i < ent.tokens[1]:
                continue  # the entity's own words are never its trigger
            other = self.tok2ent.get(tok.i)
            if (other is not None and other is not ent and other.label in ("CONDITION", "SIDE_EFFECT")
                    and below is not None and below.dep_ == "prep"
                    and below.lower_ in ("from", "by", "with", "after", "due")):
                # "spasticity from stress": stress is a cause of the condition, not a claim object
                return None, None, path
            if below is not None and below.dep_ in ("acl", "amod") and _lemma(below) in ("associate", "cause", "induce"):
                return None, None, path
            lemma = _lemma(tok)
            if (below is not None and below.dep_ == "prep" and below.lower_ in ("from", "by")
                    and tok.pos_ == "VERB" and any(
                        c.dep_ == "dobj" and self.tok2ent.get(c.i) is not None for c in tok.children)):
                return None, None, path  # "relieve spasticity from stress": stress is the source
            if "TREATS" in classes and tok.pos_ == "VERB":
                # "provide relief from chronic pain": a light verb whose object is the treatment
                for c in tok.children:
                    if c.dep_ == "dobj" and _lemma(c) in LIGHT_VERB_OBJECTS:
                        return c, "TREATS", path
            for cls in classes:
                if lemma in sets.get(cls, ()):  # trigger found
                    return tok, cls, path
        return None, None, path

    # -- comparators ------------------------------------------------------
    def comparators_near(self, ent: _Ent, subject_canon: set[str]) -> list[_Ent]:
        """Substances attached to the object's phrase through of/than/with/to."""
        doc = self.doc
        root = _span_root(doc, ent)
        out = []
        for tok in _ancestors(root, 3):
            for child in tok.subtree:
                e = self.tok2ent.get(child.i)
                if e is None or e.label != "SUBSTANCE" or e.canonical in subject_canon:
                    continue
                head = doc[e.root_i].head
                chain = [_lemma(t) for t in _ancestors(head, 2)]
                if any(w in chain for w in ("of", "than", "with", "to", "like")):
                    if e not in out:
                        out.append(e)
            if tok.pos_ == "VERB":
                break
        return out

    # -- cues -------------------------------------------------------------
    def negated(self, ent: _Ent, trigger) -> bool:
        pos = ent.start
        for c in self.cues:
            if c["kind"] != "negation":
                continue
            if _in_range(pos, c["scope_start"], c["scope_end"]):
                return True
        # the trigger itself in a scope ("does not cause addiction"; pseudo-negations
        # such as "not without its drawbacks" have no scope)
        if trigger is not None:
            return any(c["kind"] == "negation" and _in_range(trigger.idx, c["scope_start"], c["scope_end"])
                       for c in self.cues)
        return False

    def hedges(self, ent: _Ent, trigger) -> list[dict[str, Any]]:
        points = [ent.start]
        if trigger is not None:
            points.append(trigger.idx)
        out = []
        for c in self.cues:
            if c["kind"] != "hedge":
                continue
            if any(_in_range(p, c["scope_start"], c["scope_end"]) for p in points):
                out.append(c)
        return out

    # -- attribution and evidence -------------------------------------------
    def attribution(self, trigger, anchor) -> tuple[str, Any]:
        rules = self.rules
        by_lemma = rules.attribution_by_lemma
        start = trigger if trigger is not None else anchor
        for tok in _ancestors(start, self.max_hops + 4):
            lemma = _lemma(tok)
            if lemma in rules.report_verbs or lemma in rules.passive_proponent_verbs:
                for child in tok.children:
                    if child.dep_ in ("nsubj", "nsubjpass", "agent"):
                        who = self._who(child, by_lemma)
                        if who:
                            return who, tok
                if lemma in rules.passive_proponent_verbs:
                    return "proponents", tok
            if lemma == "according":
                for t in tok.subtree:
                    who = by_lemma.get(_lemma(t))
                    if who:
                        return who, tok
        # sentence-initial reporting frame the parser attached elsewhere
        for tok in self.sent:
            if _lemma(tok) in rules.report_verbs and tok.i < (trigger.i if trigger is not None else anchor.i):
                for child in tok.children:
                    if child.dep_ in ("nsubj", "nsubjpass"):
                        who = self._who(child, by_lemma)
                        if who:
                            return who, tok
        return "author", None

    @staticmethod
    def _who(tok, by_lemma) -> str | None:
        words = [tok] + [c for c in tok.subtree if c.dep_ in ("amod", "compound", "conj", "nsubj")]
        for t in words:
            if _lemma(t) == "anecdotal":
                return "anecdote"
        for t in [tok] + list(tok.subtree):
            who = by_lemma.get(_lemma(t))
            if who:
                return who
        return None

    def evidence(self, attribution: str) -> tuple[str, tuple[int, int] | None]:
        """The evidence the claim's sentence gives (its kind and character span, see
        :func:`sentence_evidence`), else a study its paragraph introduced and this
        sentence reports ("The researchers found …"), else the appeal it makes."""
        if self.own_evidence is not None:
            return self.own_evidence
        if self.paragraph_evidence is not None and self.rules.evidence_res["study-anaphor"].search(self.sent.text):
            return self.paragraph_evidence
        text = self.sent.text
        res = self.rules.evidence_res
        if attribution in ("users", "anecdote") or res["anecdote"].search(text):
            return "anecdote", None
        if attribution in ("research", "experts", "regulators") or res["vague-appeal"].search(text):
            return "vague-appeal", None
        return "none", None

    def qualifiers(self, kinds: Iterable[str]) -> list[dict[str, str]]:
        out = []
        text = self.sent.text
        for kind in kinds:
            pat = self.rules.qualifier_res.get(kind)
            if pat is None:
                continue
            for m in pat.finditer(text):
                q = {"kind": kind, "text": m.group(0).lower()}
                if q not in out:
                    out.append(q)
        return out


def _certainty(cues: list[dict[str, Any]]) -> str:
    grade = "asserted"
    for c in cues:
        g = c.get("certainty") or "possible"
        if g in CERTAINTY_ORDER and CERTAINTY_ORDER.index(g) > CERTAINTY_ORDER.index(grade):
            grade = g
    return grade


def _classes_for(label: str) -> tuple[str, ...]:
    return {
        "CONDITION": ("TREATS", "CAUSES"),
        "SIDE_EFFECT": ("CAUSES", "TREATS"),
        "ALKALOID": ("CONTAINS",),
        "RECEPTOR": ("ACTS_ON",),
        "SUBSTANCE": ("INTERACTS_WITH", "SAFER_THAN"),
        "DOSE": (),
        "EFFECT": (),
        "THERAPY": (),
    }[label]


def extract_claims(doc, rules: ClaimRules, *, max_hops: int = 8) -> list[dict[str, Any]]:
    """All claims of a parsed Doc, as plain dicts (see ``docs/schema.md``, table claims)."""
    ents = _doc_entities(doc)
    main = main_substance(ents)
    cues = list(doc._.claimex_cues or [])
    claims: list[dict[str, Any]] = []
    prev_alkaloids: list[_Ent] = []
    skip = [(b[0], b[1]) for b in (doc._.claimex_blocks or []) if b[2] in NON_CLAIM_KINDS]
    lead: _LeadIn | None = None
    text = doc.text
    blocks = doc._.claimex_blocks or []
    para_block, para_evidence = -2, None
    for sent in doc.sents:
        s_ents = [e for e in ents if sent.start_char <= e.start < sent.end_char]
        first = sent.start_char + len(sent.text) - len(sent.text.lstrip())
        block = block_index_at(blocks, first) if blocks else -1
        if block != para_block:
            para_block, para_evidence = block, None
        own_evidence = sentence_evidence(sent.text, sent.start_char, rules)
        earlier_evidence, para_evidence = para_evidence, own_evidence or para_evidence
        is_item = item_text_start(text, first, sent.end_char) is not None
        if lead is not None and not is_item:
            lead = None  # the list governed by a lead-in ends at the first line that is no item
        if not s_ents and not (main and rules.regulatory):
            continue
        if any(a <= first < b for a, b in skip):
            continue  # titles, headings and table-of-contents lines assert nothing
        if sent.text.rstrip().rstrip(_CLOSING_QUOTES).endswith("?"):
            lead = None
            continue  # a question ("Is kratom safe for arthritis?") asserts nothing
        s_cues = [c for c in cues if sent.start_char <= c["start"] < sent.end_char]
        ctx = _SentenceContext(doc, sent, s_ents, s_cues, rules, main, prev_alkaloids, max_hops,
                               own_evidence=own_evidence, paragraph_evidence=earlier_evidence)
        seen: set[tuple] = set()
        found = [*_sentence_claims(ctx), *regulatory_claims(ctx)]
        if lead is not None and is_item:
            found += list(_list_item_claims(ctx, lead, {c["object_span"][0] for c in found}))
        for claim in found:
            key = (claim["subject"], claim["predicate"], claim["object"], claim["polarity"])
            if key in seen:
                continue
            seen.add(key)
            claims.append(claim)
        if sent.text.rstrip().endswith(":"):
            lead = _lead_in(ctx)
        specific = [e for e in s_ents if e.label == "ALKALOID" and e.canonical != GENERIC_ALKALOID]
        if specific:
            prev_alkaloids = specific
    return claims


@dataclass
class _LeadIn:
    """A sentence ending in ":" that governs the list after it ("Side effects of kratom include:")."""

    subject: _Subject
    predicate: str
    hedge_cues: list[dict[str, Any]]
    who: str


def _lead_in(ctx: _SentenceContext) -> _LeadIn | None:
    """The subject and predicate that a lead-in passes to its list items, or None."""
    sets = ctx.rules.trigger_sets
    lemmas = {_lemma(t) for t in ctx.sent}
    if any(e.label == "SIDE_EFFECT" for e in ctx.ents) or lemmas & sets.get("CAUSES", frozenset()):
        predicate = "CAUSES"
    elif lemmas & (sets.get("TREATS", frozenset()) | {"use", "benefit", "help", "treat", "for"}):
        predicate = "TREATS"
    elif any(e.label == "EFFECT" for e in ctx.ents):
        predicate = "HAS_EFFECT"
    else:
        return None
    named = [e for e in ctx.ents if e.label in SUBJECT_LABELS and e.data.get("label") != "GENERIC"]
    if named:
        subject = _Subject(named[0].canonical, named[0].text, (named[0].start, named[0].end))
    elif ctx.main:
        subject = _Subject(ctx.main, ctx.main, None)
    else:
        return None
    anchor = ctx.sent.root
    hedge_cues = [c for c in ctx.cues if c["kind"] == "hedge"]
    who, _ = ctx.attribution(None, anchor)
    return _LeadIn(subject, predicate, hedge_cues, who)


def _list_item_claims(ctx: _SentenceContext, lead: _LeadIn, taken: set[int]):
    """Claims of one list item under a lead-in: every condition, side effect or effect it names."""
    for ent in ctx.ents:
        if ent.start in taken or ent.label not in ("CONDITION", "SIDE_EFFECT", "EFFECT"):
            continue
        if ent.label == "EFFECT":
            predicate = "HAS_EFFECT"
        elif lead.predicate == "HAS_EFFECT":
            predicate = "TREATS" if ent.label == "CONDITION" else "CAUSES"
        else:
            predicate = lead.predicate
        if ent.canonical == lead.subject.canonical:
            continue
        _label_by_role(ent, predicate)
        negated = ctx.negated(ent, None)
        yield _claim(ctx, lead.subject, predicate, ent, negated, lead.hedge_cues, lead.who, [])


def _sentence_claims(ctx: _SentenceContext):
    doc = ctx.doc
    substances_here = [e for e in ctx.ents if e.label == "SUBSTANCE"]
    for ent in ctx.ents:
        label = ent.label
        if label == "SUBSTANCE":
            yield from _substance_object_claims(ctx, ent)
            continue
        if label == "DOSE":
            yield from _dose_claims(ctx, ent, substances_here)
            continue
        if label == "ALKALOID":
            yield from _contains_claims(ctx, ent, substances_here)
            continue
        if label == "THERAPY":
            continue  # a therapy is neither a subject nor an object of the claims schema
        if _names_a_cause(doc, ent):
            continue  # "stress-induced tension", "injury-related pain": a cause, not the claim's object
        classes = _classes_for(label)
        trigger, cls, _path = ctx.find_trigger(ent, classes)
        if label == "CONDITION":
            # a condition is the object of a treatment claim, or of a causal
            # claim only with a strong causal verb ("kratom can cause anxiety")
            if cls is None:
                continue
            if cls == "CAUSES" and not (trigger.pos_ == "VERB"
                                        and _lemma(trigger) in ctx.rules.strong_causal_verbs):
                continue
        if label == "SIDE_EFFECT":
            # a side effect is treated only when it is the direct object of a
            # treatment verb ("helps manage withdrawal"); otherwise it is caused
            if cls == "TREATS" and not (trigger.pos_ == "VERB" and _is_object_of(_span_root(doc, ent), trigger)):
                cls = "CAUSES"
            if cls is None and not any(c.dep_ == "poss" for c in _span_root(doc, ent).children):
                continue  # a side effect merely mentioned ("differences in … tolerance")
            cls = cls or "CAUSES"
        if label == "RECEPTOR":
            cls = "ACTS_ON"
        if label == "EFFECT":
            cls = "HAS_EFFECT"  # "acts as a stimulant", "boosts energy", "has analgesic properties"
        root = _span_root(doc, ent)
        if ctx.non_assertive(trigger if trigger is not None else root):
            continue
        if ent.canonical == GENERIC_SYMPTOMS and any(ctx.tok2ent.get(c.i) is not None for c in root.children
                                                     if c.dep_ in ("compound", "amod", "nmod")):
            continue  # "fibromyalgia symptoms": the claim is about fibromyalgia
        if root.dep_ in ("compound", "amod") and _lemma(root.head) in PERSON_NOUNS:
            continue  # "chronic pain sufferers", "fibromyalgia patients": a population, not an object
        if (label == "SIDE_EFFECT" and root.dep_ == "amod" and _lemma(root.head) not in EFFECT_HEADS
                and ctx.tok2ent.get(root.head.i) is None):
            continue  # "less addictive pain management options": describes something else
        anchor = trigger if trigger is not None else _span_root(doc, ent)
        # subject: a substance directly modified by the side effect ("addictive pharmaceuticals")
        subjects: list[_Subject] = []
        root = _span_root(doc, ent)
        head_ent = ctx.tok2ent.get(root.head.i)
        if label == "SIDE_EFFECT" and root.dep_ == "amod" and head_ent is not None and head_ent.label == "SUBSTANCE":
            subjects = [_Subject(head_ent.canonical, head_ent.text, (head_ent.start, head_ent.end))]
            comparators = []
        else:
            comps = ctx.comparators_near(ent, {ctx.main} if ctx.main else set())
            comparators = comps
            comp_ids = {id(c) for c in comps}
            subjects = ctx.find_subjects(anchor, comp_ids)
            if subjects is None:
                if label == "CONDITION":
                    continue
                subjects = []
            if not subjects:
                subjects = _fallback_subjects(ctx, comp_ids, label)
        subjects = [s for s in subjects if s.canonical != ent.canonical]
        if not subjects:
            continue
        if label == "CONDITION" and cls == "CAUSES":
            pass  # subjects are substances/alkaloids by construction
        negated = ctx.negated(ent, trigger)
        hedge_cues = ctx.hedges(ent, trigger)
        who, _ = ctx.attribution(trigger, anchor)
        quals = ctx.qualifiers(("duration", "amount", "population", "degree"))
        for c in comparators:
            quals.append({"kind": "comparator", "text": c.text})
        _label_by_role(ent, cls)
        for subj in subjects:
            yield _claim(ctx, subj, cls, ent, negated, hedge_cues, who, quals + subj.qualifiers)


EVIDENCE_KINDS_CHECKABLE = ("citation", "study-reference", "authority")


def sentence_evidence(text: str, offset: int, rules: ClaimRules) -> tuple[str, tuple[int, int]] | None:
    """The checkable evidence a sentence gives: ``(kind, (start, end))``, offsets into the Doc.

    Kinds, strongest first: ``citation`` (bracket or parenthesis references,
    footnote numbers glued to a word, author–year, journal references, DOI,
    PMID, links), ``study-reference`` (a named or dated study: "a 2019 study in
    the Journal of …", "a randomized trial of 120 patients", "a Cochrane
    review"), ``authority`` (a named agency or institution as the source:
    "according to NIDA", "the FDA warns").  The patterns are data
    (``claim_rules.json``, ``evidence_patterns``).  Vague appeals ("studies
    show") are not evidence here.
    """
    res = rules.evidence_res
    for kind in EVIDENCE_KINDS_CHECKABLE:
        pat = res.get(kind)
        m = pat.search(text) if pat is not None else None
        if m:
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            return kind, (offset + start, offset + m.end())
    return None


def regulatory_claims(ctx: _SentenceContext):
    """REGULATED claims: "the FDA has not approved kratom", "banned in six states", "is legal to sell".

    The cue words are data (``claim_rules.json``, ``regulatory``); the status
    is the claim's object (``approved``, ``banned``, ``legal``, ...).  A cue in
    a negation scope, or with a ``neg`` child on itself or its head, negates
    it; a negative cue ("illegal", "unapproved") states its status negated.
    The subject is the main substance when the sentence names it, else the
    first substance named, else the main substance when the sentence refers
    to it by a pronoun ("it is banned").
    """
    reg = ctx.rules.regulatory
    if not reg:
        return
    cues, negative = reg.get("cues", {}), reg.get("negative", {})
    verb_only = set(reg.get("verb_only", ()))
    sent = ctx.sent
    toks = list(sent)
    found: list[tuple[Any, str, bool]] = []
    for k, tok in enumerate(toks):
        low = tok.lower_
        phrase2 = " ".join(t.lower_ for t in toks[k:k + 2]) if k + 1 < len(toks) else ""
        status, denied = None, False
        if phrase2 in cues:
            status = cues[phrase2]
        elif low in negative:
            if tok.dep_ == "amod" and not any(e.tokens[0] <= tok.head.i < e.tokens[1] and e.label == "SUBSTANCE"
                                              for e in ctx.ents):
                continue  # "illegal drugs", "illegal marketing": about something else
            status, denied = negative[low], True
        else:
            lemma = _lemma(tok)
            key = low if low in cues else lemma
            if key in cues and tok.pos_ in ("VERB", "NOUN", "ADJ", "ADV", "PROPN"):
                if key in verb_only and tok.pos_ != "VERB":
                    continue  # "a dosing schedule" is no scheduling
                status = cues[key]
        if status is None:
            continue
        found.append((tok, status, denied))
    if not found:
        return
    subj = _regulated_subject(ctx, {tok.i for tok, _, _ in found})
    if subj is None:
        return
    seen: set[tuple[str, bool]] = set()
    for tok, status, denied in found:
        obj = _Ent(tok.idx, tok.idx + len(tok.text), "REGULATION", status, tok.text, (tok.i, tok.i + 1), {})
        negated = denied != _regulatory_negated(ctx, obj, tok)
        if (status, negated) in seen:
            continue
        seen.add((status, negated))
        if ctx.non_assertive(tok):
            continue
        hedge_cues = ctx.hedges(obj, tok)
        who, _ = ctx.attribution(tok, tok)
        yield _claim(ctx, subj, "REGULATED", obj, negated, hedge_cues, who, ctx.qualifiers(("population",)))


def _regulatory_negated(ctx: _SentenceContext, obj: _Ent, tok) -> bool:
    """The cue is negated: in a negation scope (as any claim), or by a ``neg`` child of it or its
    head ("is not legal"), "never"/"no", or "no longer" before it."""
    if ctx.negated(obj, tok):
        return True
    for t in (tok, tok.head):
        if any(c.dep_ == "neg" or c.lower_ in ("never", "no") for c in t.children):
            return True
    prev = tok.doc[tok.i - 2:tok.i]
    return " ".join(t.lower_ for t in prev) == "no longer"


def _regulated_subject(ctx: _SentenceContext, cue_tokens: set[int]) -> _Subject | None:
    """The substance a regulatory statement is about (see :func:`regulatory_claims`)."""
    subs = [e for e in ctx.ents if e.label == "SUBSTANCE" and not (set(range(*e.tokens)) & cue_tokens)]
    named = [e for e in subs if e.data.get("label") != "GENERIC"]
    for e in named:
        if e.canonical == ctx.main:
            return _Subject(e.canonical, e.text, (e.start, e.end))
    if named:
        e = named[0]
        return _Subject(e.canonical, e.text, (e.start, e.end))
    words = {t.lower_ for t in ctx.sent}
    # "it is banned", "the plant was classified as illegal": the article's substance
    refers = bool(words & set(ctx.rules.pronouns)) or any(
        _lemma(t) in ctx.rules.anaphors and any(c.lower_ in ("the", "this") for c in t.children) for t in ctx.sent)
    if ctx.main and (refers or words & {"it", "its"}):
        return _Subject(ctx.main, ctx.main, None)
    if subs:
        e = subs[0]
        return _Subject(e.canonical, e.text, (e.start, e.end))
    return None


_CLOSING_QUOTES = "\"'\u201d\u2019)] "

CAUSE_SUFFIXES = frozenset({"induced", "related", "associated", "driven", "caused", "triggered"})


def _names_a_cause(doc, ent: _Ent) -> bool:
    """The entity is the first half of "X-induced", "X-related": it names a cause."""
    k = ent.tokens[1]
    return k + 1 < len(doc) and doc[k].text == "-" and doc[k + 1].lower_ in CAUSE_SUFFIXES


def _label_by_role(ent: _Ent, predicate: str) -> None:
    """A symptom is labelled by its role in the claim: treated, it is a CONDITION
    ("ginger eases nausea"); caused, a SIDE_EFFECT ("kratom can cause nausea").

    Changes the entity record in ``doc._.claimex_ents`` (the entities table is
    written from it after the claims); generic words keep their label.
    """
    label = ent.data.get("label")
    if predicate == "TREATS" and label == "SIDE_EFFECT":
        ent.data["label"] = "CONDITION"
    elif predicate == "CAUSES" and label == "CONDITION":
        ent.data["label"] = "SIDE_EFFECT"


def _after_than(tok) -> bool:
    """``tok`` is the object of a comparison ("more potent than morphine", "compared with opioids")."""
    for anc in _ancestors(tok, 3)[1:]:
        if anc.lower_ in ("than", "versus", "vs", "vs."):
            return True
        if anc.lower_ in ("with", "to") and anc.head.lower_ in ("compared", "comparable", "equivalent", "similar"):
            return True
    return False


def _is_object_of(tok, verb) -> bool:
    """``tok`` is the direct object of ``verb``, possibly through a coordination."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("dobj", "obj") and tok.head == verb


def _fallback_subjects(ctx: _SentenceContext, comp_ids: set[int], label: str) -> list[_Subject]:
    """No syntactic subject: a substance named in the sentence, else the main substance.

    Only for side effects and receptors, whose subject is almost always the
    article's substance; a condition needs a subject found on the parse.
    """
    for e in ctx.ents:
        if e.label == "SUBSTANCE" and id(e) not in comp_ids and e.canonical == ctx.main:
            return [_Subject(e.canonical, e.text, (e.start, e.end))]
    if label in ("SIDE_EFFECT", "RECEPTOR", "EFFECT") and ctx.main:
        return [_Subject(ctx.main, ctx.main, None)]
    return []


def _claim(ctx, subj: _Subject, predicate: str, ent: _Ent, negated: bool, hedge_cues, who, quals,
           *, dose: dict[str, Any] | None = None) -> dict[str, Any]:
    cue_words = list(dict.fromkeys(c["cue"] for c in sorted(hedge_cues, key=lambda c: c["start"])))
    evidence = ctx.evidence(who)
    return {
        "start": ctx.sent.start_char,
        "end": ctx.sent.end_char,
        "subject": subj.canonical,
        "predicate": predicate,
        "object": ent.canonical,
        "subject_text": subj.text,
        "object_text": ent.text,
        "subject_span": list(subj.span) if subj.span else None,
        "object_span": [ent.start, ent.end],
        "polarity": "negated" if negated else "affirmed",
        "hedged": bool(cue_words),
        "hedge_cues": cue_words,
        "certainty": _certainty(hedge_cues),
        "attribution": who,
        "evidence": evidence[0],
        "evidence_span": list(evidence[1]) if evidence[1] else None,
        "qualifiers": _unique(quals),
        "dose_min": (dose or {}).get("dose_min"),
        "dose_max": (dose or {}).get("dose_max"),
        "dose_unit": (dose or {}).get("dose_unit"),
        "dose_period": (dose or {}).get("dose_period"),
    }


def _unique(items: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for q in items:
        if q not in out:
            out.append(q)
    return out


def _dose_claims(ctx: _SentenceContext, ent: _Ent, substances: list[_Ent]):
    subj = None
    for e in substances:
        if e.canonical == ctx.main or subj is None:
            subj = _Subject(e.canonical, e.text, (e.start, e.end))
    if subj is None and ctx.main:
        subj = _Subject(ctx.main, ctx.main, None)
    if subj is None:
        return
    doc = ctx.doc
    anchor = _span_root(doc, ent)
    hedge_cues = ctx.hedges(ent, None)
    who, _ = ctx.attribution(None, anchor)
    quals = ctx.qualifiers(("dose", "population", "duration"))
    # dose statements carry their role in qualifiers ("not to exceed the upper
    # limit of …" states a limit, it does not deny a dose): never negated.
    yield _claim(ctx, subj, "DOSAGE", ent, False, hedge_cues, who, quals, dose=ent.data)


def _contains_claims(ctx: _SentenceContext, ent: _Ent, substances: list[_Ent]):
    """Substance CONTAINS alkaloid, when the sentence says so."""
    sets = ctx.rules.trigger_sets["CONTAINS"]
    has_trigger = any(_lemma(t) in sets for t in ctx.sent)
    if not has_trigger:
        return
    subj = None
    for e in substances:
        if e.canonical == ctx.main:
            subj = _Subject(e.canonical, e.text, (e.start, e.end))
            break
    if subj is None:
        # "the principal polyphenol in turmeric": the plant named beside its constituent
        named = [e for e in substances if e.data.get("label") != "GENERIC"]
        if named and ctx.main == ent.canonical:
            subj = _Subject(named[0].canonical, named[0].text, (named[0].start, named[0].end))
    if subj is None:
        # "Its leaves contain alkaloids …": a pronoun or anaphor for the main substance
        for t in ctx.sent:
            if _lemma(t) in ctx.rules.pronouns or (_lemma(t) in ctx.rules.anaphors and t.dep_ in SUBJECT_DEPS):
                if ctx.main:
                    subj = _Subject(ctx.main, t.text, None)
                break
    if subj is None:
        return
    negated = ctx.negated(ent, None)
    hedge_cues = ctx.hedges(ent, None)
    who, _ = ctx.attribution(None, _span_root(ctx.doc, ent))
    yield _claim(ctx, subj, "CONTAINS", ent, negated, hedge_cues, who, [])
    # an alkaloid that is the subject of an action: handled from the receptor side


def _substance_object_claims(ctx: _SentenceContext, ent: _Ent):
    """INTERACTS_WITH (kratom + other medications) and SAFER_THAN (kratom vs opioids)."""
    if ent.canonical == ctx.main or not ctx.main:
        return
    sets = ctx.rules.trigger_sets
    doc = ctx.doc
    root = _span_root(doc, ent)
    sent_lemmas = {_lemma(t) for t in ctx.sent}
    head = root
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    predicate = None
    if head.dep_ == "pobj" and head.head.lower_ == "with" and _lemma(head.head.head) in sets["INTERACTS_WITH"]:
        predicate = "INTERACTS_WITH"
    elif "safer" in {t.lower_ for t in ctx.sent} or ("safe" in sent_lemmas and "than" in sent_lemmas):
        predicate = "SAFER_THAN"
    if predicate is None:
        return
    subj = _Subject(ctx.main, ctx.main, None)
    for e in ctx.ents:
        if e.label == "SUBSTANCE" and e.canonical == ctx.main:
            subj = _Subject(e.canonical, e.text, (e.start, e.end))
            break
    trigger = head.head.head if predicate == "INTERACTS_WITH" else next(
        (t for t in ctx.sent if t.lower_ in ("safer", "safe")), None)
    negated = ctx.negated(ent, trigger) if predicate == "INTERACTS_WITH" else False
    hedge_cues = ctx.hedges(ent, trigger)
    who, _ = ctx.attribution(trigger, root)
    yield _claim(ctx, subj, predicate, ent, negated, hedge_cues, who,
                 ctx.qualifiers(("degree", "population")))
