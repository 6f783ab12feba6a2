"""Parts of the page that rerun alone (st.fragment), and the way back to a run of the whole page."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx


def in_fragment_rerun() -> bool:
    """True while only a fragment of the page reruns (a widget inside it changed), not the whole page."""
    run = get_script_run_ctx()
    return bool(run is not None and run.fragment_ids_this_run)


def rerun_whole_page() -> None:
    """After a change other parts of the page show (new code in the editor, a new problem), redraw them all."""
    if in_fragment_rerun():
        st.rerun(scope="app")
