"""The fast paths of the entity tagger give the same answers as the plain ones."""

import spacy

from claimex.nlp.components.entity_tagger import same_tokens_as_lower
from claimex.nlp.dose import _dose_matches, load_default_dose_patterns
from claimex.nlp.entities import fuzzy_candidate_tokens, fuzzy_matches
from claimex.nlp.lexicon import term_variants


def test_same_tokens_as_lower_only_for_plain_capitalised_forms():
    forms = ["Opioid Receptor", "opioid receptor", "St. John's Wort", "st. john's wort", "Dont", "dont"]
    special = spacy.blank("en").tokenizer.rules
    assert same_tokens_as_lower("Opioid Receptor", forms, special)
    assert not same_tokens_as_lower("opioid receptor", forms, special)  # already lower case
    assert not same_tokens_as_lower("St. John's Wort", forms, special)  # a dot and an apostrophe
    assert not same_tokens_as_lower("Dont", forms, special)  # a tokenizer special case
    assert not same_tokens_as_lower("Kratom", ["Kratom"], special)  # no lower-cased twin


def test_term_variants_are_cached_but_returned_as_new_lists():
    first = term_variants("Mu-Opioid Receptor", lower=False)
    first.append("changed")
    assert term_variants("Mu-Opioid Receptor", lower=False) == [
        "Mu-Opioid Receptor", "Mu Opioid Receptor", "Mu-Opioid Receptors", "Mu Opioid Receptors"]


def test_dose_matches_equal_finditer():
    patterns = load_default_dose_patterns()
    text = ("In 2019, 12 people took up to 5 g, then between 2 and 4 grams twice a day; "
            "x10 mg, 3.5mg, one gram, .5 g per day and 1/2 tsp at 10:30.")
    assert ([m.span() for m in _dose_matches(text, patterns)]
            == [m.span() for m in patterns.regex.finditer(text)])
    assert len([m for m in _dose_matches(text, patterns)]) >= 5


def test_fuzzy_word_cache_gives_the_same_flags():
    nlp = spacy.blank("en")
    doc = nlp("The fibromyalga patients took mitraginin and mitraginin again")
    plain = fuzzy_candidate_tokens(doc, frozenset({"patients", "again"}), 6, set())
    cache: dict = {}
    cached = fuzzy_candidate_tokens(doc, frozenset({"patients", "again"}), 6, set(), cache)
    assert plain == cached == [False, True, False, False, True, False, True, False]
    assert fuzzy_candidate_tokens(doc, frozenset({"patients", "again"}), 6, {4}, cache)[4] is False
    choices = {(1, "m"): ["mitragynine"], (1, "f"): ["fibromyalgia"]}
    found = fuzzy_matches(doc, choices, plain, set(), 85.0)
    assert [(s, e, t) for s, e, t, _ in found] == [(1, 2, "fibromyalgia"), (4, 5, "mitragynine"),
                                                   (6, 7, "mitragynine")]


def test_token_keys_equal_make_doc_one_by_one():
    nlp = spacy.blank("en")
    forms = ["St. John's Wort", "7-OH-mitragynine", "mu-opioid receptors", "NSAIDs", "don't", "e.g. kratom",
             "U.S.", "a  b", "kratom", "kratom\u00a0tea", " kava", "kava\tkava", ""]
    from claimex.nlp.entities import token_keys
    keys = token_keys(nlp.make_doc, forms, chunk=3)
    assert keys == {f: tuple(t.lower_ for t in nlp.make_doc(f)) for f in forms}


def test_phrase_index_finds_what_a_lower_phrase_matcher_finds():
    from spacy.matcher import PhraseMatcher
    from claimex.nlp.entities import PhraseIndex
    nlp = spacy.blank("en")
    patterns = {"opioid receptors": ["opioid receptor", "opioid receptors"], "pain": ["pain"],
                "chronic pain": ["chronic pain"], "low back pain": ["low back pain"], "back pain": ["back pain"]}
    index, matcher = PhraseIndex(nlp.vocab.strings), PhraseMatcher(nlp.vocab, attr="LOWER")
    for canonical, terms in patterns.items():
        for term in terms:
            index.add(canonical, tuple(t.lower_ for t in nlp.make_doc(term)))
        matcher.add(canonical, [nlp.make_doc(t) for t in terms])
    doc = nlp("Chronic pain and LOW BACK PAIN act on Opioid Receptors; pain")
    expected = sorted((nlp.vocab.strings[m], s, e) for m, s, e in matcher(doc))
    assert sorted(index(doc)) == expected
    assert ("low back pain", 3, 6) in index(doc) and len(index) == 6


def test_token_keys_letter_words_untokenized_give_the_tokenizers_answer():
    # the same keys with and without the letters-only shortcut, for every word of every
    # packaged lexicon term (and its variants), under claimex's own tokenizer
    from claimex.nlp.entities import token_keys
    from claimex.nlp.lexicon import load_default_lexicon

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "claimex.citation_tokenizer.v1"}}})
    lexicon = load_default_lexicon()
    forms = sorted({form for entry in lexicon for term in lexicon.listed_terms(entry)
                    for form in term_variants(term, entry.inflect, lower=False) + term_variants(term, entry.inflect)})
    forms += ["Dont", "cannot", "gonna", "naïve", "Ｋratom", "mu-opioid", "nausea.3"]
    assert len(forms) > 15_000
    fast = token_keys(nlp.make_doc, forms, special=nlp.tokenizer.rules)
    assert fast == token_keys(nlp.make_doc, forms)
    assert fast["cannot"] == ("can", "not") and fast["Dont"] == ("do", "nt")
    assert fast["nausea.3"] == ("nausea", ".", "3")
