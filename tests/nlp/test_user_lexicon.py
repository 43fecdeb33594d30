"""A user's lexicon folder (claimex.toml ``[lexicons] dir``): its entities.jsonl is added to the
packaged lexicon, wins where it names a packaged term, and is part of the configuration hash."""

from __future__ import annotations

import pytest

from claimex.nlp.pipeline import load_pipeline, pipeline_info

USER_ENTRY = '{"canonical": "jiaogulan", "label": "SUBSTANCE", "terms": ["jiaogulan", "Gynostemma pentaphyllum"]}\n'


@pytest.fixture(scope="module")
def lexicon_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("my-lexicons")
    (folder / "entities.jsonl").write_text(USER_ENTRY, encoding="utf-8")
    return folder


def test_a_user_term_is_tagged_and_claimed(lexicon_dir):
    nlp, _ = load_pipeline(lexicon_dir=lexicon_dir)
    doc = nlp("Jiaogulan is a vine. Jiaogulan may ease anxiety.")
    assert [(e["canonical"], e["label"]) for e in doc._.claimex_ents] == [
        ("jiaogulan", "SUBSTANCE"), ("jiaogulan", "SUBSTANCE"), ("anxiety", "CONDITION")]
    assert [(c["subject"], c["predicate"], c["object"]) for c in doc._.claimex_claims] == [
        ("jiaogulan", "TREATS", "anxiety")]


def test_without_the_folder_the_term_is_unknown(nlp):
    doc = nlp("Jiaogulan is a vine. Jiaogulan may ease anxiety.")
    assert [e["canonical"] for e in doc._.claimex_ents] == ["anxiety"]


def test_the_folder_is_part_of_the_config_hash(lexicon_dir, tmp_path):
    plain = pipeline_info().config_hash
    with_user = pipeline_info(lexicon_dir=lexicon_dir).config_hash
    assert with_user != plain
    assert pipeline_info(lexicon_dir=tmp_path).config_hash == plain  # an empty folder changes nothing
    (tmp_path / "entities.jsonl").write_text(USER_ENTRY.replace("jiaogulan", "schisandra"), encoding="utf-8")
    assert pipeline_info(lexicon_dir=tmp_path).config_hash not in (plain, with_user)


def test_claimex_run_with_a_lexicon_folder_tags_the_users_term(lexicon_dir, tmp_path):
    import pyarrow.parquet as pq

    from claimex.runner import run_corpus
    from claimex.settings import Settings

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Jiaogulan is a vine.\n\nJiaogulan may ease anxiety.\n", encoding="utf-8")
    run_corpus([tmp_path / "in"], tmp_path / "out", settings=Settings(lexicon_dir=lexicon_dir), report=False)
    claims = pq.read_table(tmp_path / "out" / "claims.parquet", columns=["subject", "predicate", "object"]).to_pylist()
    assert claims == [{"subject": "jiaogulan", "predicate": "TREATS", "object": "anxiety"}]


def test_the_dask_engine_refuses_a_lexicon_folder(lexicon_dir, tmp_path):
    from claimex.errors import ClaimexError
    from claimex.runner import run_corpus
    from claimex.settings import Settings

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Jiaogulan may ease anxiety.\n", encoding="utf-8")
    with pytest.raises(ClaimexError, match=r"^\[E113\] A user lexicon folder"):
        run_corpus([tmp_path / "in"], tmp_path / "out", settings=Settings(lexicon_dir=lexicon_dir), engine="dask")
