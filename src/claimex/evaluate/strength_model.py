"""The learned strength model: a logistic regression over the rule reading of a sentence.

:class:`StrengthModel` is a multinomial logistic regression over binary
features (:func:`strength_features`: the rule analysis of
:mod:`claimex.nlp.strength` - rule grade, relation cues with their
hedged/negated/blocked state - plus lower-cased word uni- and bigrams, each row
L2-normalised).  It is trained with scikit-learn (:func:`train_model`,
``claimex strength train --data FILE.csv --out MODEL.json``) and stored as
plain JSON (vocabulary, weights, intercepts and the provenance of the training
data), so prediction needs neither scikit-learn nor pickle and costs one
dictionary lookup per feature.

:func:`load_labelled_csv` reads the labelled sentence files (the label
codings are :data:`CODINGS`); :func:`train_from_csv` and
:func:`predict_rows` are what the ``claimex strength`` commands
(:mod:`claimex.cli.strength`) run.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ClaimexError, Errors
from ..nlp.strength import NEGATION_MODES, StrengthAnalysis, StrengthLexicon, analyse_strength
from ..store.atomic import file_sha256, write_text_atomic

__all__ = [
    "CODINGS",
    "StrengthModel",
    "load_labelled_csv",
    "predict_rows",
    "strength_features",
    "strength_nlp",
    "train_from_csv",
    "train_model",
]

MODEL_FORMAT = "claimex-strength-logreg"
MODEL_VERSION = 1

#: Label codings of the training files: ``ordinal`` (Yu et al. 2020 ``annotated_*.csv``,
#: InSciOut) is the scale of :mod:`claimex.nlp.strength`; ``yu2019``
#: (``pubmed_causal_language_use.csv``) codes 0 none, 1 direct causal, 2 conditional
#: causal, 3 correlational.
CODINGS: dict[str, dict[int, int]] = {
    "ordinal": {0: 0, 1: 1, 2: 2, 3: 3},
    "yu2019": {0: 0, 1: 3, 2: 2, 3: 1},
}

_DIGITS = re.compile(r"\d")


def _word(text: str) -> str:
    return _DIGITS.sub("0", text.lower())


def strength_features(target, analysis: StrengthAnalysis | None = None) -> list[str]:
    """Binary features of ``target``: the rule reading and word uni-/bigrams (sorted, unique)."""
    if analysis is None:
        analysis = analyse_strength(target)
    feats = {f"rule={analysis.grade}"}
    for k, r in enumerate(analysis.relations):
        state = "blocked" if r.blocked_by else ("neg" if r.negated else ("hedged" if r.hedged else "plain"))
        feats.add(f"rel={r.relation}|{state}")
        feats.add(f"cue={r.cue}|{state}")
        if k == analysis.main:
            feats.add(f"main={r.relation}|{state}")
            feats.add(f"maincue={r.cue}")
    if analysis.main is None:
        feats.add("main=none")
    for h in analysis.hedges:
        feats.add(f"hedge={h}")
    for n in analysis.nonclaims:
        feats.add(f"nonclaim={n}")
    words = [_word(t.text) for t in target if not t.is_space]
    for i, w in enumerate(words):
        feats.add(f"w={w}")
        if i + 1 < len(words):
            feats.add(f"b={w} {words[i + 1]}")
    return sorted(feats)


@dataclass
class StrengthModel:
    """Multinomial logistic regression over :func:`strength_features` (plain-data weights)."""

    classes: list[int]
    weights: dict[str, list[float]]
    intercept: list[float]
    negation: str = "keep"
    meta: dict[str, Any] = field(default_factory=dict)

    def proba_features(self, feats: Iterable[str]) -> list[float]:
        known = [self.weights[f] for f in set(feats) if f in self.weights]
        norm = 1.0 / math.sqrt(len(known)) if known else 0.0
        scores = list(self.intercept)
        for w in known:
            for k, v in enumerate(w):
                scores[k] += v * norm
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return [e / total for e in exp]

    def predict_features(self, feats: Iterable[str]) -> int:
        p = self.proba_features(feats)
        return self.classes[max(range(len(p)), key=lambda k: (p[k], -k))]

    def predict_analysis(self, target, analysis: StrengthAnalysis) -> int:
        """The grade of ``target`` whose rule reading is ``analysis``."""
        return self.predict_features(strength_features(target, analysis))

    def predict_proba(self, target, lexicon: StrengthLexicon | None = None) -> list[float]:
        return self.proba_features(strength_features(target, analyse_strength(target, lexicon,
                                                                               negation=self.negation)))

    def predict(self, target, lexicon: StrengthLexicon | None = None) -> int:
        return self.predict_features(strength_features(target, analyse_strength(target, lexicon,
                                                                                 negation=self.negation)))

    def to_dict(self) -> dict[str, Any]:
        return {"format": MODEL_FORMAT, "version": MODEL_VERSION, "classes": list(self.classes),
                "negation": self.negation, "intercept": [round(x, 6) for x in self.intercept],
                "weights": {f: [round(x, 6) for x in self.weights[f]] for f in sorted(self.weights)},
                "meta": self.meta}

    @classmethod
    def from_dict(cls, data: Any, *, path: str = "<dict>") -> StrengthModel:
        def bad(reason: str) -> ClaimexError:
            return ClaimexError(Errors.E044.format(path=path, reason=f"not a claimex strength model: {reason}"))

        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
            raise bad(f"'format' is not {MODEL_FORMAT!r}")
        if data.get("version") != MODEL_VERSION:
            raise bad(f"version {data.get('version')!r}, expected {MODEL_VERSION}")
        classes, intercept, weights = data.get("classes"), data.get("intercept"), data.get("weights")
        if not isinstance(classes, list) or not classes or not isinstance(intercept, list) \
                or len(intercept) != len(classes) or not isinstance(weights, dict):
            raise bad("'classes', 'intercept' and 'weights' are missing or do not agree")
        for f, w in weights.items():
            if not isinstance(w, list) or len(w) != len(classes):
                raise bad(f"feature {f!r} has {len(w) if isinstance(w, list) else 'no'} weights, "
                          f"expected {len(classes)}")
        negation = data.get("negation", "keep")
        if negation not in NEGATION_MODES:
            raise bad(f"'negation' is {negation!r}")
        return cls([int(c) for c in classes], {f: [float(x) for x in w] for f, w in weights.items()},
                    [float(x) for x in intercept], negation, dict(data.get("meta") or {}))

    def to_disk(self, path: str | Path) -> None:
        write_text_atomic(path, json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False) + "\n")

    @classmethod
    def from_disk(cls, path: str | Path) -> StrengthModel:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ClaimexError(Errors.E044.format(path=path, reason=err)) from None
        return cls.from_dict(data, path=str(path))


def train_model(features: Sequence[Sequence[str]], labels: Sequence[int], *, C: float = 4.0,
                class_weight: str | None = None, min_count: int = 2, negation: str = "keep",
                meta: dict[str, Any] | None = None) -> StrengthModel:
    """Fit a :class:`StrengthModel` on feature lists and integer labels (needs scikit-learn).

    Features seen in fewer than ``min_count`` training rows are dropped.  The
    fit is deterministic (lbfgs, no shuffling).
    """
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    if len(features) != len(labels):
        raise ValueError(f"{len(features)} feature rows but {len(labels)} labels")
    counts = Counter(f for row in features for f in set(row))
    vocab = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i for i, f in enumerate(vocab)}
    rows, cols, vals = [], [], []
    for r, row in enumerate(features):
        idx = sorted({index[f] for f in row if f in index})
        for c in idx:
            rows.append(r)
            cols.append(c)
            vals.append(1.0 / math.sqrt(len(idx)))
    X = csr_matrix((vals, (rows, cols)), shape=(len(features), len(vocab)))
    y = np.asarray(labels)
    clf = LogisticRegression(C=C, class_weight=class_weight, max_iter=3000, solver="lbfgs")
    clf.fit(X, y)
    classes = [int(c) for c in clf.classes_]
    coef = clf.coef_
    if len(classes) == 2:  # binary: sklearn keeps one row; expand to two (scores -z/2, z/2)
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = [-float(clf.intercept_[0]) / 2, float(clf.intercept_[0]) / 2]
    else:
        intercept = [float(x) for x in clf.intercept_]
    weights = {f: [float(coef[k][i]) for k in range(len(classes))] for f, i in index.items()}
    info = {"C": C, "class_weight": class_weight, "min_count": min_count, "n_rows": len(labels),
            "n_features": len(vocab), "label_counts": {str(k): v for k, v in sorted(Counter(labels).items())}}
    info.update(meta or {})
    return StrengthModel(classes, weights, intercept, negation, info)


def load_labelled_csv(path: str | Path, coding: str = "ordinal") -> list[tuple[str, int]]:
    """``(sentence, grade)`` rows of a CSV with ``sentence`` and ``label`` columns, recoded to the
    ordinal scale (``coding``: see :data:`CODINGS`)."""
    if coding not in CODINGS:
        raise ValueError(f"coding must be one of {sorted(CODINGS)}, not {coding!r}")
    path = Path(path)
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "sentence" not in reader.fieldnames or "label" not in reader.fieldnames:
                raise ClaimexError(Errors.E044.format(
                    path=path, reason=f"expected columns 'sentence' and 'label', found {reader.fieldnames}"))
            out = []
            for line, row in enumerate(reader, start=2):
                try:
                    label = int(row["label"])
                except (TypeError, ValueError):
                    raise ClaimexError(Errors.E044.format(
                        path=path, reason=f"line {line}: label {row['label']!r} is not an integer")) from None
                if label not in CODINGS[coding]:
                    raise ClaimexError(Errors.E044.format(
                        path=path, reason=f"line {line}: label {label} is not one of 0, 1, 2, 3"))
                out.append((row["sentence"], CODINGS[coding][label]))
    except (OSError, UnicodeDecodeError) as err:
        raise ClaimexError(Errors.E044.format(path=path, reason=err)) from None
    return out


def strength_nlp(model: str | None = None):
    """The claimex pipeline without the components strength does not need (entities, claims)."""
    from ..nlp.pipeline import load_pipeline

    nlp, _ = load_pipeline(model)
    for name in ("claimex_claims", "claimex_entities"):
        if name in nlp.pipe_names:
            nlp.disable_pipe(name)
    return nlp


def train_from_csv(data: str | Path, out: str | Path, *, coding: str = "ordinal", C: float = 4.0,
                   class_weight: str | None = None, negation: str = "keep", provenance: str = "",
                   model: str | None = None) -> StrengthModel:
    """Train on the labelled CSV ``data`` (parsed with the claimex pipeline on the base ``model``)
    and write the model to ``out``."""
    rows = load_labelled_csv(data, coding)
    nlp = strength_nlp(model)
    feats = [strength_features(doc, analyse_strength(doc, negation=negation))
             for doc in nlp.pipe((s for s, _ in rows), batch_size=64)]
    from .. import __version__

    meta = {"data": Path(data).name, "data_sha256": file_sha256(data), "coding": coding,
            "provenance": provenance, "claimex_version": __version__}
    trained = train_model(feats, [g for _, g in rows], C=C, class_weight=class_weight,
                          negation=negation, meta=meta)
    trained.to_disk(out)
    return trained


def predict_rows(texts: Iterable[str], *, strength_model: str | Path | None = None,
                 model: str | None = None) -> Iterable[dict[str, Any]]:
    """For each text: its rule grade, the learned grade (when ``strength_model`` is given) and
    the relation cues found."""
    nlp = strength_nlp(model)
    learned = StrengthModel.from_disk(strength_model) if strength_model else None
    for doc in nlp.pipe(texts):
        rule = analyse_strength(doc)
        yield {"text": doc.text, "rules": rule.grade, "model": learned.predict(doc) if learned else None,
               "relations": [r.to_dict() for r in rule.relations]}
