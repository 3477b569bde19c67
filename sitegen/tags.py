"""Tags for each article: those a person gave in front matter, then those derived from the text.

Derived tags are what an article is about, in three kinds, read from capitalised text:
  * places: countries and territories, from pycountry plus `data/places.tsv` for the forms news
    uses that pycountry lacks ("US", "U.S.", "Britain", demonyms such as "Cuban");
  * organisations news names often, from `data/organisations.tsv` ("Hamas", "NATO");
  * names guessed from capitalisation: multi-word names ("Wang Yi") and single names, with a bare
    surname counting for the full name the same article gives ("Trump" after "Donald Trump").
Titles, weekdays, sentence starters and generic phrases are cut or dropped (`data/not_tags.txt`).

The rule for `min_articles`: a tag recognised from a list (the two tables, `extra`, `aliases`)
is trusted, so it is kept even when one article names it; a name guessed from capitalisation is
kept only when at least `min_articles` articles name it, because one-off guesses are where the
noise is. So a one-article site still gets its countries and known organisations.

Tagging is two passes: `scan_article` reads one article (pure, picklable, so it can run in worker
processes) and `choose_tags` is the cheap corpus-wide pass that applies `min_articles` and the
cap. Output order is deterministic: rank, then first mention, then name.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import json
import marshal
import re
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from sitegen.config import TagConfig
from sitegen.language import detect_language, primary_subtag
from sitegen.read import Article, dateline, tag_key

DATA = Path(__file__).parent / "data"
TITLE_WEIGHT = 3.0  # a mention in the title counts as much as three in the first paragraph
POSITION_DECAY = 0.25  # paragraph i counts 1 / (1 + 0.25 i): the lead says what matters
DEMONYM_WEIGHT = 0.5  # "Cuban officials" is weaker evidence than "Cuba"
# A name mentioned once with less than this score is mentioned in passing, never a tag:
# "Lula, who returned from Beijing overnight" in a story on floods in Brazil is not about China.
# A name in paragraph 8 on, a capital or demonym ("Chinese") in paragraph 3 on.
PASSING_SCORE = 0.4
# A packed scan's flags (`pack_scan`); 0: a name guessed from capitals. A guessed name mentioned
# in passing is never a tag either: "talks in Vienna" in the last paragraph, "said John Smith".
LISTED, IN_PASSING, GUESSED_IN_PASSING = 1, 2, 3
LISTED_FLAGS = (LISTED, IN_PASSING)


def in_passing(score: float, mentions: int) -> bool:
    return mentions == 1 and score < PASSING_SCORE


LONG_BODY = 100_000  # characters: past this, `_Reader.is_common_word` looks words up in a set
MAX_NAME_WORDS = 6  # longer capitalised runs are headlines or titles of works, not names
PARTICLES = frozenset(
    (
        "of",
        "the",
        "and",
        "for",
        "on",
        "de",
        "es",
        "da",
        "di",
        "do",
        "dos",
        "das",
        "del",
        "della",
        "los",
        "las",
        "der",
        "den",
        "du",
        "van",
        "von",
        "bin",
        "ibn",
        "al",
        "el",
        "la",
        "le",
        "y",
        "&",
    )
)  # fmt: skip  "&" joins a name ("Larsen & Toubro") but never starts or ends one ("Q & A")


# Joined to a name's last word: "al-Sisi", "Deir ez-Zor"
ARABIC_ARTICLES = ("al", "el", "ad", "as", "ash", "az", "ez")


def _upper_class() -> str:
    """A regex character class body with every upper-case letter (Python's re has no \\p{Lu})."""
    ranges: list[list[int]] = []
    for code in range(0x10000):
        if chr(code).isupper():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(
        re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges
    )


CONTRACTIONS = "(?:s|m|re|ve|ll|d|t)"  # after an apostrophe: "Cuba's", "We're", "Don't"
BRACKETS = {" (": ")", " [": "]"}  # around an abbreviation after a name: "(RSF)", "[IOF]"


def _run_pattern(up: str) -> re.Pattern[str]:
    """A run of capitalised words, possibly joined by particles: "Bank of England", "Lula da
    Silva". `up` is the character class of capital letters.

    After a capital letter: the rest of an abbreviation (U.S.), a middle initial (Donald J.
    Trump), "People's", or the rest of a word (Cuba, Diaz-Canel, O'Brien, Sana'a, Hay'at, but
    not the "'s" of "Cuba's" nor the "'ll" of "We'll"), or a plural's with its apostrophe before
    a capitalised word ("Kurdistan Workers' Party", "Teachers' Union"). The run starts with a
    character class, not a look-behind, so the regex engine can skip ahead to the next capital
    letter at C speed; the look-behind after it refuses capitals inside a word."""
    rest = (
        rf"(?:\.(?:[{up}]\.)+|\.(?= [{up}])|(?<=P)eople['’]s"
        rf"|\w*(?:-\w+)*(?:['’](?:[{up}]|(?!{CONTRACTIONS}\b)[a-z])\w*|(?<=s)['’](?= [{up}]))?)"
    )
    particle = "(?:" + "|".join(sorted(PARTICLES)) + ")"
    # "Abdel Fattah al-Sisi"; and French's elided "de" and "le": "Côte d'Ivoire"
    article = "(?:" + "|".join(ARABIC_ARTICLES) + ")-|[dl]['’]"
    return re.compile(rf"[{up}](?<![\w'’].){rest}(?: (?:{particle} )*(?:{article})?[{up}]{rest})*")


@cache
def unicode_run() -> re.Pattern[str]:
    """`_run_pattern` for text in any script. Made on first use: listing the capitals and
    compiling their hundreds of ranges took 36 ms at every start, for a corpus that may be
    all ASCII, or a rebuild that reads one file or none."""
    return _run_pattern(_upper_class())


# For ASCII text, which has no other capitals: testing each character against the hundreds of
# ranges of every capital took 9 % of the scan's instructions (callgrind), against A-Z far less.
ASCII_RUN = _run_pattern("A-Z")


def _alternatives(words: Collection[str]) -> str:
    """A regex matching any of `words` (letters and "&"), as a tree of their first letters:
    the engine tries one branch for each first letter rather than one for each word. It
    matches as a plain alternation of the words does where a space must follow each (as a
    particle) or a hyphen (as an article): no two of the words can both be followed there."""
    heads: dict[str, list[str]] = {}
    for word in sorted(words):
        heads.setdefault(word[:1], []).append(word[1:])
    optional = heads.pop("", None) is not None  # a word that starts another: "da" of "das"
    branches = [re.escape(head) + _alternatives(tails) for head, tails in heads.items()]
    if not branches:
        return ""
    if len(branches) == 1 and not optional:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + ("?" if optional else "")


# CAPITAL stands for every capital letter: `runs` reads ASCII text as bytes with its capitals
# turned into it (`CAPITALS`), so that the engine finds the next capital as it finds a fixed
# byte, rather than testing each character against [A-Z]: finding the capitals alone took 30
# of the 75 us an article the regex took. A word character is then [\w\x01]: a letter, digit,
# underscore or capital. `_run_pattern`, with that in place of [A-Z] and \w, and the word
# lists as `_alternatives`: the same runs at the same places, in 60 us an article instead of
# 75 (the whole scan 162 instead of 175).
CAPITAL = b"\x01"
CAPITALS = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", CAPITAL * 26)


def _marked_run_pattern() -> re.Pattern[bytes]:
    """`ASCII_RUN` for ASCII text whose capitals are `CAPITAL`. Where it reads a capital as
    "P" ("People's") it reads any capital: `runs` takes the plain pattern for the text where
    that could make a difference."""
    up, word = r"\x01", r"[\w\x01]"
    rest = (
        rf"(?:\.(?:{up}\.)+|\.(?= {up})|e(?<={up}e)ople's"
        rf"|{word}*(?:-{word}+)*(?:'(?:{up}|(?!{CONTRACTIONS}(?!{word}))[a-z]){word}*"
        rf"|(?<=s)'(?= {up}))?)"
    )
    particle = _alternatives(PARTICLES)
    article = _alternatives(ARABIC_ARTICLES) + "-|[dl]'"  # as `_run_pattern`'s
    run = rf"{up}(?<![\w\x01'].){rest}(?: (?:{particle} )*(?:{article})?{up}{rest})*"
    return re.compile(run.encode("ascii"))


ASCII_MARKED_RUN = _marked_run_pattern()


# Punctuation of English text in any script's typography, as UTF-8, and an ASCII character that
# `_run_pattern` reads as it reads the original: the curly apostrophe as the straight one (the
# pattern takes both alike), the others as punctuation it gives no meaning to. Each becomes one
# byte: the text's byte offsets are then its character offsets.
TYPOGRAPHY = (
    ("’", b"'"),
    ("‘", b"`"),
    ("“", b'"'),
    ("”", b'"'),
    ("—", b"~"),
    ("–", b"~"),
    ("…", b"~"),
    ("\xa0", b"~"),
    ("\u2028", b"~"),  # between the items of a list in a text file (`read.LINE_BREAK`)
)
TYPOGRAPHY_UTF8 = tuple((mark.encode(), plain) for mark, plain in TYPOGRAPHY)


def _typography_1252() -> bytes:
    """`TYPOGRAPHY` as a table for text encoded as Windows-1252, which gives each of those
    marks but the line separator one byte of its own (and every other character it has, one
    above 127)."""
    marks, plains = [], []
    for mark, plain in TYPOGRAPHY:
        try:
            marks.append(mark.encode("cp1252"))
        except UnicodeEncodeError:
            continue
        plains.append(plain)
    return bytes.maketrans(b"".join(marks), b"".join(plains))


TYPOGRAPHY_1252 = _typography_1252()


def as_ascii(text: str) -> bytes | None:
    """`text` in ASCII, one byte for each character, where its only other characters are curly
    quotes, dashes, the ellipsis and the no-break space (`TYPOGRAPHY`); else None.

    Most news text in English has curly quotes, which sent a paragraph down the pattern for
    text in any script: it tests each character against the hundreds of ranges of Unicode's
    capitals, a quarter of the tagger's instructions for a corpus quoting someone in a third
    of its paragraphs (callgrind). Encoded as Windows-1252 and translated, it is 2 us for a
    paragraph of 350 characters (4.5 us as UTF-8 with a replace for each mark). Text with a
    character Windows-1252 lacks (the line separator, another script) takes the replaces:
    bytes returns itself where there is nothing to replace, and `mark in data` would cost
    more than that search (see `read.BYTES_IN`)."""
    try:
        data = text.encode("cp1252").translate(TYPOGRAPHY_1252)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
        for mark, plain in TYPOGRAPHY_UTF8:
            data = data.replace(mark, plain)
    return data if data.isascii() else None


def runs(text: str) -> Iterator[re.Match[str]] | Iterator[re.Match[bytes]]:
    """The runs of capitalised words in `text` (see `_run_pattern`): their spans are those in
    `text` (`match.group()` of ASCII text is the bytes `ASCII_MARKED_RUN` reads)."""
    if text.isascii():
        data = text.encode("ascii")
    else:
        plain = as_ascii(text)
        if plain is None:
            return unicode_run().finditer(text)
        data = plain
    if CAPITAL[0] in data or (  # the byte as a number: see `read.BYTES_IN`
        data.find(b"eople'") >= 0 and data.count(b"eople'") != data.count(b"People'")
    ):
        # The mark itself, which would read as a capital (the reader removes it from articles),
        # or "Xeople's": not "People's", which the marks mistake.
        return ASCII_RUN.finditer(data.decode("ascii"))
    return ASCII_MARKED_RUN.finditer(data.translate(CAPITALS))


# A word that a person's age or a passer-by's noun follows: "said Lina, a 25-year-old
# shopkeeper", "Samir, 45, said", "Ahmed, a resident of Gaza". Such first names, of the people
# reporters stop in the street, became tags of a hundred articles each (the judge helper);
# not a full name, nor a word of one the article gives ("Trump, 79,"). A company described
# so ("Nvidia, a chipmaker") stays a name: only people have an age or these nouns.
DESCRIBED = re.compile(
    r", (?:\d{1,3}(?:,| years? old\b)|an? (?:\d{1,3}-year-old\b|(?:local )?"
    r"(?:resident|mother|father|grandmother|grandfather|widow|student|shopkeeper|farmer|"
    r"fisherman|vendor|street vendor|trader|driver|taxi driver|teacher|nurse|worker|labourer|"
    r"laborer|pensioner|retiree|housewife|villager|refugee|displaced)\b)|who (?:asked not to|"
    r"gave only|declined to give|did not give|didn't give|would only give|asked to be "
    r"identified)\b)"
)
# What follows a surname that starts a sentence: "Netanyahu said", "Araghchi told", "Albanese's
# report". A word the article writes only there, as later mentions of a name are in news, was
# no name, and an article that named someone only so had no tag of them (the tag helper). Not
# a word ending in "s", which is mostly a plural ("Witnesses said", "Residents told").
SPEAKS = re.compile(
    r"(?:'s |’s | (?:said|says|told|added|stressed|noted|warned|wrote|stated|declared|"
    r"announced|insisted|urged|vowed|called|praised|condemned|threatened|accused)\b)"
)
# "Father of" and "mother of", by which Arab passers-by give their names ("Abu Mohammad, 45, a
# father of five"): as a first name alone, each such name stood for hundreds of people.
KUNYAS = ("Abu ", "Umm ")
# "Mohamed Hamdan Dagalo, better known as Hemedti": a later "Hemedti" is him. With a name of
# two words or more, "Ahmed al-Sharaa, formerly known by his nom de guerre Abu Mohammad
# al-Julani": that name, in this article, is him (the Middle East review: two tags of one man).
KNOWN_AS = re.compile(
    r", (?:(?:(?:better|also|widely|commonly|popularly|simply|formerly|previously) )?known "
    r"(?:as|by (?:his|her|the) (?:nom de guerre|alias|name))|whose (?:real |birth |full |"
    r"original )?name (?:is|was)|nicknamed) "
    r"([A-Z]\w+(?:-\w+)?)\b(?:(?!-| [A-Z])|((?: (?:[A-Z][\w'’]*|al-\w+|bin|ibn))+))"
)
# Words before a place, never before a person or a group: "raids in Jenin", "across Jenin". A
# bare word the article places so is the place, though the article names a thing after it: the
# city of Jenin counted for "Jenin Brigade" (the tag helper).
PLACED = (
    " in ",
    " into ",
    " near ",
    " across ",
    " around ",
    " outside ",
    " inside ",
    " throughout ",
    " towards ",
    " toward ",
    " occupied ",
)
POSSESSIVE = ("'s ", "’s ")
# What a name's possessive names as a thing of its own, a feast or a place: "Valentine's Day",
# "New Year's Eve", "St Peter's Square", "Children's Hospital" are no mention of a Valentine,
# a Peter or Children (the tags of real news had "Valentine" and "St Patrick")
# (and the thing's name ends there: not "Mamdani's Day One agenda"; places that are a person's
# too, "Epstein's Island", are left out: the code review)
POSSESSIVE_THING = re.compile(
    r"(?:Day|Eve|Hospital|Cathedral|Basilica|Church|Chapel|Abbey|Square|College|Prayer|Creed)"
    r"\b(?! [A-Z0-9])"
)
PARTY_MEMBERS = frozenset(("Democrat", "Republican"))  # after a state: a member from there
# (not "Young Republican", "Moderate Republican": the code review)
US_STATES = frozenset((
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
    "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
    "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
    "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
    "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
    "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
))  # fmt: skip
FEASTS = frozenset(("Day", "Eve"))  # after a plural's apostrophe: "Veterans' Day"
# What follows the name of an outlet a story cites ("Mizan news agency", "Kayhan newspaper"):
# a source, as the agencies `strip` lists are, not what the article is about (the tag helper).
OUTLET_NOUNS = (" news agency", " News Agency", " newspaper", " news website", " daily ")
# Words that name a part of a place: "East Jerusalem" is not "Jerusalem" (`_stands_for`).
SIDES = frozenset(
    {
        "North",
        "South",
        "East",
        "West",
        "Northeast",
        "Northwest",
        "Southeast",
        "Southwest",
        "Northern",
        "Southern",
        "Eastern",
        "Western",
        "Central",
        "Upper",
        "Lower",
        "Greater",
        "Inner",
        "Outer",
        "Occupied",
        "Old",
    }
)
# The Imams of the past, named by title and one name: "Imam Hussein", "Imam Ali", "Imam Reza".
# Cut off, "Hussein" was a name of its own, and across the corpus it went to the one full name
# ending with it, Iraq's foreign minister Fuad Hussein (the tag helper). Not "Imam Khamenei",
# "Imam Khomeini": the title of a man the corpus names in full too.
IMAMS = frozenset(
    {"Ali", "Hussein", "Husayn", "Hussain", "Hasan", "Hassan", "Reza", "Ridha", "Rida"}
    | {"Mahdi", "Sadiq", "Sadegh", "Baqir", "Bagher", "Kazim", "Kadhim", "Jawad", "Hadi"}
    | {"Askari", "Sajjad", "Zainulabidin"}
)
HONORIFICS = ("Mr", "Mrs", "Ms", "Dr", "St", "Sen", "Rep", "Gen", "Gov", "Lt", "Col", "Prof", "Rev")
SENTENCE_END = frozenset(".!?:")
NOUNS_CAPITALISED = frozenset({"de", "lb"})  # German and Luxembourgish: every noun
# French and German quote with guillemets, either way round (« Nous », »Wir«), and German
# opens with „: "Nous" and "Wir" after them start a sentence, and were tags of every article
# quoting someone. French sets them apart with a (narrow) no-break space.
OPENERS = frozenset(" \"'“‘([«»‹›„‚\xa0\u202f")
CLOSERS = frozenset("\"'”’)]«»‹›")  # between a sentence's end and the next: 'he said.” Next'
# A wire story's dateline: "NEW YORK —", "GAZA CITY, Dec 3 (Reuters) -". Its capitals are no
# name, and a place in it is where the story was filed, not what it is about.
# --- the lexicon: what the tables say ----------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What a known form stands for: a tag name ("" for a phrase that is never a tag)."""

    name: str
    weight: float = 1.0
    capital: bool = False  # "Beijing": the country only when no name is around it


@dataclass(frozen=True)
class Lexicon:
    """Known forms and stop lists, built once from pycountry and `sitegen/data/`."""

    forms: Mapping[str, Entry]  # exact surface form -> entry; case matters ("US", not "us")
    lengths: Mapping[str, tuple[int, ...]]  # first word of a form -> form lengths, longest first
    strip: frozenset[str]  # titles, starters, time words: never in a name, never a tag alone
    not_names: frozenset[str]  # `strip` and the generic words: never a name on their own
    lead: frozenset[str]  # cut off a name's start, kept inside it: "Analysts Aziz" -> "Aziz"
    starters: frozenset[str]  # cut only as a run's first word: "He said", not "He Lifeng"
    nouns: frozenset[str]  # institutions: "Secretary of War Pete Hegseth" -> "Pete Hegseth"
    parties: frozenset[str]  # party adjectives: "Republican Marjorie Taylor Greene"
    generic: frozenset[str]  # in a name, never one alone: "Bank" of "Reserve Bank of Australia"
    ends: frozenset[str]  # end a name with a place in it: "Kenya Power" (see `_named_after`)
    names_by_casefold: Mapping[str, Entry]  # names (not demonyms) for front matter, any case


def _table(name: str) -> Iterator[list[str]]:
    """Rows of a tab-separated data file, comments and blank lines left out."""
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def _names(cell: str) -> list[str]:
    return [n.strip() for n in cell.split("|") if n.strip()]


def _plural(demonym: str) -> str | None:
    """'Cuban' -> 'Cubans'; 'Chinese', 'Swiss', 'French' stay as they are."""
    if demonym.endswith(("ese", "s", "sh", "ch")):
        return None
    return demonym + "s"


def _countries() -> list[dict[str, str]]:
    """pycountry's countries, each a dict of its fields (alpha_2, name, official_name...), in
    its order: read from its table, or where that is not where it was (another version of
    pycountry), through pycountry itself, whose import takes 30 to 40 ms."""
    from sitegen.cache import country_table

    table = country_table()
    try:
        countries = json.loads(table.read_bytes())["3166-1"] if table else None
        if isinstance(countries, list) and countries and all(map(is_country, countries)):
            return countries
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        pass
    import pycountry

    return [dict(country._fields) for country in pycountry.countries]


def is_country(entry: object) -> bool:
    """An entry of pycountry's table as the tagger reads it: a code and a name, and any other
    names as text."""
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("alpha_2"), str)
        and isinstance(entry.get("name"), str)
        and bool(entry["name"])
        and all(isinstance(entry.get(key, ""), str) for key in ("common_name", "official_name"))
    )


def _place_forms() -> dict[str, Entry]:
    """Country names from pycountry, corrected and extended by `places.tsv`."""
    rows = [row + [""] * (5 - len(row)) for row in _table("places.tsv")]
    curated = {row[0] if row[0] != "-" else f"-{row[1]}": row for row in rows}  # "-": unlisted
    forms: dict[str, Entry] = {}
    demonyms: dict[str, Entry] = {}
    capitals: dict[str, Entry] = {}
    for country in _countries():
        code = country["alpha_2"]
        row = curated.pop(code, [code, "", "", "", ""])
        name = row[1] or country.get("common_name") or country["name"]
        official = country.get("official_name", "")
        for form in [name, country["name"], official, *_names(row[2])]:
            if form and "," not in form and "(" not in form:
                forms.setdefault(form.removeprefix("the "), Entry(name))
        for demonym in _names(row[3]):
            demonyms[demonym] = Entry(name, DEMONYM_WEIGHT)
        capitals.update({c: Entry(name, DEMONYM_WEIGHT, capital=True) for c in _names(row[4])})
    for row in curated.values():  # places pycountry does not list, such as Kosovo
        forms.update({form: Entry(row[1]) for form in [row[1], *_names(row[2])]})
        demonyms.update({d: Entry(row[1], DEMONYM_WEIGHT) for d in _names(row[3])})
    for demonym, entry in demonyms.items():
        forms.setdefault(demonym, entry)
        plural = _plural(demonym)
        if plural:
            forms.setdefault(plural, entry)
    for capital, entry in capitals.items():
        forms.setdefault(capital, entry)
    return forms


def _organisation_forms() -> dict[str, Entry]:
    """Organisations' names and other forms; and their acronyms of four letters or more as
    British papers and wires write them, "Opec", "Nato", "Unesco" (from three, "Who" and "Ira"
    would be words and names)."""
    forms: dict[str, Entry] = {}
    for row in _table("organisations.tsv"):
        entry = Entry(row[0])
        for form in [row[0], *_names(row[1] if len(row) > 1 else "")]:
            forms[form] = entry
    for form, entry in list(forms.items()):
        if len(form) >= 4 and form.isupper() and form.isalpha():
            forms.setdefault(form.capitalize(), entry)
    return forms


LEXICON_SECTIONS = ("strip", "generic", "lead", "starters", "nouns", "parties", "ends", "phrases")


def _stop_lists() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {name: [] for name in LEXICON_SECTIONS}
    current = "strip"
    for line in (DATA / "not_tags.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
        elif current == "phrases":
            sections[current].append(line)
        else:
            sections[current].extend(line.split())
    return sections


# Lexicon tables as plain data (`marshal` takes them): the stop lists by section, and each known
# form's entry as (name, weight, capital).
LexiconTables = tuple[dict[str, list[str]], dict[str, tuple[str, float, bool]]]


def lexicon_tables() -> LexiconTables:
    """What the lexicon is made of, from pycountry and `sitegen/data/`. The build cache keeps
    them (`cache.load_lexicon_tables`): making them takes 8 ms (45 ms while pycountry was
    imported for its table, see `_countries`) of every rebuild that reads a file."""
    sections = _stop_lists()
    forms = {phrase: Entry("") for phrase in sections["phrases"]}
    forms.update(_place_forms())
    forms.update(_organisation_forms())
    return sections, {form: (e.name, e.weight, e.capital) for form, e in forms.items()}


# The tables this process's lexicon is made of: "given" (by the build cache or the build that
# started this worker, see `use_lexicon_tables`) or "made" here (`lexicon_tables`).
_tables: dict[str, LexiconTables] = {}


def use_lexicon_tables(tables: LexiconTables) -> None:
    """Make the lexicon from `tables` rather than from pycountry, unless this process has
    made or been given it already."""
    if not _tables:
        _tables["given"] = tables


def lexicon_tables_made() -> LexiconTables | None:
    """The tables this process made from pycountry, for the build cache to keep; None when it
    was given them, or needed none."""
    return _tables.get("made")


def lexicon_tables_in_use() -> LexiconTables:
    """The tables of this process's lexicon, made now if need be: for workers to be given."""
    load_lexicon()
    return _tables.get("given") or _tables["made"]


@cache
def load_lexicon() -> Lexicon:
    """The built-in lexicon; cached, since it depends only on the package's own data."""
    if "given" not in _tables:
        _tables["made"] = lexicon_tables()
    sections, rows = _tables.get("given") or _tables["made"]
    strip, lead = frozenset(sections["strip"]), frozenset(sections["lead"])
    forms = {form: Entry(name, weight, capital) for form, (name, weight, capital) in rows.items()}
    by_first: dict[str, set[int]] = {}
    for form in forms:
        words = form.split(" ")
        by_first.setdefault(words[0], set()).add(len(words))
    lengths = {first: tuple(sorted(ns, reverse=True)) for first, ns in by_first.items()}
    by_casefold = {f.casefold(): e for f, e in forms.items() if e.name and e.weight == 1}
    starters, nouns = frozenset(sections["starters"]), frozenset(sections["nouns"])
    parties, generic = frozenset(sections["parties"]), frozenset(sections["generic"])
    ends = frozenset(sections["ends"])
    not_names = strip | lead | starters | nouns | parties | generic | ends
    return Lexicon(
        forms, lengths, strip, not_names, lead, starters, nouns, parties, generic, ends, by_casefold
    )


# --- the tagger: the lexicon plus the site's settings ------------------------------------------


# A piece of a parsed run: (kind, name, form, weight, sentence-initial). A JOINED piece is one
# unknown word after a demonym, which ends the run: its name is the two words ("Georgian
# Dream"), its form the word alone; `_Reader.resolve` decides which of them it is.
KNOWN, FULL, SINGLE, JOINED = "known", "full", "single", "joined"
Piece = tuple[str, str, str, float, bool]
PARSE_CACHE_SIZE = 200_000


@dataclass(frozen=True)
class Tagger:
    """Everything `scan_article` needs; plain data and compiled patterns, so it pickles."""

    lexicon: Lexicon
    aliases: Mapping[str, str]  # casefolded form -> tag name
    ignore: frozenset[str]  # casefolded forms and names
    extra: re.Pattern[str] | None  # the site's own terms, matched in any case
    extra_names: Mapping[str, str]  # casefolded term -> the term as configured
    language: str  # the site's (`TagConfig.language`)
    # run -> what it says: runs such as "US President Donald Trump" recur across a corpus, so
    # each is parsed once. A cache of a pure function: output never depends on it.
    parsed: dict[str, tuple[Piece, ...]] = field(default_factory=dict, compare=False, repr=False)
    # full name -> its words that stand for it (`_Reader.name_words`); the same kind of cache
    name_words: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)


def make_tagger(settings: TagConfig) -> Tagger:
    lexicon = load_lexicon()
    extra_names = {
        term.casefold(): term
        for term in settings.extra
        if term not in lexicon.forms  # a known form is matched by the lexicon already
    }
    extra = None
    if extra_names:
        # Casefolded and as written: "große straße" casefolds to "grosse strasse", which
        # `re`'s IGNORECASE, letter by letter, never matches to "Große Straße".
        terms = sorted({*extra_names, *extra_names.values()}, key=lambda t: (-len(t), t))
        extra = re.compile(
            r"(?<!\w)(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)", re.IGNORECASE
        )
    return Tagger(
        lexicon=lexicon,
        aliases={form.casefold(): name for form, name in settings.aliases.items()},
        ignore=frozenset(term.casefold() for term in settings.ignore),
        extra=extra,
        extra_names=extra_names,
        language=settings.language,
    )


def canonical_name(tagger: Tagger, name: str) -> str:
    """The tag a name stands for: an alias target, a known place or organisation, or itself.

    Used for front-matter tags too, so "US" written by a person and "United States" found in the
    text are one tag.
    """
    alias = tagger.aliases.get(name.casefold())
    if alias:
        return alias
    entry = tagger.lexicon.forms.get(name) or tagger.lexicon.names_by_casefold.get(name.casefold())
    return entry.name if entry and entry.name else name


# --- reading one article -----------------------------------------------------------------------


class Candidate(NamedTuple):
    """A possible tag of one article, with the evidence for it.

    A named tuple rather than a dataclass: an article has dozens and a corpus tens of
    thousands of articles, and tuples are several times cheaper to make.
    """

    name: str
    key: str  # `read.tag_key` of the name: names differing only in case or accents are one tag
    score: float
    mentions: int
    first: int  # where it is first mentioned: the title first, then paragraph by paragraph
    listed: bool  # recognised from a table or the config, so min_articles does not apply
    forms: tuple[tuple[str, int], ...]  # the surface forms matched, in order of first match


class _Reader:
    """Reads one article's text; lives only for the duration of `scan_article`.

    This is the hot loop of tagging (about a hundred capitalised runs per article, tens of
    thousands of articles): each distinct run is parsed once per corpus (`Tagger.parsed`), and
    counting uses plain lists and dicts.
    """

    def __init__(self, tagger: Tagger, article: Article, paragraphs: Sequence[str]) -> None:
        self.tagger = tagger
        self.lexicon = tagger.lexicon
        self.paragraphs = paragraphs
        self.text: str | None = None  # the whole body, joined when a check needs it
        self.words: set[str] | None = None  # its words, for a long body (`is_common_word`)
        # name -> [score, mentions, first position, listed, {form: count}]
        self.tallies: dict[str, list] = {}
        # guessed names, counted once the whole article is read: (piece, weight, position)
        self.guesses: list[tuple[Piece, float, int]] = []
        self.byline = _byline_names(article.byline)
        self.owner: dict[str, str] = {}  # a word of a full name -> that name
        self.cited: set[str] = set()  # abbreviations of news agencies the text cites ("NNA")
        self.described: set[str] = set()  # first names of passers-by (`DESCRIBED`)
        self.also: dict[str, str] = {}  # a full name "known as" another -> the first (`KNOWN_AS`)
        self.speakers: set[str] = set()  # words that start a sentence and speak (`SPEAKS`)
        self.placed: set[str] = set()  # single words after a word for a place (`PLACED`)
        # In German every noun is capitalised: a word alone ("Regierung") is no name there.
        language = article.lang or tagger.language
        self.nouns_capitalised = primary_subtag(language) in NOUNS_CAPITALISED
        self.plain = not (tagger.aliases or tagger.ignore)  # no setting changes what is counted

    def paragraph(self, text: str, weight: float, base: int) -> None:
        """Count the known forms of one paragraph; keep the guessed names for `resolve`."""
        parsed = self.tagger.parsed
        tallies, guesses = self.tallies, self.guesses
        plain = self.plain
        spelled = self.spelled_names(text) if " (" in text else None
        starts = [name.start for name in spelled] if spelled else []
        for order, match in enumerate(runs(text)):
            run = text[match.start() : match.end()]  # not `group()`: see `runs`
            pieces = parsed.get(run)
            if pieces is None:
                pieces = self.parsed(run)
            within = _within(spelled, starts, match.span(), base + 16 * order) if spelled else None
            for at, piece in enumerate(pieces):
                kind, name, form, piece_weight, at_start = piece
                if kind is KNOWN:
                    tally = tallies.get(name) if plain else None
                    if tally is not None:  # the common case, kept short
                        tally[0] += weight * piece_weight
                        tally[1] += 1
                        forms = tally[4]
                        forms[form] = forms.get(form, 0) + 1
                        continue
                position = base + 16 * order + at  # not `pieces.index`: quadratic in a run
                if kind is KNOWN:
                    self.add(name, form, weight * piece_weight, position, True)
                    if (
                        piece_weight == 1.0  # a name, not "Yemeni" of "Yemeni Armed Forces"
                        and " " in name  # a body's, not "Lebanon" of "... Force in Lebanon"
                        and within is None
                        and piece is pieces[-1]
                        and run.endswith(form)  # not "UN" of "UN Human Rights Office (OHCHR)"
                        and text[match.end() : match.end() + 2] in BRACKETS
                    ):
                        # "Alliance of Sahel States (AES)": a later "AES" is the alliance
                        self.abbreviation(text, match.end() + 2, name, run, listed=True)
                    continue
                if within is not None and form in within.name:  # the whole name counts
                    continue
                if (
                    form == pieces[-1][2]
                    and text.startswith(POSSESSIVE, match.end())
                    and POSSESSIVE_THING.match(text, match.end() + 3) is not None
                ):
                    continue  # "Valentine's Day", "St Peter's Square": no Valentine, no Peter
                if at_start and not _starts_sentence(text, match.start()):
                    piece = (kind, name, form, piece_weight, False)
                elif (
                    kind is SINGLE
                    and at_start
                    and not name.endswith("s")
                    and SPEAKS.match(text, match.end()) is not None  # "Netanyahu said"
                ):
                    self.speakers.add(name)
                if kind is SINGLE and name == pieces[0][1] and _placed(text, match):
                    self.placed.add(name)  # (`piece` may be a copy, made above)
                if (
                    kind is SINGLE
                    and name == pieces[-1][1]
                    and text.startswith(OUTLET_NOUNS, match.end())
                ):
                    self.cited.add(name)  # "the judiciary's Mizan news agency reported"
                guesses.append((piece, weight, position))
                if kind is FULL and text[match.end() : match.end() + 2] in BRACKETS:
                    self.abbreviation(text, match.end() + 2, name, run)
                elif (
                    kind is FULL
                    # the run's last ("Odile Varga and Piet Lorne, known as Pilo"); `piece` may
                    # be a copy (above): "Crews met Vexo Lanza, known as ..." had no alias
                    and form == pieces[-1][2]
                    and text.startswith(", ", match.end())
                    and (alias := KNOWN_AS.match(text, match.end())) is not None
                ):
                    if alias[2]:  # a full name of its own, counted for this one (`resolve`)
                        self.also.setdefault((alias[1] + alias[2]).replace("’", "'"), name)
                    else:
                        self.owner.setdefault(alias[1], name)  # counts as a surname does
                elif (
                    (kind is SINGLE or (kind is FULL and name.startswith(KUNYAS)))
                    and name == pieces[-1][1]  # (`piece` may be a copy, made just above)
                    and text.startswith(", ", match.end())
                    and DESCRIBED.match(text, match.end()) is not None
                ):
                    self.described.add(name)

        for name in spelled or ():
            if name.position >= 0:  # a run of it was read: the name counts where it starts
                guesses.append(((FULL, name.name, name.name, 1.0, False), weight, name.position))
                self.owner.setdefault(name.short, name.name)

    def spelled_names(self, text: str) -> list[Spelled] | None:
        """Names of words in capitals and small words that an abbreviation after them spells
        out: "Popular Front for the Liberation of Palestine (PFLP)", "Office of Foreign Assets
        Control (OFAC)", "UN Interim Force in Lebanon (UNIFIL)". Runs of capitalised words
        stop at "for" and "in", and titles and institutions are cut off them, which made tags
        of their pieces ("Liberation", "Assets Control", "Kurdistan Regional"); the letters
        tell where the name starts. None where there are none; names the lexicon knows, or
        whose abbreviation it knows, are left to it."""
        found = []
        forms = self.lexicon.forms
        for match in SPELLED_OUT.finditer(text):
            short = match[1]
            if short in forms or sum(map(str.isupper, short)) < 2:
                continue
            words = SPELLING_BOUNDARY.split(text[max(0, match.start() - 160) : match.start()])
            words = words[-1].split(" ")[-MAX_SPELLED_WORDS:]
            for size in range(2, len(words) + 1):
                name_words = words[-size:]
                if name_words[0][:1].isupper() and _spelled(name_words, short.casefold()):
                    if not NEWS_WORDS.isdisjoint(name_words):  # "National News Agency (NNA)"
                        self.cited.add(short)  # a source, as agencies named alone are
                        break
                    if name_words[-1] in COMPANY_FORMS:  # "Tokyo Electric Power Co (TEPCO)"
                        name_words = name_words[:-1]
                    name = " ".join(name_words)
                    if name not in forms:
                        found.append(Spelled(match.start() - len(name), name, short))
                    break
        found.sort(key=lambda spelled: spelled.start)  # as `_within` looks them up
        return found or None

    def parsed(self, run: str) -> tuple[Piece, ...]:
        """`parse_run`, remembered for the corpus (`Tagger.parsed`): most runs come again."""
        pieces = self.tagger.parsed.get(run)
        if pieces is None:
            pieces = parse_run(self.lexicon, run)
            if len(self.tagger.parsed) < PARSE_CACHE_SIZE:
                self.tagger.parsed[run] = pieces
        return pieces

    def abbreviation(
        self, text: str, start: int, name: str, run: str, listed: bool = False
    ) -> None:
        """ "Rashtriya Janata Dal (RJD)": a later "RJD" counts for the name, as a surname does
        for a full name. Only for letters that start the words of the name, or of the run it
        was found in ("Tokyo Electric Power Co (TEPCO)": the name leaves out "Co"). Its small
        letters stand for small words: "Line of Control (LoC)"."""
        close = text.find(BRACKETS[text[start - 2 : start]], start, start + 12)
        if close <= start:  # not `text[start:-1]`: a paragraph of "Power Co (" took minutes
            return
        short = text[start:close]
        capitals = "".join(c for c in short if c.isupper()).casefold()
        if (
            close > start
            and short[:1].isupper()
            and len(capitals) >= 2
            and short.isalnum()
            and (_abbreviates(capitals, name.casefold()) or _abbreviates(capitals, run.casefold()))
        ):
            self.owner.setdefault(short, name)
        elif (
            listed
            and len(short) >= 2
            and short.isupper()
            and short.isalpha()
            and short not in self.lexicon.forms
            and short not in self.lexicon.not_names
        ):
            # A listed name's abbreviation in another language: "Alliance of Sahel States
            # (AES)", for the French "Alliance des États du Sahel" (the tag helper)
            self.owner.setdefault(short, name)
        elif close > start and self.other_name(short):
            # The place's other name: "Umm al-Rashrash (Eilat)" was two tags (the tag helper);
            # the name before the brackets is the tag.
            self.owner.setdefault(short, name)

    def other_name(self, word: str) -> bool:
        """Whether a word in brackets after a name is another name of it: one capitalised
        word the lexicon neither knows nor refuses ("Eilat"; not "Reuters"). A US state the
        lexicon does not know is taken too: "Jane Doe (Texas)" makes Texas count for her."""
        return (
            len(word) > 2
            and word[:1].isupper()
            and word[1:].islower()
            and word.isalpha()
            and word not in self.lexicon.forms
            and word not in self.lexicon.not_names
        )

    def add(self, name: str, form: str, weight: float, position: int, listed: bool) -> None:
        """Count one mention of `name` (seen as `form`) for the article."""
        if not self.plain:
            name, listed = self.adjusted(name, form, listed)
            if not name:
                return
        tally = self.tallies.get(name)
        if tally is None:
            self.tallies[name] = [weight, 1, position, listed, {form: 1}]
            return
        tally[0] += weight
        tally[1] += 1
        if position < tally[2]:  # the title is read last but comes first
            tally[2] = position
        if listed:
            tally[3] = True
        forms = tally[4]
        forms[form] = forms.get(form, 0) + 1

    def adjusted(self, name: str, form: str, listed: bool) -> tuple[str, bool]:
        """Apply the site's aliases and ignore list; an empty name means: not a tag."""
        aliases, ignore = self.tagger.aliases, self.tagger.ignore
        alias = aliases.get(form.casefold()) or aliases.get(name.casefold())
        if alias:
            name, listed = alias, True
        if form.casefold() in ignore or name.casefold() in ignore:
            return "", listed
        return name, listed

    def extra_terms(self, text: str, weight: float, base: int) -> None:
        """The site's own terms (`tags.extra`), matched in any case: one more pass, if any."""
        if self.tagger.extra is None:
            return
        for match in self.tagger.extra.finditer(text):
            name = extra_term(self.tagger.extra_names, match.group())
            self.add(name, match.group(), weight, base + match.start(), True)

    def resolve(self) -> None:
        """Count guessed names: a bare word counts for the full name it belongs to.

        A capitalised word at the start of a sentence is a name only when the article also
        uses it inside a sentence (or it belongs to a full name), so "Officials" is not one.
        """
        singles: list[tuple[str, float, int, bool]] = []
        joined: list[tuple[str, str, float, int]] = []  # "Georgian Dream", "Dream", ...
        aliases, extra = self.tagger.aliases, self.tagger.extra_names
        byline, owner, add = self.byline, self.owner, self.add
        owned: set[str] = set()  # full names whose words are in `owner`
        tails = _tails_of(
            self.lexicon, [guess[0][1] for guess in self.guesses if guess[0][0] is FULL]
        )
        for (kind, name, form, piece_weight, initial), weight, position in self.guesses:
            if name in byline or (extra and name.casefold() in extra):  # counted apart
                continue
            if kind is SINGLE:
                singles.append((name, weight, position, initial))
            elif kind is JOINED:
                joined.append((name, form, weight, position))
            elif kind is KNOWN:
                add(name, name, weight * piece_weight, position, True)
            elif (
                initial
                and (first := name.partition(" ")[0]) not in self.lexicon.generic
                and self.is_common_word(first)
            ):
                # not "National" of "National Farmers' Union" where "national" is written, nor
                # "West" of "West Virginia" where "west" is
                rest = name.partition(" ")[2]  # "Analysts Wang Yi": the first word is no name
                for piece in self.parsed(rest):  # read by this same loop
                    self.guesses.append(((*piece[:4], False), weight, position))
            elif name in tails or name in self.also:
                add(tails.get(name) or self.also[name], name, weight, position, False)
            elif name not in self.described:
                add(name, name, weight, position, False)
                if name not in owned:  # its words point to it already
                    owned.add(name)
                    for word in self.name_words(name):
                        owner.setdefault(word, name)
        for word in self.placed:  # "in Jenin": the city, not the "Jenin Brigade"
            if owner.get(word, word) != word:
                del owner[word]
        mid_sentence = {word for word, _, _, initial in singles if not initial}
        alone_is_name = not self.nouns_capitalised
        folded: tuple[dict[str, str], dict[str, str]] | None = None  # at the first need
        for word, weight, position, initial in singles:
            if word in self.cited or (word in self.described and word not in owner):
                continue
            if word not in owner and owner:
                # "Abdullah Ocalan", then "Öcalan", or the other way: one name (the tag review)
                folded = folded or _folded_owners(owner)
                word = folded[word.isascii()].get(tag_key(word), word)
            if word in owner:
                add(owner[word], word, weight, position, False)
            elif (
                alone_is_name
                and (
                    not initial
                    or word in mid_sentence
                    or (word in self.speakers and not self.is_common_word(word))
                )
            ) or word.casefold() in aliases:
                add(word, word, weight, position, False)
        # A word the article writes only after a demonym names a thing with it: "Georgian
        # Dream", not "Dream". Written alone too ("the Taliban", after "Afghan Taliban"), it is
        # a name by itself, or a word of a full name the article gives ("Zelensky").
        alone = {word for word, _, _, _ in singles}
        for name, word, weight, position in joined:
            whose = owner.get(word)
            if whose is None and (word in alone or word.casefold() in aliases or name in byline):
                add(word, word, weight, position, False)
                continue
            if whose is None:
                owner[word] = whose = name  # the title's "Dream" is the party too
            add(whose, name if whose == name else word, weight, position, False)

    def name_words(self, name: str) -> tuple[str, ...]:
        """The words of a full name that stand for it alone: not particles, not titles."""
        words = self.tagger.name_words.get(name)
        if words is None:
            strip = self.lexicon.strip
            whole = name.split(" ")
            if "of" in whole and not _of_a_person(name, self.lexicon):
                whole = whole[: whole.index("of")]  # "Union of Kurdistan": no "Kurdistan"
            words = tuple(
                w
                for w in whole
                if w not in PARTICLES and w not in strip and not w.endswith(".")  # "F.", "Jr."
            )
            if len(whole) > 1 and _a_things_head(self.lexicon, whole[-1]):
                # "OpenAI" alone is no "OpenAI Foundation", nor "Cannes" the "Cannes Film
                # Festival": the thing was a tag of one article, dropped, and the article lost
                # the name it is about (the tag helper)
                words = ()
            for word in words:  # "al-Sisi" is written "Sisi", or "Al-Sisi" to start a sentence
                if (bare := _without_article(word)) != word:
                    words += (bare, word[0].upper() + word[1:])
            if len(self.tagger.name_words) < PARSE_CACHE_SIZE:
                self.tagger.name_words[name] = words
        return words

    def is_common_word(self, word: str) -> bool:
        """A word this article also writes in lower case starts a sentence; it is not a name.

        A long body's words are put in a set once: searching its text for each word was
        quadratic (37 s for a 14 MB article). For a news-sized body, searching is quicker."""
        if self.text is None:
            self.text = " " + " ".join(self.paragraphs) + " "
        lower = word.lower()
        if len(self.text) < LONG_BODY:
            return f" {lower} " in self.text or f" {lower}," in self.text
        if self.words is None:
            self.words = set()
            for token in self.text.split(" "):
                self.words.add(token)
                if "," in token:
                    self.words.add(token.partition(",")[0])  # " word," as the search had it
        return lower in self.words

    def title(self, title: str) -> None:
        """Title words count only for what the body names: titles capitalise every word."""
        known: dict[str, str] = {}
        title = title.replace("’", "'")
        for match in runs(title):
            words = title[match.start() : match.end()].split(" ")
            i = 0
            while i < len(words):
                entry, size = known_at(self.lexicon, words, i)
                if entry is not None:  # "Paris Hilton", "Israel Katz", if the body says so
                    body, body_size = _body_name_at(words, i, self.owner, self.tallies)
                    if body is not None and body_size > size:
                        entry, size = None, 0
                listed = entry is not None
                if entry is None and self.plain:
                    entry, size = _body_name_at(words, i, self.owner, self.tallies)
                elif entry is None:  # an alias may add a name no title phrase may match
                    known = known or {name: name for name in self.tallies} | self.owner
                    entry, size = _body_name_at(words, i, known, {})
                if entry is None or (not listed and size == 1 and self.common(words[i], entry)):
                    i += 1
                    continue
                if entry.name:
                    form = " ".join(words[i : i + size])
                    weight = TITLE_WEIGHT * entry.weight
                    self.add(entry.name, form, weight, match.start() + i, listed)
                i += size

    def common(self, word: str, entry: Entry) -> bool:
        """Whether a title's word of a name the body gives (`entry`) is a word the body also
        writes in lower case: the "Strike" of "Drone Strike Hits Port" is no mention of the
        "Carrier Strike Group" (titles capitalise every word); "May" is one of Theresa May."""
        last = entry.name.rpartition(" ")[2]  # a surname: "May" of Theresa May, "Brown"
        return word != entry.name and word != last and self.is_common_word(word)

    def candidates(self) -> tuple[Candidate, ...]:
        new = tuple.__new__  # what Candidate(...) does, without its Python-level frame
        return tuple(
            new(Candidate, (name, tag_key(name), score, n, first, listed, tuple(forms.items())))
            for name, (score, n, first, listed, forms) in self.tallies.items()
        )

    def packed(self) -> bytes:
        """The candidates as scans travel and are kept (`pack_scan`), best first: highest
        score, then first mentioned, then by casefolded name, then in the order found.

        Sorted as tuples of plain values, made by list comprehensions: no Python call and no
        `Candidate` per candidate. On name-heavy text, making candidates and packing them took
        a fifth of the scan (100 of 520 us an article)."""
        tallies = self.tallies
        names = list(tallies)
        tallied = list(tallies.values())
        keys = [tag_key(name) for name in names]
        ranked = sorted(
            zip(
                [-t[0] for t in tallied],
                [t[2] for t in tallied],
                keys,
                range(len(names)),
                strict=True,
            )
        )
        order = [row[3] for row in ranked]
        return pack_scan(
            tuple([keys[i] for i in order]),
            tuple([names[i] for i in order]),
            tuple([tallied[i] for i in order]),
        )


def _tails_of(lexicon: Lexicon, names: list[str]) -> dict[str, str]:
    """Full names of two words or more that end one longer full name of the article, with it:
    "Abu Zuhri" is "Sami Abu Zuhri", "Ben Gvir" "Itamar Ben Gvir" (the Middle East review:
    two tags of one person, each of one article). A tail of two longer names is neither's.
    A person's names only: "Southern California" is not the "University of Southern
    California", nor "Merrill Lynch" the "Bank of America Merrill Lynch" (the code review)."""
    longer = {
        name
        for name in names
        if name.count(" ") >= 2
        and not any(w in lexicon.not_names or w in NO_NAMES_WORDS for w in name.split(" "))
    }
    if not longer:
        return {}
    given = set(names)
    tails: dict[str, str] = {}
    for name in longer:
        words = name.split(" ")
        for k in range(1, len(words) - 1):
            tail = " ".join(words[k:])
            if tail in given:
                tails[tail] = "" if tails.get(tail, name) != name else name
    return {tail: name for tail, name in tails.items() if name}


# Small words of bodies' and places' names, not of a person's: "University of Southern California"
NO_NAMES_WORDS = frozenset(("of", "and", "for", "on", "the", "&", "in", "at"))


def _folded_owners(owner: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The words of an article's full names by their `tag_key`: all of them, for a word with
    accents; those with accents, for a word without (which names no other word by its key)."""
    every = {tag_key(word): word for word in owner}
    return every, {key: word for key, word in every.items() if not word.isascii()}


def extra_term(extra_names: Mapping[str, str], found: str) -> str:
    """The configured term (`tags.extra`) a match of the terms' pattern stands for.

    The pattern ignores case as `re` does, which is not always casefolding: "İzmir" matches
    the term "Izmir", but casefolds to "i̇zmir". Then the term is found by matching again."""
    term = extra_names.get(found.casefold())
    if term is not None:
        return term
    return next(
        (t for key, t in extra_names.items() if re.fullmatch(re.escape(key), found, re.I)), found
    )


def parse_run(lexicon: Lexicon, run: str) -> tuple[Piece, ...]:
    """What a run of capitalised words says: known forms (longest first), then guessed names.

    Independent of the article, so each distinct run is parsed once. A guessed piece that
    starts the run is marked, since it may start a sentence, which only the article can tell.
    """
    run = run.replace("’", "'")
    if "' " in run and (cuts := _possessive_cuts(lexicon, run.split(" "))):
        # "Hamas' Al-Aqsa Flood": Hamas, then a name of its own (the tag helper); each part
        # after the first is mid-sentence. A loop, not recursion: a run of a thousand
        # possessives had raised RecursionError (the code review)
        words = run.split(" ")
        parts = [" ".join(words[a:b])[:-1] for a, b in itertools.pairwise([0, *cuts])]
        parts.append(" ".join(words[cuts[-1] :]))
        first = _parse_whole_run(lexicon, parts[0])
        rest = [
            (*piece[:4], False) for part in parts[1:] for piece in _parse_whole_run(lexicon, part)
        ]
        return first + tuple(rest)
    return _parse_whole_run(lexicon, run)


def _parse_whole_run(lexicon: Lexicon, run: str) -> tuple[Piece, ...]:
    """`parse_run` of a run with no possessive cut in it."""
    forms = lexicon.forms
    if " " not in run:  # most runs are one word
        entry = forms.get(run)
        if entry is not None:
            return ((KNOWN, entry.name, run, entry.weight, False),) if entry.name else ()
        if run in lexicon.not_names:
            return ()
    words = run.split(" ")
    lengths, count = lexicon.lengths, len(words)
    pieces: list[Piece] = []
    pending: list[str] = []
    at_start = True
    i = 0
    while i < count:
        word = words[i]
        entry = None
        for size in lengths.get(word, ()):  # `known_at`, inline: most words start no form
            if i + size <= count:
                entry = forms.get(word if size == 1 else " ".join(words[i : i + size]))
                if entry is not None:
                    break
        if (
            entry is not None
            and entry.name
            and (
                _named_after(lexicon, words, i + size)
                or _place_of(lexicon, pending, i + size, count)
            )
        ):
            # "Kenya Power", "Grand Ethiopian Renaissance Dam", "Santiago de Cuba": the place,
            # and the whole a name
            pieces.append((KNOWN, entry.name, " ".join(words[i : i + size]), entry.weight, False))
            pending += words[i:]
            break
        if entry is not None and (
            (
                (entry.capital or entry.weight == 1.0)
                and _in_a_name(lexicon, words, i, size)
                and not _before_a_person(lexicon, words, i, size)
            )
            or (_is_demonym(entry, words[i]) and size == 1 and _after_a_name(lexicon, words, i))
            or _ends_an_institution(lexicon, pending)
            or _a_works_end(lexicon, pending, entry, words[i : i + size])
            or pending[-2:] in WATERS_OF
            or _another_party(lexicon, words, i, size)
        ):
            pending += words[i : i + size]  # "Denzel Washington", "Reserve Bank of Australia"
            i += size
            continue
        if entry is None:
            parts = _hyphen_parts(forms, word) if "-" in word else ()
            if not parts:
                pending.append(word)
                i += 1
                continue
            if len(parts) > 1:  # "US-China", "Israel-Hamas": each counts
                if pending:
                    pieces += guess(lexicon, pending, at_start)
                    pending = []
                at_start = False
                pieces += [(KNOWN, e.name, form, e.weight, False) for form, e in parts if e.name]
                i += 1
                continue
            entry, size = parts[0][1], 1
        if pending:
            pieces += guess(lexicon, pending, at_start)
            pending = []
        at_start = False
        if entry.name:
            form = word if size == 1 else " ".join(words[i : i + size])
            pieces.append((KNOWN, entry.name, form, entry.weight, False))
            if i + size == count - 1 and _joins_demonym(lexicon, entry, form, words[-1]):
                pieces.append((JOINED, f"{form} {words[-1]}", words[-1], 1.0, False))
                break
        i += size
    if pending:
        pieces += guess(lexicon, pending, at_start)
    return tuple(pieces)


def _possessive_cuts(lexicon: Lexicon, words: list[str]) -> list[int]:
    """Where a name's possessive ends a name within a run: after a word that ends with the
    apostrophe and not inside a known form ("Peoples' Equality and Democracy Party"), before a
    word that goes on no name of a body ("Hamas' Al-Aqsa Flood"), or after a word that names
    on its own ("the Israelis' Army", "the Houthis' Navy": Israel and the Houthis) or a party's
    members that start the run ("Republicans' House"; not "Veterans' Affairs Department").
    None: "Kurdistan Workers' Party" and "National Farmers' Union" are whole. One pass: a
    run of a thousand possessives had taken 33 s (the code review)."""
    cuts: list[int] = []
    reach = 0  # where the longest known form started since the last cut ends
    start = 0
    for i, word in enumerate(words[:-1]):
        reach = max(reach, i + known_at(lexicon, words, i)[1])
        if word[-1] != "'" or reach > i + 1:
            continue
        plural = word[:-1]
        entry = lexicon.forms.get(plural)
        if (
            words[i + 1] not in lexicon.generic
            or (entry is not None and entry.name)
            or (i == start and plural[:-1] in lexicon.parties)  # not "Veterans' Affairs"
        ):
            cuts.append(i + 1)
            start = i + 1
    return cuts


ROMANCE_OF = frozenset(("de", "del", "da", "do", "di", "du", "dos", "das", "des", "della"))


def _place_of(lexicon: Lexicon, pending: list[str], end: int, count: int) -> bool:
    """Whether a known form that ends the run follows a name word and a Romance "of": "Santiago
    de Cuba", "Universidad de Chile", "Banco de España" are names, each in or of the place
    (the tag helper: "Santiago" was a tag). Not the English "of": "Bank of England" is
    whole by `_ends_an_institution`, and "Islamic Republic of Iran" names the country."""
    return (
        end == count
        and len(pending) >= 2
        and pending[-1] in ROMANCE_OF
        and _plain_name_word(lexicon, pending[-2])
    )


def _named_after(lexicon: Lexicon, words: list[str], after: int) -> bool:
    """Whether the words from `after` to the run's end finish the name of a thing named after
    the place before them: they end in one of `lexicon.ends` ("Kenya Power", "Ethiopian
    Airlines"), with no "and" or known form among them ("Kenya and Uganda Railways" is two)."""
    if after >= len(words) or words[-1] not in lexicon.ends or "and" in words[after:]:
        return False
    return all(known_at(lexicon, words, j)[0] is None for j in range(after, len(words)))


def _joins_demonym(lexicon: Lexicon, entry: Entry, form: str, word: str) -> bool:
    """Whether `word`, the last of a run, after the demonym `form`, may make a name with it:
    "Georgian Dream" (a party), "Syrian Observatory", "Pakistani Taliban". It must be a word no
    table knows, and no title, initial or compound; whether it does is the article's to say
    (`_Reader.resolve`). "Kenyan Airways" ends as a name of its own (`_named_after`)."""
    return (
        _is_demonym(entry, form)
        and len(word) > 2
        and word not in lexicon.lengths
        and word not in lexicon.not_names
        and word not in lexicon.lead
        and word not in lexicon.starters
        and word not in PARTICLES
        and "-" not in word
        and "." not in word
    )


def _is_demonym(entry: Entry, form: str) -> bool:
    """ "Georgian": a country's form, of a demonym's weight, and not its capital."""
    return entry.weight == DEMONYM_WEIGHT and not entry.capital and form != entry.name


def _after_a_name(lexicon: Lexicon, words: list[str], i: int) -> bool:
    """Whether the word before words[i] is a plain word of a name: "Volker Turk" is the UN's
    rights chief, not Turkey (but "Syrian Kurds" and "Chinese President" are left as they
    are: the demonym comes first)."""
    return i > 0 and _plain_name_word(lexicon, words[i - 1])


def _plain_name_word(lexicon: Lexicon, word: str) -> bool:
    """Not a particle, a word that is never a name, a known form's first word nor a plural's
    possessive ("the Kurds' Syria" is Syria, the Kurds' own)."""
    return (
        word not in PARTICLES
        and word not in lexicon.not_names
        and word not in lexicon.lengths
        and word[-1:] != "'"
    )


# "Gulf of Guinea" is no Guinea, nor the "Sea of Japan" Japan: waters named after a country.
WATERS_OF = [["Gulf", "of"], ["Bay", "of"], ["Sea", "of"], ["Strait", "of"], ["Straits", "of"]]


def _ends_an_institution(lexicon: Lexicon, pending: list[str]) -> bool:
    """Whether a known form after `pending` ends the name of an institution: "Reserve Bank of"
    + Australia, "Commonwealth Bank of" + Australia. Not when only generic words come before
    "of": "Islamic Republic of Iran" and "Supreme Court of Pakistan" name the country."""
    if len(pending) < 3 or pending[-1] != "of" or pending[-2] not in lexicon.generic:
        return False
    return any(w not in lexicon.not_names and w not in PARTICLES for w in pending[:-2])


def _a_works_end(lexicon: Lexicon, pending: list[str], entry: Entry, form: list[str]) -> bool:
    """Whether a body's short name (`form`, one word, not its name) ends a title after a word
    and "of the": "Tragedy of the Commons" is no House of Commons (the code review). After a
    title it is the body: "Leader of the Commons"."""
    return (
        len(form) == 1
        and form[0].endswith("s")
        and form[0][1:].islower()  # "Commons", "Lords"; not "Fed", "ECB" ("Powell of the Fed")
        and entry.name != form[0]
        and " " in entry.name
        and pending[-2:] == ["of", "the"]
        and len(pending) >= 3
        and pending[-3] not in lexicon.not_names
        and pending[-3] not in lexicon.strip
    )


def _another_party(lexicon: Lexicon, words: list[str], i: int, size: int) -> bool:
    """Whether a listed party ("Democratic Party") is the end of another's name: a word
    before it that is no title, particle or known form ("Social Democratic Party", Germany's
    SPD, was the US Democratic Party, and took its abbreviation: the tag helper)."""
    if i == 0 or words[i + size - 1] != "Party":
        return False
    before = words[i - 1]
    return before not in lexicon.strip and before not in PARTICLES and before not in lexicon.forms


def _in_a_name(lexicon: Lexicon, words: list[str], i: int, size: int) -> bool:
    """Whether the known form at words[i : i + size] is part of a longer name: a word beside it
    is neither a particle, a known form, nor a word that is never a name ("Irving Berlin",
    "Tokyo Electric Power"; not "Washington and Beijing", "Kremlin Spokesman")."""
    beside = [words[j] for j in (i - 1, i + size) if 0 <= j < len(words)]
    return any(_plain_name_word(lexicon, w) for w in beside)


def _before_a_person(lexicon: Lexicon, words: list[str], i: int, size: int) -> bool:
    """Whether the known form at words[i : i + size] starts the run and two plain name words
    or more follow it: a place or a body, then a person ("in Gaza Ismail al-Thawabta said",
    "envoy to Syria Tom Barrack", "Ambassador to the UN Vasily Nebenzya"), two names, not one
    (the tag helper). One word after it makes a name with it ("Israel Katz")."""
    rest = words[i + size :]
    return i == 0 and len(rest) >= 2 and all(_plain_name_word(lexicon, w) for w in rest)


def known_at(lexicon: Lexicon, words: list[str], i: int) -> tuple[Entry | None, int]:
    """The longest known form starting at word i, and its length in words."""
    for size in lexicon.lengths.get(words[i], ()):
        if i + size <= len(words):
            entry = lexicon.forms.get(" ".join(words[i : i + size]))
            if entry is not None:
                return entry, size
    if "-" in words[i]:
        parts = _hyphen_parts(lexicon.forms, words[i])
        if parts:
            return parts[0][1], 1  # a title's "US-China" counts for the first
    return None, 0


def guess(lexicon: Lexicon, words: list[str], at_start: bool) -> list[Piece]:
    """Names in the unknown part of a run: split at 'and', and at 'for' and 'on' but after a
    word for an institution ("Institute for the Study of War", "National League for Democracy",
    "Framework Convention on Climate Change"; not "Calls for Trump", "Putin on Ukraine"),
    titles and particles cut off."""
    pieces: list[Piece] = []
    piece: list[str] = []
    body = False  # whether `piece` names an institution: a generic word or an institution's
    # ("Bolivarian Alliance", "Centers", "Office"), which "for" and "on" may go on
    words = [*words, "and"]
    for i, word in enumerate(words):
        if word != "and" and (
            word not in INSTITUTIONS_OF or (body and _goes_on(lexicon, piece, words, i))
        ):
            piece.append(word)
            body = body or _a_things_head(lexicon, word)
            continue
        trimmed = trim(lexicon, piece, at_start)
        at_start, piece, body = False, [], False
        if trimmed:
            found = guessed(lexicon, *trimmed)
            if found:
                pieces.append(found)
    return pieces


def _a_things_head(lexicon: Lexicon, word: str) -> bool:
    """Whether a name's last word makes it a thing's ("Foundation", "Festival", "Council"),
    named after its first words rather than known by them."""
    return word in lexicon.ends or word in lexicon.generic or word in lexicon.nouns


# Words that join a name only after an institution's: "Council for", "Convention on"
INSTITUTIONS_OF = frozenset(("for", "on"))


# Words of a body that takes a topic with "on": "Convention on Climate Change", "Council on
# Foreign Relations"; not "the Court on Wall Street", "the Senate on Thursday" (the code review)
TOPIC_HEADS = frozenset((
    "Committee", "Subcommittee", "Commission", "Convention", "Conference", "Council", "Panel",
    "Forum", "Summit", "Treaty", "Agreement", "Protocol", "Declaration", "Covenant", "Charter",
    "Institute", "Initiative", "Dialogue", "Caucus", "Taskforce", "Group", "Board", "Centre",
    "Center", "Office", "Report", "Act", "Talks", "Coalition", "Network", "Alliance",
    "Compact", "Framework",
))  # fmt: skip

# Last words of a place or a time, which no topic after "on" ends with: "Committee on Capitol
# Hill", "Commission on Polling Day" (the code review)
PLACE_OR_TIME_ENDS = frozenset((
    "Hill", "Street", "Day", "Avenue", "Square", "Road", "Island", "Islands", "Beach",
    "Boulevard", "Lane", "Plaza", "Park", "Eve", "Night", "Morning", "Evening", "Weekend",
    "Airport", "Station", "Bridge", "Mall", "Campus", "Floor", "Afternoon",
))  # fmt: skip


def _goes_on(lexicon: Lexicon, piece: list[str], words: list[str], i: int) -> bool:
    """Whether "for" or "on" (`words[i]`) goes on the institution `piece` names (one of its
    words is an institution's, `_a_things_head`: the caller knows), given the
    words after it: not before a time word, "the Senate on Thursday", which is in `strip` but
    no generic word of a name ("Committee on Foreign Relations"). "on" takes a topic, so it
    goes on only a body's word that takes one, and not before a place or a time. Only the
    topic is looked at: copying the rest of the run at each "on" was quadratic (the code
    review: 15 s for five articles of "B on B on ...")."""
    after = words[i + 1]  # there is one: `guess` ends the words with "and"
    if after in lexicon.strip and after not in lexicon.generic:
        return False
    if words[i] == "for":
        return True
    if not _takes_a_topic(piece, len(piece)):
        return False
    end = i + 1
    while end < len(words) and words[end] not in INSTITUTIONS_OF and words[end] != "and":
        end += 1
    topic = words[i + 1 : end]
    return (
        bool(topic)
        and topic[-1] not in PLACE_OR_TIME_ENDS
        and lexicon.forms.get(" ".join(topic)) is None
    )


# Words of a sentence that no name holds: written in capitals, they are someone shouting ("THE
# CEASEFIRE IS NOW IN EFFECT. PLEASE DO NOT VIOLATE IT!", quoted from a post), not a name.
SHOUTED = frozenset((
    "IS", "ARE", "WAS", "WERE", "BE", "BEEN", "NOT", "DO", "DOES", "DID", "DON'T", "WILL",
    "WON'T", "CAN", "CAN'T", "MUST", "SHOULD", "WOULD", "HAVE", "HAS", "HAD", "PLEASE", "IT",
    "WE", "YOU", "HE", "SHE", "THEY", "I", "OUR", "YOUR", "MY", "THIS", "THAT", "NOW",
))  # fmt: skip


def _shouted(piece: list[str]) -> bool:
    """Words in capitals that make a sentence (`SHOUTED`): "PLEASE DO NOT VIOLATE IT"."""
    return len(piece) >= 2 and not SHOUTED.isdisjoint(piece) and all(map(str.isupper, piece))


def trim(lexicon: Lexicon, piece: list[str], at_start: bool) -> tuple[list[str], bool] | None:
    """Cut titles, particles and initials off; None if no name is left."""
    if _shouted(piece):
        return None
    strip = lexicon.strip
    # "Robert F. Kennedy Jr." is not his father: a suffix keeps the surname before it (never
    # a title: "Martin Luther King Jr.") and the initials.
    end: list[str] = []
    if len(piece) >= 2 and piece[-1].rstrip(".") in SUFFIXES:
        end, piece = [piece[-2], piece[-1].rstrip(".") + "."], piece[:-2]
    # Initials ("J.") are no part of a name, and a compound on a word that is no name ends
    # what comes before it: "Geneva-based Gavi Alliance" is "Gavi Alliance", "West Bank-based
    # Palestinian Authority" the "Palestinian Authority".
    for i in range(len(piece) - 1, -1, -1):
        if _described(piece[i]):
            piece = piece[i + 1 :]
            break
    words = [w for w in piece if not (len(w) == 2 and w[1] == "." and not end)]
    if words and words[-1].endswith("'"):  # "Kurds'" before a known form: "Kurds' Syria"
        words[-1] = words[-1][:-1]
    if len(words) >= 2 and words[-1] in FEASTS and words[-2].endswith("'"):
        return None  # "Veterans' Day", "Mothers' Day": a feast, no name
    if len(words) >= 2 and words[-1] in PARTY_MEMBERS and " ".join(words[:-1]) in US_STATES:
        words = words[:-1]  # "a New York Democrat", "Texas Republican": the state (the judge)
    topic = _topic_start(words)
    # what a body is of: "Ministry of National Defense" was "Ministry of National" (found once:
    # looked for at each word popped, a run of thousands took seconds: the code review)
    of_at = words.index("of", 1) if "of" in words[1:] else len(words)
    while words and (words[-1] in strip or words[-1] in PARTICLES) and not end:
        if words[-1] in lexicon.generic and (of_at < len(words) - 1 or len(words) > topic):
            break  # a topic's words stay: "Committee on Artificial Intelligence"
        words.pop()  # "Trump Administration"
    # A title ends where the name begins: "Mining Minister Rafael Quintero" -> "Rafael Quintero"
    of_something = False  # a title "of" an institution: "Secretary of War Pete Hegseth"
    titled = False  # a title was cut off: "State" of "State Department Ned Price"
    for i in range(len(words) - 1, -1, -1):
        if words[i] in lexicon.generic and (
            i >= topic or (0 < i < len(words) - 1 and words[-1] in TOPIC_HEADS)
        ):
            # a topic's or a body's word, no title: "Council on Foreign Relations", "Senate
            # Foreign Relations Committee", "Munich Security Conference" (each had lost its
            # words up to the generic one; not "Director General Tony Hall")
            continue
        if words[i] == "Imam" and i == len(words) - 2 and words[-1] in IMAMS:
            words, at_start = words[i:], False  # "Imam Hussein" is no Hussein of today
            break
        if (
            words[i] in INNER_TITLES
            and 0 < i < len(words) - 1
            and words[i - 1] not in lexicon.not_names
            and words[i - 1] not in PARTICLES
        ):
            continue  # a part of a name: "Hassan Sheikh Mohamud", "Hussein Hajj Hassan"
        if words[i] in strip or (i == 0 and words[i] in lexicon.starters):
            of_something = "of" in words[: i + 2]  # "Minister of Foreign Affairs Abbas Araghchi"
            titled = words[i] not in ARTICLES  # not "The" of "The War Powers Resolution"
            words, at_start = words[i + 1 :], False
            break
    while words and (words[0] in PARTICLES or words[0] in lexicon.lead):
        if words.pop(0) in lexicon.lead:
            at_start = False  # "Analysts Aziz said": Aziz does not start the sentence
    nouns = lexicon.nouns | lexicon.parties if of_something else lexicon.parties
    words, at_start = _after_institution(lexicon, words + end, at_start, nouns, titled)
    words = _before_of(lexicon, words)
    if not words or all(w in lexicon.not_names or w in PARTICLES for w in words):
        return None
    if (len(words) > MAX_NAME_WORDS and _name_words_count(words) > MAX_NAME_WORDS) or (
        len(words) == 1 and len(words[0]) < 2
    ):
        return None
    if len(words) == 1 and len(words[0]) <= 3 and "-" in words[0]:
        return None  # initials, as in a party and state: "(D-N.Y.)"
    return words, at_start


def _topic_start(words: list[str]) -> int:
    """Where the topic of a body's name begins, after its "on" ("Committee on Foreign
    Affairs"), whose words are no titles; past the end for none. `guess` keeps "on" in a
    piece only after a body's word that takes a topic."""
    for i in range(len(words) - 2, 0, -1):
        if words[i] == "on" and _takes_a_topic(words, i):
            return i + 1
    return len(words)


def _takes_a_topic(words: list[str], end: int) -> bool:
    """Whether the words before `end` end with a body's word that takes a topic with "on"
    (`TOPIC_HEADS`), or "Task Force" (not any force: "Self-Defense Force on Okinawa")."""
    return words[end - 1] in TOPIC_HEADS or (end >= 2 and words[end - 2 : end] == TASK_FORCE)


TASK_FORCE = ["Task", "Force"]


def _name_words_count(words: list[str]) -> int:
    """The words of an Arabic name of descent but its particles: "Mohammed bin Abdulrahman bin
    Jassim Al Thani", Qatar's prime minister, is five (it was seven, more than any name has,
    and no name). Other names' particles count: "Federal Office for the Protection of the
    Constitution" is no tag beside "BfV"."""
    if "bin" not in words and "ibn" not in words:  # a title of a work or an office's name
        return len(words)
    return sum(word not in PARTICLES and word not in ("Al", "El") for word in words)


def _before_of(lexicon: Lexicon, words: list[str]) -> list[str]:
    """A person's name of two or more plain words, then "of" and where they work: "Myles
    Allen of Oxford" is Myles Allen. "Bank of England" and "Reserve Bank of Australia" (a
    generic word before "of") and "Duke of Edinburgh" (one word) stay whole."""
    if "of" not in words[2:]:
        return words
    k = words.index("of", 2)
    before = words[:k]
    if any(w in lexicon.not_names or w in PARTICLES for w in before):
        return words
    return before


def _after_institution(
    lexicon: Lexicon, words: list[str], at_start: bool, nouns: Collection[str], titled: bool
) -> tuple[list[str], bool]:
    """The name after the last of `nouns`, when two or more plain words follow it: "War Pete
    Hegseth" (left of "Secretary of War Pete Hegseth") -> "Pete Hegseth". Institutions count
    after a title and "of"; after other words ("Political Council Mahmoud Qomati"), or after
    a title (`titled`): "Adviser to Prime Minister on Foreign Affairs Sartaj Aziz" -> "Sartaj
    Aziz", "State Department Ned Price" -> "Ned Price". "War Powers Resolution" is whole: a
    generic word is no person's."""
    for i in range(len(words) - 3, -1, -1):
        if words[i] in nouns or words[i] in lexicon.nouns:
            rest = words[i + 1 :]
            if _a_persons_name(lexicon, rest):
                return rest, False
            break
    return words, at_start


def _a_persons_name(lexicon: Lexicon, words: list[str]) -> bool:
    """Whether words may be a person's name after an institution's: plain words, with a
    particle only inside ("Mohammed bin Salman"). "Political Council Mahmoud Qomati" and
    "Gaza Government Media Office Ismail al-Thawabta" were each one name (the tag helper)."""
    return (
        words[0] not in PARTICLES
        and words[-1] not in PARTICLES
        and all(w not in lexicon.not_names for w in words)
    )


# Titles that are part of a name between two of its words: "Hassan Sheikh Mohamud", Somalia's
# president; "Hussein Hajj Hassan", a Lebanese MP ("Executive Council Sheikh Ali Damoush" is
# Ali Damoush: a council is no name's word). Before a name, each is a title.
INNER_TITLES = frozenset(("Sheikh", "Hajj", "Haj"))
SUFFIXES = ("Jr", "Sr")
ARTICLES = ("The", "A", "An")  # in `strip`, but no title


def _described(word: str) -> bool:
    """A compound such as "Geneva-based" or "Kurdish-led": a word, then a participle (not a
    syllable of a name: "Lai Ching-te", "Kim Jong-un")."""
    _, dash, tail = word.partition("-")
    return bool(dash) and tail[:1].islower() and (tail.endswith("ed") or tail in PARTICIPLES)


PARTICIPLES = frozenset((
    "run", "born", "held", "made", "built", "bound", "era", "style", "wide", "majority",
    "heritage", "speaking", "origin", "descent",
))  # fmt: skip
# "Kurdish-majority" (the tag helper); "Samoan-heritage" (the judge rehearsal)


def guessed(lexicon: Lexicon, words: list[str], at_start: bool) -> Piece | None:
    name = " ".join(_articles_joined(words))
    entry = lexicon.forms.get(name)
    if entry is not None:  # trimming uncovered a known form: "the White House"
        return (KNOWN, entry.name, name, entry.weight, False) if entry.name else None
    return (SINGLE if len(words) == 1 else FULL, name, name, 1.0, at_start)


def _articles_joined(words: list[str]) -> list[str]:
    """A name with its Arabic article joined to the word after it, as most agencies write it:
    "Abdel Fattah al Burhan" is "Abdel Fattah al-Burhan", one name, not two tags."""
    if "al" not in words and "el" not in words:
        return words
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] in ("al", "el") and len(joined) > 1 and word[:1].isupper():
            joined[-1] += "-" + word
        else:
            joined.append(word)
    return joined


def _body_name_at(
    words: list[str], i: int, owners: Mapping[str, str], names: Collection[str]
) -> tuple[Entry | None, int]:
    """A name the body gave starting at word i of a title: a full name a word belongs to
    (`owners`, first), or a name counted (`names`).

    Looked up where the body left them, not in a dict merged from both for each title: reading
    a name-heavy title took 12 us instead of 16 to 19. Without aliases, a name the title itself
    adds is a known form, which `known_at` finds first, so the lookups give what the merged
    dict, made before the title added names, gave."""
    for size in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
        phrase = " ".join(words[i : i + size])
        name = owners.get(phrase) or (phrase if phrase in names else None)
        if name is not None:
            return Entry(name), size
    return None, 0


# After a place and a hyphen: where a company is, or whose flag a ship flies ("Liberian-flagged",
# mostly a flag of convenience; the tag helper), not what the article is about.
NOT_ABOUT = frozenset({"based", "flagged", "registered", "headquartered"})


def _hyphen_parts(forms: Mapping[str, Entry], word: str) -> tuple[tuple[str, Entry], ...]:
    """The known forms a hyphenated word mentions, with their text: 'Russian-backed' mentions
    Russia, 'US-China' both, 'Israel-Hamas' both ('Guinea-Bissau' is found whole before
    this). Nothing when a capitalised part is unknown: 'Abdul-Malik' is a name."""
    head, _, tail = word.partition("-")
    if tail in NOT_ABOUT:  # "London-based": where a company is, not what the article is about
        return ()
    if tail[:1].islower():
        entry = forms.get(head)
        return () if entry is None else ((head, entry),)
    parts = word.split("-")
    entries = [forms.get(part) for part in parts]
    if None in entries:
        return ()
    return tuple(zip(parts, entries, strict=True))  # type: ignore[arg-type]


def _placed(text: str, run: re.Match[str]) -> bool:
    """Whether a run follows a word for a place (`PLACED`): "in Jenin", "in al-Mawasi"; not
    "in Trump's first term"."""
    start = run.start()
    if text.endswith(("al-", "el-"), start - 3, start):
        start -= 3
    return text.endswith(PLACED, max(0, start - 12), start) and not text.startswith(
        POSSESSIVE, run.end()
    )


def _starts_sentence(text: str, start: int) -> bool:
    """Whether the run at `start` in `text` begins a sentence (or the paragraph)."""
    i = start - 1
    while i >= 0 and text[i] in OPENERS:
        i -= 1
    while i >= 0 and text[i] in CLOSERS:
        i -= 1
    if i < 0:
        return True
    if text[i] not in SENTENCE_END or i == start - 1:
        return False
    return not text.endswith(HONORIFICS, 0, i)  # "Mr. Trump" does not start a sentence


def _byline_names(byline: str) -> frozenset[str]:
    """The names and words of the byline: the writer is not what the article is about."""
    parts = [p.strip() for p in re.split(r",|\band\b|&|/", byline) if p.strip()]
    return frozenset(parts + [w for p in parts for w in p.split()])


def scan_article(
    tagger: Tagger, article: Article, paragraphs: Sequence[str]
) -> tuple[Candidate, ...]:
    """Every possible tag of one article with its evidence; pure, so it can run anywhere (the
    build runs it where the file is read, and caches the result with the article)."""
    return _read(tagger, article, paragraphs).candidates()


# Characters of an article's text the tagger reads: a long story is 50,000; what an article is
# about is named well before that. A 2 MB file dense with names took 2 s and, one of "U.S. "
# repeated, 287 MB to scan.
MAX_SCAN_CHARS = 200_000


# Wire copy's credits and rights: "(Photo by Stringer/AFP)", a line "Getty Images / AFP via
# Getty Images", "Copyright 2026 Xinhua. All Rights Reserved." Who took a photo or owns the
# text is no subject of the article: "Getty Images", "Stringer" and "Rights Reserved" were tags
# of every article carrying them (the judge rehearsal). A caption's own words still count, as
# do "(Credit Suisse)", "(Video shows ...)" and "Copyright 1976 Act reform was debated".
CREDIT_NOTE = re.compile(
    r"\((?:(?:Photo|Photograph|Image|Picture|Video|Footage)s?(?: by|:)|Credits?:) [^()\n]{1,80}\)"
)
RIGHTS_RESERVED = re.compile(r"(?:all )?rights reserved\.?", re.IGNORECASE)
VIA_GETTY = re.compile(r"[^.!?\n]{0,80}\bvia Getty Images$")
COPYRIGHT_START = re.compile(r"(?:©|(?:Copyright ?(?:©|\(c\))?|\(c\)) ?\d{4})", re.IGNORECASE)
LOWER_WORD = re.compile(r"\b[a-z]{4,}\b")  # "amendments", "reform": a sentence, no credit


def _without_credits(text: str) -> str | None:
    """A paragraph without its credits (`CREDIT_NOTE`); None for a line of credits or rights.
    Most paragraphs have neither: told by a test of a few characters."""
    ends = text.rstrip(" .")[-8:].lower()
    if "(" in text or "©" in text or "via Getty" in text or ends == "reserved":
        line = text.strip()
        if RIGHTS_RESERVED.fullmatch(line) or VIA_GETTY.fullmatch(line):
            return None
        # "Copyright 2026 Xinhua. All rights reserved.", not "Copyright 1976 Act reform was
        # debated", nor "... want their land rights reserved." (the verification helper)
        rights = len(line) <= 120 and COPYRIGHT_START.match(line) is not None
        if rights and not LOWER_WORD.search(RIGHTS_RESERVED.sub("", line)):
            return None
        return CREDIT_NOTE.sub("", text) if "(" in text else text
    return text


def _read(
    tagger: Tagger, article: Article, paragraphs: Sequence[str], other_scripts: bool = True
) -> _Reader:
    reader = _Reader(tagger, article, paragraphs)
    # Names are guessed from capitalised words with a lexicon in English: in Cyrillic or Greek
    # they were titles and case forms ("Президент России Владимир Путин", "Путина" beside
    # "Путин"), and other scripts have no capitals. Such text keeps the site's own terms.
    # ASCII text is in none: told in 1 us, where `detect_language` took 3 to 9 us to sample it;
    # nor is text the reader found none in, in a file's bytes (20 us an article of curly quotes).
    guesses = (
        not other_scripts or all(map(str.isascii, paragraphs)) or not detect_language(paragraphs)
    )
    left = MAX_SCAN_CHARS
    for index, text in enumerate(paragraphs):
        if left <= 0:
            break
        if len(text) > left:
            text = text[:left]
        left -= len(text)
        if index == 0 and (start := dateline(text)) is not None:
            text = text[start.end() :]
        if (text := _without_credits(text)) is None:
            continue
        weight = 1.0 / (1.0 + POSITION_DECAY * index)
        if guesses:
            reader.paragraph(text, weight, (index + 1) * 1_000_000)
        reader.extra_terms(text, weight, (index + 1) * 1_000_000)
    reader.resolve()
    reader.title(article.title)
    reader.extra_terms(article.title, TITLE_WEIGHT, 0)
    return reader


# --- choosing across the corpus ----------------------------------------------------------------


@dataclass(frozen=True)
class Tagging:
    """A corpus's tags with the evidence for them: what a build uses, `sitegen tags` shows."""

    settings: TagConfig
    front: Mapping[str, tuple[str, ...]]  # article id -> front-matter tags, canonical names
    scans: Mapping[str, bytes]  # article id -> candidates found in its text, packed
    spread: Mapping[str, int]  # casefolded name -> how many articles name it
    chosen: Mapping[str, tuple[str, ...]]  # article id -> its tags, front matter first
    picked: Mapping[str, tuple[str, ...]]  # the same before `drop_rare_names`
    dropped: frozenset[str] = frozenset()  # casefolded names `drop_rare_names` took away
    merged: Mapping[str, str] = field(default_factory=dict)  # `short_names_merged`: key -> name

    def candidates(self, article_id: str) -> tuple[Candidate, ...]:
        """An article's candidates, best first."""
        return unpack_scan(self.scans.get(article_id, b""))


def derives(settings: TagConfig) -> bool:
    return settings.derive and settings.max_per_article > 0


def tag_corpus(
    articles: Sequence[Article], settings: TagConfig, paragraphs: Mapping[str, Sequence[str]]
) -> Tagging:
    """Read every article (the first pass), then choose each one's tags (the second).

    `paragraphs` maps article ids to their text (bodies are kept apart from articles)."""
    tagger = make_tagger(settings)
    scans: dict[str, bytes] = {}
    if derives(settings):
        scans = {a.id: _read(tagger, a, paragraphs[a.id]).packed() for a in articles}
    return choose(articles, scans, settings)


def choose(articles: Sequence[Article], scans: Mapping[str, bytes], settings: TagConfig) -> Tagging:
    """The corpus-wide pass over scans made earlier (`scan_packed`, maybe cached)."""
    tagger = tagger_for(settings)
    front = {a.id: front_matter_tags(tagger, a) for a in articles}
    if not derives(settings):
        scans = {}
    spread = count_articles(front, scans)
    picked = choose_tags(front, scans, spread, settings)
    chosen, dropped = drop_rare_names(picked, front.get, scans, spread, settings)
    chosen, merged = short_names_merged(chosen, front.values(), spread, settings)
    return Tagging(settings, front, scans, spread, chosen, picked, dropped, merged)


def count_articles(
    front: Mapping[str, tuple[str, ...]], scans: Mapping[str, bytes]
) -> Counter[str]:
    """How many articles name each (casefolded) name, in their text or their front matter."""
    spread: Counter[str] = Counter()
    for article_id, given in front.items():
        spread.update(named_keys(given, scans.get(article_id, b"")))
    return spread


def named_keys(given: tuple[str, ...], scan: bytes) -> set[str]:
    """The (casefolded) names an article counts for: those of its scan and of its
    front-matter tags (`given`, canonical), and the pool of each name of two words or more
    (`pool_key`), so that an article counts once for a name however it spells it."""
    keys = set(scan_keys(scan))
    keys.update(tag_key(name) for name in given)
    keys.update([pool_key(key) for key in keys if " " in key])
    return keys


POOL = "\x00"  # starts a pool's key: no name holds it (the reader removes control characters)
_POOLS: dict[str, str] = {}


def pool_key(key: str) -> str:
    """The key under which the spellings of one name are counted together for `min_articles`:
    "Hassan Nasrallah" and "Hasan Nasrallah", "Volodymyr Zelensky" and "Zelenskyy", each in
    one article, were no tag (the tag helper), though `_same_names_merged` makes one tag of
    them. A name of two words or more only, as that merge."""
    return pool_keys(key)[0]


def pool_keys(key: str) -> tuple[str, ...]:
    """A name's own pool (`pool_key`), then, for a person's name of three or four plain words,
    the pools of its shorter forms: without its middle words ("Rafael Mariano Grossi" ->
    "Rafael Grossi") and without its last word, a Spanish second surname ("Miguel Díaz-Canel
    Bermúdez" -> "Miguel Díaz-Canel"). A fuller name in one article was no tag while the
    shorter one was (the tag helper). The shorter forms' pools are not counted in `spread`: a
    fuller name passes by one only when articles name the shorter one (`pooled`), and two
    fuller names never pass by each other ("Kim Jong Un" and "Kim Yo Jong" each hold
    "kim jong"). Remembered, as names come again."""
    pools = _POOLS.get(key)
    if pools is None:
        pools = (POOL + _skeleton(key),)
        words = key.split(" ")
        if 3 <= len(words) <= 4 and _person_words(words):
            pools += (
                POOL + _skeleton(f"{words[0]} {words[-1]}"),
                POOL + _skeleton(" ".join(words[:-1])),
            )
        if len(_POOLS) < PARSE_CACHE_SIZE:
            _POOLS[key] = pools
    return pools


@cache
def _not_person_words() -> frozenset[str]:
    """`Lexicon.not_names` casefolded, and the particles: words no person's name holds."""
    return frozenset(w.casefold() for w in load_lexicon().not_names) | PARTICLES


def _person_words(words: list[str]) -> bool:
    """Whether casefolded words may all be a person's names: no title, generic word,
    particle or initial ("George W. Bush" is not "George Bush", nor "Supreme National
    Security Council" a "Supreme Council")."""
    not_person = _not_person_words()
    return all(len(w) > 2 and w[-1] != "." and w not in not_person for w in words)


def _group(key: str, common: Collection[str]) -> str:
    """What `drop_rare_names` counts a name's holders under: for a name of two words or more,
    its pool, or a shorter form's that is common when its own is not (`pool_keys`)."""
    if " " not in key:
        return key
    pools = pool_keys(key)
    if len(pools) > 1 and pools[0] not in common:
        for pool in pools[1:]:
            if pool in common:
                return pool
    return pools[0]


def choose_tags(
    front: Mapping[str, tuple[str, ...]],
    scans: Mapping[str, bytes],
    spread: Mapping[str, int],
    settings: TagConfig,
) -> dict[str, tuple[str, ...]]:
    """Front-matter tags first, then the best derived tags up to the cap.

    A guessed name needs `min_articles` articles; listed names do not. The cap counts
    front-matter tags, which are always kept. Scans are packed best first: no sorting here.
    """
    common = common_names(spread, settings)
    cap = settings.max_per_article
    return {
        article_id: Pick(given, scan_choices(scans.get(article_id, b"")), cap).fill(common, ())
        for article_id, given in front.items()
    }


def common_names(spread: Mapping[str, int], settings: TagConfig) -> set[str]:
    """The names enough articles name (`min_articles`) to be tags when found from capitals."""
    return {key for key, count in spread.items() if count >= settings.min_articles}


def drop_rare_names(
    picked: Mapping[str, tuple[str, ...]],
    front_of: Callable[[str], tuple[str, ...] | None],
    scans: Mapping[str, bytes],
    spread: Mapping[str, int],
    settings: TagConfig,
) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """The tags articles keep: `picked`, less the names found from capitals alone that fewer
    than `min_articles` articles were given; and the names so dropped (casefolded).

    Enough articles may name a name while most of them have better tags to fill their
    `max_per_article`: the name would get a page listing one article. Such names are dropped
    one at a time, the rarest first (then the one the fewest articles name, then by name), and
    each article that loses one takes its next candidate instead. That can lift another rare
    name to `min_articles`, which is why the order matters and why it is fixed. A name some
    article has from its front matter or from a list stays.

    A function of `picked` (and the scans): a build that chose only a few articles' tags again
    (`choose_again`) keeps the same tags as one that chose afresh.
    """
    least = settings.min_articles
    chosen = dict(picked)
    if least <= 1 or not derives(settings):
        return chosen, frozenset()
    # Holders of a name of two words or more are counted by its pool (`_group`): the two
    # spellings of one name in one article each have it as often as it is named.
    common = common_names(spread, settings)
    holders: dict[str, set[str]] = {}
    by_key: dict[str, set[str]] = {}
    for article_id, names in picked.items():
        for name in names:
            by_key.setdefault(tag_key(name), set()).add(article_id)
    for key, ids in by_key.items():  # a pool made once a name, not once an article
        group = _group(key, common)
        if group in holders:
            holders[group] |= ids
        else:
            holders[group] = ids
    dropped: set[str] = set()
    kept: set[str] = set()

    def rank(group: str) -> tuple[int, int, str]:
        return len(holders[group]), spread.get(group, 0), group

    def held(article_id: str, group: str) -> list[str]:
        return [k for n in chosen[article_id] if _group(k := tag_key(n), common) == group]

    picks: dict[str, Pick] = {}  # an article that lost a name, ready to lose another

    def pick(article_id: str) -> Pick:
        if article_id not in picks:
            given, scan = front_of(article_id) or (), scans.get(article_id, b"")
            picks[article_id] = Pick(given, scan_choices(scan), settings.max_per_article)
        return picks[article_id]

    queue = [rank(key) for key, ids in holders.items() if len(ids) < least]
    heapq.heapify(queue)
    while queue:
        count, _, group = heapq.heappop(queue)
        ids = holders[group]
        if group in kept or group in dropped or len(ids) != count:
            continue  # decided already, or an article took it since (see below)
        if any(
            key in pick(i).trusted or pick(i).leads(key, common)
            for i in ids
            for key in held(i, group)
        ):
            kept.add(group)
            continue
        dropped.add(group)
        for article_id in sorted(ids):
            # The article keeps its other tags and takes its next candidate in that one's place.
            before = set(chosen[article_id])
            for key in held(article_id, group):
                dropped.add(key)
                chosen[article_id] = pick(article_id).without(key, common, dropped)
            for name in chosen[article_id]:
                if name in before:
                    continue
                other = _group(tag_key(name), common)
                holders.setdefault(other, set()).add(article_id)
                if other not in kept and len(holders[other]) < least:
                    heapq.heappush(queue, rank(other))
        ids.clear()
    return chosen, frozenset(key for key in dropped if not key.startswith(POOL))


def short_names_merged(
    chosen: Mapping[str, tuple[str, ...]],
    front: Iterable[tuple[str, ...]],
    spread: Mapping[str, int],
    settings: TagConfig,
) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """The tags with each bare surname that is a tag of its own merged into the one full
    name that ends with it, and each name without its middle names into the one fuller name
    (`_fuller_names`); and those merges (casefolded short name -> full name).

    Within an article, a bare "Trump" after "Donald Trump" counts for him already
    (`_Reader.resolve`). An article that writes only "Trump" gave a tag of its own, so a
    corpus had a "Trump" page beside the "Donald Trump" page. An abbreviation counts for the
    one name with its initials ("RJD" for "Rashtriya Janata Dal"). Only a guessed name is merged,
    and only when one full name ending with it is named by `min_articles` articles or more
    (tag or not): "Wang" beside "Wang Yi" and "Wang Wenbin" stays; a stray "Allies of Trump"
    in one article does not keep "Trump" apart. A country ("Jordan" beside "Jim Jordan") or a
    name some front matter gives stays, and so does a word that names no thing it is a word of
    (`_stands_for`): "Jenin" is no "Jenin Brigade", "Jerusalem" no "East Jerusalem". A
    function of the tags and the spread, so choosing a few articles again (`choose_again`)
    merges as choosing afresh."""
    tagger = tagger_for(settings)
    names = {name for tags in chosen.values() for name in tags}
    fixed = {tag_key(name) for tags in front for name in tags}
    fixed.update(tag_key(e.name) for e in tagger.lexicon.forms.values() if e.name)
    fixed.update(tag_key(name) for name in tagger.aliases.values())
    fixed.update(map(tag_key, tagger.extra_names))
    least = settings.min_articles
    spelled = {tag_key(n): n for n in sorted(names, reverse=True)}  # key -> least spelling
    merged = _same_names_merged(spelled, fixed, spread, least, tagger.lexicon)
    bare = {tag_key(n) for n in names if " " not in n and tag_key(n) not in fixed}
    capitals = {tag_key(n) for n in names if n.isupper() and tag_key(n) in bare}
    # "al-Sudani" and "Sudani" are both the surname of "Mohammed Shia al-Sudani" (the tag
    # helper: "Prime Minister al-Sudani" in an article without his full name was apart)
    stems: dict[str, list[str]] = {}
    for key in sorted(bare):
        stems.setdefault(_without_article(key), []).append(key)

    def common_by_pool(key: str) -> bool:
        """A rare spelling of a name common by its pool; asked only of a name a bare word
        may stand for: making every rare name's pool took time a rebuild has not."""
        head = key.partition(" ")[0]
        return (_surname(key) in stems or head in bare) and spread.get(pool_key(key), 0) >= least

    found: dict[str, set[str]] = {}  # surname -> the full names the corpus names with it
    first: dict[str, set[str]] = {}  # a first word -> the full names that start with it
    demonyms = _demonym_keys(tagger.lexicon) if bare else set()
    for key, count in spread.items() if bare else ():
        if " " in key and (count >= least or common_by_pool(key)):
            # A spelling merged into another counts for it: "Zelensky" is of "Volodymyr
            # Zelensky", which is "Volodymyr Zelenskyy" when more articles spell it so.
            whole = tag_key(merged[key]) if key in merged else key
            # "Syrian Kurds" (see JOINED) does not take the articles that write "Kurds"
            joined = key.count(" ") == 1 and key.partition(" ")[0] in demonyms
            if (last := _surname(key)) in stems and not joined:
                for short in stems[last]:  # a person's, or a thing's that `_stands_for`
                    found.setdefault(short, set()).add(whole)
            elif (head := key.partition(" ")[0]) in bare and not joined:
                first.setdefault(head, set()).add(whole)  # a person's, `_of_a_person` tells
            if (initials := _initials(key)) in capitals:  # "RJD": "Rashtriya Janata Dal"
                found.setdefault(initials, set()).add(whole)
    # A family name written first ("Xi" of Xi Jinping, "Kim"), or a name its bearer goes by
    # ("Tedros", "Abiy", "Prabowo"): as an article's own full name takes it (`resolve`), so
    # does the corpus's one full name starting with it, where none ends with it (the judge
    # helper: "Xi" was a tag beside "Xi Jinping").
    for word, fulls in first.items():
        found.setdefault(word, fulls)
    for short, fulls in found.items():
        if len(fulls) != 1 or (full := next(iter(fulls))) not in spelled:
            continue
        if short in capitals or _stands_for(short, spelled[full], tagger.lexicon):
            merged[short] = spelled[full]
    if not merged:
        return dict(chosen), merged
    return {
        article_id: tuple(dict.fromkeys(merged.get(tag_key(n), n) for n in tags))
        for article_id, tags in chosen.items()
    }, merged


# First words of clubs named after their city: the city alone is no mention of the club.
CLUBS = frozenset(
    ("Real", "Atletico", "Atlético", "Olympique", "Dynamo", "Dinamo", "Sporting", "Racing")
)


def _stands_for(word: str, name: str, lexicon: Lexicon) -> bool:
    """Whether a word alone may stand for a name it is the first or last word of: any word
    of a person's; the last word of a thing's ("the Society" of the "Palestine Red Crescent
    Society"), but not after a side ("Jerusalem" is no "East Jerusalem") or after "of"
    ("Kurdistan" is no "Patriotic Union of Kurdistan": the tag helper)."""
    first = name.partition(" ")[0]
    if first in CLUBS:  # "Madrid" is no "Real Madrid" (the tag helper: a blackout story)
        return False
    if _of_a_person(name, lexicon):
        return True
    return (
        _without_article(word) != _without_article(tag_key(first))
        and first not in SIDES
        and " of " not in name  # "Kurdistan" is no "Patriotic Union of Kurdistan"
    )


def _of_a_person(name: str, lexicon: Lexicon) -> bool:
    """Whether a full name may be a person's: none of its words is one of a thing's name
    ("Geneva Conventions", "Oslo Accords", "Harvard University", "East Jerusalem"), which a
    word of it alone ("Geneva", "Jerusalem") does not stand for."""
    return lexicon.not_names.isdisjoint(name.split(" "))


def _same_names_merged(
    spelled: Mapping[str, str],
    fixed: Collection[str],
    spread: Mapping[str, int],
    least: int,
    lexicon: Lexicon,
) -> dict[str, str]:
    """One tag for the names of one person: spellings that differ in spaces, hyphens,
    an Arabic article or doubled letters ("Hassan Nasrallah" and "Hasan Nasrallah", "Abdul-Malik
    al-Houthi" and "Abdul Malik al-Houthi", "Bashar Assad" and "Bashar al-Assad", see
    `_skeleton`), and a name in a fuller one ("Rafael Grossi" in "Rafael Mariano Grossi", see
    `_fuller_names`). Each group is named as most articles name the person: a corpus that
    writes "Donald John Trump" twice and "Donald Trump" a thousand times keeps "Donald Trump".
    `spelled` has one name a key: "Nicolás Maduro" and "Nicolas Maduro" are one tag already,
    spelled as the site model chooses (`model.build_tags`). Casefolded name -> the name it is
    merged into."""
    # Guessed names of two words or more only: a name some front matter gives, or a list,
    # stays as it is; single words are the surnames `short_names_merged` merges.
    people = [n for k, n in spelled.items() if k not in fixed and " " in n]
    fuller = [n for n in people if spread.get(tag_key(n), 0) >= least]
    same: dict[str, str] = {}  # a name -> another of its group, up to the group's first
    by_skeleton: dict[str, str] = {}
    for name in sorted(people):
        first = by_skeleton.setdefault(_skeleton(tag_key(name)), name)
        if first != name:
            same[name] = first

    def group_of(name: str) -> str:
        while name in same:
            name = same[name]
        return name

    # A fuller name and a shorter form that is a name too (`pool_keys`): "Rafael Mariano
    # Grossi" in an article or two is "Rafael Grossi"; two fuller names that are common stay
    # apart ("Odile Mara Varga", "Odile Anne Varga"), and so does the shorter one then.
    shortened: dict[str, list[str]] = {}
    for name in people:
        for pool in pool_keys(tag_key(name))[1:]:
            if (other := by_skeleton.get(pool[len(POOL) :])) is not None:
                shortened.setdefault(other, []).append(name)
                break
    for short, names in shortened.items():
        for name in names:
            rare = spread.get(tag_key(name), 0) < least
            if (len(names) == 1 or rare) and (a := group_of(name)) != (b := group_of(short)):
                same[a] = b
    for short, full in _fuller_names(people, fuller, lexicon).items():
        if (a := group_of(short)) != (b := group_of(full)):
            same[a] = b
    groups: dict[str, list[str]] = {}
    for name in same:
        groups.setdefault(group_of(name), []).append(name)
    merged: dict[str, str] = {}
    for first, group in groups.items():
        group.append(first)
        named = max(group, key=lambda n: (spread.get(tag_key(n), 0), n.count(" "), n))
        merged.update((tag_key(n), named) for n in group if n != named)
    return merged


def _skeleton(key: str) -> str:
    """A casefolded name without what transliterations vary in: spaces, hyphens, an Arabic
    article, doubled letters, apostrophes for the Arabic ayn and hamza ("Sare'e", "Saree"),
    and "gh" for "q" and "ou" for "u", as Persian and French-style spellings have them
    ("Baghaei", "Baqaei"; "Ghalibaf", "Qalibaf"; "Mahmoud", "Mahmud": the tag helper), "ee"
    and "i" (not last), "ae" and "a" (not in "-ael"), "k" and "q", "y" and "i" ("Naeem Kassem",
    "Naim Qassem"; "Sergey", "Sergei"; "Yury", "Yuri"; the Middle East review). Not where
    English names differ so: "Brian" and "Bryan", "Smith" and "Smyth", "Michael" and "Michal",
    "Lee" and "Li" are other people (the code review; see `_word_skeleton`).
    "hassan nasrallah", "hasan nasrallah" -> "hasanasralah"."""
    words = key.replace("-", " ").split(" ")
    if "al" in words[1:] or "el" in words[1:]:  # not the first: "Al Franken" is a first name
        words = [words[0], *(word for word in words[1:] if word not in ("al", "el"))]
    joined = "".join([_word_skeleton(word, i == 0) for i, word in enumerate(words)])
    # Searched first: most names double no letter, and a substitution costs more than a search
    # (`pool_key` makes one for every name of two words or more).
    return DOUBLED.sub(_first_letter, joined) if DOUBLED.search(joined) else joined


def _word_skeleton(word: str, first: bool) -> str:
    """One word of `_skeleton`, before doubled letters are made one; `first`: the name's."""
    word = word.translate(TRANSLITERATED)
    if "gh" in word or "ou" in word:
        word = word.replace("gh", "q").replace("ou", "u")
    if "ee" in word and not word.endswith("ee"):  # "Naeem", "Naim"; not "Lee", "Li"
        word = word.replace("ee", "i")
    if "ae" in word and not word.endswith("ael"):  # "Esmaeil", "Esmail"; not "Michael"
        word = word.replace("ae", "a")
    if "y" in word and word not in ENGLISH_Y_SURNAMES and not (first and word in ENGLISH_Y_NAMES):
        # "Sergey", "Sergei"; "Dmytro", "Dmitro"; "Ryabkov", "Riabkov"; not "Bryan" and "Brian",
        # "Smyth" and "Smith" (the code review: every "y" after a consonant kept, as for
        # "Bryan", split a dozen Russian and Ukrainian names in two)
        word = word.replace("y", "i")
    return word.replace("k", "q")


# English surnames whose "y" is no transliteration, beside one with an "i"
ENGLISH_Y_SURNAMES = frozenset((
    "smyth", "pryce", "myers", "lyons", "flynn", "pyne", "byrne", "sykes", "wylie", "rhys",
    "blyth", "wyld", "tyrrell", "dyson", "lynch",
))  # fmt: skip


# English first names whose "y" is no transliteration: "Bryan Williams" is not "Brian
# Williams" (the code review), though "Dmytro" and "Dmitro" Kuleba are one man
ENGLISH_Y_NAMES = frozenset((
    "bryan", "bryant", "bryce", "bryony", "kyle", "kylie", "lyle", "lynn", "lynne", "lyndon",
    "ryan", "wyatt", "tyler", "tyson", "dylan", "byron", "myles", "myra", "cynthia", "sylvia",
    "sylvie", "yvonne", "yvette", "hayley", "haley", "amy", "gwyneth", "glynis", "carolyn",
    "marilyn", "evelyn", "jocelyn", "kathryn", "katy", "sydney", "lindsay", "lindsey", "kelly",
    "shelly", "billy", "bobby", "jimmy", "johnny", "tony", "andy", "danny", "jerry", "larry",
    "terry", "harry", "henry", "jeremy", "timothy", "anthony", "beverly", "emily", "mary",
    "nancy", "betty", "judy", "dorothy", "shirley", "stacy", "tracy", "wendy", "cindy", "mandy",
    "roy", "troy", "guy", "ray", "jay", "kay", "faye", "gary", "barry", "rory", "zachary",
))  # fmt: skip


def _first_letter(doubled: re.Match[str]) -> str:
    return doubled.group(1)


DOUBLED = re.compile(r"(.)\1+")
TRANSLITERATED = str.maketrans("", "", "'’ʼʿʾ‘`")  # apostrophes for ayn and hamza: left out


def _fuller_names(
    shorter: Iterable[str], fuller: Collection[str], lexicon: Lexicon
) -> dict[str, str]:
    """Each name of `shorter` that is in one name of `fuller` only, with it: its words in
    order, the same last word (an Arabic article aside) and the same first word, or the last
    words: "Rafael Grossi" and "Mariano Grossi" are in "Rafael Mariano Grossi". Names of
    people only: "Democratic Party" is not the "Democratic Unionist Party". A name in a name
    that is in a third gets the third."""
    not_names = lexicon.not_names
    by_last: dict[str, list[list[str]]] = {}
    for name in fuller:
        if name.count(" ") > 1 and not_names.isdisjoint(words := name.split(" ")):
            by_last.setdefault(_last_word(words), []).append(words)
    if not by_last:
        return {}
    found: dict[str, str] = {}
    for name in shorter:
        words = name.split(" ")
        group = by_last.get(_last_word(words))
        if group is None or not not_names.isdisjoint(words):
            continue
        within = [full for full in group if _in_name(words, full)]
        if len(within) == 1:
            found[name] = " ".join(within[0])
    for name, full in found.items():
        while full in found:  # at most MAX_NAME_WORDS steps: each name is longer
            full = found[full]
        found[name] = full
    return found


def _last_word(words: list[str]) -> str:
    """The last word of a name without an Arabic article: "Burhan" of "al-Burhan"."""
    return _without_article(words[-1]) if "-" in words[-1] else words[-1]


def _in_name(words: list[str], full: list[str]) -> bool:
    """Whether `words` are a shorter form of the name `full` (see `_fuller_names`). A word
    capitalised to start a sentence is the same word: "Von der Leyen" is in "Ursula von der
    Leyen" (two tags: the tag helper)."""
    if words[0] != full[0] and words[0][:1].isupper() and len(words) < len(full):
        lowered = words[0][:1].lower() + words[0][1:]
        if full[-len(words)] == lowered:
            words = [lowered, *words[1:]]
    if len(words) >= len(full) or (words[0] != full[0] and full[-len(words) :] != words):
        return False
    rest = iter(full[:-1])
    return all(word in rest for word in words[:-1])


def _demonym_keys(lexicon: Lexicon) -> set[str]:
    """The demonyms of the lexicon ("Georgian", see `_joins_demonym`), casefolded."""
    return {tag_key(form) for form, entry in lexicon.forms.items() if _is_demonym(entry, form)}


def _initials(key: str) -> str:
    """The initials of a name's words but its small ones: "board of control for cricket in
    india" -> "bcci"."""
    return "".join(word[0] for word in key.split(" ") if word not in SMALL_WORDS)


SMALL_WORDS = PARTICLES | {"for", "in", "on", "at", "to", "&"}


# An abbreviation in brackets after what it stands for: "(PFLP)", "(UNIFIL)", "(LoC)".
SPELLED_OUT = re.compile(r" \(([A-Z][A-Za-z]{1,9})\)")
# Where the words before it stop being a name: a sentence, a clause, a quote, a list's line.
SPELLING_BOUNDARY = re.compile(r"[.,;:!?\"“”()\u2028]")
MAX_SPELLED_WORDS = 10
LONGEST_SPELLED = 161  # characters: a spelled-out name is read from the 160 before its brackets
# Words of a news agency's or a channel's name: what the text cites, not what it is about.
NEWS_WORDS = frozenset(("News", "Press", "Television", "TV", "Radio", "Broadcasting"))
# What a company's name ends with, which its tag leaves out (its abbreviation may spell it).
COMPANY_FORMS = frozenset(("Co", "Corp", "Inc", "Ltd", "LLC", "plc", "PLC", "AG", "SA", "GmbH"))


def _spelled(words: list[str], short: str) -> bool:
    """Whether `short` (casefolded) is spelled by `words`: one to three first letters of each
    word in capitals ("UN" gives two), and of a small word ("for", "in", "the") its first or
    none: "unifil" by "UN Interim Force in Lebanon", "pflp" by "Popular Front for the
    Liberation of Palestine"."""

    def fits(at: int, i: int) -> bool:
        if i == len(words):
            return at == len(short)
        word = words[i]
        if word in SMALL_WORDS:
            return fits(at, i + 1) or (short.startswith(word[0], at) and fits(at + 1, i + 1))
        if not word[:1].isupper():
            return False
        word = word.casefold()
        return any(
            short.startswith(word[:size], at) and fits(at + size, i + 1)
            for size in range(1, min(3, len(word)) + 1)
        )

    return fits(0, 0)


@dataclass(slots=True)
class Spelled:
    """A name an abbreviation spells out (`_Reader.spelled_names`), at `start` in its
    paragraph; `position` is that of its first run, once read (`_within`)."""

    start: int
    name: str
    short: str
    position: int = -1


def _within(
    spelled: list[Spelled], starts: list[int], span: tuple[int, int], position: int
) -> Spelled | None:
    """The `spelled` name a run (its `span`) has words of ("The Office of Foreign Assets
    Control" has the whole of one), if any, the first in the text; the first such run gives
    the name its `position`. `spelled` is in the order of `starts`, where the names start:
    only those that start within a name's length before the run's end are looked at (each
    run looking at every name took minutes for a paragraph of thousands)."""
    start, end = span
    found = None
    at = bisect.bisect_left(starts, end) - 1
    while at >= 0 and starts[at] > start - LONGEST_SPELLED:
        name = spelled[at]
        if start < name.start + len(name.name):
            found = name
        at -= 1
    if found is not None and found.position < 0:
        found.position = position
    return found


def _abbreviates(short: str, key: str) -> bool:
    """Whether `short` is the starts of the words of `key` (both casefolded), one to three
    letters of each but its small words, in order: "rjd" for "rashtriya janata dal", "tepco"
    for "tokyo electric power co", "nasa" for "national aeronautics and space administration".
    A name has at most MAX_NAME_WORDS words: at most 3 ** 6 ways to try."""
    words = [word for word in key.split(" ") if word not in SMALL_WORDS]

    def fits(at: int, word: int) -> bool:
        if word == len(words):
            return at == len(short)
        return any(
            short.startswith(words[word][:size], at) and fits(at + size, word + 1)
            for size in range(1, min(3, len(words[word])) + 1)
        )

    return bool(words) and fits(0, 0)


def _surname(key: str) -> str:
    """The last word of a name, without an Arabic article: "al-sisi" -> "sisi"."""
    return _without_article(key.rpartition(" ")[2])


def _without_article(word: str) -> str:
    """A word without the Arabic article joined to it: "al-Sisi" -> "Sisi"."""
    article, dash, rest = word.partition("-")
    return rest if dash and article in ARABIC_ARTICLES else word


class Pick:
    """One article's tags: `given` (front matter), then its best candidates (`scan_choices`)
    up to `cap`: listed ones (not mentioned `in_passing`), and names from capitals that are
    common and not dropped.

    `drop_rare_names` takes names from it one at a time (`without`), and it reads on from the
    last candidate it took: reading again from the first for each name lost, an article losing
    thousands took seconds. A dropped name has no listed candidate in the articles that had it
    (or it would be kept), so no candidate before that place becomes one to take."""

    def __init__(
        self, given: tuple[str, ...], candidates: tuple[tuple[str, str, int], ...], cap: int
    ) -> None:
        self.given = given
        self.candidates = candidates
        self.room = cap - len(given)
        self.derived: list[str] = []
        self.taken = {tag_key(name) for name in given}
        self.next = 0  # the first candidate not read yet

    def fill(self, common: Collection[str], dropped: Collection[str]) -> tuple[str, ...]:
        """The tags, taking candidates from where the last call stopped until there is room
        for no more."""
        derived, taken, candidates = self.derived, self.taken, self.candidates  # a hot loop
        at = self.next
        while len(derived) < self.room and at < len(candidates):
            candidate = candidates[at]
            at += 1
            name, key, flag = candidate
            if key not in taken and (
                flag == LISTED
                or (
                    not flag
                    and key not in dropped
                    and (key in common or (" " in key and pooled(key, common, dropped)))
                )
            ):
                taken.add(key)
                derived.append(sys.intern(name))  # one string per tag, not per use
        self.next = at
        return self.given + tuple(derived)

    def without(
        self, key: str, common: Collection[str], dropped: Collection[str]
    ) -> tuple[str, ...]:
        """The tags once `key` is dropped (in `dropped` already)."""
        if self.next:  # filled before: take the name out, read on
            self.derived = [name for name in self.derived if tag_key(name) != key]
            self.taken.discard(key)
        return self.fill(common, dropped)

    def leads(self, key: str, common: Collection[str]) -> bool:
        """Whether `key` is the article's best candidate that may be a tag (listed, or a name
        common enough): what it is about. Such a name stays though fewer than `min_articles`
        articles have room for it: "Zuckerberg Pledges Hundreds of Billions" lost Mark
        Zuckerberg, whom two more articles named in passing (the tag helper: 35 articles of
        300 lost the name they led with). So is the best name no list gives, when only one
        candidate comes before it: "Rajji: Diplomacy Is Lebanon's Only Choice" scored Lebanon
        first, and lost Youssef Rajji (the Middle East review)."""
        ahead = 0
        for _, candidate, flag in self.candidates:
            if flag == LISTED or (
                not flag
                and (candidate in common or (" " in candidate and pooled(candidate, common, ())))
            ):
                if candidate == key:
                    return ahead == 0 or flag != LISTED
                if ahead or flag != LISTED:
                    return False
                ahead = 1
        return False

    @cached_property
    def trusted(self) -> set[str]:
        """The names it has from its front matter or from a list: never dropped."""
        names = {key for _, key, flag in self.candidates if flag == LISTED}
        names.update(tag_key(name) for name in self.given)
        return names


def pooled(key: str, common: Collection[str], dropped: Collection[str]) -> bool:
    """Whether a name of two words or more is common by its pool (`pool_key`), and its pool
    was not dropped (`drop_rare_names`)."""
    return any(pool in common and pool not in dropped for pool in pool_keys(key))


FEW_RETAGS = 200  # articles changed, added or removed; past this, choosing afresh costs no more


def choose_again(
    articles: Sequence[Article],
    scans: Mapping[str, bytes],
    settings: TagConfig,
    before: Mapping[str, tuple[str, ...]],
    before_spread: Mapping[str, int],
    old: Mapping[str, tuple[Article, bytes]],
) -> tuple[dict[str, tuple[str, ...]], dict[str, int]] | None:
    """`choose`'s tags and spread for a corpus that differs in a few articles from the one
    that gave `before` and `before_spread`; `old` holds the articles and scans it was chosen
    from. None when that is not known well enough: then the caller chooses afresh.

    An article's tags depend on its own scan and on which names are common (`min_articles`):
    only the changed articles are chosen again, and the articles that name a name that became
    common, or stopped being, by the change. Choosing afresh unpacks every scan twice (0.1 s
    at 10,000 articles, a second at 100,000), for an edit that changed one article's text.
    """
    if not derives(settings):
        return None
    tagger = tagger_for(settings)
    changed = [
        a
        for a in articles
        if a.id not in before
        or a.id not in old
        or scans.get(a.id, b"") != old[a.id][1]
        or a.tags != old[a.id][0].tags
    ]
    ids = {a.id for a in articles}
    gone = [i for i in before if i not in ids]
    if len(changed) + len(gone) > FEW_RETAGS:
        return None
    spread = dict(before_spread)
    touched: dict[str, int] = {}  # key -> its count before
    for article_id in [*gone, *(a.id for a in changed if a.id in before)]:
        if article_id not in old:
            return None  # not in the last build's cache: what it gave is unknown
        article, scan = old[article_id]
        for key in named_keys(front_matter_tags(tagger, article), scan):
            touched.setdefault(key, spread.get(key, 0))
            spread[key] = spread.get(key, 0) - 1
    for article in changed:
        given = front_matter_tags(tagger, article)
        for key in named_keys(given, scans.get(article.id, b"")):
            touched.setdefault(key, spread.get(key, 0))
            spread[key] = spread.get(key, 0) + 1
    if any(spread[key] < 0 for key in touched):
        return None  # `before_spread` was not what `old` gave: never trust it then
    for key in touched:
        if spread[key] == 0:
            del spread[key]
    least = settings.min_articles
    crossed = [k for k, n in touched.items() if (n >= least) != (spread.get(k, 0) >= least)]
    if pools := {k for k in crossed if k.startswith(POOL)}:
        # A pool (`pool_key`) is in no scan: the articles to choose again name its names. Found
        # by the pool of every name, only when a pool crossed: an edit seldom makes one.
        crossed = [k for k in crossed if k not in pools]
        crossed += [k for k in spread if " " in k and not pools.isdisjoint(pool_keys(k))]
    redo = {a.id for a in changed}
    if crossed:
        # A scan holds each of its keys as UTF-8 text (`_Reader.packed`): a scan without those bytes
        # does not name the key. One that has them by chance is only chosen again, for nothing.
        needles = [key.encode("utf-8", "surrogatepass") for key in crossed]
        for article in articles:
            scan = scans.get(article.id, b"")
            if article.id not in redo and any(scan.find(n) >= 0 for n in needles):  # read.BYTES_IN
                redo.add(article.id)
    again = [a for a in articles if a.id in redo]
    front = {a.id: front_matter_tags(tagger, a) for a in again}
    fresh = choose_tags(front, scans, spread, settings)
    chosen = {a.id: fresh[a.id] if a.id in redo else before[a.id] for a in articles}
    return chosen, spread


def front_matter_tags(tagger: Tagger, article: Article) -> tuple[str, ...]:
    """The article's own tags under their canonical names, duplicates removed, order kept."""
    names: dict[str, str] = {}
    for name in article.tags:
        canonical = canonical_name(tagger, name)
        names.setdefault(tag_key(canonical), canonical)
    return tuple(names.values())


def article_tags(
    articles: Sequence[Article], settings: TagConfig, paragraphs: Mapping[str, Sequence[str]]
) -> dict[str, tuple[str, ...]]:
    """Article id -> its tag names in rank order, front-matter tags first."""
    return dict(tag_corpus(articles, settings, paragraphs).chosen)


_TAGGERS: dict[str, Tagger] = {}
_LAST_TAGGER: list[tuple[TagConfig, Tagger]] = []  # the settings asked for last, and theirs


def forget_parsed_runs() -> None:
    """Empty the taggers' memos (`Tagger.parsed`, `Tagger.name_words`), for a process that has
    read all it will read: a worker, before it renders. Their tens of thousands of tuples took
    13 MB of each worker's peak in a cold build of 10,000 articles naming thousands of people
    (309 against 296 MB for the three processes); freed, the pages reuse that memory."""
    for tagger in _TAGGERS.values():
        tagger.parsed.clear()
        tagger.name_words.clear()


def tagger_for(settings: TagConfig) -> Tagger:
    """One tagger per process and settings: its parse cache pays off across the corpus.

    Each article asks with the same settings object: that is answered without `repr`, which
    took 0.5 % of a cold build's CPU (the settings hold the site's aliases)."""
    if _LAST_TAGGER and _LAST_TAGGER[0][0] is settings:
        return _LAST_TAGGER[0][1]
    key = repr(settings)
    if key not in _TAGGERS:
        _TAGGERS[key] = make_tagger(settings)
    _LAST_TAGGER[:] = [(settings, _TAGGERS[key])]
    return _TAGGERS[key]


# Scans travel from workers and sit in the build cache packed (`pack_scan`): one bytes object per
# article instead of dozens of tuples and strings. That is 7 MB instead of 40 MB for 10,000
# articles, and the build cache loads them as they are. The corpus-wide pass unpacks each
# article's scan as it comes to it, as plain tuples, best first.
def scan_packed(
    article: Article, paragraphs: Sequence[str], settings: TagConfig, other_scripts: bool = True
) -> bytes:
    """`scan_article`, packed (b"" when tags are not derived). `other_scripts`: False where
    the reader knows the paragraphs hold no letters of another script than Latin
    (`read.Body.other_scripts`)."""
    if not derives(settings):
        return b""
    return _read(tagger_for(settings), article, paragraphs, other_scripts).packed()


def pack_scan(keys: tuple[str, ...], names: tuple[str, ...], tallied: tuple[list, ...]) -> bytes:
    """A scan as bytes, in three parts, each after its length (4 bytes) but the last: the
    candidates' keys; their names and flags (listed or guessed, either maybe `in_passing`); the
    rest of each candidate, as
    `_Reader` tallies it: [score, mentions, first, listed, {form: count}].

    Counting which articles name which names (`count_articles`) reads the keys alone; choosing
    tags (`Pick`) the keys, names and listed flags: unmarshalling whole candidates (their mention
    counts and forms) was half of choosing tags for 10,000 name-heavy articles (0.3 of 0.6 s).
    Marshal's format 2, which keeps no table of references, dumps these in two thirds of the
    time of the default format."""
    keys_part = marshal.dumps(keys, 2)
    flags = bytes(
        [
            (IN_PASSING if t[3] else GUESSED_IN_PASSING) if in_passing(t[0], t[1]) else t[3]
            for t in tallied
        ]
    )
    choice_part = marshal.dumps((names, flags), 2)
    return b"".join(
        (
            len(keys_part).to_bytes(4, "little"),
            keys_part,
            len(choice_part).to_bytes(4, "little"),
            choice_part,
            marshal.dumps(tallied, 2),
        )
    )


def unpack_scan(packed: bytes) -> tuple[Candidate, ...]:
    """A packed scan's candidates, best first; a damaged one (only a damaged cache file holds
    one) gives none."""
    choices, tallied = scan_choices(packed), _unpacked(packed, 2)
    if len(choices) != len(tallied):
        return ()
    try:
        return tuple(
            Candidate(name, key, score, n, first, listed in LISTED_FLAGS, tuple(forms.items()))
            for (name, key, listed), (score, n, first, _, forms) in zip(
                choices, tallied, strict=True
            )
        )
    except (TypeError, ValueError, AttributeError):
        return ()


def scan_keys(packed: bytes) -> tuple[str, ...]:
    """The (casefolded) names a packed scan holds, without unpacking its candidates."""
    return _unpacked(packed, 0)


def scan_choices(packed: bytes) -> tuple[tuple[str, str, int], ...]:
    """What choosing tags reads of each candidate, best first: (name, key, listed)."""
    keys, choice = _unpacked(packed, 0), _unpacked(packed, 1)
    if len(choice) != 2:
        return ()  # damaged, or no scan (b"")
    names, listed = choice
    if not (isinstance(names, tuple) and isinstance(listed, bytes)):
        return ()  # damaged
    if not len(keys) == len(names) == len(listed):
        return ()  # damaged
    return tuple(zip(names, keys, listed, strict=True))


def _unpacked(packed: bytes, part: int) -> tuple:
    """Part 0, 1 or 2 of a packed scan (`pack_scan`), unmarshalled; () if damaged."""
    start = 0
    for _ in range(part):
        start += 4 + int.from_bytes(packed[start : start + 4], "little")
    if part < 2:
        data = packed[start + 4 : start + 4 + int.from_bytes(packed[start : start + 4], "little")]
    else:
        data = packed[start:]
    try:
        raw = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return ()
    return raw if isinstance(raw, tuple) else ()


# --- explaining: the `sitegen tags` command ----------------------------------------------------


@dataclass(frozen=True)
class TagRow:
    """One line of the tag table."""

    name: str
    articles: int
    forms: tuple[tuple[str, int], ...]  # the forms matched, most frequent first


def tag_table(tagging: Tagging) -> list[TagRow]:
    """Every tag given to some article, with how many articles have it and the forms matched.

    Names that differ only in case are one tag, as on the site (see `model.build_tags`).
    """
    names: dict[str, Counter[str]] = {}
    members: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for article_id, chosen in tagging.chosen.items():
        evidence = {c.key: c for c in tagging.candidates(article_id)}
        for key in [k for k in evidence if k in tagging.merged]:  # a surname's forms are
            evidence.setdefault(tag_key(tagging.merged[key]), evidence[key])  # its name's
        for name in chosen:
            key = tag_key(name)
            members[key] += 1
            names.setdefault(key, Counter())[name] += 1
            found = evidence.get(key)
            matched = found.forms if found and name not in tagging.front[article_id] else ()
            forms.setdefault(key, Counter()).update(dict(matched) or {name: 1})
    rows = [
        TagRow(
            name=min(names[key].items(), key=lambda kv: (-kv[1], kv[0]))[0],
            articles=count,
            forms=_most_common(forms[key]),
        )
        for key, count in members.items()
    ]
    return sorted(rows, key=lambda r: (-r.articles, tag_key(r.name)))


def _most_common(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True)
class Verdict:
    """One candidate tag of an article and what became of it."""

    name: str
    score: float
    mentions: int
    forms: tuple[tuple[str, int], ...]
    kept: bool
    reason: str


def explain(tagging: Tagging, article_id: str) -> list[Verdict]:
    """Why an article has the tags it has: front matter, then every candidate by rank."""
    given = tagging.front[article_id]
    given_keys = {tag_key(name) for name in given}
    derived = {tag_key(name) for name in tagging.chosen[article_id]} - given_keys
    verdicts = [Verdict(name, 0.0, 0, (), True, "front matter") for name in given]
    for c in tagging.candidates(article_id):
        forms = _most_common(Counter(dict(c.forms)))
        reason = _reason(tagging, c, given_keys, derived)
        kept = c.key in derived
        full = tagging.merged.get(c.key)
        if full is not None and tag_key(full) in derived:
            kept, reason = True, f"counts for {full}, the one full name with it"
        verdicts.append(Verdict(c.name, c.score, c.mentions, forms, kept, reason))
    return verdicts


def _reason(tagging: Tagging, c: Candidate, given: set[str], derived: set[str]) -> str:
    settings, articles = tagging.settings, tagging.spread.get(c.key, 0)
    if c.key in given:
        return "also in front matter"
    if in_passing(c.score, c.mentions):
        return f"mentioned once, in passing (a score under {PASSING_SCORE})"
    if c.listed:
        return (
            "listed" if c.key in derived else f"over max_per_article ({settings.max_per_article})"
        )
    spread = tagging.spread
    if " " in c.key and (pooled := max(spread.get(p, 0) for p in pool_keys(c.key))) > articles:
        articles = pooled  # its spellings together ("Hasan Nasrallah", "Hassan Nasrallah")
    if articles < settings.min_articles:
        return f"a name in {articles} article(s); min_articles is {settings.min_articles}"
    if c.key in tagging.dropped:
        return (
            f"a name in {articles} articles, fewer than min_articles ({settings.min_articles}) "
            "of which have room for it under max_per_article"
        )
    if c.key in derived:
        return f"a name in {articles} articles"
    return f"over max_per_article ({settings.max_per_article})"


def format_table(rows: Sequence[TagRow], forms: int = 3) -> str:
    """The tag table as aligned text: tag, articles, the forms matched most."""
    width = max([len("tag"), *(len(r.name) for r in rows)])
    lines = [f"{'tag':<{width}}  articles  forms matched"]
    for row in rows:
        shown = ", ".join(f"{form} ({n})" for form, n in row.forms[:forms])
        lines.append(f"{row.name:<{width}}  {row.articles:>8}  {shown}")
    lines.append(f"{len(rows)} tag{'s' * (len(rows) != 1)}")
    return "\n".join(lines)


def format_verdicts(verdicts: Sequence[Verdict]) -> str:
    """One article's candidates as aligned text: kept or not, score, mentions, forms, reason."""
    width = max([len("tag"), *(len(v.name) for v in verdicts)])
    lines = [f"   {'tag':<{width}}  score  mentions  forms matched; reason"]
    for v in verdicts:
        shown = ", ".join(f"{form} ({n})" for form, n in v.forms) or "-"
        mark = "+" if v.kept else "-"
        lines.append(
            f" {mark} {v.name:<{width}}  {v.score:5.2f}  {v.mentions:>8}  {shown}; {v.reason}"
        )
    return "\n".join(lines)
