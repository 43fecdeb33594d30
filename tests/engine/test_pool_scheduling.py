"""The local engine's worker pool: tasks go to a free worker at once, the pipeline is warmed
up before the fork, rows come back in input order (claimex.engine.local, n_process > 1).

The tasks here are fake (no spaCy): ``_run_task`` is replaced by a function that sleeps as
long as a document's text says and records when each task started and ended.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass

import pytest

from claimex.engine import local

LOG_ENV = "CLAIMEX_TEST_TASK_LOG"


@dataclass
class FakeDoc:
    doc_id: str
    text: str


def fake_run_task(task, batch_size, piece_chars):
    """One task: sleep the seconds its first document's ``doc_id`` names (``"slow:3"``)."""
    start = time.monotonic()
    seconds = float(task[0].doc_id.split(":")[1]) if ":" in task[0].doc_id else 0.05
    time.sleep(seconds)
    with open(os.environ[LOG_ENV], "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"ids": [d.doc_id for d in task], "start": start, "end": time.monotonic(),
                             "pid": os.getpid()}) + "\n")
    return [local.DocRows(d.doc_id, n_words=len(d.text)) for d in task]


# pickled by reference to where it is installed (local._run_task), as the real one is
fake_run_task.__module__ = local.__name__
fake_run_task.__qualname__ = "_run_task"


@pytest.fixture
def task_log(tmp_path, monkeypatch):
    log = tmp_path / "tasks.jsonl"
    log.write_text("", encoding="utf-8")
    monkeypatch.setenv(LOG_ENV, str(log))
    monkeypatch.setattr(local, "_run_task", fake_run_task)
    return log


def _docs(n: int, slow: int | None = None, seconds: float = 3.0) -> list[FakeDoc]:
    # 15,000 characters each: every document is a task of its own (TASK_CHARS is 20,000)
    return [FakeDoc(f"slow:{seconds}" if i == slow else f"d{i:02d}", "x" * 15_000) for i in range(n)]


def test_a_long_task_at_the_head_does_not_leave_the_other_worker_idle(task_log):
    docs = _docs(12, slow=0)
    rows = list(local.process_documents(None, docs, n_process=2))
    assert [r.doc_id for r in rows] == [d.doc_id for d in docs]  # input order
    tasks = [json.loads(line) for line in task_log.read_text(encoding="utf-8").splitlines()]
    head = next(t for t in tasks if t["ids"] == ["slow:3.0"])
    done_meanwhile = [t for t in tasks if t is not head and t["end"] <= head["end"]]
    # the window is IN_FLIGHT_PER_PROCESS * 2 = 8 tasks: the 7 after the head run while it sleeps
    # (handing out work only as the head finished ran 3 of them)
    assert local.IN_FLIGHT_PER_PROCESS * 2 == 8
    assert len(done_meanwhile) == 7
    assert {t["pid"] for t in done_meanwhile} != {head["pid"]}
    assert len({t["pid"] for t in tasks}) == 2


def test_rows_come_back_in_input_order_when_a_middle_task_is_slow(task_log):
    docs = _docs(6, slow=2, seconds=1.0)
    assert [r.doc_id for r in local.process_documents(None, docs, n_process=2)] == [d.doc_id for d in docs]
    assert len(task_log.read_text(encoding="utf-8").splitlines()) == 6


class CountingPipeline:
    """Stands in for ``nlp`` in warm_up: records the texts it is called on."""

    def __init__(self, fail: bool = False) -> None:
        self.texts: list[str] = []
        self.fail = fail

    def __call__(self, text: str):
        self.texts.append(text)
        if self.fail:
            raise ValueError("a component that fails")
        return text


def test_the_pipeline_is_warmed_up_once_in_the_parent_before_the_fork(task_log):
    nlp = CountingPipeline()
    rows = list(local.process_documents(nlp, _docs(4), n_process=2))
    assert len(rows) == 4
    assert nlp.texts == [local.WARM_UP_TEXT]  # here, not in the workers (their calls are not seen here)


def test_a_warm_up_that_fails_is_ignored():
    nlp = CountingPipeline(fail=True)
    assert local.warm_up(nlp) is False
    assert local.warm_up(CountingPipeline()) is True


def test_warm_up_readies_the_entity_tagger_of_the_real_pipeline():
    from claimex.nlp.pipeline import load_pipeline

    nlp = load_pipeline()[0]
    tagger = next(proc for _, proc in nlp.pipeline if hasattr(proc, "_ensure_ready"))
    assert tagger._matcher is None  # built on the first document
    assert local.warm_up(nlp) is True
    assert tagger._matcher is not None and tagger.lexicon is not None

