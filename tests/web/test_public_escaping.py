"""Learner- and address-controlled text on the page: the one escaping function against CommonMark's own parser
(markdown-it-py, with GFM tables and strikethrough), and plotly titles and labels HTML-escaped."""

from __future__ import annotations

import html
import json
import re

import pytest
from markdown_it import MarkdownIt

from playground.judge.model_state import ModelState
from playground.judge.verdict import Figures, Panel
from playground.web import format as page_format
from playground.web.figures import kernel_figure, output_figure, panel_figure
from playground.web.format import banner, code_span, escape_markdown
from playground.web.state_figures import state_figure

COMMONMARK = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# What a string shown "as text" must never become.
CONSTRUCTS = re.compile(r"<(a|img|em|strong|h[1-6]|table|del|s|ul|ol|li|blockquote|hr|pre|script|iframe)\b")

HOSTILE = [
    "[Session expired, sign in again](https://evil.example/login)",
    "![tracker](https://evil.example/pixel.png)",
    "<https://evil.example> <img src=x onerror=alert(1)> <script>alert(1)</script>",
    "https://evil.example/a www.evil.example/b mailto:x@evil.example a@evil.example",
    "``` [link](https://evil.example) ```",
    "`a``[x](https://evil.example)`",
    "```` ``x`` ```` [y](https://evil.example)",
    "Title\n===",
    "Title\n---",
    "a | b\n--|--\n1 | 2",
    "# Accepted\n## Accepted",
    "1. one\n2) two\n- three\n+ four\n* five\n> quote",
    "***\n___\n- - -",
    "**Accepted** _all_ *tests* ~~failed~~ __init__ __bold__",
    "&lt;b&gt; &#x41; &amp;",
    "\\[x](https://evil.example) \\\\[y](https://evil.example)",
    "[ref]: https://evil.example\n[ref]",
    "$x^2$ $$y$$ :red[Accepted] :material/check_circle: :smile:",
    "line one  \nline two\\\nline three",
    "[a](<https://evil.example>) [b](https://evil.example \"title\")",
]


def visible_text(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).replace("\u2060", "")


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_is_shown_as_written_by_a_commonmark_parser(text: str) -> None:
    rendered = COMMONMARK.render(escape_markdown(text))
    assert not CONSTRUCTS.search(rendered), rendered
    # Paired single backticks become code spans (their text unchanged); every other character is shown as written.
    def comparable(value: str) -> str:
        return "".join(value.split()).replace("`", "")

    assert comparable(visible_text(rendered)) == comparable(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_no_bare_link_survives_for_gfm_autolinks_or_streamlit_shortcodes(text: str) -> None:
    escaped = escape_markdown(text)
    # Streamlit swaps ":material/" before parsing; remark-emoji (":name:") and remark-gfm's bare links
    # (scheme://x, www.x, a@b.c) work on the parsed text, so what they see is the text as rendered.
    assert ":material/" not in escaped
    shown = html.unescape(re.sub(r"<[^>]+>", " ", COMMONMARK.render(escaped)))
    assert not re.search(r"(?i)(https?|mailto)://|www\.|@\w|:\w+:", shown), shown


def test_ordinary_words_stay_as_they_are() -> None:
    assert escape_markdown("first failure is example_1 in in_features") == "first failure is example_1 in in_features"
    assert COMMONMARK.render(escape_markdown("Start in __init__ with `a_b`")).count("<code>") == 2


def test_code_spans_hold_any_text() -> None:
    for text in ["a`b", "``", "x | y", "[a](https://evil.example)", "line\nbreak"]:
        rendered = COMMONMARK.render(code_span(text))
        assert rendered.startswith("<p><code>") and not CONSTRUCTS.search(rendered)


def test_a_verdict_from_an_import_cannot_fake_a_badge_or_a_link() -> None:
    verdict = {"status": "wrong_answer", "mode": "submit", "message": "**Accepted** [more](https://evil.example)",
               "tests": [{"name": "t`1 [x](https://evil.example)", "hidden": False, "passed": False,
                          "message": "![p](https://evil.example/p.png)", "input": {"x": [1]}}]}
    rendered = COMMONMARK.render(banner(verdict))
    assert rendered.count("<strong>") == 1 and "Wrong answer" in rendered and "<a " not in rendered
    for cell in page_format.test_rows(verdict)[0].values():
        assert not CONSTRUCTS.search(COMMONMARK.render(cell))


def test_plotly_titles_and_labels_are_html_escaped() -> None:
    evil = '<a href="https://evil.example">Accepted</a><img src=x>'
    figures = Figures(evil, [[1.0, 2.0]], [[1.0, 3.0]], evil, [1.0], [2.0],
                      panels=[Panel("bars", evil, [1.0], [2.0], evil)])
    specs = [kernel_figure(figures), output_figure(figures), panel_figure(figures.panels[0], evil)]
    state = ModelState.from_dict({
        "module": evil, "total": 1, "modules": 1, "truncated": False, "unreadable": False, "traced": False,
        "variables": [{"path": f"layer/{evil}", "type": evil, "shape": [2], "dtype": "float32", "size": 2,
                       "min": 0.0, "max": 1.0, "mean": 0.5}],
    })
    if state is not None:
        specs.append(state_figure(state, "Your model", {f"layer/{evil}": evil}))
    for figure in specs:
        shown = json.dumps(list(displayed(figure.to_plotly_json())))
        assert "evil.example" in shown and "<a href" not in shown and "<img" not in shown, shown[:500]


def displayed(spec: object, key: str = ""):
    """Every string plotly draws as text: titles, labels, hover texts, trace names, annotations."""
    if isinstance(spec, dict):
        for inner_key, value in spec.items():
            yield from displayed(value, inner_key)
    elif isinstance(spec, (list, tuple)):
        for value in spec:
            yield from displayed(value, key)
    elif isinstance(spec, str) and key in {"text", "labels", "hovertext", "name", "hovertemplate", "title"}:
        yield spec
