"""FlagSettings (claimex.flags.settings)."""

from __future__ import annotations

import pytest

from claimex.errors import ClaimexError
from claimex.flags import FlagSettings


def test_settings_round_trip():
    settings = FlagSettings(minhash_threshold=0.9, max_related=5)
    assert FlagSettings.from_dict(settings.to_dict()) == settings
    with pytest.raises(ClaimexError, match=r"^\[E064\] Flag setting colour='red' is invalid"):
        FlagSettings.from_dict({"colour": "red"})
