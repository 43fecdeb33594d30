"""The plain functions of entity tagging (:mod:`claimex.nlp.components.entity_tagger` is the
spaCy component around them): entity records, the filters of a lexicon match (organisation
names, hyphenated words, modifiers), fuzzy near-miss candidates and matches, shared heads of
coordinated receptors, and the longest-match resolution of overlapping candidates.
"""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz
from spacy.attrs import IS_ALPHA, IS_SPACE, IS_STOP, LEMMA, LENGTH, LIKE_NUM, LOWER, SPACY
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from .lexicon import Lexicon, LexiconEntry

MAX_FUZZY_TOKENS = 3
MATCH_PRIORITY = {"abbreviation": 0, "lexicon": 1, "fuzzy": 2, "pattern": 3}


def ent_dict(start: int, end: int, label: str, canonical: str, match: str,
             dose_min: float | None = None, dose_max: float | None = None,
             dose_unit: str | None = None, dose_period: str | None = None,
             dose_frequency: float | None = None, dose_role: str | None = None) -> dict[str, Any]:
    """One ``doc._.claimex_ents`` record (key order is part of the contract)."""
    return {"start": start, "end": end, "label": label, "canonical": canonical, "match": match,
            "dose_min": dose_min, "dose_max": dose_max, "dose_unit": dose_unit, "dose_period": dose_period,
            "dose_frequency": dose_frequency, "dose_role": dose_role}


# Last words of organisation, law and shop names: a substance inside such a
# name ("the American Kratom Association") is not a mention of the substance.
ORGANISATION_HEADS = frozenset(
    "association act coalition council cafe café company co club foundation institute society alliance "
    "llc inc ltd shop store organization organisation network news magazine lab labs administration "
    "agency authority bureau department center centre program programme project law bill "
    "board division consultants journal psychiatry "
    # journal abbreviations of reference lists: "J Pain Res", "Drug Alcohol Depend", "Arthritis Res Ther"
    "res ther manag depend".split())
# Organisation words that head a name before the match: "National Institute on Drug Abuse",
# "Council on Addiction Psychiatry", "Journal of Pain", "Office of the Narcotics Control Board".
LEADING_ORGANISATION_HEADS = frozenset(
    "institute institutes council journal office department society association foundation center centre "
    "college school academy board division".split())
# Words right after a substance that make it a name of a plant family, a genus or a law, not a
# mention of the substance: "the coffee family", "the Mitragyna genus", "the narcotics law".
# Also "the death penalty" (a sentence, not a harm) and "the stress hormone" (cortisol, not stress).
NOT_A_MENTION_AFTER = frozenset({"family", "genus", "law", "laws", "penalty", "hormone", "hormones"})


def inside_organisation_name(doc: Doc, start: int, end: int) -> bool:
    """The match is part of a Title Case name ending in an organisation word, or after one
    ("National Institute on Drug Abuse"), or names a plant family, genus or law."""
    if end < len(doc) and doc[end].lower_ in NOT_A_MENTION_AFTER:
        return True
    if not doc[start].text[:1].isupper():
        return False
    for token in doc[end:end + 4]:
        if token.text.lower() in ORGANISATION_HEADS and token.text[:1].isupper():
            return True
        if not (token.text[:1].isupper() or token.lower_ in ("of", "&", "for", "and")):
            break
    for token in reversed(doc[max(0, start - 4):start]):
        if token.lower_ in LEADING_ORGANISATION_HEADS and token.text[:1].isupper():
            return True
        if not (token.text[:1].isupper() or token.lower_ in ("of", "on", "for", "the", "&", "and")):
            return False
    return False


DEFINITION_AGREEMENT = 80.0


def agrees_with_lexicon(long_form: str, span: Span, candidates: list[tuple[Span, dict[str, Any]]],
                        lexicon: Lexicon) -> bool:
    """An unknown long form that nearly spells one of the lexicon's terms for the entity matched at
    ``span`` (``rapidfuzz.fuzz.ratio`` >= :data:`DEFINITION_AGREEMENT`, hyphens as spaces):
    "Post Acute Withdrawal Symptoms" and "post-acute withdrawal syndrome" (87)."""
    long_form = " ".join(long_form.lower().replace("-", " ").split())
    for cand, record in candidates:
        if (cand.start_char, cand.end_char) != (span.start_char, span.end_char) or record["match"] != "lexicon":
            continue
        entry = lexicon.get(record["canonical"])
        terms = [record["canonical"], *(entry.terms if entry is not None else ())]
        if any(fuzz.ratio(long_form, " ".join(t.lower().replace("-", " ").split())) >= DEFINITION_AGREEMENT
               for t in terms):
            return True
    return False


def token_keys(make_doc: Any, forms: list[str], chunk: int = 500, *,
               special: Any = None) -> dict[str, tuple[str, ...]]:
    """The lower-cased tokens of every form, as ``make_doc(form)`` gives them.

    The tokenizer splits at whitespace first and tokenizes each piece on its own, so a form's
    tokens are those of its space-separated words in turn; each distinct word is tokenized once,
    many words at a time (joined by line breaks, which become tokens of their own).  Forms with
    other whitespace than single spaces are tokenized alone.

    ``special``: the tokenizer's special cases (``Tokenizer.rules``).  When given, a word of
    letters only that is not a special case is taken as one token without tokenizing it: no
    prefix, suffix or infix rule of spaCy's English tokenizer (nor claimex's citation rules)
    matches letters alone, and the special cases are looked up on the whole word first.  This
    skips making a vocabulary entry for each of the lexicon's ~10,000 words (two thirds of the
    entity tagger's start-up; tests/nlp/test_entity_speed_paths.py checks every packaged word)."""
    keys: dict[str, tuple[str, ...]] = {}
    # single spaces only: str.split() splits at the same characters str.isspace() accepts
    plain = [f for f in dict.fromkeys(forms) if f and " ".join(f.split()) == f]
    words = list(dict.fromkeys(w for f in plain for w in f.split(" ")))
    of_word: dict[str, tuple[str, ...]] = {}
    if special is not None:
        of_word = {w: (w.lower(),) for w in words if w.isalpha() and w not in special}
        words = [w for w in words if w not in of_word]
    for i in range(0, len(words), chunk):
        part = words[i:i + chunk]
        found: list[tuple[str, ...]] = []
        current: list[str] = []
        for token in make_doc("\n".join(part)):
            if token.text == "\n":
                found.append(tuple(current))
                current = []
            else:
                current.append(token.lower_)
        found.append(tuple(current))
        if len(found) == len(part):
            of_word.update(zip(part, found))
    for form in plain:
        pieces = form.split(" ")
        if all(w in of_word for w in pieces):
            keys[form] = tuple(t for w in pieces for t in of_word[w])
    for form in forms:
        if form not in keys:
            keys[form] = tuple(t.lower_ for t in make_doc(form))
    return keys


class PhraseIndex:
    """Exact phrase matching on token ``LOWER`` (what ``PhraseMatcher(attr="LOWER")`` finds),
    built from token tuples instead of one ``Doc`` per pattern: dicts from the hashes of a
    pattern's lower-cased tokens to the canonical names it stands for, one-token patterns apart
    and longer ones reached through their first two tokens."""

    def __init__(self, strings: Any) -> None:
        self._strings = strings
        self._single: dict[int, list[str]] = {}
        self._phrases: dict[tuple[int, ...], list[str]] = {}
        self._pair_sizes: dict[tuple[int, int], set[int]] = {}
        self._ready: tuple[frozenset[int], dict[tuple[int, int], tuple[int, ...]]] | None = None

    def add(self, canonical: str, key: tuple[str, ...]) -> None:
        if not key:
            return
        hashes = tuple(self._strings.add(word) for word in key)
        names = self._single.setdefault(hashes[0], []) if len(hashes) == 1 else self._phrases.setdefault(hashes, [])
        if canonical not in names:
            names.append(canonical)
        if len(hashes) > 1:
            self._pair_sizes.setdefault(hashes[:2], set()).add(len(hashes))
        self._ready = None

    def __len__(self) -> int:
        return len(self._single) + len(self._phrases)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(canonical, start, end) of every phrase in ``doc``, by start, then length, then order added."""
        if self._ready is None:
            pairs = {pair: tuple(sorted(sizes)) for pair, sizes in self._pair_sizes.items()}
            self._ready = (frozenset(self._single) | frozenset(p[0] for p in pairs), pairs)
        firsts, pairs = self._ready
        n_tokens = len(doc)
        if not n_tokens:
            return []
        lowers = doc.to_array([LOWER]).reshape(-1).tolist()
        single, phrases = self._single, self._phrases
        found = []
        for i in [i for i, h in enumerate(lowers) if h in firsts]:
            names = single.get(lowers[i])
            if names:
                for name in names:
                    found.append((name, i, i + 1))
            if i + 1 < n_tokens:
                sizes = pairs.get((lowers[i], lowers[i + 1]))
                if sizes:
                    for n in sizes:
                        if i + n > n_tokens:
                            break
                        names = phrases.get(tuple(lowers[i:i + n]))
                        if names:
                            for name in names:
                                found.append((name, i, i + n))
        return found


def after_hyphen(doc: Doc, start: int) -> bool:
    """The match starts right after a hyphen glued to a word ("dose-dependent")."""
    if start < 2:
        return False
    hyphen, before = doc[start - 1], doc[start - 2]
    if before.lower_ == "non" and start + 1 < len(doc) and doc[start + 1].text == "-":
        return False  # "non-kratom-using controls": the substance inside a longer compound
    # ("non-opioid option" stays no mention of opioids)
    return hyphen.text == "-" and not hyphen.whitespace_ and not before.whitespace_ and before.is_alpha


# Nouns before "dependent" that make it a compound adjective: "dose dependent", "time-dependent".
DEPENDENT_COMPOUNDS = frozenset({"dose", "time", "concentration", "age"})


def not_a_mention_form(doc: Doc, start: int, end: int) -> bool:
    """A one-word match that is part of a compound word, not a mention: "dose dependent" (no
    dependence), the second half of an instrument acronym ("GC–MS", "LC-MS": no multiple sclerosis)."""
    if end - start != 1 or start == 0:
        return False
    word, before = doc[start], doc[start - 1]
    if word.lower_ == "dependent" and before.lower_ in DEPENDENT_COMPOUNDS:
        return True
    if (word.text.isupper() and before.text in ("-", "\u2013") and not before.whitespace_ and start >= 2
            and not doc[start - 2].whitespace_ and doc[start - 2].text.isupper() and doc[start - 2].is_alpha):
        return True
    return False


# Verbs whose complement an effect word is even when it is no noun: "get high", "feel focused",
# "keep you focused", "help them focus" (the lexicon's ``pos`` keeps "we focus on" out).
EFFECT_COMPLEMENT_VERBS = frozenset({"get", "feel", "help", "keep", "stay", "make"})
QUOTES = frozenset({'"', "\u201c", "\u201d", "'", "\u2018", "\u2019"})


def effect_complement(doc: Doc, start: int) -> bool:
    """The one-word EFFECT match at ``start`` is the complement of :data:`EFFECT_COMPLEMENT_VERBS`
    (right after the verb or after the verb and a pronoun) and modifies no noun, or stands in
    quotes ("that \u201chigh\u201d feeling")."""
    token = doc[start]
    if 0 < start < len(doc) - 1 and doc[start - 1].text in QUOTES and doc[start + 1].text in QUOTES:
        return True
    if token.dep_ in ("amod", "compound") or (start + 1 < len(doc) and doc[start + 1].pos_ in ("NOUN", "PROPN")):
        return False  # "get high doses"
    for back in (1, 2):
        if start - back < 0:
            return False
        verb = doc[start - back]
        if verb.lemma_.lower() in EFFECT_COMPLEMENT_VERBS and verb.pos_ in ("VERB", "AUX"):
            return True
        if verb.pos_ != "PRON":
            return False
    return False


# A therapy named by a verb is no mention of the therapy: "how to taper off", "if you taper" (the
# noun "a taper schedule" and the gerund "Tapering" are).  The tagger also calls a listed noun a
# verb now and then ("tea or massage with oil"), so the verb must be one by its neighbours too: after
# "to", a pronoun or a modal, or before "off".
VERB_FORM_TAGS = frozenset({"VB", "VBP", "VBZ", "VBD"})
VERB_BEFORE = frozenset({"to", "i", "you", "we", "they", "he", "she", "can", "could", "should", "will",
                         "would", "may", "might", "must"})


def therapy_verb(doc: Doc, start: int, end: int) -> bool:
    """A one-word THERAPY match that is a finite or bare verb ("to taper", "you taper off")."""
    if end - start != 1 or doc[start].pos_ != "VERB" or doc[start].tag_ not in VERB_FORM_TAGS:
        return False
    return (start > 0 and doc[start - 1].lower_ in VERB_BEFORE) or (end < len(doc) and doc[end].lower_ == "off")


# Condition phrases named by a body system or a kind: "cardiovascular conditions", "digestive
# ailments", "psychiatric symptoms", "memory issues", "skin conditions" are conditions of their
# own (the dev gold: a modifier that names a kind is kept); "health problems", "medical conditions",
# "physical symptoms" stay generic words (the modifier says nothing).
SYSTEM_MODIFIERS = frozenset(
    "cardiovascular cardiac heart circulatory vascular digestive gastrointestinal gut bowel intestinal "
    "stomach psychiatric mental neurological neurologic inflammatory autoimmune immune immunological "
    "immunomodulatory musculoskeletal joint bone skin dermatological respiratory lung pulmonary kidney renal "
    "urinary hormonal endocrine metabolic cognitive memory somatic rheumatic rheumatological "
    "degenerative".split())
CONDITION_HEADS = frozenset(
    "condition conditions ailment ailments disorder disorders disease diseases complaint complaints problem "
    "problems issue issues symptom symptoms".split())


def system_condition_spans(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) of "<system modifier> <condition head>" token pairs (:data:`SYSTEM_MODIFIERS`,
    :data:`CONDITION_HEADS`), the modifier not itself the second half of a compound; a "chronic" or
    "acute" right before is part of the span (a kind modifier)."""
    if len(doc) < 2:
        return []
    lowers = doc.to_array([LOWER]).reshape(-1).tolist()
    found = []
    for i in range(1, len(lowers)):
        if lowers[i] in _HEAD_IDS and lowers[i - 1] in _MODIFIER_IDS:
            if i >= 2 and doc[i - 2].text in ("-", "\u2013") and not doc[i - 2].whitespace_:
                continue  # "non-inflammatory conditions" / "gut-brain issues": another compound
            first = i - 1
            if first > 0 and lowers[first - 1] in _KIND_IDS:
                first -= 1  # "a chronic musculoskeletal disorder": a kind modifier stays
            found.append((first, i + 1))
    return found


_HEAD_IDS = frozenset(get_string_id(w) for w in CONDITION_HEADS)
_KIND_IDS = frozenset(get_string_id(w) for w in ("chronic", "acute"))
_MODIFIER_IDS = frozenset(get_string_id(w) for w in SYSTEM_MODIFIERS)


def only_modifies(token) -> bool:
    """A noun that only modifies another noun ("drug interactions", "Drug Enforcement
    Administration", "alkaloid content"), or the first half of a hyphenated word."""
    return token.dep_ in ("compound", "amod") or (token.i + 1 < len(token.doc)
                                                                 and token.doc[token.i + 1].text == "-")


def resolve_overlaps(candidates: list[tuple[Span, dict[str, Any]]]) -> list[tuple[Span, dict[str, Any]]]:
    """Non-overlapping candidates: longest first, then by match priority, then earliest; sorted by start."""
    order = sorted(candidates, key=lambda c: (-(c[0].end_char - c[0].start_char),
                                              MATCH_PRIORITY[c[1]["match"]], c[0].start, c[1]["canonical"]))
    taken: set[int] = set()
    kept = []
    for span, record in order:
        tokens = range(span.start, span.end)
        if any(i in taken for i in tokens):
            continue
        taken.update(tokens)
        kept.append((span, record))
    kept.sort(key=lambda c: (c[0].start, c[0].end))
    return kept


# Drug harms that are conditions when a drug other than the remedy names them: "opioid
# withdrawal", "alcohol dependence", "heroin addiction" are what people take a remedy for (the
# dev gold labels them CONDITION), "kratom withdrawal" stays a SIDE_EFFECT.
CONDITION_WHEN_MODIFIED = frozenset({"withdrawal", "dependence", "addiction"})
TREATED_SUBSTANCES = frozenset({"opioids", "alcohol", "heroin", "nicotine", "benzodiazepines", "cocaine",
                                "methamphetamine", "stimulants"})


def condition_by_modifier(doc: Doc, kept: list[tuple[Span, dict[str, Any]]]) -> None:
    """Relabel, in place, a SIDE_EFFECT of :data:`CONDITION_WHEN_MODIFIED` (its canonical name or
    group) as CONDITION when the entity right before it is a SUBSTANCE of
    :data:`TREATED_SUBSTANCES` (canonical name or group) that modifies it: "opioid withdrawal"."""
    for (prev_span, prev), (span, record) in zip(kept, kept[1:]):
        if (record["label"] == "SIDE_EFFECT" and prev["label"] == "SUBSTANCE"
                and prev_span.end == span.start
                and CONDITION_WHEN_MODIFIED & {record["canonical"], record.get("group")}
                and TREATED_SUBSTANCES & {prev["canonical"], prev.get("group")}):
            record["label"] = "CONDITION"


# Drug-harm conditions: a harm coordinated after one shares its drug ("opioid addiction and
# withdrawal" is opioid withdrawal too).
DRUG_HARM_ENDINGS = ("withdrawal", "addiction", "dependence", "use disorder")
COORDINATION = frozenset({"and", "or"})


def coordinated(doc: Doc, a_end: int, b_start: int) -> bool:
    """The tokens ``a_end:b_start`` join two mentions as a coordination: commas and "and"/"or",
    ending in "and"/"or" ("A, B and C", "A or B")."""
    between = [t.lower_ for t in doc[a_end:b_start]]
    return bool(between) and between[-1] in COORDINATION and all(w in COORDINATION or w == "," for w in between)


def condition_by_coordination(doc: Doc, kept: list[tuple[Span, dict[str, Any]]]) -> None:
    """Relabel, in place, a SIDE_EFFECT of :data:`CONDITION_WHEN_MODIFIED` as CONDITION when it is
    coordinated ("and", "or", a comma) right after a drug-harm CONDITION ("opioid addiction and
    withdrawal", "alcohol dependence or withdrawal")."""
    for (prev_span, prev), (span, record) in zip(kept, kept[1:]):
        if (record["label"] != "SIDE_EFFECT" or prev["label"] != "CONDITION"
                or not CONDITION_WHEN_MODIFIED & {record["canonical"], record.get("group")}):
            continue
        if not coordinated(doc, prev_span.end, span.start):
            continue
        if any(str(name or "").endswith(DRUG_HARM_ENDINGS) for name in (prev["canonical"], prev.get("group"))):
            record["label"] = "CONDITION"


# A drug class written as its adjective beside an effect names an effect: "opioid and stimulant
# properties", "both opioid and stimulant-like effects", "anti-anxiety and antidepressant effects".
EFFECT_OF_CLASS = {"opioids": "opioid-like effects", "antidepressants": "antidepressants"}
CLASS_ADJECTIVES = frozenset({"opioid", "opiate", "antidepressant", "anti-depressant"})
EFFECT_HEADS = frozenset({"effect", "effects", "property", "properties", "activity", "-", "like", "qualities"})


def effect_by_coordination(doc: Doc, kept: list[tuple[Span, dict[str, Any]]],
                           group_of: Any = None) -> None:
    """Relabel, in place, a SUBSTANCE of :data:`EFFECT_OF_CLASS` written in the singular
    (:data:`CLASS_ADJECTIVES`) as an EFFECT when it is coordinated with an EFFECT mention: before it
    ("opioid and stimulant properties"), or after it and followed by an effect word or the end of
    the clause ("anti-anxiety and antidepressant effects", "as an anti-anxiety and antidepressant.")."""
    for n, (span, record) in enumerate(kept):
        if (record["label"] != "SUBSTANCE" or record["canonical"] not in EFFECT_OF_CLASS
                or span.text.lower() not in CLASS_ADJECTIVES):
            continue
        after = kept[n + 1] if n + 1 < len(kept) else None
        before = kept[n - 1] if n > 0 else None
        following = doc[span.end] if span.end < len(doc) else None
        ok = after is not None and after[1]["label"] == "EFFECT" and coordinated(doc, span.end, after[0].start)
        if not ok and before is not None and before[1]["label"] == "EFFECT" and coordinated(doc, before[0].end, span.start):
            ok = following is None or following.lower_ in EFFECT_HEADS or following.is_punct
        if ok:
            name = EFFECT_OF_CLASS[record["canonical"]]
            record["label"], record["canonical"] = "EFFECT", name
            record["group"] = group_of(name) if group_of is not None else name


def common_words_of(nlp: Language) -> frozenset[str]:
    """Ordinary English words known to the pipeline's rule lemmatizer (WordNet-derived lists)."""
    words: set[str] = set()
    for _name, pipe in nlp.pipeline:
        lookups = getattr(pipe, "lookups", None)
        if lookups is None or not lookups.has_table("lemma_index"):
            continue
        table = lookups.get_table("lemma_index")
        for pos in ("noun", "verb", "adj", "adv"):
            words.update(table.get(pos, []))
    return frozenset(words)


def fuzzy_candidate_tokens(doc: Doc, common: frozenset[str], min_length: int,
                           blocked: set[int], cache: dict[tuple[int, int], bool] | None = None) -> list[bool]:
    """Per token: may it be a misspelling of a lexicon term?

    Reads the token attributes as one array (``Doc.to_array``) instead of making a ``Token``
    per word; a word's answer is kept per (lower case, lemma) hash in ``cache`` (pass the
    same dict for every document of one ``common`` word list; default: one per call)."""
    n = len(doc)
    if n == 0:
        return []
    arr = doc.to_array([IS_ALPHA, IS_STOP, LENGTH, LOWER, LEMMA])
    strings = doc.vocab.strings
    flags = [False] * n
    seen: dict[tuple[int, int], bool] = {} if cache is None else cache
    for i, (alpha, stop, length, lower, lemma) in enumerate(arr.tolist()):
        if not alpha or stop or length < min_length or i in blocked:
            continue
        ok = True
        if common:
            key = (lower, lemma)
            ok = seen.get(key)  # type: ignore[assignment]
            if ok is None:
                ok = not any(form in common
                             for form in word_forms(strings[lower], strings[lemma].lower() if lemma else ""))
                seen[key] = ok
        flags[i] = ok
    return flags


def word_forms(lower: str, lemma: str = "") -> list[str]:
    """The word, its lemma and naive singulars ("considerations" -> "consideration")."""
    forms = [lower]
    if lemma:
        forms.append(lemma)
    if lower.endswith("ies"):
        forms.append(lower[:-3] + "y")
    if lower.endswith("es"):
        forms.append(lower[:-2])
    if lower.endswith("s"):
        forms.append(lower[:-1])
    return forms


def fuzzy_matches(doc: Doc, choices: dict[tuple[int, str], list[str]], candidate: list[bool],
                  blocked: set[int], threshold: float, max_tokens: int = MAX_FUZZY_TOKENS
                  ) -> list[tuple[int, int, str, float]]:
    """(start, end, term, score) for token windows that nearly spell a term.

    ``choices`` maps (number of tokens, first character) to lower-cased terms.
    A window must contain a candidate token, must not touch a blocked token
    (already an exact match) and must not contain whitespace/line-break tokens.
    Overlapping results are resolved by the caller.
    """
    n_tokens = len(doc)
    sizes = sorted({n for n, _ in choices if n <= max_tokens})
    windows = sorted({(start, start + n) for c, flag in enumerate(candidate) if flag
                      for n in sizes for start in range(max(0, c - n + 1), c + 1) if start + n <= n_tokens})
    if not windows:
        return []
    # token attributes as one array: no Token objects, no Span.text per window
    arr = doc.to_array([IS_ALPHA, LIKE_NUM, IS_SPACE, SPACY, LOWER]).tolist()
    strings = doc.vocab.strings
    bad = [row[2] or i in blocked for i, row in enumerate(arr)]
    lowers: dict[int, str] = {}
    found = []
    for start, end in windows:
        if not (arr[start][0] or arr[start][1]) or not arr[end - 1][0] or any(bad[start:end]):
            continue
        parts = []
        for i in range(start, end):
            low = lowers.get(i)
            if low is None:
                low = lowers[i] = strings[arr[i][4]]
            parts.append(low)
            if i + 1 < end and arr[i][3]:
                parts.append(" ")
        text = "".join(parts)
        terms = choices.get((end - start, text[0]))
        if not terms:
            continue
        best, best_score = None, 0.0
        for term in terms:  # sorted: on equal scores the first term in alphabetical order wins
            score = fuzz.ratio(text, term, score_cutoff=threshold)
            if score > best_score:
                best, best_score = term, score
        if best is not None and best_score >= threshold:
            found.append((start, end, best, best_score))
    return found


COORDINATORS = frozenset({"and", "or", ",", "/", "&"})


def shared_head_spans(doc: Doc, span: Span, lexicon: Lexicon, label: str = "RECEPTOR"
                      ) -> list[tuple[int, LexiconEntry]]:
    """Conjuncts that share the head of ``span``: "serotonin and adrenergic receptors",
    "mu, kappa and delta opioid receptors".

    Walks left from ``span`` over coordinators; a one-token conjunct X is kept when
    "X <span without its first token>" is a ``label`` term of the lexicon.  Returns
    (token index, entry) pairs, nearest first.
    """
    if len(span) < 2:
        return []
    tail = span[1:].text
    found: list[tuple[int, LexiconEntry]] = []
    pos = span.start
    while pos >= 2 and doc[pos - 1].lower_ in COORDINATORS:
        j = pos - 2
        if doc[pos - 1].lower_ in ("and", "or") and doc[j].text == ",":
            j -= 1  # serial comma: "mu, kappa, and delta"
        if j < 0 or not doc[j].is_alpha:
            break
        joiner = "" if tail.startswith("-") else " "  # "kappa and mu-opioid receptors"
        entry = lexicon.lookup(f"{doc[j].text}{joiner}{tail}")
        if entry is None or entry.label != label:
            break
        found.append((j, entry))
        pos = j
    return found


# Role cues: the same word is a CONDITION when a remedy is said to treat it ("relieves nausea")
# and a SIDE_EFFECT when a substance is said to cause it ("kratom can cause nausea"); the dev
# gold labels by that role (docs/gold-web-dev.md).  The nearest cue to the left of the entity,
# in its clause and at most ROLE_WINDOW tokens away, decides; without a cue the lexicon's label
# (the word's usual role) stays.  A causing verb makes a harm only when what causes is a
# substance ("fibromyalgia causes pain": pain stays a condition), and a harm of the remedy
# itself stays a harm when treated ("treat kratom addiction").
ROLE_WINDOW = 8
CAUSE_CUES = frozenset({"cause", "causing", "caused", "causes", "produce", "produces", "produced",
                        "producing", "trigger", "triggers", "triggered"})
HARM_CUES = frozenset({"adverse"})
CONDITION_CUES = frozenset({"treat", "treats", "treated", "treating", "treatment", "treatments",
                            "relieve", "relieves", "relieved", "relieving", "relief", "alleviate",
                            "alleviates", "alleviating", "ease", "eases", "easing", "soothe", "soothes",
                            "remedy", "remedies", "combat", "combats"})
ROLE_STOPS = frozenset({".", ";", ":", "?", "!", "|", "but", "while", "whereas", "although", "without", "for"})
CAUSER_LABELS = frozenset({"SUBSTANCE", "ALKALOID"})


def role_by_context(doc: Doc, kept: list[tuple[Span, dict[str, Any]]]) -> None:
    """Relabel, in place, CONDITION <-> SIDE_EFFECT entities whose nearest role cue to the left
    says the other role: "kratom can cause anxiety" -> SIDE_EFFECT (:data:`CAUSE_CUES` after a
    SUBSTANCE/ALKALOID, :data:`HARM_CUES`, "side effects"), "kava relieves anxiety" -> CONDITION
    (:data:`CONDITION_CUES`, unless a SUBSTANCE right before the entity names whose harm it is).
    A clause stop (:data:`ROLE_STOPS`, a line break) ends the search."""
    if not kept:
        return
    lowers = None
    label_at: dict[int, str] = {}
    for span, record in kept:
        for i in range(span.start, span.end):
            label_at[i] = record["label"]
    for n, (span, record) in enumerate(kept):
        if record["label"] not in ("CONDITION", "SIDE_EFFECT"):
            continue
        if lowers is None:
            lowers = [t.lower_ for t in doc]
        role = None
        stop = None
        for i in range(span.start - 1, max(-1, span.start - 1 - ROLE_WINDOW), -1):
            word = lowers[i]
            if word == "for" and i > 0 and lowers[i - 1] in CONDITION_CUES:
                word = lowers[i - 1]  # "a treatment for pain, anxiety and drug dependence"
            elif word in ROLE_STOPS or "\n" in word:
                stop = "\n" if "\n" in word else word
                if word == "." and i > 0 and lowers[i - 1].isdigit():
                    stop = ":"  # "include: 1. Exhaustion": a list number, not a sentence end
                if stop == "\n" and not all(j in label_at or lowers[j] in ITEM_FILLERS or lowers[j].isdigit()
                                            for j in range(i + 1, span.start)):
                    stop = "line"  # a line of prose, not a list item: no lead-in from the line before
                break
            if word in CAUSE_CUES:
                causer = next((label_at.get(j) for j in range(i - 1, max(-1, i - 1 - ROLE_WINDOW), -1)
                               if j in label_at or lowers[j] in ROLE_STOPS or "\n" in lowers[j]), None)
                if causer in CAUSER_LABELS:
                    role = "SIDE_EFFECT"
                break
            if word in HARM_CUES or (word in ("effect", "effects") and i > 0 and lowers[i - 1] == "side"):
                role = "SIDE_EFFECT"
                break
            if word in CONDITION_CUES:
                before = kept[n - 1] if n > 0 else None
                if not (before is not None and before[0].end == span.start
                        and before[1]["label"] in CAUSER_LABELS):
                    role = "CONDITION"
                break
        if role is None and (stop is None or stop in LEADIN_CROSSES):
            role = leadin_role(lowers, label_at, span.start)
        if role is not None and role != record["label"]:
            record["label"] = role


# A list or a line under a lead-in: "Withdrawal symptoms: anxiety, insomnia" (harms),
# "Fibromyalgia symptoms include: 1. Exhaustion" (a condition's symptoms), "Side effects" then
# bullets.  Searched when the clause gave no cue and ended at a colon, a line break or the window.
LEADIN_WINDOW = 24
LEADIN_CROSSES = frozenset({":", "\n"})
SYMPTOM_WORDS = frozenset({"symptom", "symptoms", "sign", "signs"})
# what may stand before the entity on a list item's line: markers, separators, other items
ITEM_FILLERS = frozenset({",", "and", "or", "&", "/", "•", "-", "–", "*", ".", ")", "(", "·", " ", "  "})


def leadin_role(lowers: list[str], label_at: dict[int, str], start: int) -> str | None:
    """The role a lead-in before ``start`` gives: "<withdrawal> symptoms" / "side effects" /
    "adverse" -> SIDE_EFFECT, "<a CONDITION> symptoms" / "symptoms of <a CONDITION>" -> CONDITION;
    None when a sentence end (``.``, ``?``, ``!``) comes first or nothing is found."""
    for i in range(start - 1, max(-1, start - 1 - LEADIN_WINDOW), -1):
        word = lowers[i]
        if word in (".", "?", "!") and not (word == "." and i > 0 and lowers[i - 1].isdigit()):
            return None
        if word in ROLE_STOPS and word not in (":", "."):
            return None  # "its side effects, allowing for ... chronic pain": another clause
        if word in ("effect", "effects") and i > 0 and lowers[i - 1] == "side" or word == "adverse":
            return "SIDE_EFFECT"
        if word in SYMPTOM_WORDS:
            before = label_at.get(i - 1)
            after = label_at.get(i + 2) if i + 2 < len(lowers) and lowers[i + 1] == "of" else None
            owner = before or after
            if owner == "SIDE_EFFECT":
                return "SIDE_EFFECT"
            if owner == "CONDITION":
                return "CONDITION"
    return None
