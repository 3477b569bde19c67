"""Benchmark tag derivation on generated corpora, alone and as part of a cold build.

    python bench/tagging.py                 # tag 1,000 and 10,000 generated articles
    python bench/tagging.py --build 10000   # also time cold builds: no tags, tags given, derived
    python bench/tagging.py --corpus names  # only the name-heavy corpus

Two corpora, both deterministic, so runs compare:
  standard  bench/generate.py's, which bench/run.py builds (a few people, places and
            organisations an article)
  names     this file's own, news-like text where names are dense (titles, names, countries,
            sentence-initial capitals in every sentence): the tagger's hardest case
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from generate import generate as generate_standard
from run import reset, sitegen, timed


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FILLER = _words(
    "the a of to in and on for with that as at by from said would could after before over "
    "about against talks officials government plan week year country people new security "
    "support trade energy deal policy meeting minister report agreement forces border "
    "economic sanctions region issue leaders capital statement month statement told crisis "
    "pressure market prices workers vote parliament court law election rights aid relations "
    "military talks visit weapons oil gas strike conflict ceasefire peace growth inflation "
    "budget tax spending reform protest police city province village families water power"
)
FIRST = _words("Anna Pedro Karim Li Maria Omar Elena Yusuf Jonas Amara Ivan Sofia Tomas Leila Chen")
LAST = _words("Okafor Lindqvist Haddad Moreno Petrov Nakamura Zhou Mensah Kowalski Ferreira Aziz")
TITLES = ("President", "Foreign Minister", "Prime Minister", "spokesman", "General", "Senator")
PLACES = _words(
    "China Cuba Russia Iran Brazil India Germany France Kenya Mexico Japan Egypt Turkey "
    "US U.S. UK Chinese Russian Iranian Brazilian Indian German French Kenyan Mexican "
    "Japanese Egyptian Turkish American British"
)
ORGS = ("NATO", "the United Nations", "the EU", "Hamas", "the World Bank", "the IMF", "OPEC")
STARTERS = ("Officials", "Analysts", "Meanwhile,", "Last week,", "On Monday,", "The", "In")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(STARTERS)] if rng.random() < 0.4 else []
    for _ in range(rng.randint(8, 24)):
        roll = rng.random()
        if roll < 0.05:
            words.append(f"{rng.choice(TITLES)} {rng.choice(FIRST)} {rng.choice(LAST)}")
        elif roll < 0.08:
            words.append(rng.choice(LAST))
        elif roll < 0.14:
            words.append(rng.choice(PLACES))
        elif roll < 0.16:
            words.append(rng.choice(ORGS))
        elif roll < 0.17:
            words.append(rng.choice(("Thursday", "March", "Reuters")))
        else:
            words.append(rng.choice(FILLER))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def article(rng: random.Random, number: int) -> str:
    target = rng.randint(250, 900)
    paragraphs, words = [], 0
    while words < target:
        para = " ".join(sentence(rng) for _ in range(rng.randint(2, 4)))
        paragraphs.append(para)
        words += para.count(" ") + 1
    day = 1 + number % 28
    title = f"{rng.choice(PLACES)} and {rng.choice(LAST)} {rng.choice(FILLER)} Talks"
    return "\n\n".join([f" date 2026-02-{day:02d} {title}", "By Staff, Agencies", *paragraphs])


def generate_names(folder: Path, count: int, seed: int = 3) -> Path:
    """Write `count` name-heavy articles into folder/articles; returns that folder."""
    rng = random.Random(seed)
    source = folder / "articles"
    source.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        name = f"{number:05d}_{rng.getrandbits(64):016x}.txt"
        (source / name).write_text(article(rng, number), encoding="utf-8")
    return source


def generate_corpus(kind: str, folder: Path, count: int) -> Path:
    """Write a corpus of `kind` (standard, names) into folder/articles; returns that folder."""
    if kind == "names":
        return generate_names(folder, count)
    generate_standard(count, folder / "articles")
    return folder / "articles"


def time_tagging(source: Path, repeats: int = 3) -> tuple[int, int, float, float]:
    """(articles, words, best wall seconds, best CPU seconds) to tag every article of a folder."""
    from sitegen.config import TagConfig
    from sitegen.read import find_sources, read_article
    from sitegen.tags import article_tags, load_lexicon

    files, _ = find_sources(source)
    results = [read_article(file.full, source) for file in files]
    read = [(r.article, r.body) for r in results if r.article and r.body]
    articles = [article for article, _ in read]
    paragraphs = {article.id: body.paragraphs for article, body in read}
    load_lexicon()  # built once per process; measured apart
    times = [
        _timed(lambda: article_tags(articles, TagConfig(), paragraphs)) for _ in range(repeats)
    ]
    wall, cpu = min(t[0] for t in times), min(t[1] for t in times)
    return len(articles), sum(a.words for a in articles), wall, cpu


def _timed(function) -> tuple[float, float]:
    """Wall and CPU seconds: on a shared machine CPU time is the steadier of the two."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def time_builds(
    folders: dict[str, tuple[Path, bool]], repeats: int = 3
) -> dict[str, tuple[float, int, dict[str, float]]]:
    """Median wall seconds and peak memory (KB) of a cold build (empty output folder, no build
    cache) of each variant (its folder, and whether it derives tags), and the median of each
    phase (as `sitegen build -v` prints them). Each build is a fresh `sitegen build` process,
    as a user runs it: builds run one after another in one process kept each other's memory
    and made the last ones' rendering seconds slower. The variants take turns, round after
    round, so a machine that slows down or speeds up weighs on each alike."""
    times: dict[str, list[tuple[float, int]]] = {name: [] for name in folders}
    phases: dict[str, list[dict[str, float]]] = {name: [] for name in folders}
    names = list(folders)
    for round_ in range(repeats):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            folder, derive = folders[name]
            (folder / "sitegen.yaml").write_text(f"tags:\n  derive: {str(derive).lower()}\n")
            reset(folder)
            times[name].append(timed(verbose(sitegen(folder)), folder, folder / "build.log"))
            phases[name].append(phases_of(folder))
    return {
        name: (
            statistics.median(wall for wall, _ in times[name]),
            max(peak for _, peak in times[name]),
            {k: statistics.median(p.get(k, 0.0) for p in phases[name]) for k in phases[name][0]},
        )
        for name in folders
    }


def verbose(command: list[str]) -> list[str]:
    return [("-v" if part == "-q" else part) for part in command]


def phases_of(folder: Path) -> dict[str, float]:
    """The phases of the last build, as `sitegen build -v` said them in the folder's build.log."""
    text = (folder / "build.log").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("seconds: "))
    return {
        part.rpartition(" ")[0]: float(part.rpartition(" ")[2])
        for part in line.removeprefix("seconds: ").split(", ")
    }


def with_given_tags(source: Path, target: Path) -> None:
    """A copy of `source`'s site whose articles carry in their front matter the tags derivation
    gives them: the same site, built with `derive: false`."""
    from sitegen.build import read_site
    from sitegen.config import load_config

    (source / "sitegen.yaml").write_text("tags:\n  derive: true\n")
    config = load_config(site_dir=source)
    corpus, _ = read_site(config)
    chosen = corpus.tagging(config).chosen
    (target / "articles").mkdir(parents=True)
    for article in corpus.articles:
        tags = ", ".join(f'"{name}"' for name in chosen[article.id])
        text = (source / "articles" / article.source).read_text(encoding="utf-8")
        front = f"---\ntags: [{tags}]\n---\n" if tags else ""
        (target / "articles" / article.source).write_text(front + text, encoding="utf-8")


def print_phases(columns: dict[str, dict[str, float]]) -> None:
    """Where derived tags add time: the scan runs where files are read ("read"), then tags are
    chosen; related articles are part of "model"; tag pages and feeds of "render"."""
    print(f"{'phase':14}" + "".join(f"{name:>10}" for name in columns))
    for phase in dict.fromkeys(k for phases in columns.values() for k in phases):
        print(f"{phase:14}" + "".join(f"{p.get(phase, 0.0):10.2f}" for p in columns.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--build", type=int, default=0, help="also time cold builds of N articles")
    parser.add_argument("--repeats", type=int, default=3, help="builds of each kind (median)")
    parser.add_argument("--corpus", choices=("standard", "names", "both"), default="both")
    args = parser.parse_args()
    from sitegen.tags import load_lexicon

    load_lexicon.cache_clear()
    print(f"lexicon: {_timed(load_lexicon)[0] * 1000:.0f} ms once per process")
    kinds = ("standard", "names") if args.corpus == "both" else (args.corpus,)
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            for size in args.sizes:
                source = generate_corpus(kind, Path(tmp) / f"{kind}{size}", size)
                count, words, wall, cpu = time_tagging(source)
                print(
                    f"{kind}: tagging {count:>6} articles ({words / count:.0f} words on "
                    f"average): {wall:.2f} s wall, {cpu:.2f} s CPU, "
                    f"{cpu / count * 1e6:.0f} µs CPU per article"
                )
            if args.build:
                report_builds(kind, args.build, args.repeats, Path(tmp))


def report_builds(kind: str, size: int, repeats: int, tmp: Path) -> None:
    """Cold builds of one corpus: without tags, with the derived tags given, deriving them."""
    derived = tmp / f"build-{kind}{size}"
    generate_corpus(kind, derived, size)
    given = tmp / f"given-{kind}{size}"
    with_given_tags(derived, given)
    variants = {"no tags": (derived, False), "given": (given, False), "derived": (derived, True)}
    results = time_builds(variants, repeats)
    for name, (wall, peak, _) in results.items():
        print(
            f"{kind}: cold build, {size} articles, {name:8}: {wall:.2f} s wall (median), "
            f"{peak / 1024:.0f} MB at most"
        )
    none, hand, auto = (results[n][0] for n in ("no tags", "given", "derived"))
    print(
        f"{kind}: deriving the tags adds {(auto / hand - 1) * 100:+.0f}% to a build of the same "
        f"site with the tags given in front matter; tags in all (deriving, tag pages and feeds, "
        f"related articles) add {(auto / none - 1) * 100:+.0f}% to a build without tags"
    )
    print_phases({name: phases for name, (_, _, phases) in results.items()})
    # The two builds differ only where the scan runs and where tags are chosen: rendering the
    # same site, on a disk that other work writes to, varies by seconds from build to build.
    derived_phases, given_phases = results["derived"][2], results["given"][2]
    own = sum(derived_phases[p] - given_phases[p] for p in ("read", "choose tags"))
    print(
        f"{kind}: deriving's own phases (reading with the scan, choosing tags) take {own:+.2f} s "
        f"more than with the tags given: {own / hand * 100:+.0f}% of that build's time"
    )


if __name__ == "__main__":
    main()
