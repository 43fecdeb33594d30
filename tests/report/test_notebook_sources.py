"""The notebook's per-source plots at 30 sources (issue 20).

The source-pair heatmap keeps the 15 sources in the most contradictions and sums the others as one
"other" row and column; long names become numbers that a key (the legend) resolves; the figure grows
with the rows.  The flags-per-source bars get taller with the sources.

The cells' code runs here, in this process, on synthetic tables (no kernel): each test takes the
code of one cell of the committed notebook and executes it with the names the earlier cells define.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import PowerNorm  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "01-explore-claims.ipynb"
HEATMAP = "Contradicted claims by source pair"
OTHER = "other (15 sources)"


def _cell(marker: str) -> str:
    cells = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells
             if c.cell_type == "code" and marker in c.source]
    assert len(cells) == 1, marker
    return cells[0]


def _site(i: int) -> str:
    return f"https://www.health-site-{i:02d}.example.org/articles/remedies/overview.html"


def _pairs30() -> pd.DataFrame:
    """Source i (0-based) contradicts itself 30 - i times (so the earlier sources are in more
    contradictions); source 20 is opposed once by source 3, source 25 once by source 27."""
    rows = [(_site(i), _site(i)) for i in range(30) for _ in range(30 - i)]
    rows += [(_site(20), _site(3)), (_site(25), _site(27))]
    return pd.DataFrame(rows, columns=["source", "by"])


def _heatmap(sources: list[str], pairs: pd.DataFrame) -> dict:
    plt.close("all")
    ns = {"pd": pd, "np": np, "plt": plt, "PowerNorm": PowerNorm,
          "documents": pd.DataFrame({"source": sources}), "pairs": pairs}
    exec(_cell(HEATMAP), ns)  # noqa: S102 - the notebook's own code
    ns["fig"] = plt.gcf()
    return ns


@pytest.fixture(scope="module")
def heatmap30():
    yield _heatmap([_site(i) for i in range(30)], _pairs30())
    plt.close("all")


def _ticks(ax, axis: str = "x") -> list[str]:
    return [t.get_text() for t in (ax.get_xticklabels() if axis == "x" else ax.get_yticklabels())]


def test_heatmap_at_30_sources_has_15_numbered_sources_and_the_other_15_grouped(heatmap30):
    ax = heatmap30["fig"].axes[0]
    expected = [str(k) for k in range(1, 16)] + [OTHER]
    assert _ticks(ax, "x") == _ticks(ax, "y") == expected
    matrix = heatmap30["matrix"]
    assert list(matrix.index) == list(matrix.columns) == [_site(i) for i in range(15)] + [OTHER]
    # nothing is lost in the grouping: 30 + 29 + ... + 1 self-contradictions and the 2 cross pairs
    assert int(matrix.to_numpy().sum()) == sum(range(1, 31)) + 2 == 467
    assert matrix.loc[OTHER, _site(3)] == 1  # source 20 (grouped) opposed by source 3 (kept)
    assert matrix.loc[OTHER, OTHER] == sum(range(1, 16)) + 1  # 15..29 on themselves, 25 by 27
    assert matrix.loc[_site(0), _site(0)] == 30
    assert heatmap30["grouped"] == [_site(i) for i in range(15, 30)]


def test_heatmap_at_30_sources_scales_the_figure_and_numbers_only_the_non_zero_cells(heatmap30):
    fig = heatmap30["fig"]
    ax = fig.axes[0]
    # 16 rows: 0.45 in each + 3.5 in, and 1 in more across for the colour bar
    assert tuple(round(v, 2) for v in fig.get_size_inches()) == (11.7, 10.7)
    assert {t.get_fontsize() for t in ax.get_xticklabels()} == {8}
    numbers = [t.get_text() for t in ax.texts]
    assert len(numbers) == 17  # the 15 kept sources' diagonal, other/other, other/source 4
    assert "0" not in numbers and numbers[0] == "30"
    assert isinstance(ax.images[0].norm, PowerNorm) and ax.images[0].norm.vmax == 121  # the other/other cell


def test_heatmap_key_names_every_number_and_every_grouped_source(heatmap30):
    legend = heatmap30["fig"].axes[0].get_legend()
    assert legend is not None and legend.get_title().get_text() == "key"
    entries = [t.get_text() for t in legend.get_texts()]
    assert len(entries) == 16
    assert entries[:15] == [f"{k + 1}: {_site(k)}" for k in range(15)]
    assert entries[15].splitlines() == [f"{OTHER}:"] + [f"    {_site(i)}" for i in range(15, 30)]


def test_heatmap_of_a_few_short_names_shows_the_names_every_cell_and_no_key():
    ns = _heatmap(["c.txt", "a.txt", "b.txt", "c.txt"],  # a source named twice gets one row
                  pd.DataFrame({"source": ["a.txt", "b.txt", "a.txt"], "by": ["b.txt", "a.txt", "b.txt"]}))
    ax = ns["fig"].axes[0]
    assert _ticks(ax) == ["c.txt", "a.txt", "b.txt"]  # the documents' order
    assert ns["matrix"].to_numpy().tolist() == [[0, 0, 0], [0, 0, 2], [0, 1, 0]]
    assert len(ax.texts) == 9  # a small matrix numbers every cell, zeros included
    assert ax.get_legend() is None
    assert tuple(ns["fig"].get_size_inches()) == (7.0, 6.0)
    assert {t.get_fontsize() for t in ax.get_xticklabels()} == {10}
    plt.close("all")


def test_heatmap_of_15_long_names_is_numbered_with_a_key_and_nothing_grouped():
    sources = [_site(i) for i in range(15)]
    ns = _heatmap(sources, pd.DataFrame({"source": sources[:2], "by": sources[1:3]}))
    ax = ns["fig"].axes[0]
    assert _ticks(ax) == [str(k) for k in range(1, 16)]
    assert ns["grouped"] == []
    entries = [t.get_text() for t in ax.get_legend().get_texts()]
    assert entries == [f"{k + 1}: {s}" for k, s in enumerate(sources)]  # no "other" entry
    plt.close("all")


def test_flags_per_source_bars_grow_with_the_sources_one_bar_each():
    plt.close("all")
    sources = [_site(i) for i in range(30)]
    ns = {"pd": pd, "np": np, "plt": plt, "kinds": ["hedged", "unsupported"],
          "per_source": pd.DataFrame({"claims": [3] * 30, "hedged": [1] * 30, "unsupported": [2] * 30},
                                     index=pd.Index(sources, name="source"))}
    exec(_cell('ax.set_title("Flags per source")'), ns)  # noqa: S102
    fig = plt.gcf()
    ax = fig.axes[0]
    assert tuple(round(v, 2) for v in fig.get_size_inches()) == (8.0, 10.5)  # 0.3 in per source + 1.5 in
    assert _ticks(ax, "y") == sources  # top to bottom
    assert len(ax.patches) == 60  # two kinds, one bar per source each
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["hedged", "unsupported"]
    plt.close("all")
