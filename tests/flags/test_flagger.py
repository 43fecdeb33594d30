"""ClaimFlagger, the spaCy-like wrapper (claimex.flags.flagger)."""

from __future__ import annotations

import json

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


def test_claim_flagger_from_disk_errors(tmp_path):
    from claimex.flags import ClaimFlagger

    folder = tmp_path / "flags"
    with pytest.raises(ClaimexError, match=r"^\[E019\] .*settings\.json: cannot read file \(No such file or directory\)"):
        ClaimFlagger().from_disk(folder)
    ClaimFlagger().initialize().to_disk(folder)
    assert json.loads((folder / "settings.json").read_text(encoding="utf-8")) == dict(
        FlagSettings().to_dict(), lexicon_path=None)
    (folder / "settings.json").write_text('{"max_related": 3,\n oops}\n', encoding="utf-8")
    with pytest.raises(ClaimexError, match=r"^\[E019\] .*settings\.json: .*malformed JSON"):
        ClaimFlagger().from_disk(folder)
    (folder / "settings.json").write_text('{"max_related": 0}\n', encoding="utf-8")
    with pytest.raises(ClaimexError, match=r"^\[E064\] Flag setting max_related=0 is invalid"):
        ClaimFlagger().from_disk(folder)
