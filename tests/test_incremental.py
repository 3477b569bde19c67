"""Incremental builds give exactly the bytes of a clean build, whatever changed; the cache is
never trusted blindly; parallel builds give the same bytes as single-process ones."""

from __future__ import annotations

import contextlib
import errno
import marshal
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sitegen.build as build_module
import sitegen.read as read_module
from sitegen import BUILTIN_TEMPLATES
from sitegen.build import BuildReport, build
from sitegen.cache import (
    SOURCES_FILE,
    CacheMemory,
    code_digest,
    country_data_stamp,
    sealed,
    template_digest,
    unsealed,
)
from sitegen.config import Config, load_config
from sitegen.errors import SitegenError
from tests.conftest import article_text, read_tree

TITLES = [
    "Harbor talks resume",
    "Grain prices climb",
    "Bridge reopens",
    "Council votes",
    "Storm passes",
]
DAYS = ["2026-01-01", "2026-01-02", "2026-01-02", "2026-02-10", "2025-12-31"]
PEOPLE = ["Ada Quell", "Bruno Marsh", "Cora Veld"]  # derived tags once two articles name one


def make_config(site: Path, output: str, cache: str) -> Config:
    """The site's config (two articles a page, so pagination has work), built into `output`."""
    config_file = site / "sitegen.yaml"
    if not config_file.exists():
        config_file.write_text("per_page: 2\n")
    return replace(load_config(config_file), output=site / output, cache=site / cache)


def clean_build(site: Path) -> dict[str, bytes]:
    """A build into an empty folder with an empty cache: the reference."""
    return clean_build_and_report(site)[1]


def clean_build_and_report(site: Path) -> tuple[BuildReport, dict[str, bytes]]:
    """`clean_build`, with its report: the warnings an incremental build must give too."""
    shutil.rmtree(site / "clean", ignore_errors=True)
    shutil.rmtree(site / "clean-cache", ignore_errors=True)
    report = build(make_config(site, "clean", "clean-cache"), jobs=1)
    return report, read_tree(site / "clean")


def incremental_build(site: Path, memory: CacheMemory | None = None):
    """A build into `public/`; with `memory`, as `watch` and `serve` build (cache.CacheMemory)."""
    report = build(make_config(site, "public", ".sitegen-cache"), jobs=1, memory=memory)
    return report, read_tree(site / "public")


def write_article(
    site: Path, name: str, date: str, title: str, body: str, tags: tuple[str, ...] = ()
) -> None:
    front = f"---\ntags: [{', '.join(tags)}]\n---\n" if tags else ""
    (site / "articles" / name).write_text(
        front + article_text(date, title, body, "Second paragraph.")
    )


operation = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 9), st.integers(0, 4), st.integers(0, 4)),
    st.tuples(st.just("retitle"), st.integers(0, 9), st.integers(0, 4)),
    st.tuples(st.just("edit-body"), st.integers(0, 9), st.text("abc xyz", min_size=1, max_size=12)),
    st.tuples(st.just("reword"), st.integers(0, 9), st.integers(0, 2)),
    st.tuples(st.just("redate"), st.integers(0, 9), st.integers(0, 4)),
    st.tuples(
        st.just("retag"),
        st.integers(0, 9),
        st.sampled_from([(), ("Alpha",), ("Alpha", "Beta"), ("Gamma",)]),
    ),
    st.tuples(st.just("mention"), st.integers(0, 9), st.integers(0, len(PEOPLE) - 1)),
    st.tuples(st.just("delete"), st.integers(0, 9)),
    st.tuples(st.just("rename"), st.integers(0, 9), st.integers(0, 9)),
    st.tuples(st.just("draft"), st.integers(0, 9)),
    st.tuples(st.just("slug"), st.integers(0, 9), st.integers(0, 2)),
    st.tuples(st.just("move"), st.integers(0, 9), st.sampled_from(["sub", "sub/deeper", "."])),
    st.tuples(st.just("markdown"), st.integers(0, 9)),
    st.tuples(st.just("per-page"), st.integers(0, 9), st.integers(1, 3)),
    st.tuples(
        st.just("retag"),
        st.integers(0, 9),
        st.sampled_from([("alpha",), ("ALPHA", "beta"), ("Gamma", "gamma")]),
    ),  # spellings of one tag: the name shown is the one most articles use
    st.tuples(st.just("twin"), st.integers(0, 9), st.booleans()),
    st.tuples(st.just("break"), st.integers(0, 9)),
    st.tuples(st.just("byline"), st.integers(0, 9)),
    st.tuples(st.just("stray"), st.integers(0, 9)),
    st.tuples(st.just("static"), st.integers(0, 4), st.booleans()),
)


def apply(site: Path, op: tuple) -> None:
    articles = site / "articles"
    stem = f"{op[1]:03d}_{op[1]:016x}"
    found = sorted(articles.rglob(f"{stem}.*"))  # moved into a folder, or made Markdown
    path = found[0] if found else articles / f"{stem}.txt"
    kind = op[0]
    if kind == "static":  # toggled: a file where an article's page or folder may be
        toggle_static(site, op)
        return
    if kind == "add":
        write_article(
            site,
            f"{stem}.txt",
            DAYS[op[2]],
            TITLES[op[3]],
            f"Body of {op[1]}.",
            ("Alpha",) if op[1] % 2 else (),
        )
    elif not path.exists():
        return
    elif kind == "retitle":
        text = path.read_text()
        lines = text.split("\n")
        i = next(n for n, line in enumerate(lines) if line.startswith(" date "))
        lines[i] = " ".join(lines[i].split(" ")[:3]) + " " + TITLES[op[2]]
        path.write_text("\n".join(lines))
    elif kind == "mention":
        path.write_text(path.read_text() + f"\n\nThe council met {PEOPLE[op[2]]}.")
    elif kind == "edit-body":
        path.write_text(path.read_text() + "\n\n" + op[2])
    elif kind == "reword":  # the first paragraph (the summary), to one of three wordings
        lead = f"Body of {op[1]}." if op[2] == 0 else f"Lead {op[2]} of {op[1]}."
        path.write_text(re.sub(r"(Body|Lead \d) of \d+\.", lead, path.read_text(), count=1))
    elif kind == "redate":
        path.write_text(re.sub(r" date \S+", f" date {DAYS[op[2]]}", path.read_text(), count=1))
    elif kind == "retag":
        text = path.read_text()
        body = text.split("---\n", 2)[-1] if text.startswith("---\n") else text
        path.write_text((f"---\ntags: [{', '.join(op[2])}]\n---\n" if op[2] else "") + body)
    elif kind == "per-page":  # a setting: every page is rendered again
        (site / "sitegen.yaml").write_text(f"per_page: {op[2]}\n{FEW_TAGS}")
        return
    elif kind == "draft":  # toggled: in the front matter, made if there is none
        text = path.read_text()
        if "draft: true\n" in text:
            path.write_text(text.replace("draft: true\n", ""))
        elif text.startswith("---\n"):
            path.write_text("---\ndraft: true\n" + text[4:])
        else:
            path.write_text("---\ndraft: true\n---\n" + text)
    elif kind == "slug":  # one of three slugs, so articles of one day can collide on it
        text = re.sub(r"slug: \w+\n", "", path.read_text())
        if text.startswith("---\n"):
            path.write_text(f"---\nslug: s{op[2]}\n" + text[4:])
        else:
            path.write_text(f"---\nslug: s{op[2]}\n---\n" + text)
    elif kind == "move":  # into a folder, or back to the top
        folder = articles / op[2]
        folder.mkdir(parents=True, exist_ok=True)
        path.rename(folder / path.name)
    elif kind == "markdown":  # the same text read as Markdown (its id is in its name)
        path.rename(path.with_suffix(".md" if path.suffix == ".txt" else ".txt"))
    elif kind == "twin":  # a copy with the same id in its name, sorting before or after it
        twin = f"{op[1]:03d}{'-' if op[2] else '~'}twin_{op[1]:016x}.txt"
        (articles / twin).write_text(path.read_text() + f"\n\nThe council met {PEOPLE[0]}.")
    elif kind == "delete":
        path.unlink()
    elif kind == "rename":
        path.rename(articles / f"{op[2]:03d}_{op[2]:016x}.txt")
    elif kind == "break":  # no article, until "redate" mends it: kept with its warning
        path.write_text(path.read_text().replace(" date 20", " date 19x", 1))
    elif kind == "byline":  # toggled: a byline naming nobody, a warning at its line
        text = path.read_text()
        staff, nobody = "\n\nBy Staff\n\n", "\n\nBy\n\n"
        path.write_text(
            text.replace(staff, nobody, 1) if staff in text else text.replace(nobody, staff, 1)
        )
    elif kind == "stray":  # toggled: an unknown front matter key, warned of at its line
        text = path.read_text()
        if "colour: red\n" in text:
            path.write_text(text.replace("colour: red\n", "", 1))
        elif text.startswith("---\n"):  # last: its line depends on the keys above it
            path.write_text(text.replace("\n---\n", "\ncolour: red\n---\n", 1))
        else:
            path.write_text("---\ncolour: red\n---\n" + text)


def toggle_static(site: Path, op: tuple) -> None:
    """A file of layouts/static/ at the permalink of the day and title an article starts
    with, or at its index.html; removed if there, else made (in the place of the other)."""
    _, n, folder = op
    place = site / "layouts/static" / DAYS[n].replace("-", "/") / TITLES[n].lower()
    place = place.with_name(place.name.replace(" ", "-"))
    path = place / "index.html" if folder else place
    if path.is_file():
        path.unlink()
        return
    if place.is_dir():
        shutil.rmtree(place)
    elif place.is_file():
        place.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Static {op}\n")


# One place for a name besides the front-matter tag: names mentioned compete for it, and a name
# two articles mention may be kept by one only, and dropped (`tags.drop_rare_names`).
FEW_TAGS = "tags:\n  max_per_article: 2\n"
# Two articles name Ada Quell, but the first keeps Cora Veld: Ada starts dropped, one mention
# away from a tag.
OPENING_MENTIONS = [
    f"The council met {PEOPLE[2]} and {PEOPLE[0]}.",
    f"{PEOPLE[0]} spoke.",
    f"{PEOPLE[2]} left.",
    "",
]


@settings(
    max_examples=40,  # half of them from the cache on disk, half kept in memory
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(operation, min_size=1, max_size=6), in_memory=st.booleans())
def test_any_sequence_of_changes_gives_the_bytes_of_a_clean_build(
    tmp_path_factory, steps, in_memory
) -> None:
    """Each step built from the cache on disk, or (`in_memory`) from the one kept in memory;
    the warnings too, as a clean build gives them (files that warn and files that give no
    article are kept in the cache with their warnings)."""
    memory = CacheMemory() if in_memory else None
    site = tmp_path_factory.mktemp("site")
    (site / "articles").mkdir()
    (site / "sitegen.yaml").write_text(f"per_page: 2\n{FEW_TAGS}")
    for n in range(4):
        write_article(
            site,
            f"{n:03d}_{n:016x}.txt",
            DAYS[n],
            TITLES[n],
            f"Body of {n}. {OPENING_MENTIONS[n]}",
            ("Alpha",) if n % 2 else ("Beta",),
        )
        if n % 2:  # a warning from the start: one kept, one read again, in some steps
            apply(site, ("byline", n))
    age_all(site, 1_000_000_000)
    incremental_build(site, memory)
    for n, step in enumerate(steps, start=1):
        apply(site, step)
        age_all(site, 1_000_000_000 + n)  # old enough to be cached, and distinct per step
        report, incremental = incremental_build(site, memory)
        clean, expected = clean_build_and_report(site)
        assert incremental == expected, f"after {step}"
        assert report.problems == clean.problems, f"after {step}"


def age_all(site: Path, seconds: int) -> None:
    """Give files written in this step a past mtime, so the cache holds them (fresh files are
    "racy" and always read again, which would hide cache bugs)."""
    for path in (site / "articles").rglob("*"):
        if path.is_file() and path.stat().st_mtime_ns > 2_000_000_000_000_000_000 // 2:
            os.utime(path, ns=(seconds * 10**9, seconds * 10**9))


def corpus(site: Path, count: int) -> None:
    (site / "articles").mkdir(parents=True, exist_ok=True)
    for n in range(count):
        write_article(site, f"{n:04d}_{n:016x}.txt", f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}",
                      f"Story {n}", f"Text of story {n}.", (f"T{n % 7}",))  # fmt: skip


def test_nothing_changed_renders_and_writes_nothing(tmp_path: Path) -> None:
    corpus(tmp_path, 30)
    first, before = incremental_build(tmp_path)
    assert first.read == 30 and first.written == len(before) - 1  # all but the manifest
    past = 1_000_000_000
    for path in (tmp_path / "articles").iterdir():
        os.utime(path, ns=(past, past))  # old enough to be cached for sure
    incremental_build(tmp_path)
    stamps = {p: p.stat().st_mtime_ns for p in (tmp_path / "public").rglob("*") if p.is_file()}
    report, after = incremental_build(tmp_path)
    assert (report.read, report.rendered, report.written, report.removed) == (0, 0, 0, 0)
    assert report.unchanged == len(after) - 1
    assert after == before
    assert stamps == {
        p: p.stat().st_mtime_ns for p in (tmp_path / "public").rglob("*") if p.is_file()
    }


def test_a_file_the_listing_skips_is_warned_of_as_in_a_clean_build(tmp_path: Path) -> None:
    """The quickest rebuild (nothing read) showed the last build's warnings: a symlink out of
    the folder, added to a settled corpus, was not warned of, and once removed it was still
    named. Its warning is a change of the sources, as a changed file is."""
    corpus(tmp_path, 6)
    settle(tmp_path)
    incremental_build(tmp_path)
    quiet, _ = incremental_build(tmp_path)
    assert (quiet.read, quiet.problems) == (0, ())
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(article_text("2026-01-01", "Not an article of this folder"))
    link = tmp_path / "articles/evil.txt"
    link.symlink_to(outside)
    os.utime(link, ns=(1_000_000_000, 1_000_000_000), follow_symlinks=False)
    for _ in range(2):
        report, _ = incremental_build(tmp_path)
        assert [p.message for p in report.problems] == [
            "symlink points outside the source folder; not followed"
        ]
    link.unlink()
    for _ in range(2):
        report, _ = incremental_build(tmp_path)
        assert report.problems == ()


def test_editing_one_body_renders_few_pages_and_writes_only_what_changed(tmp_path: Path) -> None:
    corpus(tmp_path, 40)
    past = 1_000_000_000
    incremental_build(tmp_path)
    for path in (tmp_path / "articles").iterdir():
        os.utime(path, ns=(past, past))
    _, before = incremental_build(tmp_path)
    path = tmp_path / "articles/0005_0000000000000005.txt"
    path.write_text(path.read_text() + "\n\nA new last paragraph.")
    report, after = incremental_build(tmp_path)
    assert report.read == 1
    assert "choose tags" not in dict(report.phases)  # it names no one new: the same tags
    changed = sorted(p for p in after if after[p] != before.get(p))
    # The article page and the site feed, which carries its text; the lists and the tag feed
    # show its summary, which did not change.
    assert changed == [".sitegen-manifest.json", "2026/06/06/story-5/index.html", "feed.xml"]
    assert report.written == 2
    assert 1 <= report.rendered < 20
    assert after == clean_build(tmp_path)


def test_an_edit_of_text_alone_keeps_the_site_and_a_new_date_builds_it(tmp_path: Path) -> None:
    """The site (archives, tags, related articles, URLs) is the last build's while no
    article's file, date, slug or tags changed; the pages still show the new text."""
    corpus(tmp_path, 30)
    incremental_build(tmp_path)
    age_all(tmp_path, 10)
    path = tmp_path / "articles/0005_0000000000000005.txt"
    path.write_text(path.read_text() + "\n\nA new last paragraph.")
    report, after = incremental_build(tmp_path)
    assert "model kept" in dict(report.phases)
    assert b"A new last paragraph." in after["2026/06/06/story-5/index.html"]
    assert after == clean_build(tmp_path)
    age_all(tmp_path, 20)
    path.write_text(path.read_text().replace("2026-06-06", "2026-06-07", 1))
    report, after = incremental_build(tmp_path)
    assert "model" in dict(report.phases) and "model kept" not in dict(report.phases)
    assert "2026/06/07/story-5/index.html" in after
    assert after == clean_build(tmp_path)


def test_a_new_article_changes_front_pages_and_no_numbered_page(tmp_path: Path) -> None:
    # Two a page; even counts, so that the lists the new article joins grow no numbered page
    # (every second article does): 40 articles, 4 in December 2026, 6 tagged T3.
    corpus(tmp_path, 39)
    write_article(tmp_path, "0099_extra.txt", "2026-12-02", "Extra story", "Text.")
    settle(tmp_path)
    _, before = incremental_build(tmp_path)
    write_article(tmp_path, "0100_new.txt", "2026-12-30", "Late story", "Text.", ("T3",))
    report, after = incremental_build(tmp_path)
    assert after == clean_build(tmp_path)
    changed = {p for p in after if after[p] != before.get(p)}
    assert not {p for p in changed if "/page/" in p or p.startswith("page/")}
    assert {"index.html", "2026/index.html", "2026/12/index.html", "tags/t3/index.html"} < changed
    assert "2026/12/30/late-story/index.html" in changed
    assert report.written == len(changed) - 1  # all but the manifest
    assert report.written < 20 < len(after)
    assert report.rendered == report.written - 1  # each page rendered changed (+ the sitemap)
    # The first article of a new year and month: the archives of 2026 gain a newer neighbour,
    # which only their front pages link to. The home list (41 -> 42) grows a numbered page.
    settle(tmp_path)
    before = after
    write_article(tmp_path, "0101_newer.txt", "2027-01-02", "New year story", "Text.")
    _, after = incremental_build(tmp_path)
    assert after == clean_build(tmp_path)
    changed = {p for p in after if after[p] != before.get(p)}
    assert {"2026/index.html", "2026/12/index.html"} < changed
    assert {p for p in changed if "page/" in p} == {"page/19/index.html", "page/20/index.html"}


def test_an_edit_that_names_someone_new_chooses_tags_again(tmp_path: Path) -> None:
    corpus(tmp_path, 6)
    settle(tmp_path)
    incremental_build(tmp_path)
    for n in (1, 2):  # a name in two articles is common enough to be a tag (min_articles)
        path = tmp_path / f"articles/{n:04d}_{n:016x}.txt"
        path.write_text(path.read_text() + "\n\nThe Harbor Authority met Ada Lovelace.")
    report, after = incremental_build(tmp_path)
    assert "choose tags" in dict(report.phases)
    assert "tags/ada-lovelace/index.html" in after
    assert after == clean_build(tmp_path)


@pytest.mark.parametrize("kept", [False, True], ids=["from disk", "kept in memory"])
def test_tags_chosen_for_one_output_folder_follow_changes_built_into_another(
    tmp_path: Path, kept: bool
) -> None:
    """Read files are cached once for all output folders, chosen tags with each folder's page
    keys: a build elsewhere that saw an edit must not leave this folder's tags behind. Nor
    may a cache kept in memory (as `serve` keeps it) once that build has replaced the files."""
    memory = CacheMemory() if kept else None
    corpus(tmp_path, 6)
    for n in (1, 2):  # a name in two articles: a tag
        path = tmp_path / f"articles/{n:04d}_{n:016x}.txt"
        path.write_text(path.read_text() + "\n\nThe council met Ada Lovelace.")
    settle(tmp_path)
    incremental_build(tmp_path, memory)
    path = tmp_path / "articles/0002_0000000000000002.txt"
    path.write_text(path.read_text().replace("Ada Lovelace", "the mayor"))  # now in one only
    settle(tmp_path)
    build(make_config(tmp_path, "elsewhere", ".sitegen-cache"), jobs=1)
    _, after = incremental_build(tmp_path, memory)
    assert "tags/ada-lovelace/index.html" not in after
    assert after == clean_build(tmp_path)


def test_two_files_with_one_id_trading_places_get_their_own_tags(tmp_path: Path) -> None:
    """The published one of two files sharing an id turns draft and the draft is published:
    every file scans as before and the same ids are published, yet the tags must follow."""
    corpus(tmp_path, 4)
    for prefix, person, draft in (("0101", "Ada Quell", "false"), ("0102", "Bruno Marsh", "true")):
        (tmp_path / f"articles/{prefix}_00000000000000aa.txt").write_text(
            f"---\ndraft: {draft}\n---\n"
            + article_text("2026-03-03", f"Visit {prefix}", f"The council met {person} today.")
        )
    for n in (1, 2):  # the people named elsewhere too: common enough to be tags
        path = tmp_path / f"articles/{n:04d}_{n:016x}.txt"
        path.write_text(path.read_text() + "\n\nThe council met Ada Quell and Bruno Marsh.")
    settle(tmp_path)
    incremental_build(tmp_path)
    for prefix in ("0101", "0102"):
        path = tmp_path / f"articles/{prefix}_00000000000000aa.txt"
        text = path.read_text()
        flipped = "true" if "draft: false" in text else "false"
        path.write_text(re.sub(r"draft: \w+", f"draft: {flipped}", text))
    settle(tmp_path)
    _, after = incremental_build(tmp_path)
    assert after == clean_build(tmp_path)


def test_edits_in_place_plan_only_the_pages_that_show_them(tmp_path: Path) -> None:
    corpus(tmp_path, 12)
    settle(tmp_path)
    _, first = incremental_build(tmp_path)
    path = tmp_path / "articles/0005_0000000000000005.txt"
    original = path.read_text()
    # A new first paragraph: its summary shows on lists, in feeds, on its neighbours' pages.
    path.write_text(original.replace("Text of story 5.", "A new lead for story 5."))
    report, after = incremental_build(tmp_path)
    assert "plan changed" in dict(report.phases)
    assert after == clean_build(tmp_path)
    assert 3 <= report.rendered < 20
    path.write_text(original)  # as it was: the digests of two builds ago
    report, after = incremental_build(tmp_path)
    assert "plan changed" in dict(report.phases)
    assert after == first
    # An edit while a page it does not touch was deleted: the whole site is planned again.
    path.write_text(original + "\n\nOne more paragraph.")
    (tmp_path / "public/tags/index.html").unlink()
    report, after = incremental_build(tmp_path)
    assert "plan" in dict(report.phases)
    assert after == clean_build(tmp_path)


@pytest.mark.parametrize("kept", [False, True], ids=["from disk", "kept in memory"])
def test_a_cache_kept_in_memory_stands_for_the_files_it_was_saved_as(
    tmp_path: Path, kept: bool
) -> None:
    """`watch` and `serve` keep the cache in memory: the next build uses it, not the file, as
    long as the file is the one saved. Here the file is damaged in place, its size and time
    kept: from disk, the damage shows and every file is read again; from memory, one is."""
    memory = CacheMemory() if kept else None
    corpus(tmp_path, 5)
    settle(tmp_path)
    incremental_build(tmp_path, memory)
    cache_file = tmp_path / ".sitegen-cache" / SOURCES_FILE
    stat = cache_file.stat()
    with open(cache_file, "r+b") as file:  # in place: the same inode
        file.write(b"\0" * stat.st_size)
    os.utime(cache_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    path = tmp_path / "articles/0002_0000000000000002.txt"
    path.write_text(path.read_text() + "\n\nOne more line.")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))  # old enough to trust: the edited file
    report, after = incremental_build(tmp_path, memory)
    assert any("damaged" in notice for notice in report.notices) != kept
    assert report.read == (1 if kept else 5)
    assert after == clean_build(tmp_path)


def test_a_large_file_beside_the_templates_counts_by_its_stat(tmp_path: Path) -> None:
    """Every file under layouts/ but static/ may be a template; one of media (over 1 MB) is
    not read at each build, but a change to it still counts."""
    layouts = tmp_path / "layouts"
    (layouts / "media").mkdir(parents=True)
    video = layouts / "media/clip.bin"
    video.write_bytes(b"\0" * 3_000_000)
    before = template_digest([layouts])
    assert template_digest([layouts]) == before
    video.write_bytes(b"\1" * 3_000_000)
    os.utime(video, ns=(2_000_000_000, 2_000_000_000))
    assert template_digest([layouts]) != before


def test_damaged_cache_is_discarded_with_a_notice(tmp_path: Path) -> None:
    corpus(tmp_path, 5)
    incremental_build(tmp_path)
    cache_file = tmp_path / ".sitegen-cache" / SOURCES_FILE
    cache_file.write_bytes(cache_file.read_bytes()[:40])
    report, after = incremental_build(tmp_path)
    assert any("damaged" in notice for notice in report.notices)
    assert report.read == 5
    assert after == clean_build(tmp_path)


@pytest.mark.parametrize(("name", "text"), [(SOURCES_FILE, b"Story 3"), ("pages-", b"story-3")])
def test_a_cache_file_with_one_byte_changed_is_not_trusted(
    tmp_path: Path, name: str, text: bytes
) -> None:
    """A flipped bit in a title still unmarshals: without a checksum, the wrong title was
    published, silently, until the article changed."""
    corpus(tmp_path, 5)
    settle(tmp_path)
    incremental_build(tmp_path)
    (cache_file,) = (tmp_path / ".sitegen-cache").glob(f"{name}*")
    data = cache_file.read_bytes()
    at = data.rindex(text)  # a title, or an article's URL
    cache_file.write_bytes(data[:at] + b"G" + data[at + 1 :])
    path = tmp_path / "articles/0001_0000000000000001.txt"
    path.write_text(path.read_text() + "\n\nOne more line.")
    report, after = incremental_build(tmp_path)
    assert any(f"{cache_file.name} was damaged" in notice for notice in report.notices)
    assert after == clean_build(tmp_path)


def test_compiled_templates_with_one_byte_changed_are_compiled_again(tmp_path: Path) -> None:
    corpus(tmp_path, 3)
    incremental_build(tmp_path)
    for path in (tmp_path / ".sitegen-cache/templates").iterdir():
        data = path.read_bytes()
        at = data.find(b"Latest")  # a string constant of the compiled code
        if at >= 0:
            path.write_bytes(data[:at] + b"N" + data[at + 1 :])
    shutil.rmtree(tmp_path / "public")
    _, after = incremental_build(tmp_path)
    assert b"Natest" not in b"".join(after.values())
    assert after == clean_build(tmp_path)


def test_damaged_compiled_templates_are_compiled_again(tmp_path: Path) -> None:
    corpus(tmp_path, 3)
    incremental_build(tmp_path)
    compiled = list((tmp_path / ".sitegen-cache/templates").iterdir())
    assert compiled  # the first build kept them
    for i, path in enumerate(compiled):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if i % 2 else b"\x00garbage")
    shutil.rmtree(tmp_path / "public")  # so every page is rendered again
    _, after = incremental_build(tmp_path)
    assert after == clean_build(tmp_path)


@pytest.mark.parametrize("other", ["version", "code"])
def test_cache_of_another_version_is_not_trusted(tmp_path: Path, other: str) -> None:
    """Another release, or other code under the same version number (a checkout, a
    development install: a new word in the tag lexicon), must not reuse what was read."""
    corpus(tmp_path, 3)
    path = tmp_path / "articles/0001_0000000000000001.txt"
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    incremental_build(tmp_path)
    cache_file = tmp_path / ".sitegen-cache" / SOURCES_FILE
    stored_print, *stored = marshal.loads(cache_file.read_bytes())
    generation, rows, skipped = unsealed(stored)
    poisoned = (
        generation,
        [
            (s, stat, (*fields[:3], "Poisoned title", *fields[4:]), scan, warned)
            for s, stat, fields, scan, warned in rows
        ],
        skipped,
    )
    cache_file.write_bytes(marshal.dumps((stored_print, *sealed(poisoned))))
    for pages in (tmp_path / ".sitegen-cache").glob("pages-*"):
        pages.unlink()  # so every page is rendered from what the cache holds
    assert (
        "Poisoned title" in incremental_build(tmp_path)[1]["index.html"].decode()
    )  # trusted as it should
    if other == "version":
        stored_print = "sitegen 0.0.0 cache 0"
    else:
        assert code_digest() in stored_print
        stored_print = stored_print.replace(code_digest(), "0" * len(code_digest()))
    cache_file.write_bytes(marshal.dumps((stored_print, *sealed(poisoned))))
    _, after = incremental_build(tmp_path)
    assert "Poisoned title" not in after["index.html"].decode()
    assert after == clean_build(tmp_path)


def test_the_code_digest_covers_pycountrys_country_table() -> None:
    """An upgrade of pycountry may rename a country: the cache must not keep the old tags."""
    import pycountry

    table = Path(pycountry.__file__).parent / "databases" / "iso3166-1.json"
    found = table.stat()
    assert country_data_stamp() == f"{found.st_size}:{found.st_mtime_ns}"


def test_the_code_digest_covers_the_versions_of_the_libraries_whose_output_is_cached() -> None:
    """An upgrade of Markdown, pymdown-extensions, nh3, python-slugify or langcodes changes the
    HTML, the addresses or the `lang` the cache keeps: each one's version is in the digest."""
    from importlib.metadata import version

    from sitegen.cache import libraries_stamp

    for distribution in ("markdown", "pymdown_extensions", "nh3", "python_slugify", "langcodes"):
        named = f"{distribution}-{version(distribution.replace('_', '-'))}.dist-info".lower()
        assert named in libraries_stamp().split(), (named, libraries_stamp())


def test_config_and_template_changes_rerender(tmp_path: Path) -> None:
    corpus(tmp_path, 6)
    incremental_build(tmp_path)
    (tmp_path / "sitegen.yaml").write_text("per_page: 2\ntitle: Renamed Site\n")
    _, after = incremental_build(tmp_path)
    assert "Renamed Site" in after["2026/01/01/story-0/index.html"].decode()
    assert after == clean_build(tmp_path)
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts/article.html").write_text(
        '{% extends "default/article.html" %}{% block title %}X{{ article.title }}{% endblock %}'
    )
    _, after = incremental_build(tmp_path)
    assert "<title>XStory 0</title>" in after["2026/01/01/story-0/index.html"].decode()
    assert after == clean_build(tmp_path)


@pytest.mark.parametrize("kept", [False, True], ids=["from disk", "kept in memory"])
@pytest.mark.parametrize("static", ["cname", "cname/index.html"])
def test_a_static_file_that_comes_and_goes_moves_an_article_as_a_clean_build_does(
    tmp_path: Path, static: str, kept: bool
) -> None:
    """An article at the address of a static file moves aside; the last build's site, kept
    for the same articles, must not keep it where it was when the file comes, nor aside
    when it goes."""
    memory = CacheMemory() if kept else None
    (tmp_path / "sitegen.yaml").write_text('per_page: 2\npermalink: "{slug}/"\n')
    corpus(tmp_path, 5)
    write_article(tmp_path, "0009_0000000000000009.txt", "2026-02-07", "Cname", "Text.")
    settle(tmp_path)
    incremental_build(tmp_path, memory)
    path = tmp_path / "layouts/static" / static
    for round_ in range(2):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("example.org\n")
        report, after = incremental_build(tmp_path, memory)
        assert after == clean_build(tmp_path)
        assert b"Text." in after["cname-2/index.html"] and after[static] == b"example.org\n"
        assert "published at cname-2/" in report.problems[0].message
        edited = tmp_path / "articles/0001_0000000000000001.txt"  # the same site: kept
        edited.write_text(edited.read_text() + f"\n\nround {round_}.")
        settle(tmp_path)
        report, after = incremental_build(tmp_path, memory)
        assert "model kept" in dict(report.phases) and after == clean_build(tmp_path)
        path.unlink()
        report, after = incremental_build(tmp_path, memory)
        assert after == clean_build(tmp_path)
        assert b"Text." in after["cname/index.html"] and "cname-2/index.html" not in after
        assert report.problems == ()


@pytest.mark.parametrize("from_memory", [False, True], ids=["from-disk", "from-memory"])
def test_a_file_with_warnings_is_not_read_again_and_its_warnings_still_show(
    tmp_path: Path, from_memory: bool
) -> None:
    """Its warnings were shown again by reading it again at every build that was not a
    rebuild with nothing changed: work in every rebuild after an edit, for each such file of
    the corpus. They are kept with what was read."""
    corpus(tmp_path, 3)
    (tmp_path / "articles/warned.txt").write_text(
        article_text("2026-01-05", "Headline " * 100, "Text.", byline="")  # "By" alone
    )
    settle(tmp_path)
    memory = CacheMemory() if from_memory else None
    first, _ = incremental_build(tmp_path, memory)
    warned = [str(p) for p in first.problems if "warned.txt" in str(p)]
    assert len(warned) == 2, first.problems
    write_article(tmp_path, "0001_0000000000000001.txt", "2026-01-01", "Edited", "New text.")
    report, after = incremental_build(tmp_path, memory)
    assert report.read == 1  # the edited file alone
    assert [str(p) for p in report.problems if "warned.txt" in str(p)] == warned
    assert after == clean_build(tmp_path)
    (tmp_path / "articles/warned.txt").write_text(article_text("2026-01-05", "Fine now", "Text."))
    report, _ = incremental_build(tmp_path, memory)
    assert not [p for p in report.problems if "warned.txt" in str(p)]
    assert report.read == 2  # it, and the file edited a moment before the last build (racy)


@pytest.mark.parametrize("from_memory", [False, True], ids=["from-disk", "from-memory"])
def test_a_file_that_gave_no_article_is_not_read_again_until_it_changes(
    tmp_path: Path, from_memory: bool
) -> None:
    """A file the reader skips (a date that is no date; Markdown that ran out of its CPU
    budget, seconds each time) was read again at every rebuild, at each save in `serve`. Its
    warning is kept and shown again; changed, it is read, and published once it reads."""
    corpus(tmp_path, 3)
    bad = tmp_path / "articles/bad.txt"
    bad.write_text(" date 2026-13-40 Never\n\nText.")
    settle(tmp_path)
    memory = CacheMemory() if from_memory else None
    first, _ = incremental_build(tmp_path, memory)
    said = [str(p) for p in first.problems if "bad.txt" in str(p)]
    assert len(said) == 1 and "2026-13-40" in said[0], first.problems
    write_article(tmp_path, "0001_0000000000000001.txt", "2026-01-01", "Edited", "New text.")
    report, after = incremental_build(tmp_path, memory)
    assert report.read == 1  # the edited file, not the bad one
    assert [str(p) for p in report.problems if "bad.txt" in str(p)] == said
    assert after == clean_build(tmp_path)
    bad.write_text(article_text("2026-01-09", "Fixed now", "Text."))
    report, after = incremental_build(tmp_path, memory)
    assert not [p for p in report.problems if "bad.txt" in str(p)]
    assert report.articles == 4 and after == clean_build(tmp_path)


@pytest.mark.parametrize("edited", [False, True], ids=["nothing-changed", "another-edited"])
def test_a_file_that_could_not_be_read_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edited: bool
) -> None:
    """A read error (a disk's I/O error; a file another user may read, this one not) says
    nothing of the file's bytes, and may pass with its stat the same: kept as a file that gave
    no article, it stayed out of the site until it changed, as the quickest rebuild (nothing
    changed) kept it out."""
    corpus(tmp_path, 3)
    settle(tmp_path)
    failing = tmp_path / "articles/0001_0000000000000001.txt"

    read_file = read_module.read_file

    def read_failing(path: str, root: str | None = None) -> bytes:
        if Path(path) == failing:
            raise OSError(errno.EIO, "Input/output error")
        return read_file(path, root)

    with monkeypatch.context() as patch:
        patch.setattr(read_module, "read_file", read_failing)
        report, _ = incremental_build(tmp_path)
    assert [p.message for p in report.problems] == ["cannot read: Input/output error; skipped"]
    if edited:
        write_article(tmp_path, "0002_0000000000000002.txt", "2026-01-01", "Edited", "New text.")
    report, after = incremental_build(tmp_path)
    assert (report.articles, report.problems) == (3, ())
    assert after == clean_build(tmp_path)


def test_kept_warnings_show_in_the_order_of_a_clean_build(tmp_path: Path) -> None:
    """The warnings of files not read again were shown before those of files read: a file
    that sorts first, edited, had its warning shown after one it sorts before."""
    corpus(tmp_path, 3)
    bad = tmp_path / "articles/a-bad.txt"
    bad.write_text(" date 2026-13-40 Never\n\nText.")
    (tmp_path / "articles/z-warned.txt").write_text(
        article_text("2026-01-05", "Warned", "Text.", byline="")  # "By" alone
    )
    settle(tmp_path)
    incremental_build(tmp_path)
    bad.write_text(" date 2026-14-40 Never\n\nText.")  # read again, still without an article
    report, _ = incremental_build(tmp_path)
    assert report.read == 1
    clean = build(make_config(tmp_path, "clean", "clean-cache"), jobs=1)
    assert clean.problems[0].message == "impossible date 2026-14-40; skipped"
    assert report.problems == clean.problems


def test_a_file_over_its_cpu_budget_is_read_again_a_day_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Markdown skipped for the CPU time it took is not read again at every build: each took
    its whole budget again, seconds, in every build, one with nothing to do among them (the
    hostile helper). The time measures the machine and the moment (a rebuild in `serve` runs
    under a hook that about doubles it), not the bytes: it is read again a day later, or when
    it changes, in a build that has nothing else to do too."""
    import sitegen.read as read_module

    corpus(tmp_path, 3)
    slow = "\n\n".join(f"Paragraph *{n}* with [a link](http://a.example/{n})." for n in range(3000))
    (tmp_path / "articles/slow.md").write_text(f"---\ntitle: Slow\ndate: 2026-01-07\n---\n{slow}\n")
    settle(tmp_path)
    monkeypatch.setattr(read_module, "markdown_budget", lambda body: 0.001)
    memory = CacheMemory()
    first, _ = incremental_build(tmp_path, memory)
    assert any("slow.md" in str(p) and "in a day" in str(p) for p in first.problems)
    write_article(tmp_path, "0001_0000000000000001.txt", "2026-01-01", "Edited", "New text.")
    again, _ = incremental_build(tmp_path, memory)  # `serve`'s next rebuild
    assert again.read == 1 and any("slow.md" in str(p) for p in again.problems)
    write_article(tmp_path, "0001_0000000000000001.txt", "2026-01-01", "Edited", "Newer text.")
    later, _ = incremental_build(tmp_path)  # a build from the cache on disk
    assert later.read == 1 and any("slow.md" in str(p) for p in later.problems)
    settle(tmp_path)
    incremental_build(tmp_path)  # the edited file's stat, settled
    nothing, _ = incremental_build(tmp_path)  # nothing to do: the quickest path
    assert nothing.read == 0 and any("slow.md" in str(p) for p in nothing.problems)
    monkeypatch.undo()  # with the real budget it reads, once its day is over
    kept, _ = incremental_build(tmp_path)
    assert kept.read == 0 and kept.articles == 3  # still its day: the state says so
    day_later = time.time_ns() + 25 * 3600 * 10**9
    monkeypatch.setattr(time, "time_ns", lambda: day_later)
    fine, after = incremental_build(tmp_path)
    assert fine.read == 1 and fine.articles == 4
    assert not any("slow.md" in str(p) for p in fine.problems)
    monkeypatch.undo()
    assert after == clean_build(tmp_path)


def settle(site: Path) -> None:
    """Date the sources in the past, in subfolders too: old enough for the cache to trust
    their stats. (A file left fresh in a subfolder was read again by one build and not by
    another, depending on how long the build between them took.)"""
    for path in (site / "articles").rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_000_000_000, 1_000_000_000))


@pytest.mark.parametrize("settled", [False, True], ids=["fresh-sources", "settled-sources"])
def test_deleted_output_file_is_restored(tmp_path: Path, settled: bool) -> None:
    corpus(tmp_path, 4)
    if settled:  # then the rebuild takes the unchanged-site path, which must notice too
        settle(tmp_path)
    _, before = incremental_build(tmp_path)
    incremental_build(tmp_path)
    (tmp_path / "public/tags/index.html").unlink()
    report, after = incremental_build(tmp_path)
    assert report.written == 1 and after == before


def test_unchanged_rebuild_repeats_the_warnings_and_strict_still_fails(tmp_path: Path) -> None:
    corpus(tmp_path, 3)
    (tmp_path / "articles/0009_0000000000000009.txt").write_text("no header line at all\n")
    settle(tmp_path)
    first = incremental_build(tmp_path)[0]
    assert first.problems
    again = incremental_build(tmp_path)[0]
    assert "model" not in dict(again.phases)  # the quick path: nothing was modelled
    assert (again.read, again.written, again.articles) == (0, 0, first.articles)
    assert again.problems == first.problems
    with pytest.raises(SitegenError, match="--strict"):
        build(make_config(tmp_path, "public", ".sitegen-cache"), jobs=1, strict=True)


def build_printing(expression: str) -> list[str]:
    """A command that runs `sitegen build -q` in a fresh Python, then prints `expression`
    (about the modules it imported, say)."""
    script = (
        "import sys\n"
        "from sitegen.cli import main\n"
        "sys.argv = ['sitegen', 'build', '-q']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print({expression})\n"
    )
    return [sys.executable, "-c", script]


def test_unchanged_rebuild_loads_no_renderer_or_tagger(tmp_path: Path) -> None:
    """A rebuild that changes nothing is most rebuilds: it must not pay for jinja2 and the
    tagger (its patterns and country tables), whose imports would be most of its time."""
    corpus(tmp_path, 3)
    settle(tmp_path)
    run = build_printing(
        "sorted(m for m in ('jinja2', 'sitegen.model', 'sitegen.tags') if m in sys.modules)"
    )
    first = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert first.stdout.strip() == "['jinja2', 'sitegen.model', 'sitegen.tags']"
    again = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert again.stdout.strip() == "[]"


def test_a_rebuild_takes_the_taggers_tables_from_the_cache(tmp_path: Path) -> None:
    """The first build keeps the tagger's tables (pycountry's countries and sitegen's lists);
    a rebuild that reads a file takes them from the cache, without making them again, and
    gives the pages a clean build gives. A damaged copy is made again."""
    corpus(tmp_path, 6)
    write_article(tmp_path, "0100_new.txt", "2026-03-03", "Cuba talks", "Officials in Havana.")
    (tmp_path / "sitegen.yaml").write_text("per_page: 2\n")  # as `clean_build` has it
    settle(tmp_path)
    run = build_printing("sys.modules['sitegen.tags'].lexicon_tables_made() is not None")
    first = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert first.stdout.strip() == "True"
    tables = tmp_path / ".sitegen-cache/lexicon.marshal"
    assert tables.is_file()
    write_article(tmp_path, "0100_new.txt", "2026-03-03", "Cuba talks", "Officials in Cuba.")
    again = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert again.stdout.strip() == "False", again.stderr
    assert read_tree(tmp_path / "public") == clean_build(tmp_path)
    tables.write_bytes(tables.read_bytes()[:-9] + b"damaged!!")
    write_article(tmp_path, "0100_new.txt", "2026-03-03", "Cuba talks", "Officials, Cuba.")
    damaged = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert damaged.stdout.strip() == "True" and not damaged.stderr
    assert read_tree(tmp_path / "public") == clean_build(tmp_path)
    assert not tables.read_bytes().endswith(b"damaged!!")  # made again, and kept


@pytest.mark.parametrize("compressed", [False, True])
def test_parallel_build_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compressed: bool
) -> None:
    """Bodies wait for their pages as UTF-8, or compressed in big builds (`read.pack_body`)."""
    if compressed:
        monkeypatch.setattr(build_module, "COMPRESS_BODIES_FROM", 1)
    corpus(tmp_path, 700)  # above the size where workers start
    articles = tmp_path / "articles"
    first = (articles / "0001_0000000000000001.txt").read_text()
    (articles / "0001-copy_0000000000000001.txt").write_text(first)  # one id, two files
    (articles / "sub").mkdir()
    (articles / "sub/0002_0000000000000002.txt").write_text(first)  # and one in a folder
    (articles / "0003_0000000000000003.md").write_text(
        article_text("2026-01-04", "Story 3", "*Marked* [up](http://a.example).")
    )  # the same title and day as a .txt story: a URL collision
    (articles / "draft.txt").write_text("---\ndraft: true\n---\n" + first)
    (articles / "warned.txt").write_text(article_text("2026-01-05", "Headline " * 100))
    (articles / "broken.txt").write_text(" date 2026-13-40 Never\n\nText.")
    one = make_config(tmp_path, "one", "cache-one")
    two = make_config(tmp_path, "two", "cache-two")
    settle(tmp_path)
    build(one, jobs=1)
    report = build(two, jobs=2)
    assert report.read == 706 and report.articles == 704  # a draft and a broken file left out
    assert read_tree(tmp_path / "one") == read_tree(tmp_path / "two")
    # The page keys a parallel cold build leaves (made while its workers render) are the
    # single-process build's: a new article, which has every page planned and compared,
    # renders the same few pages after either.
    write_article(tmp_path, "0999_new.txt", "2026-12-30", "New story", "Text.", ("T1",))
    first, second = build(one, jobs=2), build(two, jobs=2)
    assert first.rendered == second.rendered < 40
    # The new file alone: one with warnings, or one that gave no article (broken, a draft
    # of another file's id), is not read again, its warnings kept.
    assert first.read == second.read == 1
    assert read_tree(tmp_path / "one") == read_tree(tmp_path / "two")


@pytest.mark.parametrize("threads", [False, True])
def test_files_read_while_the_workers_start_give_the_same_bytes(
    tmp_path: Path, threads: bool
) -> None:
    """A cold build in a process running threads reads the first files itself while its
    workers start from a fork server, and hands their bodies to the workers. In a new
    process, where the fork server is not running yet. Without threads, it forks them at once
    and they read every file."""
    corpus(tmp_path, 700)
    build(make_config(tmp_path, "one", "cache-one"), jobs=1)
    (tmp_path / "sitegen.yaml").write_text("per_page: 2\noutput: two\ncache: cache-two\n")
    result = run_script(
        tmp_path,
        "import threading\n"
        "from sitegen.build import Build, no_progress\n"
        "from sitegen.config import load_config\n"
        'if __name__ == "__main__":\n'
        f"    if {threads}:\n"
        "        stop = threading.Event()\n"
        "        threading.Thread(target=stop.wait, daemon=True).start()\n"
        "    builder = Build(load_config(None), False, False, no_progress, 2)\n"
        "    report = builder.run()\n"
        "    print(builder.read_here, report.read, builder.fork_workers)\n",
    )
    assert result.returncode == 0, result.stderr
    here, read, forked = result.stdout.split()
    assert forked == str(not threads)
    if threads:
        assert 0 < int(here) <= int(read) == 700  # all, if the fork server was slow to start
    else:
        assert (int(here), int(read)) == (0, 700)
    assert read_tree(tmp_path / "one") == read_tree(tmp_path / "two")


def test_parallel_build_in_a_process_running_threads_gives_the_same_bytes(tmp_path: Path) -> None:
    """The preview server builds from a threaded process: workers must start safely there
    (from a fork server, never as a fork of a process whose other threads may hold locks)."""
    corpus(tmp_path, 700)
    build(make_config(tmp_path, "one", "cache-one"), jobs=1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        report = build(make_config(tmp_path, "two", "cache-two"), jobs=2)
    finally:
        stop.set()
        other.join()
    assert report.read == 700
    assert read_tree(tmp_path / "one") == read_tree(tmp_path / "two")


def run_script(site: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` as a user's own Python script in `site`."""
    script = site / "build_site.py"
    script.write_text(code)
    return subprocess.run(
        [sys.executable, str(script)], cwd=site, capture_output=True, text=True, timeout=120
    )


def test_a_script_building_at_its_top_level_fails_clearly_instead_of_hanging(
    tmp_path: Path,
) -> None:
    """Workers from a fork server (in a process running threads) run the main script's top
    level again as they start: a build called there, without `if __name__ == "__main__":`,
    waited for the build that started it, forever. Forked workers run nothing again."""
    corpus(tmp_path, 700)
    result = run_script(
        tmp_path,
        "from sitegen.build import build\n"
        "from sitegen.config import load_config\n"
        "print(build(load_config(None), jobs=2).articles)\n",
    )
    assert result.returncode == 0 and result.stdout.strip() == "700", result.stderr
    shutil.rmtree(tmp_path / ".sitegen-cache")
    result = run_script(
        tmp_path,
        "import threading\n"
        "from sitegen.build import build\n"
        "from sitegen.config import load_config\n"
        "threading.Thread(target=threading.Event().wait, daemon=True).start()\n"
        "build(load_config(None), jobs=2)\n",
    )
    assert result.returncode != 0
    assert "build() was called in a sitegen worker process as it started" in result.stderr
    assert 'Call build() under `if __name__ == "__main__":`' in result.stderr
    assert "a worker process stopped before it answered" in result.stderr
    result = run_script(
        tmp_path,
        "from sitegen.build import build\n"
        "from sitegen.config import load_config\n"
        'if __name__ == "__main__":\n'
        "    print(build(load_config(None), jobs=2).articles)\n",
    )
    assert result.returncode == 0 and result.stdout.strip() == "700", result.stderr


def test_a_script_of_ones_own_processes_may_still_build_at_its_top_level(tmp_path: Path) -> None:
    """Only sitegen's workers refuse to build: another program's processes, which run the
    script's top level again as they start, build a small site as they always did."""
    corpus(tmp_path, 20)
    result = run_script(
        tmp_path,
        "import multiprocessing\n"
        "from sitegen.build import build\n"
        "from sitegen.config import load_config\n"
        "build(load_config(None))\n"
        "def double(x):\n"
        "    return 2 * x\n"
        'if __name__ == "__main__":\n'
        '    with multiprocessing.get_context("spawn").Pool(2) as pool:\n'
        "        print(pool.map(double, range(4)))\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[0, 2, 4, 6]"


def test_template_change_on_a_cached_corpus_renders_in_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitegen.pool

    monkeypatch.setattr(build_module, "LATE_POOL_MIN_PAGES", 600)  # a big site's, made small
    started: list[int] = []
    real_pool = sitegen.pool.WorkerPool

    def counted_pool(count: int, fork: bool = False) -> sitegen.pool.WorkerPool:
        started.append(count)
        return real_pool(count, fork)

    monkeypatch.setattr(sitegen.pool, "WorkerPool", counted_pool)
    corpus(tmp_path, 700)
    past = 1_000_000_000
    for path in (tmp_path / "articles").iterdir():
        os.utime(path, ns=(past, past))
    config = make_config(tmp_path, "public", ".sitegen-cache")
    build(config, jobs=2)
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts/article.html").write_text(
        '{% extends "default/article.html" %}{% block title %}Z{% endblock %}'
    )
    started.clear()
    report = build(config, jobs=2)  # every article page again, bodies read by the workers
    assert started == [2]  # after the model: the workers of the first build read the corpus
    assert report.read == 0 and report.written >= 700
    assert read_tree(tmp_path / "public") == clean_build(tmp_path)


def start_parallel_build(site: Path, own_group: bool = False) -> subprocess.Popen[str]:
    """`sitegen build --jobs 2` as a user runs it; with `own_group`, in a process group of its
    own, as a terminal starts a command (a terminal's Ctrl-C goes to the whole group)."""
    return subprocess.Popen(
        [sys.executable, "-m", "sitegen", "build", "-q", "--jobs", "2"],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=own_group,
    )


def interrupt_build_in_workers(site: Path, started: Callable[[], bool]) -> tuple[int, str]:
    """Run `sitegen build` as a user would, press Ctrl-C once `started()` holds (the workers
    are at work), and return its exit code and error output."""
    build_process = start_parallel_build(site)
    deadline = time.monotonic() + 60
    while not started() and build_process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert build_process.poll() is None, "the build ended before it could be interrupted"
    build_process.send_signal(signal.SIGINT)
    _, errors = build_process.communicate(timeout=60)
    return build_process.returncode, errors


def processes_in(folder: Path, wait: float = 10.0) -> list[str]:
    """Processes still running in `folder` (workers and the fork server start there), after
    giving them up to `wait` seconds to end."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            with contextlib.suppress(OSError):
                if entry.name.isdigit() and Path(os.readlink(entry / "cwd")) == folder:
                    found.append(entry.name)
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_ctrl_c_in_a_parallel_cold_build_leaves_no_folder_and_no_worker(tmp_path: Path) -> None:
    corpus(tmp_path, 2000)
    public = tmp_path / "public"
    code, errors = interrupt_build_in_workers(
        tmp_path, lambda: public.is_dir() and any(public.glob("20*/*/*/*/index.html"))
    )
    assert code != 0 and "Aborted!" in errors and "Traceback" not in errors
    assert not public.exists()  # a cold build into no folder: none again
    assert processes_in(tmp_path) == []


def parent_of(pid: str) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def workers_of(build_pid: int, found: list[str]) -> list[str]:
    """The build's workers among `found`: forked from the build (a cold build), or from a fork
    server, which is no worker (it has children), nor is its helper, the resource tracker."""
    others = [pid for pid in found if int(pid) != build_pid]
    parents = {str(parent_of(pid)) for pid in others}
    return [
        pid
        for pid in others
        if pid not in parents
        and b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def both_workers_of(build_process: subprocess.Popen[str], site: Path) -> list[str]:
    """The two workers of a parallel build, once both are started (the build still going)."""
    workers: list[str] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and build_process.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError):  # a process that ended while we looked
            workers = workers_of(build_process.pid, processes_in(site, wait=0))
    assert build_process.poll() is None, "the build ended before its workers were found"
    return workers


def test_ctrl_c_with_a_stopped_worker_still_ends_the_program(tmp_path: Path) -> None:
    """A worker that never answers (stopped, or stuck on a dead network disk) must not keep
    the program from ending after Ctrl-C: not its pool, nor multiprocessing's exit handler."""
    corpus(tmp_path, 2000)
    build_process = start_parallel_build(tmp_path)
    workers = both_workers_of(build_process, tmp_path)
    os.kill(int(workers[0]), signal.SIGSTOP)  # as it reads its first files
    try:
        build_process.send_signal(signal.SIGINT)
        code = build_process.wait(timeout=30)  # not its output: the stopped worker holds it
    finally:
        build_process.kill()
        with contextlib.suppress(ProcessLookupError):  # the SIGTERM it was sent, once going
            os.kill(int(workers[0]), signal.SIGKILL)
    _, errors = build_process.communicate(timeout=30)
    assert code == 1 and errors.strip().endswith("Aborted!"), errors


def interrupt_lost_before_sitegen_ran(errors: str) -> bool:
    """A Ctrl-C that landed in an import's lock callback before `sitegen.start` set its hook
    (`start.keep_interrupts`): Python prints it as ignored and goes on, whatever the program.
    Seen once on a busy machine, at 0.05 s: its interpreter was still importing `site`."""
    ignored = "Exception ignored in: <function _get_module_lock.<locals>.cb"
    return (
        errors.startswith(ignored)
        and errors.count("Traceback") == 1
        and errors.rstrip().endswith("KeyboardInterrupt")
    )


def test_ctrl_c_to_the_terminal_as_a_parallel_build_starts_prints_no_traceback(
    tmp_path: Path,
) -> None:
    """A terminal's Ctrl-C reaches the whole process group: the program still importing, the
    fork server and its helper starting their interpreters, the workers. Whenever it comes,
    the build says "Aborted!" and no process prints a traceback."""
    corpus(tmp_path, 700)
    aborted = 0
    for delay in (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
        shutil.rmtree(tmp_path / "public", ignore_errors=True)
        started = start_parallel_build(tmp_path, own_group=True)
        time.sleep(delay)
        os.killpg(started.pid, signal.SIGINT)
        _, errors = started.communicate(timeout=60)
        if (
            started.returncode not in (0, 1)
            or (errors.startswith("Fatal Python error: init") and "Aborted!" not in errors)
            or interrupt_lost_before_sitegen_ran(errors)
        ):
            continue  # Python itself was still starting (exit code 1 when in `site`): none
            # of sitegen's code had run. A fork server's fatal error beside "Aborted!" fails.
        assert "Traceback" not in errors and "Fatal" not in errors, (delay, errors)
        assert started.returncode == 0 or errors.strip().endswith("Aborted!"), (delay, errors)
        aborted += started.returncode == 1
    assert aborted >= 3  # most delays reach the build (it runs for seconds)
    assert processes_in(tmp_path) == []


def test_ctrl_c_while_workers_render_again_leaves_the_site_as_it_was(tmp_path: Path) -> None:
    corpus(tmp_path, 2000)
    settle(tmp_path)
    build(make_config(tmp_path, "public", ".sitegen-cache"), jobs=2)
    before = read_tree(tmp_path / "public")
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts/article.html").write_text(
        '{% extends "default/article.html" %}{% block title %}Z{% endblock %}'
    )
    code, errors = interrupt_build_in_workers(
        tmp_path, lambda: any(tmp_path.glob("public/.sitegen-staging-*/*"))
    )
    assert code != 0 and "Aborted!" in errors and "Traceback" not in errors
    assert read_tree(tmp_path / "public") == before  # no staging folder left, nothing changed
    assert processes_in(tmp_path) == []


def test_sitemap_is_written_again_when_missing_or_when_dates_change(tmp_path: Path) -> None:
    corpus(tmp_path, 6)
    _, before = incremental_build(tmp_path)
    (tmp_path / "public/sitemap.xml").unlink()
    path = tmp_path / "articles/0001_0000000000000001.txt"
    path.write_text(path.read_text() + "\n\nMore text.")  # an edit: the page list is the same
    _, after = incremental_build(tmp_path)
    assert after["sitemap.xml"] == before["sitemap.xml"]
    path.write_text(path.read_text().replace("2026-02-02", "2026-02-03"))
    _, after = incremental_build(tmp_path)
    assert b"2026/02/03/story-1/" in after["sitemap.xml"]
    assert after == clean_build(tmp_path)


def build_stopped_before_saving_its_cache(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An incremental build stopped (Ctrl-C) after its commit, before it saved its cache."""

    def stopped(*args: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(build_module, "save_cache", stopped)
        with pytest.raises(KeyboardInterrupt):
            incremental_build(site)


def test_a_build_stopped_after_writing_leaves_no_page_keys_that_vouch_for_old_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C after the pages were replaced and before the page keys were saved: the old keys
    must not vouch for the new pages. Here the edit is then undone, so each page's key is the
    old one again while its file holds the edited text."""
    corpus(tmp_path, 4)
    settle(tmp_path)
    incremental_build(tmp_path)
    path = tmp_path / "articles/0002_0000000000000002.txt"
    original = path.read_text()
    path.write_text(original.replace("Text of story", "Edited text of story", 1))
    settle(tmp_path)
    build_stopped_before_saving_its_cache(tmp_path, monkeypatch)
    path.write_text(original)
    os.utime(path, ns=(2_000_000_000, 2_000_000_000))  # settled, and not the first stat
    _, after = incremental_build(tmp_path)
    assert after == clean_build(tmp_path)


def test_keys_the_stamp_did_not_vouch_for_are_forgotten_before_it_vouches_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manifest replaced (another build, an edit): the keys are not trusted, every page is
    rendered and compared, and none differs. Stopped after the commit stamped the folder as
    this cache's and before new keys were saved, the old keys had been vouched for by the
    new stamp (the code review). They are forgotten before the stamp."""
    corpus(tmp_path, 4)
    settle(tmp_path)
    incremental_build(tmp_path)
    manifest = tmp_path / "public/.sitegen-manifest.json"
    copy = manifest.with_name("copy")
    shutil.copy2(manifest, copy)
    os.replace(copy, manifest)  # the same text, another file
    pages = list((tmp_path / ".sitegen-cache").glob("pages-*"))
    assert pages
    build_stopped_before_saving_its_cache(tmp_path, monkeypatch)
    assert not any(path.exists() for path in pages)
    _, after = incremental_build(tmp_path)
    assert after == clean_build(tmp_path)


def test_a_cache_kept_in_memory_follows_templates_settings_and_folders(tmp_path: Path) -> None:
    """As `serve` builds: one CacheMemory through edits, a template of the site's own, a new
    setting, a build into another folder and a deleted cache folder; each build gives the
    bytes of a clean build."""
    memory = CacheMemory()
    corpus(tmp_path, 6)
    settle(tmp_path)
    incremental_build(tmp_path, memory)
    article = tmp_path / "articles/0003_0000000000000003.txt"
    base = (BUILTIN_TEMPLATES / "base.html").read_text()
    steps = [
        lambda: article.write_text(article.read_text() + "\n\nA first addition."),
        lambda: (
            (tmp_path / "layouts").mkdir()
            or (tmp_path / "layouts/base.html").write_text(
                base.replace("</body>", "<!-- the site's own -->\n</body>")
            )
        ),
        lambda: article.write_text(article.read_text() + "\n\nA second addition."),
        lambda: (tmp_path / "sitegen.yaml").write_text("per_page: 3\n"),
        lambda: build(make_config(tmp_path, "elsewhere", ".sitegen-cache"), jobs=1, memory=memory),
        lambda: article.write_text(article.read_text() + "\n\nA third addition."),
        lambda: shutil.rmtree(tmp_path / ".sitegen-cache"),
        lambda: (tmp_path / "layouts/base.html").unlink(),
    ]
    for step in steps:
        step()
        settle(tmp_path)
        _, after = incremental_build(tmp_path, memory)
        assert after == clean_build(tmp_path)


def test_a_killed_parallel_build_leaves_no_worker_and_no_lock(tmp_path: Path) -> None:
    """SIGKILL (the out-of-memory killer, `kill -9`) gives the build no chance to stop its
    workers: they must end by themselves, and the next build must not wait for the lock they
    would hold. Forked workers held their siblings' pipes and the lock's file, so they waited
    for a request for ever, and so did every later build into that folder."""
    corpus(tmp_path, 2000)
    build_process = start_parallel_build(tmp_path)
    workers = both_workers_of(build_process, tmp_path)
    build_process.kill()
    build_process.communicate(timeout=30)
    try:
        assert processes_in(tmp_path, wait=10) == []
    finally:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
    again = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "-q", "--jobs", "2"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0 and "waiting" not in again.stderr, again.stderr
    assert (tmp_path / "public/index.html").is_file()


def test_an_edit_that_keeps_size_and_time_is_read(tmp_path: Path) -> None:
    """An edit in place that keeps the size, with its time set back (`touch -r`, `cp -p`,
    `rsync -t`): only the change time tells."""
    corpus(tmp_path, 5)
    settle(tmp_path)
    incremental_build(tmp_path)
    path = tmp_path / "articles/0002_0000000000000002.txt"
    before = path.stat()
    path.write_text(path.read_text().replace("Text of story 2", "Text of story X"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    report, after = incremental_build(tmp_path)
    assert report.read == 1
    assert after == clean_build(tmp_path)


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero"])
def test_a_cache_file_that_is_no_file_is_ignored(tmp_path: Path, kind: str) -> None:
    """A named pipe in the cache folder kept the build waiting for ever; a link to /dev/zero
    read until memory ran out."""
    corpus(tmp_path, 3)
    incremental_build(tmp_path)
    cache_file = tmp_path / ".sitegen-cache" / SOURCES_FILE
    cache_file.unlink()
    if kind == "fifo":
        os.mkfifo(cache_file)
    else:
        cache_file.symlink_to("/dev/zero")
    done = subprocess.run(
        [sys.executable, "-m", "sitegen", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "cannot read the build cache" in done.stdout + done.stderr


def test_a_folder_in_place_of_a_cache_file_is_replaced(tmp_path: Path) -> None:
    """A folder where a cache file goes stopped every build ("Is a directory"), leaving a
    temporary file behind each time: it is read as damage, and the cache file takes its place."""
    corpus(tmp_path, 3)
    settle(tmp_path)  # else files written a moment ago are read again: see `build.RACY_NS`
    incremental_build(tmp_path)
    cache = tmp_path / ".sitegen-cache"
    (pages,) = cache.glob("pages-*")
    for path in (cache / SOURCES_FILE, pages):
        path.unlink()
        (path / "inside").mkdir(parents=True)
        (path / "inside/file").write_text("x")
    outputs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "sitegen", "build", "-v"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout + done.stderr)
    assert "cannot read the build cache" in outputs[0]
    assert "cannot read the build cache" not in outputs[1]
    assert (cache / SOURCES_FILE).is_file() and pages.is_file()
    assert not list(cache.glob("*.tmp"))
    assert outputs[1].startswith("0 file(s) read")  # the cache saved in the folders' place serves


def test_the_cache_folder_is_hidden_from_git_only_when_sitegen_made_it(tmp_path: Path) -> None:
    corpus(tmp_path, 700)  # workers: they compile templates into the cache folder first
    incremental_build(tmp_path)
    assert (tmp_path / ".sitegen-cache/.gitignore").read_text().endswith("*\n")
    mine = tmp_path / "notes"  # a folder of the user's, named as the cache
    mine.mkdir()
    (mine / "todo.txt").write_text("remember")
    config = make_config(tmp_path, "public", "notes")
    build(config, jobs=2)
    assert any(mine.glob("*.marshal")) and not (mine / ".gitignore").exists()
