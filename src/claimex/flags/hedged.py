"""The ``hedged`` flag: the source does not assert (or firmly deny) what the claim states.

A claim is hedged when ``hedged`` is true or its ``certainty`` is not
``asserted``.  The reason names the cues (``Hedged with "may", "potentially":
the source does not assert that kratom TREATS fibromyalgia.``), or the
certainty when there is none.  Score and severity from the certainty:
probable 0.3 / low, possible 0.5 / medium, speculative 0.7 / high (hedged but
``asserted``: 0.3 / low).  The other rules read the same effective hedging
(:attr:`claimex.flags.grouping.ClaimColumns.hedged_eff`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .grouping import ClaimColumns

__all__ = ["HEDGE_SCORE", "HEDGE_SEVERITY", "hedged_flag", "is_hedged"]

HEDGE_SCORE = {"asserted": 0.3, "probable": 0.3, "possible": 0.5, "speculative": 0.7}
HEDGE_SEVERITY = {"asserted": "low", "probable": "low", "possible": "medium", "speculative": "high"}


def is_hedged(hedged: bool, certainty: str) -> bool:
    """The rule: the claim is hedged, or its certainty is not ``asserted``."""
    return bool(hedged) or certainty != "asserted"


def hedged_flag(c: ClaimColumns, i: int) -> tuple[str, float, str]:
    """(severity, score, reason) of the ``hedged`` flag of claim ``i``."""
    certainty = c.certainty[i]
    if c.negated[i]:
        tail = f"the source does not firmly deny that {c.stmt(i)}."
    else:
        tail = f"the source does not assert that {c.stmt(i)}."
    cues = list(dict.fromkeys(c.hedge_cues[i] or ()))
    if cues:
        reason = "Hedged with " + ", ".join(f'"{cue}"' for cue in cues) + ": " + tail
    else:
        reason = f"Stated as {certainty}: {tail}"
    return HEDGE_SEVERITY[certainty], HEDGE_SCORE[certainty], reason
