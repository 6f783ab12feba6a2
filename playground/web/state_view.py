"""The model-state view: the learner's state tree beside the reference's, and what differs in words."""

from __future__ import annotations

from typing import Protocol

import plotly.graph_objects as go
import streamlit as st

from playground.judge.model_state import ModelState
from playground.judge.state_diff import StateDifference, compare_states
from playground.judge.verdict import Figures
from playground.web.format import escape_markdown

NOT_RUN = "This test did not run to its end, so the state of your model is not known."
NO_MODULE = "Your code built no module while this test ran (no nnx.Module was created), so there is no state to draw."
CHART_CONFIG = {"displaylogo": False}


def show_model_state(built: StateCharts, key: str) -> None:
    """Both state trees side by side for the picked test, then the differences as a list."""
    mine, theirs = built.figures.learner_state, built.figures.reference_state
    if mine is None and theirs is None:
        return  # nothing was described (the test did not run): nothing to show or explain
    st.markdown("**Your model's state beside the reference's** (a box per Variable, sized by its number of elements)")
    differences = built.differences
    left, right = st.columns(2)
    with left:
        if mine is None:
            st.caption(NOT_RUN)
        elif not mine.built:
            st.info(NO_MODULE, icon=":material/info:")
        elif mine.unreadable:
            st.warning("Your module's state could not be read, so it cannot be drawn.")
        else:
            st.plotly_chart(built.learner_state, key=f"state-mine-{key}", config=CHART_CONFIG)
    with right:
        if theirs is None or not theirs.built:
            st.caption("The reference builds no module for this problem.")
        else:
            st.plotly_chart(built.reference_state, key=f"state-ref-{key}", config=CHART_CONFIG)
    if differences:
        st.markdown("**What differs** (outlined in red above)\n" + "\n".join(f"- {escape_markdown(d.words)}" for d in differences))
    elif mine is not None and mine.built and theirs is not None and theirs.built and not mine.unreadable:
        st.caption("Your module has the same Variables, of the same types and shapes, as the reference's.")


class StateCharts(Protocol):
    """What the state view draws from: the test's described states, their differences and their figures."""

    figures: Figures
    differences: list[StateDifference]
    learner_state: go.Figure | None
    reference_state: go.Figure | None


def differences_between(mine: ModelState | None, theirs: ModelState | None) -> list[StateDifference]:
    """The differences to mark, or none when either side has nothing to compare."""
    if mine is None or theirs is None or not mine.built or not theirs.built or mine.unreadable:
        return []
    return compare_states(mine, theirs)
