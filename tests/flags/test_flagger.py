"""ClaimFlagger, the spaCy-like wrapper (claimex.flags.flagger)."""

from __future__ import annotations

import pyarrow as pa
import pytest
from builders import documents_table
from flagkit import ADDICTION_000, DEPENDENCE_002

from claimex import schema
from claimex.errors import ClaimexError
from claimex.flags import FlagSettings, flag_claims


def test_claim_flagger_round_trip(tmp_path):
    from claimex.flags import ClaimFlagger

    claims = pa.Table.from_pylist([ADDICTION_000, DEPENDENCE_002], schema=schema.CLAIMS)
    with pytest.raises(ClaimexError, match=r"^\[E040\] Component 'claimex_flags' was used before"):
        ClaimFlagger()(claims, documents_table())
    flagger = ClaimFlagger(settings=FlagSettings(max_related=1)).initialize()
    expected = flagger(claims, documents_table())
    assert expected == flag_claims(claims, documents_table(), settings=FlagSettings(max_related=1))
    flagger.to_disk(tmp_path / "flags")
    assert sorted(p.name for p in (tmp_path / "flags").iterdir()) == ["claim_groups.jsonl", "settings.json"]
    loaded = ClaimFlagger().from_disk(tmp_path / "flags")
    assert loaded.settings == FlagSettings(max_related=1)
    result = loaded(claims, documents_table())
    assert result[0].equals(expected[0]) and result[1].equals(expected[1])
