"""The sidebar: problem picker with progress, editor choice, account, saved work and the sandbox."""

from __future__ import annotations

import streamlit as st

from playground.problems import all_problems
from playground.web import callbacks
from playground.web.anon_cookie import remember_in_browser
from playground.web.boot import Ctx, auth_configured
from playground.web.editor_panel import has_code_editor
from playground.web.format import escape_markdown
from playground.web.history import progress_label
from playground.web.sandbox_status import limit_lines, missing_sentence, protection_lines
from playground.web.services import services
from playground.web.session import forget_unedited


def sidebar(ctx: Ctx) -> None:
    """Problem picker with progress, editor choice, saving, account and the sandbox."""
    st.header(":material/science: flax.nnx playground")
    problems = all_problems()
    progress = ctx.store.progress(ctx.state.learner_id)
    if st.session_state.get("problem_picker") != ctx.problem.id:
        st.session_state["problem_picker"] = ctx.problem.id
    # Labels stay fixed (the browser keeps the picked label); progress goes in the captions.
    st.radio(
        "Problem",
        list(problems),
        key="problem_picker",
        format_func=lambda pid: problems[pid].title,
        captions=[progress_label(progress.get(pid)) for pid in problems],
        on_change=callbacks.pick_problem,
    )
    ids = list(problems)
    index = ids.index(ctx.problem.id)
    before, after = st.columns(2)
    before.button("Previous", key="previous_problem", icon=":material/arrow_back:", width="stretch",
                  disabled=index == 0, on_click=callbacks.go_to, args=(ids[max(index - 1, 0)],))
    after.button("Next", key="next_problem", icon=":material/arrow_forward:", width="stretch",
                 disabled=index == len(ids) - 1, on_click=callbacks.go_to, args=(ids[min(index + 1, len(ids) - 1)],))
    st.toggle(
        "Plain text editor",
        key="plain_editor",
        help="A simple text box instead of the code editor: handy with screen readers or on a phone.",
    )
    if not has_code_editor():
        st.caption("The code editor component is not installed, so the plain text box is used.")
    account_section(ctx)
    saving_section(ctx)
    sandbox_section(ctx)


def account_section(ctx: Ctx) -> None:
    """Sign in and claim this browser's work, only when st.login is configured."""
    if not auth_configured():
        return
    st.subheader("Account")
    remember_in_browser(ctx.anon_id, forget=ctx.anon_restored)
    if ctx.account_id is None:
        st.caption("Sign in to keep your work with your account instead of this page's address.")
        st.button("Sign in", key="login", on_click=callbacks.login)
        return
    st.caption(f"Signed in as {escape_markdown(ctx.account_name)}: your work follows your account.")
    if st.button("Move this browser's anonymous work to my account", key="claim"):
        # ctx.anon_id is this browser's own id (boot checked it against the browser's cookie).
        moved, error = ctx.store.claim(ctx.anon_id, ctx.account_id)
        if error:
            st.error(escape_markdown(error))
        elif moved == 0:
            st.info("Nothing to move: this browser has no anonymous work that your account does not already have.")
        else:
            reload_with_notice(ctx, f"Moved {moved} saved items from this browser to your account.")
    st.button("Sign out", key="logout", on_click=st.logout)


def reload_with_notice(ctx: Ctx, notice: str) -> None:
    """Redraw the page from the store (history, progress, untouched drafts) and say what happened."""
    forget_unedited(ctx.state)
    ctx.state.notice = ("success", notice)
    st.rerun()


@st.fragment
def saving_section(ctx: Ctx) -> None:
    """Where work is kept, and export and import of the whole history (reruns alone until an import)."""
    with st.expander("Your saved work", icon=":material/save:"):
        st.caption(
            "Drafts save a moment after you stop typing and on every Run and Submit. They belong to the "
            "learner id in this page's address (`u=`): bookmark it to come back, and keep it private."
        )
        export_button(ctx)
        upload = st.file_uploader("Import a history file", type=["json"], key="import_file")
        if upload is not None and st.button("Import", key="import"):
            imports = (ctx.services or services()).imports
            wait = imports.take(ctx.state.learner_id)
            if wait:
                st.error(f"That is more than {imports.count} imports in an hour: try again in {wait / 60:.0f} min.")
                return
            added, error = ctx.store.import_json(ctx.state.learner_id, upload.getvalue())
            if error:
                st.error(escape_markdown(error))
            else:
                reload_with_notice(ctx, f"Imported {added} new submission{'s' if added != 1 else ''} "
                                        "(drafts you already had were kept).")


def export_button(ctx: Ctx) -> None:
    """The history download, built from the store only once asked for (and then for this run only)."""
    if not st.session_state.get("export_asked"):
        st.button("Prepare my history for download", key="prepare_export", icon=":material/download:",
                  on_click=lambda: st.session_state.update(export_asked=True))
        return
    st.session_state["export_asked"] = False
    data = ctx.store.export_json(ctx.state.learner_id)
    if data is not None:
        st.download_button(
            "Download my history (JSON)",
            data=data,
            file_name="flax-nnx-playground-history.json",
            mime="application/json",
            key="export",
            on_click="ignore",
        )


def sandbox_section(ctx: Ctx) -> None:
    """The limits every run has and the protections around it."""
    with st.expander("Sandbox", icon=":material/shield:"):
        if ctx.judge is None:
            st.caption("The sandbox is not running.")
            return
        st.markdown("**Each run may use at most**")
        st.markdown("\n".join(f"- {line}" for line in limit_lines(ctx.judge.limits, (ctx.services or services()).limits.code_bytes)))
        active = ctx.judge.protections
        if active:
            st.markdown("**Your code**")
            st.markdown("\n".join(f"- {line}" for line in protection_lines(active)))
        else:
            st.caption("Protections are listed once the first sandbox is ready.")
    if sandbox_restarting(ctx.judge):
        st.warning("Sandbox restarting after a failure on our side: your next Run or Submit waits until it is "
                   "ready.", icon=":material/autorenew:")
    missing = missing_sentence(ctx.judge.missing_protections()) if ctx.judge and ctx.judge.protections else None
    if missing:
        st.warning(missing)


def sandbox_restarting(judge: object) -> bool:
    """True when the judge reports its sandbox is restarting (a judge without `health` never is)."""
    health = getattr(judge, "health", None)
    state = getattr(health, "state", health)  # an object with .state (an enum or a string), or the state itself
    return getattr(state, "value", state) == "restarting"
