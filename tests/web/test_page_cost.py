"""What a rerun of the page costs the server: figures built once per verdict, CPU per rerun and bytes per Submit.

The numbers are printed (run with -s to see them), never asserted: CPU time depends on the machine and on what
else runs on it. `python -m playground pageload` measures the same in Chromium against a real server.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue
from streamlit.testing.v1 import AppTest

from playground.web import verdict_charts
from playground.web.identity import Owner, page_secret

APP = str(Path(__file__).resolve().parents[2] / "app.py")
RERUNS = 4
CHANGED = "You have changed your code since this result"

pytestmark = pytest.mark.usefixtures("playground_data_dir")


@pytest.fixture()
def builds(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """How many times each test's charts were built (the real builder still builds them)."""
    counts: Counter = Counter()
    build = verdict_charts.build_test_charts

    def counted(figures: object) -> verdict_charts.TestCharts:
        counts[figures.test_name] += 1
        return build(figures)

    monkeypatch.setattr(verdict_charts, "build_test_charts", counted)
    return counts


@pytest.fixture()
def sent(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Bytes the page sends to the browser, by element type, as the runs enqueue them."""
    sizes: Counter = Counter()
    enqueue = ForwardMsgQueue.enqueue

    def measured(queue: ForwardMsgQueue, msg: object) -> None:
        kind = msg.delta.new_element.WhichOneof("type") if msg.WhichOneof("type") == "delta" else msg.WhichOneof("type")
        sizes[kind or "other"] += msg.ByteSize()
        enqueue(queue, msg)

    monkeypatch.setattr(ForwardMsgQueue, "enqueue", measured)
    return sizes


@pytest.fixture()
def page(solution_source: str) -> Iterator[AppTest]:
    """The page with the plain editor, after one accepted Submit (the warm-up)."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["u"] = Owner(None, page_secret()).new_id()
    at.run()
    at.toggle(key="plain_editor").set_value(True).run()
    submit(at, solution_source + "\n# warm-up\n")
    yield at


def edit(at: AppTest, source: str) -> None:
    at.text_area(key="code").set_value(source).run()
    assert not at.exception


def submit(at: AppTest, source: str) -> None:
    at.text_area(key="code").set_value(source)
    at.button(key="submit").click().run()
    assert not at.exception
    assert "Accepted" in "\n".join(str(s.value) for s in at.success)


def captions(at: AppTest) -> str:
    return "\n".join(str(c.value) for c in at.caption)


def test_an_edit_reuses_the_verdicts_figures_and_a_submit_builds_new_ones(
    page: AppTest, builds: Counter, solution_source: str
) -> None:
    for number in range(3):
        edit(page, f"{solution_source}\n# edit {number}\n")
    assert not builds, "an edit rebuilt the figures of a verdict that did not change"
    assert CHANGED in captions(page)
    charts = [c.proto.spec for c in page.get("plotly_chart")]
    assert any('"type":"heatmap"' in s for s in charts) and any('"type":"bar"' in s for s in charts)

    submit(page, f"{solution_source}\n# submitted\n")
    assert sum(builds.values()) == 1, f"one test's charts are drawn, built once: {dict(builds)}"
    assert CHANGED not in captions(page)
    page.selectbox(key=next(s.key for s in page.selectbox if s.key.startswith("figure-"))).set_value("example_2").run()
    page.text_area(key="code").set_value(f"{solution_source}\n# submitted\n").run()
    assert builds == Counter({"example_1": 1, "example_2": 1})


def test_benchmark_cpu_per_rerun_and_bytes_per_submit(page: AppTest, sent: Counter, solution_source: str) -> None:
    edits, submits = [], []
    for number in range(RERUNS):
        started = time.process_time()
        edit(page, f"{solution_source}\n# edit {number}\n")
        edits.append(time.process_time() - started)
        sent.clear()
        started = time.process_time()
        submit(page, f"{solution_source}\n# submit {number}\n")
        submits.append(time.process_time() - started)
    largest = ", ".join(f"{kind} {size / 1024:.1f}" for kind, size in sent.most_common(6))
    print(
        f"\npage rerun CPU of this process (AppTest, {RERUNS} each): whole-page rerun after an edit median"
        f" {statistics.median(edits) * 1000:.0f} ms (max {max(edits) * 1000:.0f});"
        f" Submit rerun median {statistics.median(submits) * 1000:.0f} ms (max {max(submits) * 1000:.0f}),"
        f" its judge's own threads included\nbytes sent by the last Submit's run: {sum(sent.values()) / 1024:.1f} KiB;"
        f" largest by element (KiB): {largest}"
    )
    assert sent["plotly_chart"] > 0, "the Submit's run sent no chart"
