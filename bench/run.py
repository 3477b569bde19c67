"""Benchmark sitegen builds against baselines measured in the same run.

    python bench/run.py                   # 1,000 and 10,000 articles, 3 runs each
    python bench/run.py --sizes 1000 --runs 5
    python bench/run.py --sizes 100000    # the largest corpus, on request

For each corpus size it times these scenarios, each as a fresh `sitegen build` process:
  cold       empty output folder and no cache
  noop       rebuild with nothing changed
  edit       rebuild after appending a paragraph to one article
  add        rebuild after adding one article
and prints the median wall time, the peak memory of the whole process tree (sitegen and its
workers, sampled from /proc), and ratios against baselines built from the same corpus:
  plain      a minimal Python script: read every file, render one jinja2 template, write a page
  pelican    Pelican (`pip install -e '.[bench]'`), when it is installed: cold build only
Absolute times depend on the machine and its load; the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import os
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


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Run a command; return (seconds, peak KB of its process tree)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
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
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr.decode()}")
    return elapsed, peak


def sitegen(site: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "-q", "--source", str(site / "articles"),
            "--output", str(site / "public"), *extra]  # fmt: skip


def make_site(size: int) -> Path:
    site = WORK / f"site-{size}"
    articles = site / "articles"
    if not articles.is_dir() or len(os.listdir(articles)) != size:
        shutil.rmtree(site, ignore_errors=True)
        print(f"generating {size:,} articles ...", file=sys.stderr)
        generate(size, articles)
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
    original = victim.read_bytes()
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


def median(runs: list[tuple[float, int]], pick: Callable[[tuple[float, int]], float]) -> float:
    return statistics.median(pick(run) for run in runs)


def report(
    size: int, results: dict[str, list[tuple[float, int]]], baselines: dict[str, list | None]
) -> None:
    cold = median(results["cold"], lambda r: r[0])
    runs = len(results["cold"])
    print(f"\n{size:,} articles ({runs} runs each; median wall time, peak RSS of the process tree)")
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
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    for size in args.sizes:
        site = make_site(size)
        results = scenario_runs(site, args.runs)
        baselines = {"plain": plain_baseline(site, args.runs)}
        if not args.no_pelican:
            baselines["pelican"] = pelican_baseline(site, args.runs if size <= 1000 else 1)
        report(size, results, baselines)


if __name__ == "__main__":
    main()
