"""Files of the installed base model that claimex's own components read."""

from __future__ import annotations

from pathlib import Path


def model_data_path(model: str, *parts: str) -> Path:
    """``parts`` (e.g. ``"attribute_ruler", "patterns"``) inside the data folder of an
    installed model package, or of a model folder; ``E120`` when it is not there."""
    from spacy import util

    from ..errors import ClaimexError, Errors

    root = Path(model) if Path(model).is_dir() else (util.get_package_path(model) if util.is_package(model) else None)
    if root is not None:
        for candidate in [root.joinpath(*parts), *sorted(root.glob("*/" + "/".join(parts)))]:
            if candidate.exists():
                return candidate
    raise ClaimexError(Errors.E120.format(model=model, path=Path(root or "(not installed)").joinpath(*parts)))
