"""Hedge and negation cues, with their scope decided on the dependency parse.

The algorithms are plain functions; :mod:`claimex.nlp.components.cue_detector`
is a thin spaCy component around them.

* :mod:`.lexicon` - the cue files (``hedge_cues.jsonl``, ``negation_cues.jsonl``):
  their fields, :class:`CueEntry`, :class:`CueLexicon` and its ``Matcher``.
* :mod:`.scope` - the scope of one cue on the parse (:func:`cue_scope`,
  :func:`negation_scope`, :func:`hedge_scope`).
* :mod:`.detect` - :func:`find_cues`: the lexicon matches of a Doc, longest
  first, each a :class:`Cue` with its scope.
* :mod:`.queries` - what the claims and sentence rows ask of the cues:
  :func:`is_negated`, :func:`hedges_for`, :func:`certainty_for`, ...
"""

from .detect import Cue, check_doc, find_cues
from .lexicon import CUE_KINDS, CueEntry, CueLexicon, default_lexicon
from .queries import (
    certainty_for,
    cue_strings,
    cues_for,
    cues_in,
    hedges_for,
    is_negated,
    negations_for,
    sentence_certainty,
    weakest_certainty,
)
from .scope import cue_scope, hedge_scope, negation_scope

__all__ = [
    "CUE_KINDS", "Cue", "CueEntry", "CueLexicon", "certainty_for", "check_doc", "cue_scope",
    "cue_strings", "cues_for", "cues_in", "default_lexicon", "find_cues", "hedge_scope",
    "hedges_for", "is_negated", "negation_scope", "negations_for",
    "sentence_certainty", "weakest_certainty",
]
