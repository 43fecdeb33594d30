"""notebooks/01-explore-claims.ipynb: committed without outputs, and runs top to bottom on the seeds' output.

The kernel is this interpreter (the project venv): a kernel spec named ``python3`` pointing at
``sys.executable`` is written into a private JUPYTER_PATH, which Jupyter searches first.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "01-explore-claims.ipynb"

S000, S001, S002, S003, S004 = (
    "000_0b499bb038d65974.txt", "001_e00226db8c1070c3.txt", "002_8d8250643712a73f.txt",
    "003_81d297962e730e8c.txt", "004_87505c1645927b3b.txt")
ALL = ", ".join([S000, S001, S002, S003, S004])

PROBE = """
import json, sys
import matplotlib
import matplotlib.pyplot as plt
print("PROBE " + json.dumps({
    "executable": sys.executable,
    "backend": matplotlib.get_backend(),
    "figures": [plt.figure(n).axes[0].get_title() for n in plt.get_fignums()],
}))
"""


def _kernel_env(base: Path) -> dict[str, str]:
    spec = base / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (claimex tests)", "language": "python",
    }), encoding="utf-8")
    return {"JUPYTER_PATH": str(base / "jupyter"), "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
            "IPYTHONDIR": str(base / "ipython"), "MPLBACKEND": "Agg"}


def _execute(nb, env: dict[str, str], cwd: Path, unset: tuple[str, ...] = ()):
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        for k in unset:
            mp.delenv(k, raising=False)
        client = NotebookClient(nb, kernel_name="python3", timeout=180, startup_timeout=120,
                                resources={"metadata": {"path": str(cwd)}})
        client.execute()
    return nb


def _stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.output_type == "stream" and o.name == "stdout")


@pytest.fixture(scope="module")
def executed(seeds_out, tmp_path_factory):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    env = _kernel_env(tmp_path_factory.mktemp("kernel"))
    env["CLAIMEX_PROCESSED"] = str(seeds_out)
    return _execute(nb, env, NOTEBOOK.parent)


def _printed(nb, marker: str) -> list[str]:
    """The stdout lines of the one cell whose output contains ``marker``."""
    texts = [_stdout(c) for c in nb.cells if c.cell_type == "code" and marker in _stdout(c)]
    assert len(texts) == 1, marker
    return texts[0].splitlines()


# --- the committed file ------------------------------------------------------------------------

def test_committed_notebook_has_no_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == 14
    assert [(c.outputs, c.execution_count) for c in code] == [([], None)] * len(code)
    assert nb.metadata.kernelspec.name == "python3"


def test_first_code_cell_is_the_processed_folder_parameter():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert 'PROCESSED = Path(os.environ.get("CLAIMEX_PROCESSED", "../data/processed"))' in first.source
    assert first.metadata.tags == ["parameters"]
    sources = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert sources.count("plt.subplots(") == 5
    assert sources.count("duckdb.execute(") == 1


# --- executed on the seeds ---------------------------------------------------------------------

def test_runs_in_this_venv_with_the_agg_backend_and_draws_five_plots(executed):
    probe = json.loads(_printed(executed, "PROBE ")[0].removeprefix("PROBE "))
    assert probe["executable"] == sys.executable
    assert probe["backend"].lower() == "agg"
    assert probe["figures"] == [
        "Claims stated by the most independent sources",
        "Contradicted claims by source pair",
        "Sentence-level co-occurrence of the most frequent entities",
        "Dose ranges stated by each source",
        "Flags per source",
    ]


def test_no_cell_writes_warnings_or_errors(executed):
    stderr = [(c.id, o.text) for c in executed.cells if c.cell_type == "code"
              for o in c.outputs if o.output_type == "stream" and o.name == "stderr"]
    assert stderr == []


def test_loads_every_table_and_reads_the_schema_version(executed, seeds_out):
    assert _printed(executed, "(schema ") == [
        # schema 1.1: EFFECT/THERAPY/GENERIC entities, HAS_EFFECT/REGULATED claims and their flags; issue 18:
        # 5 claims fewer ('X-related'/'X-induced' causes, 'regulation' no REGULATED cue), 2 groups fewer, and
        # 15 contradicted flags fewer (seed 001's blanket "without intense side effects" carries one flag)
        f"{seeds_out} (schema 1.1)",
        "  documents         5 rows",
        "  sentences       216 rows",
        # issues 16-18 (2026-12-04): 3 entities and 3 claims more (new terms, usage frames, copulas); no
        # overstated flags (the seeds cite nothing, and overstated needs an independent source with evidence)
        "  entities        667 rows",
        # issue 17 real-article frames (2026-12-04): claims 262 -> 261, flags 447 -> 445, groups 69 -> 67
        # ("supplements like Kratom" is kratom's claim; a graded harm beside a comparison is SAFER_THAN only)
        "  claims          261 rows",
        # 'can' no hedge by default (2026-12-04): flags 445 -> 418
        "  flags           418 rows",
        "  claim_groups     67 rows",
    ]


def test_recurring_claims(executed):
    lines = _printed(executed, "independent sources:")
    assert lines[:7] == [
        # kratom|REGULATED|restricted (seeds 000, 001 and 002, all from 'regulation') is gone since issue 18
        "31 of 67 claim groups are stated by two or more independent sources:",
        "  kratom|TREATS|pain: 5 independent sources, 30 mentions, supported",
        "  kratom|CAUSES|side effects: 5 independent sources, 17 mentions, contradicted",
        "  kratom|TREATS|chronic pain: 5 independent sources, 15 mentions, supported",
        "  kratom|CONTAINS|7-hydroxymitragynine: 5 independent sources, 9 mentions, supported",
        "  kratom|CONTAINS|alkaloids: 5 independent sources, 9 mentions, supported",
        "  7-hydroxymitragynine|ACTS_ON|opioid receptors: 5 independent sources, 8 mentions, supported",
    ]
    # HAS_EFFECT is new in schema 1.1: "analgesic" is the EFFECT analgesia
    assert lines[7] == "  kratom|HAS_EFFECT|analgesia: 5 independent sources, 8 mentions, supported"


def test_top_contradicted_claim_groups_and_who_contradicts_them(executed):
    assert _printed(executed, "Top contradicted claim groups:") == [
        # issue 18: a blanket denial ("without intense side effects", "no adverse effects") carries one flag
        # and no longer flags each specific side effect (nausea, constipation, dependence, ...): 9 groups fewer
        "45 contradicted mentions in 11 claim groups. Top contradicted claim groups:",
        f"  kratom|CAUSES|side effects: 17 contradicted mentions in 5 sources; contradicted by {ALL}",
        # dependence is still opposed by the denials of addiction (same group) in 000 and 001, no longer by
        # 004's generic denial of adverse effects
        f"  kratom|CAUSES|dependence: 8 contradicted mentions in 4 sources; contradicted by {S000}, {S001}",
        f"  kratom|CAUSES|addiction: 6 contradicted mentions in 3 sources; contradicted by {ALL}",
        f"  kratom|CAUSES|sedation: 3 contradicted mentions in 3 sources; contradicted by {S001}, {S003}, {S004}",
        f"  kratom|CAUSES|adverse effects: 3 contradicted mentions in 2 sources; contradicted by {ALL}",
    ]


def test_both_sides_of_the_top_contradiction(executed):
    lines = _printed(executed, "Reason: ")
    assert lines[0] == f"kratom|CAUSES|side effects (negated) in {S001}:"
    assert lines[1] == ("  Many users report improved symptoms, well-being, and increased daily functionality "
                        "without intense side effects.")
    assert lines[2].startswith(f"Reason: Denies that kratom CAUSES side effects; 70abac32b42f0628 ({S004}) "
                               "asserts that kratom CAUSES ")


def test_entity_co_occurrence_from_duckdb(executed):
    lines = _printed(executed, "share a sentence")
    assert lines[0].endswith(" entity pairs share a sentence. Most frequent:")
    assert lines[1:4] == [
        "  chronic pain + kratom: 45 sentences",
        "  kratom + pain: 38 sentences",
        "  fibromyalgia + kratom: 26 sentences",
    ]
    i = lines.index("Most frequent pairs without kratom:")
    # the notebook counts every non-DOSE entity, so GENERIC words ("conditions", schema 1.1) pair up too
    assert lines[i + 1:i + 5] == ["  chronic pain + fibromyalgia: 14 sentences", "  conditions + fibromyalgia: 10 sentences",
                                  "  arthritis + conditions: 9 sentences", "  arthritis + fibromyalgia: 9 sentences"]


def test_doses_side_by_side(executed):
    assert _printed(executed, "dose statements:") == [
        "3 dose statements:",
        f"  {S002}: '1 to 5 grams' -> 1–5 g (standard, recommended, starting)",
        f"  {S002}: '12 to 15 grams within a 24-hour period' -> 12–15 g per 24 h (upper limit); "
        "contradicted by another dose statement",
        f"  {S003}: 'between 5 to 15 grams' -> 5–15 g (moderate); contradicted by another dose statement",
    ]


def test_flags_per_source(executed):
    assert _printed(executed, "Flags per source:") == [
        "Flags per source:",
        # issue 18: 000 loses TREATS fibromyalgia ("fibromyalgia-related", overstated) and a REGULATED
        # 'regulation' claim, 001 and 002 a REGULATED 'regulation' claim, 003 the hedged CAUSES injury
        # ("injury-induced"); the specific side effects opposed only by a blanket denial are no longer contradicted
        # issues 16-18 (2026-12-04): the usage frames and copulas add claims; no overstated flag (see above)
        # issue 17 claims: no REGULATED claim, no comparator's harm, coordinated subjects (see test_query)
        # 'can' is no hedge by default (2026-12-04): 27 hedged flags fewer
        f"  {S000}: 44 claims, 4 contradicted, 32 hedged, 44 unsupported",
        f"  {S001}: 48 claims, 6 contradicted, 18 hedged, 48 unsupported",
        f"  {S002}: 71 claims, 19 contradicted, 32 hedged, 71 unsupported",
        f"  {S003}: 59 claims, 10 contradicted, 22 hedged, 59 unsupported",
        f"  {S004}: 39 claims, 6 contradicted, 8 hedged, 39 unsupported",
    ]


def test_default_folder_is_data_processed_next_to_the_notebook_with_a_clear_error(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    nb.cells = nb.cells[:code[1] + 1]  # the parameter cell and the loading cell
    (tmp_path / "notebooks").mkdir()
    with pytest.raises(CellExecutionError) as err:
        _execute(nb, _kernel_env(tmp_path / "k"), tmp_path / "notebooks", unset=("CLAIMEX_PROCESSED",))
    assert "FileNotFoundError" in str(err.value)
    assert (f"{tmp_path / 'data' / 'processed'}: documents.parquet, sentences.parquet, entities.parquet, "
            "claims.parquet, flags.parquet, claim_groups.parquet not found.") in str(err.value)
