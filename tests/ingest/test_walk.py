"""claimex.ingest.walk: which files a list of paths stands for (folders, symbolic links, suffixes)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from claimex.errors import ClaimexError
from claimex.ingest import IngestOptions, InputError, iter_input_files, read_corpus, walk

from ingest_files import write


def test_symlink_loop_is_one_error_and_the_walk_goes_on(tmp_path):
    folder = tmp_path / "in"
    write(folder, "a.txt", "Alpha.")
    write(folder, "sub/b.txt", "Beta.")
    os.symlink("..", folder / "sub" / "up")
    os.symlink("self.txt", folder / "self.txt")
    outside = tmp_path / "outside"
    write(outside, "o.txt", "Outside.")
    os.symlink(outside, folder / "ext")
    docs, errors = read_corpus([folder], IngestOptions(follow_links=True))
    assert [(d.source, d.text) for d in docs] == [
        ("a.txt", "Alpha."), ("ext/o.txt", "Outside."), ("sub/b.txt", "Beta.")]
    assert errors == [
        InputError("self.txt", "read",
                   "[E020] self.txt: symbolic link loop or link to a folder already visited; skipped."),
        InputError("sub/up", "read",
                   "[E020] sub/up: symbolic link loop or link to a folder already visited; skipped."),
    ]
    # The same loop reached from two overlapping roots is still reported once.
    _, errors2 = read_corpus([folder / "sub", folder], IngestOptions(follow_links=True))
    assert [e.source for e in errors2] == ["in/self.txt", "in/sub/up"]


def test_broken_symlink(tmp_path):
    folder = tmp_path / "in"
    write(folder, "ok.txt", "Fine.")
    os.symlink("missing.txt", folder / "gone.txt")
    os.symlink("missing.bin", folder / "gone.bin")  # unsupported suffix: silent
    docs, errors = read_corpus([folder])
    assert [d.source for d in docs] == ["ok.txt"]
    assert errors == [InputError("gone.txt", "read",
                                 "[E019] gone.txt: cannot read file (broken symbolic link).")]


def test_unreadable_folder_simulated(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    write(folder, "ok.txt", "Fine.")
    write(folder, "closed/x.txt", "Behind a closed door.")
    real_scandir = os.scandir

    def fake_scandir(path):
        if Path(path).name == "closed":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(walk.os, "scandir", fake_scandir)
    docs, errors = read_corpus([folder])
    assert [d.source for d in docs] == ["ok.txt"]
    assert errors == [InputError("closed", "read", "[E027] closed: cannot read folder (permission denied).")]


def test_explicit_unknown_suffix_is_an_error_but_skipped_in_folders(tmp_path):
    folder = tmp_path / "in"
    write(folder, "notes.pdf", "not really a pdf")
    write(folder, "README", "no suffix")
    write(folder, ".hidden.txt", "hidden file")
    write(folder, ".git/x.txt", "hidden folder")
    write(folder, "doc.TXT", "Upper-case suffix.")
    # Unsupported files in a folder are reported too (issue 20), dot-files are not.
    docs, errors = read_corpus([folder])
    assert [d.source for d in docs] == ["doc.TXT"]
    assert errors == [
        InputError("README", "read", "[E022] README: unsupported file type '(no suffix)'; skipped."),
        InputError("notes.pdf", "read", "[E022] notes.pdf: unsupported file type '.pdf'; skipped."),
    ]
    docs, errors = read_corpus([folder / "notes.pdf", folder / "README", folder / ".hidden.txt"])
    assert [d.source for d in docs] == [".hidden.txt"]  # files given directly: their own names
    assert errors == [
        InputError("README", "read", "[E022] README: unsupported file type '(no suffix)'; skipped."),
        InputError("notes.pdf", "read", "[E022] notes.pdf: unsupported file type '.pdf'; skipped."),
    ]


def test_file_given_directly_is_named_by_its_file_name(tmp_path):
    path = write(tmp_path / "deep" / "er", "x.txt", "Direct.")
    docs, errors = read_corpus([str(path)])
    assert errors == []
    assert (docs[0].source, docs[0].sources) == ("x.txt", ("x.txt",))


def test_missing_input_path(tmp_path):
    with pytest.raises(ClaimexError) as info:
        read_corpus([tmp_path / "nope", tmp_path])
    assert str(info.value) == f"[E010] Input path does not exist: {tmp_path / 'nope'}"


def test_iter_input_files(tmp_path):
    folder = tmp_path / "in"
    for name in ["b.txt", "a/c.md", "a/b.html", "x.pdf", "d.csv", "e.jsonl"]:
        write(folder, name, "x")
    errors = []
    found = list(iter_input_files([folder], errors))
    assert [(f.source, f.format) for f in found] == [
        ("a/b.html", "html"), ("a/c.md", "md"), ("b.txt", "txt"), ("d.csv", "csv"), ("e.jsonl", "jsonl")]
    assert all(f.path.is_absolute() and f.path.is_file() for f in found)
    assert [e.source for e in errors] == ["x.pdf"]
