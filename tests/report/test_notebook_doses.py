"""The notebook's dose statements and dose plot keep limits and open ranges (issue 20).

A maximum the text sets ("never take more than 10 g") is a DOSE entity with ``dose_min`` null and
``dose_role`` "limit"; "more than 10 grams" without a negation is an open range (``dose_max`` null).
Both are listed with what they are and both are drawn: the limit from 0 to its maximum, the open
range from its minimum to the right edge (dashed, with an arrow).  As in test_notebook_sources, the
cells' code runs here on synthetic tables, with the names the earlier cells define.
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "01-explore-claims.ipynb"


def _cell(marker: str) -> str:
    cells = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells
             if c.cell_type == "code" and marker in c.source]
    assert len(cells) == 1, marker
    return cells[0]


def _dose(sent_id, text, lo, hi, unit, role=None, period=None):
    return {"doc_id": "d1" if sent_id < 10 else "d2", "sent_id": sent_id, "label": "DOSE", "text": text,
            "canonical": text, "dose_min": lo, "dose_max": hi, "dose_unit": unit, "dose_period": period,
            "dose_frequency": None, "dose_role": role}


@pytest.fixture(scope="module")
def dose_cells():
    plt.close("all")
    entities = pd.DataFrame([
        _dose(1, "2 to 4 grams", 2.0, 4.0, "g"),
        _dose(2, "more than 10 grams", 10.0, None, "g"),                 # an open range
        _dose(11, "no more than 8 g", None, 8.0, "g", role="limit", period="day"),
        _dose(12, "500 mg", 500.0, 500.0, "mg"),
        _dose(13, "two capsules", 2.0, 2.0, "capsule"),                   # no gram equivalent: listed only
    ])
    claims = pd.DataFrame({"claim_id": ["c1"], "predicate": ["DOSAGE"], "sent_id": [1],
                           "object": ["2 to 4 grams"],
                           "qualifiers": [[{"kind": "dose", "text": "moderate"}]]})
    flags = pd.DataFrame({"claim_id": pd.Series([], dtype=object), "flag": pd.Series([], dtype=object)})
    ns = {"pd": pd, "np": np, "plt": plt, "entities": entities, "claims": claims, "flags": flags,
          "source_of": {"d1": "a.example", "d2": "b.example"}.get}
    out = io.StringIO()
    with redirect_stdout(out):
        exec(_cell("TO_GRAMS = "), ns)  # noqa: S102 - the notebook's own code
        exec(_cell("Dose ranges stated by each source"), ns)  # noqa: S102
    ns["printed"] = out.getvalue().splitlines()
    ns["fig"] = plt.gcf()
    yield ns
    plt.close("all")


def test_limits_and_open_ranges_are_listed_with_what_they_are(dose_cells):
    assert dose_cells["printed"] == [
        "5 dose statements:",
        "  b.example: '500 mg' -> 500 mg (no role stated)",
        "  a.example: '2 to 4 grams' -> 2–4 g (moderate)",
        "  b.example: 'no more than 8 g' -> up to 8 g per day (limit)",
        "  a.example: 'more than 10 grams' -> more than 10 g (no role stated)",
        "  b.example: 'two capsules' -> 2 capsule (no role stated)",
    ]


def test_the_dose_plot_draws_the_limit_and_the_open_range(dose_cells):
    ax = dose_cells["fig"].axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "b.example: 500 mg", "a.example: 2–4 g (moderate)", "b.example: up to 8 g per day (limit)",
        "a.example: more than 10 g"]
    solid, dashed = ax.collections[0], ax.collections[1]
    assert [seg[:, 0].tolist() for seg in solid.get_segments()] == [[0.5, 0.5], [2.0, 4.0], [0.0, 8.0]]
    # the open range runs from its minimum to 1.15 x the largest amount drawn
    assert [seg[:, 0].round(6).tolist() for seg in dashed.get_segments()] == [[10.0, 11.5]]
    assert dashed.get_linestyle()[0][1] is not None  # a dash pattern, not a solid line
