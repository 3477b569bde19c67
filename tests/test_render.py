"""Rendering through jinja2: what the templates see and how they escape."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
import markupsafe
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.render import escape_text, long_date, make_environment


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
    """Templates escape through render.escape_text: the text of markupsafe's escape, in every
    template a site loads, and every construct that uses what an output expression gives
    (blocks set, filtered, called, included, macros imported from another file) renders
    what stock jinja2 renders."""
    assert escape_text(value) == str(markupsafe.escape(value))
    templates = {
        "m.html": "{% macro show(v) %}[{{ v }}]{% endmacro %}"
        "{% macro wrap() %}({{ caller() }}){% endmacro %}",
        "i.html": "<{{ v }}>",
        "page.html": "{% from 'm.html' import show, wrap %}{{ v }}{{ show(v) }}{{ show(v) ~ v }}"
        "{% set b %}{{ v }}&{% endset %}{{ b }}{{ b|upper }}{{ b ~ v }}{{ b|length }}"
        "{% filter upper %}{{ v }}{% endfilter %}{% call wrap() %}{{ v }}{% endcall %}"
        "{% include 'i.html' %}{{ [v, v]|join(',') }}{{ v|e }}{{ v|string }}",
    }
    env = make_environment(Path("no-layouts"))
    env.loader = jinja2.DictLoader(templates)
    stock = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True)
    page = env.get_template("page.html").render(v=value)
    assert page == stock.get_template("page.html").render(v=value)
    escaped = str(markupsafe.escape(value))
    assert page.startswith(f"{escaped}[{escaped}]")


def test_every_template_escapes_through_escape_text() -> None:
    """The rebinding reaches templates loaded by name, from the built-in folder."""
    env = make_environment(Path("no-layouts"))
    for name in ("base.html", "list.html", "macros.html"):
        assert env.get_template(name).root_render_func.__globals__["escape"] is escape_text


def test_contexts_hold_the_globals_as_jinja2_makes_them() -> None:
    """FastEscapeTemplate.new_context builds from plain dicts what jinja2 builds from its
    ChainMap: jinja2's globals, the environment's, the page's variables over both."""
    env = make_environment(Path("no-layouts"))
    env.globals["greeting"] = "hello"
    env.loader = jinja2.DictLoader(
        {"page.html": "{{ greeting }} {{ range(3)|list }} {{ shadow }}", "base.html": "[{{ x }}]"}
    )
    page = env.get_template("page.html")
    assert page.render(shadow="mine") == "hello [0, 1, 2] mine"
    assert page.render(greeting="over", shadow=1) == "over [0, 1, 2] 1"
    mine = page.new_context({"shadow": 2})
    theirs = jinja2.Template.new_context(page, {"shadow": 2})
    assert dict(mine.parent) == dict(theirs.parent)
    assert mine.globals_keys == theirs.globals_keys
    # `include` and `import` pass jinja2's own arguments (shared, locals): jinja2's path.
    child = env.from_string("{% include 'base.html' %}{% set x = 5 %}{% include 'base.html' %}")
    assert child.render(x=1) == "[1][5]"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.sampled_from([None, 2]))
def test_tojson_writes_what_jinja2s_filter_writes(value: object, indent: int | None) -> None:
    """The JSON-LD filter (`html_safe_json`, one encoder for every page) writes the bytes of
    jinja2's own `tojson` under the same policies, <, >, & and ' escaped included."""
    ours = make_environment(Path("no-layouts"))
    stock = jinja2.Environment(autoescape=True)
    stock.policies["json.dumps_kwargs"] = ours.policies["json.dumps_kwargs"]
    source = "<script>{{ v|tojson }}</script>" if indent is None else "{{ v|tojson(2) }}"
    assert ours.from_string(source).render(v=value) == stock.from_string(source).render(v=value)


def test_imported_macros_see_the_page_globals_jinja2_gives_them() -> None:
    """`{% from %}` takes the macros module made once when the page brings no globals of its
    own, and a fresh one, as jinja2 does, when a template was given some."""
    env = make_environment(Path("no-layouts"))
    env.loader = jinja2.DictLoader(
        {
            "m.html": "{% macro hi() %}{{ who | default('nobody') }}{% endmacro %}",
            "page.html": "{% from 'm.html' import hi %}{{ hi() }}",
        }
    )
    assert env.get_template("page.html").render() == "nobody"
    assert env.get_template("page.html").render(who="x") == "nobody"  # not a global: unseen
    env.loader.mapping["g.html"] = "{% from 'm.html' import hi %}{{ hi() }}"  # type: ignore[attr-defined]
    assert env.get_template("g.html", globals={"who": "me"}).render() == "me"
    assert env.get_template("page.html").render() == "nobody"


def test_longdate_names_the_day_of_each_datetime_it_is_given() -> None:
    """Dates are remembered by value (`render.long_date`): not datetimes, of which two in
    different zones are equal on different days. A site's template may pass one."""
    utc = dt.datetime(2026, 2, 6, 23, 30, tzinfo=dt.UTC)
    paris = dt.datetime(2026, 2, 7, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert utc == paris
    assert [long_date(utc), long_date(paris)] == ["6 February 2026", "7 February 2026"]
    assert long_date(dt.date(2026, 2, 6)) == long_date(dt.date(2026, 2, 6)) == "6 February 2026"


def test_memo_makes_a_macro_once_for_the_same_arguments() -> None:
    """`{{ m|memo(x) }}` is `{{ m(x) }}`, made the first time these arguments come; a macro
    imported with context (made again for each page) and unhashable arguments are never
    taken from another call."""
    env = make_environment(Path("no-layouts"))
    env.loader = jinja2.DictLoader(
        {
            "m.html": "{% macro item(x) %}<i>{{ x }}</i>{{ calls.append(x) or '' }}{% endmacro %}"
            "{% macro titled(x) %}{{ x }} on {{ page }}{% endmacro %}",
            "page.html": "{% from 'm.html' import item %}"
            "{% for x in xs %}{{ item|memo(x) }}{% endfor %}",
            "ctx.html": "{% from 'm.html' import titled with context %}{{ titled|memo(1) }}",
        }
    )
    calls: list[object] = []
    env.globals["calls"] = calls
    page = env.get_template("page.html")
    assert page.render(xs=["a", "<b>", "a"]) == "<i>a</i><i>&lt;b&gt;</i><i>a</i>"
    assert page.render(xs=["a", "<b>"]) == "<i>a</i><i>&lt;b&gt;</i>"
    assert calls == ["a", "<b>"]  # once each, over two pages
    assert page.render(xs=[["list"], ["list"]]) == "<i>[&#39;list&#39;]</i>" * 2
    assert calls == ["a", "<b>", ["list"], ["list"]]  # unhashable: made each time
    typed = env.from_string(
        "{% from 'm.html' import item %}{{ item|memo(x|safe) }}{{ item|memo(x) }}"
        "{{ item|memo(1) }}{{ item|memo(true) }}{{ item|memo(1.0) }}"
    )
    assert typed.render(x="<b>") == "<i><b></i><i>&lt;b&gt;</i><i>1</i><i>True</i><i>1.0</i>"
    ctx = env.get_template("ctx.html")
    assert [ctx.render(page="p1"), ctx.render(page="p2")] == ["1 on p1", "1 on p2"]


def test_a_memoised_sidebar_is_on_every_page_as_written(make_site, run_cli) -> None:
    """A site's own macro, the same on every page, through `memo` in its base template: each
    page shows it, from its own depth, and a second build (a new site title) shows the edit."""
    from tests.test_build import small_corpus

    base = (Path(__file__).parents[1] / "sitegen/templates/base.html").read_text()
    sidebar = "{% from 'side.html' import latest %}{{ latest|memo(root, site.title) }}\n</main>"
    files = small_corpus(3) | {
        "layouts/side.html": "{% macro latest(root, title) %}"
        '<aside><a href="{{ root }}archive/">{{ title }} archive</a></aside>{% endmacro %}',
        "layouts/base.html": base.replace("</main>", sidebar, 1),
        "sitegen.yaml": "title: Site\n",
    }
    site = make_site(files)
    public = site / "public"
    for title in ("Site", "Other"):
        (site / "sitegen.yaml").write_text(f"title: {title}\n")
        assert run_cli(site, "build").exit_code == 0
        pages = sorted(public.rglob("index.html"))
        assert len(pages) > 6
        for page in pages:
            root = "../" * (len(page.relative_to(public).parts) - 1) or "./"
            expected = f'<aside><a href="{root}archive/">{title} archive</a></aside>'
            assert page.read_text().count(expected) == 1, page
