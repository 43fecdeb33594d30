"""``claimex_lemmatizer``: the base model's rule lemmatizer, one lookup per distinct word form.

spaCy's English lemmatizer is right but slow per token: a Python call, a cache
lookup and a string assignment for every token.  This subclass keeps its rules,
tables, cache key (word, POS, morphology) and serialisation, and changes only
how a Doc is walked: the three columns are read as one array, each distinct
(word, POS, morphology) is lemmatised once per run by spaCy's own
``rule_lemmatize`` (with its word index searched as a set, not a list), and the
lemmas are written back in one ``Doc.from_array``.
Lemmas set earlier (the attribute ruler's "gonna" -> "go") are kept, as with
``overwrite = false``.  The lookup tables are the base model's (``lookups_from``,
set in ``pipelines/config.cfg``); a model without them fails at load with ``E120``.
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.tokens import Doc

from ..base_model import model_data_path


@Language.factory(
    "claimex_lemmatizer",
    default_config={"lookups_from": "", "overwrite": False},
    assigns=["token.lemma"],
    requires=["token.pos", "token.morph"],
)
def make_lemma_lookup(nlp: Language, name: str, *, lookups_from: str, overwrite: bool) -> "LemmaLookup":
    lemmatizer = LemmaLookup(nlp.vocab, None, name, mode="rule", overwrite=overwrite)
    if lookups_from:
        lemmatizer.from_disk(model_data_path(lookups_from, "lemmatizer"), exclude=["vocab"])
    return lemmatizer


class LemmaLookup(EnglishLemmatizer):
    """spaCy's English rule lemmatizer, run once per distinct (word, POS, morphology)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._lemma_of: dict[tuple[int, int, int], int] = {}
        self._searchable: tuple[Any, Lookups] | None = None

    def _searchable_lookups(self) -> Lookups:
        """The lookup tables with each part of speech's ``lemma_index`` as a set: spaCy keeps
        it as a list and tests ``form in index`` for every rule (0.5 ms per new word form).
        Used while lemmatising; ``self.lookups`` (saved by ``to_disk``) is unchanged."""
        if self._searchable is None or self._searchable[0] is not self.lookups:
            searchable = Lookups()
            for name in self.lookups.tables:
                table = self.lookups.get_table(name)
                if name == "lemma_index":
                    table = {pos: frozenset(words) for pos, words in table.items()}
                searchable.add_table(name, dict(table))
            self._searchable = (self.lookups, searchable)
        return self._searchable[1]

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables()
        if not len(doc):
            return doc
        saved = self.lookups
        self.lookups = self._searchable_lookups()
        try:
            return self._lemmatize_doc(doc)
        finally:
            self.lookups = saved

    def _lemmatize_doc(self, doc: Doc) -> Doc:
        array = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemma_of = self._lemma_of
        strings = doc.vocab.strings
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(array.tolist()):
            if lemma and not self.overwrite:
                continue
            key = (orth, pos, morph)
            value = lemma_of.get(key)
            if value is None:
                value = lemma_of[key] = strings.add(self.lemmatize(doc[i])[0])
            if value != lemma:
                array[i, 3] = value
                changed = True
        if changed:
            doc.from_array([LEMMA], array[:, 3:4])
        return doc
