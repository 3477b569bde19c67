"""The reader on the real article and on every kind of bad input a large corpus holds."""

from __future__ import annotations

import datetime as dt
import gc
import html
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import sitegen.read as read_module
from sitegen.read import (
    AS_NEWLINES,
    ASCII_OTHER_SPACES,
    BLANK_LINE,
    CONTROL,
    DATELINE,
    NOT_SENTENCE_ENDS,
    OTHER_SPACES,
    SUMMARY_CHARS,
    Body,
    OutOfTime,
    SkipFile,
    clean_blocks,
    clean_text,
    comments_removed,
    cpu_budget,
    decode,
    fenced_code_html,
    find_sources,
    front_text,
    is_article_name,
    may_hold_controls,
    pack_body,
    parse_article,
    read_article,
    read_file,
    render_body,
    summarize,
    unpack_body,
)
from tests.conftest import REAL_ARTICLE, article_text


def read(tmp_path: Path, name: str, content: str | bytes):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return read_article(path, tmp_path)


def test_real_article() -> None:
    result = read_article(REAL_ARTICLE, REAL_ARTICLE.parent)
    article, body = result.article, result.body
    assert result.problems == ()
    assert article is not None
    assert article.id == "3f50df4c612dd481"
    assert article.date == dt.date(2026, 2, 6)
    assert article.title == "Beijing Backs Cuba in US Showdown"
    assert article.byline == "Staff, Agencies"
    assert article.slug == "beijing-backs-cuba-in-us-showdown"
    assert len(body.paragraphs) == 10
    assert body.paragraphs[0].startswith("China has expressed support for Cuba’s sovereignty")
    assert body.paragraphs[-1].endswith("in a cordial White House meeting.")
    assert body.html.count("<p>") == 10
    assert 250 < article.words < 320
    assert article.reading_minutes == 2
    assert article.summary.endswith("…") and len(article.summary) <= 221
    assert not article.summary[:-1].endswith(" ")


WORDS = "and the talks went on " * 6  # 132 characters


def test_a_summary_cut_at_a_word_does_not_end_on_a_small_one() -> None:
    """ "…the talks opened a…" (the judge helper): the cut goes back past "a", "the", "of"."""
    first = "Talks " * 33 + "opened a breathtakingly new chapter"  # cut in "breathtakingly"
    assert summarize((first,)) == "Talks " * 33 + "opened…"
    assert (
        summarize(("Talks " * 33 + "opened the way to a",)) == "Talks " * 33 + "opened the way to a"
    )


def word_cut(text: str) -> str:
    """Cut at a word, and before the small words that end it ("…opened a…")."""
    words = text[:220].rsplit(" ", 1)[0].split(" ")
    while words[-1].casefold() in ("and", "the", "on", "with", "a", "of"):
        words.pop()
    return " ".join(words) + "…"


@pytest.mark.parametrize(
    ("first", "summary"),
    [
        (f"Ships left. {WORDS}until dawn. More {WORDS}.", f"Ships left. {WORDS}until dawn."),
        (f"Ships left “{WORDS}at dawn?” he asked. {WORDS}", f"Ships left “{WORDS}at dawn?” he asked."),
        (f"Ships left. {WORDS}with Mr. Li and {WORDS}", word_cut(f"Ships left. {WORDS}with Mr. Li and {WORDS}")),
        (f"Ships left. {WORDS}with the U.S. and {WORDS}", word_cut(f"Ships left. {WORDS}with the U.S. and {WORDS}")),
        (f"Ships left. {WORDS}with Donald J. Trump {WORDS}", word_cut(f"Ships left. {WORDS}with Donald J. Trump {WORDS}")),
        (f"Ships {WORDS}{WORDS}", word_cut(f"Ships {WORDS}{WORDS}")),
        (f"{'x' * 214} Mr. Li went", f"{'x' * 214} Mr…"),  # a word cut after a stop: no ".…"
    ],
    ids=["sentence", "quotation", "mr", "us", "initial", "words", "no-stop-before-dots"],
)  # fmt: skip
def test_a_long_first_paragraph_is_cut_after_a_sentence_or_a_word(first, summary) -> None:
    """Lists showed "…vote new on new as.…": a summary ends after the last sentence that
    fits, when that is over half of it, or at a word with "…", never after a full stop."""
    assert summarize((first,)) == summary
    assert len(summary) <= 221


@pytest.mark.parametrize(
    ("first", "summary"),
    [
        ("VIENNA (Reuters) -Iran and the agency agreed.", "Iran and the agency agreed."),
        ("BEIJING, Feb 6 (Reuters) - China said so.", "China said so."),
        ("VIENNA — The head of the agency spoke.", "The head of the agency spoke."),
        ("NATO-Russia talks went on.", "NATO-Russia talks went on."),
        ("NATO - the alliance said.", "NATO - the alliance said."),
        ("SÃO PAULO (Reuters) - Brazil's real fell.", "Brazil's real fell."),
        ("BOGOTÁ, Colombia (AP) — Voters went out.", "Voters went out."),
        ("ISLAMABAD/KABUL (Reuters) - Pakistan agreed.", "Pakistan agreed."),
        (
            "STOCKHOLM (AP) - climate minister Sofia Andersson spoke.",
            "Climate minister Sofia Andersson spoke.",
        ),
        ("OSLO (NTB) - 2,000 marched.", "2,000 marched."),
        ("NEW DELHI - health minister Aisha Bello spoke.", "Health minister Aisha Bello spoke."),
        ("LA PAZ — Bolivian President Luis Arce spoke.", "Bolivian President Luis Arce spoke."),
        ("UN - The body met.", "UN - The body met."),
        # TASS and Prensa Latina: the agency's mark and no dash (the judge helper)
        ("WASHINGTON, September 22. /TASS/. Leaders met.", "Leaders met."),
        ("Havana, Dec 15 (Prensa Latina) The festival opened.", "The festival opened."),
        ("Rio de Janeiro, Nov 3 (Prensa Latina) Leaders met.", "Leaders met."),
        ("Trump, Dec 15 (at home) said no.", "Trump, Dec 15 (at home) said no."),
    ],
)
def test_a_summary_leaves_out_the_wire_dateline(first: str, summary: str) -> None:
    """Lists and meta descriptions began "VIENNA (Reuters) -Iran and…"; the page keeps it."""
    assert summarize((first,)) == summary


# How summaries were cut before `SENTENCE_STOP`: a match tried at every letter of every word.
SENTENCE_END = re.compile(r"\w[\w)]*([.!?][\"”’)]*) ")


def summarize_by_words(first: str) -> str:
    head = first[: SUMMARY_CHARS + 1]
    for end in reversed(list(SENTENCE_END.finditer(head, SUMMARY_CHARS // 2))):
        if not head.endswith(NOT_SENTENCE_ENDS, 0, end.start(1)):
            return head[: end.end(1)]
    return first[:SUMMARY_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:.!?-–—") + "…"


SUMMARY_PARTS = st.sampled_from(
    [
        *("said", "U.S.", "Mr", "Dr", "J", "No", "vs", "a.m.", "(2026)", "x)", "))", "_", "2,5"),
        *("é", "Ж", "٣", "²", "ǅ", "東京", "…", "...", ".", "!", "?", "?!", "”", "’", '"', ")"),
        *(" ", " ", " ", "\u00a0", "-", "—", ",", "(", "“"),
    ]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(SUMMARY_PARTS, min_size=30, max_size=150).map("".join))
def test_summaries_end_where_the_pattern_of_words_ended_them(first: str) -> None:
    """`SENTENCE_STOP` and `ends_word` find the ends `SENTENCE_END` found, and no other."""
    if len(first) > SUMMARY_CHARS and not DATELINE.match(first):
        assert summarize((first,)) == summarize_by_words(first)


def test_a_footnote_number_is_no_part_of_the_text(tmp_path: Path) -> None:
    text = "---\ntitle: T\ndate: 2026-01-02\n---\nThe note.[^1] Another.\n\n[^1]: Said.\n"
    result = read(tmp_path, "a.md", text)
    assert result.body.paragraphs[0] == "The note. Another."
    assert result.article.summary == "The note. Another."
    backlink = 'title="Jump back to footnote 1 in the text" aria-label="Jump back to footnote 1'
    assert backlink in result.body.html  # "↩" alone names nothing to a screen reader


def test_a_footnote_referred_to_twice_has_two_ways_back_named_apart(tmp_path: Path) -> None:
    """Two "↩" of one name, to two marks, were one link twice to a screen reader (axe's
    identical-links-same-purpose); the second names its mark's number."""
    text = "---\ntitle: T\ndate: 2026-01-02\n---\nOne.[^a] Two.[^a]\n\n[^a]: Said.\n"
    html = read(tmp_path, "a.md", text).body.html
    first, second = "Jump back to footnote 1 in the text", "Jump back to footnote 1 in the text (2)"
    assert f'<a href="#fnref:a" title="{first}" aria-label="{first}">↩</a>' in html, html
    assert f'<a href="#fnref2:a" title="{second}" aria-label="{second}">↩</a>' in html, html


@pytest.mark.parametrize(
    "transform",
    [
        lambda b: b.replace(b"\n", b"\r\n"),
        lambda b: b"\xef\xbb\xbf" + b,
        lambda b: b + b"\n",
        lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n") + b"\r\n",
        lambda b: b.lstrip(b" "),
        lambda b: b"\xef\xbb\xbf" * 2 + b,
        lambda b: "\u200b".encode() + b,
        lambda b: b.replace(b"2026-02-06 ", "2026-02-06\u00a0".encode(), 1),
    ],
    ids=[
        "crlf",
        "bom",
        "final-newline",
        "all-three",
        "no-leading-space",
        "two-boms",
        "zero-width-space-first",
        "no-break-space-before-title",
    ],
)
def test_line_endings_bom_and_final_newline_read_the_same(tmp_path: Path, transform) -> None:
    original = read_article(REAL_ARTICLE, REAL_ARTICLE.parent)
    variant = read(tmp_path, "000_3f50df4c612dd481.txt", transform(REAL_ARTICLE.read_bytes()))
    assert variant.problems == ()
    assert variant.article.digest != original.article.digest  # the bytes differ...
    assert replace(variant.article, digest="") == replace(
        original.article, digest=""
    )  # ...not the article
    assert variant.body == original.body


def test_missing_byline(tmp_path: Path) -> None:
    result = read(tmp_path, "a.txt", article_text("2026-01-02", "T", "Body.", byline=None))
    article, body = result.article, result.body
    assert article.byline == ""
    assert body.paragraphs == ("Body.",)
    # A line of names alone is a byline only in the corpus's format, not in Markdown's text
    markdown = "---\ntitle: T\ndate: 2026-01-02\n---\nKey Points\n\nBody.\n"
    assert read(tmp_path, "b.md", markdown).article.byline == ""
    alone = read(tmp_path, "c.txt", " date 2026-01-02 T\n\nPrensa Latina")
    assert alone.article.byline == "" and alone.body.paragraphs == ("Prensa Latina",)


@pytest.mark.parametrize("blank", [" ", "\t", "\u00a0", "\u3000", " \r"], ids=repr)
def test_blank_lines_holding_spaces_part_the_byline_and_paragraphs(tmp_path: Path, blank) -> None:
    """A blank line with spaces left on it (or a no-break space) is blank: the byline was read
    as the first paragraph, and with a no-break space all the text was one paragraph."""
    text = f" date 2026-01-02 T\n{blank}\nBy Jane Doe\n{blank}\nFirst.\n{blank}\nSecond."
    result = read(tmp_path, "a.txt", text.encode())
    assert (result.article.byline, result.body.paragraphs) == ("Jane Doe", ("First.", "Second."))
    nobody = read(tmp_path, "b.txt", f" date 2026-01-02 T\n{blank}\n{blank}\nBy\n\nText.")
    assert [(p.line, p.message[:27]) for p in nobody.problems] == [
        (4, "a byline line naming nobody")
    ]


def test_id_from_file_name_or_path_hash(tmp_path: Path) -> None:
    text = article_text("2026-01-02", "T")
    assert read(tmp_path, "007_0123456789abcdef.txt", text).article.id == "0123456789abcdef"
    other = read(tmp_path, "notes/story.txt", text).article.id
    assert len(other) == 16 and other == read(tmp_path, "notes/story.txt", text).article.id
    assert other != read(tmp_path, "notes/story2.txt", text).article.id


def problem_of(result) -> str:
    assert result.article is None, "the file should have been skipped"
    assert len(result.problems) == 1
    return str(result.problems[0])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Just some text\n\nwith no date line.", "a.txt:1: no date line"),
        (" date 2026-02-30 Impossible", "a.txt:1: impossible date 2026-02-30; skipped"),
        (" date 06/02/2026 Wrong format", "a.txt:1: '06/02/2026' is not a date in YYYY-MM-DD form"),
        ("", "a.txt: empty file; skipped"),
        ("\n  \r\n\n", "a.txt: empty file; skipped"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.txt: binary file, not text; skipped"),
        ("---\ntitle: [unclosed\n---\n date 2026-01-01 T", "a.txt:2: invalid front matter YAML"),
        ("---\ntitle: x\n date 2026-01-01 T\n", "a.txt:1: front matter opened with '---'"),
        ("---\ndraft: maybe\n---\n date 2026-01-01 T", "front matter 'draft' must be true or false"),
        ("---\n- a list\n---\n date 2026-01-01 T", "front matter must be a mapping"),
        ("---\ntitle: T\n---\n\nno date here", "a.txt:5: no date: its front matter has no"),
        ("---\ndate: 2026-02-30\n---\n date 2026-01-01 T", "a.txt:2: invalid front matter YAML: "
         "bad value: day is out of range for month"),
        ("---\nx: 1\ndate: 2026-02-06T25:00:00\n---\n date 2026-01-01 T",
         "a.txt:3: invalid front matter YAML: bad value: hour must be in 0..23"),
        ("---\nx: 1\ndate: 2026-01-23T10:00:00+99:00\n---\n date 2026-01-01 T",
         "a.txt:3: invalid front matter YAML: bad value: a time zone offset of 24 hours or more;"),
        ("---\ndate: " + "9" * 5000 + "\n---\n date 2026-01-01 T",
         "a.txt:2: '99999999"),
        ("---\ndraft: true\ntitle: T\ndraft: false\n---\n date 2026-01-01 T",
         "a.txt:4: invalid front matter YAML: 'draft' is given twice"),
        ("---\ntitle: !!set {alpha, beta, gamma}\n---\n date 2026-01-01 T",
         "a.txt:2: front matter 'title' must be text"),
        ("---\ntitle: T\nslug: !!binary aGVsbG8=\n---\n date 2026-01-01 T",
         "a.txt:3: front matter 'slug' must be text"),
        ("---\ntitle: T\ntags : {a: b}\n---\n date 2026-01-01 T",
         "a.txt:3: front matter 'tags' must be a list of names"),
        # TOML's dotted keys and tables named no line (the hostile helper)
        ('+++\ndate = 2026-01-01\ntitle.x = 1\n+++\nText.', "a.txt:3: front matter 'title' must be text"),
        ('+++\ndate = 2026-01-01\n[[tags]]\nname = "x"\n+++\nText.',
         "a.txt:3: front matter 'tags' must be a list of names"),
        ("---\ntitle: !!timestamp abc\n---\n date 2026-01-01 T",
         "a.txt:2: invalid front matter YAML: bad value: not a value of its type (timestamp)"),
        ("---\ntitle: T\ndraft: !!bool abc\n---\n date 2026-01-01 T",
         "a.txt:3: front matter 'draft' must be true or false"),
        ("---\ntitle: !!set [a]\n---\n date 2026-01-01 T",
         "a.txt:2: invalid front matter YAML: expected a mapping, but found a sequence"),
        (" date 2026-02-06T99:99 Bad time", "a.txt:1: '2026-02-06T99:99' is not a date"),
        (" date ٢٠٢٦-٠٢-٠٦ Other digits", "a.txt:1: '٢٠٢٦-٠٢-٠٦' is not a date"),
        # libyaml reads 600 levels (then: not a list of names), PyYAML's own loader recurses
        ("---\ntags: " + "[" * 600 + "]" * 600 + "\n---\n date 2026-01-01 T", "a.txt:2: front matter"),
        ("---\ntags: " + "[" * 5000 + "]" * 5000 + "\n---\n date 2026-01-01 T",
         "invalid front matter YAML"),
        ("---\nx: !!python/object/apply:os.system [echo]\n---\n date 2026-01-01 T",
         "a.txt:2: invalid front matter YAML: could not determine a constructor"),
    ],
    ids=[
        "no-date", "impossible-date", "bad-format", "empty", "blank", "binary",
        "yaml-syntax", "unclosed-front-matter", "bad-draft", "not-a-mapping", "date-line-after-fm",
        "yaml-impossible-date", "yaml-impossible-time", "yaml-impossible-offset", "yaml-huge-date", "yaml-duplicate-key",
        "yaml-set", "yaml-binary", "tags-not-a-list", "toml-dotted-key", "toml-table",
        "yaml-bad-timestamp", "yaml-bad-bool",
        "yaml-set-of-a-list", "impossible-time", "other-digits", "yaml-nested-600", "yaml-nested-5000", "yaml-python-tag",
    ],
)  # fmt: skip
def test_bad_files_are_skipped_with_a_located_message(tmp_path, content, expected) -> None:
    assert expected in problem_of(read(tmp_path, "a.txt", content))


def test_a_front_matter_key_with_nothing_after_it_is_not_given(tmp_path: Path) -> None:
    """Archetypes leave `tags:` or `summary:` empty (YAML's null): each skipped its article as
    "must be a list of names" or "must be text" (the hostile helper)."""
    keys = ("tags", "categories", "summary", "description", "slug", "draft", "lang", "title")
    front = "".join(f"{key}:\n" for key in keys)
    result = read(tmp_path, "a.md", f"---\n{front}date:\n---\n date 2026-01-02 Given\n\nText.")
    article = result.article
    assert (article.title, article.date, article.tags, article.draft) == (
        "Given",
        dt.date(2026, 1, 2),
        (),
        False,
    )
    assert (article.slug, article.summary, article.lang, result.problems) == (
        "given",
        "Text.",
        "",
        (),
    )


def test_a_title_of_zero_width_characters_is_an_empty_title(tmp_path: Path) -> None:
    """Lists would link it with no visible text."""
    result = read(tmp_path, "a.txt", " date 2026-01-02 \u200b\u200b\u2060\n\nBy X\n\nThe text.")
    assert result.article.title == "The text." and "a.txt:1: empty title" in str(result.problems[0])


@pytest.mark.parametrize(
    "blank", ["\u3164", "\u2800", "\u0301\u0301", "\xad\u034f\u180e"], ids=ascii
)
def test_text_drawn_blank_is_no_title_byline_tag_or_summary(tmp_path: Path, blank: str) -> None:
    """Hangul's filler and the blank Braille pattern are letters or symbols to Unicode, and
    marks alone go on nothing: each was an invisible link, an empty byline or tag page."""
    text = f" date 2026-01-02 {blank}\n\nBy {blank}\n\nThe text."
    result = read(tmp_path, "a.txt", text)
    assert (result.article.title, result.article.byline) == ("The text.", "")
    assert [p.line for p in result.problems] == [3, 1]  # the byline's line, then the title's
    escaped = blank.encode("unicode_escape").decode()
    front = f'---\ntitle: T\ndate: 2026-01-02\ntags: ["{escaped}", Cuba]\nsummary: "{escaped}"\n---\nText.'
    matter = read(tmp_path, "b.md", front)
    assert (matter.article.tags, matter.article.summary) == (("Cuba",), "Text.")
    assert len(matter.problems) == 2


def test_bidi_controls_left_open_in_a_title_are_closed_at_its_end(tmp_path: Path) -> None:
    """An override (U+202E) left open would reverse the site's name after the title in the
    browser's tab, and the date beside it in lists."""
    result = read(tmp_path, "a.txt", " date 2026-01-02 Safe \u202eevil\n\nBy X\n\nText.")
    assert result.article.title == "Safe \u202eevil\u202c"
    assert "a.txt:1: title leaves 1 bidirectional text control(s) open" in str(result.problems[0])
    nested = " date 2026-01-02 \u2067a\u202bb \u2069c\u202dd\n\nBy \u202eX\n\nText."
    result = read(tmp_path, "b.txt", nested)
    assert result.article.title == "\u2067a\u202bb \u2069c\u202dd\u202c"  # the isolate closed b
    assert result.article.byline == "\u202eX\u202c" and len(result.problems) == 2
    closed = read(
        tmp_path, "c.txt", " date 2026-01-02 \u202eok\u202c \u2068x\u2069\n\nBy X\n\nText."
    )
    assert closed.article.title == "\u202eok\u202c \u2068x\u2069" and not closed.problems


def test_empty_title_warns_and_uses_the_text(tmp_path: Path) -> None:
    result = read(tmp_path, "a.txt", " date 2026-01-02\n\nBy X\n\nThe quick brown fox jumps.")
    assert result.article.title == "The quick brown fox jumps."
    assert "a.txt:1: empty title" in str(result.problems[0])
    assert result.article.slug == "the-quick-brown-fox-jumps"
    # A paragraph that shows nothing is passed over (it had made an invisible title)
    hidden = read(tmp_path, "b.txt", " date 2026-01-02 \u200b\n\n\u200b\u200b\n\nReal \u200b text.")
    assert hidden.article.title == "Real text."
    blank = read(tmp_path, "c.txt", " date 2026-01-02 \u200b\n\n\u200b\u200b\n\n\u2063")
    assert blank.article.title == "Untitled"


def test_windows_1252_file_is_decoded_with_a_warning(tmp_path: Path) -> None:
    data = " date 2026-01-02 Café “quoted”\n\nBy X\n\nNaïve text.".encode("cp1252")
    result = read(tmp_path, "a.txt", data)
    assert result.article.title == "Café “quoted”"
    assert result.body.paragraphs == ("Naïve text.",)
    assert "a.txt:1: not valid UTF-8; read as Windows-1252" in str(result.problems[0])


def test_utf16_file_with_bom_is_read(tmp_path: Path) -> None:
    result = read(tmp_path, "a.txt", article_text("2026-01-02", "Über").encode("utf-16"))
    assert result.problems == () and result.article.title == "Über"


def test_front_matter_escapes_cannot_put_control_characters_into_values(tmp_path: Path) -> None:
    """YAML's escapes reach what the file's bytes cannot: NUL, ESC, DEL, a lone surrogate.
    None of it may reach a page, a feed or a terminal."""
    front = '---\ntitle: "a\\0b\\x1b[31m red \\x7f"\nbyline: "Jane\\x07"\ntags: ["\\x1bX", "\\x00"]\n---\n'
    result = read(tmp_path, "a.txt", front + article_text("2026-01-02", "T"))
    article = result.article
    assert (article.title, article.byline, article.tags) == ("ab[31m red", "Jane", ("X",))
    assert front_text("\ud800 x\x9b\ufffe") == "x"  # PyYAML's pure-Python loader lets "\uD800" in
    # Noncharacters of any plane, which HTML forbids: "\uFDD0" and "\U0001FFFF" reached
    # titles, feeds and the tag index (the hostile helper).
    front = '---\ntitle: "Y \\uFDD0 \\U0001FFFF z"\ntags: ["x\\uFDD0y"]\n---\n'
    article = read(tmp_path, "n.txt", front + article_text("2026-01-02", "T")).article
    assert (article.title, article.tags) == ("Y z", ("xy",))
    toml = '+++\ntitle = "T \\uFDD1 \\U0010FFFF q"\n+++\n'
    assert read(tmp_path, "t.txt", toml + article_text("2026-01-02", "T")).article.title == "T q"


def test_line_breaks_in_front_matter_values_are_spaces(tmp_path: Path) -> None:
    """YAML's "\\N" (NEL, U+0085), "\\v" and "\\f" are line breaks, as "\\n" and "\\L" are:
    each joins two words with a space, as the others did, where it was removed ("Cubatalks")."""
    front = (
        '---\ntitle: "Cuba\\Ntalks \\x85end\\u0085"\nbyline: "Jane\\vDoe"\n'
        'summary: "One\\fTwo \\L Three"\ntags: ["Latin\\NAmerica"]\n---\n'
    )
    result = read(tmp_path, "a.txt", front + article_text("2026-01-02", "T"))
    article = result.article
    assert article.title == "Cuba talks end" and article.byline == "Jane Doe"
    assert article.summary == "One Two Three" and article.tags == ("Latin America",)
    assert not result.problems


def test_a_date_of_nested_aliases_is_refused_without_expanding_them(tmp_path: Path) -> None:
    """Nine levels of nine aliases: 478 bytes that would be 387 million strings as text."""
    levels = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 9)]
    front = "---\n" + "\n".join(levels) + "\ndate: *l8\n---\n"
    result = read(tmp_path, "a.txt", front + article_text("2026-01-02", "T"))
    assert result.article is None
    assert "front matter 'date' must be a date in YYYY-MM-DD form" in str(result.problems[-1])


@pytest.mark.parametrize(
    ("first_lines", "date", "title", "warning"),
    [
        ("\n \n\t\n date 2026-02-06 Blank lines first", "2026-02-06", "Blank lines first", ""),
        (" date 2026-2-6 Short date", "2026-02-06", "Short date",
         "a.txt:1: date '2026-2-6' read as 2026-02-06 (write dates as YYYY-MM-DD)"),
        (" date 2026/02/06 Slashes", "2026-02-06", "Slashes", "read as 2026-02-06"),
        (" date 2026-02-06T10:00:00Z With a time", "2026-02-06", "With a time", "read as"),
        (" date 2026-02-06 Tabs\tand  spaces ", "2026-02-06", "Tabs and spaces", ""),
    ],
)  # fmt: skip
def test_unambiguous_variants_of_the_date_line_are_read(
    tmp_path: Path, first_lines: str, date: str, title: str, warning: str
) -> None:
    result = read(tmp_path, "a.txt", first_lines + "\n\nBy Staff\n\nBody.")
    assert (str(result.article.date), result.article.title) == (date, title)
    assert result.article.byline == "Staff"
    said = [str(p).removeprefix(f"{tmp_path}/") for p in result.problems]
    if warning:
        assert len(said) == 1 and warning in said[0], said
    else:
        assert said == []


def test_a_front_matter_key_too_long_to_write_is_an_unknown_key(tmp_path: Path) -> None:
    """YAML keys may be numbers, kept as written; a long one is cut short in the warning."""
    front = "---\n? 0x" + "f" * 4_000 + "\n: 1\n---\n"
    result = read(tmp_path, "a.txt", front + article_text("2026-01-02", "T"))
    assert result.article is not None
    assert "unknown front matter key '0xfff" in str(result.problems[0])
    assert len(str(result.problems[0])) < 200


def test_damaged_utf16_is_read_with_a_warning(tmp_path: Path) -> None:
    """An odd number of bytes after a UTF-16 BOM (a file cut short) is a warning, not a crash."""
    data = article_text("2026-01-02", "Über").encode("utf-16") + b"\x00"
    result = read(tmp_path, "a.txt", data)
    assert result.article.title == "Über"
    assert "a.txt: damaged UTF-16 at byte" in str(result.problems[0])


def test_html_in_title_and_body_is_text(tmp_path: Path) -> None:
    text = article_text("2026-01-02", "<script>alert(1)</script>", "<b>bold</b> & <img src=x>")
    result = read(tmp_path, "a.txt", text)
    article, body = result.article, result.body
    assert article.title == "<script>alert(1)</script>"
    assert body.html == "<p>&lt;b&gt;bold&lt;/b&gt; &amp; &lt;img src=x&gt;</p>"


def test_markdown_in_txt_is_not_interpreted(tmp_path: Path) -> None:
    body = read(tmp_path, "a.txt", article_text("2026-01-02", "T", "# Not a heading *x*")).body
    assert body.html == "<p># Not a heading *x*</p>"


def test_markdown_file_is_rendered_and_sanitised(tmp_path: Path) -> None:
    text = (
        "---\ntitle: A *Markdown* story\ndate: 2026-03-04\nauthor: Ann Lee\ntags: [One, Two]\n---\n"
        "Some *emphasis* and a [link](https://example.org/).\n\n"
        "<script>alert(1)</script>\n\n[bad](javascript:alert(1))\n"
    )
    result = read(tmp_path, "story.md", text)
    article, body = result.article, result.body
    assert result.problems == ()
    assert article.title == "A *Markdown* story"
    assert article.byline == "Ann Lee" and article.tags == ("One", "Two")
    assert "<em>emphasis</em>" in body.html
    assert 'href="https://example.org/"' in body.html
    assert "<script>" not in body.html and "&lt;script&gt;" in body.html
    assert "javascript:" not in body.html
    assert body.paragraphs[0] == "Some emphasis and a link."


def test_front_matter_overrides_the_header(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Corrected\ndate: 2026-05-06\nbyline: Jo\nslug: Custom Slug!\n"
        "summary: Short.\ntags: a, b\ndraft: true\n---\n" + article_text("2026-01-02", "Old")
    )
    article = read(tmp_path, "a.txt", text).article
    assert (article.title, article.date, article.byline) == ("Corrected", dt.date(2026, 5, 6), "Jo")
    assert (article.slug, article.summary, article.tags, article.draft) == (
        "custom-slug", "Short.", ("a", "b"), True
    )  # fmt: skip


def test_unknown_front_matter_key_warns_with_suggestion(tmp_path: Path) -> None:
    result = read(tmp_path, "a.txt", "---\ntitel: X\n---\n" + article_text("2026-01-02", "T"))
    assert result.article is not None
    assert "unknown front matter key 'titel' (did you mean 'title'?)" in str(result.problems[0])


def test_an_unknown_key_written_quoted_or_as_null_is_named_with_its_line(tmp_path: Path) -> None:
    """A key with an escape (`"\\e[31m"`) or YAML's null named no line, and null was 'None'
    (the hostile helper)."""
    front = '---\ntitle: T\nnull: 1\n"\\e[31mred": 2\n~: 3\n---\n'
    result = read(tmp_path, "a.md", front + "Body.")
    said = [str(p).removeprefix(f"{tmp_path}/") for p in result.problems]
    assert said[:2] == [
        "a.md:3: unknown front matter key 'null'; ignored",
        "a.md:4: unknown front matter key '\\x1b[31mred'; ignored",
    ], said


def test_a_loose_front_matter_date_is_read_with_a_warning_and_keys_of_two_types_are_two(
    tmp_path: Path,
) -> None:
    front = "---\nx: 1\ndate: 2026/2/6\n1: a\n'1': b\n---\n"
    result = read(tmp_path, "a.txt", front + " date 2026-01-01 T\n\nBody.")
    assert str(result.article.date) == "2026-02-06"
    said = [str(p).removeprefix(f"{tmp_path}/") for p in result.problems]
    assert "a.txt:3: date '2026/2/6' read as 2026-02-06 (write dates as YYYY-MM-DD)" in said
    assert not any("given twice" in line for line in said)


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("a.txt", " date 0001-01-01 No date\n\nBody.", 1),
        ("b.md", "---\ntitle: T\ndate: 0999-12-31\n---\nBody.", 3),
    ],
)
def test_a_date_before_the_year_1000_is_published_with_a_warning(
    tmp_path: Path, name, text, line
) -> None:
    """0001-01-01, many programs' "no date", was published in silence with archive pages for
    the year 1 (the judge rehearsal). The year 1000 and after, as an archive holds, is not."""
    result = read(tmp_path, name, text)
    assert result.article is not None
    day = str(result.article.date)
    said = [str(p).removeprefix(f"{tmp_path}/") for p in result.problems]
    assert said == [f"{name}:{line}: dated {day}, before the year 1000: a placeholder or typo?"]
    assert not read(tmp_path, name, text.replace(day[:4], "1000")).problems


def test_unknown_front_matter_keys_past_a_few_are_counted_in_one_warning(tmp_path: Path) -> None:
    front = "---\n" + "".join(f"key{n}: {n}\n" for n in range(10_000)) + "---\n"
    result = read(tmp_path, "a.txt", front + article_text("2026-01-02", "T"))
    assert result.article is not None
    said = [str(p).removeprefix(f"{tmp_path}/") for p in result.problems]
    assert said[:2] == [
        "a.txt:2: unknown front matter key 'key0'; ignored",
        "a.txt:3: unknown front matter key 'key1'; ignored",
    ]
    assert said[5:] == ["a.txt: 9995 more unknown front matter keys; ignored"]


def test_front_matter_tags_are_shortened_closed_and_never_invisible(tmp_path: Path) -> None:
    """Each tag is a page title, a link on every list showing the article, and a feed."""
    long = " ".join(["Word"] * 100)
    tags = f'["\\u202eevil tag", "\\u200b", "{long}", "Cuba"]'
    result = read(tmp_path, "a.txt", f"---\ntags: {tags}\n---\n" + article_text("2026-01-02", "T"))
    assert result.article.tags == ("\u202eevil tag\u202c", " ".join(["Word"] * 19) + "…", "Cuba")
    said = " | ".join(str(p) for p in result.problems)
    assert "a front matter tag shows nothing ('\\u200b'); left out" in said
    assert "tag leaves 1 bidirectional text control(s) open" in said
    assert "tag of 499 characters" in said


def test_a_blank_front_matter_tag_is_left_out_with_a_warning(tmp_path: Path) -> None:
    """A stray "-" in a list of tags is a null: it skipped the whole article ("must be a list
    of names"), and an empty name ('') went without a word. A comma at the end of a line of
    tags is no mistake, and no warning."""
    front = "---\ntags:\n  - Cuba\n  -\n  - ''\n  - '  '\n---\n"
    result = read(tmp_path, "a.txt", front + article_text("2026-01-02", "T"))
    assert result.article is not None and result.article.tags == ("Cuba",)
    assert [p.message for p in result.problems] == [
        "an empty front matter tag (a blank item of the list); left out"
    ]
    result = read(
        tmp_path, "b.txt", "---\ntags: Cuba, Trade,\n---\n" + article_text("2026-01-02", "T")
    )
    assert result.article is not None and result.article.tags == ("Cuba", "Trade")
    assert not result.problems


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("../../etc", "etc"),
        ("../../../", "0123456789abcdef"),
        ("!!!", "0123456789abcdef"),
        ("北京 Čeština", "bei-jing-cestina"),
        ("Ünïcödé — “quotes”", "unicode-quotes"),
        # An apostrophe in a word goes, straight as curly ("kiev-s-crimes", "powells": the
        # judge rehearsal)
        ("Kiev's crimes, Powell’s 'remarks'", "kievs-crimes-powells-remarks"),
        # Cut after the last whole word that fits in 80 characters, none skipped for a later
        # one that fits; a first word of over 80, cut.
        (
            "Bundestag verabschiedet Rindfleischetikettierungsüberwachungsaufgabenübertragungs"
            "gesetz nach langer Debatte",
            "bundestag-verabschiedet",
        ),
        (
            "Kfz-Haftpflichtversicherungsbeitrag " * 3,
            "kfz-haftpflichtversicherungsbeitrag-kfz-haftpflichtversicherungsbeitrag-kfz",
        ),
        (
            "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnungsänderung" * 2,
            "grundstucksverkehrsgenehmigungszustandigkeitsubertragungsverordnungsanderunggrun",
        ),
    ],
)
def test_slugs_are_safe_and_never_empty(tmp_path: Path, title: str, slug: str) -> None:
    article = read(tmp_path, "1_0123456789abcdef.txt", article_text("2026-01-02", title)).article
    assert article.slug == slug


@pytest.mark.parametrize("given", ['"\\u200b"', '"../.."', '"!!!"'])
def test_a_front_matter_slug_that_makes_no_address_is_the_titles(tmp_path: Path, given) -> None:
    """It made the id the address, and as a slug of its own won every URL clash."""
    text = f"---\nslug: {given}\n---\n" + article_text("2026-01-02", "Harbour news")
    result = read(tmp_path, "1_0123456789abcdef.txt", text)
    assert (result.article.slug, result.article.slug_given) == ("harbour-news", False)
    assert any("makes no address; the title's is used" in str(p) for p in result.problems)


def test_find_sources_ignores_editor_litter_and_warns_of_symlinks_it_does_not_follow(
    tmp_path: Path,
) -> None:
    root = tmp_path / "articles"
    for name in [
        "a.txt",
        "b.md",
        "a.txt~",
        ".a.txt.swp",
        ".hidden.txt",
        "#a.txt#",
        "~$a.txt",
        "#MeToo.txt",
        "~draft.txt",
        "#world/f.txt",
        "c.jpg",
        "sub/d.txt",
    ]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    os.symlink(root / "a.txt", root / "inside.txt")  # a.txt twice: a second URL, "-2"
    (root / ".store").mkdir()
    (root / ".store/e.txt").write_text("x")
    os.symlink(root / ".store/e.txt", root / "kept.txt")  # a file not listed itself
    os.symlink(tmp_path, root / "outside-folder")  # would reach secret.txt, and loop
    os.symlink(root / "sub", root / "inside-folder")
    (tmp_path / "images").mkdir()
    (tmp_path / "images/map.png").write_bytes(b"png")
    os.symlink(tmp_path / "images", root / "images")  # no articles in it: nothing to say
    os.symlink(root / "gone.txt", root / "broken.txt")
    found, problems = find_sources(root)
    assert [f.rel for f in found] == [
        "#MeToo.txt",
        "#world/f.txt",
        "a.txt",
        "b.md",
        "kept.txt",
        "sub/d.txt",
        "~draft.txt",
    ]
    assert all(f.path == root / f.rel and f.stat[1] == 1 for f in found)
    said = sorted(str(p).removeprefix(f"{root}/") for p in problems)
    assert said == [
        "broken.txt: symlink to nothing readable (broken, or a folder); skipped",
        "inside-folder: symlinked folder of articles; not followed (link the files instead)",
        "inside.txt: symlink to a.txt, an article here already; skipped",
        "link.txt: symlink points outside the source folder; not followed",
        "outside-folder: symlinked folder of articles; not followed (link the files instead)",
    ]


def test_a_symlinked_folder_warns_when_articles_sit_anywhere_below_it(tmp_path: Path) -> None:
    """Its articles are not published: they were left out silently when it held only
    folders. One without articles, or whose links loop, says nothing, as a real one would."""
    root, elsewhere = tmp_path / "articles", tmp_path / "elsewhere"
    for name in ["deep/sub/a.txt", "images/x/map.png", "hidden/.store/b.txt", "looping/x.png"]:
        (elsewhere / name).parent.mkdir(parents=True, exist_ok=True)
        (elsewhere / name).write_text("x")
    (elsewhere / "nested").mkdir()
    os.symlink(elsewhere / "deep", elsewhere / "nested" / "to-deep")  # articles via a link
    os.symlink(".", elsewhere / "looping" / "self")
    os.symlink("..", elsewhere / "looping" / "up")  # reaches deep/: articles
    os.symlink(".", elsewhere / "images" / "x" / "self")  # a loop, no articles
    root.mkdir()
    for name in ["deep", "images", "hidden", "nested"]:
        os.symlink(elsewhere / name, root / name)
    os.symlink(elsewhere / "looping", root / "looping")
    found, problems = find_sources(root)
    assert found == []
    said = sorted(str(p).removeprefix(f"{root}/") for p in problems)
    linked = "symlinked folder of articles; not followed (link the files instead)"
    assert said == [f"deep: {linked}", f"looping: {linked}", f"nested: {linked}"]


def test_a_symlinked_folder_too_big_to_search_warns_at_once(tmp_path: Path, monkeypatch) -> None:
    """A link to "/" or to a tree of millions of files must not hold up the build: after
    MAX_LINKED_ENTRIES entries without an article, it may hold some, and says so."""
    import sitegen.read

    monkeypatch.setattr(sitegen.read, "MAX_LINKED_ENTRIES", 50)
    root, big = tmp_path / "articles", tmp_path / "big"
    for n in range(60):
        (big / f"d{n:02d}").mkdir(parents=True)
        (big / f"d{n:02d}" / "x.png").write_text("x")
    (big / "d59" / "a.txt").write_text("x")  # past the first 50 entries
    root.mkdir()
    os.symlink(big, root / "big")
    os.symlink(big / "d00", root / "small")  # within the limit, no article: nothing to say
    found, problems = find_sources(root)
    assert found == []
    assert [str(p).removeprefix(f"{root}/") for p in problems] == [
        "big: symlinked folder too big to search for articles; not followed "
        "(link the files instead)"
    ]


def test_a_loop_of_symlinks_is_skipped_and_the_rest_is_found(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("x")
    os.symlink("self", root / "self")  # DirEntry.is_dir raises ELOOP for these
    os.symlink("loop.txt", root / "loop.txt")
    os.symlink("../sub/x", root / "sub/x")
    found, problems = find_sources(root)
    assert [f.rel for f in found] == ["a.txt"]
    said = [str(p).removeprefix(f"{root}/") for p in problems]
    assert said == ["loop.txt: symlink to nothing readable (broken, or a folder); skipped"]


def found_without_privileges(root: Path) -> list[str]:
    """`find_sources` in a child process that drops root's privileges first (permissions
    do not bind root, which CI runs as): the files found, then the problems."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never back into pytest
        status = 1
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setresgid(65534, 65534, 65534)
                os.setresuid(65534, 65534, 65534)
            found, problems = find_sources(root)
            said = [str([f.rel for f in found])]
            said += [str(p).removeprefix(f"{root}/") for p in problems]
            os.write(write_end, "\n".join(said).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as answer:
        text = answer.read().decode()
    assert os.waitpid(pid, 0)[1] == 0
    return text.splitlines()


def test_folders_that_cannot_be_listed_or_searched_are_named(tmp_path: Path) -> None:
    """Articles in a folder without read (or search) permission were left out silently."""
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="sitegen-perm-"))  # tmp_path is root's own (0700)
    root = base / "articles"
    try:
        base.chmod(0o755)
        for name in ("a.txt", "closed/b.txt", "unsearchable/c.txt"):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text("x")
        (root / "closed").chmod(0)
        (root / "unsearchable").chmod(0o644)  # names can be listed, files not reached
        lines = found_without_privileges(root)
        assert lines[0] == "['a.txt']"
        assert sorted(lines[1:]) == [
            "closed: folder cannot be listed (Permission denied); its files skipped",
            "unsearchable/c.txt: cannot be read (Permission denied); skipped",
        ]
    finally:
        for folder in ("closed", "unsearchable"):
            (root / folder).chmod(0o755)
        shutil.rmtree(base)


def test_a_file_name_that_is_not_utf8_is_skipped_with_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    root.mkdir()
    (root / "good.txt").write_text(" date 2026-01-02 Good\n\nBody.\n")
    with open(os.fsencode(root) + b"/bad\xff.txt", "wb") as file:
        file.write(b" date 2026-01-03 Bad\n\nBody.\n")
    found, problems = find_sources(root)
    assert [f.rel for f in found] == ["good.txt"]
    assert len(problems) == 1
    assert "bad\\xff.txt: the file name is not valid UTF-8" in str(problems[0])
    str(problems[0]).encode("utf-8")  # printable as it is


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[" * 20_000 + "x" + "]" * 20_000 + "(http://a)", "nests brackets more than 64 deep"),
        (">" * 3000 + " deep", "nests quotes and lists more than 64 deep"),
        ("*" * 20_000 + "x" + "*" * 20_000, "more links, emphasis or entities in a paragraph"),
        ("*" * 2_000 + "x" + "*" * 2_000, "nests elements more than 64 deep"),
        # recursion or the CPU budget, whichever comes first: skipped either way
        ("".join("    " * i + "- item\n" for i in range(400)), "a.md: its Markdown"),
    ],
)
def test_pathological_markdown_is_skipped_quickly(tmp_path: Path, body, expected) -> None:
    """Markdown's parser is quadratic in nested brackets (a minute for this one), recurses
    per level of lists, and nests quotes and emphasis deeper than browsers read."""
    result = read(tmp_path, "a.md", article_text("2026-01-01", "Nested", body))
    assert result.article is None and expected in problem_of(result)
    after = read(tmp_path, "b.md", article_text("2026-01-02", "Next", "Plain *words*."))
    assert after.body.html == "<p>Plain <em>words</em>.</p>"  # the next file reads as ever


@pytest.mark.parametrize("indent", ["  ", "    ", "   "])
def test_lists_nested_too_deep_are_skipped_before_parsing(tmp_path: Path, indent: str) -> None:
    """The parser's time grows with the square of a list's depth: a 1,000-deep list of 1 MB
    ran 12 s into its CPU budget, at every build that read it, and one 600 deep took 3 to 6 s;
    counted first, it takes milliseconds. Two, four or three spaces a level ("1." items)."""
    marker = "1." if indent == "   " else "-"
    body = "\n".join(f"{indent * level}{marker} item" for level in range(600))
    result = read(tmp_path, "a.md", article_text("2026-01-01", "Nested", body))
    # Not "took over ... s to read", from the CPU budget: counted before the parser ran.
    assert "a.md: its Markdown nests lists more than 64 deep" in problem_of(result)


@pytest.mark.parametrize(
    "line",
    ["{quotes}x", "{quotes}- x", "- {quotes}x", "{lists}> x"],
    ids=["quotes", "quote-list", "list-quote", "lists-quote"],
)
def test_quotes_nested_too_deep_are_skipped_before_parsing(tmp_path: Path, line: str) -> None:
    """ "> > > x", with lists between or not: the parser took 10 to 12 s at 1,000 deep before
    the check after it refused the file (the CPU budget of a 1 MB file is 12 s)."""
    body = "\n".join(line.format(quotes="> " * level, lists="- " * level) for level in range(400))
    result = read(tmp_path, "a.md", article_text("2026-01-01", "Nested", body))
    assert "a.md: its Markdown nests quotes and lists more than 64 deep" in problem_of(result)
    deep = "\n\n".join(["> " * 30 + "- " * 30 + "x", "> > quoted\n> - item"])
    result = read(tmp_path, "b.md", article_text("2026-01-01", "Deep", deep))
    assert "nests quotes" not in problem_of(result)


@pytest.mark.parametrize(
    "rule", ["- " * 70 + "-", "* " * 70, "> " + "- " * 70 + "-", "1. " + "* " * 70 + "*"]
)
def test_a_long_thematic_break_is_not_refused_as_nesting(tmp_path: Path, rule: str) -> None:
    """A rule of "- " or "* " across the page is a thematic break, not 70 nested lists: with a
    quote (or any ">") in the article, it was refused as nesting quotes and lists too deep."""
    body = f"> A quote.\n\nPrices -> up.\n\n{rule}\n\nMore text."
    result = read(tmp_path, "a.md", article_text("2026-01-01", "Rule", body))
    assert result.article is not None, result.problems
    assert "<hr>" in result.body.html and "More text" in result.body.html
    deep = "> A quote.\n\n" + "- " * 70 + "x"  # a list 70 deep on one line stays one
    assert "nests quotes and lists more than 64 deep" in problem_of(
        read(tmp_path, "b.md", article_text("2026-01-01", "Deep", deep))
    )


def test_a_list_of_the_deepest_nesting_allowed_is_not_refused_as_a_list(tmp_path: Path) -> None:
    body = "\n".join(f"{'  ' * level}- item" for level in range(64))
    result = read(tmp_path, "a.md", article_text("2026-01-01", "Nested", body))
    assert "nests lists" not in problem_of(result)  # its 128 elements are refused after it
    code = "- item\n\n" + " " * 300 + "- not a list: code in the item\n"
    result = read(tmp_path, "b.md", article_text("2026-01-01", "Code", code))
    assert result.article is not None and "<code>" in result.body.html


def test_ordinary_nesting_in_markdown_is_kept(tmp_path: Path) -> None:
    body = "> quoted [a [link](http://a.example) inside] text\n>\n> - one\n>   - two"
    result = read(tmp_path, "a.md", article_text("2026-01-01", "Nested", body))
    assert result.article is not None and "<blockquote>" in result.body.html


@pytest.mark.parametrize(
    "unit",
    [
        "\U0001f1fa\U0001f1f8",
        "\U0001f469\u200d\U0001f469\u200d\U0001f466",
        "e\u0301",
        "\U0001f44d\U0001f3fd",
    ],
    ids=["flag", "family", "accent", "skin-tone"],
)
def test_a_title_or_summary_is_cut_between_whole_characters(tmp_path: Path, unit: str) -> None:
    """A flag is two code points, an emoji family five, "é" may be two: a cut through one left
    half a flag, a lone joiner or an accent off its letter before the "…" (the hostile helper)."""
    text = f"---\nsummary: {unit * 700}\n---\n" + article_text("2026-01-01", unit * 700, unit * 200)
    article = read(tmp_path, "a.txt", text).article
    for shown in (article.title, article.summary):
        kept = shown.removesuffix("…")
        assert shown.endswith("…") and kept and kept == unit * (len(kept) // len(unit))
    plain = read(tmp_path, "b.txt", article_text("2026-01-01", "T", unit * 200)).article
    assert plain.summary.removesuffix("…") == unit * (len(plain.summary) // len(unit))


def test_oversized_title_summary_and_tag_list_are_cut_with_warnings(tmp_path: Path) -> None:
    tags = ", ".join(f"t{n}" for n in range(60))
    front = f"---\nsummary: {'word ' * 300}\nbyline: {'Name ' * 80}\ntags: [{tags}]\n---\n"
    result = read(tmp_path, "a.txt", front + article_text("2026-01-01", "Headline " * 100))
    article, problems = result.article, [str(p) for p in result.problems]
    assert len(article.title) <= 500 and article.title.endswith("Headline…")
    assert len(article.summary) <= 1000 and article.tags == tuple(f"t{n}" for n in range(50))
    assert any("title of 899 characters; shortened to 500" in p for p in problems)
    assert any("summary of 1,499 characters; shortened to 1000" in p for p in problems)
    assert any("60 tags in the front matter; the first 50 are kept" in p for p in problems)
    assert len(article.byline) <= 300 and any("byline of 399 characters" in p for p in problems)


def test_markdown_images_from_other_hosts_become_links(tmp_path: Path) -> None:
    text = "---\ntitle: T\ndate: 2026-01-01\n---\n![a map](https://elsewhere.example/map.png) and ![local](map.png)\n"
    body = read(tmp_path, "a.md", text).body
    assert (
        '<a href="https://elsewhere.example/map.png" rel="noopener noreferrer">a map</a>'
        in body.html
    )
    assert re.findall(r'<img[^>]*src="([^"]*)"', body.html) == ["map.png"]


@pytest.mark.parametrize(
    "body",
    [
        "[a](" * 2_000,
        "&#x41;" * 100_000,
        "\n\n".join(["[a](" * 60] * 2_000),
        "".join("[x]: " + "[a]( " * 10 + "\n" for _ in range(1_000)),  # no definitions
        "\\-" * 40_000,
    ],
    ids=["links", "entities", "many-paragraphs", "false-definitions", "escapes"],
)
def test_markdown_that_would_take_minutes_to_parse_is_skipped(tmp_path: Path, body) -> None:
    """Python-Markdown is quadratic in the links or entities of a paragraph: these took from
    2 s to minutes. They are refused at once, whether in one paragraph or spread over many."""
    started = time.perf_counter()
    problem = problem_of(read(tmp_path, "a.md", f" date 2026-01-01 T\n\n{body}\n"))
    assert "a.md: its Markdown has more links, emphasis or entities in a paragraph" in problem
    assert time.perf_counter() - started < 30  # a guard against a hang, not a timing claim


def table_head(columns: int) -> str:
    """A paragraph, then a Markdown table's head row and rule, of `columns` cells."""
    return "A table.\n\n|" + "h|" * columns + "\n|" + "-|" * columns + "\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("a\n=\n" * 20_000, "a block of over 5,000 lines with no blank line"),  # 55 s
        ("***\n" * 10_000, "a block of over 5,000 lines with no blank line"),  # 10 s
        ("*[XY]: " + "t" * 100_000 + "\n\n" + "XY " * 800, "an abbreviation of over 200"),
        ("".join(f"*[Q{i:05d}]: t\n\n" for i in range(9_000)) + "Q0000y " * 1_000, "over 200 abb"),
        # No "]" to end a name: the check ran on to the end from each (400 KB: 69 s).
        ("*[\n\n" * 100_000, "over 200 abb"),
        # 1 MB: 9.6 s and 500 MB, or skipped by the CPU budget on a busier machine
        (table_head(500) + ("|" + "c|" * 500 + "\n") * 1_000, "tables of over 20,000 cells"),
        ("a | b\n--|--\n" + "1 | 2\n" * 10_001, "tables of over 20,000 cells"),
        ("".join(f"t[^{i}]\n\n[^{i}]: note\n\n" for i in range(20_000)), "over 2,000 footnotes"),
        ("```\ncode\n```\n" * 38_000, "over 1,000 fenced code blocks"),  # 7.5 s
        # In a quote too: 10 s and 486 MB, or 7.7 s until the CPU budget (the code review)
        (
            "".join(
                "> " + line + "\n"
                for line in (table_head(500) + ("|" + "c|" * 500 + "\n") * 1_000).split("\n")
            ),
            "tables of over 20,000 cells",
        ),
        ("".join(f"t[^{i}]\n\n> [^{i}]: note\n\n" for i in range(20_000)), "over 2,000 footnotes"),
        # A fence never closed, or indented as code, is no fence: the table after it was let
        # through, 500,000 cells (the verification helper)
        (
            "```\n\n" + table_head(500) + ("|" + "c|" * 500 + "\n") * 1_000,
            "tables of over 20,000 cells",
        ),
        (
            "    ```\n\n" + table_head(500) + ("|" + "c|" * 500 + "\n") * 1_000,
            "tables of over 20,000 cells",
        ),
    ],
    ids=[
        "setext-headings",
        "rules",
        "long-abbreviation",
        "many-abbreviations",
        "unclosed",
        "wide-table",
        "long-table",
        "footnotes",
        "fences",
        "quoted-table",
        "quoted-footnotes",
        "unclosed-fence",
        "indented-fence",
    ],
)
def test_markdown_block_shapes_that_take_seconds_or_megabytes_are_skipped(
    tmp_path: Path, body, expected
) -> None:
    """The abbreviation's title is repeated at each use: 100 KB made an 80 MB page."""
    assert expected in problem_of(read(tmp_path, "a.md", f" date 2026-01-01 T\n\n{body}\n"))


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        (table_head(10) + ("|" + "c|" * 10 + "\n") * 1_999, "<td>c</td>"),
        ("".join(f"t[^{i}]\n\n[^{i}]: note {i}\n\n" for i in range(2_000)), "note 1999"),
        ("```\nsome code\n```\n" * 1_000, "some code"),
        # A listing of "1 | 2" lines is code, no table (the code review)
        ("Data:\n\n```text\na | b\n--|--\n" + "1 | 2\n" * 10_001 + "```", "1 | 2"),
        # A run of spaces the table rule's regex took 16 s to refuse (the code review)
        ("x | y\nsome text\n-" + " " * 400_000 + "x", "some text"),
    ],
    ids=["table", "footnotes", "fences", "fenced-pipes", "spaces-after-a-dash"],
)
def test_markdown_shapes_just_inside_their_limits_are_published(
    tmp_path: Path, body, shown
) -> None:
    """The limits of the cells, footnotes and fenced blocks a body may hold leave room for
    the longest report: 20,000 cells, 2,000 footnotes, 1,000 code blocks."""
    started = time.perf_counter()
    result = read(tmp_path, "a.md", f" date 2026-01-01 T\n\n{body}\n")
    assert result.body is not None, result.problems
    assert shown in result.body.html
    assert time.perf_counter() - started < 30  # a guard against a hang (minutes), not timing


# Passes every guard, and takes tenths of a second to parse: 3,000 paragraphs with a link and
# emphasis each. Every shape known to take seconds is refused before the parser runs, so the
# budget these tests check is shrunk to a hundredth of a second (`small_budget`).
SLOW_MARKDOWN = "\n\n".join(
    ["The *minister* said [the talks](https://example.org/a) went well, & more."] * 3_000
)


@pytest.fixture
def small_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_module, "MARKDOWN_CPU_SECONDS", 0.01)
    monkeypatch.setattr(read_module, "MARKDOWN_BYTES_PER_SECOND", 10**12)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # 2,450 setext headings a block took 1-2 s each; 4,900 rules 5 s (the hostile helper)
        ("\n\n".join(["a\n=\n" * 2_450] * 8), "headings underlined with '=' or '-'"),
        ("\n\n".join(["- - -\n" * 4_900] * 3), "headings underlined with '=' or '-'"),
        ("\n\n".join([": a\n" * 2_000] * 4), "definitions or rules in one block"),
        # 2,000 references to one footnote took 2.5 s
        ("x[^1] " * 2_000 + "\n\n[^1]: note\n", "refers to one footnote more times"),
    ],
    ids=["setext-headings", "rules", "definitions", "footnote-references"],
)
def test_markdown_shapes_that_take_seconds_are_refused_before_parsing(
    tmp_path: Path, body: str, expected: str
) -> None:
    """They ran into the CPU budget, seconds each, at every build of a file written moments
    before (as `watch` and `serve` read them)."""
    started = time.process_time()
    problem = problem_of(read(tmp_path, "a.md", f" date 2026-01-01 T\n\n{body}\n"))
    assert expected in problem and "took over" not in problem
    assert time.process_time() - started < 10  # a guard against a hang, not a timing claim


def test_markdown_the_guards_miss_is_stopped_after_its_cpu_budget(
    tmp_path: Path, small_budget: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No guard lists every slow shape, so a file whose Markdown runs past its budget
    (`markdown_budget`) is skipped. The timer and signal handler are left as they were
    found."""
    started = time.perf_counter()
    problem = problem_of(read(tmp_path, "a.md", f" date 2026-01-01 T\n\n{SLOW_MARKDOWN}"))
    assert "a.md: its Markdown took over 0.0 s to read" in problem
    assert time.perf_counter() - started < 30  # a guard against a hang, not a timing claim
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGPROF) == signal.SIG_DFL
    monkeypatch.undo()  # the budget as it is: making the parser again takes a hundredth
    assert read(tmp_path, "b.md", " date 2026-01-01 T\n\nStill *read*.").article is not None


def test_the_cpu_budget_holds_in_the_rebuild_thread_of_watch_and_serve(
    tmp_path: Path, small_budget: None
) -> None:
    """Only a main thread takes signals: elsewhere a profile hook keeps the budget."""
    results = []
    thread = threading.Thread(
        target=lambda: results.append(
            read(tmp_path, "a.md", f" date 2026-01-01 T\n\n{SLOW_MARKDOWN}")
        )
    )
    thread.start()
    thread.join(timeout=60)
    assert "a.md: its Markdown took over 0.0 s to read" in problem_of(results[0])
    assert sys.getprofile() is None


@pytest.mark.parametrize(
    "body",
    [
        "\n".join(f"- [link {i}](https://example.org/{i})" for i in range(2_000)),
        "| a | b |\n|---|---|\n"
        + "\n".join(f"| [x{i}](https://example.org) | y |" for i in range(2_000)),
        "```\n" + "[" * 2_000 + "\n```",
        "    " + "[" * 2_000,
        " ".join(f"word[^{i}]" for i in range(1_700))
        + "\n\n"
        + "\n".join(f"[^{i}]: n" for i in range(1_700)),
    ],
    ids=["list-of-links", "table-of-links", "fenced-code", "indented-code", "footnotes"],
)
def test_long_lists_tables_code_and_footnotes_are_not_taken_for_pathological(
    tmp_path: Path, body
) -> None:
    """Markup is parsed per list item, table row or definition, and not at all in code: these
    parse in well under a second, and are read."""
    result = read(tmp_path, "a.md", f" date 2026-01-01 T\n\n{body}\n")
    assert result.article is not None and result.problems == ()


@pytest.mark.parametrize(
    "image",
    [
        "![a](&#104;ttps://elsewhere.example/1.png)",
        "![a](https:&#47;&#47;elsewhere.example/1.png)",
        "![a](&#x2F;&#x2F;elsewhere.example/1.png)",
        "![a][r]\n\n[r]: &#x68;ttps://elsewhere.example/1.png",
    ],
    ids=["entity-scheme", "entity-slashes", "protocol-relative", "reference"],
)
def test_no_disguise_lets_an_image_from_another_host_through(tmp_path: Path, image) -> None:
    """Entities are decoded by the sanitiser, after Markdown: the check runs on its output."""
    body = read(tmp_path, "a.md", f" date 2026-01-01 T\n\n{image}\n").body
    assert "<img" not in body.html and "elsewhere.example/1.png" in body.html
    assert "<a" not in re.sub(r"<a [^>]*>[^<]*</a>", "", body.html)  # no link in a link


def test_an_image_from_another_host_in_a_link_is_the_links_text(tmp_path: Path) -> None:
    """`[![alt](https://host/a.png)](https://other/)`: the image became a link in the link,
    which left the link empty and split it from its text (the hostile helper)."""
    text = (
        "[![The map](https://elsewhere.example/1.png)](https://news.example/map)\n\n"
        "[![](https://elsewhere.example/2.png)](https://news.example/two)\n\n"
        "[![Own](/logo.png)](https://news.example/own)\n"
    )
    html_text = read(tmp_path, "a.md", f" date 2026-01-01 T\n\n{text}").body.html
    assert '<a href="https://news.example/map" rel="noopener noreferrer">The map</a>' in html_text
    assert ">https://elsewhere.example/2.png</a>" in html_text  # no alt: its address
    assert '<img alt="Own" src="/logo.png"' in html_text  # the site's own image stays
    assert "<img" not in html_text.replace('<img alt="Own"', "")
    assert 'noreferrer"></a>' not in html_text  # no empty link


@pytest.mark.parametrize(
    ("first", "byline"),
    [
        ("By Staff, Agencies", "Staff, Agencies"),
        ("By Jane Doe and Ann Lee in Paris", "Jane Doe and Ann Lee in Paris"),
        ("By the Associated Press", "the Associated Press"),
        ("By noon the square was empty.", ""),
        ("By Monday, the talks had failed.", ""),
        ("By Monday, troops had entered Gaza.", ""),
        ("By dawn the Fed.", ""),
        # A stop after an abbreviation or initial ends no sentence; nor is "BY:" a heading
        ("By John Smith Jr.", "John Smith Jr."),
        ("By Acme Holdings Inc.", "Acme Holdings Inc."),
        ("BY: Jane Roe", "Jane Roe"),
        ("By " + ", ".join(["Jonathan Applebaum"] * 14), ", ".join(["Jonathan Applebaum"] * 14)),
        # Arabic and Russian bylines, not the story's first paragraph (and its summary)
        ("بقلم: الجزيرة نت", "الجزيرة نت"),
        ("بقلم محمد علي", "محمد علي"),
        ("Автор: Интерфакс", "Интерфакс"),
        ("Автор доклада Иван Петров", ""),
        # Without "By", the corpus's line 3 is a byline when it names someone (the tag helper:
        # "Prensa Latina" was the first paragraph, and a tag of each article it wrote)
        ("Prensa Latina", "Prensa Latina"),
        ("Press TV Staff", "Press TV Staff"),
        ("Jane Doe and Mark Roe, IRNA", "Jane Doe and Mark Roe, IRNA"),
        ("Xinhua", "Xinhua"),
        ("IRNA", "IRNA"),
        ("Tehran, Iran.", ""),
        ("The Story So Far", ""),
        ("Iran says it will respond", ""),
        ("Talks resumed", ""),
    ],
    ids=["agencies", "two-in-paris", "the-ap", "sentence", "comma-sentence", "gaza", "fed",
         "jr", "inc", "colon", "fourteen-names", "arabic", "arabic-no-colon", "russian",
         "russian-sentence", "bare-outlet", "bare-staff", "bare-names", "bare-wire",
         "bare-capitals", "bare-place-sentence", "bare-heading", "bare-sentence", "bare-short"],
)  # fmt: skip
def test_a_byline_names_someone_and_is_not_a_sentence(
    tmp_path: Path, first: str, byline: str
) -> None:
    result = read(tmp_path, "a.txt", f" date 2026-01-02 T\n\n{first}\n\nMore text.")
    assert result.article.byline == byline
    assert (first in result.body.paragraphs) == (byline == "")


@pytest.mark.parametrize(
    ("first", "byline"),
    [
        ("Par Jeanne Dupont", "Jeanne Dupont"),
        ("Von Hans Müller", "Hans Müller"),
        ("Por Juan Pérez y María López", "Juan Pérez y María López"),
        ("Por Ana Luísa Gonçalves da Silva", "Ana Luísa Gonçalves da Silva"),
        ("Di Mario Rossi e Anna Bianchi", "Mario Rossi e Anna Bianchi"),
        ("Door Jan de Vries en Piet Jansen", "Jan de Vries en Piet Jansen"),
        ("PAR JEANNE DUPONT", "JEANNE DUPONT"),
        ("Par\u00a0: la rédaction", "la rédaction"),  # a colon says it, as "BY:" does
        ("Von Hans Müller, Berlin", "Hans Müller, Berlin"),
        ("Par Le Monde avec AFP", "Le Monde avec AFP"),
        ("Di Massimo D’Alema", "Massimo D’Alema"),
        ("Par AFP", "AFP"),
        ("Von dpa", "dpa"),
        ("Por Reuters", "Reuters"),
        ("Von Lena Groß (dpa)", "Lena Groß (dpa)"),  # as "(AFP)": an agency in its own case
        ("Von Lena Groß und dpa", "Lena Groß und dpa"),
        ("Par la rédaction", "la rédaction"),  # the newsroom, without a colon
        ("Door de redactie", "de redactie"),
        ("Von der Redaktion, Berlin", "der Redaktion, Berlin"),
        # the agency alone after a comma, in its own case (found by a review helper)
        ("Von Anna Müller und Jörg Weißenböck, dpa", "Anna Müller und Jörg Weißenböck, dpa"),
    ],
    ids=["fr", "de", "es", "pt", "it", "nl", "capitals", "colon", "place", "paper-and-agency",
         "apostrophe", "agency", "dpa", "reuters", "name-and-dpa", "name-und-dpa",
         "newsroom", "redactie", "redaktion", "names-comma-dpa"],
)  # fmt: skip
def test_bylines_in_french_german_spanish_portuguese_italian_and_dutch(
    tmp_path: Path, first: str, byline: str
) -> None:
    """They were the first paragraph: the summary, the meta description, and a derived tag."""
    result = read(tmp_path, "a.txt", f" date 2026-01-02 T\n\n{first}\n\nLe texte.")
    assert (result.article.byline, result.body.paragraphs) == (byline, ("Le texte.",))
    assert result.article.summary == "Le texte." and result.problems == ()


@pytest.mark.parametrize(
    "first",
    [
        "Door-to-door sales fell by a fifth in March",
        "Di Maio said on Tuesday that the coalition would hold.",
        "Di Maio said on Tuesday",
        "Von der Leyen arrived in Kyiv on Tuesday.",
        "Von der Leyen arrived",
        "Von der Leyen",  # a name, but the story's subject: not a writer's first and last name
        "Di Maio",
        "Von Braun",
        "Di Maio and Salvini",
        "Di Maio, the former foreign minister",
        "Par for the course, the talks stalled",
        "Door to door, volunteers asked for votes",
        "Por favor",
        "Portugal won",
        "Par Jeanne Dupont.",  # a sentence's stop, as for "By"
        "Par la suite",
        "Von der Leyen, Redaktion",
    ],
)
def test_english_first_paragraphs_that_start_with_those_words_stay_text(
    tmp_path: Path, first: str
) -> None:
    result = read(tmp_path, "a.txt", f" date 2026-01-02 T\n\n{first}\n\nMore text.")
    assert result.article.byline == ""
    assert result.body.paragraphs == (first, "More text.")


def test_a_french_byline_is_no_derived_tag(make_site, run_cli) -> None:
    """Read as the first paragraph, the writer's name became a tag of her articles."""
    files = {
        f"articles/{day}.txt": f" date 2026-01-0{day} Grève {day}\n\nPar Jeanne Dupont\n\n"
        "La grève a commencé lundi à Paris."
        for day in (1, 2)
    }
    site = make_site({**files, "sitegen.yaml": "language: fr\n"})
    assert run_cli(site, "build").exit_code == 0
    page = (site / "public/2026/01/02/greve-2/index.html").read_text()
    assert "Jeanne Dupont" in page and "<p>La grève a commencé lundi à Paris.</p>" in page
    assert not list((site / "public/tags").glob("*jeanne*"))  # was "par-jeanne-dupont"
    assert "<p>Par Jeanne Dupont</p>" not in page


def test_stacks_of_combining_marks_are_cut_where_they_repeat_on_every_list(tmp_path) -> None:
    """400 marks over one letter of a title drew over the site's header and down every list of
    related articles; 8 still drew over the line above (a screenshot). Real words keep theirs
    (e + U+0301, decomposed Vietnamese, IPA's three)."""
    zalgo = "a" + "\u0300" * 400
    ipa = "o\u0330\u0303\u0300"  # creaky, nasal, low tone
    title = f"Z{zalgo}lgo Vie\u0323\u0302t {ipa}"
    text = f"---\ntags: [T{zalgo}]\n---\n date 2026-01-02 {title}\n\nBy X\n\n"
    result = read(tmp_path, "z.txt", text + f"Cafe\u0301 {zalgo} text.")
    capped = "a" + "\u0300" * 4
    assert result.article.title == f"Z{capped}lgo Vie\u0323\u0302t {ipa}"
    assert result.article.tags == (f"T{capped}",)
    assert result.article.summary == f"Cafe\u0301 {capped} text."
    said = [str(p) for p in result.problems]
    assert sum("stacks over 4 combining marks" in p for p in said) == 2  # title and tag


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        (" date \u200f2026-01-18 T\n\nBody.", "holds invisible characters; read as '2026-01-18'"),
        ("\u200e date 2026-01-18 T\n\nBody.", None),
        (" date 2026-01-18\u200b T\n\nBody.", "holds invisible characters"),
        ("---\ntitle: T\ndate: 2026-01-18T23:30:00-11:00\n---\nBody.", None),
        ("+++\ndate = '2026-01-18T23:30:00-11:00'\ntitle = 'T'\n+++\nBody.", None),
        ("---\ntitle: T\ndate: 2026-01-18 23:30:00 +0100\n---\nBody.", None),
        ("---\ntitle: T\ndate: '2026-01-18 23:30'\n---\nBody.", None),
    ],
    ids=["rlm-before", "lrm-line-start", "zwsp-after", "front-matter-time", "hugo", "jekyll", "hm"],
)
def test_invisible_characters_and_times_around_a_date_are_read_past(
    tmp_path: Path, text: str, warning
) -> None:
    """A direction mark pasted before a date skipped the article. A time in a front-matter
    date is the day as written there, without a word: Hugo writes one into every article,
    and a site moved from it had a warning for each."""
    result = read(tmp_path, "a.txt", text)
    assert result.article is not None and result.article.date == dt.date(2026, 1, 18)
    said = " | ".join(str(p) for p in result.problems)
    assert (warning in said) if warning else said == ""


def test_toml_front_matter_as_hugo_writes_it_is_read(tmp_path: Path) -> None:
    text = (
        '+++\ntitle = "Council vote"\ndate = 2024-01-03T23:30:00-05:00\ndraft = false\n'
        'tags = ["Council", "Budget"]\ndescription = "The council voted."\n+++\n\nThe vote.\n'
    )
    result = read(tmp_path, "a.md", text)
    article = result.article
    assert result.problems == ()
    assert (article.title, article.date, article.tags) == (
        "Council vote",
        dt.date(2024, 1, 3),
        ("Council", "Budget"),
    )
    assert article.summary == "The council voted."  # `description`, without a `summary`
    assert result.body.html == "<p>The vote.</p>"


def test_toml_front_matter_numbers_are_kept_as_written(tmp_path: Path) -> None:
    """Found by the hostile-input helper: `slug = 1e400` published the article at "inf/"."""
    text = "+++\ntitle = 1.50\nslug = 1e400\nsummary = nan\ndate = 2024-01-03\n+++\n\nText.\n"
    article = read(tmp_path, "a.md", text).article
    assert article is not None
    assert (article.title, article.slug, article.summary) == ("1.50", "1e400", "nan")


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        (
            "- *Note\n  ```\n  make build\n  ```\n  done*",
            '<li><em>Note</em>\n<pre tabindex="0"><code>make build\n</code></pre>\n<em>done</em></li>',
        ),
        (
            "Term\n: see `this\n  ```\n  code\n  ```\n  ` end",
            '<dd>see <code>this</code>\n<pre tabindex="0"><code>code\n</code></pre>\n<code></code> end</dd>',
        ),
        ("## Questions\n\n: Is it final?", "<dl>\n<dt></dt>\n<dd>Is it final?</dd>\n</dl>"),
    ],
    ids=["emphasis-in-a-tight-item", "code-in-a-definition", "definition-without-a-term"],
)
def test_markdown_shapes_the_nu_checker_refused_are_valid_html(markdown, expected) -> None:
    """ "<em><pre>" in a tight list's item, "<code><pre>" in a definition, and a `dl` with no
    term were refused by the Nu checker (the hostile helper's fuzzing)."""
    from sitegen.read import render_markdown

    assert expected in render_markdown(markdown)[0]


def test_a_dot_markdown_file_is_markdown_as_jekyll_names_it(tmp_path: Path) -> None:
    """`jekyll new` writes `_posts/2024-01-03-welcome-to-jekyll.markdown`: it was not read,
    without a word (the hostile helper)."""
    text = "---\ntitle: Welcome\n---\nSome *emphasis*.\n"
    result = read(tmp_path, "_posts/2024-01-03-welcome.markdown", text)
    assert result.article.date == dt.date(2024, 1, 3)
    assert result.body.html == "<p>Some <em>emphasis</em>.</p>"
    assert is_article_name("x.MARKDOWN") and not is_article_name("x.markdown~")


def test_categories_are_tags_after_the_files_own(tmp_path: Path) -> None:
    """Hugo's and Jekyll's `categories:` and Jekyll's `category:` are the file's labels too:
    a site moved from either had each warned about and lost. Jekyll splits a string of
    categories at its spaces; a name that repeats a tag is one tag."""
    cases = {
        "tags: [Kenya]\ncategories: [Politics, Kenya]": ("Kenya", "Politics"),
        "categories: world politics": ("world", "politics"),
        "categories: Middle East, Africa": ("Middle East", "Africa"),
        "category: Middle East": ("Middle East",),
    }
    for n, (front, tags) in enumerate(cases.items()):
        text = f"---\ntitle: T\ndate: 2026-01-02\n{front}\n---\nThe vote.\n"
        result = read(tmp_path, f"{n}.md", text)
        assert (result.article.tags, result.problems) == (tags, ()), front
    toml = read(
        tmp_path, "h.md", "+++\ntitle = 'T'\ndate = 2026-01-02\ncategories = ['Sport']\n+++\nGoal."
    )
    assert toml.article.tags == ("Sport",)
    bad = read(tmp_path, "bad.md", "---\ntitle: T\ndate: 2026-01-02\ncategories: {a: 1}\n---\nX.")
    assert bad.article is None
    assert [str(p) for p in bad.problems] == [
        f"{tmp_path / 'bad.md'}:4: front matter 'categories' must be a list of names; skipped"
    ]


def test_pelican_metadata_in_a_markdown_file_is_read(tmp_path: Path) -> None:
    text = (
        "Title: Council votes\nDate: 2024-01-03 10:20\nModified: 2024-01-04\nCategory: Politics\n"
        "Tags: council, budget\nSlug: council-budget\nAuthors: Ann Lee\nSummary: It voted.\n"
        "Colour: red\n\nThe council voted.\n"
    )
    result = read(tmp_path, "a.md", text)
    article = result.article
    assert (article.title, article.date, article.tags, article.slug) == (
        "Council votes",
        dt.date(2024, 1, 3),
        ("council", "budget", "Politics"),  # its category a tag after its tags
        "council-budget",
    )
    assert (article.byline, article.summary, article.draft) == ("Ann Lee", "It voted.", False)
    assert result.body.html == "<p>The council voted.</p>"
    assert [str(p) for p in result.problems] == [
        f"{tmp_path / 'a.md'}:9: unknown front matter key 'colour'; ignored"
    ]
    draft = read(tmp_path, "b.md", "Title: D\nDate: 2024-01-05\nStatus: draft\n\nNot yet.")
    assert draft.article.draft is True


def test_pelican_metadata_goes_on_in_indented_lines_and_may_meet_the_body(tmp_path: Path) -> None:
    """As Pelican reads it (Python-Markdown's `meta`): a value goes on in lines indented four
    spaces, and the body may start right after the last key. Both were skipped, "no date line"."""
    text = (
        "Title: Council votes on the\n    harbour budget\nDate: 2024-01-03\nTags: council,\n"
        "    budget\nModified: 2024-01-04\n    10:00\nThe council voted.\n\nThen it rose.\n"
    )
    result = read(tmp_path, "a.md", text)
    article = result.article
    assert (article.title, article.tags) == (
        "Council votes on the harbour budget",
        ("council", "budget"),
    )
    assert result.body.html == "<p>The council voted.</p>\n<p>Then it rose.</p>"
    assert result.problems == ()
    unknown = read(tmp_path, "b.md", "Date: 2024-01-03\nTitle: T\n    more\nColour: red\n\nText.")
    assert [str(p) for p in unknown.problems] == [
        f"{tmp_path / 'b.md'}:4: unknown front matter key 'colour'; ignored"
    ]


def test_pelican_metadata_giving_a_key_twice_is_skipped_at_its_line(tmp_path: Path) -> None:
    """Which of two values Pelican keeps is no promise; the YAML front matter's rule."""
    text = "Title: T\nStatus: published\nDate: 2024-01-03\nStatus: draft\n\nText."
    result = read(tmp_path, "a.md", text)
    assert result.article is None
    assert str(result.problems[0]).startswith(
        f"{tmp_path / 'a.md'}:4: its metadata gives 'Status' twice"
    )
    note = read(tmp_path, "n.md", "Note: a\nNote: b\n\nText.")  # no metadata: no such word
    assert "a Markdown article starts with front matter giving its 'date:'" in str(note.problems[0])


@pytest.mark.parametrize(
    ("text", "draft"),
    [
        ("Status: draft", True),
        ("Status: Hidden", True),
        ("Status: published", False),
        ("Draft: true", True),
        ("Draft: yes", True),
        ("Draft: no", False),
    ],
)
def test_a_pelican_draft_stays_a_draft_however_written(tmp_path: Path, text, draft) -> None:
    """`Draft: true` was read as Pelican's status, none of "draft" or "hidden": published."""
    result = read(tmp_path, "a.md", f"Title: T\nDate: 2024-01-03\n{text}\n\nNot yet.")
    assert result.article.draft is draft, result.problems


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Status: unpublished", "a.md:3: Status: 'unpublished' is no status sitegen knows"),
        ("Status: draft # embargo", "a.md:3: Status: 'draft # embargo' is no status"),
        ("Draft: maybe", "a.md:3: front matter 'draft' must be true or false"),
    ],
)
def test_a_pelican_status_that_may_mean_draft_skips_the_file(tmp_path: Path, text, said) -> None:
    """Any status but Pelican's three published the article, its text in the feed."""
    result = read(tmp_path, "a.md", f"Title: T\nDate: 2024-01-03\n{text}\n\nNot yet.")
    assert result.article is None and said in str(result.problems[0]), result.problems


@pytest.mark.parametrize(
    ("front", "draft"),
    [
        ("status: draft\n", True),
        ("status: publish\n", False),
        ("status: future\n", True),  # WordPress's: scheduled, not yet out
        ("status: Private\n", True),
        ("status: draft\ndraft: false\n", True),  # kept out whatever `draft:` says
        ("draft: false\nstatus: pending\n", True),
    ],
)
def test_a_front_matter_status_keeps_a_draft_out(tmp_path: Path, front: str, draft: bool) -> None:
    """`status:` in YAML front matter (Pelican's, and WordPress exports' `status: draft`) was
    an unknown key, warned about, and the draft published, its text in the feed."""
    text = f"---\ntitle: T\ndate: 2024-01-03\n{front}---\nNot yet.\n"
    result = read(tmp_path, "a.md", text)
    assert result.article.draft is draft and not result.problems, result.problems


def test_an_unknown_front_matter_status_skips_the_file(tmp_path: Path) -> None:
    result = read(tmp_path, "a.md", "---\ntitle: T\nstatus: embargoed\n---\nNot yet.\n")
    assert result.article is None
    assert "a.md:3: status: 'embargoed' is no status sitegen knows" in str(result.problems[0])
    for status in ("published", "publish", "draft", "private", "trash"):  # each one it reads
        assert status in str(result.problems[0])
    toml = read(tmp_path, "b.md", '+++\ntitle = "T"\nstatus = 3\ndate = 2024-01-03\n+++\nText.\n')
    assert toml.article is None and "b.md:3: status: 3 is no status" in str(toml.problems[0])


def test_jekyll_drafts_are_drafts(tmp_path: Path) -> None:
    """`published: false` was an unknown key, and the post published; so were `_drafts/`."""
    front = "---\ntitle: T\ndate: 2024-01-03\n{}---\nNot yet.\n"
    assert read(tmp_path, "a.md", front.format("published: false\n")).article.draft is True
    assert read(tmp_path, "b.md", front.format("published: true\n")).article.draft is False
    assert read(tmp_path, "_drafts/c.md", front.format("")).article.draft is True
    assert read(tmp_path, "x/_drafts/d.md", front.format("")).article.draft is True
    assert read(tmp_path, "my_drafts/e.md", front.format("")).article.draft is False
    # from a disk that ignores case, where Jekyll takes `_Drafts` for its own (the hostile helper)
    assert read(tmp_path, "_Drafts/f.md", front.format("")).article.draft is True
    assert read(tmp_path, "x/_DRAFTS/g.md", front.format("")).article.draft is True
    odd = read(tmp_path, "f.md", front.format("published: 'maybe'\n"))
    assert odd.article is None and "'published' must be true or false" in str(odd.problems[0])


def test_a_jekyll_post_takes_its_day_from_its_name(tmp_path: Path) -> None:
    """Jekyll's posts give the day in the file's name, not in the front matter: each was
    skipped for want of a date. A date in the front matter comes first."""
    front = '---\nlayout: post\ntitle: "Council votes"\n---\nThe council voted.\n'
    post = read(tmp_path, "_posts/2024-01-03-council-votes.md", front)
    assert (post.article.title, post.article.date) == ("Council votes", dt.date(2024, 1, 3))
    dated = read(tmp_path, "2024-01-04-x.md", "---\ndate: 2024-05-06\n---\nText.\n")
    assert dated.article.date == dt.date(2024, 5, 6)
    bad = read(tmp_path, "2024-02-30-bad.md", "---\ntitle: T\n---\nText.\n")
    assert bad.article is None
    assert "the day its name begins with, 2024-02-30, is no date" in str(bad.problems[0])


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("a.md", "Title: No date\n\nText.", "a.md:1: its metadata (Pelican's 'Title: ...' lines)"),
        ("a.md", "Note: a first paragraph\n\nText.", "a.md:1: no date: a Markdown article"),
        ("a.txt", "Title: T\nDate: 2024-01-03\n\nText.", "a.txt:1: no date line"),
        ("a.md", "---\ntitle: T\n---\nText.", "a.md:4: no date: its front matter has no 'date:'"),
    ],
    ids=["no-date", "not-metadata", "text-file", "front-matter-without-date"],
)
def test_what_is_not_pelican_metadata_is_not_read_as_it(tmp_path: Path, name, text, said) -> None:
    result = read(tmp_path, name, text)
    assert result.article is None and said in str(result.problems[0])


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('+++\ntitle = "T"\ndate 2024-01-03\n+++\nBody.', "a.md:3: invalid front matter TOML"),
        ('+++\ntitle = "T"\n\nBody.', "a.md:1: front matter opened with '+++' on line 1 is "),
        ("+++\nx = " + "[" * 5000 + "\n+++\nBody.", "a.md:1: invalid front matter TOML"),
        ('+++\ntitle = "T"\ndate = 2024-01-03\ncolour = "red"\n+++\nBody.', "a.md:4: unknown"),
        (
            '+++\ndate = 2024-01-03\ntitle = "T"\nweight = ' + "1" * 5_000 + "\n+++\nBody.",
            "a.md:4: invalid front matter TOML: a number of over 4,300 digits; skipped",
        ),
    ],
    ids=["bad-toml", "never-closed", "nested-deep", "unknown-key", "long-number"],
)
def test_bad_toml_front_matter_is_named_with_its_line(tmp_path: Path, text, said) -> None:
    result = read(tmp_path, "a.md", text)
    assert said in " | ".join(str(p) for p in result.problems)


def test_front_matter_after_blank_lines_is_named(tmp_path: Path) -> None:
    text = "\n\n---\ntitle: T\n---\n date 2026-01-02 T\n\nBody."
    result = read(tmp_path, "a.txt", text)
    assert result.article is None
    assert [str(p) for p in result.problems] == [
        f"{tmp_path / 'a.txt'}:1: front matter must start on the first line: blank lines come "
        "first; skipped"
    ]


def test_front_matter_opened_by_an_indented_line_is_named(tmp_path: Path) -> None:
    """It said that blank lines came first, which none did."""
    result = read(tmp_path, "a.txt", " ---\ntitle: T\n---\n date 2026-01-02 T\n\nBody.")
    assert result.article is None
    assert [str(p) for p in result.problems] == [
        f"{tmp_path / 'a.txt'}:1: the `---` that opens front matter must begin its line, with "
        "no space before it; skipped"
    ]


@pytest.mark.parametrize(
    ("opener", "closer"),
    [("--- ", "---"), ("---\t", "---"), ("---  \t ", "--- \t"), ("---", "---  ")],
    ids=["space", "tab", "both-lines", "closing-line"],
)
def test_front_matter_lines_may_end_in_spaces_or_tabs(tmp_path: Path, opener, closer) -> None:
    """Editors leave them (Jekyll and Hugo accept them): "--- " on line 1 skipped the file
    as having no date line."""
    text = f"{opener}\ntitle: Hello\n{closer}\n date 2026-02-07 T\n\nBy X\n\nBody."
    result = read(tmp_path, "a.txt", text)
    assert result.problems == ()
    assert (result.article.title, result.article.byline) == ("Hello", "X")
    assert result.body.paragraphs == ("Body.",)


@pytest.mark.parametrize("opener", ["----", "--- x", "-- -"])
def test_only_three_dashes_open_front_matter(tmp_path: Path, opener) -> None:
    text = f"{opener}\ntitle: Hello\n---\n date 2026-02-07 T\n\nBody."
    assert "a.txt:1: no date line" in problem_of(read(tmp_path, "a.txt", text))


@pytest.mark.parametrize("line", ["By", "By:", "BY", "بقلم:", "Par :", "Von:"])
def test_a_byline_line_naming_nobody_is_left_out_with_a_warning(tmp_path: Path, line) -> None:
    """It was the first paragraph, and the summary and meta description said "By"."""
    result = read(tmp_path, "a.txt", f" date 2026-01-02 T\n\n{line}\n\nThe story.")
    assert (result.article.byline, result.body.paragraphs) == ("", ("The story.",))
    assert result.article.summary == "The story."
    said = [p.line for p in result.problems if "a byline line naming nobody" in str(p)]
    assert said == [3]  # its line, as an editor shows it


def spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_cpu_budget_stops_code_whose_first_signal_was_lost() -> None:
    """The budget's signal can land while a garbage collector callback (or a __del__) runs,
    where Python prints the exception and drops it: the timer fires again until one lands."""
    collections: list[int] = []

    def slow_first_collection(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(1)
            spin(0.3 if len(collections) == 1 else 0.0)

    gc.callbacks.append(slow_first_collection)
    start = time.process_time()
    try:
        with pytest.raises(OutOfTime), cpu_budget(0.1):
            # One collection, then plain Python: collecting in the loop made the test flaky in
            # a full test run, whose big heap kept the collector busy when signals came, so
            # that each landed in the callback's "stop" call, and was dropped there too.
            gc.collect()
            spin(5)
    finally:
        gc.callbacks.remove(slow_first_collection)
    assert time.process_time() - start < 2


# --- the quick paths of reading give what the plain ones give ----------------------------------

SPACES = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
ODD_CHARS = "\x7f\x85\x9f\ufffe\uffff\ufffd\u00a0\ufeff" + "".join(map(chr, range(0x20)))
TEXT_CHARS = st.sampled_from(
    ["a", "B", "é", "’", "<", "&", "\n\n", " \n", "  ", "\n- ", "\n2. ", *SPACES, *ODD_CHARS]
)


def test_other_spaces_are_every_space_but_the_space_and_the_newline() -> None:
    assert sorted(OTHER_SPACES) == sorted(set(SPACES) - {" ", "\n"})
    assert "".join(c for c in OTHER_SPACES if c.isascii()) == ASCII_OTHER_SPACES


@settings(max_examples=500, deadline=None)
@given(st.lists(TEXT_CHARS, max_size=40).map("".join))
def test_clean_blocks_are_clean_text(text: str) -> None:
    """The quick way (other spaces looked for once in the whole text) cleans each paragraph
    as `clean_text` does (but for a list's lines), empty ones left out."""
    blocks = BLANK_LINE.split(text)
    assert clean_blocks(blocks, text) == tuple(filter(None, map(clean_block, blocks)))


def clean_block(block: str) -> str:
    """`clean_text`, with each line of a list of two or more items kept apart by U+2028."""
    lines = block.split("\n")
    if sum(1 for line in lines if re.match(r"[^\S\n]*(?:-|[0-9]+\.)[^\S\n]+\S", line)) < 2:
        return clean_text(block)
    items: list[str] = []
    for line in lines:
        if re.match(r"[^\S\n]*(?:-|[0-9]+\.)[^\S\n]+\S", line) or not items:
            items.append(line)
        else:
            items[-1] += " " + line
    return "\u2028".join(filter(None, map(clean_text, items)))


@pytest.mark.parametrize(
    ("lines", "html_text"),
    [
        (
            "1. He was born in Aleppo\nin 1970.\n2. He studied law.",
            "<p>1. He was born in Aleppo in 1970.<br>\n2. He studied law.</p>",
        ),
        ("Five things:\n- one\n• two", "<p>Five things:<br>\n- one<br>\n• two</p>"),
        ("Wrapped at\n300. Officials said", "<p>Wrapped at 300. Officials said</p>"),
        ("- a <b>\n- b &", "<p>- a &lt;b&gt;<br>\n- b &amp;</p>"),
    ],
)
def test_a_list_written_line_by_line_keeps_its_lines(lines: str, html_text: str) -> None:
    """A text file's list ("1. ..." then "2. ...", or "- " items) ran together into one line
    of text (the judge helper); a line of text that wraps, one starting with a number among
    them, still joins the line before it."""
    assert render_body(lines, markdown_body=False)[0] == html_text
    parsed, _ = parse_article(
        " date 2026-01-02 T\n\n" + lines,
        source="a.txt",
        digest="x",
        markdown_body=False,
        warn=print,
    )
    assert parsed.summary == html.unescape(
        re.sub(r"<[^>]+>|\n", "", html_text.replace("<br>", " "))
    )
    assert parsed.words == len(lines.split())


@settings(max_examples=500, deadline=None)
@given(st.lists(TEXT_CHARS, max_size=40).map("".join))
@example("a\r\r\nb\r\n\r\nc")
def test_decoding_skips_the_control_regex_only_where_it_would_remove_nothing(text: str) -> None:
    data = text.replace("\x00", "").encode("utf-8")
    text = data.decode("utf-8-sig").replace("\r\r\n", "\n")  # CRLF converted twice: one break
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    plain = CONTROL.sub("", text.translate(AS_NEWLINES))  # VT, FF, NEL, U+2028/9: newlines
    assert decode(data, print) == plain


def test_a_file_that_grows_as_it_is_read_is_cut_off_at_the_limit() -> None:
    """The size is checked before reading; a file that grows meanwhile (a log, a download)
    is read no further than the limit, not to its end. The kernel's symbol table is such a
    file for real: it says 0 bytes, and holds megabytes. (A named pipe, which this test
    once wrote into, is not read at all: see the test of files swapped after the listing.)"""
    table = "/proc/kallsyms"
    try:
        fd = os.open(table, os.O_RDONLY)
    except OSError:
        pytest.skip("no kernel symbol table to read here")
    try:
        says, holds = os.fstat(fd).st_size, 0
        while holds <= 2_500_000 and (chunk := os.read(fd, 1 << 16)):
            holds += len(chunk)
    finally:
        os.close(fd)
    if says != 0 or holds <= 2_500_000:
        pytest.skip("the kernel's symbol table here is not a file that grows as it is read")
    with pytest.raises(SkipFile, match="limit of 2 MB as it was read"):
        read_file(table)


def test_the_quick_control_test_misses_no_character_the_control_regex_removes() -> None:
    """Every character of CONTROL's classes, each of the 1,114,112 code points tested: the
    quick test must say "maybe" for each, in text that is otherwise plain, curly quotes and
    all; and "no" for text with none."""
    removed = [
        c for c in map(chr, range(0x110000)) if CONTROL.match(c) and not 0xD800 <= ord(c) < 0xE000
    ]
    assert len(removed) == 32 - 3 + 1 + 32 + 32 + 34  # C0 but tab, LF, CR; DEL; C1; U+FDDx
    for char in removed:
        assert may_hold_controls(f"“Quoted,” he said {char}.".encode()), hex(ord(char))
    assert not may_hold_controls("“Quoted,” he said — in São Paulo… € 中文 😀.".encode())


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT_CHARS, max_size=60).map("".join))
def test_a_body_is_its_paragraphs_escaped_one_by_one(text: str) -> None:
    html_text, paragraphs = render_body(text, markdown_body=False)
    blocks = (clean_block(block) for block in re.split(r"\n[^\S\n]*\n", text))
    assert paragraphs == tuple(p for p in blocks if p)
    assert html_text == "\n".join(
        f"<p>{html.escape(p, quote=False)}</p>".replace("\u2028", "<br>\n") for p in paragraphs
    )


@settings(max_examples=200, deadline=None)
@given(st.text(), st.booleans())
def test_a_body_kept_for_its_page_comes_back_whole(html_text: str, compress: bool) -> None:
    """As UTF-8, or compressed in big builds: the first byte says which."""
    packed = pack_body(Body(html_text, ("a paragraph",)), compress)
    assert unpack_body(packed) == Body(html_text, ())
    assert packed[:1] == (b"L" if compress else b"U")


def test_a_compressed_body_takes_less_memory() -> None:
    body = Body("<p>Officials said the talks would resume on Monday.</p>\n" * 40, ())
    assert len(pack_body(body, compress=True)) < len(pack_body(body)) / 3


def test_markdown_table_alignment_is_kept_and_no_other_style(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Table\ndate: 2026-03-04\n---\n"
        "| Desk | Minutes |\n| :--- | ---: |\n| City | 12 |\n"
    )
    html = read(tmp_path, "t.md", text).body.html
    assert '<th style="text-align: right;">Minutes</th>' in html
    assert '<td style="text-align: left;">City</td>' in html
    # In a box that scrolls on a phone, the table still a table for screen readers
    box = '<div class="table-scroll" role="region" aria-label="Table" tabindex="0"><table>'
    assert html.count(box) == html.count("</table></div>") == 1
    # Two are two landmarks, of two names (axe's landmark-unique)
    two = read(tmp_path, "u.md", text + "\nText.\n\n| A |\n| - |\n| 1 |\n").body.html
    assert two.count('aria-label="Table 1"') == two.count('aria-label="Table 2"') == 1
    assert 'aria-label="Table"' not in two and two.count("</table></div>") == 2
    # A cell of a sentence is marked, to keep room to be read on a phone (style.css: .prose)
    note = "a note long enough to wrap into a word a line"
    prose = read(tmp_path, "p.md", text + f"| Town | {note} |\n").body.html
    assert f'<td class="prose" style="text-align: right;">{note}</td>' in prose
    assert '<td style="text-align: left;">Town</td>' in prose
    # A table wider than any screen keeps its short cells on one line (style.css: .wide): its
    # cells unwrapped, a prose cell at its least, take over `WIDE_TABLE_CHARS` (here 91).
    assert 'class="table-scroll"' in prose  # (4 + 2) + (24 + 2) = 32 characters
    wide = "| Terminal | Operator | Jan 2025 (TEU) | Feb 2025 (TEU) | Change | Berths | Notes |"
    wide += "\n|---|---|---|---|---|---|---|\n"
    wide += "| ECT Delta | Hutchison | 1 | 2 | +4% | 12 | picket since 19 Jan |\n"
    assert 'class="table-scroll wide"' in read(tmp_path, "w.md", text + "\n" + wide).body.html
    from sitegen.read import sanitise

    styled = '<td style="background: url(https://tracker.example/x)">a</td>'
    assert "style" not in sanitise(f"<table><tr>{styled}</tr></table>")


def test_an_empty_header_cell_is_a_data_cell(tmp_path: Path) -> None:
    """A table's empty top left corner names no column or row: a header cell there is one
    accessibility checkers refuse (axe's `empty-table-header`)."""
    text = "---\ntitle: Table\ndate: 2026-03-04\n---\n|  | 2025 | 2026 |\n|---|---|---|\n"
    html = read(tmp_path, "t.md", text + "| Ships | 12 | 14 |\n").body.html
    assert "<thead>\n<tr>\n<td></td>\n<th>2025</th>" in html, html
    assert "<th></th>" not in html and "<th>2026</th>" in html


def test_front_matter_numbers_are_kept_as_written(tmp_path: Path) -> None:
    text = (
        "---\ntitle: 12:30:00\nbyline: 0x1F\nsummary: 1.10\nslug: 0777\n"
        "tags: [12:30, 0b101, .nan]\n---\n date 2026-01-01 T\n\nText."
    )
    result = read(tmp_path, "a.txt", text)
    article = result.article
    assert (article.title, article.byline, article.summary) == ("12:30:00", "0x1F", "1.10")
    assert article.slug == "0777" and article.tags == ("12:30", "0b101", ".nan")
    long = read(tmp_path, "b.txt", "---\ntitle: 0x" + "f" * 4_000 + "\n---\n date 2026-01-01 T")
    assert long.article.title.startswith("0xfff") and len(long.article.title) <= 500


def test_front_matter_yes_and_no_are_kept_as_written(tmp_path: Path) -> None:
    """YAML 1.1 reads NO, On and true as booleans: `tags: [Norway, NO]` gave a tag "False",
    and `lang: no` (Norwegian) or `title: No` skipped the article (the hostile-input helper).
    `draft` still reads them as yes and no."""
    text = (
        "---\ntitle: No\nbyline: Yes\nlang: no\nslug: off\ntags: [Norway, NO, On, true]\n"
        "draft: no\n---\n date 2026-01-01 T\n\nText."
    )
    article = read(tmp_path, "a.txt", text).article
    assert (article.title, article.byline, article.lang, article.slug) == ("No", "Yes", "no", "off")
    assert article.tags == ("Norway", "NO", "On", "true") and not article.draft
    held = read(tmp_path, "b.txt", "---\ntitle: T\ndraft: Yes\n---\n date 2026-01-01 T\n\nx")
    assert held.article.draft


@pytest.mark.parametrize(
    ("data", "expected", "warning"),
    [
        ("Café “quoted” ".encode() + b"\xff text", "Café “quoted” \ufffd text", "not UTF-8"),
        (b"Some text \xff here with caf\xc3\xa9.", "Some text \ufffd here with café.", "not UTF-8"),
        ("Café olé".encode("cp1252"), "Café olé", "Windows-1252"),
        ("Text in UTF-16".encode("utf-16-le"), "Text in UTF-16", None),
        ("Text in UTF-16".encode("utf-16-be"), "Text in UTF-16", None),
        (b"Text padded after a crash" + b"\x00" * 300, "Text padded after a crash", "NUL"),
        # UTF-16 with a character whose low byte is zero (一, U+4E00), or padded with zeros
        # after a crash, or cut mid-character, was "binary" and skipped
        ("Kenya and 一 one".encode("utf-16-le"), "Kenya and 一 one", None),
        ("Text in UTF-16".encode("utf-16-le") + b"\x00" * 6, "Text in UTF-16", "after the UTF"),
        ("Text in UTF-16".encode("utf-16-be") + b"A", "Text in UTF-16", "after the UTF-16"),
        ("Half a pair \ud83d".encode("utf-16-le", "surrogatepass"), "Half a pair \ufffd", "damaged"),
        # Line breaks other than LF and CR made the whole text the title
        ("Title\u2028\u2028By X\x0c\x0cBody\x85more", "Title\n\nBy X\n\nBody\nmore", None),
        # Latin-1 with NEL line breaks, which Windows-1252 reads as "…"
        ("Caf\xe9 title\x85\x85By X\x85\x85Body".encode("latin-1"), "Café title\n\nBy X\n\nBody", "Latin-1"),
        ("Caf\xe9 title\x85\x85Body".encode("latin-1"), "Café title\n\nBody", "Latin-1"),
        # ... but a line of Windows-1252 with an ellipsis is no such file (the code review)
        ("So it goes… “said” he… caf\xe9".encode("cp1252"), "So it goes… “said” he… caf\xe9", "Windows-1252"),
        ("Waiting……".encode("cp1252"), "Waiting……", "Windows-1252"),
        # CRLF converted twice: one line break each, a blank line between paragraphs
        ("Title\r\r\n\r\r\nA wrapped\r\r\nline.\r\nEnd\rhere", "Title\n\nA wrapped\nline.\nEnd\nhere", None),
        ("Forbidden \ufdd0 and \U0010ffff here", "Forbidden  and  here", None),
        # Read as Windows-1252, Shift-JIS was "“ú–{Œê"; Windows-1251 "Ïðåçèäåíò"
        ("日本語の記事です。東京で会議が開かれた。".encode("shift_jis"), "日本語の記事です。東京で会議が開かれた。", "cp932"),
        ("Президент России провёл переговоры в Москве.".encode("cp1251"), "Президент России провёл переговоры в Москве.", "cp1251"),
        ("São Paulo está ótimo, Øresund.".encode("cp1252"), "São Paulo está ótimo, Øresund.", "Windows-1252"),
        # An English text quoting a Russian phrase: too few accented letters to look misread
        ('The minister said "Привет, мир" and left the talks on Thursday.'.encode("cp1251"),
         'The minister said "Привет, мир" and left the talks on Thursday.', "cp1251"),
        ("ÉTÉ À L'ÉCOLE, Ångström".encode("cp1252"), "ÉTÉ À L'ÉCOLE, Ångström", "Windows-1252"),
        # Thai's Windows code page and DOS Cyrillic were published as Windows-1252 (the
        # hostile helper)
        ("วันนี้นายกรัฐมนตรีได้เดินทางไปเยือนจังหวัดเชียงใหม่".encode("cp874"), "วันนี้นายกรัฐมนตรีได้เดินทางไปเยือนจังหวัดเชียงใหม่", "cp874"),
        ("Сегодня в Москве состоялась встреча министров.".encode("cp866"), "Сегодня в Москве состоялась встреча министров.", "cp866"),
        # UTF-8 with Latin-1 or Windows-1252 pasted in: read whole as Windows-1252, the UTF-8
        # title "café" was "cafÃ©" (the judge rehearsal)
        ("Mixed café\n\n".encode() + b"Pasted: caf\xe9 na\xefve.", "Mixed café\n\nPasted: café naïve.", "not UTF-8, read as Windows-1252"),
        ("“ok” and ".encode() + b"\x93yes\x94 in S\xe3o Paulo", "“ok” and “yes” in São Paulo", "read as Windows-1252"),
        # ... but a Windows-1252 text with a pair that reads as UTF-8 by chance ("É»") is one
        ("La SOCIÉTÉ» et «ÉCOLE» à Genève, été très réussi.".encode("cp1252"), "La SOCIÉTÉ» et «ÉCOLE» à Genève, été très réussi.", "Windows-1252"),
    ],
    ids=[
        "utf8-one-bad-byte", "utf8-one-bad-byte-one-accent", "cp1252", "utf16le-no-bom", "utf16be-no-bom", "nul-padding",
        "utf16-zero-low-byte", "utf16-nul-padding", "utf16-odd-byte", "utf16-half-pair",
        "other-line-breaks", "latin1-nel", "latin1-nel-no-byline", "cp1252-ellipsis", "cp1252-ellipses", "crlf-twice", "noncharacters", "shift-jis", "cp1251", "cp1252-accents",
        "cp1251-phrase-in-english", "cp1252-capitals", "cp874-thai", "cp866-russian",
        "utf8-with-latin1", "utf8-with-cp1252-quotes", "cp1252-with-a-utf8-pair",
    ],
)  # fmt: skip
def test_damaged_or_unmarked_encodings_are_read(data, expected: str, warning) -> None:
    from sitegen.read import decode

    data = data.encode() if isinstance(data, str) else data

    warnings: list[str] = []
    assert decode(data, lambda message, *line: warnings.append(message)) == expected
    assert (warning is None and warnings == []) or any(warning in w for w in warnings)


def test_refused_links_images_and_control_entities_leave_valid_html(tmp_path: Path) -> None:
    text = (
        "---\ntitle: T\ndate: 2026-03-04\n---\n"
        "[x](javascript:alert(1)) ![a &amp; b](data:image/png;base64,xx) "
        "![logo](logo.png) [ok](https://a.example/) esc&#x1b;ape\n"
    )
    html = read(tmp_path, "t.md", text).body.html
    assert "<a>x</a>" in html and 'href="https://a.example/" rel="noopener noreferrer"' in html
    assert "a &amp; b" in html and "data:" not in html and '<img alt="a' not in html
    assert '<img alt="logo" src="logo.png">' in html
    assert "escape" in html and "\x1b" not in html


def test_addresses_are_written_as_browsers_read_them(tmp_path: Path) -> None:
    """Markdown kept a space, "<", a tab or a backslash in an address, which HTML checkers
    call invalid; browsers read "\\" as "/" (so "/\\host" is another host) and encode the rest."""
    links = (
        "[y](\\\\evil.example) [z](/\\\\evil.example) [m](mailto:a@b.c?subject=<script>) "
        "[t](jav\tascript:alert(1)) [s](<a b.html>) [q](https://e.org/?q=a|b^c) "
        "[ok](https://e.org/a?b=1&c=2) ![i](/\\\\img.example/x.png)"
    )
    html = read(tmp_path, "t.md", f"---\ntitle: T\ndate: 2026-03-04\n---\n{links}\n").body.html
    for href in [
        "/evil.example", "https://evil.example", "mailto:a@b.c?subject=%3Cscript%3E",
        "jav%20ascript:alert(1)", "a%20b.html", "https://e.org/?q=a%7Cb%5Ec",
        "https://e.org/a?b=1&amp;c=2", "https://img.example/x.png",
    ]:  # fmt: skip
        assert f'href="{href}"' in html, (href, html)
    assert "<img" not in html  # from another host: a link, not a request


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("[x](http:evil.example/z.png)", '<a href="http://evil.example/z.png" rel='),
        ("[x](HTTPS:/one.example)", '<a href="HTTPS://one.example" rel='),
        ("[x](https:///three.example/)", '<a href="https://three.example/" rel='),
        ("[i](\\\\\\\\\\\\\\\\evil.example/i.png)", '<a href="https://evil.example/i.png" rel='),
        ("![i](\\\\\\\\\\\\\\\\evil.example/i.png)", '<a href="https://evil.example/i.png" rel='),
        (
            '[x](https://ok.example/"onmouseover="alert(11)) [y](<https://ok.example/a b>)',
            '<a href="https://ok.example/%22onmouseover=%22alert(11))%20%5By%5D'
            '(%3Chttps://ok.example/a%20b" rel=',
        ),
        ("[q](https://e.org/?q=[1]#a#b)", '<a href="https://e.org/?q=%5B1%5D#a%23b" rel='),
        ("[v](http://[::1]:8080/a[b])", '<a href="http://[::1]:8080/a%5Bb%5D" rel='),
        ("[p](100%.html)", '<a href="100%25.html">'),
        ("[r](a&#0;b.html)", '<a href="a%EF%BF%BDb.html">'),
        ("[m](mailto:a\\\\b@c.d)", '<a href="mailto:a%5Cb@c.d" rel='),
        ("[e](//)", "<a>e</a>"),
        ("[h](<//a b.example/>)", "<a>h</a>"),
        ("[d](//h..example/)", "<a>d</a>"),
        ("[n](//xn--zz.example/)", "<a>n</a>"),
        ("[o](//h.example:65536/)", "<a>o</a>"),
        ("[q](//999.1.1.1/)", "<a>q</a>"),
        ("[q](//1.2.3.08/)", "<a>q</a>"),
        ("[w](http://0x7f.1:8080/a)", '<a href="http://127.0.0.1:8080/a" rel='),
        ("[s](<//a\u00a0b.example/>)", "<a>s</a>"),
        (f"[l](https://{'a' * 64}.example/)", "<a>l</a>"),
        (f"https://{('b' * 60 + '.') * 5}example/", "<a>https://bbb"),
        (f"[k](https://{'k' * 63}.example/)", f'<a href="https://{"k" * 63}.example/" rel='),
        ("![blank]()", "<p>blank</p>"),
        ('Text href="a b" and src="c d"', '<p>Text href="a b" and src="c d"</p>'),
    ],
    ids=[
        "http-no-slash", "https-one-slash", "https-three-slashes", "backslashes",
        "backslashes-image", "quote-and-bracket", "brackets-and-hash", "ipv6", "percent",
        "replacement-char", "mailto-backslash", "empty-host", "space-in-host", "empty-label",
        "bad-punycode", "big-port", "ipv4-over-255", "ipv4-bad-octal", "ipv4-hex", "nbsp-in-host",
        "label-over-63", "bare-host-over-253", "label-of-63", "empty-image", "text",
    ],
)  # fmt: skip
def test_every_address_kept_is_a_valid_url(markdown: str, expected: str) -> None:
    """The Nu HTML checker refused these (tests/test_html_valid.py builds them too): "http:"
    without "//" ("expected a slash"), "////host", "[" in a path, "%" without hex digits,
    U+FFFD, a host that cannot be one, an image of "". Written as browsers read them (a
    backslash is a slash, so "\\\\\\\\host" is another host's, as "//host"), or dropped,
    keeping their text; text that reads like an address stays as written."""
    from sitegen.read import render_markdown

    html = render_markdown(markdown)[0]
    assert expected in html, html
    assert "<img" not in html  # none from another host, none without a source


@pytest.mark.parametrize(
    "start",
    [
        "| Country | People |\n| - | - |\n| Cuba | 11 |",
        "Term one\n:   Its meaning",
        "## Background",
    ],
    ids=["table", "definitions", "heading"],
)
def test_a_markdown_summary_is_its_first_paragraph(tmp_path: Path, start: str) -> None:
    """Lists and feeds showed "Country" or "Term one" for an article that starts with a table
    or definitions (the judge helper), as "Background" before, for one under a heading."""
    text = f"---\ntitle: T\ndate: 2026-01-02\n---\n{start}\n\nThe story starts here.\n"
    assert read(tmp_path, "a.md", text).article.summary == "The story starts here."
    only = read(tmp_path, "b.md", "---\ntitle: T\ndate: 2026-01-02\n---\n- one item\n- two\n")
    assert only.article.summary == "one item"  # no paragraph at all: its first text


def test_a_summary_taken_from_the_text_closes_its_bidi_overrides(tmp_path: Path) -> None:
    result = read(tmp_path, "a.txt", article_text("2026-01-02", "T", "Evil \u202etxet desrever"))
    assert result.article.summary.endswith("\u202c")
    assert any("bidirectional" in str(p) for p in result.problems)


def test_a_long_markdown_report_is_read_whatever_the_run(tmp_path: Path) -> None:
    """A report of 9,500 paragraphs rich in links and emphasis (300 KB, about 2 s to parse
    here) was published by some builds and skipped by others under a flat budget of 2 s."""
    body = "\n\n".join(f"*a* [b](http://x.example/{i}) `c` d" for i in range(9_500))
    result = read(tmp_path, "a.md", f" date 2026-09-01 Long\n\n{body}")
    assert result.article is not None and result.problems == ()


def test_a_heading_that_starts_with_by_is_no_byline(tmp_path: Path) -> None:
    text = " date 2026-01-02 T\n\nBy the numbers: 5 killed, 12 injured\n\nThe storm hit."
    result = read(tmp_path, "a.txt", text)
    assert result.article.byline == ""
    assert result.body.paragraphs[0] == "By the numbers: 5 killed, 12 injured"


def test_markdown_footnotes_link_both_ways_and_no_other_id_gets_through() -> None:
    from sitegen.read import render_markdown, sanitise

    html = render_markdown('Text[^1] here.\n\n[^1]: The note.\n\n<li id="main">x</li>')[0]
    assert '<sup id="fnref:1"><a href="#fn:1"' in html and '<li id="fn:1">' in html
    assert 'href="#fnref:1"' in html
    assert '<div class="footnote">' in html  # the stylesheet sets the notes apart
    assert sanitise('<div class="x">a</div><div class="footnote x">b</div>') == (
        "<div>a</div><div>b</div>"
    )
    assert '&lt;li id="main"&gt;x' in html  # raw HTML is text, shown as written
    assert sanitise('<ol><li id="main">a</li></ol><sup id="x">1</sup>') == (
        "<ol><li>a</li></ol><sup>1</sup>"
    )


@pytest.mark.parametrize("label", ["1", "note-1", "note 1", 'a"b', "<x>", "~7e", "Zoë"])
def test_every_footnote_link_leads_to_an_id_whatever_its_label(label: str) -> None:
    """Ids of other characters than letters, digits, "-" and "_" were dropped by the
    sanitiser, and so was a note's second mark ("fnref2:1"): their links led nowhere."""
    from sitegen.read import render_markdown

    html = render_markdown(f"One[^{label}] and again[^{label}].\n\n[^{label}]: The note.")[0]
    targets = re.findall(r'href="#([^"]*)"', html)
    ids = re.findall(r' id="([^"]*)"', html)
    assert len(targets) == 4 and len(ids) == 3, html  # two marks, the note; links each way
    assert sorted(set(targets)) == sorted(ids), html
    assert all(re.fullmatch(r"fn(ref\d*)?:~?[\w-]+", i) for i in ids), ids


def test_a_heading_keeps_its_own_id_once_and_never_one_the_page_has() -> None:
    """A link to a heading ("[below](#later)" to "## Later {: #later }") led nowhere: the
    sanitiser dropped every id but the footnotes'."""
    from sitegen.read import render_markdown

    html = render_markdown(
        "[below](#later)\n\n## Later {: #later }\n\n## Main {: #main }\n\n"
        '## Twice {: #twice }\n\n### Again {: #twice }\n\n## Quote {: #a"b }\n\n'
        "## Long {: #" + "x" * 65 + " }\n\nText {: #para }\n"
    )[0]
    assert re.findall(r"<(h\d|p)( id=\"[^\"]*\")?>", html) == [
        ("p", ""), ("h2", ' id="later"'), ("h2", ""), ("h2", ' id="twice"'), ("h3", ""),
        ("h2", ""), ("h2", ""), ("p", ""),
    ], html  # fmt: skip


def test_attribute_values_html_refuses_are_dropped_with_a_warning(tmp_path: Path) -> None:
    """An attribute list wrote any value of the attributes the sanitiser keeps: each of these
    was an error of the Nu HTML checker in the page (the hostile helper)."""
    text = (
        "---\ntitle: T\ndate: 2026-01-02\n---\n"
        '## A {: lang="xx" }\n\n## B {: lang="fr-CA" }\n\n'  # lines 5 and 7
        'See [s](https://e.org/){: hreflang="nope" } [t](https://e.org/){: hreflang="fr" }.\n\n'
        "| a | b |\n|---|---|\n"
        '| c {: colspan="0" } | d {: rowspan="2" } |\n| e {: headers="zz" } | f |\n\n'
        '~~y~~{: datetime="yesterday" } ~~z~~{: datetime="2024-01-03T10:00+01:00" } '
        '~~v~~{: datetime="2024-02-30" } ~~w~~{: datetime="2024-01-03" }\n\n'
        '> quote\n{: cite="not a url" }\n'
    )
    result = read(tmp_path, "a.md", text)
    body = result.body.html
    assert '<h2 lang="fr-CA">B</h2>' in body and "<h2>A</h2>" in body
    assert 'hreflang="fr"' in body and "nope" not in body
    assert not re.search(r"colspan|rowspan|headers|cite=", body)
    assert re.findall(r"<del[^>]*>", body) == [
        "<del>",
        '<del datetime="2024-01-03T10:00+01:00">',
        "<del>",
        '<del datetime="2024-01-03">',
    ]
    assert [(p.line, p.message.partition(" is dropped")[0]) for p in result.problems] == [
        (5, "the attribute lang='xx'"),
        (9, "the attribute hreflang='nope'"),
        (16, "the attribute datetime='yesterday'"),
        (16, "the attribute datetime='2024-02-30'"),
    ]


def test_footnote_ids_stay_the_footnotes(tmp_path: Path) -> None:
    """`{: #fn:1 }` on a list's item gave it the note's id: two elements of one id, and the
    mark's link led to the item; a mark's id on an item likewise."""
    text = "Note[^1].\n\n- item\n{: #fn:1 }\n- other\n{: #fnref:1 }\n\n[^1]: The note.\n"
    body = read(tmp_path, "a.md", "---\ntitle: T\ndate: 2026-01-02\n---\n" + text).body.html
    assert re.findall(r' id="([^"]*)"', body) == ["fnref:1", "fn:1"], body
    assert "<li>item</li>" in body and "<li>other</li>" in body


def test_a_note_the_text_never_refers_to_has_no_link_back(tmp_path: Path) -> None:
    """Its "↩" led to a mark that is nowhere: `sitegen check` failed on the site the build
    wrote, and the build's warning named a link the author never wrote."""
    text = "Body with a note[^2].\n\n[^1]: Orphan.\n[^a b]: Another.\n[^2]: Real.\n"
    result = read(tmp_path, "a.md", "---\ntitle: T\ndate: 2026-01-02\n---\n" + text)
    body = result.body.html
    assert re.findall(r'href="#(fnref[^"]*)"', body) == ["fnref:2"], body
    assert "<p>Orphan.</p>" in body and "<p>Another.</p>" in body
    assert [(p.line, p.message) for p in result.problems] == [
        (7, "the note [^1] is never referred to in the text; shown at the end without a link back"),
        (8, "the note [^a b] is never referred to in the text; shown at the end without a link "
            "back"),
    ]  # fmt: skip


def test_a_front_matter_byline_may_start_with_by(tmp_path: Path) -> None:
    """`byline: By Jane Doe`, as the text writes it, showed "By By Jane Doe"."""
    front = "---\ntitle: T\ndate: 2026-01-02\nbyline: {}\n---\nText.\n"
    assert read(tmp_path, "a.md", front.format("By Jane Doe")).article.byline == "Jane Doe"
    assert read(tmp_path, "b.md", front.format("Byron Smith")).article.byline == "Byron Smith"
    nobody = read(tmp_path, "c.md", front.format("By"))
    assert nobody.article.byline == ""
    assert [p.message for p in nobody.problems] == ["a byline naming nobody ('By'); left out"]


def test_a_heading_id_that_is_dropped_is_a_warning_that_says_why(tmp_path: Path) -> None:
    """Dropped without a word, such an id left its links leading nowhere and the writer
    guessing which rule it broke."""
    text = (
        "---\ntitle: T\ndate: 2026-01-02\n---\n## A {: #we.ird }\n\n## B {: #main }\n\n"
        "## C {: #ok }\n\n### D {: #ok }\n\n## E {: #fine }\n"
    )
    result = read(tmp_path, "a.md", text)
    assert result.article is not None and ' id="fine"' in result.body.html
    assert [(p.line, p.message) for p in result.problems] == [
        (5, "the heading id 'we.ird' is dropped: an id is 1 to 64 letters, digits, '-' or '_'"),
        (7, "the heading id 'main' is dropped: the page gives that id to one of its own parts"),
        (11, "the heading id 'ok' is dropped: an earlier heading has it"),  # the second's line
    ]
    # Past ten, counted: each warning looked through the text for its line (10,000 took 14 s).
    many = read(
        tmp_path, "m.md", "---\ntitle: T\ndate: 2026-01-02\n---\n" + "## H {: #h }\n\n" * 31
    )
    assert [p.line for p in many.problems[:10]] == list(range(7, 27, 2))
    assert many.problems[10].message == "20 more heading ids or attributes are dropped"
    assert len(many.problems) == 11


def test_footnote_labels_that_differ_keep_apart() -> None:
    from sitegen.read import footnote_label

    labels = ["a b", "a-20b", "a_b", "~612062", "a%20b", "<x>", "&lt;x&gt;"]
    assert len({footnote_label(label) for label in labels}) == len(labels)


def test_an_images_width_height_and_loading_written_in_the_markdown_are_left_out() -> None:
    """Markdown's attribute lists (`{: width=...}`) wrote any value, which the sanitiser let
    through: `height="x"`, which HTML checkers refuse, or a width that stretches the image out
    of shape. The build writes the file's own size (`images.sized_images`)."""
    from sitegen.read import render_markdown

    html = render_markdown(
        '![a](b.png){: width="9999999" height="x" loading="eager" decoding="sync" '
        'onerror="alert(1)" style="width:1px" title="Kept" }'
    )[0]
    assert html == '<p><img alt="a" src="b.png" title="Kept"></p>'


def test_attributes_html_made_obsolete_written_in_the_markdown_are_left_out() -> None:
    """`{: align=left}` on an image: nh3 lets it through, and the Nu HTML checker refuses it
    ("The align attribute on the img element is obsolete"). A column's alignment (`| ---: |`)
    still comes through as the style Markdown writes."""
    from sitegen.read import render_markdown

    html = render_markdown("![a](b.png){: align=left }\n\n| x | y |\n| :-- | --: |\n| 1 | 2 |\n")[0]
    assert '<p><img alt="a" src="b.png"></p>' in html
    assert '<th style="text-align: right;">y</th>' in html


# --- Markdown lists as CommonMark nests them ----------------------------------------------------

# A list as a tree: each item (its marker: "-" or "1."), its paragraphs, its nested list.
_ITEMS = st.recursive(
    st.lists(
        st.tuples(st.sampled_from(["-", "*", "1."]), st.integers(1, 2)), min_size=1, max_size=3
    ).map(lambda items: [(marker, paragraphs, []) for marker, paragraphs in items]),
    lambda children: st.lists(
        st.tuples(st.sampled_from(["-", "1."]), st.integers(1, 2), children), min_size=1, max_size=3
    ),
    max_leaves=8,
)


def _written(items: list, nested: Callable[[str, int], int], depth: int = 0, at: int = 0) -> str:
    """The list in Markdown, each nested list `nested(marker, at)` spaces deeper than its
    item's marker; paragraphs after the first at the item's text."""
    lines = []
    for n, (marker, paragraphs, children) in enumerate(items):
        mark = marker if marker != "1." else f"{n + 1}."
        lines.append(" " * at + f"{mark} item {depth}.{n}")
        for p in range(1, paragraphs):
            lines += ["", " " * nested(mark, at) + f"more of {depth}.{n}, {p}"]
        if children:
            lines.append(_written(children, nested, depth + 1, nested(mark, at)))
    return "\n".join(lines)


@settings(max_examples=150, deadline=None)
@given(_ITEMS)
def test_lists_nested_as_commonmark_nests_them_read_as_nested(items: list) -> None:
    """The same list written with nested lists under their item's text (two spaces after "-",
    three after "1.", as CommonMark and GitHub read them) and four spaces deeper (as
    Python-Markdown reads them) gives the same HTML, and the four-space one the HTML it gave
    before lists were read either way."""
    from sitegen.read import markdown_converter, nested_lists_indented

    commonmark = _written(items, lambda mark, at: at + len(mark) + 1)
    four = _written(items, lambda mark, at: at + 4)
    plain = markdown_converter().reset().convert(four)
    assert markdown_converter().reset().convert(nested_lists_indented(four)) == plain
    assert markdown_converter().reset().convert(nested_lists_indented(commonmark)) == plain
    assert plain.count("<ul>") + plain.count("<ol>") >= 1


def test_a_list_after_a_paragraph_and_code_in_an_item_keep_their_reading() -> None:
    from sitegen.read import nested_lists_indented

    text = (
        "Text\n  - not a list: Python-Markdown's paragraph goes on\n\n- a\n  - b\n\n        code\n"
    )
    assert nested_lists_indented(text) == (
        "Text\n  - not a list: Python-Markdown's paragraph goes on\n\n- a\n    - b\n\n            code\n"
    )
    assert nested_lists_indented("No list\n\n    code\n") == "No list\n\n    code\n"


def test_fenced_code_in_a_list_item_or_a_quote_stays_code_in_its_place(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Setup\ndate: 2026-03-04\n---\n"
        "1. Install it:\n\n   ```sh\n   pip install <pkg>\n   tail -f log\n   ```\n\n"
        "2. Run it.\n\n> Quoted:\n>\n> ~~~\n> x = 1\n> ~~~\n"
    )
    html = read(tmp_path, "setup.md", text).body.html
    assert (
        '<li>\n<p>Install it:</p>\n<pre tabindex="0"><code>pip install &lt;pkg&gt;\ntail -f log\n</code></pre>'
        in html
    )
    assert "<li>\n<p>Run it.</p>\n</li>" in html  # the same list goes on after the code
    assert (
        '<blockquote>\n<p>Quoted:</p>\n<pre tabindex="0"><code>x = 1\n</code></pre>\n</blockquote>'
        in html
    )
    assert "<code>sh" not in html


@pytest.mark.parametrize(
    "later",
    ["   ```\n   code\n   ```", "   More about one.", "   > ```\n   > code\n   > ```"],
    ids=["fence", "paragraph", "fence in a quote"],
)
def test_items_after_an_items_later_block_stay_items(tmp_path: Path, later: str) -> None:
    """Python-Markdown read the items after an item's later block (after a blank line) as
    that block's text: "two" and "three" were lost into the first item's last paragraph."""
    front = "---\ntitle: T\ndate: 2026-03-04\n---\n"
    body = f"1. one\n\n{later}\n2. two\n3. three\n"
    quoted = "".join(f"> {line}" for line in body.splitlines(keepends=True))
    for name, text in (("t.md", body), ("q.md", quoted)):  # the same in a quote
        html = read(tmp_path, name, front + text).body.html
        assert html.count("<li>") == 3
        assert "<li>\n<p>two</p>\n</li>" in html and "<li>three</li>" in html
        assert "2. two" not in html
        assert ("<code>code\n</code></pre>" in html) == ("```" in later)


def test_a_fence_that_opens_a_definition_is_code(tmp_path: Path) -> None:
    """SuperFences reads a fence only at a line's start: ": ```" made one line of inline code,
    and a comment in it was removed. A fence in code is the code's."""
    text = (
        "---\ntitle: T\ndate: 2026-03-04\n---\nTerm\n:   ```sh\n    x = 1\n    <!-- kept -->\n"
        "    ```\n\n```\n: ```\n```\n"
    )
    html = read(tmp_path, "t.md", text).body.html
    assert '<dd><pre tabindex="0"><code>x = 1\n&lt;!-- kept --&gt;\n</code></pre></dd>' in html
    assert '<pre tabindex="0"><code>: ```\n</code></pre>' in html


def test_a_list_of_the_other_kind_right_after_a_list_is_a_list(tmp_path: Path) -> None:
    """ "1. two" then "- bullet" was one item, "two - bullet" (the judge helper); CommonMark
    and GitHub start another list. A nested list and a paragraph's lines read as before."""
    front = "---\ntitle: T\ndate: 2026-03-04\n---\n"
    html = read(
        tmp_path, "t.md", front + "1. one\n2. two\n- bullet\n- more\n\nText.\n\n- b\n1. first\n"
    ).body.html
    assert html == (
        "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n<ul>\n<li>bullet</li>\n<li>more</li>\n</ul>\n"
        "<p>Text.</p>\n<ul>\n<li>b</li>\n</ul>\n<ol>\n<li>first</li>\n</ol>"
    )
    nested = read(tmp_path, "n.md", front + "1. one\n   - nested\n2. two\n\nText\n- not a list\n")
    assert nested.body.html == (
        "<ol>\n<li>one<ul>\n<li>nested</li>\n</ul>\n</li>\n<li>two</li>\n</ol>\n"
        "<p>Text\n- not a list</p>"
    )


def test_a_list_in_a_quote_nests_as_written_for_commonmark(tmp_path: Path) -> None:
    """Lists two spaces deeper in a quote were one flat list: the body's lists are indented as
    Python-Markdown reads them before it sees "> " before each line."""
    text = "---\ntitle: T\ndate: 2026-03-04\n---\n> - a\n>   - b\n>   - c\n> - d\n"
    html = read(tmp_path, "t.md", text).body.html
    assert "<li>a<ul>\n<li>b</li>\n<li>c</li>\n</ul>\n</li>\n<li>d</li>" in html


def test_a_fence_inside_emphasis_or_a_link_closes_them_around_the_code(tmp_path: Path) -> None:
    """ "<em><pre>" is no HTML (the Nu checker: "pre not allowed as child of em")."""
    front = "---\ntitle: T\ndate: 2026-03-04\n---\n"
    html = read(tmp_path, "e.md", front + "*said\n```\ncode\n```\nthen*\n").body.html
    assert (
        html
        == '<p><em>said</em></p>\n<pre tabindex="0"><code>code\n</code></pre>\n<p><em>then</em></p>'
    )
    linked = read(tmp_path, "l.md", front + "[a\n```\nc\n```\nb](https://x.org)\n").body.html
    assert '</a></p>\n<pre tabindex="0"><code>c\n</code></pre>\n<p><a href=' in linked


def test_a_fence_against_a_paragraph_splits_it_and_keeps_the_text_after(tmp_path: Path) -> None:
    text = "---\ntitle: T\ndate: 2026-03-04\n---\nBefore\n```\ncode\n```\nAfter the code.\n"
    body = read(tmp_path, "t.md", text).body
    assert (
        body.html
        == '<p>Before</p>\n<pre tabindex="0"><code>code\n</code></pre>\n<p>After the code.</p>'
    )
    assert body.paragraphs == ("Before", "After the code.")


def test_a_markdown_body_under_the_title_neither_repeats_it_nor_gives_a_second_h1(
    tmp_path: Path,
) -> None:
    """The page's h1 is the title: a first heading that repeats it goes, a body written from
    `#` moves a level down, and the summary is the first text, not a heading."""
    front = "---\ntitle: Council opens permit portal\ndate: 2026-03-04\n---\n"
    text = "# Council Opens Permit Portal\n\nThe portal opened.\n\n## Background\n\nIt cost $5m.\n"
    result = read(tmp_path, "a.md", front + text)
    assert result.body.html == "<p>The portal opened.</p>\n<h2>Background</h2>\n<p>It cost $5m.</p>"
    assert result.body.paragraphs == ("The portal opened.", "Background", "It cost $5m.")
    assert result.article.summary == "The portal opened."
    sections = read(tmp_path, "b.md", front + "# Why\n\nBecause.\n\n## How\n\nSo.\n")
    assert sections.body.html == "<h2>Why</h2>\n<p>Because.</p>\n<h3>How</h3>\n<p>So.</p>"
    assert sections.article.summary == "Because."
    level = read(tmp_path, "c.md", front + "## Background\n\nThe river rose.\n")
    assert level.body.html == "<h2>Background</h2>\n<p>The river rose.</p>"
    assert level.article.summary == "The river rose."


def test_html_comments_in_markdown_are_not_published_but_code_keeps_them(tmp_path: Path) -> None:
    """An editor's note in a comment was shown as text on the page, as was Hugo's
    "<!--more-->"; in code a comment is the code's."""
    text = (
        "---\ntitle: T\ndate: 2026-03-04\n---\n"
        "Lead.<!--more-->\n\n<!-- TODO: check the figure\nwith legal -->\n\n"
        "The figure <!-- 4.2? --> stands. See `<!-- x -->`.\n\n    <!-- indented code -->\n\n"
        "```html\n<!-- fenced -->\n```\n\nShown: \\<!-- escaped -->, \\\\<!-- gone -->.\n\n"
        "<!-- never closed\n"
    )
    body = read(tmp_path, "t.md", text).body
    assert "<p>Shown: &lt;!-- escaped --&gt;, \\.</p>" in body.html  # as CommonMark reads it
    assert "TODO" not in body.html and "more" not in body.html and "4.2" not in body.html
    assert "<code>&lt;!-- x --&gt;</code>" in body.html
    assert '<pre tabindex="0"><code>&lt;!-- indented code --&gt;\n</code></pre>' in body.html
    assert '<pre tabindex="0"><code>&lt;!-- fenced --&gt;\n</code></pre>' in body.html
    assert "<p>&lt;!-- never closed</p>" in body.html  # not a comment: text, as written
    assert body.paragraphs[:2] == ("Lead.", "The figure stands. See <!-- x -->.")


# The regex `comments_removed` replaced: its answers on short text, where it is quick.
# A comment's "<" escaped by an odd run of backslashes ("\\<!-- -->") opens none: kept, as is.
COMMENT_OR_CODE_SPAN = re.compile(
    r"(?<!\\)(`+).+?(?<!`)\1(?!`)|(?<!\\)(\\(?:\\\\)*<)|<!--(?s:.*?)-->"
)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["`", "``", "```", "<!--", "-->", "a", "\n", "\\", " ", "<", "-", ">"]),
        max_size=16,
    ).map("".join)
)
def test_comments_are_found_as_the_regex_for_them_found_them(text: str) -> None:
    expected = COMMENT_OR_CODE_SPAN.sub(lambda m: m[0] if m[1] or m[2] else "", text)
    assert comments_removed(text) == expected


@pytest.mark.parametrize(
    "body",
    [("<!-- never closed " * 100 + "\n\n") * 200, "<!-- -->\n\n" + "`" * 3_000 + "a"],
    ids=["comments-never-closed", "backticks-never-closed"],
)
def test_comments_are_removed_in_one_pass_within_any_budget(tmp_path: Path, body: str) -> None:
    """A regex took 95 s on 250 KB of comments never closed and 38 s on 2,000 backticks: in
    the rebuild thread of `watch` and `serve`, whose budget waits for Python code to run, past
    its budget (a preview stalled for hours on 20 KB); in a build, the file was skipped."""
    results = []
    text = f"---\ntitle: T\ndate: 2026-03-04\n---\n{body}\n"
    thread = threading.Thread(target=lambda: results.append(read(tmp_path, "a.md", text)))
    thread.start()
    thread.join(timeout=60)  # a guard against a hang, not a timing claim
    assert results and results[0].article is not None, results and results[0].problems
    assert read(tmp_path, "b.md", text).article is not None  # in the main thread too


def test_a_fence_in_a_link_text_ends_no_attribute_with_its_quotes() -> None:
    """A fence may interrupt a paragraph, so it may sit in an image's text, which Markdown
    writes into the `alt` attribute: a '"' of its code closed that attribute."""
    assert '"' not in fenced_code_html('x" onerror="alert(1)', "")


def test_a_link_to_the_heading_left_out_as_the_title_is_a_warning(tmp_path: Path) -> None:
    text = "---\ntitle: T\ndate: 2026-03-04\n---\n# T {: #top-story }\n\n[Up](#top-story).\n"
    result = read(tmp_path, "a.md", text)
    assert result.body.html == '<p><a href="#top-story">Up</a>.</p>'
    said = " | ".join(str(p) for p in result.problems)
    assert "links to #top-story, which no heading or note names" in said


def test_struck_text_and_bare_addresses_read_as_on_github(tmp_path: Path) -> None:
    text = (
        "---\ntitle: T\ndate: 2026-03-04\n---\n"
        "It cost ~~$5m~~ $6m, ~5 km to ~10 km away.\n\n"
        "See https://example.org/r.pdf, www.example.org or desk@example.org; "
        "not `https://in.code` nor javascript:alert(1).\n"
    )
    html = read(tmp_path, "t.md", text).body.html
    assert "It cost <del>$5m</del> $6m, ~5 km to ~10 km away." in html
    link = '<a href="{}" rel="noopener noreferrer">{}</a>'
    assert link.format("https://example.org/r.pdf", "https://example.org/r.pdf") in html
    assert link.format("http://www.example.org", "www.example.org") in html
    assert link.format("mailto:desk@example.org", "desk@example.org") in html
    assert "<code>https://in.code</code>" in html and 'href="javascript' not in html


def test_a_bare_address_in_raw_html_shown_as_text_ends_at_its_quote(tmp_path: Path) -> None:
    """Raw HTML is text here: the address in `<img src="...">` is a link to that address, not
    to one ending in '">' (an article moved from Jekyll or Hugo)."""
    text = (
        "---\ntitle: T\ndate: 2026-03-04\n---\n"
        'A pixel: <img src="https://t.example.com/p.gif"> and '
        '<a href="https://e.example/x">click</a>, (https://w.example/Foo_(bar)).\n'
    )
    html = read(tmp_path, "t.md", text).body.html
    link = '<a href="{0}" rel="noopener noreferrer">{0}</a>'
    assert f'&lt;img src="{link.format("https://t.example.com/p.gif")}"&gt; and' in html
    assert f'&lt;a href="{link.format("https://e.example/x")}"&gt;click&lt;/a&gt;' in html
    assert f"({link.format('https://w.example/Foo_(bar)')})." in html


@pytest.mark.parametrize(
    ("text", "address", "after"),
    [
        ("See https://w.example/Mercury_(planet).", "https://w.example/Mercury_(planet)", "."),
        ("(see https://w.example/a) then", "https://w.example/a", ") then"),
        ("(https://w.example/A_(b)_c))", "https://w.example/A_(b)_c", "))"),
    ],
)
def test_a_bare_address_keeps_the_bracket_it_opened_whatever_the_extension_version(
    tmp_path: Path, text: str, address: str, after: str
) -> None:
    """pymdown-extensions 12, which pip installs for Python before 3.11.5 (Debian 12's), ended
    an address before a closing bracket it opened; 13 keeps it. The same link with either."""
    html = read(tmp_path, "t.md", f"---\ntitle: T\ndate: 2026-03-04\n---\n{text}\n").body.html
    assert f'<a href="{address}" rel="noopener noreferrer">{address}</a>{after}' in html


@pytest.mark.parametrize(
    "header", ['~~~ python hl_lines="1"', '```python linenums="1"', "``` any words at all"]
)
def test_a_fence_whose_header_has_options_or_words_is_still_code(tmp_path: Path, header) -> None:
    fence = header[:3]
    text = f"---\ntitle: T\ndate: 2026-03-04\n---\nIntro.\n\n{header}\nx < 1\n{fence}\n"
    assert read(tmp_path, "t.md", text).body.html == (
        '<p>Intro.</p>\n<pre tabindex="0"><code>x &lt; 1\n</code></pre>'
    )


OTHER_SCRIPT_PIECES = [
    "Cuba",
    "talks",
    "“a”",
    "O’Neil",
    "—",
    "é",
    "سلام",
    "Привет",
    "&#1575;",
    "\\u0627",
    "*x*",
]


@settings(max_examples=300, deadline=None)
@given(
    title=st.lists(st.sampled_from(OTHER_SCRIPT_PIECES), min_size=1, max_size=4).map(" ".join),
    paragraphs=st.lists(
        st.lists(st.sampled_from(OTHER_SCRIPT_PIECES), min_size=1, max_size=8).map(" ".join),
        min_size=1,
        max_size=4,
    ),
    front=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    suffix=st.sampled_from([".txt", ".md"]),
)
def test_what_the_bytes_tell_of_other_scripts_changes_no_article(
    tmp_path_factory: pytest.TempPathFactory,
    title: str,
    paragraphs: list[str],
    front: bool,
    encoding: str,
    suffix: str,
) -> None:
    """The reader tells from a UTF-8 file's bytes that its text holds no letters of another
    script than Latin (`Body.other_scripts`), without encoding the text again: the article is
    the one read from the text alone, and a body said to hold none holds none (a title in
    YAML escapes, Markdown's entities and UTF-16 files are where the bytes would mislead)."""
    from sitegen.language import may_hold_other_scripts
    from sitegen.read import parse_article

    root = tmp_path_factory.mktemp("other")
    text = article_text("2026-02-06", "Header title", *paragraphs)
    if front:
        text = f'---\ntitle: "{title}"\n---\n' + text
    path = root / f"a{suffix}"
    path.write_bytes(text.encode(encoding))
    result = read_article(path, root)
    assert result.article is not None and result.body is not None
    article, body = parse_article(
        decode(path.read_bytes(), print),
        source=result.article.source,
        digest=result.article.digest,
        markdown_body=suffix == ".md",
        warn=lambda *_: None,
    )
    assert result.article == article
    assert (result.body.html, result.body.paragraphs) == (body.html, body.paragraphs)
    if not result.body.other_scripts:
        assert not any(map(may_hold_other_scripts, result.body.paragraphs))


def test_a_file_in_latin_letters_and_curly_quotes_is_known_to_hold_no_other_script(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(article_text("2026-02-06", "Talks", "“We agree,” said Ana O’Neil — in Havana."))
    result = read_article(path, tmp_path)
    assert result.body is not None and not result.body.other_scripts
    path.write_text(article_text("2026-02-06", "Talks", "He said: «سلام» in Havana."))
    result = read_article(path, tmp_path)
    assert result.body is not None and result.body.other_scripts


def test_a_title_in_other_letters_written_as_yaml_escapes_in_an_ascii_file_is_told(
    tmp_path: Path,
) -> None:
    """The file's bytes are ASCII, but its title, in YAML escapes, is Arabic."""
    path = tmp_path / "a.txt"
    front = '---\ntitle: "\\u0645\\u0631\\u062d\\u0628\\u0627 \\u0628\\u0643\\u0645"\n---\n'
    path.write_text(front + article_text("2026-02-06", "Header", "2026 - 11 - 29"))
    result = read_article(path, tmp_path)
    assert result.article is not None and result.article.title == "مرحبا بكم"
    assert result.article.lang == "ar"


def test_a_markdown_link_to_a_place_the_article_lacks_is_a_warning(tmp_path: Path) -> None:
    """`check` reports it in the built page; the build names it with the article's file."""
    text = (
        "---\ntitle: T\ndate: 2026-01-02\n---\n[a](#later) [b](#main) [c](#nowhere) [d](#top) "
        "[e](#place%201) [f][^n 1] [g](#nowhere)\n\n## Later {: #later }\n\n[^n 1]: A note.\n"
    )
    result = read(tmp_path, "a.md", text)
    assert result.article is not None
    assert [p.message for p in result.problems] == [
        "its Markdown links to #nowhere, which no heading or note names",
        "its Markdown links to #place%201, which no heading or note names",
    ]
    assert [p.line for p in result.problems] == [5, 5]


def test_a_file_swapped_after_the_listing_for_a_symlink_out_or_a_pipe_is_not_read(
    tmp_path: Path,
) -> None:
    """The listing refuses symlinks out of the source folder and named pipes, but a file can
    be replaced between the listing and the read: a symlink renamed over an article published
    the file it led to, and a pipe made the build wait for ever. The read itself refuses."""
    root = tmp_path / "articles"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text(article_text("2026-03-01", "Outside secret", "SECRET OUTSIDE CONTENT"))
    (root / "inside.txt").write_text(article_text("2026-03-02", "Inside", "Text."))
    (root / "swapped.txt").symlink_to(secret)  # as a listing would not have let it through
    (root / "linked.txt").symlink_to(root / "inside.txt")  # inside: followed
    os.mkfifo(root / "pipe.txt")

    swapped = read_article(root / "swapped.txt", root)
    assert swapped.article is None
    assert "led outside the source folder" in swapped.problems[0].message
    assert read_article(root / "linked.txt", root).article is not None

    done: list = []
    reader = threading.Thread(target=lambda: done.append(read_article(root / "pipe.txt", root)))
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # free the reader before failing: a writer opening the pipe
        with open(root / "pipe.txt", "w"):
            pass
        pytest.fail("reading a named pipe waited for a writer")
    assert done[0].article is None and "not a regular file" in done[0].problems[0].message


@pytest.mark.parametrize("lead", ["\ufeff\ufeff", "\u200b", "\ufeff\u2060"])
def test_front_matter_after_invisible_characters_is_read(tmp_path: Path, lead: str) -> None:
    """A second byte order mark (one is taken by the decoding) or a zero-width character
    before `---` hid the front matter: skipped "for want of a date line", where a date line
    after them is read."""
    text = f"{lead}---\ntitle: Double mark\ndate: 2026-03-01\n---\n\nBody text.\n"
    result = read(tmp_path, "a.md", text.encode("utf-8"))
    assert result.article is not None, result.problems
    assert result.article.title == "Double mark" and result.article.date == dt.date(2026, 3, 1)
    assert "Body text." in result.body.html and "---" not in result.body.html
