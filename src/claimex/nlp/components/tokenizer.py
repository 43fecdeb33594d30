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
    def create(nlp):
        # built in one go with the final rules: setting suffix_search / infix_finditer on a
        # built Tokenizer reloads its 1,300 special cases each time (0.5 s of every start-up)
        from spacy.tokenizer import Tokenizer
        from spacy.util import compile_prefix_regex

        defaults = nlp.Defaults
        suffixes = list(CITATION_SUFFIXES) + list(defaults.suffixes or ())
        infixes = list(defaults.infixes or ()) + list(CITATION_INFIXES)
        return Tokenizer(
            nlp.vocab,
            rules=defaults.tokenizer_exceptions,
            prefix_search=compile_prefix_regex(defaults.prefixes).search if defaults.prefixes else None,
            suffix_search=compile_suffix_regex(suffixes).search,
            infix_finditer=compile_infix_regex(infixes).finditer,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )

    return create
