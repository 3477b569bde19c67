"""Benchmark sitegen builds against baselines measured in the same run.

    python bench/run.py                   # 1,000 and 10,000 articles, 3 runs each
    python bench/run.py --sizes 1000 --runs 5
    python bench/run.py --sizes 100000    # the largest corpus, on request
    python bench/run.py --work /dev/shm/bench   # corpora and sites in another folder
    python bench/run.py --many-names      # names from big pools: thousands of tags, as archives

For each corpus size it times these scenarios, each as a fresh `sitegen build` process:
  cold       empty output folder and no cache
  noop       rebuild with nothing changed
  edit       rebuild after appending a paragraph to one article
  add        rebuild after adding one article
and prints the median wall time, the peak memory of the whole process tree (sitegen and its
workers, sampled from /proc), and ratios against baselines built from the same corpus:
  plain      a minimal Python script: read every file, render one jinja2 template, write a page
  pelican    Pelican (`pip install -e '.[bench]'`), when it is installed: cold build only
  hugo       Hugo (`apt-get install hugo`), when it is on PATH: cold build only, with the tags
             sitegen derived, so both build the same tag pages
Absolute times depend on the machine and its load; the ratios are what to compare. A speed probe
(a pure-Python loop, timed before and after each size's runs) is printed with them: on a shared
machine it can take twice as long in one hour as in another. The ratios depend
on the file system too: every tool writes thousands of folders and files, and on this project's
VM the disk under `bench/out` grew several times slower for that over a few create-and-delete
cycles: it is ext4 without a journal, which does not reuse an inode freed in the last minute or
more, so every folder and file made soon after a deletion costs a walk past the freed ones
(bench/RESULTS.md). `--work` on a RAM folder, such as /dev/shm, measures the builds without it.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

WORK = HERE / "out"
# As installed (pip compiles the modules): an editable install under PYTHONDONTWRITEBYTECODE
# would compile sitegen's modules again in every run, about 0.07 s that no user pays.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def tree_rss_kb(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return total


def timed(command: list[str], cwd: Path, log: Path | None = None) -> tuple[float, int]:
    """Run a command; return (seconds, peak KB of its process tree). Its output goes to `log`
    if given."""
    out = log.open("wb") if log else subprocess.DEVNULL
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=out, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if log:
        out.close()
        with log.open("ab") as file:
            file.write(stderr)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr.decode()}")
    return elapsed, peak


def sitegen(site: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "-q", "--source", str(site / "articles"),
            "--output", str(site / "public"), *extra]  # fmt: skip


def make_site(size: int, work: Path = WORK, many_names: bool = False) -> Path:
    """The site of `size` generated articles, made again when the generator has changed since.
    `many_names`: names from big pools (`generate.py --many-names`)."""
    site = work / (f"site-{size}-names" if many_names else f"site-{size}")
    articles, made_by = site / "articles", site / "generator"
    version = hashlib.sha256(Path(generate.__code__.co_filename).read_bytes()).hexdigest()
    if (
        not articles.is_dir()
        or len(os.listdir(articles)) != size
        or not made_by.exists()
        or made_by.read_text() != version
    ):
        shutil.rmtree(site, ignore_errors=True)
        print(f"generating {size:,} articles ...", file=sys.stderr)
        generate(size, articles, many_names=many_names)
        made_by.write_text(version)
    past = time.time() - 3600  # so the cache trusts every file (fresh files are read again)
    for path in articles.iterdir():
        os.utime(path, (past, past))
    (site / "sitegen.yaml").write_text("title: Bench\n")
    return site


def reset(site: Path) -> None:
    shutil.rmtree(site / "public", ignore_errors=True)
    shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)


def scenario_runs(site: Path, runs: int) -> dict[str, list[tuple[float, int]]]:
    results: dict[str, list[tuple[float, int]]] = {k: [] for k in ("cold", "noop", "edit", "add")}
    victim = sorted((site / "articles").iterdir())[len(os.listdir(site / "articles")) // 2]
    original, times = victim.read_bytes(), victim.stat()
    added = site / "articles" / "999999_ffffffffffffffff.txt"
    for run in range(runs):
        reset(site)
        results["cold"].append(timed(sitegen(site), site))
        results["noop"].append(timed(sitegen(site), site))
        victim.write_bytes(original + f"\n\nAn added paragraph, run {run}.".encode())
        results["edit"].append(timed(sitegen(site), site))
        added.write_text(f" date 2026-06-01 A New Article {run}\n\nBy Staff\n\nIt is new.\n")
        results["add"].append(timed(sitegen(site), site))
        victim.write_bytes(original)
        # Its old times too: a file written a moment before a build may change again unseen,
        # so that build would not vouch for it, and the next run's "noop" would read it again.
        os.utime(victim, ns=(times.st_atime_ns, times.st_mtime_ns))
        added.unlink()
    timed(sitegen(site), site)  # leave the site as generated
    return results


PLAIN = """
import sys, jinja2, pathlib, html
src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
t = jinja2.Environment(autoescape=True).from_string(
    "<!DOCTYPE html><title>{{ title }}</title><h1>{{ title }}</h1>"
    "{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}")
for path in sorted(src.iterdir()):
    text = path.read_text(encoding="utf-8-sig")
    head, _, body = text.partition("\\n")
    title = head.split(" ", 3)[-1]
    folder = out / path.stem
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(t.render(title=title, paragraphs=body.split("\\n\\n")))
"""


def plain_baseline(site: Path, runs: int) -> list[tuple[float, int]]:
    results = []
    for _ in range(runs):
        shutil.rmtree(site / "plain", ignore_errors=True)
        results.append(
            timed([sys.executable, "-c", PLAIN, str(site / "articles"), str(site / "plain")], site)
        )
    return results


def pelican_baseline(site: Path, runs: int) -> list[tuple[float, int]] | None:
    if shutil.which("pelican") is None and not (Path(sys.executable).parent / "pelican").exists():
        return None
    content = site / "pelican-content"
    if not content.is_dir():
        content.mkdir()
        for path in sorted((site / "articles").iterdir()):
            head, _, body = path.read_text(encoding="utf-8").partition("\n")
            date, title = head.split()[1], head.split(" ", 3)[-1]
            (content / (path.stem + ".md")).write_text(
                f"Title: {title}\nDate: {date}\nCategory: news\nTags: bench\n\n{body.strip()}\n"
            )
    conf = site / "pelicanconf.py"
    conf.write_text(
        "SITENAME='Bench'\nTIMEZONE='UTC'\nDEFAULT_PAGINATION=20\nFEED_ALL_ATOM='feed.xml'\n"
        "RELATIVE_URLS=True\nARTICLE_URL='{date:%Y}/{date:%m}/{date:%d}/{slug}/'\n"
        "ARTICLE_SAVE_AS='{date:%Y}/{date:%m}/{date:%d}/{slug}/index.html'\n"
        "YEAR_ARCHIVE_SAVE_AS='{date:%Y}/index.html'\n"
        "MONTH_ARCHIVE_SAVE_AS='{date:%Y}/{date:%m}/index.html'\n"
        "DAY_ARCHIVE_SAVE_AS='{date:%Y}/{date:%m}/{date:%d}/index.html'\n"
    )
    pelican = str(Path(sys.executable).parent / "pelican")
    results = []
    for _ in range(runs):
        shutil.rmtree(site / "pelican-out", ignore_errors=True)
        command = [pelican, str(content), "-o", str(site / "pelican-out"), "-s", str(conf), "-q"]
        results.append(timed(command, site))
    return results


# A minimal Hugo site without a theme: article pages, a paginated home, tag pages and feeds, as
# sitegen builds (no date archives: Hugo has no built-in equivalent). "section" is off because
# sitegen has no per-folder list, which would page through every article a second time.
HUGO_FILES = {
    "hugo.toml": """baseURL = "https://example.org/"
title = "Bench"
paginate = 20
rssLimit = 50
disableKinds = ["section"]
[permalinks]
posts = "/:year/:month/:day/:slug/"
[taxonomies]
tag = "tags"
[outputs]
home = ["HTML", "RSS"]
taxonomy = ["HTML", "RSS"]
term = ["HTML", "RSS"]
""",
    "layouts/_default/baseof.html": """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }} · {{ .Site.Title }}</title></head><body><header>
<a href="{{ "/" | relURL }}">{{ .Site.Title }}</a> <a href="{{ "/tags/" | relURL }}">Tags</a>
</header><main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "layouts/_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ .Content }}
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>
{{ end }}</ul>
</article>{{ end }}
""",
    "layouts/_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
{{ $pager := .Paginate $pages }}<ol>{{ range $pager.Pages }}
<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<time>{{ .Date.Format "2 January 2006" }}</time><p>{{ .Summary }}</p></li>{{ end }}</ol>
<nav>{{ with $pager.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}
{{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}</nav>{{ end }}
""",
    "layouts/_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a>
({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
}
META = re.compile(r'<meta property="(og:type|og:title|article:tag)" content="([^"]*)">')


def sitegen_tags(public: Path) -> dict[str, list[str]]:
    """The tags sitegen derived for each article, by title, read back from its pages' meta lines.

    Hugo cannot derive tags itself; giving it sitegen's makes both build the same tag pages.
    Titles are unique in the generated corpus (they end with the article's index).
    """
    tags = {}
    for page in public.rglob("index.html"):
        meta = [(k, html.unescape(v)) for k, v in META.findall(page.read_text(encoding="utf-8"))]
        if ("og:type", "article") in meta:
            title = next(v for k, v in meta if k == "og:title")
            tags[title] = [v for k, v in meta if k == "article:tag"]
    return tags


def hugo_baseline(site: Path, runs: int) -> list[tuple[float, int]] | None:
    """Cold Hugo builds of the corpus, with sitegen's tags; None when `hugo` is not on PATH.

    The Hugo site is written again on every call (not timed), so its tags follow the sitegen
    build that the scenario runs just left in `site / "public"`.
    """
    hugo = shutil.which("hugo")
    if hugo is None:
        return None
    source, out, cache = site / "hugo-site", site / "hugo-out", site / "hugo-cache"
    shutil.rmtree(source, ignore_errors=True)
    for name, text in HUGO_FILES.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text)
    tags = sitegen_tags(site / "public")
    posts = source / "content" / "posts"
    posts.mkdir(parents=True)
    missing = 0
    for path in sorted((site / "articles").iterdir()):
        head, _, body = path.read_text(encoding="utf-8").partition("\n")
        date, title = head.split()[1], head.split(" ", 3)[-1]
        missing += title not in tags
        (posts / (path.stem + ".md")).write_text(
            f"---\ntitle: {json.dumps(title)}\ndate: {date}\n"
            f"tags: {json.dumps(tags.get(title, []))}\n---\n{body.strip()}\n"
        )
    if missing:  # Hugo would build fewer tag pages than sitegen
        print(f"hugo: no sitegen page for {missing} articles, built without tags", file=sys.stderr)
    command = [hugo, "--quiet", "--noBuildLock", "--source", str(source), "--destination",
               str(out), "--cacheDir", str(cache), "--ignoreCache"]  # fmt: skip
    results = []
    for _ in range(runs):
        for folder in (out, cache, source / "resources"):
            shutil.rmtree(folder, ignore_errors=True)
        results.append(timed(command, site))
    return results


def loop_seconds() -> float:
    """The time a fixed pure-Python loop takes, a measure of the machine's speed at the moment:
    on a shared VM a loop of this kind took two to three times as long in some hours as in
    others. Printed beside the figures, it tells a slow spell from a slow build."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def median(runs: list[tuple[float, int]], pick: Callable[[tuple[float, int]], float]) -> float:
    return statistics.median(pick(run) for run in runs)


def report(
    size: int,
    results: dict[str, list[tuple[float, int]]],
    baselines: dict[str, list | None],
    loops: tuple[float, float],
) -> None:
    cold = median(results["cold"], lambda r: r[0])
    runs = len(results["cold"])
    print(f"\n{size:,} articles ({runs} runs each; median wall time, peak RSS of the process tree)")
    print(f"the speed probe's loop took {loops[0]:.2f} s before these runs, {loops[1]:.2f} s after")
    print(f"{'scenario':<10} {'median s':>9} {'peak MB':>8}   ratio")
    for name, runs in results.items():
        seconds = median(runs, lambda r: r[0])
        peak = median(runs, lambda r: r[1]) / 1024
        print(f"{name:<10} {seconds:>9.2f} {peak:>8.0f}   {seconds / cold:.3f} of cold")
    for name, runs in baselines.items():
        if runs is None:
            print(f"{name:<10} {'not installed':>18}")
            continue
        seconds = median(runs, lambda r: r[0])
        print(f"{name:<10} {seconds:>9.2f} {median(runs, lambda r: r[1]) / 1024:>8.0f}   "
              f"sitegen cold = {cold / seconds:.2f} x {name}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark sitegen against baselines.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-pelican", action="store_true")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--work", type=Path, default=WORK, help="where corpora and sites go")
    parser.add_argument(
        "--many-names", action="store_true", help="people, organisations, places from big pools"
    )
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    for size in args.sizes:
        site = make_site(size, args.work.resolve(), args.many_names)
        before = loop_seconds()
        results = scenario_runs(site, args.runs)
        baselines = {"plain": plain_baseline(site, args.runs)}
        if not args.no_pelican:
            baselines["pelican"] = pelican_baseline(site, args.runs if size <= 1000 else 1)
        if not args.no_hugo:
            baselines["hugo"] = hugo_baseline(site, args.runs if size <= 1000 else 1)
        report(size, results, baselines, (before, loop_seconds()))


if __name__ == "__main__":
    main()
