"""Build the claimex spaCy pipeline from ``pipelines/config.cfg``.

The configuration sources the base model's components (tok2vec, tagger,
parser, attribute_ruler, lemmatizer) and adds the ``claimex_*`` components.
The base model's package name is a setting (see :mod:`claimex.settings`).
"""

from __future__ import annotations

import hashlib
import importlib.resources
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..rulebase import data_root
from ..settings import resolve_model

CONFIG_NAME = "config.cfg"

# Every packaged data file a run reads: in the claimex.pipelines package
# (pipelines/ in the source tree), and the report's assets and templates in claimex.
# Checked when the pipeline is loaded, so an install without them fails once,
# up front (E003), not once per document.  tests/test_packaging.py keeps this
# list equal to the files of pipelines/, src/claimex/report/assets/ and report/templates/.
PIPELINE_DATA_FILES = (
    CONFIG_NAME,
    "lexicons/claim_groups.jsonl",
    "lexicons/claim_rules.json",
    "lexicons/entities.jsonl",
    "lexicons/hedge_cues.jsonl",
    "lexicons/negation_cues.jsonl",
    "lexicons/strength_cues.jsonl",
    "patterns/dose.jsonl",
)
REPORT_ASSET_FILES = (
    "report/assets/report.css",
    "report/assets/report.js",
    "report/assets/review.js",
    "report/templates/cards.html.j2",
    "report/templates/documents.html.j2",
    "report/templates/filters.html.j2",
    "report/templates/matrix.html.j2",
    "report/templates/page.html.j2",
    "report/templates/summary.html.j2",
)
# Read only when present (claimex.nlp.lexicon merges the ontology terms if there are
# any): not an error when missing, but one that is there must be readable.
OPTIONAL_DATA_FILES = ("lexicons/ontology.jsonl",)


def pipeline_resources() -> importlib.resources.abc.Traversable:
    """The packaged data folder (:func:`claimex.rulebase.data_root`; a seam for tests)."""
    return data_root()


def check_data_files() -> None:
    """Raise ``E003`` naming every packaged data file that is missing or unreadable."""
    from ..errors import ClaimexError, Errors

    problems = []
    for root, names, optional in ((pipeline_resources(), PIPELINE_DATA_FILES, False),
                                  (pipeline_resources(), OPTIONAL_DATA_FILES, True),
                                  (importlib.resources.files("claimex"), REPORT_ASSET_FILES, False)):
        for name in names:
            entry = root.joinpath(*name.split("/"))
            try:
                entry.read_bytes()
            except (OSError, ValueError) as err:
                if optional and isinstance(err, FileNotFoundError):
                    continue
                reason = "missing" if isinstance(err, FileNotFoundError) else getattr(err, "strerror", None) or err
                problems.append(f"{entry} ({reason})")
    if problems:
        raise ClaimexError(Errors.E003.format(files=", ".join(problems)))


def default_config_text() -> str:
    return (pipeline_resources() / CONFIG_NAME).read_text(encoding="utf-8")


def config_hash(config_text: str | None = None) -> str:
    """sha256 over the pipeline config and every packaged lexicon/pattern file.

    Any edit to a lexicon changes the hash, so incremental runs and the
    manifest notice that the pipeline changed.  One digest over all the files
    (each prefixed by its name), not a digest per file: it is recorded in
    every manifest, so its definition must not change.
    """
    h = hashlib.sha256()
    h.update((config_text if config_text is not None else default_config_text()).encode("utf-8"))
    root = pipeline_resources()
    for folder in ("lexicons", "patterns"):
        sub = root / folder
        if not sub.is_dir():
            continue
        for entry in sorted(sub.iterdir(), key=lambda p: p.name):
            if entry.is_file() and entry.name.endswith((".jsonl", ".tsv", ".json")):
                h.update(f"\0{folder}/{entry.name}\0".encode())
                h.update(entry.read_bytes())
    return h.hexdigest()


@dataclass(frozen=True)
class PipelineInfo:
    model: str
    model_version: str
    spacy_version: str
    config_hash: str


def _register_components() -> None:
    # Importing the modules registers the factories (the entry points do the
    # same for `spacy.load` of a saved pipeline).
    from .components import (attribute_lookup, claim_extractor, cue_detector, entity_tagger,  # noqa: F401
                              lemma_lookup, segmenter, tokenizer)


# The files of a user's lexicon folder the pipeline reads (claimex.toml ``[lexicons] dir``).
USER_LEXICON_FILES = ("entities.jsonl",)


def user_lexicon_files(lexicon_dir: str | Path | None) -> dict[str, Path]:
    """The overlay files present in ``lexicon_dir`` (name -> path); empty without a folder."""
    if lexicon_dir is None:
        return {}
    return {name: Path(lexicon_dir) / name for name in USER_LEXICON_FILES if (Path(lexicon_dir) / name).is_file()}


def pipeline_info(model: str | None = None, *, config_path: str | Path | None = None,
                  lexicon_dir: str | Path | None = None) -> PipelineInfo:
    """What identifies the pipeline's output (recorded in the manifest, checked by
    incremental runs), found without importing spaCy or loading the model.
    A user's lexicon files (``lexicon_dir``) are part of the config hash, so a run
    with another overlay never reuses rows.  Raises ``E003`` when a packaged data
    file is missing or unreadable."""
    check_data_files()
    return _info(resolve_model(model), _config_text(config_path), user_lexicon_files(lexicon_dir))


def _config_text(config_path: str | Path | None) -> str:
    return Path(config_path).read_text(encoding="utf-8") if config_path else default_config_text()


def _info(model_name: str, config_text: str, overlays: dict[str, Path] | None = None) -> PipelineInfo:
    import importlib.metadata

    digest = config_hash(config_text)
    if overlays:  # without an overlay the hash keeps its definition (it is in every manifest)
        h = hashlib.sha256(digest.encode())
        for name, path in sorted(overlays.items()):
            h.update(f"\0user/{name}\0".encode())
            h.update(path.read_bytes())
        digest = h.hexdigest()
    return PipelineInfo(
        model=model_name,
        model_version=str(_base_meta(model_name).get("version", "unknown")),
        spacy_version=importlib.metadata.version("spacy"),
        config_hash=digest,
    )


def load_pipeline(model: str | None = None, *, config_path: str | Path | None = None,
                  lexicon_dir: str | Path | None = None):
    """Return ``(nlp, PipelineInfo)`` for the claimex pipeline on the chosen base model,
    with a user's lexicon folder (``lexicon_dir``: its ``entities.jsonl``) added to the
    packaged lexicon."""
    from spacy.util import load_config_from_str, load_model_from_config

    check_data_files()
    text = _config_text(config_path)
    overlays = user_lexicon_files(lexicon_dir)
    info = _info(resolve_model(model), text, overlays)
    _register_components()
    overrides = {"paths.base_model": info.model}
    if "entities.jsonl" in overlays:
        overrides["components.claimex_entities.user_lexicon_path"] = str(overlays["entities.jsonl"])
    config = load_config_from_str(text, overrides=overrides, interpolate=False)
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    nlp.meta["name"] = "claimex"
    nlp.meta["claimex_base_model"] = f"{info.model}=={_base_meta(info.model).get('version', '?')}"
    return nlp, info


@lru_cache(maxsize=None)
def _base_meta(model_name: str) -> dict:
    """The base model package's meta.json (what ``spacy.info`` reads), without importing it."""
    import importlib.util
    import json

    spec = importlib.util.find_spec(model_name)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        meta = Path(folder) / "meta.json"
        if meta.is_file():
            return dict(json.loads(meta.read_text(encoding="utf-8")))
    import spacy

    return dict(spacy.info(model_name) or {})
