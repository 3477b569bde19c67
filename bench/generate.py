"""Generate a deterministic corpus of articles in the corpus format, for benchmarks.

    python bench/generate.py 10000 bench/corpora/10k

Same count and seed -> the same bytes. Articles have 250-900 words, a byline, dates over several
years, and mention countries, people and organisations so that tagging has real work to do.
The words are invented filler: no real news text is copied. As in the real corpus (FORMAT.md's
sample), a third of the paragraphs quote someone in curly quotes and some names take a curly
apostrophe ("Cuba’s"): text that is not ASCII takes other paths through the reader, the tagger
and the page encoder than plain ASCII does, and a corpus without it measured only the quick ones.

    python bench/generate.py 10000 bench/corpora/10k-names --many-names

With `--many-names`, each article's people, organisations and extra places come from big pools
of invented names (20,000 surnames, 5,000 organisations, 4,000 places) instead of a dozen each,
the rest drawn as before: as in a real archive, most names are rare, so the corpus has thousands
of tags (3,159 at 10,000 articles, against 161) and the tagger parses tens of
thousands of distinct runs of names.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path
from typing import NamedTuple

WORDS = (
    "the of and to in a that for on with as said by at from was were is its has have had will "
    "would could after before over under new more than about into during talks plan report "
    "government officials minister ministry agreement meeting trade security economy energy "
    "market prices oil gas water border region capital city council parliament vote election "
    "court law policy budget health schools workers union strike farmers port ships flights "
    "talks week month year support pressure sanctions aid deal dialogue statement spokesman "
    "committee project investment growth inflation exports imports rain storm drought harvest"
).split()
COUNTRIES = (
    "China Cuba Russia Iran Venezuela Colombia Nicaragua Brazil India Japan Germany France "
    "Italy Spain Mexico Canada Egypt Turkey Israel Lebanon Syria Iraq Kenya Nigeria Ghana Peru "
    "Chile Argentina Poland Ukraine Norway Sweden Finland Vietnam Indonesia Pakistan"
).split()
DEMONYMS = ("Chinese", "Cuban", "Russian", "Iranian", "Brazilian", "Japanese", "German", "French")
FIRST = tuple("Alda Boris Carmen Dario Elena Farid Greta Hugo Ines Jonas Karin Luis Mira".split())
LAST = tuple("Varenko Lindqvist Moreau Okafor Saranto Whitcombe Castellan Ibarra Novak".split())
ORGS = (
    "Northern Grain Council",
    "Atlas Shipping Group",
    "Harbor Workers Union",
    "Blue River Authority",
)
BYLINES = ("Staff", "Staff, Agencies", "News Desk")


def sentence(rng: random.Random, subject: str) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 22))
    words.insert(rng.randint(0, len(words)), subject)
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def typeset(typo: random.Random, sentences: list[str], speaker: str, name: str) -> str:
    """A paragraph as news text has it: now and then a quote in curly quotes, a possessive."""
    if typo.random() < 0.35:
        i = typo.randrange(len(sentences))
        sentences[i] = f"“{sentences[i][:-1]},” {speaker} said."
    paragraph = " ".join(sentences)
    if typo.random() < 0.3 and f"{name} " in paragraph:
        paragraph = paragraph.replace(f"{name} ", f"{name}’s ", 1)
    return paragraph


SYLLABLES = (
    "ka lo mi ran tes vor bel dun sha fi ro gan tel mar vik os ul den pra zo har lin".split()
)
ORG_KINDS = ("Council", "Group", "Union", "Authority", "Institute", "Party", "Bank", "Agency")
ORG_SCOPES = ("National", "Federal", "Central", "Regional", "United")


class Pools(NamedTuple):
    """Where an article's names come from: `article` draws a few of each."""

    first: tuple[str, ...]
    last: tuple[str, ...]
    orgs: tuple[str, ...]
    places: tuple[str, ...]


SMALL_POOLS = Pools(FIRST, LAST, ORGS, COUNTRIES)


def invented_word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def big_pools(seed: int) -> Pools:
    """Thousands of invented names of each kind (`--many-names`)."""
    rng = random.Random(f"pools-{seed}")
    first = tuple(invented_word(rng, rng.randint(2, 3)) for _ in range(3000))
    last = tuple(invented_word(rng, rng.randint(2, 4)) for _ in range(20000))
    orgs = tuple(
        f"{invented_word(rng, 2)} {rng.choice(ORG_KINDS)}"
        if rng.random() < 0.6
        else f"{rng.choice(ORG_SCOPES)} {invented_word(rng, 3)} {rng.choice(ORG_KINDS)}"
        for _ in range(5000)
    )
    places = tuple(invented_word(rng, rng.randint(2, 3)) for _ in range(4000))
    return Pools(first, last, orgs, places)


def drawn(pools: Pools, seed: int, index: int) -> Pools:
    """An article's own few names from big pools (a Random of its own, so that the rest of
    the article is drawn as it is from the small pools)."""
    rng = random.Random(f"names-{seed}-{index}")
    return Pools(
        tuple(rng.sample(pools.first, 5)),
        tuple(rng.sample(pools.last, 6)),
        tuple(rng.sample(pools.orgs, 3)),
        (*COUNTRIES, *rng.sample(pools.places, 6)),
    )


def article(
    rng: random.Random, index: int, start: dt.date, seed: int = 1, pools: Pools = SMALL_POOLS
) -> tuple[str, str]:
    if pools is not SMALL_POOLS:
        pools = drawn(pools, seed, index)
    first, last, orgs, countries = pools
    date = start + dt.timedelta(days=index * 3 // 4 + rng.randint(0, 2))
    country = rng.choice(countries)
    person = f"{rng.choice(first)} {rng.choice(last)}"
    subjects = [country, rng.choice(countries), rng.choice(DEMONYMS) + " officials", person,
                person.split()[1], rng.choice(orgs), "the United States", "the US"]  # fmt: skip
    title = f"{country} and {rng.choice(countries)} {rng.choice(WORDS)} {rng.choice(WORDS)} {index}"
    target_words = rng.randint(250, 900)
    typo = random.Random(f"{seed}-{index}")  # apart from `rng`: the words stay as they were
    paragraphs, words = [], 0
    while words < target_words:
        sentences = [sentence(rng, rng.choice(subjects)) for _ in range(rng.randint(2, 4))]
        paragraph = typeset(typo, sentences, person, country)
        paragraphs.append(paragraph)
        words += paragraph.count(" ") + 1
    byline = rng.choice(BYLINES) if rng.random() > 0.3 else person
    text = f" date {date.isoformat()} {title.title()}\n\nBy {byline}\n\n" + "\n\n".join(paragraphs)
    name = f"{index:06d}_{rng.getrandbits(64):016x}.txt"
    return name, text


def generate(count: int, folder: Path, seed: int = 1, many_names: bool = False) -> list[Path]:
    """Write `count` articles into `folder` (created); returns their paths."""
    pools = big_pools(seed) if many_names else SMALL_POOLS
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    start = dt.date(2026, 1, 1) - dt.timedelta(days=count * 3 // 4)
    paths = []
    for index in range(count):
        name, text = article(rng, index, start, seed, pools)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--many-names", action="store_true", help="names from big pools")
    args = parser.parse_args()
    generate(args.count, args.folder, args.seed, args.many_names)


if __name__ == "__main__":
    main()
