"""What a claim says of its object: the predicate, from the object's label and a trigger word.

The trigger is found by climbing the dependency tree from the object to the
root (at most ``max_hops`` heads): "relief", "alleviate", "manage" -> TREATS;
"lead to", "linked to", "risk" -> CAUSES; "interact with", "bind" -> ACTS_ON;
...  The trigger lemmas are data (``claim_rules.json``, ``triggers``).  A
trigger governed by a verb that does not assert ("seeking ... to manage")
makes no claim.
"""

from __future__ import annotations

from .context import SentenceContext
from .mentions import Mention, span_root
from .tree import ancestors, coordination_head, lemma_of


# The predicates an object of each label can take, in the order they are tried.
PREDICATES_BY_LABEL: dict[str, tuple[str, ...]] = {
    "CONDITION": ("TREATS", "CAUSES"),
    "SIDE_EFFECT": ("CAUSES", "TREATS"),
    "ALKALOID": ("CONTAINS",),
    "RECEPTOR": ("ACTS_ON",),
    "SUBSTANCE": ("INTERACTS_WITH", "SAFER_THAN"),
    "DOSE": (),
    "EFFECT": (),
    "THERAPY": (),
}


def find_trigger(ctx: SentenceContext, ent: Mention, classes: tuple[str, ...]):
    """``(trigger token, predicate)``: the first token up the tree from the entity whose lemma
    triggers one of ``classes``; ``(None, None)`` when there is none or the entity is a cause
    rather than an object ("spasticity from stress")."""
    root = span_root(ctx.doc, ent)
    first = coordination_head(root)
    sets, words = ctx.rules.trigger_sets, ctx.rules.words
    # the members of a long list ("pain, muscle aches, ..., and PTSD") climb from its first member:
    # the conjunct links between them do not count as hops
    path = ancestors(root, ctx.max_hops) if first.i == root.i else [root, *ancestors(first, ctx.max_hops)]
    item = continued_item(root, words)
    if item is not None:
        path = [root, *ancestors(item, ctx.max_hops)]  # "treats X caused by Y, Z and W": Z, W are items
    if "TREATS" in classes:
        hyphened = self_treatment(root, sets.get("TREATS", ()))
        if hyphened is not None:
            return hyphened, "TREATS"  # "take kratom to self-treat pain, anxiety and withdrawal"
    if "TREATS" in classes and ent.label == "SIDE_EFFECT" and relief_intransitive(coordination_head(root), words):
        return coordination_head(root).head, "TREATS"  # "my nausea disappeared after I took ginger"
    if "TREATS" in classes and ent.label == "CONDITION":
        for c in root.children:
            # "reduced anxiety", "less joint tenderness", "fewer migraines": the relief on the object itself
            if c.dep_ == "amod" and c.lower_ in words.relief_modifiers and not ent.tokens[0] <= c.i < ent.tokens[1]:
                return c, "TREATS"
        if relief_intransitive(coordination_head(root), words):
            return coordination_head(root).head, "TREATS"  # "my anxiety subsided", "the pain went away"
        if root.dep_ in ("compound", "nmod") and lemma_of(root.head) in words.measure_nouns:
            for c in root.head.children:
                # "lower stress levels", "reduced pain scores": the relief on the measure of the object
                if c.dep_ == "amod" and c.lower_ in words.measure_relief_modifiers:
                    return c, "TREATS"
    for below, tok in zip([None] + path[:-1], path):
        if ent.tokens[0] <= tok.i < ent.tokens[1]:
            continue  # the entity's own words are never its trigger
        other = ctx.tok2ent.get(tok.i)
        if (other is not None and other is not ent and other.label in ("CONDITION", "SIDE_EFFECT")
                and below is not None and below.dep_ == "prep"
                and below.lower_ in ("from", "by", "with", "after", "due")):
            # "spasticity from stress": stress is a cause of the condition, not a claim object
            return None, None
        if other is not None and other is not ent and other.label in ("CONDITION", "SIDE_EFFECT"):
            continue  # "an increase in heart rate and elevated blood pressure": another harm's word is no trigger
        if below is not None and below.dep_ in ("acl", "amod") and lemma_of(below) in words.describing_participles:
            # "pain associated with stress"; "serotonin syndrome, a condition characterized by
            # agitation": what describes the condition above is no object of a claim
            return None, None
        if (tok.dep_ in ("acl", "amod") and lemma_of(tok) in words.describing_participles and below is not None
                and (below.dep_ == "agent" or below.lower_ == "by")):
            # "nerve pain caused by shingles": shingles causes the pain; the participle is no
            # trigger of the clause's claim
            return None, None
        lemma = lemma_of(tok)
        if "TREATS" in classes and below is not None and below.dep_ == "prep" and below.lower_ == "for":
            matched = _efficacy_comparison(tok, words)
            if matched is not None:
                # "non-inferior to ibuprofen for knee pain", "comparable to ibuprofen for pain": the
                # remedy works as well as the comparator on what the comparison is for
                return matched, "TREATS"
        if "TREATS" in classes and _population_of_a_relief(ctx, tok):
            # "used to treat people who have symptoms of anxiety", "helps patients who suffer from
            # insomnia": the condition of the population the relief is given to
            return tok.head.head, "TREATS"
        if tok.dep_ == "prep" and tok.lower_ in ("including", "like"):
            continue  # "disorders, including fibromyalgia": an example of what is above, no trigger
        if (below is not None and below.dep_ == "prep" and below.lower_ in ("from", "by")
                and tok.pos_ == "VERB" and any(
                    c.dep_ == "dobj" and ctx.tok2ent.get(c.i) is not None for c in tok.children)):
            return None, None  # "relieve spasticity from stress": stress is the source
        if "TREATS" in classes and below is not None and _purpose_for(ctx, below, tok):
            return below, "TREATS"  # "people use kratom for pain", "take turmeric for arthritis"
        if "TREATS" in classes and tok.pos_ == "VERB":
            # "provide relief from chronic pain": a light verb whose object is the treatment
            for c in tok.children:
                if c.dep_ == "dobj" and lemma_of(c) in words.light_verb_objects:
                    return c, "TREATS"
        if ("TREATS" in classes and lemma in words.risk_nouns and tok.dep_ in ("dobj", "obj")
                and lemma_of(tok.head) in sets.get("TREATS", ())):
            return tok.head, "TREATS"  # "may reduce the risk of relapse", "lower the risk of heart disease"
        for cls in classes:
            if lemma in sets.get(cls, ()) and _frame_fits(tok, lemma, words):  # trigger found
                return tok, cls
        if lemma == "be" and below is not None and below.dep_ in ("nsubj", "nsubjpass") and "TREATS" in classes:
            # "an off-label use of naltrexone in fibromyalgia may be a viable option", "turmeric for
            # arthritis is effective": the copula's complement carries the relief
            for c in tok.children:
                if c.dep_ in ("attr", "acomp") and lemma_of(c) in sets.get("TREATS", ()):
                    return c, "TREATS"
        if lemma == "be" and below is not None and below.dep_ in ("attr", "acomp"):
            # "The most common effects of kratom are nausea and constipation": the subject
            # phrase of the copula carries the trigger
            for c in tok.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    for cls in classes:
                        if lemma_of(c) in sets.get(cls, ()):
                            return c, cls
    return None, None


def self_treatment(root, treats):
    """The treatment verb the parser hung on the object as a modifier in "to self-treat pain,
    anxiety and ..." ("self - treat" an amod of the first object), or None."""
    doc = root.doc
    for t in {root, coordination_head(root)}:
        for c in t.children:
            if (c.dep_ in ("amod", "compound") and lemma_of(c) in treats and c.i >= 2
                    and doc[c.i - 1].text == "-" and doc[c.i - 2].lower_ == "self"):
                return c
    return None


def relief_intransitive(tok, words) -> bool:
    """``tok`` is the subject of a verb that says it went ("my anxiety subsided", "the pain went
    away": ``relief_intransitives``, ``relief_particle_verbs``)."""
    verb = tok.head
    if tok.dep_ != "nsubj" or verb.pos_ != "VERB":
        return False
    lemma = lemma_of(verb)
    if lemma in words.relief_intransitives:
        return True
    particles = words.relief_particle_verbs.get(lemma)
    return particles is not None and any(c.dep_ in ("prt", "advmod") and c.lower_ in particles for c in verb.children)


def continued_item(tok, words):
    """The list item before ``tok`` when the parser hung ``tok`` (or the coordination it heads) in
    the phrase of a participle describing that item ("treats bruises, nerve pain caused by
    shingles, joint pain associated with arthritis, and sprains": "joint pain" is an apposition
    of "shingles"); None otherwise."""
    first = coordination_head(tok)
    if first.dep_ != "appos":
        return None
    obj = first.head
    prep = obj.head
    participle = prep.head
    if obj.dep_ != "pobj" or prep.dep_ not in ("agent", "prep") or participle.dep_ != "acl" \
            or lemma_of(participle) not in words.describing_participles:
        return None
    return participle.head


def _efficacy_comparison(tok, words):
    """The comparing adjective of the phrase a "for" hangs on: ``tok`` or one of its two heads, or
    their complement (the parser often reads "to ibuprofen" as a verb: "was non-inferior to
    ibuprofen for pain")."""
    found = None
    for cand in ancestors(tok, 2):
        if cand.lower_ in words.efficacy_comparisons:
            found = cand
        else:
            found = next((c for c in cand.children
                          if c.dep_ in ("acomp", "amod") and c.lower_ in words.efficacy_comparisons), None)
        if found is not None:
            break
    if found is not None and found.lower_ == "inferior" and not not_inferior(found):
        return None  # "inferior to ibuprofen": worse, no claim of efficacy
    return found


def not_inferior(tok) -> bool:
    """``tok`` is "inferior" written as "non-inferior" / "not inferior" (an affirmed efficacy)."""
    doc = tok.doc
    before = [doc[j].lower_ for j in range(max(tok.i - 2, 0), tok.i)]
    return "non" in before or "not" in before or "non-" in before


def _population_of_a_relief(ctx: SentenceContext, tok) -> bool:
    """``tok`` is the verb of a relative clause on the people a treatment verb takes as object."""
    words = ctx.rules.words
    person = tok.head
    return (tok.dep_ == "relcl" and lemma_of(tok) in words.population_verbs
            and lemma_of(person) in words.population_nouns
            and person.dep_ == "dobj" and person.head.pos_ == "VERB"
            and lemma_of(person.head) in ctx.rules.trigger_sets.get("TREATS", ()))


def _frame_fits(tok, lemma: str, words) -> bool:
    """``tok`` (a trigger lemma) stands in the frame its lemma needs (``frame_preps``,
    ``frame_excluded_particles`` in ``claim_rules.json``); True for every other lemma."""
    if tok.pos_ not in ("VERB", "AUX"):
        return True
    preps = words.frame_preps.get(lemma)
    if preps is not None and not any(c.dep_ == "prep" and c.lower_ in preps for c in tok.children):
        return False
    excluded = words.frame_excluded_particles.get(lemma)
    return excluded is None or not any(c.dep_ == "prt" and c.lower_ in excluded for c in tok.children)


def _purpose_for(ctx: SentenceContext, prep, head) -> bool:
    """``prep`` is the "for" of a usage frame: attached to a usage verb ("used for pain") or to
    the remedy that is its object ("take turmeric for arthritis")."""
    if prep.dep_ != "prep" or prep.lower_ != "for":
        return False
    usage = ctx.rules.usage_verb_set
    if head.pos_ in ("VERB", "AUX") and lemma_of(head) in usage:
        return True
    ent = ctx.tok2ent.get(head.i)
    return (ent is not None and ent.label in ("SUBSTANCE", "THERAPY") and head.dep_ == "dobj"
            and lemma_of(head.head) in usage)


def _imperative(verb) -> bool:
    """``verb`` is the root of an imperative clause: a base form with no subject and no auxiliary."""
    return (verb.dep_ == "ROOT" and verb.tag_ == "VB"
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "aux", "auxpass") for c in verb.children))


def _research_gap(trigger, words) -> bool:
    """The trigger lies in the topic ("on ...", "into ...") of a research noun said to be scarce or
    still needed."""
    below = trigger
    for tok in ancestors(trigger, 6)[1:]:
        if (tok.pos_ == "NOUN" and lemma_of(tok) in words.research_nouns and below.dep_ == "prep"
                and below.lower_ in words.topic_preps
                and any(c.dep_ in ("amod", "det", "neg") and c.lower_ in words.gap_words for c in tok.children)):
            return True
        below = tok
    return False


def _hypothetical(root, words) -> bool:
    """The sentence is a hypothetical: its main verb takes a counterfactual modal
    (``counterfactual_modals``: "would") and an "if" clause ("If someone took 20 mg, it would be
    like taking morphine, which could cause ..."): nothing in it is asserted."""
    return any(c.dep_ == "aux" and c.lower_ in words.counterfactual_modals for c in root.children) and any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "if" for m in c.children) for c in root.children)


def non_assertive(ctx: SentenceContext, trigger) -> bool:
    """The trigger is governed by a verb that does not assert ("seeking … to manage",
    "consult … before incorporating kratom into their management plan"), lies in a conditional or
    "whether" clause, or in the phrase of a possibility ("the possibility of X helping")."""
    words = ctx.rules.words
    verbs = ctx.rules.non_assertive
    if _research_gap(trigger, words) or _hypothetical(ctx.sent.root, words):
        return True
    status_cues = (ctx.rules.regulatory or {}).get("cues", {})
    below = None
    for k, tok in enumerate(ancestors(trigger, len(ctx.sent))):
        if below is not None and below.dep_ != "conj" and tok.pos_ == "VERB" and lemma_of(tok) in status_cues \
                and any(c.dep_ == "neg" or c.lower_ == "never" for c in tok.children):
            return True  # "not approved by the FDA to treat pain" denies a status, not the relief
        below = tok
        if k > 0 or trigger.pos_ != "VERB":
            if tok.pos_ in ("VERB", "AUX") and lemma_of(tok) in verbs and not (
                    lemma_of(tok) in words.attempts_of_a_use and tok.dep_ in ("xcomp", "advcl")
                    and lemma_of(tok.head) in ctx.rules.usage_verb_set):
                return True  # but "use kratom to try to self-treat anxiety" states the use
        if k > 0 and tok.pos_ == "NOUN" and lemma_of(tok) in words.open_question_nouns:
            return True
        if tok.pos_ in ("VERB", "AUX") and any(c.dep_ == "mark" and c.lower_ in words.open_marks for c in tok.children):
            return True
        if tok.dep_ in ("advcl", "xcomp", "relcl", "acl") and any(c.dep_ == "aux" and c.lower_ == "to"
                                                                  for c in tok.children) \
                and _imperative(ctx.sent.root):
            return True  # "Start with a low dose to prevent side effects": the purpose of an advice
        if tok.pos_ == "NOUN" and any(c.dep_ == "poss" for c in tok.children):
            return False  # "gained attention for its pain-relieving properties" presupposes them
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in words.asserting_marks
                                       for c in tok.children):
            return False  # "… with caution, as higher amounts can lead to sedation" asserts
    return False
