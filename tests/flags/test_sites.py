"""Independence by site: a document's site, source units that join one site's pages, the sources table."""

import pyarrow as pa
import pytest

from claimex import schema
from claimex.errors import ClaimexError
from claimex.flags import FlagSettings, flag_claims, source_units, sources_table
from claimex.flags.grouping import merge_units
from claimex.flags.sites import document_sites, registrable_domain, site_of


@pytest.mark.parametrize("host, domain", [
    ("www.healthline.com", "healthline.com"),
    ("news.bbc.co.uk", "bbc.co.uk"),
    ("health.example.com.au", "example.com.au"),
    ("example.org:8080", "example.org"),
    ("WWW.Example.ORG.", "example.org"),
    ("192.168.0.1", "192.168.0.1"),
    ("localhost", "localhost"),
])
def test_registrable_domain(host, domain):
    assert registrable_domain(host) == domain


@pytest.mark.parametrize("url, source, named, site", [
    ("https://www.healthline.com/nutrition/kratom", "kratom/d001-x.txt", None, "healthline.com"),
    ("blog.example.co.uk/post", "a.txt", None, "example.co.uk"),
    (None, "kratom/d012-healthline.txt", None, "healthline"),
    (None, "general/d047-healthline.txt", None, "healthline"),
    (None, "springer-mirror.txt", None, "springer"),
    (None, "0042_Example.com.html", None, "example.com"),
    (None, "notes/article-2.txt", None, "article-2"),      # a number is another page, not a copy
    (None, "d001.txt", None, "d001"),                       # a bare document number stays itself
    (None, "feed.jsonl:3", "Healthline", "healthline"),     # a record's own site name
    (None, "feed.jsonl:4", "www.Mayoclinic.org", "mayoclinic.org"),
    ("https://mayoclinic.org/a", "feed.jsonl:5", "Other", "mayoclinic.org"),  # the URL first
    (None, "https://www.webmd.com/a/b", None, "webmd.com"),
])
def test_site_of(url, source, named, site):
    assert site_of(url, source, named) == site


def _documents(rows):
    return pa.table({"doc_id": [r[0] for r in rows], "source": [r[1] for r in rows],
                     "url": [r[2] for r in rows], "text": [r[3] for r in rows]})


_TEXTS = ["kratom leaves are chewed by farm workers in the south for energy during long days",
          "turmeric is a yellow spice used in curries and studied for joint pain in older adults",
          "valerian root tea is an old sleep remedy that some people brew before bed each night",
          "melatonin is a hormone the brain makes after dark and is sold as a sleep supplement"]


def test_document_sites_reads_url_then_source():
    docs = _documents([("a", "d001-healthline.txt", None, _TEXTS[0]),
                       ("b", "x.txt", "https://www.healthline.com/y", _TEXTS[1])])
    assert document_sites(docs) == {"a": "healthline", "b": "healthline.com"}


def test_merge_units_joins_sites_and_near_duplicates_transitively():
    near = {"a": "a", "b": "a", "c": "c", "d": "d", "e": "e"}
    sites = {"a": "s1", "b": "s2", "c": "s2", "d": "s3", "e": "s4"}
    assert merge_units(near, sites) == {"a": "a", "b": "a", "c": "a", "d": "d", "e": "e"}
    assert merge_units(near, {}) == near


def test_two_pages_of_one_site_are_one_source_unit_in_the_table():
    docs = _documents([("a", "d001-healthline.txt", None, _TEXTS[0]),
                       ("b", "d002-healthline.txt", None, _TEXTS[1]),
                       ("c", "d003-webmd.txt", None, _TEXTS[2]),
                       ("d", "d004-mayo.txt", None, _TEXTS[3])])
    units = source_units(docs)
    assert units.clusters == {"a": "a", "b": "a", "c": "c", "d": "d"}
    table = sources_table(docs, units)
    assert table.schema.equals(schema.SOURCES)
    rows = {r["doc_id"]: r for r in table.to_pylist()}
    assert rows["b"] == {"doc_id": "b", "source": "d002-healthline.txt", "site": "healthline", "source_unit": "a",
                         "unit_doc_ids": ["a", "b"], "why": "same site", "shared_sentences": 0}
    assert rows["c"]["why"] == "alone" and rows["c"]["unit_doc_ids"] == ["c"]
    off = source_units(docs, settings=FlagSettings(same_site_one_source=False))
    assert off.clusters == {"a": "a", "b": "b", "c": "c", "d": "d"}


def test_a_near_duplicate_copy_is_named_as_such():
    docs = _documents([("a", "d001-site-one.txt", None, _TEXTS[0] * 3),
                       ("b", "d002-site-two.txt", None, _TEXTS[0] * 3 + " extra"),
                       ("c", "d003-site-three.txt", None, _TEXTS[2])])
    rows = {r["doc_id"]: r for r in sources_table(docs, source_units(docs)).to_pylist()}
    assert rows["b"]["source_unit"] == "a"
    assert rows["b"]["why"] == "near-duplicate"


def test_same_site_opposition_is_not_independent():
    """A page that denies what another page of its own site affirms is a low (same-source) contradiction."""
    docs = _documents([("a", "d001-healthline.txt", None, _TEXTS[0]),
                       ("b", "d002-healthline.txt", None, _TEXTS[1])])
    base = {"sent_id": "s1", "text": "t", "subject": "kratom", "predicate": "CAUSES", "object": "nausea",
            "object_text": "nausea", "object_ent_id": None, "hedged": False, "hedge_cues": [],
            "certainty": "asserted", "strength": 3, "attribution": "author", "evidence": "none",
            "qualifiers": [], "dose_min": None, "dose_max": None, "dose_unit": None, "dose_period": None,
            "claim_key": "kratom|CAUSES|nausea"}
    claims = pa.Table.from_pylist([dict(base, claim_id="c1", doc_id="a", polarity="affirmed"),
                                   dict(base, claim_id="c2", doc_id="b", polarity="negated")])
    flags, _ = flag_claims(claims, docs)
    contra = [r for r in flags.to_pylist() if r["flag"] == "contradicted"]
    assert sorted(r["claim_id"] for r in contra) == ["c1", "c2"]
    assert {r["severity"] for r in contra} == {"low"}


def test_same_site_setting_must_be_a_bool():
    with pytest.raises(ClaimexError, match="same_site_one_source"):
        FlagSettings(same_site_one_source="yes").validate()
