"""claimex.report.markdown: report.md (tables keep their columns, escaping, determinism)."""

from __future__ import annotations

import re

from reportkit import SENT_A_DEP, SENT_B_ADD

from claimex.report import load_processed, prepare, render_markdown


_PIPE = re.compile(r"(?<!\\)\|")


def _tables(md: str) -> list[list[str]]:
    tables, current = [], []
    for line in md.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def test_markdown_tables_keep_their_columns(built):
    _, md = built
    tables = _tables(md)
    assert len(tables) == 7  # summary, per source, matrix, documents, flags, opposing, errors
    for table in tables:
        widths = {len(_PIPE.findall(row)) for row in table}
        assert len(widths) == 1, table
    assert [len(_PIPE.findall(t[0])) - 1 for t in tables] == [2, 6, 5, 7, 10, 7, 3]
    assert [len(t) - 2 for t in tables] == [11, 3, 7, 3, 7, 2, 1]


def test_markdown_escapes_hostile_text(built):
    _, md = built
    assert "<" not in md
    assert "| D3 | &lt;script&gt;alert(1)&lt;/script&gt; | scraped/003\\_evil\\|site.html | " \
           "not linked: javascript:alert(3) | 3 | 2 | 2 |" in md
    assert "| D1 | Kratom for Fibromyalgia: What Patients Should Know | data/raw/001\\_kratom-fibromyalgia.txt | " \
           "[example.org](https://example.org/kratom-fibromyalgia) | 4 | 3 | 2 |" in md
    assert ("| 5 | F-unsup-C | unsupported | medium | 0.55 | kratom CAUSES euphoria | ✔ affirmed | D3 | "
            "Kratom causes \"euphoria\" \\| &lt;img src=x onerror=alert(2)&gt; in most users. | "
            "No source is cited for \"euphoria\" &lt;img src=x onerror=\"window.\\_\\_xss=1\"&gt; \\| check. |") in md


def test_markdown_summary_and_matrix(built):
    _, md = built
    assert "| Documents | 3 |\n| Sentences | 11 |\n| Claims | 8 |" in md
    assert ("| Flags: contradicted | 2 |\n| Flags: overstated | 1 |\n| Flags: unsupported | 2 |\n"
            "| Flags: hedged | 2 |") in md
    assert ("| kratom CAUSES addiction (also: kratom CAUSES dependence) | contradicted | ✔ affirmed | ✘ negated | "
            "· silent |") in md
    assert (f"| 1 | D1 | {SENT_A_DEP} | D2 | ✘ negated | kratom CAUSES addiction | {SENT_B_ADD} |") in md


def test_markdown_twin_of_prepare_is_deterministic(processed):
    r1 = render_markdown(prepare(load_processed(processed)))
    r2 = render_markdown(prepare(load_processed(processed)))
    assert r1 == r2
