"""``claimex_attribute_ruler``: spaCy's ``attribute_ruler`` with its rules looked up, not matched.

The base model's ruler (tag -> POS and morphology, a few word exceptions) was
the third-largest CPU cost of a run.  This component is the same ruler (a
subclass: same patterns, serialisation and scorer), with :meth:`match` and
:meth:`set_annotations` done by :mod:`claimex.nlp.attribute_rules`: one-token
rules with exact values by dictionary lookup, the rest by a small ``Matcher``,
and every token's attributes merged once and set once.

Its rules are the base model's own: the factory reads the model's
``attribute_ruler/patterns`` file (``patterns_from``, set to the base model in
``pipelines/config.cfg``); a saved claimex pipeline reloads them from its own
folder (``from_disk``).  A model without the file fails at load with ``E120``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from ..base_model import model_data_path
from ..attribute_rules import CompiledRules, apply_rules, build_matcher, compile_rules, rule_targets


@Language.factory(
    "claimex_attribute_ruler",
    default_config={"patterns_from": "", "validate": False},
    assigns=["token.pos", "token.morph", "token.lemma", "token.tag"],
)
def make_attribute_lookup(nlp: Language, name: str, *, patterns_from: str, validate: bool) -> "AttributeLookup":
    ruler = AttributeLookup(nlp.vocab, name, validate=validate)
    if patterns_from:
        ruler.add_patterns(srsly.read_msgpack(model_patterns_path(patterns_from)))
    return ruler


def model_patterns_path(model: str) -> Path:
    """The ``attribute_ruler/patterns`` file of an installed model package (or a model folder)."""
    return model_data_path(model, "attribute_ruler", "patterns")


class AttributeLookup(AttributeRuler):
    """An ``AttributeRuler`` whose rules are applied by lookup (:mod:`claimex.nlp.attribute_rules`)."""

    def __init__(self, vocab, name: str = "attribute_ruler", *, validate: bool = False, **kwargs: Any) -> None:
        super().__init__(vocab, name, validate=validate, **kwargs)
        self._compiled: tuple[int, CompiledRules, Any] | None = None
        self._merged: dict = {}

    def _rules(self) -> tuple[CompiledRules, Any]:
        # rebuilt when rules were added, cleared or loaded since the last call
        if self._compiled is None or self._compiled[0] != len(self.attrs):
            compiled = compile_rules(self.vocab, [(self.matcher.get(str(i))[1], self.indices[i]) for i in range(len(self.attrs))])
            self._compiled = (len(self.attrs), compiled, build_matcher(self.vocab, compiled))
            self._merged = {}
        return self._compiled[1], self._compiled[2]

    def clear(self) -> None:
        super().clear()
        self._compiled = None
        self._merged = {}

    # a saved pipeline's rules replace the ones the factory read from the base model
    # (spaCy's ruler adds them to what it holds)
    def from_disk(self, path, exclude=()):  # type: ignore[override]
        self.clear()
        return super().from_disk(path, exclude=exclude)

    def from_bytes(self, bytes_data, exclude=()):  # type: ignore[override]
        self.clear()
        return super().from_bytes(bytes_data, exclude=exclude)

    def match(self, doc: Doc):
        """``(rule_id, token)`` pairs in the order the rules apply (not spaCy's match tuples)."""
        compiled, matcher = self._rules()
        return rule_targets(doc, compiled, matcher)

    def set_annotations(self, doc: Doc, matches) -> None:
        apply_rules(doc, matches, self.attrs, self._merged)
