"""The claims of one sentence, object by object.

Every tagged entity that can be the object of a claim is a candidate:

* a CONDITION, SIDE_EFFECT, RECEPTOR or EFFECT: TREATS, CAUSES, ACTS_ON or
  HAS_EFFECT, the predicate from its label and trigger
  (:mod:`.triggers`), the subject found on the parse (:mod:`.subjects`);
* a DOSE: DOSAGE of the substance the sentence names (else the main one);
* an ALKALOID: CONTAINS, when the sentence has a CONTAINS trigger;
* a SUBSTANCE other than the main one: INTERACTS_WITH ("interacts with
  other medications") or SAFER_THAN ("safer than opioids").

Polarity comes from the negation scopes and hedging from the hedge scopes
that cover the object or the trigger (:class:`.context.SentenceContext`).
"""

from __future__ import annotations

from typing import Any, Iterator

from ..cues import is_negated
from .causes import attributed_cause_claims
from .recommendations import recommendation_claims
from .context import SentenceContext
from .evidence import attribution
from .mentions import SUBJECT_LABELS, Mention, Subject, span_root
from .rows import claim_row, label_by_role
from .subjects import (SUBJECT_DEPS, comparators_near, fallback_subjects, find_subjects, gerund_user,
                       grammatical_subject, prep_object_subjects, resolve_subject_token,
                       usage_object)
from .tree import after_than, ancestors, coordination_head, is_object_of, lemma_of, phrase_tokens
from .triggers import (PREDICATES_BY_LABEL, continued_item, find_trigger, non_assertive, not_inferior,
                       relief_intransitive, self_treatment)

Claims = Iterator[dict[str, Any]]

GENERIC_SYMPTOMS = "symptoms"


def sentence_claims(ctx: SentenceContext) -> Claims:
    """The claims whose object is an entity of ``ctx``'s sentence (REGULATED and list claims aside)."""
    substances_here = [e for e in ctx.ents if e.label == "SUBSTANCE"]
    if substances_here and any(e.label == "CONDITION" for e in ctx.ents):
        yield from treatment_with_claims(ctx)
    if any(e.label in ("SUBSTANCE", "THERAPY") for e in ctx.ents) and any(e.label == "CONDITION" for e in ctx.ents):
        yield from population_usage_claims(ctx)
    if substances_here and any(e.label in ("SIDE_EFFECT", "CONDITION") for e in ctx.ents):
        yield from attributed_cause_claims(ctx)  # "a case of liver injury due to kratom use"
    if any(e.label in SUBJECT_LABELS for e in ctx.ents) and any(e.label == "CONDITION" for e in ctx.ents):
        yield from recommendation_claims(ctx)  # "when treating Y, doctors should choose A, B or C"
    yield from constituent_claims(ctx)
    yield from pronoun_object_claims(ctx)
    yield from role_noun_claims(ctx)
    yield from relief_modifier_claims(ctx)
    for ent in ctx.ents:
        label = ent.label
        if label == "SUBSTANCE":
            yield from held_substance_claims(ctx, ent)
            yield from substance_object_claims(ctx, ent)
        elif label == "DOSE":
            yield from dose_claims(ctx, ent, substances_here)
        elif label == "ALKALOID":
            yield from contains_claims(ctx, ent, substances_here)
        elif label != "THERAPY":  # a therapy is neither a subject nor an object of the claims schema
            yield from object_claims(ctx, ent)


def _role_subject(ctx: SentenceContext, root):
    """The token a predicative role noun describes: the subject of its copula ("X is a ..."), the
    object of a raising verb ("shown X to be a ..."), the subject of "act/work as a ...", or the
    passive subject of "X is used/known as a ..."; None when it is no predicate."""
    words = ctx.rules.words
    head = root.head
    if root.dep_ == "attr" and lemma_of(head) in words.copulas:
        for c in head.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return c
        if head.dep_ in ("xcomp", "ccomp"):
            return next((c for c in head.head.children if c.dep_ == "dobj"), None)
        return None
    if root.dep_ == "pobj" and head.lower_ == "as" and lemma_of(head.head) in words.role_verbs:
        return next((c for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return None


def role_noun_claims(ctx: SentenceContext) -> Claims:
    """TREATS claims of a relief stated through the remedy's role ("Willow bark is an effective pain
    reliever, especially for back pain"): the remedy treats the condition the role noun relieves and
    the conditions the predicate adds (not those a participle attaches: "pain associated with X")."""
    words = ctx.rules.words
    doc = ctx.doc
    for ent in ctx.ents:
        cond = words.relief_roles.get(ent.canonical)
        if cond is None or any(doc[i].lower_.rstrip("s") not in words.role_words for i in range(*ent.tokens)):
            continue
        root = span_root(doc, ent)
        subj_tok = _role_subject(ctx, root)
        if subj_tok is None or non_assertive(ctx, root):
            continue
        subjects = [s for s in resolve_subject_token(ctx, subj_tok, {id(ent)})
                    if s.canonical != ent.canonical and (s.span is None or tuple(s.span) != (ent.start, ent.end))]
        subjects = [s for s in subjects if not any(e.generic and (e.start, e.end) == tuple(s.span or ())
                                                   for e in ctx.ents)]
        if not subjects:
            continue
        pred = root.head.head if root.dep_ == "pobj" else root.head
        scope = {t.i for t in root.subtree} | {t.i for c in pred.children if c.dep_ == "prep" for t in c.subtree}
        role_obj = Mention(ent.start, ent.end, "CONDITION", cond, ent.text, ent.tokens,
                           {"label": "CONDITION", "canonical": cond})
        objects = [role_obj] + [e for e in ctx.ents if e.label == "CONDITION" and e.root_i in scope
                                and not any(t.pos_ == "VERB" for t in ancestors(doc[e.root_i], 4)
                                            if t.i in scope and t.i != pred.i)]
        who = attribution(ctx, root, root)
        for obj in objects:
            negated = ctx.negated(obj, root)
            for subj in subjects:
                yield claim_row(ctx, subj, "TREATS", obj, negated, ctx.hedges(obj, root), who,
                                ctx.qualifiers(("duration", "amount", "population", "degree")) + subj.qualifiers)


def relief_modifier_claims(ctx: SentenceContext) -> Claims:
    """TREATS claims of a condition and a relief gerund written before the remedy without a hyphen
    ("this stress reducing herb", "a pain relieving kava tea"), which the parser reads as a clause
    ("stress" the subject of "reducing"): the remedy is the substance named next, else the main
    substance for a definite anaphor ("this herb")."""
    doc, treats = ctx.doc, ctx.rules.trigger_sets.get("TREATS", ())
    end = ctx.sent.end
    for ent in ctx.ents:
        k = ent.tokens[1]
        if ent.label not in ("CONDITION", "SIDE_EFFECT") or k + 1 >= end:
            continue
        gerund, noun = doc[k], doc[k + 1]
        if not gerund.lower_.endswith("ing") or lemma_of(gerund) not in treats or noun.pos_ not in ("NOUN", "PROPN"):
            continue
        named = ctx.tok2ent.get(noun.i)
        if named is not None and named.label == "SUBSTANCE" and not named.generic:
            subj = Subject.of(named)
        elif (lemma_of(noun) in ctx.rules.anaphors and noun.tag_ in ("NN", "NNP") and ctx.main
              and ent.tokens[0] > ctx.sent.start and doc[ent.tokens[0] - 1].lower_ in ("this", "that", "the")):
            subj = Subject(ctx.main, noun.text, None)
        else:
            continue
        if non_assertive(ctx, gerund):
            continue
        label_by_role(ent, "TREATS")
        yield claim_row(ctx, subj, "TREATS", ent, ctx.negated(ent, gerund), ctx.hedges(ent, gerund),
                        attribution(ctx, gerund, gerund), ctx.qualifiers(("duration", "amount", "population", "degree")))


def treatment_with_claims(ctx: SentenceContext) -> Claims:
    """TREATS claims of "(patients with X respond to) treatment with A, B or C": the substances of a
    treatment noun's "with" treat the condition in its phrase, else the condition of the
    population its clause is about ("patients with fibromyalgia")."""
    words = ctx.rules.words
    if "with" not in ctx.lower_set or not ctx.lemma_set & words.treatment_nouns:
        return
    for tok, lemma in zip(ctx.tokens, ctx.lemmas):
        if lemma not in words.treatment_nouns or tok.pos_ != "NOUN":
            continue
        with_prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "with"), None)
        if with_prep is None:
            continue
        drugs: list[Mention] = []
        for obj in with_prep.children:
            if obj.dep_ != "pobj":
                continue
            for t in [obj, *obj.conjuncts]:
                e = ctx.tok2ent.get(t.i)
                if e is not None and e.label == "SUBSTANCE" and not e.generic and e not in drugs:
                    drugs.append(e)
        if not drugs or non_assertive(ctx, tok):
            continue
        inside = {t.i for t in with_prep.subtree}
        objects = [e for e in ctx.ents if e.label == "CONDITION" and e.root_i in {t.i for t in tok.subtree}
                   and e.root_i not in inside]
        if not objects:
            subj = grammatical_subject(ctx, tok)
            if subj is not None and lemma_of(subj) in words.person_nouns:
                objects = [e for e in ctx.ents if e.label == "CONDITION" and e.root_i in {t.i for t in subj.subtree}]
        for obj in objects:
            negated = ctx.negated(obj, tok)
            hedge_cues = ctx.hedges(obj, tok)
            who = attribution(ctx, tok, tok)
            for drug in drugs:
                yield claim_row(ctx, Subject.of(drug), "TREATS", obj, negated, hedge_cues, who,
                                ctx.qualifiers(("duration", "amount", "population", "degree")))


def ellipsis_claims(ctx: SentenceContext, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The claims a clause of a bare "do" or "be" repeats for its own subject ("Opioids cause
    respiratory depression, but kratom does not": kratom CAUSES it, negated; "Ibuprofen does not
    help nerve pain, but gabapentin does": gabapentin TREATS it, affirmed; "THC is psychoactive,
    while CBD is not"): the claims ``found`` in the clause it stands for, with its subject,
    negated when it is.  A comparative remainder ("but kratom is less so") repeats nothing."""
    out: list[dict[str, Any]] = []
    for tok in ctx.tokens:
        lemma = lemma_of(tok)
        if lemma not in ("do", "be") or tok.dep_ not in ("conj", "ROOT", "advcl"):
            continue
        if any(c.dep_ not in ("nsubj", "neg", "mark", "cc", "punct", "advcl", "advmod")
               or (c.dep_ == "advmod" and c.lower_ not in ("too", "also", "either", "never"))
               for c in tok.children):
            continue  # a main verb ("does the job") or a comparison ("is less so")
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if tok.dep_ in ("conj", "advcl"):
            antecedent = tok.head
        else:  # "Although A doesn't ..., B does" (not "It is because A ...")
            antecedent = next((c for c in tok.children if c.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in ("although", "though", "while", "whereas") for m in c.children)), None)
        if subj is None or antecedent is None or antecedent.pos_ not in ("VERB", "AUX"):
            continue
        generic = {(e.start, e.end) for e in ctx.ents if e.generic}
        subjects = [s for s in resolve_subject_token(ctx, subj, set()) if s.span is None or tuple(s.span) not in generic]
        if not subjects:
            continue
        own = {tok.idx} | {t.idx for c in tok.children if c.i != antecedent.i for t in c.subtree}
        clause = {t.idx for t in antecedent.subtree} - own
        negated = any(c.dep_ == "neg" or c.lower_ == "never" for c in tok.children)
        for claim in found:
            if claim["object_span"][0] not in clause or claim["predicate"] in ("DOSAGE", "REGULATED"):
                continue
            for s in subjects:
                if s.canonical in (claim["object"], claim["subject"]):
                    continue
                row = dict(claim, subject=s.canonical, subject_text=s.text,
                           subject_span=list(s.span) if s.span else None,
                           polarity="negated" if negated else "affirmed", qualifiers=list(claim["qualifiers"]))
                out.append(row)
    return out


def _population_conditions(ctx: SentenceContext, person) -> list[Mention]:
    """The conditions a person noun says its people have: "arthritis patients", "people with
    arthritis", "people who suffer from neuropathy" (``population_verbs``)."""
    words = ctx.rules.words
    toks: list = []
    for c in person.children:
        if c.dep_ in ("compound", "amod", "nmod"):
            toks.append(c)
        elif c.dep_ == "prep" and c.lower_ == "with":
            toks += [t for o in c.children if o.dep_ == "pobj" for t in (o, *o.conjuncts)]
        elif c.dep_ == "relcl" and lemma_of(c) in words.population_verbs:
            toks += list(c.subtree)
    out: list[Mention] = []
    for t in toks:
        e = ctx.tok2ent.get(t.i)
        if e is not None and e.label == "CONDITION" and not e.generic and e not in out:
            out.append(e)
    return out


def population_usage_claims(ctx: SentenceContext) -> Claims:
    """TREATS claims of people with a condition who use a remedy: "People with arthritis often take
    turmeric", "Arthritis patients use turmeric", "Many who suffer from neuropathy turn to
    gabapentin": the remedy treats the condition they have."""
    words = ctx.rules.words
    usage = ctx.rules.usage_verb_set
    for verb, lemma in zip(ctx.tokens, ctx.lemmas):
        if lemma not in usage or verb.pos_ != "VERB":
            continue
        person = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if person is None or (lemma_of(person) not in words.person_nouns
                              and lemma_of(person) not in words.population_nouns):
            continue
        conditions = _population_conditions(ctx, person)
        if not conditions or non_assertive(ctx, verb) or any(c.dep_ == "neg" for c in verb.children):
            continue  # "People with liver disease should not use kratom": a warning, no relief
        remedies = [s for s in usage_object(ctx, verb, set())
                    if not any(e.generic and (e.start, e.end) == tuple(s.span or ()) for e in ctx.ents)]
        who = attribution(ctx, verb, verb)
        for cond in conditions:
            negated = ctx.negated(cond, verb)
            for subj in remedies:
                if subj.canonical != cond.canonical:
                    label_by_role(cond, "TREATS")
                    yield claim_row(ctx, subj, "TREATS", cond, negated, ctx.hedges(cond, verb), who,
                                    ctx.qualifiers(("duration", "amount", "population", "degree")))


def object_claims(ctx: SentenceContext, ent: Mention) -> Claims:
    """TREATS, CAUSES, ACTS_ON or HAS_EFFECT claims with a condition, side effect, receptor or effect
    as object: one per subject."""
    doc = ctx.doc
    if _names_a_cause(doc, ent, ctx.rules.words):
        return  # "stress-induced tension", "injury-related pain": a cause, not the claim's object
    if ent.generic and ctx.text.rstrip().endswith(":"):
        return  # "is used for the following conditions:": the list items after it are the objects
    trigger, cls = _predicate(ctx, ent)
    if cls is None:
        return
    if trigger is None and not ctx.has_verb:
        return  # a line without a verb or a trigger ("Exhaustion and extreme fatigue") asserts nothing
    root = span_root(doc, ent)
    anchor = trigger if trigger is not None else root
    if non_assertive(ctx, anchor) or not _is_claim_object(ctx, ent, root):
        return
    if ent.label == "CONDITION" and trigger is not None and _setting_of(ctx, root, trigger):
        return  # "reduce pain and improve mobility in osteoarthritis": the setting, not the object
    if ent.label == "EFFECT" and _names_a_problem(root, ctx.rules.words):
        return  # "sleep, mood, and memory issues": problems, not effects
    if trigger is not None and trigger.pos_ in ("VERB", "AUX") and _agent_of(ctx, root, trigger):
        return  # "abuse of kratom can lead to addiction": the abuse is the cause, not an object
    found = _subjects(ctx, ent, root, anchor)
    if found is None:
        return
    subjects, comparators = found
    listed = _listed_after_colon(ctx, root, trigger) if cls == "TREATS" else []
    if listed:
        subjects = listed  # "natural options for anxiety: kava, valerian and lavender"
    if cls in ("TREATS", "HAS_EFFECT", "CAUSES"):
        # "Many of its calming benefits come from withanolides": the constituent has them too
        subjects = subjects + [s for s in _source_constituents(ctx, root)
                               if all(o.canonical != s.canonical for o in subjects)]
    generic_spans = {(e.start, e.end) for e in ctx.ents if e.generic and e.label == "SUBSTANCE"}
    if cls == "TREATS":
        # "self-treat opioid dependence": the substance that names the kind of condition treats nothing
        generic_spans |= {(e.start, e.end) for e in ctx.ents if e.label == "SUBSTANCE" and e.root_i != root.i
                          and ctx.doc[e.root_i].head.i == root.i
                          and ctx.doc[e.root_i].dep_ in ("amod", "compound", "nmod")}
    # "medications", "products", "drugs" as such: no remedy to make a claim about
    subjects = [s for s in subjects if s.span is None or tuple(s.span) not in generic_spans]
    if not subjects or (trigger is not None and _listed_by_a_plain_noun(ctx, trigger)):
        return
    negated = ctx.negated(ent, trigger) and not _negation_left_behind(ctx, ent, trigger) \
        and not (trigger is not None and trigger.lower_ == "inferior" and not_inferior(trigger))
    hedge_cues = ctx.hedges(ent, trigger)
    who = attribution(ctx, trigger, anchor)
    quals = ctx.qualifiers(("duration", "amount", "population", "degree"))
    quals += [{"kind": "comparator", "text": c.text} for c in comparators]
    if cls == "CAUSES" and not negated and _less_harm(ctx, root):
        # "pain improvements comparable to ibuprofen and naproxen, with fewer side effects": the
        # comparators named elsewhere in the sentence
        near = {c.canonical for c in comparators}
        compared = [e for e in ctx.ents if e.label == "SUBSTANCE" and not e.generic and e.canonical != ctx.main
                    and e.canonical not in near and (_compared_substance(ctx, e) or _equalled(ctx, e))]
        compared_names = {e.canonical for e in compared} | near
        if compared and all(s.canonical in compared_names for s in subjects):
            # "... comparable to ibuprofen and diclofenac, with fewer side effects": a comparator is
            # never the subject; the sentence's other substance, else the main one
            named = [e for e in ctx.ents if e.label in SUBJECT_LABELS and not e.generic
                     and e.canonical not in compared_names and not after_than(ctx.doc[e.root_i])]
            main = [e for e in named if e.canonical == ctx.main]
            subjects = ([Subject.of((main or named)[0])] if named
                        else [Subject(ctx.main, ctx.main, None)] if ctx.main else [])
        subject_names = {s.canonical for s in subjects} | {ctx.main}
        extra = [e for e in compared if e.canonical not in subject_names]
        comparators = comparators + extra
        quals += [{"kind": "comparator", "text": c.text} for c in extra]
    if cls == "CAUSES" and not negated and comparators and _less_harm(ctx, root):
        # "fewer side effects than opioids", "a lower risk of addiction than morphine": a
        # comparison in the subject's favour, not a statement that it causes the harm
        for subj in subjects:
            for comp in comparators:
                yield claim_row(ctx, subj, "SAFER_THAN", comp, False, hedge_cues, who,
                                quals + [{"kind": "harm", "text": ent.text.lower()}] + subj.qualifiers)
        return
    label_by_role(ent, cls)
    for subj in subjects:
        yield claim_row(ctx, subj, cls, ent, negated, hedge_cues, who, quals + subj.qualifiers)


def _listed_by_a_plain_noun(ctx: SentenceContext, trigger) -> bool:
    """The trigger is a listing verb whose subject is a plain noun that names no remedy and no
    harm ("The monograph sections include interactions, dosing and adverse effects")."""
    if trigger.pos_ != "VERB" or lemma_of(trigger) not in ctx.rules.words.listing_verbs:
        return False
    subj = next((c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or ctx.tok2ent.get(subj.i) is not None:
        return False
    lemma = lemma_of(subj)
    if any(lemma in words for words in ctx.rules.trigger_sets.values()):
        return False  # "Other concerns include liver damage", "Benefits include ..."
    return _plain_noun(ctx, subj)


def _negation_left_behind(ctx: SentenceContext, ent: Mention, trigger) -> bool:
    """The negation sits on a good-outcome verb and the claim's harm verb is coordinated with it:
    the alternative is affirmed ("do not benefit sufficiently from this treatment or suffer
    intolerable side effects"); a negation inside the object's own phrase still counts."""
    words = ctx.rules.words
    if trigger is None or trigger.pos_ != "VERB" or trigger.dep_ != "conj":
        return False
    first = coordination_head(trigger)
    if lemma_of(trigger) not in ctx.rules.trigger_sets.get("CAUSES", ()) \
            or lemma_of(first) not in words.good_outcome_verbs:
        return False
    if not any(c.dep_ == "neg" for c in first.children) or any(c.dep_ == "neg" for c in trigger.children):
        return False
    root = span_root(ctx.doc, ent)
    return not any(c.dep_ in ("neg", "det") and c.lower_ in ("no", "not", "without") for c in root.children)


def _names_a_problem(root, words) -> bool:
    """An effect word that modifies a problem noun or is listed with one ("mood problems",
    "sleep, mood, and memory issues")."""
    if root.dep_ in ("compound", "nmod", "amod") and lemma_of(root.head) in words.problem_nouns:
        return True
    head = coordination_head(root)
    return any(lemma_of(c) in words.problem_nouns for c in [head, *head.conjuncts] if c.i != root.i)


def _setting_of(ctx: SentenceContext, root, trigger) -> bool:
    """The condition is reached from a treatment verb that has its own object through "in"/"among"
    ("improve mobility in osteoarthritis", "reduce pain in patients with arthritis"); an object that
    is a measured level leaves the condition the object ("lower cortisol levels in people with
    chronic stress")."""
    words = ctx.rules.words
    if trigger.pos_ != "VERB" or not any(c.dep_ in ("dobj", "obj") and lemma_of(c) not in words.measure_nouns
                                         for c in trigger.children):
        return False
    tok, setting = root, False
    while tok.i != trigger.i and tok.head.i != tok.i:
        if tok.dep_ == "prep" and tok.lower_ in ("in", "among"):
            setting = True
        elif tok.dep_ in ("dobj", "obj") and tok.head.i == trigger.i and not setting:
            return False  # the condition is the verb's own object
        if tok.dep_ == "relcl" and setting:
            return False  # "mood, which is often compromised in individuals with fibromyalgia"
        tok = tok.head
    return setting


def _agent_of(ctx: SentenceContext, root, verb) -> bool:
    """``root`` is the active subject of ``verb`` and names a use of a substance ("abuse of
    kratom", "misuse of opioids")."""
    head = coordination_head(root)
    if head.dep_ not in ("nsubj", "csubj") or head.head.i != verb.i:
        return False
    for prep in root.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                e = ctx.tok2ent.get(obj.i)
                if e is not None and e.label == "SUBSTANCE":
                    return True
    return False


def _less_harm(ctx: SentenceContext, root) -> bool:
    """The harm is modified by a less-word, on itself or on the noun that governs it ("fewer side
    effects", "a lower risk of addiction", "less potential for dependence")."""
    words = ctx.rules.words
    heads = [root] + ([root.head.head] if root.dep_ == "pobj" else [])
    return any(c.lower_ in words.less_words for h in heads for c in h.children
               if c.dep_ in ("amod", "advmod", "nummod"))


def _lessened_harm(ctx: SentenceContext, ent: Mention) -> bool:
    """A harm noun ("side effects", "gastrointestinal side effects", a harm noun of ``harm_nouns``)
    that a less-word modifies ("with fewer side effects"): a comparison in the subject's favour."""
    root = span_root(ctx.doc, ent)
    return lemma_of(root) in ctx.rules.words.harm_nouns and _less_harm(ctx, root)


def _equalled(ctx: SentenceContext, e: Mention) -> bool:
    """The substance is what an "as ... as" comparison equals ("relieves pain as well as ibuprofen",
    "as effective as diclofenac"): only read where a harm is said to be less."""
    doc, k = ctx.doc, e.tokens[0]
    if k - 1 < ctx.sent.start or doc[k - 1].lower_ != "as":
        return False
    return any(doc[j].lower_ == "as" for j in range(max(k - 4, ctx.sent.start), k - 2))


def _predicate(ctx: SentenceContext, ent: Mention) -> tuple[Any, str | None]:
    """``(trigger or None, predicate)``; the predicate is None when the entity is no claim object."""
    words = ctx.rules.words
    doc = ctx.doc
    label = ent.label
    trigger, cls = find_trigger(ctx, ent, PREDICATES_BY_LABEL[label])
    if label in ("CONDITION", "SIDE_EFFECT") and _lessened_harm(ctx, ent):
        return trigger, "CAUSES"  # "with fewer side effects": a harm compared, never a relief
    if label == "CONDITION":
        impact = _impact_on(span_root(doc, ent), words)
        if impact is not None and (cls is None or cls == "CAUSES"):
            # "a huge effect on arthritis", "a positive impact on joint pain": a relief, unless
            # the effect is said to be harmful
            if any(lemma_of(c) in words.harmful_words for c in impact.children if c.dep_ in ("amod", "compound")):
                return impact, None
            return impact, "TREATS"
        # a condition is the object of a treatment claim, or of a causal
        # claim only with a strong causal verb ("kratom can cause anxiety") or as what the
        # subject phrase of a copula calls an effect ("the effects of kratom are ... hypertension")
        if cls == "CAUSES" and not (trigger.pos_ == "VERB" and lemma_of(trigger) in ctx.rules.strong_causal_verbs) \
                and not _named_harm(ctx, trigger):
            cls = None
    elif label == "SIDE_EFFECT":
        # a side effect is treated only when it is the direct object of a
        # treatment verb ("helps manage withdrawal"); otherwise it is caused
        if cls == "TREATS" \
                and not (trigger.pos_ == "VERB" and is_object_of(span_root(doc, ent), trigger, words.kind_nouns)) \
                and trigger.lower_ != "for" and not _noun_treats(span_root(doc, ent), trigger, words) \
                and not _verb_prep_object(span_root(doc, ent), trigger) \
                and not _relief_for(span_root(doc, ent), trigger) and trigger.lower_ not in words.efficacy_comparisons \
                and not _hyphened_to(doc, ent, trigger) and continued_item(span_root(doc, ent), words) is None \
                and not _gerund_object(span_root(doc, ent), trigger) \
                and not relief_intransitive(coordination_head(span_root(doc, ent)), words) \
                and self_treatment(span_root(doc, ent), ctx.rules.trigger_sets.get("TREATS", ())) is None:
            cls = "CAUSES"
        if cls is None:
            head = coordination_head(span_root(doc, ent))
            if head.dep_ in ("acomp", "attr") and lemma_of(head.head) in words.copulas:
                return head.head, "CAUSES"  # "kratom is (highly) addictive", "can be sedating"
            prep = head.head
            if head.dep_ == "pobj" and prep.lower_ == "as" and lemma_of(coordination_head(prep).head) in words.role_verbs:
                return coordination_head(prep).head, "CAUSES"  # "acts as a stimulant ... and as a sedative"
        if cls is None and not any(c.dep_ == "poss" for c in span_root(doc, ent).children) \
                and not owner_subjects(ctx, span_root(doc, ent)):
            # a side effect merely mentioned ("differences in … tolerance"); one owned by a
            # substance ("addiction to kratom", "deaths from kratom products") is its claim
            return trigger, None
        cls = cls or "CAUSES"
    elif label == "RECEPTOR":
        cls = "ACTS_ON"
    elif label == "EFFECT":
        cls = "HAS_EFFECT"  # "acts as a stimulant", "boosts energy", "has analgesic properties"
    return trigger, cls


def _impact_on(root, words):
    """The influence noun whose "on" takes the condition ("a huge effect on arthritis"), or None."""
    prep = coordination_head(root).head
    if coordination_head(root).dep_ != "pobj" or prep.lower_ != "on" or prep.dep_ != "prep":
        return None
    noun = prep.head
    return noun if noun.pos_ == "NOUN" and lemma_of(noun) in words.impact_nouns else None


def _named_harm(ctx: SentenceContext, trigger) -> bool:
    """The trigger is the subject of a copula and a harm noun not said to be good ("the most commonly
    reported effects of kratom are ... hypertension")."""
    if trigger is None or trigger.dep_ not in ("nsubj", "nsubjpass") or lemma_of(trigger.head) != "be":
        return False
    if lemma_of(trigger) not in ctx.rules.words.harm_nouns:
        return False
    return not any(lemma_of(c) in ctx.rules.trigger_sets.get("TREATS", ()) or c.lower_ in ("positive", "therapeutic")
                   for c in trigger.children if c.dep_ in ("amod", "compound"))


def owner_subjects(ctx: SentenceContext, root) -> list[Subject]:
    """The substance a harm noun is owned by through one of the ``owner_preps`` (``claim_rules.json``),
    resolved; empty when none."""
    words = ctx.rules.words
    if root.pos_ not in ("NOUN", "PROPN"):
        return []
    for child in root.children:  # "kratom withdrawal", "alcohol addiction"
        e = ctx.tok2ent.get(child.i)
        if child.dep_ in ("compound", "nmod") and e is not None and e.label == "SUBSTANCE" and not e.generic:
            return [Subject.of(e)]
    for prep in root.children:
        if prep.dep_ != "prep" or prep.lower_ not in words.owner_preps:
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            got = resolve_subject_token(ctx, obj, set())
            if prep.lower_ == "of":
                got = [g for g in got if g.canonical == ctx.main]
            if got:
                return got
    return []


def _verb_prep_object(root, trigger) -> bool:
    """The object hangs on the treatment verb through "with"/"against" ("helps with withdrawal",
    "protects against nausea")."""
    head = coordination_head(root)
    prep = head.head
    return (trigger.pos_ == "VERB" and head.dep_ == "pobj" and prep.dep_ == "prep"
            and prep.lower_ in ("with", "against") and prep.head.i == trigger.i)


def _source_constituents(ctx: SentenceContext, root) -> list[Subject]:
    """The constituents a clause says an effect comes from, the effect in its subject phrase
    ("its calming benefits come from withanolides", "the effects are attributed to mitragynine")."""
    words = ctx.rules.words
    cur = root
    for _ in range(4):
        if cur.dep_ in ("nsubj", "nsubjpass") or cur.head.i == cur.i:
            break
        cur = cur.head
    if cur.dep_ not in ("nsubj", "nsubjpass"):
        return []
    verb = cur.head
    heads = [verb] + [c for c in verb.children if c.dep_ in ("acomp", "attr") and c.lower_ == "due"]
    out: list[Subject] = []
    for h in heads:
        prep_word = words.source_verbs.get(lemma_of(h)) or words.source_verbs.get(h.lower_)
        for prep in h.children:
            if prep.dep_ != "prep" or prep.lower_ != prep_word:
                continue
            for obj in prep.children:
                for t in ([obj, *obj.conjuncts] if obj.dep_ == "pobj" else []):
                    e = ctx.tok2ent.get(t.i)
                    if e is not None and e.label == "ALKALOID" and not e.generic:
                        out.append(Subject.of(e))
    return out


def _listed_after_colon(ctx: SentenceContext, root, trigger) -> list[Subject]:
    """The remedies a relief noun lists after a colon in its sentence ("options for anxiety: kava,
    valerian and lavender"): named substances in apposition to the object or the noun, with their
    conjuncts."""
    if trigger is None or trigger.pos_ != "NOUN" or ":" not in ctx.lower_set:
        return []
    out: list[Subject] = []
    for tok in ctx.tokens:
        if tok.dep_ != "appos" or tok.head.i not in (root.i, trigger.i) or tok.i < root.i:
            continue
        if not any(t.text == ":" for t in ctx.doc[root.i:tok.i]):
            continue
        for t in [tok, *tok.conjuncts]:
            e = ctx.tok2ent.get(t.i)
            if e is not None and e.label in SUBJECT_LABELS and not e.generic and all(
                    o.canonical != e.canonical for o in out):
                out.append(Subject.of(e))
    return out


def _relief_for(root, trigger) -> bool:
    """The object is what a relief adjective or noun is for (or against), however the parser hangs
    the preposition: "as effective as metoclopramide for nausea", "a good remedy for nausea",
    "effective against nausea"."""
    head = coordination_head(root)
    prep = head.head
    return (trigger.pos_ in ("ADJ", "NOUN") and head.dep_ == "pobj" and prep.dep_ == "prep"
            and prep.lower_ in ("for", "against") and trigger.is_ancestor(prep))


def _noun_treats(root, trigger, words) -> bool:
    """The object is what a treatment noun acts on: "relief from nausea", "a treatment for
    nausea", "the reduction of nausea", "an improvement in nausea", "nausea relief"."""
    if trigger.pos_ not in ("NOUN", "PROPN"):
        return False
    if root.head.i == trigger.i and root.dep_ in ("compound", "nmod"):
        return True
    prep = root.head
    # the parser often hangs "from" on the light verb: "offers relief from nausea"
    heads = {trigger.i} | ({trigger.head.i} if trigger.dep_ == "dobj" else set())
    preps = ("for", "of", "from", "against") + (("in",) if lemma_of(trigger) in words.change_nouns else ())
    return (root.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in preps
            and prep.head.i in heads)


def _is_claim_object(ctx: SentenceContext, ent: Mention, root) -> bool:
    """False for mentions that describe something else than an object of the claim."""
    words = ctx.rules.words
    if ent.canonical == GENERIC_SYMPTOMS and any(ctx.tok2ent.get(c.i) is not None for c in root.children
                                                 if c.dep_ in ("compound", "amod", "nmod")):
        return False  # "fibromyalgia symptoms": the claim is about fibromyalgia
    if ent.canonical == GENERIC_SYMPTOMS and any(
            c.dep_ == "prep" and c.lower_ == "of" and any(ctx.tok2ent.get(o.i) is not None for o in c.children)
            for c in root.children):
        return False  # "symptoms of arthritis": the claim is about arthritis
    if root.dep_ in ("compound", "amod") and lemma_of(root.head) in words.person_nouns:
        return False  # "chronic pain sufferers", "fibromyalgia patients": a population, not an object
    if root.dep_ == "compound" and lemma_of(root.head) in words.process_nouns:
        return False  # "required for energy production", "blood pressure regulation": a body process
    head = coordination_head(root)
    if (head.dep_ == "pobj" and head.head.lower_ in ("on", "about", "regarding", "to")
            and lemma_of(head.head.head) in words.topic_nouns):
        return False  # "a guide on kratom withdrawal", "information about its side effects": a topic
    if (ent.label == "SIDE_EFFECT" and root.dep_ == "amod" and lemma_of(root.head) not in words.effect_heads
            and ctx.tok2ent.get(root.head.i) is None):
        return False  # "less addictive pain management options": describes something else
    if (ent.label == "EFFECT" and root.dep_ == "amod" and root.head.pos_ == "NOUN" and ctx.tok2ent.get(root.head.i) is None
            and root.head.dep_ not in ("attr", "appos") and not _remedy_word(ctx, root.head)):
        return False  # "anti-inflammatory eating patterns": describes something else than a remedy
    return True


def _remedy_word(ctx: SentenceContext, tok) -> bool:
    words = ctx.rules.words
    lemma = lemma_of(tok)
    rules = ctx.rules
    return (lemma in words.effect_heads or lemma in words.remedy_nouns or lemma in words.effect_carriers
            or lemma in rules.anaphors or lemma in rules.plural_anaphors or lemma in rules.usage_nouns)


def _subjects(ctx: SentenceContext, ent: Mention, root, anchor) -> tuple[list[Subject], list[Mention]] | None:
    """``(subjects, comparators)`` of the claim on ``ent``; None when the trigger of a condition
    lies in a subject phrase (a topic, not an assertion)."""
    head_ent = ctx.tok2ent.get(root.head.i)
    if (ent.label == "EFFECT" and root.dep_ in ("amod", "compound") and head_ent is not None
            and head_ent.label in SUBJECT_LABELS and not head_ent.generic and not after_than(root.head)):
        # "an anti-inflammatory Mediterranean diet", "stimulant kratom strains": the effect of the
        # remedy it describes
        return [Subject.of(head_ent)], []
    if ent.label == "SIDE_EFFECT" and root.dep_ == "amod" and head_ent is not None and head_ent.label == "SUBSTANCE":
        # a substance directly modified by the side effect ("addictive kratom extracts"); a
        # comparator's property ("opioids and other addictive drugs") is no claim of the article
        if head_ent.canonical != ctx.main:
            return None
        subjects, comparators = [Subject.of(head_ent)], []
    else:
        comparators = comparators_near(ctx, ent, {ctx.main} if ctx.main else set())
        comp_ids = {id(c) for c in comparators}
        if anchor.dep_ in SUBJECT_DEPS and lemma_of(anchor.head) == "be" and anchor.i != root.i:
            # the trigger heads the copula's subject: "the effects of kratom are ...", "its
            # benefits are ..."; the remedy is named inside that phrase, else it is the main one
            subjects = resolve_subject_token(ctx, anchor, comp_ids) or fallback_subjects(ctx, comp_ids, "EFFECT")
        else:
            subjects = (_dependent_on(ctx, root, comp_ids) or gerund_user(ctx, root, comp_ids)
                        or (owner_subjects(ctx, root) if ent.label == "SIDE_EFFECT" and anchor.i == root.i else [])
                        or find_subjects(ctx, anchor, comp_ids))
        if subjects is None:
            if ent.label == "CONDITION":
                return None
            subjects = []
        if not subjects and ent.label in ("CONDITION", "EFFECT"):
            # "improvements in pain ... and sleep from using cannabis": the remedy used in the clause
            subjects = _used_in_clause(ctx, anchor, comp_ids)
        if not subjects:
            # "participants who took ashwagandha reported lower stress levels": the remedy the
            # clause's people use
            subjects = _users_remedy(ctx, anchor, comp_ids)
        if not subjects and relief_intransitive(coordination_head(root), ctx.rules.words):
            # "my anxiety subsided within days of using kratom": the remedy the sentence uses; none
            # when it names none ("withdrawal symptoms usually subside within a week")
            return [s for s in _remedy_used_here(ctx, comp_ids) if s.canonical != ent.canonical], comparators
        if not subjects and ent.label == "CONDITION" and ctx.main and _experienced_relief(ctx, anchor):
            # "you can expect reduced anxiety", "patients noticed less pain": the relief the
            # article's remedy brings
            subjects = [Subject(ctx.main, ctx.main, None)]
        if not subjects and not (ent.label == "EFFECT" and _person_subject(ctx, anchor)) \
                and not (_entity_subject(ctx, anchor, ent) and not _relief_passed_on(ctx, anchor)) \
                and not _comparator_owns_the_subject(ctx, anchor, comp_ids):
            # an effect whose clause is about people ("many patients have trouble with
            # sleep") is not the article's remedy's effect
            subjects = fallback_subjects(ctx, comp_ids, ent.label)
    return [s for s in subjects if s.canonical != ent.canonical], comparators


def _clause_verb(tok):
    """The nearest verb up the tree from ``tok`` (itself included), or the root."""
    for t in ancestors(tok, 12):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound"):
            return t
    return tok.sent.root


def _used_in_clause(ctx: SentenceContext, anchor, comp_ids: set[int]) -> list[Subject]:
    """The remedy of a usage gerund ("from using cannabis", "after taking ginger") hung on the clause
    of ``anchor`` or one of its nouns (the parser attaches it to the last member of a list)."""
    verb = _clause_verb(anchor)
    for tok in ctx.tokens:
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.lower_ in ("from", "after", "with") \
                and _clause_verb(tok.head.head).i == verb.i:
            got = usage_object(ctx, tok, comp_ids)
            if got:
                return got
    return []


def _remedy_used_here(ctx: SentenceContext, comp_ids: set[int]) -> list[Subject]:
    """The remedy a usage verb of the sentence takes ("after I took ginger", "of using kratom"),
    else the one remedy the sentence names; empty when there is none."""
    generic = {(e.start, e.end) for e in ctx.ents if e.generic}
    for tok, lemma in zip(ctx.tokens, ctx.lemmas):
        if lemma in ctx.rules.usage_verb_set:
            got = [s for s in usage_object(ctx, tok, comp_ids) if s.span is None or tuple(s.span) not in generic]
            if got:
                return got
    named = {e.canonical: e for e in ctx.ents if e.label in SUBJECT_LABELS and not e.generic and id(e) not in comp_ids}
    return [Subject.of(next(iter(named.values())))] if len(named) == 1 else []


def _users_remedy(ctx: SentenceContext, anchor, comp_ids: set[int]) -> list[Subject]:
    """The remedy of the people who are the clause's subject, named by a usage verb of their
    relative clause or participle ("participants who took ashwagandha", "patients taking fish
    oil"); empty when the subject is no such people."""
    words = ctx.rules.words
    subj = grammatical_subject(ctx, anchor)
    if subj is None or (lemma_of(subj) not in words.person_nouns and lemma_of(subj) not in words.population_nouns):
        return []
    generic = {(e.start, e.end) for e in ctx.ents if e.generic}
    for c in subj.children:
        if c.dep_ in ("relcl", "acl"):
            got = [s for s in usage_object(ctx, c, comp_ids) if s.span is None or tuple(s.span) not in generic]
            if got:
                return got
    return []


def _comparator_owns_the_subject(ctx: SentenceContext, anchor, comp_ids: set[int]) -> bool:
    """The clause's subject phrase names a comparator ("Side effects of opioids include constipation"):
    the harms are the comparator's, not to be pinned on the article's substance."""
    if not comp_ids:
        return False
    subj = grammatical_subject(ctx, anchor)
    if subj is None:
        return False
    return any(id(ctx.tok2ent[t.i]) in comp_ids for t in subj.subtree if t.i in ctx.tok2ent)


def _experienced_relief(ctx: SentenceContext, anchor) -> bool:
    """``anchor`` (a relief modifier or noun) is the object of an experience verb whose subject is
    a person ("you", "users", "patients") and the sentence names no remedy of its own."""
    words = ctx.rules.words
    if any(e.label in SUBJECT_LABELS for e in ctx.ents):
        return False
    noun = anchor.head if anchor.dep_ == "amod" else anchor
    noun = coordination_head(noun)
    verb = noun.head
    if noun.dep_ not in ("dobj", "obj") or verb.pos_ != "VERB" or lemma_of(verb) not in words.experience_verbs:
        return False
    subj = grammatical_subject(ctx, verb)
    return subj is not None and (subj.lower_ in words.person_pronouns or lemma_of(subj) in words.person_nouns
                                 or lemma_of(subj) in ctx.rules.usage_nouns)


def _dependent_on(ctx: SentenceContext, root, comp_ids: set[int]) -> list[Subject]:
    """The remedy a harm adjective points to: "addicted to kratom", "dependent on it"."""
    if root.pos_ not in ("ADJ", "VERB"):
        return []
    return prep_object_subjects(ctx, root, ("to", "on"), comp_ids)


def _person_subject(ctx: SentenceContext, anchor) -> bool:
    """The clause of ``anchor`` has a grammatical subject naming people (not users of the remedy)."""
    words = ctx.rules.words
    subj = grammatical_subject(ctx, anchor)
    return subj is not None and lemma_of(subj) in words.person_nouns and lemma_of(subj) not in ctx.rules.usage_nouns


def _entity_subject(ctx: SentenceContext, anchor, obj: Mention) -> bool:
    """The clause's subject is an entity that cannot be a claim's subject ("receptors that cause
    addiction", "the condition causes fatigue"): no remedy stands behind the claim."""
    subj = grammatical_subject(ctx, anchor)
    relative = subj is not None and subj.lower_ in ("that", "which") and subj.head.dep_ == "relcl"
    if relative:
        subj = subj.head.head
    e = ctx.tok2ent.get(subj.i) if subj is not None else None
    if e is None and relative and subj.pos_ == "NOUN" and _plain_noun(ctx, subj):
        return True  # "the same brain receptors that cause addiction", "an amount that could cause ..."
    return e is not None and e is not obj and e.label not in SUBJECT_LABELS and not e.generic


def _relief_passed_on(ctx: SentenceContext, anchor) -> bool:
    """A relief whose subject is ", which" standing for a condition the clause before relieves:
    "X has been shown to lower inflammation, which, in turn, may help control symptoms of arthritis"
    (what relieves the first condition relieves the second)."""
    treats = ctx.rules.trigger_sets.get("TREATS", ())
    if lemma_of(anchor) not in treats:
        return False
    subj = grammatical_subject(ctx, anchor)
    if subj is None or subj.lower_ != "which" or subj.head.dep_ != "relcl" or subj.i == 0:
        return False
    if ctx.doc[subj.i - 1].text != ",":
        return False  # a restrictive "which": its antecedent is what acts
    antecedent = subj.head.head
    e = ctx.tok2ent.get(antecedent.i)
    verb = antecedent.head
    return (e is not None and e.label in ("CONDITION", "SIDE_EFFECT") and antecedent.dep_ in ("dobj", "obj")
            and lemma_of(verb) in treats)


def _plain_noun(ctx: SentenceContext, tok) -> bool:
    """A common noun that stands for no remedy: no anaphor, usage or remedy noun, person, entity,
    nor part of a phrase about a remedy ("its impact on the nervous system, which ...")."""
    words = ctx.rules.words
    lemma = lemma_of(tok)
    rules = ctx.rules
    if (lemma in rules.anaphors or lemma in rules.plural_anaphors or lemma in rules.usage_nouns
            or lemma in rules.pronouns or lemma in words.person_nouns or lemma in words.remedy_nouns
            or any(ctx.tok2ent.get(i) is not None for i in phrase_tokens(tok))):
        return False
    cur = tok
    for _ in range(4):  # up the noun phrase: "its impact on the central nervous system"
        if cur.dep_ not in ("pobj", "prep", "compound", "appos", "conj") or cur.head.i == cur.i:
            break
        cur = cur.head
        e = ctx.tok2ent.get(cur.i)
        if any(c.dep_ == "poss" for c in cur.children) or (e is not None and e.label in SUBJECT_LABELS):
            return False
    return True


def _gerund_object(root, trigger) -> bool:
    """The side effect is a gerund the parser made the clausal complement of the treatment verb
    ("may reduce bruising": "bruising" an xcomp of "reduce"): its object all the same."""
    return (trigger.pos_ == "VERB" and root.tag_ == "VBG" and root.dep_ in ("xcomp", "ccomp")
            and root.head.i == trigger.i and not any(c.dep_ in ("dobj", "obj") for c in root.children))


def _hyphened_to(doc, ent: Mention, trigger) -> bool:
    """The entity is the first half of a hyphenated word whose second half is the trigger
    ("nausea-fighting", "anxiety-relieving"): what the trigger acts on."""
    k = ent.tokens[1]
    return k + 1 < len(doc) and doc[k].text == "-" and doc[k + 1].i == trigger.i


def _names_a_cause(doc, ent: Mention, words) -> bool:
    """The entity is the first half of "X-induced", "X-related": it names a cause."""
    k = ent.tokens[1]
    return k + 1 < len(doc) and doc[k].text == "-" and doc[k + 1].lower_ in words.cause_suffixes


def dose_claims(ctx: SentenceContext, ent: Mention, substances: list[Mention]) -> Claims:
    """DOSAGE of the main substance when the sentence names it, else of its first substance,
    else of the main substance."""
    subj = None
    near = _dosed_substance(ctx, ent, substances)
    substances = [e for e in substances if e.canonical == ctx.main or not _compared_substance(ctx, e)]
    if near is not None and near.canonical != ctx.main and _compared_substance(ctx, near):
        return  # "like taking 65-85 mg of morphine", "non-inferior to ibuprofen 1,200 mg/day"
    if near is not None:
        subj = Subject.of(near)
    for e in substances if subj is None else ():
        if e.canonical == ctx.main or subj is None:
            subj = Subject.of(e)
    if subj is None and ctx.dose_main:
        subj = Subject(ctx.dose_main, ctx.dose_main, None)
    if subj is None:
        return
    hedge_cues = ctx.hedges(ent, None)
    who = attribution(ctx, None, span_root(ctx.doc, ent))
    quals = ctx.qualifiers(("dose", "population", "duration"))
    # dose statements carry their role in qualifiers ("not to exceed the upper
    # limit of …" states a limit, it does not deny a dose): never negated.
    yield claim_row(ctx, subj, "DOSAGE", ent, False, hedge_cues, who, quals, dose=ent.data)


def _compared_substance(ctx: SentenceContext, e: Mention) -> bool:
    """The substance is what the sentence compares with: after "than", "like", "versus",
    "equivalent to", "non-inferior to" (just before it, or up its phrase)."""
    words = ctx.rules.words
    tok = ctx.doc[e.root_i]
    if after_than(tok):
        return True
    before = ctx.doc[max(e.tokens[0] - 4, ctx.sent.start):e.tokens[0]]
    if any(t.lower_ in words.before_comparator for t in before):
        return True
    for anc in ancestors(tok, 5)[1:]:
        if anc.lower_ in ("than", "like", "versus", "vs", "vs.", "unlike"):
            return True
        if anc.lower_ == "to" and (anc.head.lower_ in words.compared_to or lemma_of(anc.head) in words.compared_to):
            return True
        if anc.pos_ == "VERB" and anc.dep_ not in ("pcomp", "acl"):
            break
    return False


DOSE_NEIGHBOURHOOD = 3  # tokens between a substance and the dose written right after it


def _dosed_substance(ctx: SentenceContext, ent: Mention, substances: list[Mention]) -> Mention | None:
    """The substance a dose is written with: "2 g of kratom", "ibuprofen 1,200 mg/day"."""
    doc = ctx.doc
    root = span_root(doc, ent)
    for child in root.children:  # "2 g of kratom"
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                e = ctx.tok2ent.get(obj.i)
                if e is not None and e.label == "SUBSTANCE":
                    return e
    head = root.head
    if head.i != root.i and head.pos_ in ("NOUN", "PROPN"):  # "a 5 mg morphine dose": both modify "dose"
        for sib in head.children:
            e = ctx.tok2ent.get(sib.i)
            if sib.i != root.i and e is not None and e.label == "SUBSTANCE" and sib.dep_ in ("compound", "nmod", "amod"):
                return e
    before = [e for e in substances if e.tokens[1] <= ent.tokens[0]
              and ent.tokens[0] - e.tokens[1] <= DOSE_NEIGHBOURHOOD
              and not any(t.is_punct or t.pos_ == "VERB" for t in doc[e.tokens[1]:ent.tokens[0]])]
    return before[-1] if before else None


def contains_claims(ctx: SentenceContext, ent: Mention, substances: list[Mention]) -> Claims:
    """Substance CONTAINS alkaloid, when the sentence says so.

    An alkaloid that is the subject of an action is handled from the receptor side.
    """
    sets = ctx.rules.trigger_sets["CONTAINS"]
    s0, (a, b) = ctx.sent.start, ent.tokens
    if not any(lemma in sets for k, lemma in enumerate(ctx.lemmas) if not a <= s0 + k < b):
        return  # the alkaloid's own word ("an anti-inflammatory compound") is no CONTAINS trigger
    subj = None
    substances = [e for e in substances if not _compared_substance(ctx, e)]  # "more potent than morphine"
    for e in substances:
        if e.canonical == ctx.main:
            subj = Subject.of(e)
            break
    if subj is None:
        # "the principal polyphenol in turmeric": the plant named beside its constituent;
        # "traditional kratom contains less than 2% of this alkaloid" in an article about the alkaloid
        named = [e for e in substances if not e.generic]
        if named and (ctx.main == ent.canonical or ctx.main_is_constituent):
            subj = Subject.of(named[0])
    if subj is None and not ctx.main_is_constituent:
        # "Its leaves contain alkaloids …": a pronoun or anaphor for the main substance
        for t, lemma in zip(ctx.tokens, ctx.lemmas):
            if lemma in ctx.rules.pronouns or (lemma in ctx.rules.anaphors and t.dep_ in SUBJECT_DEPS) or (
                    lemma in ctx.rules.plural_anaphors and t.dep_ in SUBJECT_DEPS and lemma_of(t.head) == "be"
                    and any(c.dep_ == "det" and c.lower_ in ("these", "those") for c in t.children)):
                # "These compounds are mitragynine and 7-OH-mitragynine": the main substance's
                if ctx.main:
                    subj = Subject(ctx.main, t.text, None)
                break
    if subj is None:
        return
    if subj.canonical == ent.canonical or _contained_by_something_else(ctx, ent):
        return
    kind = coordination_head(span_root(ctx.doc, ent))
    if ent.generic and kind.dep_ in SUBJECT_DEPS and lemma_of(kind.head) in ("include", "comprise"):
        return  # "Herbs and nutrients that ease stress include passionflower and valerian": the kind named
    negated = ctx.negated(ent, None)
    hedge_cues = ctx.hedges(ent, None)
    who = attribution(ctx, None, span_root(ctx.doc, ent))
    objects = [ent]
    if ent.generic and ctx.prev_alkaloids and any(c.dep_ == "det" and c.lower_ in ("this", "these", "that", "those")
                                                  for c in span_root(ctx.doc, ent).children):
        objects = ctx.prev_alkaloids  # "less than 2% of this alkaloid": the alkaloid named before
    for obj in objects:
        if obj.canonical != subj.canonical:
            yield claim_row(ctx, subj, "CONTAINS", obj, negated, hedge_cues, who, [])


def _contained_by_something_else(ctx: SentenceContext, ent: Mention) -> bool:
    """The containing verb above the constituent has a subject that names no remedy ("nightshades,
    a family of plants that contain small amounts of alkaloids")."""
    verbs = ctx.rules.trigger_sets["CONTAINS"]
    for tok in ancestors(span_root(ctx.doc, ent), 4)[1:]:
        if tok.pos_ != "VERB" or lemma_of(tok) not in verbs:
            continue
        subj = grammatical_subject(ctx, tok)
        if subj is None:
            return False
        if subj.lower_ in ("that", "which") and subj.head.dep_ == "relcl":
            subj = subj.head.head
        if any(ctx.tok2ent.get(i) is not None and ctx.tok2ent[i].label in SUBJECT_LABELS for i in phrase_tokens(subj)):
            return False
        lemma = lemma_of(subj)
        return not resolve_subject_token(ctx, subj, set()) and lemma not in ctx.rules.pronouns
    return False


OBJECT_PRONOUNS = ("it", "them")


def pronoun_object_claims(ctx: SentenceContext) -> Claims:
    """TREATS claims whose object is a pronoun for a condition named before it in the sentence: "If
    you have arthritis, turmeric may help relieve it", "fibromyalgia and how kratom can help with it"."""
    if not ctx.lower_set & set(OBJECT_PRONOUNS):
        return
    conditions = [e for e in ctx.ents if e.label == "CONDITION" and not e.generic]
    if not conditions:
        return
    treats = ctx.rules.trigger_sets.get("TREATS", ())
    for tok in ctx.tokens:
        if tok.lower_ not in OBJECT_PRONOUNS or ctx.tok2ent.get(tok.i) is not None:
            continue
        if tok.dep_ in ("dobj", "obj"):
            verb = tok.head
        elif tok.dep_ == "pobj" and tok.head.lower_ in ("with", "against") and tok.head.dep_ == "prep":
            verb = tok.head.head
        else:
            continue
        before = [e for e in conditions if e.end <= tok.idx]
        if verb.pos_ != "VERB" or lemma_of(verb) not in treats or not before or non_assertive(ctx, verb):
            continue
        obj = before[-1]
        if ctx.doc[obj.root_i].is_ancestor(verb):
            continue  # "arthritis that nothing can relieve it ..." is no antecedent of its own clause
        subjects = [x for x in (find_subjects(ctx, verb, set()) or []) if x.canonical != obj.canonical]
        if not subjects:
            continue
        negated = is_negated(verb.idx, ctx.cues)
        hedge_cues = ctx.hedges(obj, verb)
        who = attribution(ctx, verb, verb)
        label_by_role(obj, "TREATS")
        for subj in subjects:
            yield claim_row(ctx, subj, "TREATS", obj, negated, hedge_cues, who,
                            ctx.qualifiers(("duration", "amount", "population", "degree")) + subj.qualifiers)


def constituent_claims(ctx: SentenceContext) -> Claims:
    """CONTAINS claims of "A is a compound in/of/from B", "A, the main alkaloid of B", "the active
    ingredient in B, A," and "the main active ingredient in B is A": B contains A."""
    words = ctx.rules.words
    if not any(lemma in words.constituent_nouns for lemma in ctx.lemmas):
        return
    for tok, lemma in zip(ctx.tokens, ctx.lemmas):
        if lemma not in words.constituent_nouns or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        if tok.dep_ == "attr" and lemma_of(tok.head) == "be":
            named = [next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)]
        elif tok.dep_ == "appos":
            named = [tok.head]
        elif tok.dep_ in ("nsubj", "nsubjpass") and lemma_of(tok.head) == "be":
            named = [c for c in tok.head.children if c.dep_ == "attr"]  # "the active ingredient in B is A"
        else:
            named = []
        named += [c for c in tok.children if c.dep_ == "appos"]  # "the active ingredient in B, A,"
        parts = []
        for subj in named:
            for t in ([subj, *subj.conjuncts] if subj is not None else []):
                part = ctx.tok2ent.get(t.i)
                if part is not None and part.label in ("SUBSTANCE", "ALKALOID") and not part.generic \
                        and part not in parts:
                    parts.append(part)
        for part in parts:
            for whole in _constituent_sources(ctx, tok):
                if whole.canonical != part.canonical and not whole.generic:
                    yield claim_row(ctx, Subject.of(whole), "CONTAINS", part, ctx.negated(part, tok),
                                    ctx.hedges(part, tok), attribution(ctx, tok, tok), [])


def _constituent_sources(ctx: SentenceContext, noun) -> list[Mention]:
    """The substances of the in/of/from phrase of a constituent noun, directly or through "found"/
    "derived" ("a compound found in hemp", "the main alkaloid of kratom")."""
    heads = [noun] + [c for c in noun.children if c.dep_ == "acl" and lemma_of(c) in ("find", "derive", "extract",
                                                                                    "isolate", "present")]
    out: list[Mention] = []
    for head in heads:
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "of", "from"):
                continue
            for obj in prep.children:
                for t in obj.subtree:
                    e = ctx.tok2ent.get(t.i)
                    if e is not None and e.label == "SUBSTANCE" and e not in out:
                        out.append(e)
    return out


def _interacts_with_main(ctx: SentenceContext, root):
    """An interaction verb after ``root`` whose "with" names the main substance ("... that may
    interact with kratom"), or None."""
    verbs = ctx.rules.trigger_sets["INTERACTS_WITH"]
    for tok, lemma in zip(ctx.tokens, ctx.lemmas):
        if tok.i <= root.i or lemma not in verbs or tok.pos_ != "VERB":
            continue
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "with":
                for obj in prep.children:
                    e = ctx.tok2ent.get(obj.i)
                    if e is not None and e.label == "SUBSTANCE" and e.canonical == ctx.main:
                        return tok
    return None


def _is_main(ctx: SentenceContext, tok) -> bool:
    return tok is not None and any(s.canonical == ctx.main for s in resolve_subject_token(ctx, tok, set()))


def _changes_the_drug(ctx: SentenceContext, head):
    """The verb of "<the main substance> may increase the concentration of <drug>", or None."""
    words = ctx.rules.words
    prep = head.head
    if head.dep_ != "pobj" or prep.lower_ != "of":
        return None
    aspect = prep.head
    verb = aspect.head
    if lemma_of(aspect) not in words.drug_aspects or aspect.dep_ not in ("dobj", "obj") \
            or lemma_of(verb) not in words.change_verbs:
        return None
    return verb if _is_main(ctx, grammatical_subject(ctx, verb)) else None


def _taken_alongside(ctx: SentenceContext, head):
    """The usage verb of "<the main substance> taken alongside/with <drug>" (or "when taken with
    <drug>" in a clause about the main substance), or None."""
    words = ctx.rules.words
    prep = head.head
    verb = prep.head
    if head.dep_ != "pobj" or prep.lower_ not in words.together_preps or lemma_of(verb) not in ctx.rules.usage_verb_set:
        return None
    if verb.pos_ != "VERB":
        return None
    users = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if not users and verb.dep_ == "advcl" and verb.tag_ == "VBN":
        users = [grammatical_subject(ctx, verb.head)]  # "Ginkgo may increase bleeding when taken with X"
    return verb if any(_is_main(ctx, u) for u in users) else None


def _example_kind(tok):
    """The noun ``tok`` is an example of ("cannabinoids such as CBD", "compounds like EGCG",
    "antioxidants, including quercetin"), or None."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in ("as", "like", "including"):
        return None
    kind = prep.head
    if prep.lower_ == "as":
        if kind.lower_ == "such":
            kind = kind.head
        elif not any(c.lower_ == "such" for c in [*kind.children, *prep.children]):
            return None
    return kind if kind.pos_ in ("NOUN", "PROPN") else None


def _held_elsewhere(ctx: SentenceContext, whole: Subject, subj) -> bool:
    """The holder found in the subject phrase is a kind ("products") or hangs on it through a
    preposition other than "of" ("a diet high in X, low in Y": Y holds nothing; "the seeds of the
    borage flower" hold what they contain)."""
    e = next((m for m in ctx.ents if whole.span is not None and (m.start, m.end) == tuple(whole.span)), None)
    if e is None:
        return False
    if e.generic:
        return True
    tok = ctx.doc[e.root_i]
    for _ in range(6):
        if tok.i == subj.i or tok.head.i == tok.i:
            return False
        if tok.dep_ == "prep" and tok.lower_ != "of":
            return True
        tok = tok.head
    return False


def held_substance_claims(ctx: SentenceContext, ent: Mention) -> Claims:
    """CONTAINS claims whose object is a substance held in another: "Cannabis contains CBD and THC",
    "Green tea contains compounds such as L-theanine", "Hemp seeds are rich in omega-3 fatty
    acids", "products laced with fentanyl" (``containing_verbs``, ``containing_frames``)."""
    if ent.generic:
        return
    words = ctx.rules.words
    head = coordination_head(span_root(ctx.doc, ent))
    kind = _example_kind(head)
    if kind is not None:
        head = coordination_head(kind)
    if head.dep_ == "pobj" and head.head.lower_ == "of" and lemma_of(head.head.head) in words.quantity_nouns:
        head = coordination_head(head.head.head)  # "small amounts of THC"
    frame = None
    if head.dep_ in ("dobj", "obj") and lemma_of(head.head) in words.containing_verbs:
        frame = head.head
    elif head.dep_ == "pobj" and head.head.dep_ == "prep":
        holder = head.head.head
        if words.containing_frames.get(lemma_of(holder)) == head.head.lower_:
            frame = holder
    if frame is None or non_assertive(ctx, frame):
        return
    subj = next((c for c in frame.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None and frame.dep_ in ("acl", "amod") and frame.head.pos_ in ("NOUN", "PROPN"):
        subj = frame.head  # "products laced with fentanyl", "a diet rich in omega-3 fatty acids"
    if subj is None and frame.dep_ == "acomp":
        subj = grammatical_subject(ctx, frame.head)  # "Hemp seeds are rich in ..."
    if subj is None:
        return
    wholes = [s for s in resolve_subject_token(ctx, subj, {id(ent)})
              if s.canonical != ent.canonical and not _held_elsewhere(ctx, s, subj)]
    negated = ctx.negated(ent, frame)
    for whole in wholes:
        yield claim_row(ctx, whole, "CONTAINS", ent, negated, ctx.hedges(ent, frame), attribution(ctx, frame, frame), [])


def _prohibited(ctx: SentenceContext, verb) -> bool:
    """``verb`` is negated as an advice against doing it, which asserts the danger rather than
    denying it: a prohibitive modal ("should not be combined with", ``prohibitive_modals``) or an
    imperative ("do not mix", "never combine")."""
    if verb is None or verb.pos_ not in ("VERB", "AUX"):
        return False
    neg = [c for c in verb.children if c.dep_ == "neg" or c.lower_ == "never"]
    if not neg:
        return False
    if any(c.dep_ == "aux" and c.lower_ in ctx.rules.words.prohibitive_modals for c in verb.children):
        return True
    return verb.dep_ == "ROOT" and verb.tag_ == "VB" and not any(c.dep_ in ("nsubj", "nsubjpass", "expl")
                                                                for c in verb.children)


def _safety_comparative(ctx: SentenceContext):
    """The word of the sentence that calls its subject safer: one of ``safety_comparatives``, a
    harm adjective after "less" ("less harmful"), or a tolerance word after "better"/"more"
    ("better tolerated"); None when there is none."""
    words = ctx.rules.words
    doc = ctx.doc
    for tok in ctx.tokens:
        if tok.lower_ in words.safety_comparatives:
            return tok
        if tok.lower_ in words.harm_adjectives and tok.i > ctx.sent.start and doc[tok.i - 1].lower_ == "less":
            return tok
        if tok.lower_ in words.tolerance_words and tok.i > ctx.sent.start \
                and doc[tok.i - 1].lower_ in ("better", "more"):
            return tok
    return None


def substance_object_claims(ctx: SentenceContext, ent: Mention) -> Claims:
    """INTERACTS_WITH (kratom + other medications) and SAFER_THAN (kratom vs opioids)."""
    if ent.canonical == ctx.main or not ctx.main:
        return
    sets = ctx.rules.trigger_sets
    root = span_root(ctx.doc, ent)
    sent_lemmas = ctx.lemma_set
    head = coordination_head(root)
    predicate = None
    trigger = None
    if head.dep_ == "pobj" and head.head.lower_ == "with" and lemma_of(head.head.head) in sets["INTERACTS_WITH"]:
        words = ctx.rules.words
        if lemma_of(head.head.head) in words.blending_words and lemma_of(root) in words.blend_partners:
            return  # "kratom tea is mixed with black tea", "sold in combination with other herbs": a blend
        predicate = "INTERACTS_WITH"
    elif not ent.generic and (trigger := _interacts_with_main(ctx, root)) is not None:
        predicate = "INTERACTS_WITH"  # "Antidepressants are drugs that may interact with kratom"
    elif (trigger := _changes_the_drug(ctx, head) or _taken_alongside(ctx, head)) is not None:
        predicate = "INTERACTS_WITH"  # "it may increase the levels of some medications", "taken alongside them"
    elif "safer" in ctx.lower_set or ("safe" in sent_lemmas and "than" in sent_lemmas):
        predicate = "SAFER_THAN"
    elif (trigger := _safety_comparative(ctx)) is not None and _compared_substance(ctx, ent):
        predicate = "SAFER_THAN"  # "less harmful than alcohol", "a gentler alternative to opioids"
    if predicate is None:
        return
    subj = Subject(ctx.main, ctx.main, None)
    for e in ctx.ents:
        if e.label == "SUBSTANCE" and e.canonical == ctx.main:
            subj = Subject.of(e)
            break
    if trigger is None:
        trigger = head.head.head if predicate == "INTERACTS_WITH" else next(
            (t for t in ctx.tokens if t.lower_ in ("safer", "safe")), None)
    negated = ctx.negated(ent, trigger) if predicate == "INTERACTS_WITH" else False
    if negated and _prohibited(ctx, trigger):
        negated = False  # "should not be combined with benzodiazepines", "never mix kava with alcohol"
    hedge_cues = ctx.hedges(ent, trigger)
    who = attribution(ctx, trigger, root)
    yield claim_row(ctx, subj, predicate, ent, negated, hedge_cues, who, ctx.qualifiers(("degree", "population")))
