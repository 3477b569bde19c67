"""Helpers for the tests of feeds, metadata, `sitegen check` and sub-path deploys."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from click.testing import Result

from tests.conftest import article_text


def tagged(date: str, title: str, tags: list[str], *paragraphs: str, **kw: str | None) -> str:
    """An article with front-matter tags (derived tags are another stage's business)."""
    return f"---\ntags: {json.dumps(tags)}\n---\n" + article_text(date, title, *paragraphs, **kw)


def corpus(count: int, tags: tuple[str, ...] = ("Cuba", "Energy")) -> dict[str, str]:
    """`count` articles on consecutive days of 2026, alternating between the tags given."""
    files = {}
    for n in range(count):
        day = f"2026-01-{n % 28 + 1:02d}" if n < 28 else f"2026-02-{n % 28 + 1:02d}"
        files[f"articles/{n:03d}_{n:016x}.txt"] = tagged(
            day, f"Story number {n}", [tags[n % len(tags)]], f"Paragraph of story {n}."
        )
    return files


def build(make_site: Callable[..., Path], run_cli: Callable[..., Result], files: dict) -> Path:
    """Build a site from files; return its public/ folder."""
    site = make_site(files)
    result = run_cli(site, "build")
    assert result.exit_code == 0, result.output
    return site / "public"


@dataclass
class Page:
    """What the tests look at in an HTML page: its head metadata and every URL it holds."""

    title: str = ""
    meta: dict[str, list[str]] = field(default_factory=dict)  # name or property -> contents
    links: list[dict[str, str]] = field(default_factory=list)  # <link> attributes
    anchors: list[dict[str, str]] = field(default_factory=list)  # <a> attributes
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)  # attrs, text
    urls: list[str] = field(default_factory=list)  # every href and src, in order

    def link(self, rel: str) -> list[dict[str, str]]:
        return [attrs for attrs in self.links if rel in attrs.get("rel", "").split()]

    def first(self, name: str) -> str:
        return self.meta[name][0]


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in: str | None = None
        self._text: list[str] = []
        self._attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.page.urls += [values[name] for name in ("href", "src") if name in values]
        if tag == "meta" and ("name" in values or "property" in values):
            key = values.get("property") or values["name"]
            self.page.meta.setdefault(key, []).append(values.get("content", ""))
        elif tag == "link":
            self.page.links.append(values)
        elif tag == "a":
            self.page.anchors.append(values)
        elif tag in ("title", "script"):
            self._in, self._text, self._attrs = tag, [], values

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in == "title":
            self.page.title = "".join(self._text)
        elif tag == self._in == "script":
            self.page.scripts.append((self._attrs, "".join(self._text)))
        if tag == self._in:
            self._in = None


def parse_page(path: Path) -> Page:
    return parse_html(path.read_text(encoding="utf-8"))


def parse_html(text: str) -> Page:
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    return parser.page


def html_pages(public: Path) -> list[Path]:
    return sorted(public.rglob("*.html"))
