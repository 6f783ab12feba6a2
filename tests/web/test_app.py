"""The page driven through Streamlit's AppTest: verdicts, charts, bad input, hints, drafts and history."""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from playground.judge import IsolationError, Judge
from playground.problems import get_problem
from playground.store import Store, is_valid_learner_id
from playground.web import services as services_module
from playground.web import session as page_module
from playground.web.custom_input import fix_lookalikes, parse_custom, source_issue
from playground.web.format import escape_markdown
from playground.web.identity import Owner, page_secret
from playground.web.safe_store import SafeStore
from playground.web.session import (
    PageState,
    Result,
    account_learner_id,
    is_repeat,
    learner_from_query,
    problem_from_query,
    take_editor_event,
)

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PROBLEM = get_problem("module_basics_forward")

pytestmark = pytest.mark.usefixtures("playground_data_dir")


def new_learner() -> str:
    # An id in the generated format: in-process (AppTest) there is no browser cookie to check it against.
    return Owner(None, page_secret()).new_id()


def open_page(learner: str | None = None, *, plain: bool = True, problem: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if learner:
        at.query_params["u"] = learner
    if problem:
        at.query_params["problem"] = problem
    at.run()
    assert not at.exception
    if plain:
        at.toggle(key="plain_editor").set_value(True).run()
        assert not at.exception
    return at


def press(at: AppTest, source: str | None, button: str = "submit") -> AppTest:
    if source is not None:
        at.text_area(key="code").set_value(source)
    at.button(key=button).click().run()
    assert not at.exception
    return at


def text_of(elements: object) -> str:
    return "\n".join(str(e.value) for e in elements)


def keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button}


def progress(at: AppTest) -> str:
    return at.radio(key="problem_picker").proto.captions[0]


def history_rows(at: AppTest) -> int:
    tables = [d.value for d in at.dataframe if "When" in d.value.columns]
    return len(tables[0]) if tables else 0


def test_first_visit_gets_a_learner_id_and_the_problem_in_the_url() -> None:
    at = open_page(plain=False)
    assert is_valid_learner_id(at.query_params["u"][0] if isinstance(at.query_params["u"], list) else at.query_params["u"])
    assert "module_basics_forward" in str(at.query_params["problem"])
    assert PROBLEM.title in text_of(at.title)
    assert "Nothing submitted yet" in text_of(at.caption)


def test_real_editor_renders_without_the_text_area() -> None:
    at = open_page(new_learner(), plain=False)
    assert not at.exception
    assert not [t for t in at.text_area if t.key == "code"]
    assert {"run", "submit", "reset"} <= keys(at)


def test_accepted_submission_shows_success_table_and_charts(solution_source: str) -> None:
    at = press(open_page(new_learner()), solution_source)
    assert "Accepted" in text_of(at.success)
    assert not at.error
    assert "16 of 16 tests passed" in text_of(at.caption)
    charts = at.get("plotly_chart")
    specs = [c.proto.spec for c in charts]
    assert any('"type":"heatmap"' in s for s in specs)
    assert any('"type":"bar"' in s for s in specs)
    table = at.table[0].value
    assert list(table["Test"][:3]) == ["`example_1`", "`example_2`", "`example_3`"]
    assert (table["Input"] == "_hidden_").sum() == 13
    assert "Solved" in progress(at)


def test_wrong_answer_names_the_status_and_gives_the_hint(solution_source: str) -> None:
    unscaled = solution_source.replace(" * scale", "")
    at = press(open_page(new_learner()), unscaled)
    assert "Wrong answer" in text_of(at.error)
    assert "the first failure is example_1" in text_of(at.error)
    assert "1/sqrt(in_features)" in text_of(at.info)
    assert at.get("plotly_chart")


def test_syntax_error_names_its_line() -> None:
    source = "import jax\n\ndef module_basics_forward(seed, x, features)\n    return x\n"
    at = press(open_page(new_learner()), source)
    errors = text_of(at.error)
    assert "Compile error" in errors and "line 3" in errors


def test_runtime_error_shows_the_users_line_and_a_hint() -> None:
    source = "def module_basics_forward(seed, x, features):\n    return nnx.Rngs(0)\n"
    at = press(open_page(new_learner()), source, "run")
    assert "Runtime error" in text_of(at.error)
    assert "line 2" in text_of(at.error)
    assert "from flax import nnx" in text_of(at.info)


@pytest.mark.slow
def test_endless_loop_hits_the_time_limit(short_wall_judge: Judge, monkeypatch: pytest.MonkeyPatch) -> None:
    # Any wall limit will do (the default's value is the hostile suite's to check): this server's judge
    # is swapped for one with a short limit, so the loop is stopped in seconds.
    started = threading.Event()
    started.set()
    current = services_module.services()
    swapped = dataclasses.replace(current, judge=short_wall_judge, judge_error=None, judge_started=started)
    monkeypatch.setattr(services_module, "_services", swapped)
    source = "def module_basics_forward(seed, x, features):\n    while True:\n        pass\n"
    at = press(open_page(new_learner()), source, "run")
    assert "Time limit exceeded" in text_of(at.error)


def test_printed_output_and_warnings_are_shown(solution_source: str) -> None:
    noisy = solution_source.replace("    return model(x)", "    print('shape', x.shape)\n    return model(x)")
    at = press(open_page(new_learner()), noisy, "run")
    assert "Accepted" in text_of(at.success)
    assert "shape (3,)" in text_of(at.code)


def test_custom_input_is_run_and_listed(solution_source: str) -> None:
    at = open_page(new_learner())
    at.checkbox(key="custom_on").check()
    at.text_input(key="custom_seed").input("5")
    at.text_input(key="custom_features").input("3")
    at.text_input(key="custom_x").input("1, -2.5")
    at = press(at, solution_source, "run")
    assert "Accepted" in text_of(at.success)
    table = at.table[0].value
    assert list(table["Test"]) == ["`example_1`", "`example_2`", "`example_3`", "`custom`"]
    assert "x=[1, -2.5]" in table["Input"].iloc[3]


def test_invalid_custom_input_is_explained_and_nothing_runs(solution_source: str) -> None:
    at = open_page(new_learner())
    at.checkbox(key="custom_on").check()
    at.text_input(key="custom_x").input("1, two")
    at.run()
    assert "x must contain numbers only" in text_of(at.error)
    at = press(at, solution_source, "run")
    assert "Your own input cannot be used" in text_of(at.error)
    assert not at.success


def test_submit_ignores_the_custom_input(solution_source: str) -> None:
    at = open_page(new_learner())
    at.checkbox(key="custom_on").check()
    at.text_input(key="custom_x").input("not numbers")
    at = press(at, solution_source, "submit")
    assert "Accepted" in text_of(at.success)


def test_hints_are_revealed_one_at_a_time() -> None:
    at = open_page(new_learner())
    assert "Hint 1" not in text_of(at.info)
    for count in range(1, len(PROBLEM.hints) + 1):
        at.button(key="hint").click().run()
        assert not at.exception
        shown = text_of(at.info)
        assert f"Hint {count} of {len(PROBLEM.hints)}" in shown
        assert f"Hint {count + 1} of" not in shown
    assert "hint" not in keys(at)
    assert "That is every hint." in text_of(at.caption)


def test_solution_needs_a_submission_and_a_confirmation(solution_source: str) -> None:
    at = open_page(new_learner())
    assert "solution" not in keys(at)
    assert "unlocks after your first Submit" in text_of(at.caption)
    at = press(at, "def module_basics_forward(seed, x, features):\n    return x\n")
    at.button(key="solution").click().run()
    assert "OneParamDense" not in text_of(at.code)
    assert "ends the puzzle" in text_of(at.warning)
    at.button(key="solution_yes").click().run()
    assert not at.exception
    assert "OneParamDense" in text_of(at.code)


@pytest.mark.parametrize(
    ("source", "expected"),
    [("", "The editor is empty"), ("   \n\n", "The editor is empty"), ("#" * 100_001, "100,000-byte limit")],
)
def test_empty_or_oversized_code_is_refused_next_to_the_editor(source: str, expected: str) -> None:
    at = press(open_page(new_learner()), source)
    assert expected in text_of(at.error)
    assert not at.success
    assert history_rows(at) == 0


def test_curly_quotes_are_explained_and_can_be_fixed(solution_source: str) -> None:
    pasted = solution_source.replace('"""Build the module', '“Build the module', 1).replace(
        'output vector."""', 'output vector.”', 1
    )
    at = press(open_page(new_learner()), pasted)
    assert "LEFT DOUBLE QUOTATION MARK" in text_of(at.error)
    at.button(key="fix_chars").click().run()
    assert "“" not in at.text_area(key="code").value
    at = press(at, None)
    assert not at.exception


def test_draft_and_history_come_back_for_the_same_learner_only(solution_source: str) -> None:
    learner = new_learner()
    at = open_page(learner)
    draft = PROBLEM.starter + "\n# my work in progress\n"
    at.text_area(key="code").set_value(draft).run()
    assert not at.exception

    again = open_page(learner)
    assert again.text_area(key="code").value == draft

    press(again, solution_source)
    later = open_page(learner)
    assert later.text_area(key="code").value == solution_source
    assert history_rows(later) == 1
    assert "Solved" in progress(later)

    stranger = open_page(new_learner())
    assert stranger.text_area(key="code").value == PROBLEM.starter
    assert history_rows(stranger) == 0
    assert "Not started" in progress(stranger)


def test_switching_editors_keeps_the_code() -> None:
    at = open_page(new_learner())
    typed = PROBLEM.starter + "\n# typed in the text box\n"
    at.text_area(key="code").set_value(typed).run()
    at.toggle(key="plain_editor").set_value(False).run()
    at.toggle(key="plain_editor").set_value(True).run()
    assert not at.exception
    assert at.text_area(key="code").value == typed


def test_reset_asks_first_then_restores_the_starter() -> None:
    at = open_page(new_learner())
    at.text_area(key="code").set_value("# something of mine\n").run()
    at.button(key="reset").click().run()
    assert "Replace your code with the starter code" in text_of(at.warning)
    at.button(key="reset_no").click().run()
    assert at.text_area(key="code").value == "# something of mine\n"
    at.button(key="reset").click().run()
    at.button(key="reset_yes").click().run()
    assert not at.exception
    assert at.text_area(key="code").value == PROBLEM.starter


def test_old_submission_shows_its_verdict_diff_and_loads_after_asking(solution_source: str) -> None:
    at = open_page(new_learner())
    wrong = solution_source.replace(" * scale", "")
    press(at, wrong)
    press(at, solution_source)
    assert history_rows(at) == 2
    at.selectbox(key="open_submission").select_index(1).run()
    assert "Wrong answer" in text_of(at.error)
    assert any(line.startswith("--- submission #") for line in text_of(at.code).splitlines())
    at.button(key="load").click().run()
    assert "Replace the code in the editor" in text_of(at.warning)
    at.button(key="load_yes").click().run()
    assert not at.exception
    assert at.text_area(key="code").value == wrong


def test_double_click_judges_once(solution_source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # A slow machine must not turn the second click into a deliberate one.
    monkeypatch.setattr(page_module, "DOUBLE_CLICK_SECONDS", 60.0)
    at = press(open_page(new_learner()), solution_source)
    assert history_rows(at) == 1
    at.button(key="submit").click().run()
    assert history_rows(at) == 1
    assert "Accepted" in text_of(at.success)


def test_unknown_problem_in_the_url_falls_back_with_a_note() -> None:
    at = open_page(new_learner(), plain=False, problem="no_such_problem")
    assert "There is no problem called" in text_of(at.info)
    assert "module_basics_forward" in str(at.query_params["problem"])


def test_broken_store_warns_and_still_judges(
    solution_source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("in the way")
    current = services_module.services()
    # This server's settings name a file as the data folder: the same judge, a store that cannot open.
    broken = dataclasses.replace(current, settings=dataclasses.replace(current.settings, data_dir=blocker), stores={})
    monkeypatch.setattr(services_module, "_services", broken)
    at = press(open_page(new_learner()), solution_source)
    assert "not being saved" in text_of(at.warning)
    assert "Accepted" in text_of(at.success)


class _InternalErrorVerdict:
    """What the judge returns when the playground, not the code, failed (as the judge contract spells it)."""

    figures: list = []

    def __init__(self, problem_id: str, mode: str) -> None:
        self.problem_id, self.mode = problem_id, mode

    def to_dict(self) -> dict:
        return {
            "version": 2, "problem": self.problem_id, "file": "<editor>", "mode": self.mode,
            "status": "internal_error", "message": "The sandbox stopped for a reason your code did not cause; "
            "please try again.", "hint": None, "passed": 0, "total": 0, "tests": [], "stdout": "",
            "warnings": [], "elapsed_ms": 3.0,
        }


def test_internal_error_is_a_warning_and_not_a_submission(monkeypatch: pytest.MonkeyPatch) -> None:
    learner = new_learner()
    at = open_page(learner)
    draft = PROBLEM.starter + "\n# judged while the sandbox failed\n"
    at.text_area(key="code").set_value(draft).run()
    before = progress(at)
    monkeypatch.setattr(Judge, "submit", lambda self, pid, source, mode="submit", **_: _InternalErrorVerdict(pid, mode))
    at = press(at, None)
    assert "Internal error" in text_of(at.warning)
    assert "did not cause; please try again" in text_of(at.warning)
    assert not at.error and not at.success
    assert history_rows(at) == 0
    assert progress(at) == before
    assert "unlocks after your first Submit" in text_of(at.caption)
    monkeypatch.undo()
    again = open_page(learner)
    assert again.text_area(key="code").value == draft
    assert history_rows(again) == 0


def test_a_restarting_sandbox_is_named_in_the_sidebar(monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(new_learner())
    assert not [w for w in at.sidebar.warning if "Sandbox restarting" in str(w.value)]
    monkeypatch.setattr(Judge, "health", SimpleNamespace(state="restarting", message="x"), raising=False)
    at.run()
    assert not at.exception
    assert "Sandbox restarting" in text_of(at.sidebar.warning)
    monkeypatch.setattr(Judge, "health", SimpleNamespace(state="ok", message="x"), raising=False)
    at.run()
    assert "Sandbox restarting" not in text_of(at.sidebar.warning)


def test_restarting_is_read_from_whatever_health_the_judge_has() -> None:
    from enum import Enum

    from playground.web.sidebar import sandbox_restarting

    class State(Enum):
        RESTARTING = "restarting"
        OK = "ok"

    assert sandbox_restarting(SimpleNamespace(health=SimpleNamespace(state=State.RESTARTING)))
    assert sandbox_restarting(SimpleNamespace(health="restarting"))
    assert not sandbox_restarting(SimpleNamespace(health=SimpleNamespace(state=State.OK)))
    assert not sandbox_restarting(object())
    assert not sandbox_restarting(None)


def test_refused_isolation_is_a_banner_and_nothing_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Judge) -> None:
        raise IsolationError("PLAYGROUND_REQUIRE_ISOLATION is set, but these protections are not available here: x.")

    monkeypatch.setattr(Judge, "start", refuse)
    # A server whose judge refuses to start: fresh services for this test, the running ones put back after.
    monkeypatch.setattr(services_module, "_services", None)
    try:
        at = open_page(new_learner())
        assert "Code cannot be run" in text_of(at.error)
        # What was refused is for the operator's log; the visitor sees a general sentence.
        assert "PLAYGROUND_REQUIRE_ISOLATION" not in text_of(at.error)
        assert "server log" in text_of(at.error)
        assert at.button(key="run").disabled and at.button(key="submit").disabled
        assert not at.success
    finally:
        services_module.stop_services()
        monkeypatch.undo()


def test_without_auth_secrets_there_is_no_account_section() -> None:
    at = open_page(new_learner())
    assert "login" not in keys(at)
    # The history export is built only when asked for.
    assert not at.get("download_button")
    at.button(key="prepare_export").click().run()
    assert at.get("download_button")


def test_with_auth_secrets_a_sign_in_button_appears_and_never_crashes() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "not-a-real-secret",
        "client_id": "playground",
        "client_secret": "not-a-real-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
    at.query_params["u"] = new_learner()
    at.run()
    assert not at.exception
    assert "login" in keys(at)
    at.button(key="login").click().run()
    assert not at.exception


def test_safe_store_turns_failures_into_sentences(tmp_path: Path) -> None:
    missing = SafeStore(None, "The database is broken.")
    assert missing.load_draft("abcdefgh12", "p") == (None, False)
    assert not missing.save_draft("abcdefgh12", "p", "x")
    assert "not saved" in missing.warnings[0]
    store, error = Store.open_or_error(tmp_path)
    assert error is None
    safe = SafeStore(store)
    added, problem = safe.import_json("abcdefgh12", b"{not json")
    assert added is None and "not valid JSON" in problem
    assert safe.save_draft("abcdefgh12", "p", "code") and safe.load_draft("abcdefgh12", "p") == ("code", True)
    store.close()
    assert not safe.save_draft("abcdefgh12", "p", "code")
    assert safe.warnings


def test_learner_id_from_the_url_is_kept_or_replaced() -> None:
    generated = new_learner()
    assert learner_from_query(generated) == (generated, False)
    assert learner_from_query("abcdefgh12")[1], "only ids in the generated format are taken from the address"
    fresh, rewrite = learner_from_query("bad id!")
    assert rewrite and is_valid_learner_id(fresh)
    account = account_learner_id({"is_logged_in": True, "iss": "https://id.example", "sub": "ada"})
    taken, rewrite = learner_from_query(account)
    assert rewrite and taken != account and not taken.startswith("acct-"), "an account's work is not an address away"
    assert problem_from_query(None, ["a", "b"]) == ("a", None)
    assert problem_from_query("b", ["a", "b"]) == ("b", None)


def test_editor_events_apply_once() -> None:
    state = PageState("abcdefgh12")
    state.sources["p"] = "old"
    assert take_editor_event(state, "p", {"id": "", "type": "", "text": ""}) is None
    assert take_editor_event(state, "p", {"id": "e1", "type": "blur", "text": "new"}) == "blur"
    assert state.sources["p"] == "new"
    state.sources["p"] = "newer"
    assert take_editor_event(state, "p", {"id": "e1", "type": "blur", "text": "new"}) is None
    assert state.sources["p"] == "newer"
    assert take_editor_event(state, "p", {"id": "e2", "type": "submit", "text": "ran"}) == "submit"
    assert state.sources["p"] == "ran"
    assert take_editor_event(state, "p", {"id": "e3", "type": "change", "text": "typing"}) == "change"
    assert state.sources["p"] == "typing"
    assert take_editor_event(state, "p", {"id": "e4", "type": "selection", "text": "ignored"}) == "selection"
    assert state.sources["p"] == "typing"


def test_repeat_guard_only_catches_the_same_request() -> None:
    state = PageState("abcdefgh12")
    state.results["p"] = Result("key", "run", "src", {}, [], finished=100.0)
    assert is_repeat(state, "p", "key", now=100.5)
    assert not is_repeat(state, "p", "key", now=105.0)
    assert not is_repeat(state, "p", "other", now=100.5)
    state.judging = "key"
    assert is_repeat(state, "p", "key", now=time.monotonic() + 60)


def test_learner_text_is_shown_as_written() -> None:
    assert escape_markdown("first failure is example_1 in in_features") == "first failure is example_1 in in_features"
    assert escape_markdown("Start in __init__ with `a_b`") == "Start in `__init__` with `a_b`"
    # The word joiner after "http:" keeps Streamlit from linking the bare address (see escape_markdown).
    assert escape_markdown("![x](http://evil) $1$ <b>") == "\\!\\[x\\](http\\:\u2060//evil) \\$1\\$ \\<b\\>"


def test_input_checks() -> None:
    assert source_issue("x = 1  # café\n", "f", 100) is None
    assert "U+2212" in source_issue("x = 1 − 2\n", "f", 100)
    assert "control character" in source_issue("x = 1\x00\n", "f", 100)
    assert fix_lookalikes("x = “a” − 1") == 'x = "a" - 1'
    inputs, error = parse_custom(PROBLEM, {"seed": "1", "features": "2", "x": "3, 4"})
    assert error is None and inputs == {"seed": 1.0, "features": 2.0, "x": [3.0, 4.0]}
    assert "Fill in" in parse_custom(PROBLEM, {"seed": "", "features": "2", "x": "1"})[1]
    assert parse_custom(PROBLEM, {"seed": "1.5", "features": "2", "x": "1"})[0] is None


def _query(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def test_next_and_previous_walk_the_track_and_keep_each_draft() -> None:
    from playground.problems import all_problems

    ids = list(all_problems())
    if len(ids) < 2:
        pytest.skip("the track has a single problem")
    at = open_page(new_learner())
    assert at.button(key="previous_problem").disabled
    press(at, PROBLEM.starter + "\n# my draft for the first problem\n", "run")
    at.button(key="next_problem").click().run()
    assert not at.exception
    assert _query(at, "problem") == ids[1]
    assert at.text_area(key="code").value == get_problem(ids[1]).starter
    at.button(key="previous_problem").click().run()
    assert not at.exception
    assert _query(at, "problem") == ids[0]
    assert "# my draft for the first problem" in at.text_area(key="code").value
