"""The language and direction of articles in other scripts: detected from their letters, said
in `lang` and `dir` on the pages, feeds and JSON-LD that show them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.language import (
    SCRIPTS,
    detect_language,
    direction,
    may_hold_other_scripts,
    paragraph_attributes,
    script_letters,
    text_attributes,
)
from tests.conftest import article_text

SAMPLES = {
    "ar": "قالت وزارة الخارجية المصرية إن الاجتماع سيعقد في القاهرة الأسبوع المقبل",
    "fa": "وزارت امور خارجه ایران روز یکشنبه اعلام کرد که گفتگوها در تهران ادامه پیدا می‌کند",
    "ur": "پاکستان کے وزیر اعظم نے کہا ہے کہ حکومت عوام کی فلاح کے لیے کام کر رہی ہے",
    # Sorani Kurdish and Uyghur were taken for Persian (the hostile helper)
    "ckb": "حکومەتی هەرێمی کوردستان ڕایگەیاند کە کۆبوونەوەیەک لەگەڵ بەغدا ئەنجام دەدرێت",
    "ug": "ئۇيغۇر ئاپتونوم رايونىنىڭ ھۆكۈمىتى بۈگۈن يىغىن ئېچىپ، يېڭى سىياسەتنى ئېلان قىلدى",
    "he": "ראש הממשלה אמר היום כי הממשלה תפעל למען אזרחי המדינה",
    "ru": "Министр иностранных дел России заявил, что переговоры продолжатся на следующей неделе",
    "uk": "Міністр закордонних справ України заявив, що переговори триватимуть і наступного тижня",
    "bg": "Министърът на външните работи заяви, че преговорите ще продължат през следващата седмица",
    "sr": "Министар спољних послова Србије рекао је да ће се преговори наставити следеће недеље",
    # Both write Ukrainian's "і" too, and were taken for Ukrainian.
    "kk": "Қазақстан Сыртқы істер министрі келіссөздер келесі аптада жалғасатынын айтты",
    "be": "Міністр замежных спраў Беларусі заявіў, што перамовы працягнуцца на наступным тыдні",
    "el": "Ο υπουργός Εξωτερικών δήλωσε ότι οι συνομιλίες θα συνεχιστούν την επόμενη εβδομάδα",
    "zh": "中国外交部发言人表示，双方将在下周继续举行会谈。",
    "ja": "外務省の報道官は、双方が来週も協議を続けると述べた。",
    "ko": "외교부 대변인은 양측이 다음 주에도 회담을 계속할 것이라고 말했다.",
    "hi": "विदेश मंत्रालय के प्रवक्ता ने कहा कि बातचीत अगले सप्ताह जारी रहेगी",
    "th": "โฆษกกระทรวงการต่างประเทศกล่าวว่าการเจรจาจะดำเนินต่อไปในสัปดาห์หน้า",
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_the_letters_of_a_text_tell_its_language(language: str) -> None:
    assert detect_language([SAMPLES[language]]) == language
    assert may_hold_other_scripts(SAMPLES[language])


def test_japanese_with_an_english_sentence_is_japanese() -> None:
    """Han and kana are both Japanese's letters: counted apart, neither was over half the
    letters once an English sentence stood among them, and the article took the site's `en`."""
    japanese = "政府は月曜日、東京で開かれた会議で新たな経済対策をまとめた。物価の上昇が続く中、家計への支援を強化する方針だ。"
    texts = ["東京都知事選挙告示", japanese, "The governor said he would run again.", japanese]
    counts = script_letters(" ".join(texts))
    assert counts["Han"] * 2 < counts.total() and counts["Kana"] * 2 < counts.total()
    assert detect_language(texts) == "ja"
    assert (
        detect_language(["The governor said on Monday he would run again.", "再選を目指す"]) == ""
    )


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII text about Cairo.",
        "Curly “quotes” — and dashes, in Zürich, São Paulo and Łódź.",
        "Việt Nam’s minister met “Беларусь” and “مصر” envoys in Hà Nội.",  # a few words
        "",
    ],
)
def test_latin_text_or_a_few_foreign_words_name_no_language(text: str) -> None:
    assert detect_language([text]) == ""


def test_the_quick_test_lets_latin_punctuation_through() -> None:
    assert not may_hold_other_scripts("“Quoted” — text… with ½ € ™ and é, ß, ł")
    assert may_hold_other_scripts("A name: Ελλάδα")


def test_the_quick_test_lets_no_letter_of_another_script_through() -> None:
    """`detect_language` and the reader skip the regex of every script's letters where the quick
    test finds none: it must find each of them (a text in Arabic presentation forms, as copied
    out of a PDF, was taken for Latin)."""
    missed = [
        f"{script} U+{code:04X}"
        for script, (letters, _) in list(SCRIPTS.items())[1:]
        for first, last in re.findall("(.)-(.)", letters)
        for code in range(ord(first), ord(last) + 1)
        if not may_hold_other_scripts(f"Cairo {chr(code)}")
    ]
    assert missed == []
    assert detect_language(["ﻣﺼﺮ ﺗﻘﻮﻝ ﺇﻥ ﺍﻟﻤﺤﺎﺩﺛﺎﺕ ﺳﺘﺴﺘﻤﺮ"]) == "ar"


def test_right_to_left_languages() -> None:
    assert [direction(x) for x in ("ar", "he", "fa-IR", "UR", "en", "zh", "")] == (
        ["rtl", "rtl", "rtl", "rtl", "", "", ""]
    )


@pytest.mark.parametrize(
    "tag", ["ckb", "ckb-IQ", "nqo", "ks", "mzn", "lrc", "bal", "sdh", "skr", "rhg", "apc", "ary"]
)
def test_languages_written_right_to_left_by_their_likely_script(tag: str) -> None:
    """A list of eleven languages left Sorani Kurdish, N'Ko, Kashmiri, Moroccan Arabic and
    thirty more left to right (the hostile helper); CLDR's likely script tells."""
    assert direction(tag) == "rtl"


@pytest.mark.parametrize("tag", ["ku", "pa", "ha", "ms", "uz", "tt", "xx", "und", "sw-KE"])
def test_languages_of_scripts_written_left_to_right_stay_so(tag: str) -> None:
    assert direction(tag) == ""


def test_a_sorani_site_and_article_are_right_to_left(make_site, run_cli) -> None:
    site = make_site(
        {
            "sitegen.yaml": "language: ckb\n",
            "articles/001_aaaaaaaaaaaaaaaa.txt": "---\nlang: ckb\n---\n"
            + article_text("2026-02-06", "هەواڵەکان", "وەزیری دەرەوە ئەمڕۆ وتی."),
            "articles/002_bbbbbbbbbbbbbbbb.txt": "---\nlang: ckb\n---\n"
            + article_text("2026-02-07", "More news", "The minister spoke today."),
        }
    )
    result = run_cli(site, "build")
    assert result.exit_code == 0, result.output
    assert '<html lang="ckb" dir="rtl">' in (site / "public/index.html").read_text()
    english = make_site(
        {
            "articles/001_aaaaaaaaaaaaaaaa.txt": "---\nlang: ckb\n---\n"
            + article_text("2026-02-06", "هەواڵەکان", "وەزیری دەرەوە ئەمڕۆ وتی."),
        }
    )
    assert run_cli(english, "build").exit_code == 0
    page = next((english / "public").glob("2026/02/06/*/index.html")).read_text()
    assert 'lang="ckb" dir="rtl"' in page


def test_a_paragraph_in_another_language_than_its_article_is_marked() -> None:
    english = ["The minister spoke.", SAMPLES["ar"], "He left.", SAMPLES["zh"]]
    assert paragraph_attributes(english, "") == ["", ' lang="ar" dir="rtl"', "", ' lang="zh"']
    arabic = [SAMPLES["ar"], "Reuters, Cairo", SAMPLES["fa"]]  # Persian: the same script
    assert paragraph_attributes(arabic, "ar") == ["", ' lang="und-Latn" dir="ltr"', ""]
    assert paragraph_attributes(["Only English."], "") is None


@pytest.mark.parametrize(
    ("tag", "shown"),
    [("ar", "rtl"), ("ar-EG", "rtl"), ("ar-Latn", ""), ("az-Arab", "rtl"), ("fa-Latn-IR", ""),
     ("he", "rtl"), ("sr-Latn", ""), ("en", ""), ("ku-arab", "rtl"), ("en-x-arab", "")],
)  # fmt: skip
def test_a_tags_script_decides_its_direction(tag: str, shown: str) -> None:
    """`lang: ar-Latn` (Arabic in Latin letters) was set right to left, by its language; the
    script a tag names decides (the hostile helper)."""
    assert direction(tag) == shown


def test_a_paragraph_reads_in_the_direction_it_opens_in() -> None:
    """ "Arabic version: قالت..." in an English report was set right to left as a whole, its
    label at the right and its colon on the wrong side (the judge helper); as `dir="auto"`
    reads it, a paragraph's first letter decides its direction, its letters its language."""
    arabic = SAMPLES["ar"]
    assert text_attributes(f"Arabic version: {arabic}", "en") == ' lang="ar"'
    assert text_attributes(arabic, "en") == ' lang="ar" dir="rtl"'
    assert text_attributes(f"«{arabic}»", "en") == ' lang="ar" dir="rtl"'
    english = "The ministry said the meeting would be held in Cairo next week, officials added."
    assert text_attributes(english, "ar") == ' lang="und-Latn" dir="ltr"'
    assert text_attributes(f"النسخة: {english}", "ar") == ' lang="und-Latn"'


def test_a_paragraph_without_letters_keeps_its_articles_direction() -> None:
    """Set left to right, "2026" or "***" in an Arabic article stood at the other side."""
    assert paragraph_attributes(["2026", "— 12 —", "***"], "ar") is None
    assert paragraph_attributes(["Reuters, 2026"], "ar") == [' lang="und-Latn" dir="ltr"']
    assert text_attributes("2026", "ar") == text_attributes("2026", "") == ""


def build_site(make_site, run_cli, files: dict[str, str]) -> Path:
    site = make_site(files)
    result = run_cli(site, "build")
    assert result.exit_code == 0, result.output
    return site / "public"


def page_of(public: Path, slug_part: str) -> str:
    [page] = [p for p in public.glob("2026/*/*/*/index.html") if slug_part in str(p)]
    return page.read_text(encoding="utf-8")


def cairo_talks() -> dict[str, str]:
    """An article in Arabic and one in English quoting it."""
    return {
        "articles/001_aaaaaaaaaaaaaaaa.txt": article_text(
            "2026-02-06", "مصر تستضيف محادثات", SAMPLES["ar"], SAMPLES["ar"]
        ),
        "articles/002_bbbbbbbbbbbbbbbb.txt": article_text(
            "2026-02-07",
            "Talks in Cairo",
            "The talks opened in Cairo on Monday, with envoys from both sides.",
            "A statement from the ministry, read out in Arabic, said:",
            SAMPLES["ar"],
            "The envoys are to meet again next week, officials said.",
        ),
    }


def test_an_arabic_article_is_marked_on_its_page_lists_and_feed(make_site, run_cli) -> None:
    public = build_site(
        make_site,
        run_cli,
        cairo_talks(),
    )
    arabic = next(p for p in public.glob("2026/02/06/*/index.html")).read_text()
    assert '<h1 lang="ar" dir="rtl">مصر تستضيف محادثات</h1>' in arabic
    assert '<div class="article-body" lang="ar" dir="rtl">' in arabic
    assert '"inLanguage": "ar"' in arabic.replace('":"', '": "')
    assert '<bdi lang="ar" dir="rtl">' not in arabic  # its neighbour is in English
    english = page_of(public, "talks-in-cairo")
    assert '<p lang="ar" dir="rtl">' + SAMPLES["ar"] + "</p>" in english
    assert "<p>The talks opened in Cairo on Monday" in english
    assert "<h1>Talks in Cairo</h1>" in english
    assert '<bdi lang="ar" dir="rtl">مصر تستضيف محادثات</bdi>' in english  # "← Previous"
    home = (public / "index.html").read_text()
    assert re.search(r'<h2 class="item-title" lang="ar" dir="rtl"><a [^>]*>مصر', home)
    assert '<html lang="en">' in home
    feed = (public / "feed.xml").read_text()
    assert re.search(r'<entry xml:base="[^"]*" xml:lang="ar">', feed)
    assert len(re.findall(r"<entry xml:base=\"[^\"]*\">", feed)) == 1  # the English one
    # Feed readers set entries left to right: the Arabic one's text says otherwise.
    contents = {e.title: e.content[0].value for e in feedparser.parse(feed).entries}
    assert contents["مصر تستضيف محادثات"].startswith('<div dir="rtl"><p>')
    assert contents["Talks in Cairo"].startswith("<p>")


LEAD = "The talks opened in Cairo on Monday, with envoys from both sides."


def body_of(page: str) -> str:
    return page.split('<div class="article-body"', 1)[1].split("\n</div>", 1)[0]


def test_markdown_blocks_in_another_script_are_marked_as_plain_text_paragraphs(
    make_site, run_cli
) -> None:
    """A paragraph in Latin letters in an Arabic Markdown article was set right to left, its
    full stop at its start; an Arabic quote in an English one, left to right, read aloud
    with an English voice. Each block of text is marked on its own, as a `.txt` paragraph."""
    arabic = SAMPLES["ar"]
    paragraphs = ["The envoys met on Monday, officials said.", SAMPLES["ru"]]
    files = {
        "articles/001_aaaaaaaaaaaaaaaa.txt": article_text(
            "2026-02-06", arabic, arabic, *paragraphs
        ),
        "articles/002_bbbbbbbbbbbbbbbb.md": article_text(
            "2026-02-07", arabic, arabic, *paragraphs,
            f"> {paragraphs[0]}\n\n## Talks in Cairo\n\n- {arabic}\n- An item\n"
            f"  - {arabic}\n\n| البلد | Name | 2026 |\n|---|---|--:|\n| مصر | Egypt | 12 |",
        ),
        "articles/003_cccccccccccccccc.md": article_text(
            "2026-02-08", "Talks in Cairo", LEAD, arabic, "*Envoys* are to meet again next week."
        ),
    }  # fmt: skip
    public = build_site(make_site, run_cli, files)
    text = body_of(page_of(public, "2026/02/06"))
    markdown = body_of(page_of(public, "2026/02/07"))
    for paragraph in (f"<p>{arabic}</p>", *(f"<p{a}>{p}</p>" for a, p in [
        (' lang="en" dir="ltr"', paragraphs[0]), (' lang="ru"', paragraphs[1])
    ])):  # fmt: skip
        assert paragraph in text and paragraph in markdown
    # and a quote all in English takes its direction, for its bar (style.css)
    assert f'<blockquote dir="ltr">\n<p lang="en" dir="ltr">{paragraphs[0]}</p>' in markdown
    assert '<h2 lang="en" dir="ltr">Talks in Cairo</h2>' in markdown
    assert f"<li>{arabic}</li>" in markdown
    # An item holding a list is not marked: its direction would pass to the Arabic within it.
    assert f"<li>An item<ul>\n<li>{arabic}</li>" in markdown
    assert '<th lang="en" dir="ltr">Name</th>' in markdown
    assert '<td lang="en" dir="ltr">Egypt</td>' in markdown
    assert '<th style="text-align: right;">2026</th>' in markdown  # no letters: unmarked
    assert "<td>مصر</td>" in markdown
    english = body_of(page_of(public, "talks-in-cairo"))
    assert f"<p>{LEAD}</p>" in english
    assert f'<p lang="ar" dir="rtl">{arabic}</p>' in english
    assert "<p><em>Envoys</em> are to meet again next week.</p>" in english


def test_front_matter_lang_and_a_right_to_left_site(make_site, run_cli) -> None:
    site = make_site(
        {
            "sitegen.yaml": "language: he\n",
            "articles/001_aaaaaaaaaaaaaaaa.txt": "---\nlang: fr-CA\n---\n"
            + article_text("2026-02-06", "Les nouvelles", "Le ministre a parlé."),
            "articles/002_bbbbbbbbbbbbbbbb.txt": "---\nlang: not a tag!\n---\n"
            + article_text("2026-02-07", SAMPLES["he"][:20], SAMPLES["he"]),
        }
    )
    result = run_cli(site, "build")
    assert result.exit_code == 0, result.output
    assert "002_bbbbbbbbbbbbbbbb.txt:2:" in result.output and "'lang'" in result.output
    public = site / "public"
    home = (public / "index.html").read_text()
    assert '<html lang="he" dir="rtl">' in home
    french = next(public.glob("2026/02/06/*/index.html")).read_text()
    assert '<h1 lang="fr-CA" dir="ltr">Les nouvelles</h1>' in french
    hebrew = next(public.glob("2026/02/07/*/index.html")).read_text()
    assert "<h1>" + SAMPLES["he"][:20].strip() in hebrew  # the site's language: nothing to say
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', french, re.S)[1])  # type: ignore[index]
    assert data["inLanguage"] == "fr-CA"


def test_a_front_matter_lang_is_written_as_the_nu_checker_reads_it(make_site, run_cli) -> None:
    """An article's `lang: ar-u-nu-arab` went into its page's and the lists' `lang` as written,
    which the Nu HTML checker refuses ("Unknown extension u"): the page says "ar", as for the
    site's `language`. An extension no registry knows ("en-a-bbb") is no language tag."""
    site = make_site(
        {
            "articles/001_aaaaaaaaaaaaaaaa.txt": "---\nlang: ar-EG-u-nu-arab\n---\n"
            + article_text("2026-02-06", SAMPLES["ar"][:20], SAMPLES["ar"]),
            "articles/002_bbbbbbbbbbbbbbbb.txt": "---\nlang: en-a-bbb\n---\n"
            + article_text("2026-02-07", "Odd tag", "Some text."),
        }
    )
    result = run_cli(site, "build")
    assert result.exit_code == 0, result.output
    assert "002_bbbbbbbbbbbbbbbb.txt:2: front matter 'lang' 'en-a-bbb' is no language" in (
        result.output
    )
    public = site / "public"
    arabic = next(public.glob("2026/02/06/*/index.html")).read_text()
    assert '<h1 lang="ar-EG" dir="rtl">' in arabic
    for path in public.rglob("*.*"):
        if path.suffix in (".html", ".xml"):
            assert "-u-" not in path.read_text() and "en-a-bbb" not in path.read_text(), path


REFUSED_TAGS = {
    "fr-US-US": "'us' is no subtag in its place",
    "fr-Latn": "'fr' goes without its script 'latn': leave it out",
    "en-abcdefgh": "'abcdefgh' is no subtag in its place",
    "fr-CA-1901": "the variant '1901' goes after 'de'",
    "fr-999": "no region is '999'",
    "qaa-Qaaa": "no script is 'qaaa'",  # a private script: the Nu checker crashed on it
    "xyz": "no language is 'xyz'",
    "iw": "'iw' is deprecated: write 'he'",
    "de-1901-1901": "'1901' twice",
}


def test_a_front_matter_lang_the_language_registry_refuses_is_ignored(make_site, run_cli) -> None:
    """Well-formed tags that the IANA registry refuses went into the `lang` of the article's
    page and of every list and neighbour showing it, each refused by the Nu HTML checker (the
    hostile-input helper): each is named, with why, and left out; registered ones are kept."""
    files = {
        f"articles/{n:03d}_{n:016x}.txt": f"---\nlang: {tag}\n---\n"
        + article_text(f"2026-02-{n + 1:02d}", f"Story {n}", "Du texte.")
        for n, tag in enumerate([*REFUSED_TAGS, "de-CH-1901", "sr-Cyrl-RS"])
    }
    site = make_site(files)
    result = run_cli(site, "build")
    assert result.exit_code == 0, result.output
    for n, (tag, why) in enumerate(REFUSED_TAGS.items()):
        line = f"{n:03d}_{n:016x}.txt:2: front matter 'lang' {tag!r} is no language tag such as"
        assert f"{line} ar or pt-BR ({why}); ignored" in result.output, tag
    pages = [p.read_text() for p in (site / "public").rglob("*.html")]
    for tag in REFUSED_TAGS:
        assert not any(f'lang="{tag}"' in page for page in pages), tag
    for tag in ("de-CH-1901", "sr-Cyrl-RS"):
        assert any(f'<h1 lang="{tag}"' in page for page in pages), tag


@pytest.mark.parametrize(
    ("language", "why"),
    [
        ("en-US-US", "'us' is no subtag in its place"),
        ("en-x" + "-abcdefgh" * 200, "longer than 64"),
    ],
)
def test_a_site_language_the_registry_refuses_is_a_config_error(
    make_site, run_cli, language: str, why: str
) -> None:
    """One of 1,800 characters pushed every page's `<meta charset>` past its first 1,024
    bytes, where browsers look for it."""
    site = make_site({"sitegen.yaml": f"language: {language}\n"})
    result = run_cli(site, "build")
    assert result.exit_code != 0
    assert "sitegen.yaml: language: must be a language tag such as en or pt-BR (" in result.output
    assert why in result.output and "Traceback" not in result.output


def test_an_english_article_on_a_site_in_arabic_is_marked_english(make_site, run_cli) -> None:
    """Latin letters on a site whose language has other letters are no text in the site's
    language: taken for English (as Arabic letters are taken for Arabic), set left to right."""
    public = build_site(
        make_site,
        run_cli,
        {**cairo_talks(), "sitegen.yaml": "language: ar\n"},
    )
    english = page_of(public, "talks-in-cairo")
    assert '<h1 lang="en" dir="ltr">Talks in Cairo</h1>' in english
    assert '<div class="article-body" lang="en" dir="ltr">' in english
    assert '<p lang="ar" dir="rtl">' + SAMPLES["ar"] + "</p>" in english  # its quote
    assert '"inLanguage": "en"' in english.replace('":"', '": "')
    arabic = next(public.glob("2026/02/06/*/index.html")).read_text()
    assert "<h1>مصر تستضيف محادثات</h1>" in arabic  # the site's own language
    assert '<bdi lang="en" dir="ltr">Talks in Cairo</bdi>' in arabic  # "Next"
    home = (public / "index.html").read_text()
    assert '<html lang="ar" dir="rtl">' in home
    assert re.search(r'<h2 class="item-title" lang="en" dir="ltr"><a [^>]*>Talks', home)
    feed = (public / "feed.xml").read_text()
    assert re.search(r'<entry xml:base="[^"]*" xml:lang="en">', feed)
    contents = {e.title: e.content[0].value for e in feedparser.parse(feed).entries}
    assert contents["مصر تستضيف محادثات"].startswith('<div dir="rtl">')  # the site's language
    assert contents["Talks in Cairo"].startswith("<p")


def test_latin_letters_on_a_site_whose_language_tag_names_them_are_its_language(
    make_site, run_cli
) -> None:
    """`sr-Latn` is Serbian in Latin letters: an article in them is in the site's language,
    not English (as on a site in `sr`, written in Cyrillic)."""
    public = build_site(
        make_site, run_cli, {**cairo_talks(), "sitegen.yaml": "language: sr-Latn\n"}
    )
    english = page_of(public, "talks-in-cairo")
    assert "<h1>Talks in Cairo</h1>" in english


def test_chinese_text_counts_a_word_a_character(make_site, run_cli) -> None:
    sentence = "中国外交部发言人表示，双方将在下周继续举行会谈。"  # 22 characters, no spaces
    public = build_site(
        make_site,
        run_cli,
        {"articles/001_aaaaaaaaaaaaaaaa.txt": article_text("2026-02-06", "会谈", sentence * 40)},
    )
    page = next(public.glob("2026/02/06/*/index.html")).read_text()
    assert '"wordCount": 881' in page.replace('":', '": ').replace(":  ", ": ")  # 880 + 1
    assert "4 min read" in page  # 881 words at 230 a minute


def _range_edges() -> list[str]:
    """The first and last letter of every range of every script, and the characters just
    outside them: where a count by first bytes could go wrong."""
    edges = []
    for chars, _ in SCRIPTS.values():
        for match in re.finditer(r"(.)-(.)|(.)", chars):
            first, last = (match[3], match[3]) if match[3] else (match[1], match[2])
            for code in (ord(first) - 1, ord(first), ord(last), ord(last) + 1):
                if 0 <= code < 0x110000 and not 0xD800 <= code < 0xE000:
                    edges.append(chr(code))
    return edges


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from([*_range_edges(), " ", ".", "’", "a", "é", "ж", "ب", "漢", "カ"])
        | st.characters(exclude_categories=("Cs",)),
        max_size=40,
    ).map("".join)
)
def test_letters_are_counted_by_script_as_one_pattern_of_every_script_counts_them(
    text: str,
) -> None:
    """`script_letters` counts only the scripts whose first bytes the text's UTF-8 holds:
    the counts of one pattern with a group for each script, tried at every character."""
    from collections import Counter

    every = re.compile("|".join(f"(?P<{name}>[{chars}]+)" for name, (chars, _) in SCRIPTS.items()))
    expected: Counter[str] = Counter()
    for match in every.finditer(text):
        expected[match.lastgroup or ""] += match.end() - match.start()
    assert script_letters(text) == expected


@pytest.mark.parametrize(
    ("site_language", "latin"),
    [("en", "en"), ("fr", "fr"), ("ar", "en"), ("ja", "en"), ("sr-Latn", "sr-Latn")],
)
def test_latin_text_in_an_article_in_other_letters_is_in_the_sites_latin_language(
    make_site, run_cli, site_language: str, latin: str
) -> None:
    """An English quote in an Arabic or a Japanese report took the article's language, and
    screen readers read it with an Arabic or a Japanese voice: it is in the site's language
    where that is written in Latin letters, else in English; in the feed's entry too."""
    english = "The envoys met on Monday, officials said."
    files = {
        "sitegen.yaml": f"language: {site_language}\n",
        "articles/001_aaaaaaaaaaaaaaaa.txt": article_text(
            "2026-02-06", SAMPLES["ar"][:30], SAMPLES["ar"], english
        ),
        "articles/002_bbbbbbbbbbbbbbbb.txt": article_text(
            "2026-02-07", SAMPLES["ja"][:12], SAMPLES["ja"], english
        ),
    }
    public = build_site(make_site, run_cli, files)
    pages = [body_of(page_of(public, "2026/02/06")), body_of(page_of(public, "2026/02/07"))]
    assert f'<p lang="{latin}" dir="ltr">{english}</p>' in pages[0]
    assert f'<p lang="{latin}">{english}</p>' in pages[1]
    assert all("und-Latn" not in page for page in pages)
    feed = (public / "feed.xml").read_text(encoding="utf-8")
    assert f'&lt;p lang="{latin}" dir="ltr"&gt;{english}' in feed and "und-Latn" not in feed


def test_a_byline_or_tag_in_another_script_than_the_sites_says_its_language(
    make_site, run_cli
) -> None:
    """Found by an output-review helper: on an Arabic site "Staff, Agencies" and a tag "Cuba"
    had no `lang`, so screen readers read them with an Arabic voice (WCAG 3.1.2); an Arabic
    byline on an English site had the English one. An English site's own bylines and tags
    stay as they were, without attributes."""
    arabic = make_site(
        {
            "sitegen.yaml": "language: ar\n",
            "articles/a.txt": "---\ntags: [Cuba]\n---\n"
            + article_text("2026-02-08", "محادثات", SAMPLES["ar"], byline="Staff, Agencies"),
        },
        "ar",
    )
    english = make_site(
        {
            "articles/a.txt": "---\ntags: [Cuba]\n---\n"
            + article_text("2026-02-08", "Talks", "Talks went on.", byline="الجزيرة نت"),
            "articles/b.txt": article_text("2026-02-09", "Trade", "Trade grew.", byline="Staff"),
        },
        "en",
    )
    for site in (arabic, english):
        assert run_cli(site, "build").exit_code == 0
    page = next((arabic / "public/2026/02/08").glob("*/index.html")).read_text()
    assert '<bdi lang="en" dir="ltr">Staff, Agencies</bdi>' in page
    assert 'lang="en" dir="ltr">Cuba</a>' in page
    home = (arabic / "public/index.html").read_text()
    assert '<bdi lang="en" dir="ltr">Staff, Agencies</bdi>' in home
    assert 'lang="en" dir="ltr">Cuba</a>' in (arabic / "public/tags/index.html").read_text()
    page = next((english / "public/2026/02/08").glob("*/index.html")).read_text()
    assert '<bdi lang="ar" dir="rtl">الجزيرة نت</bdi>' in page
    assert (
        '">Cuba</a>' in page and "<bdi>Staff</bdi>" in (english / "public/index.html").read_text()
    )
