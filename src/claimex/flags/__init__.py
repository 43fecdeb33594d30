"""Corpus-level flags: hedged, contradicted, unsupported and overstated claims, and one verdict per claim key.

:func:`flag_claims` reads the ``claims``, ``documents`` (and, if given,
``sentences`` and ``entities``) tables and returns the ``flags`` and
``claim_groups`` tables of :mod:`claimex.schema`.  Read the package in the
order the data flows:

========================  ===============================================================
``settings``              :class:`FlagSettings`, every knob of the stage
``lexicon``               :class:`ClaimGroupLexicon`: object groups, scope levels, doses
``dedup``                 near-duplicate documents and verbatim-shared sentences
``sites``                 the site of a document (URL's registrable domain, else its source name)
``grouping``              the claims as numbered columns; source units (who is one source)
``sources``               the ``sources`` table: each document's site and source unit, and why
``hedged``                the ``hedged`` flag
``contradicted``          the ``contradicted`` flag by polarity (and the shared summaries)
``doses``                 the ``contradicted`` flag between doses
``unsupported``           the ``unsupported`` flag (and corroboration by other sources)
``overstated``            the ``overstated`` flag (stronger than another source states it)
``claim_groups``          the ``claim_groups`` table and its verdicts
``columns``               flag ids and the Arrow columns of the output tables
``stage``                 :func:`flag_claims`: all rules, the rows in table order
``by_subject``            :func:`flag_claims_by_subject`: the same as a group-by (Dask)
``flagger``               :class:`ClaimFlagger`, a spaCy-like wrapper saved with its lexicon
========================  ===============================================================

Each rule module's docstring states its rule; ``docs/flags.md`` explains them
for a reader of the outputs.
"""

from __future__ import annotations

from .by_subject import flag_claims_by_subject
from .claim_groups import GROUP_FLAGS
from .columns import flag_id
from .flagger import ClaimFlagger
from .grouping import ClaimColumns, SourceUnits, source_units
from .lexicon import LEXICON_FILE, ClaimGroupLexicon
from .overstated import compare_levels, overstated_flags
from .settings import FlagSettings
from .sites import site_of
from .sources import sources_table
from .stage import FLAG_BATCH_ROWS, flag_claims

__all__ = ["ClaimColumns", "ClaimFlagger", "ClaimGroupLexicon", "FLAG_BATCH_ROWS", "FlagSettings",
           "GROUP_FLAGS", "LEXICON_FILE", "SourceUnits", "compare_levels", "flag_claims",
           "flag_claims_by_subject", "flag_id", "overstated_flags", "site_of", "source_units", "sources_table"]
