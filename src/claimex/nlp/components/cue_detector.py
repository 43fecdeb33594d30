"""``claimex_cues``: hedge and negation cues with parse-based scopes.

A thin spaCy component around :mod:`claimex.nlp.cues`.  It needs a parsed, tagged
and lemmatized Doc (put it after ``parser``, ``attribute_ruler`` and
``lemmatizer``) and sets::

    doc._.claimex_cues = [
        {"start": 118, "end": 121, "kind": "hedge", "cue": "may", "certainty": "possible",
         "scope_start": 115, "scope_end": 290},
        {"start": 236, "end": 243, "kind": "negation", "cue": "without", "certainty": None,
         "scope_start": 244, "scope_end": 287},
        ...
    ]

sorted by ``(start, end, kind, cue)``, all offsets character offsets into
``doc.text`` (plain data: msgpack-safe).  The lexicons (see
:mod:`claimex.nlp.cues.lexicon` for the JSONL fields) are loaded in :meth:`CueDetector.initialize`,
or lazily from the packaged defaults on first use, and are saved with the
pipeline by ``to_disk`` (``cfg.json``, ``hedge_cues.jsonl``, ``negation_cues.jsonl``)::

    nlp = spacy.load(claimex.settings.resolve_model(), exclude=["ner"])
    nlp.add_pipe("claimex_cues")                        # packaged lexicons
    nlp.add_pipe("claimex_cues", config={"weak_hedges": True})  # with the weak hedge 'can'

``weak_hedges`` is off by default: 'can' mostly states ability ("kratom can
interact with other medications" is asserted, docs/gold-format.md), and every
measure we have agrees.  Off against on: hedge agreement of the claims 0.959 vs
0.919 on the dev gold and 0.950 vs 0.725 on the held-out claims gold; BioScope
sentence-uncertainty F1 0.888 vs 0.848, speculation cues 0.856 vs 0.814; Yu
conditional-causal F1 0.568 vs 0.538 (docs/evaluation.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import srsly
from spacy import util
from spacy.language import Language
from spacy.tokens import Doc

from ...errors import ClaimexError, Errors
from ..cues import CueLexicon, find_cues

EXTENSION = "claimex_cues"
HEDGE_FILE = "hedge_cues.jsonl"
NEGATION_FILE = "negation_cues.jsonl"
CFG_FILE = "cfg.json"

if not Doc.has_extension(EXTENSION):
    Doc.set_extension(EXTENSION, default=None)


@Language.factory(
    "claimex_cues",
    default_config={"weak_hedges": False},
    requires=["token.dep", "token.pos", "token.lemma"],
    assigns=[f"doc._.{EXTENSION}"],
)
def make_cue_detector(nlp: Language, name: str, *, weak_hedges: bool) -> CueDetector:
    return CueDetector(nlp, name, weak_hedges=weak_hedges)


class CueDetector:
    """Find hedge and negation cues and their scopes; see the module docstring."""

    def __init__(self, nlp: Language, name: str = "claimex_cues", *, weak_hedges: bool = False):
        self.nlp = nlp
        self.name = name
        self.weak_hedges = bool(weak_hedges)
        self.hedge_lexicon: CueLexicon | None = None
        self.negation_lexicon: CueLexicon | None = None
        self._lexicon: CueLexicon | None = None

    # ------------------------------------------------------------------ data
    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        hedge_cues: str | Path | list[dict] | CueLexicon | None = None,
        negation_cues: str | Path | list[dict] | CueLexicon | None = None,
    ) -> None:
        """Load the lexicons: a JSONL path, a list of cue dicts, a CueLexicon, or None
        for the packaged default."""
        self.set_lexicons(self._load(hedge_cues, "hedge"), self._load(negation_cues, "negation"))

    def _load(self, value: Any, which: str) -> CueLexicon:
        if value is None:
            return CueLexicon.default(which)
        if isinstance(value, CueLexicon):
            lexicon = value
        elif isinstance(value, (str, Path)):
            lexicon = CueLexicon.from_file(value)
        elif isinstance(value, list):
            lexicon = CueLexicon.from_records(value, source=f"<{which} cues>")
        else:
            raise ClaimexError(Errors.E057.format(value=type(value).__name__, which=which, name=self.name))
        if not len(lexicon):
            raise ClaimexError(Errors.E058.format(path=value if isinstance(value, (str, Path)) else f"<{which} cues>"))
        return lexicon

    def set_lexicons(self, hedge: CueLexicon, negation: CueLexicon) -> None:
        self.hedge_lexicon = hedge
        self.negation_lexicon = negation
        self._lexicon = None

    def _read_lexicon(self, value: Any, which: str) -> None:
        setattr(self, f"{which}_lexicon", self._load(value, which))
        self._lexicon = None

    @property
    def lexicon(self) -> CueLexicon:
        """The hedge + negation lexicon in use (a packaged one for a part not loaded)."""
        if self._lexicon is None:
            if self.hedge_lexicon is None:
                self.hedge_lexicon = CueLexicon.default("hedge")
            if self.negation_lexicon is None:
                self.negation_lexicon = CueLexicon.default("negation")
            self._lexicon = self.hedge_lexicon + self.negation_lexicon
        return self._lexicon

    # ------------------------------------------------------------------ processing
    def __call__(self, doc: Doc) -> Doc:
        cues = find_cues(doc, self.lexicon, weak_hedges=self.weak_hedges)
        doc._.set(EXTENSION, [c.to_dict() for c in cues])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)

    # ------------------------------------------------------------------ serialization
    def _cfg(self) -> dict:
        return {"weak_hedges": self.weak_hedges}

    def _set_cfg(self, cfg: dict) -> None:
        self.weak_hedges = bool(cfg.get("weak_hedges", self.weak_hedges))

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        self.lexicon  # noqa: B018 - make sure both lexicons are loaded
        util.to_disk(path, {
            CFG_FILE: lambda p: srsly.write_json(p, self._cfg()),
            HEDGE_FILE: lambda p: self.hedge_lexicon.to_file(p),
            NEGATION_FILE: lambda p: self.negation_lexicon.to_file(p),
        }, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> CueDetector:
        util.from_disk(path, {
            CFG_FILE: lambda p: self._set_cfg(srsly.read_json(p)) if p.exists() else None,
            HEDGE_FILE: lambda p: self._read_lexicon(p, "hedge"),
            NEGATION_FILE: lambda p: self._read_lexicon(p, "negation"),
        }, exclude)
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        self.lexicon  # noqa: B018
        return util.to_bytes({
            "cfg": self._cfg,
            "hedge": lambda: self.hedge_lexicon.to_records(),
            "negation": lambda: self.negation_lexicon.to_records(),
        }, exclude)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> CueDetector:
        util.from_bytes(data, {
            "cfg": self._set_cfg,
            "hedge": lambda records: self._read_lexicon(records, "hedge"),
            "negation": lambda records: self._read_lexicon(records, "negation"),
        }, exclude)
        return self
