"""Fixtures of the report tests: the synthetic folder (reportkit) and the report built from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportkit import write_kratom_fixture

from claimex.report import build_report


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    return write_kratom_fixture(tmp_path_factory.mktemp("processed"))


@pytest.fixture(scope="module")
def built(processed) -> tuple[str, str]:
    html_path, md_path = build_report(processed)
    return html_path.read_text(encoding="utf-8"), md_path.read_text(encoding="utf-8")
