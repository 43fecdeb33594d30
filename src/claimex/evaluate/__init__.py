"""Scoring a processed folder against a hand-annotated gold set (``claimex evaluate``).

The modules, in order of use:

* :mod:`.gold` reads and validates a gold file (:func:`load_gold`; errors name
  the file and the line: ``E080``–``E087``); the format is in
  ``docs/gold-format.md``;
* :mod:`.predictions` reads the ``documents``, ``entities``, ``claims`` and
  ``flags`` tables of a processed folder (:func:`load_predictions`, pyarrow only);
* :mod:`.match` pairs gold and predicted items one to one and computes P/R/F1;
* :mod:`.score` compares the two sides and returns a plain, JSON-ready dict
  (:func:`score_predictions`; :func:`score` also reads the folder); its
  docstring states the matching rules;
* :mod:`.summary` renders the dict as Markdown (:func:`format_report`) and
  writes it as JSON (:func:`write_json`);
* :func:`evaluate` here glues them together for the command line.

The learned strength model (:mod:`.strength_model`) lives here too, apart from
the gold scoring.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .gold import (
    GoldClaim,
    GoldDoc,
    GoldEntity,
    GoldError,
    GoldFlag,
    check_spans,
    load_gold,
    parse_gold_record,
)
from .match import prf
from .predictions import Predictions, load_predictions
from .score import lexicon_names, score, score_predictions
from .summary import format_report, write_json

__all__ = [
    "GoldClaim",
    "GoldDoc",
    "GoldEntity",
    "GoldError",
    "GoldFlag",
    "Predictions",
    "check_spans",
    "evaluate",
    "format_report",
    "lexicon_names",
    "load_gold",
    "load_predictions",
    "parse_gold_record",
    "prf",
    "score",
    "score_predictions",
    "write_json",
]


def evaluate(gold_path: str | Path, pred_dir: str | Path, *, json_path: str | Path | None = None,
             details: bool = False, same_concept: bool = True) -> tuple[dict[str, Any], str]:
    """Load the gold file, score ``pred_dir``, optionally write JSON; return ``(scores, markdown)``.

    ``same_concept`` (the default) compares canonical names through the
    packaged lexicon (:func:`lexicon_names`); False compares them as written.
    """
    scores = score(load_gold(gold_path), pred_dir, details=details,
                   names=lexicon_names() if same_concept else None)
    scores["canonical_names"] = "same concept (through the lexicon)" if same_concept else "as written"
    if json_path is not None:
        write_json(scores, json_path)
    return scores, format_report(scores)
