"""`sitegen watch`: real file events on real files, each ending in the output of a clean build."""

from __future__ import annotations

import logging
import os
import queue
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sitegen.config import load_config
from sitegen.watch import (
    RELINKED,
    Change,
    Outcome,
    Rebuilder,
    Root,
    Stopped,
    Watcher,
    is_ignored,
    merge,
    start_watching,
)
from sitegen.write import MANIFEST
from tests.conftest import article_text, read_tree
from tests.live import TIMEOUT, Command, clean_tree, output_tree, wait_until

# --- pure rules --------------------------------------------------------------------------------


def test_ignored_paths(tmp_path: Path) -> None:
    src, lay = tmp_path / "articles", tmp_path / "layouts"
    out = (tmp_path / "public", src / "cache")  # a cache folder set inside articles/ too
    roots = [Root(src, True), Root(lay, True), Root(tmp_path / "sitegen.yaml", False)]
    for name in ("a.txt~", ".a.txt.swp", "4913", "#a.txt#", "a.txt.tmp", ".hidden/a.txt"):
        assert is_ignored(src / name, roots, out), name
    # Saved through a file renamed over the one saved: `sed -i`, JetBrains' safe write, Kate.
    for name in ("sedFTIQxi", "style.css___jb_tmp___", "style.css___jb_old___", "a.kate-swp"):
        assert is_ignored(lay / "static" / name, roots, out), name
    assert not is_ignored(lay / "static" / "sediment.png", roots, out)
    assert not is_ignored(src, roots, out)  # the folder itself (made anew, say)
    assert is_ignored(tmp_path / "public" / "index.html", roots, out)
    assert is_ignored(tmp_path / "public", roots, out)
    assert is_ignored(src / "cache" / "sources.marshal", roots, out)
    assert is_ignored(tmp_path / "notes.txt", roots, out)  # beside the config, not the config
    assert not is_ignored(src / "a.txt", roots, out)
    assert not is_ignored(src / "2026" / "a.md", roots, out)
    assert not is_ignored(lay / "base.html", roots, out)
    assert not is_ignored(tmp_path / "sitegen.yaml", roots, out)


def test_merge_keeps_one_change_per_path(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    changes = [
        Change(a, "created"),
        Change(a, "modified"),
        Change(b, "deleted"),
        Change(b, "created"),  # save-by-rename: replaced
        Change(c, "created"),
        Change(c, "deleted"),
    ]
    assert merge(changes) == [Change(a, "created"), Change(b, "modified"), Change(c, "deleted")]


# --- real events -------------------------------------------------------------------------------


@pytest.fixture
def site(make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_site(
        {
            "articles/a.txt": article_text("2026-02-06", "Cuba talks in Beijing"),
            "articles/b.txt": article_text("2026-02-07", "Energy prices fall"),
        }
    )
    monkeypatch.chdir(root)
    return root


@pytest.fixture(params=[False, True], ids=["events", "poll"])
def watching(request: pytest.FixtureRequest, site: Path) -> Iterator[queue.Queue[Outcome]]:
    """Build the site, then watch it; yields the outcomes of the rebuilds as they happen."""
    outcomes: queue.Queue[Outcome] = queue.Queue()
    rebuilder = Rebuilder(lambda: load_config(site_dir=site))
    assert rebuilder.rebuild().ok
    watcher = start_watching(rebuilder, outcomes.put, poll=request.param)
    yield outcomes
    watcher.stop()


def settles_as_clean_build(site: Path) -> dict[str, bytes]:
    """Wait for the output to be what a clean build gives; return it."""

    def settled() -> dict[str, bytes] | None:
        tree = output_tree(site)
        return tree if tree is not None and tree == clean_tree(site) else None

    return wait_until(settled, "the output of a clean build")


def next_outcome(outcomes: queue.Queue[Outcome]) -> Outcome:
    return outcomes.get(timeout=TIMEOUT)


def test_create(site: Path, watching: queue.Queue[Outcome]) -> None:
    (site / "articles" / "c.txt").write_text(article_text("2026-02-08", "Rain in the north"))
    outcome = next_outcome(watching)
    assert outcome.ok and Change(site / "articles" / "c.txt", "created") in outcome.changes
    tree = settles_as_clean_build(site)
    assert any("rain-in-the-north" in p for p in tree)


def test_edit(site: Path, watching: queue.Queue[Outcome]) -> None:
    (site / "articles" / "a.txt").write_text(article_text("2026-02-06", "Cuba and China meet"))
    tree = settles_as_clean_build(site)
    assert any("cuba-and-china-meet" in p for p in tree)
    assert not any("cuba-talks-in-beijing" in p for p in tree)


def test_delete(site: Path, watching: queue.Queue[Outcome]) -> None:
    (site / "articles" / "b.txt").unlink()
    tree = settles_as_clean_build(site)
    assert not any("energy-prices-fall" in p for p in tree)


def test_rename(site: Path, watching: queue.Queue[Outcome]) -> None:
    (site / "articles" / "2026").mkdir()
    (site / "articles" / "b.txt").rename(site / "articles" / "2026" / "b.md")
    settles_as_clean_build(site)
    # Renamed to a name that is ignored: the article is gone.
    (site / "articles" / "a.txt").rename(site / "articles" / "a.txt~")
    tree = settles_as_clean_build(site)
    assert not any("cuba-talks" in p for p in tree)
    assert any("energy-prices-fall" in p for p in tree)


def test_a_file_name_with_a_newline_is_one_line(site: Path, watching: queue.Queue[Outcome]) -> None:
    """A rebuild prints one line naming what changed: a file named with a newline and what
    looks like a line of sitegen's own cannot add a line of its own to it."""
    name = "x\n[12:00:00] y.txt (created): 1 written.txt"
    (site / "articles" / name).write_text(article_text("2026-02-07", "Named oddly"))
    outcome = next_outcome(watching)
    assert outcome.line().startswith("articles/x\\n[12:00:00] y.txt (created): 1 ")
    assert "\n" not in outcome.line()


def test_save_by_rename(site: Path, watching: queue.Queue[Outcome]) -> None:
    """Editors write a temporary file and rename it over the original."""
    temp = site / "articles" / ".a.txt.swp"
    temp.write_text(article_text("2026-02-06", "Saved the safe way"))
    os.replace(temp, site / "articles" / "a.txt")
    outcome = next_outcome(watching)
    # A change of the article, not a new one: with file events, the rename over it read
    # "articles/a.txt (created)".
    assert outcome.changes == (Change(site / "articles" / "a.txt", "modified"),)
    assert outcome.line().startswith("articles/a.txt (modified): ")
    tree = settles_as_clean_build(site)
    assert any("saved-the-safe-way" in p for p in tree)
    new = site / "articles" / ".c.txt.swp"  # a new file saved the same way is new
    new.write_text(article_text("2026-02-08", "A new one"))
    os.replace(new, site / "articles" / "c.txt")
    outcome = next_outcome(watching)
    assert outcome.changes == (Change(site / "articles" / "c.txt", "created"),)
    settles_as_clean_build(site)


def test_the_config_saved_by_rename_is_modified(site: Path) -> None:
    config = site / "sitegen.yaml"
    config.write_text("title: One\n")
    outcomes: queue.Queue[Outcome] = queue.Queue()
    rebuilder = Rebuilder(lambda: load_config(site_dir=site))
    assert rebuilder.rebuild().ok
    watcher = start_watching(rebuilder, outcomes.put)
    try:
        temp = site / ".sitegen.yaml.tmp"
        temp.write_text("title: Two\n")
        os.replace(temp, config)
        outcome = next_outcome(outcomes)
        assert outcome.changes == (Change(config, "modified"),)
    finally:
        watcher.stop()


@pytest.mark.parametrize("poll", [False, True], ids=["events", "poll"])
def test_a_layout_saved_by_rename_is_modified(site: Path, poll: bool) -> None:
    """A template or static asset of layouts/ saved the safe way is a change of it, as an
    article is: with file events, it read "layouts/404.html (created)"."""
    layouts = site / "layouts"
    (layouts / "static").mkdir(parents=True)
    (layouts / "404.html").write_text("<!DOCTYPE html><p>Nothing here.</p>\n")
    (layouts / "static" / "extra.css").write_text("p { color: red }\n")
    outcomes: queue.Queue[Outcome] = queue.Queue()
    rebuilder = Rebuilder(lambda: load_config(site_dir=site))
    assert rebuilder.rebuild().ok
    watcher = start_watching(rebuilder, outcomes.put, poll=poll)
    try:
        for name, text in [
            ("404.html", "<!DOCTYPE html><p>Saved the safe way.</p>\n"),
            ("static/extra.css", "p { color: blue }\n"),
        ]:
            temp = (layouts / name).with_name(f".{Path(name).name}.swp")
            temp.write_text(text)
            os.replace(temp, layouts / name)
            outcome = next_outcome(outcomes)
            assert outcome.changes == (Change(layouts / name, "modified"),)
            assert outcome.line().startswith(f"layouts/{name} (modified): ")
        assert "Saved the safe way." in (site / "public/404.html").read_text()
        assert (site / "public/extra.css").read_text() == "p { color: blue }\n"
        new = layouts / "static" / ".more.css.swp"  # a new file saved the same way is new
        new.write_text("a { color: green }\n")
        os.replace(new, layouts / "static" / "more.css")
        outcome = next_outcome(outcomes)
        assert outcome.changes == (Change(layouts / "static" / "more.css", "created"),)
        settles_as_clean_build(site)
    finally:
        watcher.stop()


def test_a_source_folder_made_anew_is_watched_again(
    site: Path, watching: queue.Queue[Outcome]
) -> None:
    """`mv articles old; mkdir articles`: the watch on the old folder follows it to its new name,
    and the new folder, made where nothing is watched, must be watched anew."""
    articles = site / "articles"
    articles.rename(site / "articles.old")
    articles.mkdir()
    (articles / "c.txt").write_text(article_text("2026-02-08", "Made anew"))
    tree = settles_as_clean_build(site)
    assert any("made-anew" in p for p in tree) and not any("energy-prices" in p for p in tree)
    (articles / "c.txt").write_text(article_text("2026-02-08", "Edited in the new folder"))
    tree = settles_as_clean_build(site)
    assert any("edited-in-the-new-folder" in p for p in tree)
    (site / "articles.old" / "b.txt").write_text(article_text("2026-02-07", "Not a source"))
    (articles / "d.txt").write_text(article_text("2026-02-09", "The last one"))
    outcome = next_outcome(watching)
    while Change(articles / "d.txt", "created") not in outcome.changes:
        outcome = next_outcome(watching)
    assert all("articles.old" not in str(c.path) for c in outcome.changes)


def test_a_source_folder_deleted_and_made_again_twice_is_still_watched(
    site: Path, watching: queue.Queue[Outcome]
) -> None:
    """`rm -r articles; mkdir articles`, twice: ext4 gave the second new folder the inode of
    the one just deleted, and edits after it went unseen for ever."""
    articles = site / "articles"
    for n in range(3):
        shutil.rmtree(articles)
        articles.mkdir()
        (articles / "c.txt").write_text(article_text("2026-02-08", f"Made anew {n}"))
        tree = settles_as_clean_build(site)
        assert any(f"made-anew-{n}" in p for p in tree)
    (articles / "c.txt").write_text(article_text("2026-02-08", "Edited at last"))
    tree = settles_as_clean_build(site)
    assert any("edited-at-last" in p for p in tree)


def test_a_watch_that_stopped_is_made_again(site: Path) -> None:
    """What happens under `rm -r articles; mkdir articles` when the new folder has the old
    one's inode (ext4 reuses them): watchdog stops the watch of a deleted folder, and the folder
    looks the same as before. The stopped watch alone must make it watched again."""
    outcomes: queue.Queue[Outcome] = queue.Queue()
    rebuilder = Rebuilder(lambda: load_config(site_dir=site))
    assert rebuilder.rebuild().ok
    watcher = start_watching(rebuilder, outcomes.put)
    try:
        assert watcher.observer is not None
        real = os.path.realpath(site / "articles")
        (emitter,) = [e for e in watcher.observer.emitters if e.watch.path == real]
        emitter.stop()
        emitter.join()
        (site / "articles" / "a.txt").write_text(article_text("2026-02-06", "Seen again"))
        tree = settles_as_clean_build(site)
        assert any("seen-again" in p for p in tree)
    finally:
        watcher.stop()


def test_watchdog_warnings_about_its_own_watches_are_not_shown(site: Path) -> None:
    """Folders made in the moment watchdog adds their parent get their watch added twice, and
    watchdog warns, printing a line of its own code. Here the same twice, deterministically,
    through watchdog's shared inotify instance, while a watch runs."""
    import warnings

    from watchdog.observers.inotify_c import InotifyConstants, InotifyFD

    outcomes: queue.Queue[Outcome] = queue.Queue()
    rebuilder = Rebuilder(lambda: load_config(site_dir=site))
    assert rebuilder.rebuild().ok
    inotify, folder = InotifyFD.get_instance(), os.fsencode(site / "articles")
    with warnings.catch_warnings(record=True) as caught:
        warnings.resetwarnings()  # Python's defaults: each warning shows (once per place)
        watcher = start_watching(rebuilder, outcomes.put)
        try:
            for _ in range(2):
                wd = inotify.add_callback(folder, InotifyConstants.IN_CREATE, print, "test")
            inotify.remove_callbacks([(wd, "test"), (wd, "test")])
            (site / "articles" / "after.txt").write_text(article_text("2026-02-06", "Watched"))
            assert any("watched" in path for path in settles_as_clean_build(site))
        finally:
            watcher.stop()
    assert [str(w.message) for w in caught] == []


def test_watchdog_s_error_about_a_stopped_watch_is_not_shown(
    site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A folder's watch stopped as an event for it is read (the config moved the folders):
    watchdog logs "InotifyEmitter.queue_events() called when the thread is inactive", shown in
    the terminal of `serve` and `watch` though nothing is lost. Here that moment, by asking a
    stopped watch for its events."""
    rebuilder = Rebuilder(lambda: load_config(site_dir=site))
    watcher = start_watching(rebuilder, lambda outcome: None)
    try:
        assert watcher.observer is not None
        emitter = next(iter(watcher.observer.emitters))
        emitter.stop()
        emitter.join(timeout=5)
        with caplog.at_level("DEBUG"):
            emitter.queue_events(0)
            logging.getLogger("watchdog.observers.inotify").error("another error")
    finally:
        watcher.stop()
    assert [r.getMessage() for r in caplog.records] == ["another error"]


def test_the_output_folder_removed_is_built_again(
    site: Path, watching: queue.Queue[Outcome]
) -> None:
    """`rm -r public` while serving: every page was a 404 until the next edit."""
    shutil.rmtree(site / "public")
    tree = settles_as_clean_build(site)
    assert any("cuba-talks-in-beijing" in p for p in tree)


def test_a_source_folder_replaced_by_a_symlink_is_followed(
    site: Path, watching: queue.Queue[Outcome]
) -> None:
    """`rm -r articles; ln -s elsewhere articles`: what changes is in the folder it leads to."""
    elsewhere = site / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "c.txt").write_text(article_text("2026-02-08", "Kept elsewhere"))
    for path in (site / "articles").iterdir():
        path.unlink()
    (site / "articles").rmdir()
    (site / "articles").symlink_to(elsewhere)
    tree = settles_as_clean_build(site)
    assert any("kept-elsewhere" in p for p in tree)
    (elsewhere / "c.txt").write_text(article_text("2026-02-08", "Edited through the link"))
    tree = settles_as_clean_build(site)
    assert any("edited-through-the-link" in p for p in tree)


@pytest.mark.parametrize("poll", [False, True], ids=["events", "poll"])
def test_symlinked_source_and_output_folders_re_pointed_are_followed(
    site: Path, poll: bool
) -> None:
    """A release switched by re-pointing `articles` (`ln -sfn rel2 articles`), then `public`:
    the watch went on building the old folders, and no edit in the new ones was seen (the
    hostile helper). No event tells: the links are looked at when all is quiet."""
    for name in ("rel1", "rel2", "out1", "out2"):
        (site / name).mkdir()
    for path in (site / "articles").iterdir():
        path.rename(site / "rel1" / path.name)
    (site / "articles").rmdir()
    (site / "rel2/c.txt").write_text(article_text("2026-02-08", "The second release"))
    (site / "articles").symlink_to("rel1")
    (site / "public").symlink_to("out1")
    outcomes: queue.Queue[Outcome] = queue.Queue()
    rebuilder = Rebuilder(lambda: load_config(site_dir=site))
    assert rebuilder.rebuild().ok
    watcher = start_watching(rebuilder, outcomes.put, poll=poll)
    try:
        (site / "next").symlink_to("rel2")
        (site / "next").replace(site / "articles")  # atomic, as `mv -T` does
        tree = settles_as_clean_build(site)
        assert any("the-second-release" in p for p in tree)
        (site / "rel2/c.txt").write_text(article_text("2026-02-08", "Edited in the release"))
        tree = settles_as_clean_build(site)
        assert any("edited-in-the-release" in p for p in tree)
        (site / "next").symlink_to("out2")
        (site / "next").replace(site / "public")
        tree = settles_as_clean_build(site)
        assert read_tree(site / "out2", skip=(MANIFEST,)) == tree
    finally:
        watcher.stop()
    changes = [c for outcome in outcomes.queue for c in outcome.changes]
    assert Change(site / "articles", RELINKED) in changes
    assert Change(site / "public", RELINKED) in changes


def test_a_relinked_folder_with_a_config_that_cannot_load_is_told_once(site: Path) -> None:
    """While the config cannot be loaded, the old one stays, and the link still leads
    elsewhere than it says: a failing rebuild came every second (the code review). Told once;
    the config mended, the new folder is built."""
    (site / "rel2").mkdir()
    (site / "rel2/c.txt").write_text(article_text("2026-02-08", "The second release"))
    outcomes: queue.Queue[Outcome] = queue.Queue()
    rebuilder = Rebuilder(lambda: load_config(site_dir=site))
    assert rebuilder.rebuild().ok
    (site / "articles").rename(site / "rel1")
    (site / "articles").symlink_to("rel1")
    assert rebuilder.rebuild([Change(site / "articles", RELINKED)]).ok  # loaded through it
    watcher = start_watching(rebuilder, outcomes.put)
    try:
        (site / "sitegen.yaml").write_text("per_page: [\n")
        assert not next_outcome(outcomes).ok
        (site / "next").symlink_to("rel2")
        (site / "next").replace(site / "articles")
        relinked = next_outcome(outcomes)
        assert Change(site / "articles", RELINKED) in relinked.changes and not relinked.ok
        time.sleep(3.5)  # the links are looked at every second
        assert outcomes.empty(), [o.changes for o in outcomes.queue]
        (site / "sitegen.yaml").write_text("title: Mended\n")
        tree = settles_as_clean_build(site)
        assert any("the-second-release" in p for p in tree)
    finally:
        watcher.stop()


def test_ignored_files_do_not_rebuild(site: Path, watching: queue.Queue[Outcome]) -> None:
    articles = site / "articles"
    (articles / "a.txt~").write_text("backup")
    (articles / ".b.txt.swp").write_text("swap")
    (articles / "4913").write_text("")
    (site / "public" / "extra.html").write_text("not a source")
    (site / "notes.txt").write_text("beside the config")
    (articles / "c.txt").write_text(article_text("2026-02-08", "The one that counts"))
    outcome = next_outcome(watching)
    assert [c.path.name for c in outcome.changes] == ["c.txt"]


def test_layout_and_config_changes_rebuild(site: Path, watching: queue.Queue[Outcome]) -> None:
    (site / "layouts").mkdir(exist_ok=True)
    (site / "layouts" / "404.html").write_text(
        '{% extends "default/404.html" %}{% block main %}Lost here{% endblock %}'
    )
    wait_until(lambda: b"Lost here" in (site / "public" / "404.html").read_bytes(), "new 404")
    (site / "sitegen.yaml").write_text("title: Morning Paper\n")
    wait_until(lambda: b"Morning Paper" in (site / "public" / "index.html").read_bytes(), "title")
    settles_as_clean_build(site)


def test_burst_of_saves_is_one_rebuild(site: Path) -> None:
    batches: queue.Queue[list[Change]] = queue.Queue()
    roots = [Root(site / "articles", True)]
    # A generous quiet time, so a slow machine cannot split the burst.
    with Watcher(roots, (site / "public",), batches.put, debounce=0.5):
        for n in range(5):
            (site / "articles" / f"new{n}.txt").write_text(article_text("2026-03-01", f"N {n}"))
        batch = batches.get(timeout=TIMEOUT)
    assert sorted(c.path.name for c in batch) == [f"new{n}.txt" for n in range(5)]


def test_bad_edits_fail_and_the_next_good_save_recovers(
    site: Path, watching: queue.Queue[Outcome]
) -> None:
    article = site / "articles" / "a.txt"
    article.write_text(article_text("2026-02-30", "Cuba talks in Beijing"))
    outcome = next_outcome(watching)
    assert not outcome.ok
    [problem] = outcome.problems
    assert (problem.path, problem.line) == ("articles/a.txt", 1)
    assert "impossible date" in problem.message

    article.write_text("---\ntitle: [unclosed\n---\n" + article_text("2026-02-06", "X"))
    outcome = next_outcome(watching)
    assert not outcome.ok and "front matter" in outcome.problems[0].message

    (site / "layouts").mkdir(exist_ok=True)
    (site / "layouts" / "article.html").write_text("{% block main %}{% if %}{% endblock %}\n")
    outcome = wait_until(lambda: next_outcome(watching).report is None, "a failed build")
    assert outcome

    (site / "layouts" / "article.html").unlink()
    article.write_text(article_text("2026-02-06", "Cuba talks in Beijing"))
    wait_until(lambda: next_outcome(watching).ok, "a good rebuild")
    settles_as_clean_build(site)


def test_template_error_names_file_and_line(site: Path, watching: queue.Queue[Outcome]) -> None:
    (site / "layouts").mkdir(exist_ok=True)
    (site / "layouts" / "article.html").write_text("line one\n{% if %}\n")
    outcome = next_outcome(watching)
    assert outcome.report is None
    [problem] = outcome.problems
    assert (problem.path, problem.line) == ("layouts/article.html", 2)
    assert "template syntax error" in problem.message
    assert "nothing written" in outcome.line()


def test_warnings_about_untouched_files_do_not_fail(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(
        {
            "articles/old.txt": " date 2026-13-01 Known bad",
            "articles/a.txt": article_text("2026-02-06", "A"),
        }
    )
    monkeypatch.chdir(site)
    rebuilder = Rebuilder(lambda: load_config(site_dir=site))
    first = rebuilder.rebuild()
    assert first.ok and len(first.report.problems) == 1
    assert first.line().startswith("Built: 13 written, 0 unchanged, 0 removed, 1 warning in ")
    (site / "articles" / "a.txt").write_text(article_text("2026-02-06", "B"))
    assert rebuilder.rebuild([Change(site / "articles" / "a.txt", "modified")]).ok


def test_a_file_of_the_users_where_a_page_goes_is_told_after_a_rebuild(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """`build` warns that it left the file as it is; a rebuild said only "13 written", and
    the page the browser reloaded was not the article's site (the hostile helper)."""
    site = make_site({"articles/a.txt": article_text("2026-02-06", "A")})
    monkeypatch.chdir(site)
    rebuilder = Rebuilder(lambda: load_config(site_dir=site))
    assert rebuilder.rebuild().ok
    shutil.rmtree(site / "public")
    (site / "public").mkdir()
    (site / "public" / "index.html").write_text("mine")
    (site / "articles" / "b.txt").write_text(article_text("2026-02-07", "B"))
    outcome = rebuilder.rebuild([Change(site / "articles" / "b.txt", "created")])
    assert outcome.ok  # a warning about the output, not about the file saved
    assert [p.path for p in outcome.in_output] == ["public/index.html"]
    assert "not written by sitegen" in outcome.in_output[0].message
    assert (site / "public" / "index.html").read_text() == "mine"
    from sitegen.cli import print_outcome

    print_outcome(outcome)
    assert "warning: public/index.html: not written by sitegen" in capsys.readouterr().err


def test_a_warning_fails_the_rebuild_of_its_save_only(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file saved with a warning fails that rebuild; saving another file later succeeds
    (the page reloads) though the first keeps its warning: an article dated next year is
    published with one, and the preview never reloaded again."""
    site = make_site({"articles/a.txt": article_text("2026-02-06", "A")})
    monkeypatch.chdir(site)
    rebuilder = Rebuilder(lambda: load_config(site_dir=site))
    assert rebuilder.rebuild().ok
    future = site / "articles" / "z.txt"
    future.write_text(article_text("2999-06-01", "Next year's"))
    failed = rebuilder.rebuild([Change(future, "created")])
    assert not failed.ok and "after today" in failed.problems[0].message
    (site / "articles" / "a.txt").write_text(article_text("2026-02-06", "B"))
    later = rebuilder.rebuild([Change(site / "articles" / "a.txt", "modified")])
    assert later.ok and any("after today" in p.message for p in later.report.problems)
    # A name that is not UTF-8 is shown escaped, and still counts as the file saved.
    odd = Path(os.fsdecode(bytes(site / "articles") + b"/\xff bad.txt"))
    odd.write_text(article_text("2026-02-07", "Odd"))
    outcome = rebuilder.rebuild([Change(odd, "created")])
    assert not outcome.ok and "not valid UTF-8" in outcome.problems[0].message


def test_a_rebuild_stopped_midway_leaves_the_output_as_it_was(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C during a rebuild: it ends at its next chunk of pages, its staging folder gone
    (it waited up to 30 s for the rebuild, then left the folder behind)."""
    site = make_site({"articles/a.txt": article_text("2026-02-06", "Before")})
    monkeypatch.chdir(site)
    rebuilder = Rebuilder(lambda: load_config(site_dir=site))
    assert rebuilder.rebuild().ok
    before = {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()}
    source = site / "articles" / "a.txt"
    source.write_text(article_text("2026-02-06", "After"))
    rebuilder.stop()
    with pytest.raises(Stopped):
        rebuilder.rebuild([Change(source, "modified")])
    after = {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in (site / "public").iterdir() if p.name.startswith(".sitegen-staging")]
    rebuilder.stopping.clear()
    assert rebuilder.rebuild([Change(source, "modified")]).ok


def test_broken_config_fails_until_fixed(site: Path) -> None:
    rebuilder = Rebuilder(lambda: load_config(site_dir=site))
    assert rebuilder.rebuild().ok
    config = site / "sitegen.yaml"
    config.write_text("titel: Typo\n")
    outcome = rebuilder.rebuild([Change(config, "created")])
    assert not outcome.ok and "did you mean 'title'" in outcome.problems[0].message
    # Still broken: an article edit must not hide it.
    assert not rebuilder.rebuild([Change(site / "articles" / "a.txt", "modified")]).ok
    config.write_text("title: Fixed\n")
    assert rebuilder.rebuild([Change(config, "modified")]).ok


# --- the command -------------------------------------------------------------------------------


def test_watch_command_prints_one_line_per_rebuild_and_stops_on_ctrl_c(site: Path) -> None:
    command = Command(site, "watch")
    try:
        command.wait_for_line("Watching")
        command.wait_for_line("Built:")
        (site / "articles" / "a.txt").write_text(article_text("2026-02-06", "Edited"))
        line = command.wait_for_line("articles/a.txt (modified)")
        assert " written, " in line and " s\n" in line
        moved = command.wait_for_line("notice: articles/a.txt: its address moved from")
        assert "/cuba-talks-in-beijing/ to 2026/02/06/edited/" in moved  # a new title
        (site / "articles" / "a.txt").write_text(article_text("2026-02-31", "Edited"))
        command.wait_for_line("articles/a.txt:1: impossible date 2026-02-31")
        (site / "articles" / "a.txt").write_text(article_text("2026-02-06", "Fixed"))
        command.wait_for_line("articles/a.txt (modified)")
        (site / "sitegen.yaml").write_text("per_page: 0\nfoo: 1\n")  # two problems: two lines
        command.wait_for_line("error: 2 problem(s) in the config:")
        assert "foo: unknown key" in command.wait_for_line("foo: unknown key")
        assert command.interrupt() == 0
    finally:
        command.close()
    assert "Stopped." in "".join(command.stdout)
    assert "Traceback" not in "".join(command.stderr)


@pytest.mark.parametrize("command_name", ["watch", "serve"])
def test_a_config_broken_at_the_start_is_waited_for(site: Path, command_name: str) -> None:
    """A broken config at the start ended `watch` and `serve` (exit code 1), where one broken
    later fails the rebuilds until it is mended: now the same. Nothing is built meanwhile."""
    (site / "sitegen.yaml").write_text("titel: Typo\n")
    args = ("serve", "--port", "0") if command_name == "serve" else ("watch",)
    command = Command(site, *args)
    try:
        started = "Serving" if command_name == "serve" else "Watching"
        if command_name == "watch":  # said before the first build; `serve`'s after it
            command.wait_for_line(started)
        command.wait_for_line("build failed")
        command.wait_for_line("sitegen.yaml: titel: unknown key (did you mean 'title'?)")
        if command_name == "serve":
            command.wait_for_line(started)
        assert not (site / "public").exists()
        (site / "sitegen.yaml").write_text("title: Mended\n")
        command.wait_for_line("sitegen.yaml (modified)")
        assert "<title>Mended</title>" in (site / "public" / "index.html").read_text()
        assert command.interrupt() == 0
    finally:
        command.close()
    assert "Traceback" not in "".join(command.stderr)
    failed = Command(site, *args, "--output", "/etc")  # no file to mend: an error, as before
    try:
        assert failed.process.wait(TIMEOUT) == 1
        failed.wait_for_line("refusing to build into /etc")
    finally:
        failed.close()


def test_a_site_folder_removed_and_made_again_is_built_in_again(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`rm -r site`, then a clone or a copy at the same path: watch stayed in the removed
    folder, and every save after that printed a traceback and built nothing."""
    monkeypatch.chdir(site.parent)  # this test's own builds (the clean one) run from there
    files = {p.relative_to(site): p.read_bytes() for p in (site / "articles").iterdir()}
    command = Command(site, "watch")
    try:
        command.wait_for_line("Built:")
        shutil.rmtree(site)
        command.wait_for_line("the folder sitegen was started in was removed")
        (site / "articles").mkdir(parents=True)
        for path, data in files.items():
            (site / path).write_bytes(data)
        (site / "articles" / "c.txt").write_text(article_text("2026-02-08", "Back again"))
        settles_as_clean_build(site)
        assert command.interrupt() == 0
    finally:
        command.close()
    assert "Traceback" not in "".join(command.stderr)
