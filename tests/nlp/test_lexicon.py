"""Tests for claimex.nlp.lexicon: loading, validation, lookup and groups of the entity lexicon."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

from claimex.errors import ClaimexError
from claimex.nlp.lexicon import (
    LEXICON_LABELS,
    Lexicon,
    LexiconEntry,
    load_default_lexicon,
    plural_of,
    term_variants,
)

ROOT = Path(__file__).resolve().parents[2]
ENTITIES_JSONL = ROOT / "pipelines" / "lexicons" / "entities.jsonl"
ONTOLOGY_JSONL = ROOT / "pipelines" / "lexicons" / "ontology.jsonl"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_default_lexicon()


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ packaged lexicon
def test_packaged_lexicon_is_the_repository_file_and_valid(lexicon):
    # the packaged lexicon is the curated file followed by the ontology terms (curated entries first)
    curated = Lexicon.from_file(ENTITIES_JSONL)
    assert lexicon.to_records()[:len(curated)] == curated.to_records()
    n_lines = sum(1 for line in ENTITIES_JSONL.read_text(encoding="utf-8").splitlines() if line.strip())
    assert len(curated) == n_lines == 670
    n_ontology = sum(1 for line in ONTOLOGY_JSONL.read_text(encoding="utf-8").splitlines() if line.strip())
    assert n_ontology == 6287
    # no ontology entry is dropped at load time: the build (make lexicon) already left out every
    # curated term, so the committed ontology.jsonl is what the build writes from this entities.jsonl
    assert len(lexicon) == len(curated) + n_ontology == 6957


def test_ontology_lexicon_is_built_from_this_curated_lexicon():
    # a curated edit that takes over an ontology term needs `make lexicon` (else make lexicon would
    # not reproduce the committed ontology.jsonl): no ontology term may be a curated form
    curated = Lexicon.from_file(ENTITIES_JSONL)
    taken = {form for form, _ in curated.patterns()} | {e.canonical.lower() for e in curated}
    taken |= {t.lower() for e in curated for t in e.cased}
    clashes = sorted(term for line in ONTOLOGY_JSONL.read_text(encoding="utf-8").splitlines() if line.strip()
                     for term in json.loads(line)["terms"] if set(term_variants(term)) & taken)
    assert clashes == []


def test_packaged_lexicon_size_by_label(lexicon):
    curated = collections.Counter(entry.label for entry in Lexicon.from_file(ENTITIES_JSONL))
    assert curated == {"SUBSTANCE": 256, "CONDITION": 108, "SIDE_EFFECT": 106, "RECEPTOR": 54, "ALKALOID": 54,
                       "EFFECT": 34, "GENERIC": 23, "THERAPY": 35}
    counts = collections.Counter(entry.label for entry in lexicon)
    # the ontology adds CONDITION entries only
    assert counts == dict(curated, CONDITION=108 + 6287)
    assert set(counts) == set(LEXICON_LABELS)


def test_packaged_lexicon_canonical_names_are_unique_ignoring_case(lexicon):
    names = [entry.canonical.lower() for entry in lexicon]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("term, label, canonical", [
    ("kratom", "SUBSTANCE", "kratom"),
    ("Kratom", "SUBSTANCE", "kratom"),
    ("KRATOM", "SUBSTANCE", "kratom"),
    ("Mitragyna speciosa", "SUBSTANCE", "kratom"),
    ("mitragyna  speciosa", "SUBSTANCE", "kratom"),
    ("opiates", "SUBSTANCE", "opioids"),
    ("prescription opioids", "SUBSTANCE", "opioids"),
    ("Tylenol", "SUBSTANCE", "acetaminophen"),
    ("paracetamol", "SUBSTANCE", "acetaminophen"),
    ("NSAIDs", "SUBSTANCE", "NSAIDs"),
    ("painkillers", "SUBSTANCE", "painkillers"),
    ("pain medications", "SUBSTANCE", "painkillers"),
    ("cannabidiol", "SUBSTANCE", "CBD"),
    ("red vein kratom", "SUBSTANCE", "kratom"),  # a vein colour is part of the span, the concept is kratom
    ("7-HMG", "ALKALOID", "7-hydroxymitragynine"),
    ("7-OH", "ALKALOID", "7-hydroxymitragynine"),
    ("7 hydroxymitragynine", "ALKALOID", "7-hydroxymitragynine"),
    ("alkaloid", "GENERIC", "alkaloids"),  # generic words are GENERIC since schema 1.1
    ("Fibromyalgia", "CONDITION", "fibromyalgia"),
    ("neuropathies", "CONDITION", "neuropathy"),
    ("neuropathic pain", "CONDITION", "neuropathic pain"),
    ("low back pain", "CONDITION", "lower back pain"),
    ("withdrawal symptoms", "SIDE_EFFECT", "withdrawal"),
    ("opioid withdrawal symptoms", "CONDITION", "opioid withdrawal"),
    ("side effect", "GENERIC", "side effects"),
    ("Side Effects", "GENERIC", "side effects"),
    ("hepatotoxicity", "SIDE_EFFECT", "liver damage"),
    ("dependency", "SIDE_EFFECT", "dependence"),
    ("addictive", "SIDE_EFFECT", "addiction"),
    ("sedating", "SIDE_EFFECT", "sedation"),
    ("psychoses", "SIDE_EFFECT", "psychosis"),
    ("opioid receptor", "RECEPTOR", "opioid receptors"),
    ("Opioid Receptors", "RECEPTOR", "opioid receptors"),
    ("µ-opioid receptors", "RECEPTOR", "mu-opioid receptor"),
    ("mu opioid receptor", "RECEPTOR", "mu-opioid receptor"),
    ("serotonin receptors", "RECEPTOR", "serotonin receptors"),
    # issue 16 classes: drug classes, branded extracts, constituents, therapies, harms
    ("calcium channel blocker", "SUBSTANCE", "calcium channel blockers"),
    ("KSM-66", "SUBSTANCE", "ksm-66"),
    ("flavonoids", "ALKALOID", "flavonoids"),
    ("MBSR", "THERAPY", "mindfulness-based stress reduction"),
    ("physical withdrawal", "SIDE_EFFECT", "physical withdrawal"),
    ("yellowing of the eyes", "CONDITION", "scleral icterus"),
])
def test_lookup_collapses_case_plural_and_synonyms(lexicon, term, label, canonical):
    entry = lexicon.lookup(term)
    assert entry is not None, term
    assert (entry.label, entry.canonical) == (label, canonical)


@pytest.mark.parametrize("term, label, canonical, group, role", [
    # schema 1.1: related concepts keep their own canonical name; what ties them is the group
    ("narcotic painkillers", "SUBSTANCE", "narcotics", "opioids", None),
    ("glucosamine", "SUBSTANCE", "glucosamine", "joint supplements", None),
    ("chondroitin", "SUBSTANCE", "chondroitin", "joint supplements", None),
    ("fish oil", "SUBSTANCE", "fish oil", "omega-3 fatty acids", None),
    ("CYP3A4", "RECEPTOR", "CYP3A4", "CYP enzymes", None),
    ("COX-2", "RECEPTOR", "COX-2", "COX enzymes", None),
    ("delusions", "SIDE_EFFECT", "delusions", "psychosis", None),
    ("intoxication", "SIDE_EFFECT", "intoxication", "overdose", None),
    ("swelling", "CONDITION", "swelling", "inflammation", None),
    ("LDN", "SUBSTANCE", "low-dose naltrexone", "naltrexone", None),
    ("mental confusion", "SIDE_EFFECT", "confusion", None, None),
    ("euphoria", "EFFECT", "euphoria", None, None),
    ("curcumin", "ALKALOID", "curcumin", "turmeric", None),
    ("GABA", "RECEPTOR", "GABA", None, None),
    ("salmonella", "SIDE_EFFECT", "salmonella", None, None),
    ("acupuncture", "THERAPY", "acupuncture", None, None),
    ("herbal supplements", "GENERIC", "herbal supplements", "supplements", "SUBSTANCE"),
    ("side effects", "GENERIC", "side effects", "side effects", "SIDE_EFFECT"),
])
def test_split_concepts_groups_and_roles(lexicon, term, label, canonical, group, role):
    entry = lexicon.lookup(term)
    assert entry is not None, term
    assert (entry.label, entry.canonical, entry.group, entry.role) == (label, canonical, group, role)


def test_cased_terms_match_only_with_their_capitalisation(lexicon):
    assert lexicon.lookup("OUD").canonical == "opioid use disorder"
    assert lexicon.lookup("oud") is None
    assert lexicon.lookup("MOR").canonical == "mu-opioid receptor"
    assert lexicon.lookup("mor") is None
    assert lexicon.lookup("SAMe").canonical == "SAMe"
    assert lexicon.lookup("same") is None


def test_lookup_of_unknown_term_is_none(lexicon):
    assert lexicon.lookup("banana") is None


@pytest.mark.parametrize("term", ["opioid dependence", "kratom tea", "CBD oil", "magnesium supplement",
                                  "Maeng Da kratom", "increased energy", "anti-inflammatory properties"])
def test_product_strain_and_evaluative_forms_are_not_terms(lexicon, term):
    # issue 16: the substance or effect alone is the entity ("CBD" in "CBD oil", "energy")
    assert lexicon.lookup(term) is None


@pytest.mark.parametrize("canonical, group", [
    ("addiction", "dependence"),
    ("dependence", "dependence"),
    ("psychological dependence", "dependence"),
    ("abuse potential", "dependence"),
    ("abuse", "dependence"),
    ("sedation", "sedation"),
    ("drowsiness", "sedation"),
    ("adverse effects", "side effects"),
    ("morphine", "opioids"),
    ("osteoarthritis", "arthritis"),
    ("mu-opioid receptor", "opioid receptors"),
    ("kratom", "kratom"),            # no group: the canonical name itself
    ("fibromyalgia", "fibromyalgia"),
    ("1–5 g", "1–5 g"),              # names outside the lexicon map to themselves
])
def test_group_of(lexicon, canonical, group):
    assert lexicon.group_of(canonical) == group


def test_distinct_canonical_names_inside_a_group(lexicon):
    assert lexicon.lookup("dependence").canonical != lexicon.lookup("addiction").canonical


def test_fuzzy_terms_cover_only_fuzzy_entries(lexicon):
    fuzzy = lexicon.fuzzy_terms()
    assert fuzzy["mitragynine"].canonical == "mitragynine"
    assert fuzzy["fibromyalgia"].canonical == "fibromyalgia"
    assert "pain" not in fuzzy            # short common word: exact matching only
    assert "nephrotoxicity" not in fuzzy  # two edits from "neurotoxicity"
    assert all(entry.fuzzy for entry in fuzzy.values())


# ------------------------------------------------------------------------------ variants
@pytest.mark.parametrize("word, plural", [
    ("receptor", "receptors"), ("neuropathy", "neuropathies"), ("psychosis", "psychoses"),
    ("rash", "rashes"), ("delay", "delays"), ("diabetes", None), ("arthritis", None), ("ht2a", None),
    ("mg", None),
])
def test_plural_of(word, plural):
    assert plural_of(word) == plural


def test_term_variants():
    assert term_variants("Mu-Opioid Receptor") == [
        "mu-opioid receptor", "mu opioid receptor", "mu-opioid receptors", "mu opioid receptors"]
    assert term_variants("NSAID", lower=False) == ["NSAID", "NSAIDs"]
    assert term_variants("side effect", inflect=False) == ["side effect"]


def test_generated_plural_never_overrides_a_listed_term():
    lex = Lexicon.from_records([
        {"label": "SIDE_EFFECT", "canonical": "sedation", "terms": ["sedative"]},
        {"label": "SUBSTANCE", "canonical": "sedatives", "terms": ["sedative drug"]},
    ])
    assert lex.lookup("sedative").canonical == "sedation"
    assert lex.lookup("sedatives").canonical == "sedatives"


# ------------------------------------------------------------------------------ from_dict / round trip
def test_from_dict_defaults_and_round_trip(tmp_path):
    lex = Lexicon.from_records([
        {"label": "ALKALOID", "canonical": "7-hydroxymitragynine",
         "terms": ["7-hydroxymitragynine", "7-OH-mitragynine", "7-OH", "7-HMG"], "fuzzy": True},
        {"label": "SIDE_EFFECT", "canonical": "addiction", "terms": ["addictive"], "group": "dependence",
         "note": "head word only"},
    ])
    first = lex.entries[0]
    assert first == LexiconEntry(label="ALKALOID", canonical="7-hydroxymitragynine",
                                 terms=("7-hydroxymitragynine", "7-OH-mitragynine", "7-OH", "7-HMG"), fuzzy=True)
    assert (first.cased, first.group, first.inflect, first.note) == ((), None, True, None)
    assert lex.lookup("addiction").canonical == "addiction"  # the canonical name is a term too
    path = tmp_path / "lex.jsonl"
    lex.to_file(path)
    assert path.read_text(encoding="utf-8").splitlines()[1] == (
        '{"label": "SIDE_EFFECT", "canonical": "addiction", "terms": ["addictive"], '
        '"group": "dependence", "note": "head word only"}')
    assert Lexicon.from_file(path).to_records() == lex.to_records()


# ------------------------------------------------------------------------------ validation errors
GOOD = {"label": "CONDITION", "canonical": "fibromyalgia", "terms": ["fibromyalgia"]}


@pytest.mark.parametrize("row, reason", [
    ({"label": "CONDITION", "terms": ["x"]}, "missing field 'canonical'"),
    ({"label": "CONDITION", "canonical": "x"}, "missing field 'terms'"),
    ({"label": "CONDITION", "canonical": "x", "terms": []}, "'terms' must list at least one term"),
    ({"label": "CONDITION", "canonical": "x", "terms": "x"}, "'terms' must be a list of non-empty strings"),
    ({"label": "CONDITION", "canonical": "x", "terms": ["x", ""]}, "'terms' must be a list of non-empty strings"),
    ({"label": "CONDITION", "canonical": " x", "terms": ["x"]},
     "'canonical' must be a non-empty string without surrounding spaces"),
    ({"label": "CONDITION", "canonical": "x", "terms": ["x"], "fuzzy": "yes"}, "'fuzzy' must be true or false"),
    ({"label": "CONDITION", "canonical": "x", "terms": ["x"], "group": 3}, "'group' must be a non-empty string"),
    ({"label": "CONDITION", "canonical": "x", "terms": ["x"], "fuzy": True},
     "unknown field 'fuzy'; allowed fields: label, canonical, terms, cased, fuzzy, group, role, pos, inflect, note"),
    ({"label": "DOSE", "canonical": "x", "terms": ["x"]},
     "label DOSE is produced by the dose patterns (patterns/dose.jsonl), not by the lexicon"),
    ({"label": "CONDITION", "canonical": "fibromyalgia", "terms": ["fm"]},
     "canonical 'fibromyalgia' is already defined on line 1"),
    ({"label": "CONDITION", "canonical": "fm", "terms": ["Fibromyalgia"]},
     "term 'Fibromyalgia' already belongs to 'fibromyalgia' (line 1)"),
    (["not", "an", "object"], "expected a JSON object, got list"),
    ("{broken", "malformed JSON: Expecting property name enclosed in double quotes"),
])
def test_invalid_entry_names_file_and_line(tmp_path, row, reason):
    path = write_jsonl(tmp_path / "entities.jsonl", [GOOD, "", row])
    with pytest.raises(ClaimexError) as err:
        Lexicon.from_file(path)
    assert str(err.value) == f"[E041] {path}: line 3: lexicon entry is invalid ({reason})."


def test_unknown_label_is_e042(tmp_path):
    path = write_jsonl(tmp_path / "entities.jsonl", [GOOD, {"label": "DRUG", "canonical": "x", "terms": ["x"]}])
    with pytest.raises(ClaimexError) as err:
        Lexicon.from_file(path)
    assert str(err.value) == (f"[E042] Unknown entity label 'DRUG' in {path} line 2; expected one of "
                              "SUBSTANCE, ALKALOID, CONDITION, SIDE_EFFECT, RECEPTOR, EFFECT, THERAPY, GENERIC.")


def test_from_dict_errors_use_positions():
    with pytest.raises(ClaimexError, match=r"^\[E041\] <records>: line 2: lexicon entry is invalid \(missing field"):
        Lexicon.from_records([GOOD, {"label": "CONDITION"}])


def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(ClaimexError) as err:
        Lexicon.from_file(empty)
    assert str(err.value) == f"[E046] {empty}: the lexicon has no entries."
    with pytest.raises(ClaimexError, match=r"^\[E044\] .*nowhere.jsonl: cannot read the file \(No such file"):
        Lexicon.from_file(tmp_path / "nowhere.jsonl")
