"""Rendering through jinja2: what the templates see and how they escape."""

from __future__ import annotations

from pathlib import Path

import jinja2
import markupsafe
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.render import escape_text, make_environment


class _Html:
    """An object that renders itself as HTML, as a Markup or a jinja2 macro result does."""

    def __html__(self) -> str:
        return "<b>safe</b>"


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.text().map(markupsafe.Markup),
        st.integers(),
        st.floats(allow_nan=False),
        st.none(),
        st.just(_Html()),
    )
)
def test_templates_escape_exactly_as_markupsafe(value: object) -> None:
    """Templates escape through render.escape_text: the same Markup as markupsafe's escape,
    in every template a site loads, macros imported from another file included."""
    assert escape_text(value) == markupsafe.escape(value)
    assert type(escape_text(value)) is markupsafe.Markup
    env = make_environment(Path("no-layouts"))
    env.loader = jinja2.DictLoader({"m.html": "{% macro show(v) %}[{{ v }}]{% endmacro %}"})
    page = env.from_string("{% from 'm.html' import show %}{{ v }}{{ show(v) }}")
    escaped = str(markupsafe.escape(value))
    assert page.render(v=value) == f"{escaped}[{escaped}]"


def test_every_template_escapes_through_escape_text() -> None:
    """The rebinding reaches templates loaded by name, from the built-in folder."""
    env = make_environment(Path("no-layouts"))
    for name in ("base.html", "list.html", "macros.html"):
        assert env.get_template(name).root_render_func.__globals__["escape"] is escape_text
