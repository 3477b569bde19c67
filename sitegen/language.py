"""The language and direction of a text, from its script: an article in Arabic on a site whose
pages say `lang="en"` was read aloud by screen readers with an English voice, and set left to
right, its full stops at the wrong end of its lines.

Only what the letters tell for certain is guessed: the script, then the language most written
in it (Arabic script with Persian or Urdu letters is Persian or Urdu; kana make Japanese). Text
in Latin script is left to the site's language, as no script tells English from French. A
front-matter `lang:` says it for an article instead.
"""

from __future__ import annotations

import collections
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence

# Scripts by character class, each with the language most written in it. Latin first: the
# letters that count against the others.
SCRIPTS: dict[str, tuple[str, str]] = {
    "Latin": ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff", ""),
    "Greek": ("\u0370-\u03ff\u1f00-\u1fff", "el"),
    "Cyrillic": ("\u0400-\u052f", "ru"),
    "Armenian": ("\u0531-\u058f", "hy"),
    "Hebrew": ("\u0591-\u05f4\ufb1d-\ufb4f", "he"),
    "Arabic": ("\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc", "ar"),
    "Syriac": ("\u0700-\u074f", "syr"),
    "Thaana": ("\u0780-\u07bf", "dv"),
    "Devanagari": ("\u0900-\u097f", "hi"),
    "Bengali": ("\u0980-\u09ff", "bn"),
    "Gurmukhi": ("\u0a00-\u0a7f", "pa"),
    "Gujarati": ("\u0a80-\u0aff", "gu"),
    "Tamil": ("\u0b80-\u0bff", "ta"),
    "Telugu": ("\u0c00-\u0c7f", "te"),
    "Kannada": ("\u0c80-\u0cff", "kn"),
    "Malayalam": ("\u0d00-\u0d7f", "ml"),
    "Sinhala": ("\u0d80-\u0dff", "si"),
    "Thai": ("\u0e00-\u0e7f", "th"),
    "Lao": ("\u0e80-\u0eff", "lo"),
    "Tibetan": ("\u0f00-\u0fff", "bo"),
    "Myanmar": ("\u1000-\u109f", "my"),
    "Georgian": ("\u10a0-\u10ff", "ka"),
    "Hangul": ("\u1100-\u11ff\u3130-\u318f\uac00-\ud7af", "ko"),
    "Ethiopic": ("\u1200-\u139f", "am"),
    "Khmer": ("\u1780-\u17ff", "km"),
    "Kana": ("\u3040-\u30ff\u31f0-\u31ff", "ja"),
    "Han": ("\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff", "zh"),
}


@functools.cache
def script_pattern(script: str) -> re.Pattern[str]:
    """A run of letters of `script`. Compiled on first use: these classes of thousands of
    characters took 13 ms to compile, in every build, for a corpus that may hold no letter
    outside Latin."""
    return re.compile(f"[{SCRIPTS[script][0]}]+")


@functools.cache
def script_leads() -> dict[str, frozenset[int]]:
    """The first bytes, in UTF-8, of the letters of each script. A character's first byte
    grows with it, so a range's are those from its first letter's to its last's."""
    leads = {}
    for script, (chars, _) in SCRIPTS.items():
        found: set[int] = set()
        for match in re.finditer(r"(.)-(.)|(.)", chars):
            first, last = (match[3], match[3]) if match[3] else (match[1], match[2])
            found.update(range(first.encode()[0], last.encode()[0] + 1))
        leads[script] = frozenset(found)
    return leads


@functools.cache
def not_latin() -> re.Pattern[str]:
    """A letter of any script but Latin (see `SCRIPTS`)."""
    return re.compile("[" + "".join(chars for chars, _ in list(SCRIPTS.values())[1:]) + "]")


# Letters that only some of the languages of a script use, with the language they point to,
# tested in order; a text is taken for that language when they make over 1 % of its letters
# in that script. Urdu writes most Persian letters too, so it is tested first; Kazakh and
# Belarusian write Ukrainian's "і" too, so they are tested before it.
MARKERS: dict[str, tuple[tuple[str, str], ...]] = {
    # Sorani Kurdish and Uyghur write Urdu's "ھ" too, so they are tested before it; Sorani
    # was taken for Persian, on a `language: ckb` site too (the hostile helper)
    "Arabic": (("ڕڵێ", "ckb"), ("ڭۇۈېۋ", "ug"), ("ٹڈڑںےۓھ", "ur"), ("پچژگکی", "fa")),
    "Cyrillic": (
        ("әғқңөұүһӘҒҚҢӨҰҮҺ", "kk"),
        ("ўЎ", "be"),
        ("іїєґІЇЄҐ", "uk"),
        ("ђћџљњЂЋЏЉЊ", "sr"),
    ),
    "Hebrew": (("װױײ", "yi"),),
}
MARKER_SHARE = 0.01
# Japanese is written in kanji (Han) and kana: some kana among Han make Japanese.
KANA_SHARE = 0.05
SAMPLE_CHARS = 4000  # enough letters to tell, however long the text
# BCP 47, as sites write them: subtags of two to eight letters or digits, an extension's
# singleton only before its own subtags, private use ("x-...") last. "ar-u" alone, which the
# Nu HTML checker refuses, is none; so is an extension but the two registered ones, Unicode's
# ("u", which pages leave out: `without_unicode_extension`) and transformed content's ("t"):
# "en-a-bbb" passed, and the checker refused it ("Unknown extension a") in every page's `lang`.
# Private use subtags of one character, which BCP 47 allows, the checker refuses too ("Private
# use subtag u is too short"): two to eight here.
LANGUAGE_TAG = re.compile(
    r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*"
    r"(?:-[TtUu](?:-[A-Za-z0-9]{2,8})+)*(?:-[Xx](?:-[A-Za-z0-9]{2,8})+)?"
)


MAX_TAG_CHARS = 64  # RFC 5646 asks room for 35; one of 1,800 pushed `<meta charset>` too late


def language_tag_problem(tag: str) -> str | None:
    """Why `tag` cannot be a page's `lang`, or None. `LANGUAGE_TAG`'s shape, and no longer
    than `MAX_TAG_CHARS`; then a language of two letters that ISO 639-1 has ("xx" or "zz", a
    placeholder in a file's `lang:`, went into pages' `lang`), and any other subtags as the
    IANA registry has them (`registry_problem`): the Nu HTML checker refuses "fr-US-US",
    "fr-Latn" or "en-abcdefgh" in every page that shows such an article."""
    if len(tag) > MAX_TAG_CHARS:
        return f"longer than {MAX_TAG_CHARS} characters"
    if not LANGUAGE_TAG.fullmatch(tag):
        return "not of the form of one"
    primary, _, rest = tag.partition("-")
    primary = primary.lower()
    if not rest and len(primary) == 2 and has_babel_data(primary):
        return None
    if registry_bytes() is not None:
        return registry_problem(tag)
    if len(primary) == 2 and (known := iso_639_1()) is not None and primary not in known:
        return f"no language is {primary!r}"
    return None  # no table to tell by: its form will do


@functools.cache
def registry_bytes() -> bytes | None:
    """The IANA Language Subtag Registry as langcodes ships it (kept current with each of its
    releases), read without importing langcodes (0.18 s); None without it. Read when a tag has
    more than a language of two letters; `registry_record` looks subtags up in it, as bytes:
    parsed whole it took 0.1 s, decoded and lowercased 17 ms, at every build of a site whose
    `language` is "en-US"; read as it is, 1 ms."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("langcodes")
    if spec is None or spec.origin is None:
        return None
    path = os.path.join(os.path.dirname(spec.origin), "data", "language-subtag-registry.txt")
    try:
        with open(path, "rb") as file:
            return b"\n" + file.read()
    except OSError:
        return None


# How the registry writes each kind of subtag: "fr", "Latn", "FR" or "419", "1901".
REGISTRY_CASE = {"language": str.lower, "script": str.title, "region": str.upper}


@functools.cache
def registry_record(kind: str, subtag: str) -> dict[str, tuple[str, ...]] | None:
    """The registry's record of `subtag` as a `kind` ("language", "script", "region",
    "variant"): its fields, by lowercase name ("suppress-script", "prefix", "deprecated"),
    each with its values, lowercase. None where it has none (or no registry is at hand)."""
    data = registry_bytes()
    if data is None or not subtag.isascii():
        return None
    written = REGISTRY_CASE.get(kind, str.lower)(subtag)
    needle = f"\nSubtag: {written}\n".encode()
    at = data.find(needle)
    while at >= 0:
        start = data.rfind(b"\n%%\n", 0, at) + 1
        end = data.find(b"\n%%\n", at)
        record = data[start : end if end >= 0 else len(data)].decode("utf-8", "replace")
        fields: dict[str, tuple[str, ...]] = {}
        for line in record.splitlines():
            key, colon, value = line.partition(": ")
            if colon and not line.startswith(" "):  # not a folded line
                fields[key.lower()] = (*fields.get(key.lower(), ()), value.strip().lower())
        if fields.get("type") == (kind,):
            return fields
        at = data.find(needle, at + 1)
    return None


PRIVATE_LANGUAGES = re.compile(r"q[a-t][a-z]")  # the registry's range qaa..qtz: a site's own


def registry_problem(tag: str) -> str | None:
    """Why the IANA registry refuses `tag` (of `LANGUAGE_TAG`'s shape), or None: its
    language, script, region and variants, in that order, each registered and not deprecated;
    no script that goes without saying ("fr-Latn"), no variant twice or without the subtags
    it is registered after ("1901" after "de"). Extensions and private use are not looked up;
    nor are private ranges of scripts and regions ("Qaaa", on which the Nu checker crashed)."""
    subtags = tag.lower().split("-")
    language = subtags[0]
    record = registry_record("language", language)
    if record is None and not PRIVATE_LANGUAGES.fullmatch(language):
        return f"no language is {language!r}"
    if record is not None and (problem := deprecated(record, language)):
        return problem
    i = 1
    if i < len(subtags) and len(subtags[i]) == 4 and subtags[i].isalpha():
        script = subtags[i]
        if (found := registry_record("script", script)) is None:
            return f"no script is {script!r}"
        if problem := deprecated(found, script):
            return problem
        if record is not None and record.get("suppress-script") == (script,):
            return f"{language!r} goes without its script {script!r}: leave it out"
        i += 1
    if i < len(subtags) and (
        (len(subtags[i]) == 2 and subtags[i].isalpha())
        or (len(subtags[i]) == 3 and subtags[i].isdigit())
    ):
        if (found := registry_record("region", subtags[i])) is None:
            return f"no region is {subtags[i]!r}"
        if problem := deprecated(found, subtags[i]):
            return problem
        i += 1
    while i < len(subtags) and len(subtags[i]) > 1:
        variant = subtags[i]
        if (found := registry_record("variant", variant)) is None:
            return f"{variant!r} is no subtag in its place"
        if problem := deprecated(found, variant):
            return problem
        if variant in subtags[1:i]:
            return f"{variant!r} twice"
        prefixes, before = found.get("prefix", ()), set(subtags[:i])
        if prefixes and not any(set(prefix.split("-")) <= before for prefix in prefixes):
            return f"the variant {variant!r} goes after {' or '.join(map(repr, prefixes))}"
        i += 1
    return None


def deprecated(record: dict[str, tuple[str, ...]], subtag: str) -> str | None:
    if "deprecated" not in record:
        return None
    instead = record.get("preferred-value", ("",))[0]
    return f"{subtag!r} is deprecated" + (f": write {instead!r}" if instead else "")


def has_babel_data(primary: str) -> bool:
    """Whether Babel has data for a language, told by its file's name: most of ISO 639-1,
    without importing Babel (10 ms, at every build of a site with a `language`)."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("babel")
    if spec is None or spec.origin is None or not primary.isalpha():
        return False
    return os.path.isfile(
        os.path.join(os.path.dirname(spec.origin), "locale-data", f"{primary}.dat")
    )


@functools.cache
def iso_639_1() -> frozenset[str] | None:
    """ISO 639-1's languages, from pycountry's table (876 KB of JSON, read for a language
    Babel has no data for); None without the table."""
    import json

    from sitegen.cache import language_table

    table = language_table()
    try:
        rows = json.loads(table.read_bytes())["639-3"] if table is not None else None
    except (OSError, ValueError, KeyError):
        rows = None
    return frozenset(row["alpha_2"] for row in rows if "alpha_2" in row) if rows else None


# The numbering systems of CLDR whose ten digits follow one another in Unicode, by the first:
# what a language tag asks for with Unicode's extension, "ar-u-nu-arab" (Arabic-Indic digits,
# as many Arab newsrooms write dates and counts) or "hi-u-nu-deva".
DIGIT_ZEROS = {
    "arab": 0x660, "arabext": 0x6F0, "beng": 0x9E6, "deva": 0x966, "fullwide": 0xFF10,
    "gujr": 0xAE6, "guru": 0xA66, "khmr": 0x17E0, "knda": 0xCE6, "laoo": 0xED0, "latn": 0x30,
    "mlym": 0xD66, "mymr": 0x1040, "orya": 0xB66, "tamldec": 0xBE6, "telu": 0xC66,
    "thai": 0xE50, "tibt": 0xF20,
}  # fmt: skip
# "-u-", keywords and their values, then "nu-" and the system: "ar-u-ca-islamic-nu-arab".
_NUMBERING = re.compile(r"-u(?:-[a-z0-9]{2,8})*?-nu-([a-z0-9]{3,8})(?![a-z0-9])", re.IGNORECASE)


def _public_part(language: str) -> tuple[str, str]:
    """A language tag split before its private-use part ("-x-..."), which means what a site
    wants it to: ("en", "-x-u-nu-arab")."""
    index = language.lower().find("-x-")
    return (language, "") if index < 0 else (language[:index], language[index:])


def numbering_system(language: str) -> str:
    """The numbering system a language tag asks for ("arab" of "ar-u-nu-arab"), lowercased;
    "" where it asks for none."""
    found = _NUMBERING.search(_public_part(language)[0])
    return found[1].lower() if found else ""


_UNICODE_EXTENSION = re.compile(r"-u(?:-[a-z0-9]{2,8})+", re.IGNORECASE)


def without_unicode_extension(language: str) -> str:
    """The tag a page's `lang` states: "ar" of "ar-u-nu-arab". The Nu HTML checker refuses
    Unicode's extension there ("Unknown extension u"); what it asks for, the site does."""
    public, private = _public_part(language)
    return _UNICODE_EXTENSION.sub("", public) + private


def digit_table(system: str) -> dict[int, int] | None:
    """A `str.translate` table from ASCII digits to those of a numbering system ("arab");
    None for Latin digits, "" or a system not in DIGIT_ZEROS (the config refuses those)."""
    zero = DIGIT_ZEROS.get(system, 0x30)
    if zero == 0x30:
        return None
    return str.maketrans("0123456789", "".join(chr(zero + i) for i in range(10)))


# The first bytes, in UTF-8, of the characters from U+0340 to U+1FFF, from U+3000 to U+DFFF and
# from U+F000 to U+FFFF: the letters of every script above but Latin (Greek from U+0370, the
# presentation forms of Hebrew and Arabic, Han's compatibility ideographs), with some signs. Not
# U+2000 to U+2FFF, the punctuation (curly quotes, dashes) of texts in any script.
OTHER_SCRIPT_LEADS = bytes([*range(0xCD, 0xE2), *range(0xE3, 0xEE), 0xEF])


def may_hold_other_scripts(text: str) -> bool:
    """Whether `text` may hold letters of another script than Latin: a test at the speed of
    `memchr`, where a regex tests a character class at each character (40 us for an article
    of 4 KB, on every article of a corpus in English with curly quotes)."""
    return not text.isascii() and may_hold_other_scripts_utf8(text.encode("utf-8", "surrogatepass"))


def may_hold_other_scripts_utf8(data: bytes) -> bool:
    """`may_hold_other_scripts` of text given as its UTF-8: a file's bytes, as read."""
    return not data.isascii() and any(lead in data for lead in OTHER_SCRIPT_LEADS)


# First bytes that the punctuation of texts in Chinese and Japanese starts with too ("。",
# U+3000 to U+303F; "，", of the full-width forms from U+FF00), with the second bytes of the
# letters among theirs: the kana and Han from U+3040; the compatibility ideographs and the
# presentation forms of Hebrew and Arabic from U+F900 (not U+FE00 to U+FE3F, nor U+FF00 on).
SHARED_LEADS = {
    0xE3: re.compile(b"\xe3[\x81-\xbf]"),
    0xEF: re.compile(b"\xef[\xa4-\xb7\xb9-\xbb]"),
}


def script_letters(text: str) -> collections.Counter[str]:
    """How many letters of each script `text` holds (none listed with none).

    Counted script by script, for the scripts whose first bytes its UTF-8 holds (each a test
    at `memchr`'s speed): one pattern of every script's runs, each its own group, tried up
    to 27 classes of thousands of characters at each character (230 ns a character, where a
    class of one script takes 20), and an article half in Arabic took ten times as long to
    read as one in English."""
    if text.isascii():
        candidates: Iterable[str] = ("Latin",)
    else:
        data = text.encode("utf-8", "surrogatepass")
        present = {lead for lead in range(0xC0, 0x100) if lead in data}  # a byte as a number
        for lead, letters in SHARED_LEADS.items():
            if lead in present and letters.search(data) is None:
                present.discard(lead)
        candidates = [s for s, leads in script_leads().items() if s == "Latin" or leads & present]
    counts: collections.Counter[str] = collections.Counter()
    for script in candidates:
        letters = sum(map(len, script_pattern(script).findall(text)))
        if letters:
            counts[script] = letters
    return counts


def detect_language(texts: Iterable[str]) -> str:
    """The language tag the letters of `texts` show (see the module's docstring), or "" for
    text in Latin script, or in no script over half its letters."""
    sample = ""
    for text in texts:
        sample += text[: SAMPLE_CHARS - len(sample)] + " "
        if len(sample) >= SAMPLE_CHARS:
            break
    if not may_hold_other_scripts(sample) or not_latin().search(sample) is None:
        return ""  # the common case, told at C speed: English with curly quotes, too
    counts = script_letters(sample)
    total = sum(counts.values())
    # Japanese writes Han and kana in one text, often as many of each: counted apart, neither
    # was over half the letters of an article with an English sentence in it.
    joined = counts.copy()
    if joined["Kana"]:
        joined["Han"] += joined.pop("Kana")
    script, letters = joined.most_common(1)[0]
    if script == "Latin" or letters * 2 <= total:
        return ""
    if script == "Han" and counts["Kana"] >= KANA_SHARE * letters:
        return "ja"
    for marks, language in MARKERS.get(script, ()):
        if sum(map(sample.count, marks)) > MARKER_SHARE * letters:
            return language
    if script == "Cyrillic" and "ы" not in sample and sample.count("ъ") > MARKER_SHARE * letters:
        return "bg"  # Bulgarian writes ъ as a vowel and has no ы
    return SCRIPTS[script][1]


def primary_subtag(language: str) -> str:
    """ "pt" of "pt-BR": the language itself, without its region or script."""
    return language.partition("-")[0].lower()


UNSPACED_LANGUAGES = frozenset({"zh", "ja"})  # written without spaces between words


def unspaced_words(texts: Iterable[str], language: str) -> int:
    """How many words the Han and kana of texts in Chinese or Japanese count for: one a
    character, as their word counts and reading speeds go (a story of 1,200 characters is
    a few minutes' read, not one word for each sentence). 0 for other languages."""
    if primary_subtag(language) not in UNSPACED_LANGUAGES:
        return 0
    counts = script_letters(" ".join(texts))
    return counts["Han"] + counts["Kana"]


@functools.lru_cache(maxsize=256)  # every page asks, for the site's few languages
def direction(language: str) -> str:
    """ "rtl" for a language written right to left, else "": by its script where the tag
    names one (`ar-Latn`, Arabic in Latin letters, is left to right; `az-Arab`, Azerbaijani
    in Arabic letters, right to left), else by the script CLDR's likely subtags give the
    language (through langcodes): a list of eleven languages left Sorani Kurdish (`ckb`),
    N'Ko, Kashmiri, Moroccan Arabic and thirty more left to right (the hostile helper)."""
    script = SCRIPT_SUBTAG.match(language)
    if script is not None:
        return "rtl" if script[1].title() in RTL_SCRIPTS else ""
    primary = primary_subtag(language)
    if primary in RTL_LANGUAGES:
        return "rtl"
    if primary in LTR_LANGUAGES:
        return ""
    import langcodes  # 40 ms, for a language of neither list only

    try:
        likely = langcodes.Language.get(language).maximize().script or ""
    except (langcodes.LanguageTagError, ValueError):
        return ""
    return "rtl" if likely in RTL_SCRIPTS else ""


# Languages whose direction is known without CLDR's tables (`direction`), which take 40 ms to
# import: the most written right to left, and the most written left to right.
RTL_LANGUAGES = frozenset({"ar", "arc", "dv", "fa", "he", "ps", "sd", "syr", "ug", "ur", "yi"})
LTR_LANGUAGES = frozenset(
    (
        "en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "no", "nb", "nn", "fi", "is", "pl",
        "cs", "sk", "sl", "hr", "bs", "sr", "hu", "ro", "bg", "ru", "uk", "be", "et", "lv", "lt",
        "el", "tr", "az", "uz", "kk", "ky", "tk", "tg", "mn", "ka", "hy", "sq", "mk", "mt", "ga",
        "cy", "eu", "ca", "gl", "id", "ms", "tl", "vi", "th", "lo", "km", "my", "zh", "ja", "ko",
        "hi", "bn", "pa", "gu", "mr", "ta", "te", "kn", "ml", "si", "ne", "sw", "am", "ha", "yo",
        "ig", "zu", "xh", "af", "so",
    )
)  # fmt: skip


# A language tag's script subtag (BCP 47): four letters after the language ("sr-Latn-RS").
SCRIPT_SUBTAG = re.compile(r"[A-Za-z]{2,3}-([A-Za-z]{4})(?![A-Za-z0-9])")
# ISO 15924 codes of scripts written right to left (Unicode's bidi class R or AL), the
# historic ones too: `arc`, Aramaic, is likely written in Imperial Aramaic (`Armi`).
RTL_SCRIPTS = frozenset(
    (
        "Adlm", "Arab", "Aran", "Armi", "Avst", "Chrs", "Cprt", "Elym", "Hatr", "Hebr", "Hung",
        "Khar", "Lydi", "Mand", "Mani", "Mend", "Merc", "Mero", "Narb", "Nbat", "Nkoo", "Orkh",
        "Ougr", "Palm", "Phli", "Phlp", "Phnx", "Prti", "Rohg", "Samr", "Sarb", "Sogd", "Sogo",
        "Syrc", "Syre", "Syrj", "Syrn", "Thaa", "Yezi",
    )
)  # fmt: skip


# The script each guessed language is written in: within an article in one, a paragraph that
# seems to be in another language of the same script (an Arabic report quoting a Persian name,
# Japanese without kana) is taken for the article's language.
LANGUAGE_SCRIPTS = {
    **{language: script for script, (_, language) in SCRIPTS.items() if language},
    **{language: script for script, marks in MARKERS.items() for _, language in marks},
    "bg": "Cyrillic",
    "ja": "Han",
}


LATIN_GUESS = "en"  # the language most written in Latin letters, as for every script above


def latin_language(site_language: str) -> str:
    """The language taken for an article in Latin letters on a site whose language is written
    in another script: on a site in Arabic, an English report took the site's `lang="ar"
    dir="rtl"`, so screen readers read it with an Arabic voice and its full stops stood at
    the wrong end. "" on a site in Latin letters, whose language such an article is taken to
    be (a front-matter `lang:` says otherwise), as on a site whose tag names Latin letters
    (`sr-Latn`, `az-Latn`) for a language written in another script too."""
    if primary_subtag(site_language) not in LANGUAGE_SCRIPTS:
        return ""
    return "" if "latn" in site_language.lower().split("-")[1:] else LATIN_GUESS


def paragraph_attributes(paragraphs: Sequence[str], language: str) -> list[str] | None:
    """The `lang` and `dir` attributes of each paragraph whose letters show another language
    than the article's (an Arabic quote in an English report), or None when none does."""
    found = [text_attributes(paragraph, language) for paragraph in paragraphs]
    return found if any(found) else None


def text_attributes(text: str, language: str) -> str:
    """The `lang` and `dir` attributes of a paragraph (or a list item, a table cell) of an
    article in `language`, where its letters show another language; else "". One without
    letters ("2026", "—") stays in the article's direction: set left to right, a number in
    an Arabic table stood apart from the cells around it.

    Latin letters in an article in another script's (an English quote in an Arabic or a
    Japanese report) are in the language `LATIN_TEXT` stands for, which the site's language
    tells (`latin_text_language`): without it, they took the article's language, and screen
    readers read them with an Arabic or a Japanese voice."""
    own = detect_language((text,))
    if own and own != language:
        script = LANGUAGE_SCRIPTS.get(primary_subtag(language), "")
        if LANGUAGE_SCRIPTS.get(own) != script:
            turned = direction(own) and starts_right_to_left(text) is not False
            return f' lang="{own}"' + (' dir="rtl"' if turned else "")
    elif not own and script_pattern("Latin").search(text):
        # set left to right, apart; but where it starts in the article's letters
        turned = direction(language) and starts_right_to_left(text) is not True
        rtl = ' dir="ltr"' if turned else ""
        return (LATIN_TEXT + rtl) if primary_subtag(language) in LANGUAGE_SCRIPTS else rtl
    return ""


def starts_right_to_left(text: str) -> bool | None:
    """Whether the first letter of `text` that has a direction is written right to left
    (None: none has), as `dir="auto"` reads it. A paragraph that opens in one direction
    reads in it: "Arabic version: قالت..." in an English report was set right to left as a
    whole, its label at the right and its colon on the wrong side."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return None


# Latin letters in an article in another script, as the reader marks them: "undetermined, in
# Latin letters" (BCP 47), for the renderer to name (`latin_text_language`). The reader knows
# no site, and keeps its bodies apart from the config.
LATIN_TEXT = ' lang="und-Latn"'


def latin_text_language(site_language: str) -> str:
    """The language of Latin letters within an article in another script: the site's own if
    written in them ("en", "fr", "sr-Latn"), else the one most written in them ("en", as
    `latin_language` says)."""
    return latin_language(site_language) or site_language
