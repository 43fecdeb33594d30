"""The evidence a sentence gives, by kind, with offsets (claimex.nlp.claims.evidence); own sentences."""

from types import SimpleNamespace

import pytest

from claimex.nlp.claim_rules import ClaimRules
from claimex.nlp.claims.evidence import claim_evidence, regulator_evidence, sentence_evidence, study_report


@pytest.fixture(scope="module")
def rules():
    return ClaimRules.default()


def _kind_and_text(text, rules, offset=0, following=""):
    found = sentence_evidence(text, offset, rules, following=following)
    if found is None:
        return None
    kind, (start, end) = found
    return kind, (text + following)[start - offset:end - offset]


@pytest.mark.parametrize("text, kind, quoted", [
    # citations
    ("Willow bark eased back pain in most of the volunteers [3].", "citation", "[3]"),
    ("Tea drinkers slept longer [1][2] in that cohort.", "citation", "[1][2]"),
    ("Ginger calmed nausea in pregnancy (6).", "citation", "(6)"),
    ("Fish oil lowered triglycerides (Brandt et al., 2011).", "citation", "(Brandt et al., 2011)"),
    ("Capsaicin cream reduced joint pain (Pain Med 2011;12:1–9).", "citation", "(Pain Med 2011;12:1–9)"),
    ("Kava can harm the liver.4", "citation", "4"),
    ("Kava can harm the liver.²", "citation", "²"),
    ("Kava can harm the liver¹² in rare cases.", "citation", "¹²"),
    ("The overdose was fatal.(4) Nobody expected it.", "citation", "(4)"),
    ("See doi:10.1000/xyz123 for the trial.", "citation", "doi:10.1000/xyz123"),
    ("Magnesium helped cramps (PMID 12345678).", "citation", "PMID 12345678"),
    ("Ortega 2015 Phytother Res RCT: boswellia eased knee pain.", "citation", "Ortega 2015 Phytother Res"),
    # named or dated studies
    ("A 2018 study in the Journal of Sleep Research found melatonin shortened sleep onset.",
     "study-reference", "A 2018 study in the Journal"),
    ("A randomized trial of 240 patients showed no benefit of glucosamine.",
     "study-reference", "A randomized trial of 240"),
    ("A Cochrane review found acupuncture helps some headaches.", "study-reference", "Cochrane review"),
    ("Turmeric extract eased knee pain (n=88, 12 weeks).", "study-reference", "(n=88, 12 weeks)"),
    ("Pain scores fell in the treated group (p<0.01).", "study-reference", "(p<0.01"),
    ("A 2019 Clin Nutr meta-analysis pooled nine trials of zinc.", "study-reference",
     "2019 Clin Nutr meta-analysis"),
    # named authorities as the source
    ("According to NIDA, kratom can lead to dependence.", "authority", "According to NIDA"),
    ("The FDA warns that kava products may damage the liver.", "authority", "The FDA warns"),
    ("The National Institutes of Health states that valerian is safe for short periods.",
     "authority", "The National Institutes of Health states"),
    ("Several FDA warnings about tianeptine have been issued.", "authority", "FDA warnings"),
    ("Echinacea shortened colds, according to Reuters.", "authority", "according to Reuters"),
    ("Pickle juice relieves cramps, Dr. Alvarez says.", "authority", "Dr. Alvarez says"),
    ("Dr. Ana Ruiz, a toxicologist at a poison centre, saw liver injury in two kava users.",
     "authority", "Dr. Ana Ruiz, a toxicologist"),
    ("“Zinc shortens colds,” says Maria Lopez, MD, an internist.", "authority", "says Maria Lopez, MD"),
])
def test_checkable_evidence(rules, text, kind, quoted):
    assert _kind_and_text(text, rules) == (kind, quoted)


@pytest.mark.parametrize("text", [
    "Studies show that kratom relieves pain.",            # vague appeal
    "Research suggests ashwagandha lowers stress.",
    "Experts say turmeric is anti-inflammatory.",
    "Many users report that kratom gives them energy.",   # anecdote
    "He studied chemistry at Vanderbilt University.",     # a biography names no study
    "According to some users, kratom eases withdrawal.",  # "according to" an unnamed crowd
    "Kratom is not approved by the FDA.",                 # a regulator: REGULATED claims only
    "Its potency makes it risky for beginners.",
    "A dose of 40 mg/m² was given.",                    # a unit, not a footnote
])
def test_no_checkable_evidence(rules, text):
    assert sentence_evidence(text, 0, rules) is None


def test_offsets_are_doc_offsets(rules):
    text = "Kratom eased pain [12]."
    assert sentence_evidence(text, 100, rules) == ("citation", (118, 122))


def test_reference_cut_off_by_the_splitter_belongs_to_the_sentence(rules):
    text = "Hemp sales grew fast after 2018"
    assert _kind_and_text(text, rules, following=" [1]. Next sentence.") == ("citation", "[1]")
    found = sentence_evidence(text, 50, rules, following=" [1].")
    assert found == ("citation", (50 + len(text) + 1, 50 + len(text) + 4))
    assert sentence_evidence(text, 0, rules, following=" The next sentence [2].") is None


@pytest.mark.parametrize("text, quoted", [
    ("Kratom is not approved by the FDA for any use.", "approved by the FDA"),
    ("The FDA has not approved kratom.", "The FDA has not approved"),
    ("It isn’t FDA-approved yet.", "FDA-approved"),
])
def test_regulator_evidence(rules, text, quoted):
    kind, (start, end) = regulator_evidence(text, 0, rules)
    assert (kind, text[start:end]) == ("authority", quoted)


def test_who_approved_is_no_regulator(rules):
    assert regulator_evidence("The doctor who approved the dose left.", 0, rules) is None


def _ctx(text, rules, own=None, para=None):
    return SimpleNamespace(own_evidence=own, paragraph_evidence=para, rules=rules,
                           doc=SimpleNamespace(text=text, user_data={}),
                           sent=SimpleNamespace(text=text, start_char=10), text=text)


def test_claim_evidence_regulator_backs_only_regulated_claims(rules):
    text = "Kratom is not approved by the FDA and is addictive."
    assert claim_evidence(_ctx(text, rules), "author", "REGULATED") == ("authority", (24, 43))
    assert claim_evidence(_ctx(text, rules), "author", "CAUSES") == ("none", None)
    assert claim_evidence(_ctx(text, rules), "author") == ("none", None)


def test_claim_evidence_order(rules):
    own = ("citation", (5, 8))
    para = ("study-reference", (0, 4))
    assert claim_evidence(_ctx("Pain fell [2].", rules, own=own, para=para), "author") == own
    assert claim_evidence(_ctx("The researchers found less pain.", rules, para=para), "author") == para
    # a sentence that reports no study does not inherit the paragraph's
    assert claim_evidence(_ctx("Kratom eases pain.", rules, para=para), "author") == ("none", None)
    assert claim_evidence(_ctx("Users report less pain.", rules), "author") == ("anecdote", None)
    assert claim_evidence(_ctx("Studies show less pain.", rules), "author") == ("vague-appeal", None)


ABSTRACT = ("Valerian and sleep in shift workers\n"
            "Background: Shift workers often sleep badly.\n"
            "Methods: We gave 60 nurses valerian or placebo for four weeks.\n"
            "Results: Valerian shortened the time to fall asleep.\n")


def test_a_document_that_reports_its_own_study(rules):
    start = ABSTRACT.index("Methods")
    assert study_report(ABSTRACT, rules) == (start, start + len("Methods"))
    case = "Case Presentation: A man took kava daily.\nDiscussion: Kava can injure the liver.\n"
    assert study_report(case, rules) == (0, len("Case Presentation"))


@pytest.mark.parametrize("text", [
    "Background\nKratom is a tree.\nConclusion\nUse it with care.\n",   # no methods: an essay's headings
    "Methods: we tested three teas at home.\n",                          # one label only
    "Our methods: chew the leaves.\nResults: more energy.\n",            # not a label at the line start
])
def test_no_study_report(rules, text):
    assert study_report(text, rules) is None


def test_claims_after_the_methods_of_a_study_report_take_its_evidence(rules):
    doc = SimpleNamespace(text=ABSTRACT, user_data={})
    methods = ABSTRACT.index("Methods")
    results = ABSTRACT.index("Results")
    background = ABSTRACT.index("Background")

    def ctx(start, text):
        return SimpleNamespace(own_evidence=None, paragraph_evidence=None, rules=rules, doc=doc,
                               sent=SimpleNamespace(text=text, start_char=start), text=text)

    span = (methods, methods + len("Methods"))
    assert claim_evidence(ctx(results, "Results: Valerian shortened the time to fall asleep."), "author") == (
        "study-reference", span)
    # the survey's respondents are its data, not anecdote
    assert claim_evidence(ctx(results, "Users reported better sleep."), "users") == ("study-reference", span)
    # the background is not the study's finding
    assert claim_evidence(ctx(background, "Background: Shift workers often sleep badly."), "author") == (
        "none", None)
    assert doc.user_data["claimex_study_report"] == span
