"""One explicit pyarrow schema per output table.

Every column is documented in ``docs/schema.md``; ``tests/test_schema.py``
fails when a column exists here but not there.  Categorical columns are
dictionary-encoded, lists are real list columns, and each schema carries
``claimex.schema_version`` and ``claimex.table`` in its metadata.

Categorical columns with a closed vocabulary (:data:`CATEGORIES`) are
*ordered* dictionaries whose dictionary is always the whole vocabulary in the
order given here (written so by :mod:`claimex.store.tables`): the files of two
runs concatenate without re-encoding, and sort the same (severity
``low < medium < high``, certainty strongest first) in pandas, polars and Arrow.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "1.1"

_dict = pa.dictionary(pa.int32(), pa.string())
# A column of a closed vocabulary (see CATEGORIES): ordered, the dictionary is the vocabulary.
_cat = pa.dictionary(pa.int32(), pa.string(), ordered=True)
_str_list = pa.list_(pa.string())


def _schema(table: str, fields: list[pa.Field]) -> pa.Schema:
    return pa.schema(fields, metadata={
        b"claimex.schema_version": SCHEMA_VERSION.encode(),
        b"claimex.table": table.encode(),
    })


DOCUMENTS = _schema("documents", [
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("source", pa.string(), nullable=False),
    pa.field("sources", _str_list, nullable=False),
    pa.field("format", _cat, nullable=False),
    pa.field("title", pa.string()),
    pa.field("url", pa.string()),
    pa.field("n_chars", pa.int32(), nullable=False),
    pa.field("n_words", pa.int32(), nullable=False),
    pa.field("n_sentences", pa.int32(), nullable=False),
    pa.field("content_sha256", pa.string(), nullable=False),
    pa.field("input_path", pa.string()),
    pa.field("input_line", pa.int32()),
    pa.field("site", pa.string()),
    pa.field("text_repairs", _str_list),
    pa.field("text", pa.large_string(), nullable=False),
])

# a numeric citation/footnote marker of a sentence ("relief.2", "[4]"): document offsets and the marker
CITATION = pa.struct([
    pa.field("start", pa.int32()),
    pa.field("end", pa.int32()),
    pa.field("text", pa.string()),
])

SENTENCES = _schema("sentences", [
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("sent_id", pa.string(), nullable=False),
    pa.field("sent_index", pa.int32(), nullable=False),
    pa.field("start_char", pa.int32(), nullable=False),
    pa.field("end_char", pa.int32(), nullable=False),
    pa.field("text", pa.string(), nullable=False),
    pa.field("section", pa.string()),
    pa.field("section_kind", _cat, nullable=False),
    pa.field("paragraph", pa.int32(), nullable=False),
    pa.field("hedged", pa.bool_(), nullable=False),
    pa.field("hedge_cues", _str_list, nullable=False),
    pa.field("negated", pa.bool_(), nullable=False),
    pa.field("negation_cues", _str_list, nullable=False),
    pa.field("citations", pa.list_(CITATION)),
])

ENTITIES = _schema("entities", [
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("sent_id", pa.string(), nullable=False),
    pa.field("ent_id", pa.string(), nullable=False),
    pa.field("start_char", pa.int32(), nullable=False),
    pa.field("end_char", pa.int32(), nullable=False),
    pa.field("text", pa.string(), nullable=False),
    pa.field("label", _cat, nullable=False),
    pa.field("canonical", pa.string(), nullable=False),
    pa.field("group", pa.string()),
    pa.field("match", _cat, nullable=False),
    pa.field("dose_min", pa.float64()),
    pa.field("dose_max", pa.float64()),
    pa.field("dose_unit", _dict),
    pa.field("dose_period", pa.string()),
    # issue 16: intakes per period when counted ("twice daily" -> 2.0); "limit" for a maximum
    pa.field("dose_frequency", pa.float64()),
    pa.field("dose_role", pa.string()),
])

QUALIFIER = pa.struct([
    pa.field("kind", pa.string()),
    pa.field("text", pa.string()),
])

CLAIMS = _schema("claims", [
    pa.field("claim_id", pa.string(), nullable=False),
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("sent_id", pa.string(), nullable=False),
    pa.field("start_char", pa.int32(), nullable=False),
    pa.field("end_char", pa.int32(), nullable=False),
    pa.field("text", pa.string(), nullable=False),
    pa.field("subject", pa.string(), nullable=False),
    pa.field("predicate", _cat, nullable=False),
    pa.field("object", pa.string(), nullable=False),
    pa.field("subject_text", pa.string(), nullable=False),
    pa.field("object_text", pa.string(), nullable=False),
    pa.field("subject_ent_id", pa.string()),
    pa.field("object_ent_id", pa.string()),
    pa.field("polarity", _cat, nullable=False),
    pa.field("hedged", pa.bool_(), nullable=False),
    pa.field("hedge_cues", _str_list, nullable=False),
    pa.field("certainty", _cat, nullable=False),
    pa.field("strength", pa.int8()),
    pa.field("attribution", _cat, nullable=False),
    pa.field("evidence", _cat, nullable=False),
    pa.field("evidence_text", pa.string()),
    pa.field("evidence_start", pa.int32()),
    pa.field("evidence_end", pa.int32()),
    pa.field("qualifiers", pa.list_(QUALIFIER), nullable=False),
    pa.field("dose_min", pa.float64()),
    pa.field("dose_max", pa.float64()),
    pa.field("dose_unit", _dict),
    pa.field("dose_period", pa.string()),
    pa.field("claim_key", pa.string(), nullable=False),
])

FLAGS = _schema("flags", [
    pa.field("flag_id", pa.string(), nullable=False),
    pa.field("claim_id", pa.string(), nullable=False),
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("sent_id", pa.string(), nullable=False),
    pa.field("claim_key", pa.string(), nullable=False),
    pa.field("flag", _cat, nullable=False),
    pa.field("reason", pa.string(), nullable=False),
    pa.field("related_claim_ids", _str_list, nullable=False),
    pa.field("related_doc_ids", _str_list, nullable=False),
    pa.field("severity", _cat, nullable=False),
    pa.field("score", pa.float64(), nullable=False),
])

CLAIM_GROUPS = _schema("claim_groups", [
    pa.field("claim_key", pa.string(), nullable=False),
    pa.field("group_key", pa.string(), nullable=False),
    pa.field("subject", pa.string(), nullable=False),
    pa.field("predicate", _cat, nullable=False),
    pa.field("object", pa.string(), nullable=False),
    pa.field("n_claims", pa.int32(), nullable=False),
    pa.field("n_sources", pa.int32(), nullable=False),
    pa.field("n_independent_sources", pa.int32(), nullable=False),
    pa.field("n_affirming", pa.int32(), nullable=False),
    pa.field("n_negating", pa.int32(), nullable=False),
    pa.field("n_hedging", pa.int32(), nullable=False),
    pa.field("n_independent_affirming", pa.int32(), nullable=False),
    pa.field("n_independent_negating", pa.int32(), nullable=False),
    pa.field("doc_ids", _str_list, nullable=False),
    pa.field("flags", _str_list, nullable=False),
    pa.field("verdict", _cat, nullable=False),
])

# One row per document: its site and the source unit it counts for (claimex.flags.sources).
SOURCES = _schema("sources", [
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("source", pa.string(), nullable=False),
    pa.field("site", pa.string(), nullable=False),
    pa.field("source_unit", pa.string(), nullable=False),
    pa.field("unit_doc_ids", _str_list, nullable=False),
    pa.field("why", pa.string(), nullable=False),
    pa.field("shared_sentences", pa.int32(), nullable=False),
])

ERRORS = _schema("errors", [
    pa.field("source", pa.string(), nullable=False),
    pa.field("stage", _cat, nullable=False),
    pa.field("error", pa.string(), nullable=False),
])

TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "sentences": SENTENCES,
    "entities": ENTITIES,
    "claims": CLAIMS,
    "flags": FLAGS,
    "claim_groups": CLAIM_GROUPS,
    "sources": SOURCES,
    "errors": ERRORS,
}

# Closed vocabularies (documented in docs/schema.md).
SECTION_KINDS = ("title", "summary", "intro", "toc", "heading", "body", "conclusion", "boilerplate", "question",
                 "table_header", "table_row", "key_value", "run_on")
ENTITY_LABELS = ("SUBSTANCE", "ALKALOID", "CONDITION", "SIDE_EFFECT", "DOSE", "RECEPTOR", "EFFECT", "THERAPY",
                 "GENERIC")
ENTITY_MATCH = ("lexicon", "fuzzy", "abbreviation", "pattern")
PREDICATES = ("TREATS", "CAUSES", "CONTAINS", "ACTS_ON", "DOSAGE", "INTERACTS_WITH", "SAFER_THAN", "HAS_EFFECT",
              "REGULATED")
POLARITIES = ("affirmed", "negated")
CERTAINTY = ("asserted", "probable", "possible", "speculative")
ATTRIBUTIONS = ("author", "users", "proponents", "research", "experts", "regulators", "anecdote")
EVIDENCE = ("citation", "study-reference", "authority", "vague-appeal", "anecdote", "none")
FLAG_KINDS = ("hedged", "contradicted", "unsupported", "overstated")
SEVERITIES = ("low", "medium", "high")
VERDICTS = ("contradicted", "unsupported", "hedged", "supported")
INPUT_FORMATS = ("txt", "md", "html", "jsonl", "csv")
ERROR_STAGES = ("read", "decode", "parse", "extract", "nlp")
# documents.text_repairs: what ingest repaired in a text (claimex.ingest.repair, .textio).
TEXT_REPAIRS = ("bogus_bom", "bomless_utf16", "mojibake", "zero_width", "bidi_controls", "homoglyphs")

# The vocabulary of every ordered categorical column, per table (its dictionary, in this order).
# ``dose_unit`` is not here: units come from the dose patterns, which a user may extend.
CATEGORIES: dict[str, dict[str, tuple[str, ...]]] = {
    "documents": {"format": INPUT_FORMATS},
    "sentences": {"section_kind": SECTION_KINDS},
    "entities": {"label": ENTITY_LABELS, "match": ENTITY_MATCH},
    "claims": {"predicate": PREDICATES, "polarity": POLARITIES, "certainty": CERTAINTY,
               "attribution": ATTRIBUTIONS, "evidence": EVIDENCE},
    "flags": {"flag": FLAG_KINDS, "severity": SEVERITIES},
    "claim_groups": {"predicate": PREDICATES, "verdict": VERDICTS},
    "errors": {"stage": ERROR_STAGES},
}

# Orders and labels derived from the vocabularies above (one definition each).
CERTAINTY_RANK = {grade: rank for rank, grade in enumerate(CERTAINTY)}  # 0 = strongest
# claims.strength: the InSciOut/Yu et al. scale, strongest last.
STRENGTH_LABELS = {0: "no relationship", 1: "correlational", 2: "conditional causal", 3: "direct causal"}
VERDICT_RANK = {verdict: rank for rank, verdict in enumerate(VERDICTS)}  # report order

# The columns the corpus-level flags stage reads (claimex.flags uses no others);
# ``FLAG_REQUIRED`` are those a claims table handed to it must have.
FLAG_INPUTS = {
    "claims": ("claim_id", "doc_id", "sent_id", "text", "subject", "predicate", "object", "object_text",
               "object_ent_id", "polarity", "hedged", "hedge_cues", "certainty", "strength", "attribution",
               "evidence", "qualifiers", "dose_min", "dose_max", "dose_unit", "dose_period", "claim_key"),
    "documents": ("doc_id", "source", "url", "site", "content_sha256", "text"),
    "sentences": ("doc_id", "sent_id", "text"),
    "entities": ("ent_id", "label"),
}
FLAG_OPTIONAL = ("object_text", "object_ent_id", "strength")
FLAG_REQUIRED = tuple(c for c in FLAG_INPUTS["claims"] if c not in FLAG_OPTIONAL)
# The overstated rule's own minimum input (it also runs on bare row dicts): a subset of FLAG_REQUIRED.
OVERSTATED_REQUIRED = ("claim_id", "doc_id", "sent_id", "polarity", "certainty")

# A reviewer's decision on a flag (claimex.review; report.html exports them).
REVIEW_CHOICES = ("accept", "reject", "unsure")
VERDICTS_TABLE = _schema("verdicts", [
    pa.field("flag_id", pa.string(), nullable=False),
    pa.field("claim_id", pa.string(), nullable=False),
    pa.field("verdict", _dict, nullable=False),
    pa.field("note", pa.string()),
    pa.field("reviewer", pa.string()),
    pa.field("decided_at", pa.timestamp("s", tz="UTC"), nullable=False),
])
# Tables written by the reviewer's commands, not by a run (so not in TABLES, which the manifest hashes).
REVIEW_TABLES: dict[str, pa.Schema] = {"verdicts": VERDICTS_TABLE}
