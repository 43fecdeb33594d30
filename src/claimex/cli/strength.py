"""``claimex strength``: train the learned strength model, or grade sentences with the rules (and a model).

A typer sub-app (registered by :mod:`claimex.cli` as ``claimex strength``; also
``python -m claimex.cli.strength``).  The work is done by
:mod:`claimex.evaluate.strength_model`, imported only when a command runs, so
that ``--help`` loads neither spaCy nor scikit-learn.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .common import new_app, user_errors

__all__ = ["app"]

app = new_app("strength", "Claim strength (0-3): train the learned model, or grade sentences.")


class Coding(str, Enum):
    ordinal = "ordinal"
    yu2019 = "yu2019"


class Negation(str, Enum):
    keep = "keep"
    zero = "zero"


class ClassWeight(str, Enum):
    balanced = "balanced"


@app.command()
def train(
    data: Path = typer.Option(..., "--data", help="CSV with columns sentence,label."),
    out: Path = typer.Option(..., "--out", help="Where to write the model (JSON)."),
    coding: Coding = typer.Option(Coding.ordinal, "--coding", help="Label coding of the file: 'ordinal' (annotated_pubmed.csv) or 'yu2019' (pubmed_causal_language_use.csv, labels 1 and 3 swapped)."),
    C: float = typer.Option(4.0, "--C", help="Inverse L2 regularisation strength."),
    class_weight: Optional[ClassWeight] = typer.Option(None, "--class-weight", help="'balanced' to weight the classes by their inverse frequency."),
    negation: Negation = typer.Option(Negation.keep, "--negation", help="How the rule features grade negated relations (the Yu data: keep)."),
    provenance: str = typer.Option("", "--provenance", help="Where the data comes from and its license (stored in the model)."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy base model (default: claimex.settings)."),
) -> None:
    """Train the logistic-regression strength model on a labelled CSV."""
    from ..evaluate.strength_model import train_from_csv

    with user_errors():
        trained = train_from_csv(data, out, coding=coding.value, C=C,
                                 class_weight=class_weight.value if class_weight else None,
                                 negation=negation.value, provenance=provenance, model=model)
    typer.echo(f"trained on {trained.meta['n_rows']} sentences ({trained.meta['n_features']} features) -> {out}")


@app.command()
def predict(
    text: List[str] = typer.Argument(..., help="Sentences to grade."),
    strength_model: Optional[Path] = typer.Option(None, "--strength-model", help="A model written by 'train'."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy base model (default: claimex.settings)."),
) -> None:
    """Grade sentences with the rules (and a trained model): one JSON object a line."""
    from ..evaluate.strength_model import predict_rows

    with user_errors():
        for row in predict_rows(text, strength_model=strength_model, model=model):
            typer.echo(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    app()
