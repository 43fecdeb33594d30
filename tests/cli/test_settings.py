"""claimex.settings: the config file (claimex.toml / --config) and its numbered errors."""

from __future__ import annotations

import hashlib

import pytest

from claimex.errors import ClaimexError
from claimex.settings import Settings, load_settings


def _toml(tmp_path, text, name="claimex.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_no_config_file_gives_the_defaults(tmp_path):
    settings = load_settings(cwd=tmp_path)
    assert settings == Settings()
    assert settings.flag_settings().min_independent_sources == 2
    assert settings.to_dict()["flags"]["minhash_threshold"] == 0.8


def test_config_file_in_the_current_folder_is_read(tmp_path):
    (tmp_path / "my-lexicons").mkdir()
    (tmp_path / "my-lexicons" / "entities.jsonl").write_text('{"term": "kava"}\n', encoding="utf-8")
    _toml(tmp_path, 'model = "en_core_web_sm"\n[input]\nexclude = ["drafts", "*.bak"]\nfollow_links = true\n'
                    '[flags]\nminhash_threshold = 0.7\nmin_independent_sources = 3\n'
                    '[lexicons]\ndir = "my-lexicons"\n')
    settings = load_settings(cwd=tmp_path)
    assert settings.model == "en_core_web_sm"
    assert settings.ingest_options().exclude == ("drafts", "*.bak")
    assert settings.ingest_options().follow_links is True
    flags = settings.flag_settings()
    assert (flags.minhash_threshold, flags.min_independent_sources) == (0.7, 3)
    assert settings.lexicon_dir == (tmp_path / "my-lexicons").resolve()
    record = settings.to_dict()
    assert record["lexicons"]["files"] == [
        {"name": "entities.jsonl", "sha256": hashlib.sha256(b'{"term": "kava"}\n').hexdigest()}]
    # the digest follows the settings, not where the file lives
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    (moved / "my-lexicons").mkdir()
    (moved / "my-lexicons" / "entities.jsonl").write_text('{"term": "kava"}\n', encoding="utf-8")
    _toml(moved, (tmp_path / "claimex.toml").read_text())
    assert load_settings(cwd=moved).digest() == settings.digest()
    (moved / "my-lexicons" / "entities.jsonl").write_text('{"term": "kratom"}\n', encoding="utf-8")
    assert load_settings(cwd=moved).digest() != settings.digest()


def test_repairs_setting_chooses_the_text_repairs(tmp_path):
    path = _toml(tmp_path, '[input]\nrepairs = ["mojibake"]\n')
    settings = load_settings(path)
    assert settings.ingest_options().repairs == ("mojibake",)
    assert settings.to_dict()["input"]["repairs"] == ["mojibake"]
    assert Settings().ingest_options().repairs is None  # default: all
    bad = _toml(tmp_path, '[input]\nrepairs = ["spelling"]\n', name="bad.toml")
    with pytest.raises(ClaimexError) as info:
        load_settings(bad)
    assert str(info.value) == (f"[E006] {bad}: config setting 'input.repairs' is invalid: unknown repair "
                               "'spelling'; expected some of ['mojibake', 'bidi_controls', 'zero_width', "
                               "'homoglyphs'].")


def test_command_line_options_win(tmp_path):
    path = _toml(tmp_path, 'model = "a"\n[input]\nexclude = ["x"]\n')
    settings = load_settings(path).with_options(model="b", exclude=["y"], include=[], follow_links=None)
    assert (settings.model, settings.exclude, settings.include, settings.follow_links) == ("b", ("y",), (), False)


@pytest.mark.parametrize("text, message", [
    ("model = \n", "[E005] {path}: the config file is not valid TOML"),
    ("colour = 'red'\n", "[E006] {path}: config setting 'colour' is invalid: unknown setting; expected one of "
                         "['flags', 'input', 'lexicons', 'model']."),
    ("[input]\ninclude = '*.txt'\n", "[E006] {path}: config setting 'input.include' is invalid: expected a list of strings."),
    ("[flags]\nnear_dup = 0.5\n", "[E006] {path}: config setting 'flags.near_dup' is invalid: unknown flag setting"),
    ("[flags]\nmin_independent_sources = 'two'\n",
     "[E006] {path}: config setting 'flags.min_independent_sources' is invalid: expected a value like 2, got 'two'."),
    ("[flags]\nminhash_threshold = 1.5\n", "[E064] Flag setting minhash_threshold=1.5 is invalid: expected a number in (0, 1]."),
    ("[lexicons]\ndir = 'nowhere'\n", "[E007] Lexicon folder {dir}/nowhere (set by {path}) does not exist or is not a folder."),
])
def test_bad_config_files_are_numbered_errors_naming_the_file(tmp_path, text, message):
    path = _toml(tmp_path, text, name="bad.toml")
    with pytest.raises(ClaimexError) as info:
        load_settings(path)
    assert str(info.value).startswith(message.format(path=path, dir=tmp_path)), str(info.value)


def test_config_path_that_is_a_folder_or_missing(tmp_path):
    with pytest.raises(ClaimexError) as info:
        load_settings(tmp_path)
    assert str(info.value) == (f"[E008] {tmp_path} is a folder, but a file is expected here "
                               "(the config file, e.g. claimex.toml).")
    with pytest.raises(ClaimexError) as info:
        load_settings(tmp_path / "none.toml")
    assert str(info.value) == f"[E009] {tmp_path / 'none.toml'}: no such config file (set by --config)."
