"""Generate a deterministic corpus of articles in the corpus format, for benchmarks.

    python bench/generate.py 10000 bench/corpora/10k

Same count and seed -> the same bytes. Articles have 250-900 words, a byline, dates over several
years, and mention countries, people and organisations so that tagging has real work to do.
The words are invented filler: no real news text is copied. As in the real corpus (FORMAT.md's
sample), a third of the paragraphs quote someone in curly quotes and some names take a curly
apostrophe ("Cuba’s"): text that is not ASCII takes other paths through the reader, the tagger
and the page encoder than plain ASCII does, and a corpus without it measured only the quick ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

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


def article(rng: random.Random, index: int, start: dt.date, seed: int = 1) -> tuple[str, str]:
    date = start + dt.timedelta(days=index * 3 // 4 + rng.randint(0, 2))
    country = rng.choice(COUNTRIES)
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    subjects = [country, rng.choice(COUNTRIES), rng.choice(DEMONYMS) + " officials", person,
                person.split()[1], rng.choice(ORGS), "the United States", "the US"]  # fmt: skip
    title = f"{country} and {rng.choice(COUNTRIES)} {rng.choice(WORDS)} {rng.choice(WORDS)} {index}"
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


def generate(count: int, folder: Path, seed: int = 1) -> list[Path]:
    """Write `count` articles into `folder` (created); returns their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    start = dt.date(2026, 1, 1) - dt.timedelta(days=count * 3 // 4)
    paths = []
    for index in range(count):
        name, text = article(rng, index, start, seed)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.count, args.folder, args.seed)


if __name__ == "__main__":
    main()
