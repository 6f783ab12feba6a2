"""The history panel: past submissions as a table, and one opened with its verdict, code and diff."""

from __future__ import annotations

import logging

import streamlit as st

from playground.store import SubmissionRecord
from playground.web import callbacks
from playground.web.boot import Ctx
from playground.web.fragments import rerun_whole_page
from playground.web.history import browser_zone, code_diff, history_rows, record_label
from playground.web.services import services
from playground.web.verdict_panel import show_banner, show_details

log = logging.getLogger("playground.page")
HISTORY_COLUMNS = {
    "#": st.column_config.TextColumn(width="small"),
    "When": st.column_config.TextColumn(width="medium"),
    "Result": st.column_config.TextColumn(width="medium"),
    "Passed": st.column_config.TextColumn(width="small"),
    "Time": st.column_config.TextColumn(width="small"),
}


@st.fragment
def history_panel(ctx: Ctx, records: list[SubmissionRecord]) -> None:
    """Past submissions: a table, and one opened with its verdict, code and diff (reruns alone while browsed)."""
    st.subheader(f"Your submissions ({len(records)})")
    if not records:
        st.caption("Nothing submitted yet: every Submit is recorded here with its verdict and code.")
        return
    zone = browser_zone(getattr(st.context, "timezone", None))
    st.dataframe(history_rows(records, zone=zone), hide_index=True, width="stretch", column_config=HISTORY_COLUMNS,
                 height=min(400, 38 + 35 * len(records)))
    by_id = {r.id: r for r in records if not r.unreadable}
    number = {r.id: len(records) - i for i, r in enumerate(records)}
    if len(by_id) < len(records):
        st.caption(f"{len(records) - len(by_id)} of these submissions cannot be read (a damaged or altered row), so"
                   " they are listed but cannot be opened.")
    chosen = st.selectbox("Open a submission", list(by_id), index=None, key="open_submission",
                          format_func=lambda i: record_label(number[i], by_id[i], zone=zone),
                          placeholder="Choose one to see its verdict, its code and what changed since")
    if chosen in by_id:
        try:
            old_submission(ctx, by_id[chosen], number[chosen])
        except Exception:  # noqa: BLE001 - a stored row must never take the page down
            log.exception("Submission %s could not be shown", chosen)
            st.warning("This submission cannot be shown (its stored data is damaged); it is skipped.")


def old_submission(ctx: Ctx, record: SubmissionRecord, number: int) -> None:
    """One past submission: its verdict, code, diff against the current code, and loading it back."""
    with st.container(border=True):
        show_banner(record.verdict)
        with st.expander("Every test and what it printed"):
            show_details(record.verdict, record.figures, f"old-{record.id}")
            if not record.figures:
                st.caption("This submission was recorded before charts were kept: load its code and Run it to see them.")
        code_tab, diff_tab = st.tabs(["Its code", "What changed since (diff)"])
        with code_tab:
            st.code(record.code, language="python", line_numbers=True)
        with diff_tab:
            current = ctx.state.sources[ctx.problem.id]
            diff = code_diff(record.code, current, f"submission #{number}", "your current code",
                             (ctx.services or services()).limits.diff_lines)
            st.code(diff or "No differences: your current code is this submission.", language="diff")
        if ctx.state.confirm == f"load:{record.id}":
            st.warning("Replace the code in the editor with this submission? Your current code will be gone "
                       "unless you submitted it.")
            yes, no = st.columns(2)
            if yes.button("Yes, load it", key="load_yes", on_click=callbacks.replace_code,
                          args=(ctx.problem.id, record.code)):
                rerun_whole_page()  # the editor, outside this panel, shows the loaded code
            no.button("Keep my code", key="load_no", on_click=callbacks.ask, args=(None,))
        else:
            st.button("Load this code into the editor", key="load", on_click=callbacks.ask, args=(f"load:{record.id}",))
