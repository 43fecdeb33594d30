"""A thin, spaCy-like wrapper around the flags stage: settings and lexicon saved and loaded together.

Saving is hand-written rather than ``spacy.util.to_disk``: two files do not
need it, and the flags stage does not import spaCy.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from ..errors import ClaimexError, Errors
from ..rulebase import parse_json, read_data_file, rule_error
from ..store.atomic import write_json_atomic
from .lexicon import LEXICON_FILE, ClaimGroupLexicon
from .settings import FlagSettings
from .stage import flag_claims

__all__ = ["ClaimFlagger"]


class ClaimFlagger:
    """A thin, spaCy-like wrapper around :func:`flag_claims`.

    Settings are keyword-only; the lexicon is loaded in :meth:`initialize`
    (the packaged one by default) and saved with the settings by
    :meth:`to_disk`, so a saved flagger runs the same way anywhere.
    """

    name = "claimex_flags"
    SETTINGS_FILE = "settings.json"

    def __init__(self, *, settings: FlagSettings | None = None):
        self.settings = settings or FlagSettings()
        self.settings.validate()
        self.lexicon: ClaimGroupLexicon | None = None

    def initialize(self, lexicon: ClaimGroupLexicon | None = None) -> ClaimFlagger:
        self.lexicon = lexicon or ClaimGroupLexicon.load(self.settings.lexicon_path)
        return self

    def __call__(self, claims: pa.Table, documents: pa.Table, sentences: pa.Table | None = None, *,
                 entities: pa.Table | None = None) -> tuple[pa.Table, pa.Table]:
        if self.lexicon is None:
            raise ClaimexError(Errors.E040.format(name=self.name))
        return flag_claims(claims, documents, sentences, entities=entities, settings=self.settings,
                           lexicon=self.lexicon)

    def to_disk(self, path: str | Path) -> None:
        """``settings.json`` and ``claim_groups.jsonl`` in the folder ``path`` (both written atomically)."""
        if self.lexicon is None:
            raise ClaimexError(Errors.E040.format(name=self.name))
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        write_json_atomic(path / self.SETTINGS_FILE, dict(self.settings.to_dict(), lexicon_path=None))
        self.lexicon.to_file(path / LEXICON_FILE)

    def from_disk(self, path: str | Path) -> ClaimFlagger:
        source = Path(path) / self.SETTINGS_FILE
        error = lambda line, reason: rule_error("E019", source, line, reason)  # noqa: E731
        self.settings = FlagSettings.from_dict(parse_json(read_data_file(source, error), error))
        self.settings.validate()
        self.lexicon = ClaimGroupLexicon.from_file(Path(path) / LEXICON_FILE)
        return self
