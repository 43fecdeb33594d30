"""Who a claim is about: the subject found on the parse, and the comparators that are never it.

The subject is the nearest ``nsubj``/``nsubjpass`` (or possessor) up the
tree from the trigger, not the nearest substance.  A tagged substance or
alkaloid is used as such (each member of a coordination gives its own
claim); "it", "its", "this herb", "the plant" ... resolve to the document's
main substance; "they", "these compounds", a relative "which" resolve to the
alkaloids they stand for; "use", "doses", "users" ... are the main substance
seen through a qualifier ("long-term use", "higher amounts").  A substance
reached through "of", "than", "associated with" inside a negated or
compared phrase is a *comparator*: recorded as a qualifier, never the subject.
"""

from __future__ import annotations

from .context import SentenceContext
from .mentions import GENERIC_ALKALOID, SUBJECT_LABELS, Mention, Subject, span_root
from .tree import after_than, ancestors, coordination_head, lemma_of, phrase_tokens

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
RELATIVE_PRONOUNS = ("which", "that", "who")


def mentions_in_phrase(ctx: SentenceContext, tok, labels) -> list[Mention]:
    """Entities in the phrase headed by ``tok``, leaving out its clauses (relative, adverbial)."""
    seen, out = set(), []
    for i in sorted(phrase_tokens(tok)):
        e = ctx.tok2ent.get(i)
        if e is not None and e.label in labels and id(e) not in seen:
            seen.add(id(e))
            out.append(e)
    return out


def _main(ctx: SentenceContext, tok) -> list[Subject]:
    s = ctx.main_subject(tok)
    return [s] if s else []


def resolve_subject_token(ctx: SentenceContext, tok, comparators: set[int]) -> list[Subject]:
    """Resolve a grammatical subject token to the entities it stands for.

    ``comparators`` are the ``id()`` of the mentions that cannot be the subject.
    """
    words = ctx.rules.words
    rules = ctx.rules
    lemma = lemma_of(tok)
    # relative pronoun: the antecedent is the head of the relative clause
    if lemma in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
        # "mitragynine and 7-HMG, which …": the whole coordination
        return resolve_subject_token(ctx, coordination_head(tok.head.head), comparators)
    ents = [e for e in mentions_in_phrase(ctx, tok, SUBJECT_LABELS)
            if id(e) not in comparators and not after_than(ctx.doc[e.root_i])]
    head_ent = ctx.tok2ent.get(tok.i)
    named = _constituents_named(ctx, tok)
    if named:
        return named  # "The main psychoactive compounds in kratom are mitragynine and 7-OH"
    if ((head_ent is not None and (head_ent.generic or head_ent.label not in SUBJECT_LABELS))
            or (not ents and (lemma in words.remedy_nouns or tok.dep_ == "attr"))) \
            and not any(not e.generic for e in ents):
        named = _named_by_copula(ctx, tok, comparators)
        if named:
            # "One herb that may help with anxiety is kava", "Kava is one herb that ...", "Ashwagandha
            # is an adaptogen that helps the body cope with stress"
            return named
    if (head_ent is not None and head_ent.generic and lemma in rules.anaphors and ctx.main
            and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)):
        return _main(ctx, tok)  # "the herb may help relieve pain", "this herbal supplement"
    if ents and ctx.prev_alkaloids and all(e.label == "ALKALOID" and e.generic for e in ents):
        # "The compounds interact with …" after a sentence naming them: the named alkaloids
        return [Subject.of(e) for e in ctx.prev_alkaloids]
    if ents:
        alks = [e for e in ents if e.label == "ALKALOID" and e.canonical != GENERIC_ALKALOID]
        head_ent = ctx.tok2ent.get(tok.i)
        if alks and (lemma in ("alkaloid", "compound", "constituent")
                     or (head_ent is not None and head_ent.label == "ALKALOID")):
            chosen = alks
        else:
            chosen = [head_ent] if head_ent is not None and head_ent.label in SUBJECT_LABELS else ents[:1]
            if head_ent is not None and head_ent.generic:
                named = [e for e in ents if not e.generic and _names_the_kind(ctx.doc[e.root_i], tok)]
                if named:
                    # "kratom products", "natural supplements like kratom": the remedies named
                    chosen = named if any(_is_example(ctx.doc[e.root_i], tok) for e in named) else named[:1]
                    # "fish oil and turmeric supplements": each remedy coordinated with the one named
                    for conj in ctx.doc[chosen[0].root_i].conjuncts:
                        e = ctx.tok2ent.get(conj.i)
                        if (e is not None and e.label in SUBJECT_LABELS and not e.generic and id(e) not in comparators
                                and all(c is not e for c in chosen)):
                            chosen.append(e)
            # "Kava and valerian may ease anxiety": each member of the coordination is a subject
            for conj in tok.conjuncts:
                e = ctx.tok2ent.get(conj.i)
                if e is None or e.generic:
                    # "ginger and peppermint supplements", "kava and chamomile teas" parsed as "ginger"
                    # and "(peppermint) supplements": the remedy that names the kind
                    members = [m for m in mentions_in_phrase(ctx, conj, SUBJECT_LABELS)
                               if not m.generic and _names_the_kind(ctx.doc[m.root_i], conj)]
                    members = members or ([e] if e is not None else [])
                else:
                    members = [e]
                for e in members:
                    if (e.label in SUBJECT_LABELS and id(e) not in comparators
                            and not after_than(ctx.doc[e.root_i]) and all(c is not e for c in chosen)):
                        chosen.append(e)
        for e in _stranded_conjunct(ctx, tok):
            if id(e) not in comparators and all(c is not e for c in chosen):
                chosen.append(e)  # "Mitragynine and 7-hydroxy mitragynine interact ...", misparsed
        return [Subject.of(e) for e in chosen]
    if lemma in RELATIVE_PRONOUNS and tok.head.head.i != tok.head.i and \
            tok.head.head.pos_ in ("NOUN", "PROPN"):
        return resolve_subject_token(ctx, tok.head.head, comparators)
    if lemma in rules.anaphors and lemma not in words.part_anaphors and tok.tag_ in ("NNS", "NNPS") and not any(
            c.dep_ in ("det", "poss") for c in tok.children):
        return []  # "a family of plants that contain alkaloids": plants in general, not the article's
    if (lemma in rules.anaphors and tok.tag_ in ("NNS", "NNPS") and ctx.prev_alkaloids
            and any(c.dep_ == "det" and c.lower_ in ("these", "those") for c in tok.children)):
        return [Subject.of(e) for e in ctx.prev_alkaloids]  # "... mitragynine and 7-OH. These substances bind ..."
    if lemma in rules.pronouns and ctx.prev_topic in ("CONDITION", "SIDE_EFFECT") and not any(
            e.label in SUBJECT_LABELS and not e.generic for e in ctx.ents):
        return []  # "Osteoarthritis is a joint disease. It destroys cartilage.": "it" is the disease
    if lemma in rules.pronouns or lemma in rules.anaphors:
        return _main(ctx, tok)
    if lemma in rules.plural_anaphors and (lemma == "they" or any(
            c.dep_ == "det" and c.lower_ in ("these", "those", "such") for c in tok.children)):
        if ctx.prev_alkaloids:
            return [Subject.of(e) for e in ctx.prev_alkaloids]
        return _main(ctx, tok)
    if lemma in rules.usage_nouns:
        return _main(ctx, tok)
    # possessor inside the subject phrase: "its ability", "kratom's composition"
    for child in tok.children:
        if child.dep_ == "poss":
            return resolve_subject_token(ctx, child, comparators)
    return []


def _constituents_named(ctx: SentenceContext, tok) -> list[Subject]:
    """The named constituents a constituent noun subject of a copula is said to be ("The main
    compounds in kratom are mitragynine and 7-OH": the alkaloids of the complement and its
    conjuncts, which the parser may hang on the copula); empty when it names none."""
    verb = tok.head
    if (lemma_of(tok) not in ctx.rules.words.constituent_nouns or tok.dep_ != "nsubj"
            or lemma_of(verb) != "be" or verb.i == tok.i):
        return []
    out: list[Subject] = []
    for side in verb.children:
        if side.dep_ not in ("attr", "acomp", "conj"):
            continue
        for t in (side, *side.conjuncts):
            e = ctx.tok2ent.get(t.i)
            if (e is not None and e.label == "ALKALOID" and not e.generic
                    and all(o.canonical != e.canonical for o in out)):
                out.append(Subject.of(e))
    return out


def _stranded_conjunct(ctx: SentenceContext, tok) -> list:
    """The entity right after ``tok``'s own "and"/"or" when the parser left it no conj link
    ("Mitragynine and 7-hydroxy mitragynine interact with ...": the second name hangs on the verb
    read as a noun); the same label as ``tok``'s entity, else nothing."""
    own = ctx.tok2ent.get(tok.i)
    if own is None or own.generic or any(c.dep_ == "conj" for c in tok.children):
        return []
    cc = next((c for c in tok.children if c.dep_ == "cc" and c.lower_ in ("and", "or")), None)
    if cc is None or cc.i != own.tokens[1]:
        return []
    nxt = next((e for e in ctx.ents if e.tokens[0] == cc.i + 1), None)
    if nxt is None or nxt.generic or nxt.label != own.label or nxt.canonical == own.canonical:
        return []
    return [nxt]


def _named_by_copula(ctx: SentenceContext, tok, comparators: set[int]) -> list[Subject]:
    """The remedies the other side of a copula names for the kind noun ``tok`` ("One herb that may
    help with anxiety is kava", "Kava is one herb that ...", "Another option is ginger tea"): the
    named substances or therapies of the complement (of the subject, for a complement ``tok``)
    and its conjuncts; for the subject of another naming verb, the remedies it names ("Herbs that
    may help with anxiety include kava and chamomile"); empty when there is none."""
    verb = tok.head
    if verb.i == tok.i:
        return []
    if lemma_of(verb) != "be":
        if tok.dep_ in ("nsubj", "nsubjpass") and lemma_of(verb) in ctx.rules.words.naming_verbs \
                and any(c.dep_ in ("relcl", "acl") for c in tok.children):
            return named_remedies(ctx, verb, comparators)  # "Herbs that may help with anxiety include kava"
        return []
    other = {"nsubj": "attr", "nsubjpass": "attr", "attr": "nsubj"}.get(tok.dep_)
    out: list[Subject] = []
    for side in verb.children:
        if side.dep_ != other:
            continue
        for t in [side, *side.conjuncts]:
            for e in mentions_in_phrase(ctx, t, SUBJECT_LABELS):
                if (not e.generic and id(e) not in comparators and not after_than(ctx.doc[e.root_i])
                        and (e.root_i == t.i or _names_the_kind(ctx.doc[e.root_i], t))
                        and all(o.canonical != e.canonical for o in out)):
                    out.append(Subject.of(e))
    return out


def _is_example(tok, head) -> bool:
    """``tok`` is an example of ``head``: "supplements like kratom", "herbs such as kava and valerian"."""
    tok = coordination_head(tok)
    prep = tok.head
    if tok.dep_ != "pobj" or prep.dep_ != "prep":
        return False
    if prep.lower_ in ("like", "including") and prep.head.i == head.i:
        return True
    if prep.lower_ != "as":
        return False
    if prep.head.lower_ == "such":
        return prep.head.head.i == head.i
    return prep.head.i == head.i and any(c.lower_ == "such" for c in [*head.children, *prep.children])


def _names_the_kind(tok, head) -> bool:
    """``tok`` modifies the generic ``head`` ("kratom products") or is one of its examples."""
    return (tok.head.i == head.i and tok.dep_ in ("compound", "amod", "nmod")) or _is_example(tok, head)


def usage_object(ctx: SentenceContext, verb, comparators: set[int]) -> list[Subject]:
    """The remedy a usage verb takes as its object ("use kratom", "turn to turmeric",
    "kratom is used"), resolved; empty when ``verb`` is no usage verb or its object is none."""
    if verb.pos_ not in ("VERB", "AUX") or lemma_of(verb) not in ctx.rules.usage_verb_set:
        return []
    for child in verb.children:
        if child.dep_ == "dobj":
            return resolve_subject_token(ctx, child, comparators)
    return prep_object_subjects(ctx, verb, ("to", "on"), comparators)  # "turn to", "rely on"


def prep_object_subjects(ctx: SentenceContext, tok, preps: tuple[str, ...], comparators: set[int]) -> list[Subject]:
    """The first object of one of ``preps`` under ``tok`` that resolves to a subject."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in preps:
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    got = resolve_subject_token(ctx, obj, comparators)
                    if got:
                        return got
    return []


def find_subjects(ctx: SentenceContext, trigger, comparators: set[int]) -> list[Subject] | None:
    """Climb from the trigger to the nearest clause with a subject.

    Returns ``None`` when the trigger sits inside a subject phrase ("Kratom
    for fibromyalgia support has been an area of interest"): a topic, not
    an assertion.
    """
    cur = trigger
    for _ in range(ctx.max_hops + 2):
        used = usage_object(ctx, cur, comparators)
        if used:
            return used  # "people use kratom to curb withdrawal": the remedy used is the subject
        for child in cur.children:
            if child.dep_ in SUBJECT_DEPS:
                return resolve_subject_token(ctx, child, comparators)
        for child in cur.children:
            if child.dep_ == "poss":
                got = resolve_subject_token(ctx, child, comparators)
                if got:
                    return got
        if cur.dep_ == "relcl":
            got = resolve_subject_token(ctx, cur.head, comparators)
            if got:
                return got
        if cur.dep_ == "appos":
            head_ent = ctx.tok2ent.get(cur.head.i)
            if head_ent is not None and head_ent.label in SUBJECT_LABELS and id(head_ent) not in comparators:
                return [Subject.of(head_ent)]  # "Epidiolex, an oral solution ... to treat seizures"
        if cur.head.i == cur.i:
            break
        if cur.dep_ in SUBJECT_DEPS:
            if cur.i == trigger.head.i and trigger.dep_ in ("amod", "compound"):
                # "This stress-reducing herb should only be used by adults": the relief describes
                # the remedy the subject names
                got = resolve_subject_token(ctx, cur, comparators)
                if got:
                    return got
            # the trigger is in a subject phrase: a topic ("Kratom for pain has been studied"),
            # unless the clause names what the phrase is ("Remedies for stress include kava")
            return named_remedies(ctx, cur.head, comparators) or None
        cur = cur.head
    return []


def named_remedies(ctx: SentenceContext, verb, comparators: set[int]) -> list[Subject]:
    """The remedies a naming verb names right of itself, one per listed member.

    Everything right of the verb counts but its clauses: long lists are often parsed as
    advmod/appos chains rather than one coordinated object.
    """
    if lemma_of(verb) not in ctx.rules.words.naming_verbs:
        return []
    out: list[Subject] = []
    for child in verb.rights:
        if child.dep_ in ("relcl", "advcl", "ccomp", "xcomp", "mark", "cc") or child.pos_ == "VERB":
            continue
        for tok in child.subtree:
            e = ctx.tok2ent.get(tok.i)
            if (e is not None and e.label in SUBJECT_LABELS and not e.generic and id(e) not in comparators
                    and all(o.canonical != e.canonical for o in out)):
                out.append(Subject.of(e))
    return out


def grammatical_subject(ctx: SentenceContext, anchor):
    """The first grammatical subject up the tree from ``anchor`` (a token), or None."""
    cur = anchor
    for _ in range(ctx.max_hops + 2):
        for child in cur.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def gerund_user(ctx: SentenceContext, tok, comparators: set[int]) -> list[Subject]:
    """The remedy of "(side effects) of/from using cannabis": a usage gerund under ``tok``."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "from", "after", "with"):
            for verb in prep.children:
                if verb.dep_ in ("pcomp", "pobj"):
                    got = usage_object(ctx, verb, comparators)
                    if got:
                        return got
    return []


def fallback_subjects(ctx: SentenceContext, comp_ids: set[int], label: str) -> list[Subject]:
    """No syntactic subject: a substance named in the sentence, else the main substance.

    Only for side effects and receptors, whose subject is almost always the
    article's substance; a condition needs a subject found on the parse.
    """
    if label == "RECEPTOR":
        # receptors are bound by constituents: "The alkaloids in kratom, mitragynine and 7-OH,
        # exert their effects through opioid receptors"
        alkaloids = [e for e in ctx.ents if e.label == "ALKALOID" and not e.generic and id(e) not in comp_ids]
        if alkaloids:
            return [Subject.of(e) for e in alkaloids]
    named = [e for e in ctx.ents if e.label == "SUBSTANCE" and id(e) not in comp_ids and not e.generic
             and not after_than(ctx.doc[e.root_i])]
    for e in named:
        if e.canonical == ctx.main:
            return [Subject.of(e)]
    if label in ("SIDE_EFFECT", "RECEPTOR", "EFFECT"):
        if named:
            return [Subject.of(named[0])]  # the sentence's own substance ("attributed to kratom use")
        if ctx.main:
            return [Subject(ctx.main, ctx.main, None)]
    return []


def _compares_through(doc, sub_root, top, words) -> bool:
    """On the way from ``sub_root`` up to ``top`` (exclusive, at most three heads) the substance
    hangs on of/than/with/like or a comparing "to" ("the sedating effects of opioids", "fewer side
    effects than opioids", "similar to morphine"); a substance coordinated with the object or
    modifying a noun beside it ("an association of kratom use and liver injury") is none."""
    cur, hops = sub_root, 0
    while cur.head.i != cur.i and hops < 3:
        cur = cur.head
        hops += 1
        if cur.i == top.i:
            break
        word = lemma_of(cur)
        if word in ("of", "than", "with", "like") or (
                word == "to" and (lemma_of(cur.head) in words.comparing_to or cur.head.lower_ in words.comparing_to)):
            return True
    return False


def comparators_near(ctx: SentenceContext, ent: Mention, subject_canon: set[str]) -> list[Mention]:
    """Substances attached to the object's phrase through of/than/with/like or a comparing "to"."""
    doc = ctx.doc
    out = []
    substances = [e for e in ctx.ents if e.label == "SUBSTANCE" and e.canonical not in subject_canon]
    if not substances:
        return out
    seen: set[int] = set()  # a substance is judged at the lowest phrase that holds it
    for tok in ancestors(span_root(doc, ent), 3):
        # the substances with a token in tok's subtree, in the order of their first such token
        found = []
        for e in substances:
            if id(e) in seen:
                continue
            for i in range(*e.tokens):
                if i == tok.i or tok.is_ancestor(doc[i]):
                    found.append((i, e))
                    break
        for _, e in sorted(found, key=lambda x: x[0]):
            seen.add(id(e))
            if e in out:
                continue
            if e.tokens[0] <= tok.i < e.tokens[1]:  # the substance heads the object's phrase: how it hangs above
                chain = [lemma_of(t) for t in ancestors(doc[e.root_i].head, 2)]
                compared = any(w in chain for w in ("of", "than", "with", "like"))
            else:
                compared = _compares_through(doc, doc[e.root_i], tok, ctx.rules.words)
            if compared:
                out.append(e)
        if tok.pos_ == "VERB":
            break
    return out
