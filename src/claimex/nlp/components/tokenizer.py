"""``claimex.citation_tokenizer.v1``: spaCy's English tokenizer that also splits
citation and footnote markers glued to words.

Web articles glue reference numbers to the word before them: ``relief.2``,
``nausea.3–5``, ``pain.2,3``, ``death.[4][7]``, ``anxiety(2-3)``.  spaCy keeps
``nausea.3`` as one token, so the lexicon never sees ``nausea``.  This
tokenizer adds

* a suffix rule: one to three digits, optionally a list or range of them, after
  two letters and a ``.``/``,``/``;`` ("nausea.3", "pain.2,3", "relief.4–6"),
  so ``nausea.3`` becomes ``nausea`` ``.`` ``3``;
* infix rules: an opening bracket or parenthesis right after a letter or a
  full stop and before a digit ("death.[4]", "anxiety(2-3)"), and ``][``
  between two bracketed numbers.

Decimals ("0.5 g"), versions and abbreviations are untouched: the rules need
letters before the mark and digits after it.  Registered in spaCy's
``tokenizers`` registry (and as a ``spacy_tokenizers`` entry point), so a
saved claimex pipeline reloads with ``spacy.load``.
"""

from __future__ import annotations

from spacy.util import compile_infix_regex, compile_suffix_regex, registry

CITATION_SUFFIXES = (r"(?<=[^\W\d_]{2}[.,;])\d{1,3}(?:[,–-]\d{1,3})*",)
CITATION_INFIXES = (
    r"(?<=[^\W\d_])\.(?=[\[(]\d)",      # the full stop of "death.[4]"
    r"(?<=[^\W\d_.\]])[\[(](?=\d)",     # "anxiety(2-3)"
    r"(?<=[.\]])\[(?=\d)",                # "death.[4]", "[4][7]"
    r"(?<=\d)\](?=\[)",                  # "[4][7]"
)


@registry.tokenizers("claimex.citation_tokenizer.v1")
def create_citation_tokenizer():
    base = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def create(nlp):
        tokenizer = base(nlp)
        suffixes = list(CITATION_SUFFIXES) + list(nlp.Defaults.suffixes or ())
        infixes = list(nlp.Defaults.infixes or ()) + list(CITATION_INFIXES)
        tokenizer.suffix_search = compile_suffix_regex(suffixes).search
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        return tokenizer

    return create
