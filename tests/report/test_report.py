"""claimex.report.build_report: both files, their paths, atomic writes and E075."""

from __future__ import annotations

import pytest
from reportkit import write_kratom_fixture

from claimex.errors import ClaimexError
from claimex.report import build_report


def test_build_report_default_and_custom_paths(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p", with_errors=False)
    html_path, md_path = build_report(folder)
    assert (html_path, md_path) == (folder / "report.html", folder / "report.md")
    out_html, out_md = tmp_path / "out" / "r.html", tmp_path / "out" / "r.md"
    assert build_report(folder, out_html=out_html, out_md=out_md) == (out_html, out_md)
    assert out_html.read_bytes() == html_path.read_bytes()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["r.html", "r.md"]  # no temp files left
    assert 'id="sum-errors"' not in html_path.read_text(encoding="utf-8")
    assert "Input errors" not in md_path.read_text(encoding="utf-8")


def test_unwritable_output_is_e075(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ClaimexError, match=r"^\[E075\] Cannot write the report to .*file/r\.html"):
        build_report(folder, out_html=blocker / "r.html")
