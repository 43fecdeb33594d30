"""Old name of :mod:`claimex.flags.overstated`, kept while ``benchmarks/`` import it (to be removed)."""

from .overstated import LEVEL_MODES, compare_levels, overstated_flags  # noqa: F401
