"""The interface in the site's language: dates and words from `sitegen.labels`, overridden by
the `labels:` setting, through real builds."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from sitegen.labels import ENGLISH, FIELDS, PLURAL_FORMS, TABLES, Words, check_label
from sitegen.language import DIGIT_ZEROS, numbering_system, without_unicode_extension
from tests.conftest import article_text


def corpus(days: dict[str, int], byline: str | None = "Jeanne Dupont") -> dict[str, str]:
    """`count` articles on each day, one file each."""
    files = {}
    for day, count in days.items():
        for i in range(count):
            name = f"articles/{day}-{i:03d}.txt"
            files[name] = article_text(day, f"Story {i} of {day}", "Some text.", byline=byline)
    return files


def page(site: Path, path: str) -> str:
    return (site / "public" / path).read_text(encoding="utf-8")


def text_of(html: str) -> str:
    """The page's words, without tags: what a reader sees (and a screen reader reads)."""
    return re.sub(r"[ \n]+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_french_site_writes_french_dates_and_words(make_site, run_cli) -> None:
    site = make_site(
        corpus({"2026-02-05": 1, "2026-02-06": 2, "2026-02-07": 1})
        | {"sitegen.yaml": "language: fr\nper_page: 2\n"}
    )
    result = run_cli(site, "build")
    assert result.exit_code == 0, result.output
    article = page(site, "2026/02/06/story-0-of-2026-02-06/index.html")
    assert '<time datetime="2026-02-06">6 février 2026</time>' in article
    assert "Par <bdi>Jeanne Dupont</bdi>" in article
    assert "1 min de lecture" in article
    assert ">Aller au contenu<" in article and ">À la une<" in article and ">Mots-clés<" in article
    assert "← Plus récents" in article and "Plus anciens →" in article
    assert ">Flux</a>" in article
    home = page(site, "index.html")
    assert '<p class="list-count">4 articles</p>' in home
    assert "<h1>Dernières actualités</h1>" in home
    assert "<title>Actualités</title>" in home  # the default title, in French
    numbered = text_of(page(site, "page/1/index.html"))
    assert "Page 1\u00a0: du 5 février 2026 au 6 février 2026" in numbered
    assert "← Plus récents" in numbered
    month = page(site, "2026/02/index.html")
    assert "<h1>Février 2026</h1>" in month
    assert 'content="Archives\u00a0: Février 2026, 4 articles."' in month
    year = page(site, "2026/index.html")
    assert 'aria-label="Mois"' in year and ">Février</a>" in year
    assert "<h1>Archives</h1>" in page(site, "archive/index.html")
    assert "<h1>Page introuvable</h1>" in page(site, "404.html")
    english = ["Latest", "Archive", "Skip to content", "min read", "February", "Page not found"]
    for path in ("index.html", "page/1/index.html", "archive/index.html", "404.html"):
        assert not [w for w in english if re.search(rf"\b{w}\b", page(site, path))], path


def test_labels_override_any_word_of_the_interface(make_site, run_cli) -> None:
    config = (
        "language: fr\n"
        "labels:\n"
        "  latest: Accueil\n"
        "  by: Signé\n"
        "  articles:\n"
        "    one: un seul papier\n"
        "    other: '{n} papiers'\n"
    )
    site = make_site(corpus({"2026-02-06": 2, "2026-02-07": 1}) | {"sitegen.yaml": config})
    assert run_cli(site, "build").exit_code == 0
    home = page(site, "index.html")
    assert ">Accueil</a>" in home and ">À la une<" not in home
    assert "Signé <bdi>Jeanne Dupont</bdi>" in home
    assert '<p class="list-count">3 papiers</p>' in home
    assert '<p class="list-count">un seul papier</p>' in page(site, "2026/02/07/index.html")
    assert ">Archives<" in home  # the others stay French


def test_labels_translate_an_english_site_too(make_site, run_cli) -> None:
    config = "labels:\n  latest: Front page\n  reading_time: '{n}-minute read'\n"
    site = make_site(corpus({"2026-02-06": 1}) | {"sitegen.yaml": config})
    assert run_cli(site, "build").exit_code == 0
    article = page(site, "2026/02/06/story-0-of-2026-02-06/index.html")
    assert ">Front page</a>" in article and "1-minute read" in article
    assert "6 February 2026" in article


def test_a_rebuild_after_new_labels_or_language_shows_them(make_site, run_cli) -> None:
    """jinja2 folds `{{ "skip_link"|t }}` into the code it compiles, which the build cache
    keeps: after `labels:` or `language:` changed, pages kept the old words (the judge
    helper). The words are part of what compiled code is kept for."""
    site = make_site(corpus({"2026-02-06": 1}))
    assert run_cli(site, "build").exit_code == 0
    assert "Skip to content" in page(site, "index.html")
    (site / "sitegen.yaml").write_text("labels:\n  skip_link: Jump to the story\n")
    assert run_cli(site, "build").exit_code == 0
    home = page(site, "index.html")
    assert "Jump to the story" in home and "Skip to content" not in home
    (site / "sitegen.yaml").write_text("language: fr\n")
    assert run_cli(site, "build").exit_code == 0
    assert "Aller au contenu" in page(site, "index.html")
    (site / "sitegen.yaml").unlink()
    assert run_cli(site, "build").exit_code == 0
    assert "Skip to content" in page(site, "index.html")


@pytest.mark.parametrize(
    ("count", "words"),
    [(1, "1 статья"), (2, "2 статьи"), (5, "5 статей"), (21, "21 статья")],
)
def test_counts_take_russian_plural_forms(count, words) -> None:
    assert Words("ru")("articles", count) == words


def test_a_russian_site_counts_in_plural_forms(make_site, run_cli) -> None:
    """A day's page counts its articles: one, a few, many and 21 (one again)."""
    days = {"2026-02-01": 1, "2026-02-02": 2, "2026-02-03": 5, "2026-02-04": 21}
    config = "language: ru\nper_page: 50\n"
    site = make_site(corpus(days, byline=None) | {"sitegen.yaml": config})
    assert run_cli(site, "build").exit_code == 0
    counts = {
        day: re.search(r'<p class="list-count">(.*?)</p>', page(site, f"2026/02/{day}/index.html"))[
            1
        ]
        for day in ("01", "02", "03", "04")
    }
    assert counts == {"01": "1 статья", "02": "2 статьи", "03": "5 статей", "04": "21 статья"}
    assert "<h1>Февраль 2026\u202fг.</h1>" in page(site, "2026/02/index.html")
    assert "4 февраля 2026\u202fг." in page(site, "2026/02/04/index.html")


def test_counts_of_thousands_are_grouped_as_the_language_writes_them(tmp_path: Path) -> None:
    """ "10000 articles" on the home page of a big archive was hard to read. The count beside
    a tag or a month shows the number alone, and its hidden words for screen readers must
    not repeat it: they took it out of the label as `str(n)`, which grouped is not."""
    from sitegen.render import make_environment

    assert [Words("en").number(n) for n in (7, 1000, 1234567)] == ["7", "1,000", "1,234,567"]
    assert Words("en")("articles", 10000) == "10,000 articles"
    assert Words("fr")("articles", 10000) == "10\u202f000 articles"
    assert Words("de")("page", 1200) == "Seite 1.200"
    assert Words("en").number("12345") == "12345"  # not a count: as it is
    count = make_environment(tmp_path, words=Words("fr")).from_string(
        '{% from "macros.html" import count %}{{ count(12345) }}'
    )
    assert count.render() == (
        '<span class="count">12\u202f345<span class="visually-hidden"> articles</span></span>'
    )


def test_a_count_whose_words_hold_no_number_is_read_as_its_words(tmp_path: Path) -> None:
    """Arabic says one article and two articles without a number ("مقال واحد", "مقالان"):
    a screen reader read the chip "1" and then those words, "1 one article" (found by an
    output-review helper). The number is then hidden from it, and the words read alone."""
    from sitegen.render import make_environment

    env = make_environment(tmp_path, words=Words("ar"))
    count = env.from_string('{% from "macros.html" import count %}{{ count(n) }}')
    assert count.render(n=1) == (
        '<span class="count"><span aria-hidden="true">1</span>'
        '<span class="visually-hidden">مقال واحد</span></span>'
    )
    assert (
        count.render(n=5)
        == '<span class="count">5<span class="visually-hidden"> مقالات</span></span>'
    )


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("es", ("1234", "12.345")),
        ("es-ES", ("1234", "12.345")),
        ("es-MX", ("1,234", "12,345")),
        ("es-419", ("1,234", "12,345")),
        ("pl", ("1234", "12\xa0345")),
        ("it", ("1234", "12.345")),
        ("pt", ("1.234", "12.345")),  # Brazil's
        ("pt-PT", ("1234", "12\xa0345")),
        ("de", ("1.234", "12.345")),
        ("fr", ("1\u202f234", "12\u202f345")),
    ],
)
def test_four_digits_stay_ungrouped_where_cldr_says_so(
    language: str, shown: tuple[str, str]
) -> None:
    """CLDR's minimumGroupingDigits, which Babel ignores: "1234 artículos" in Spain, not
    "1.234"; Mexico writes "1,234". The figures are ICU's (Node.js's Intl.NumberFormat)."""
    words = Words(language)
    assert (words.number(1234), words.number(12345)) == shown
    assert words.number(-1234) == "-" + shown[0]


def test_a_language_tag_can_ask_for_the_digits_of_another_numbering_system(
    make_site, run_cli
) -> None:
    """Many Arab newsrooms write dates and counts in Arabic-Indic digits ("٦ فبراير ٢٠٢٦"):
    Unicode's extension of the language tag asks for them, as CLDR defines it. What machines
    read (`datetime`, URLs) keeps ASCII digits; a year is not grouped as a count is."""
    site = make_site(
        corpus({"2026-02-06": 3}, byline=None) | {"sitegen.yaml": "language: ar-u-nu-arab\n"}
    )
    assert run_cli(site, "build").exit_code == 0
    home = page(site, "index.html")
    assert '<html lang="ar" dir="rtl" class="digits-arab">' in home  # Nu refuses "-u-" in lang
    assert '<time datetime="2026-02-06">٦ فبراير ٢٠٢٦</time>' in home
    assert '<p class="list-count">٣ مقالات</p>' in home
    archive = page(site, "archive/index.html")
    assert '<h2 id="year-2026"><a href="../2026/">٢٠٢٦</a>' in archive  # the id: for links
    assert Words("ar", digits="arab").number(10000) == "١٠٬٠٠٠"  # Arabic's own separator
    assert Words("ar", digits="arabext").long_date(dt.date(2026, 2, 6)) == "۶ فبراير ۲۰۲۶"
    assert Words("hi", digits="deva").number(12345) == "१२,३४५"
    tags = ["ar-u-ca-gregory-nu-arabext", "ar-EG-u-nu-arab", "en-x-u-nu-arab", "hi-u-nu-latn"]
    assert [(numbering_system(t), without_unicode_extension(t)) for t in tags] == [
        ("arabext", "ar"), ("arab", "ar-EG"), ("", "en-x-u-nu-arab"), ("latn", "hi"),
    ]  # fmt: skip


def test_numbered_lists_and_footnotes_show_the_sites_digits(make_site, run_cli) -> None:
    """A numbered list's markers and a footnote's number were the only ASCII digits of an
    article on a site of Arabic-Indic digits: "1." and "نص1" beside "٦ فبراير ٢٠٢٦". The
    markers come from CSS's counter style for the system, the note's number from the page."""
    text = "---\ntitle: خبر\ndate: 2026-02-06\n---\n\n1. واحد\n2. اثنان\n\nنص[^1] و[^2].\n\n"
    site = make_site(
        {
            "sitegen.yaml": "language: ar-u-nu-arab\n",
            "articles/a.md": text + "[^1]: حاشية.\n[^2]: أخرى.\n\nثانية[^2].\n",
        }
    )
    assert run_cli(site, "build").exit_code == 0
    [article] = (site / "public/2026/02/06").glob("*/index.html")
    html = article.read_text()
    assert 'class="digits-arab"' in html
    assert '<sup id="fnref:1"><a href="#fn:1">١</a></sup>' in html
    assert '<sup id="fnref:2"><a href="#fn:2">٢</a></sup>' in html
    # and the way back from a note is named in the site's words (it was English)
    back = "العودة إلى الحاشية ٢ في النص"
    assert f'<a href="#fnref:2" title="{back}" aria-label="{back}">↩</a>' in html
    again = "العودة إلى الحاشية ٢ في النص (٢)"  # to its second mark
    assert f'<a href="#fnref2:2" title="{again}" aria-label="{again}">↩</a>' in html
    css = (site / "public/style.css").read_text()
    assert ".digits-arab .article-body ol { list-style-type: arabic-indic; }" in css
    # Every system the config takes has its counter style, but full-width digits (CSS has none).
    systems = set(DIGIT_ZEROS) - {"latn", "fullwide"}
    assert {s for s in systems if f".digits-{s} .article-body ol" in css} == systems
    english = make_site({"articles/a.md": text + "[^1]: Note.\n[^2]: Other.\n"}, "en")
    assert run_cli(english, "build").exit_code == 0
    [article] = (english / "public/2026/02/06").glob("*/index.html")
    assert '<a href="#fn:1">1</a>' in article.read_text()
    assert 'aria-label="Jump back to footnote 1 in the text"' in article.read_text()
    assert "digits-" not in article.read_text()


def test_neighbouring_archives_point_out_of_the_page_either_way(make_site, run_cli) -> None:
    """A day's links to the days beside it: the arrow stays with its date on a phone (it
    wrapped alone onto a line), newer first and older last, as the pager has them (with the
    older day first, "older" pointed both ways on one page), and on a right-to-left site,
    where the newer day stands on the right, it points right ("→" pointed left, into the
    page)."""
    days = corpus({"2026-02-05": 1, "2026-02-06": 1, "2026-02-07": 1}, byline=None)
    english, arabic = make_site(days, "en"), make_site(days | {"sitegen.yaml": "language: ar\n"})
    for site in (english, arabic):
        assert run_cli(site, "build").exit_code == 0
    links = re.findall(
        r'<a href="[^"]*/2026/02/0[57]/">([^<]*)</a>', page(english, "2026/02/06/index.html")
    )
    assert links == ["←&nbsp;7 February 2026", "5 February 2026&nbsp;→"]
    links = re.findall(
        r'<a href="[^"]*/2026/02/0[57]/">([^<]*)</a>', page(arabic, "2026/02/06/index.html")
    )
    newer, older = links
    assert newer.startswith("→&nbsp;") and older.endswith("&nbsp;←"), links


def test_a_month_page_numbers_its_days_in_the_sites_digits(make_site, run_cli) -> None:
    """A month's links to its days wrote them in ASCII digits ("6") on a site of Arabic-Indic
    digits, where its heading, dates and counts read "٦ فبراير ٢٠٢٦"."""
    site = make_site(
        corpus({"2026-02-06": 1, "2026-02-12": 1}, byline=None)
        | {"sitegen.yaml": "language: ar-u-nu-arab\n"}
    )
    assert run_cli(site, "build").exit_code == 0
    month = page(site, "2026/02/index.html")
    assert '<a href="../../2026/02/06/">٦</a>' in month
    assert '<a href="../../2026/02/12/">١٢</a>' in month


def test_digits_sitegen_does_not_know_are_a_config_error(make_site, run_cli) -> None:
    site = make_site(corpus({"2026-02-06": 1}) | {"sitegen.yaml": "language: ar-u-nu-arabb\n"})
    result = run_cli(site, "build")
    assert result.exit_code != 0
    assert (
        "sitegen.yaml: language: asks for digits sitegen does not know ('nu-arabb'; it knows "
        in (result.output)
    )


@pytest.mark.parametrize(
    "tag", ["ar-u", "en-x", "ar-u-x-y", "en-a", "en-x-u-nu-arab", "zz", "xx-GB"]
)
def test_a_singleton_without_its_subtags_is_no_language_tag(make_site, run_cli, tag) -> None:
    """ "ar-u" passed for a language tag and was written into every page's `lang`, which the
    Nu HTML checker refuses: an extension's letter needs subtags after it. It refuses private
    use subtags of one character too ("x-u"), and a language of two letters ISO 639-1 lacks."""
    site = make_site(corpus({"2026-02-06": 1}) | {"sitegen.yaml": f"language: {tag}\n"})
    result = run_cli(site, "build")
    assert result.exit_code != 0
    assert "sitegen.yaml: language: must be a language tag such as en or pt-BR" in result.output


def test_arabic_counts_have_six_forms() -> None:
    words = Words("ar")
    assert [words("articles", n) for n in (0, 1, 2, 3, 11, 100)] == [
        "0 مقال", "مقال واحد", "مقالان", "3 مقالات", "11 مقالًا", "100 مقال",
    ]  # fmt: skip


def test_an_english_site_keeps_its_own_words_and_dates(make_site, run_cli) -> None:
    """English keeps sitegen's date ("6 February 2026", where CLDR's English writes "February
    6, 2026") and words; the golden build holds every byte of such a site."""
    for language in ("en", "en-US"):
        site = make_site(
            corpus({"2026-02-06": 1}) | {"sitegen.yaml": f"language: {language}\n"}, language
        )
        assert run_cli(site, "build").exit_code == 0
        home = page(site, "index.html")
        assert '<time datetime="2026-02-06">6 February 2026</time>' in home
        assert '<p class="list-count">1 article</p>' in home and ">Latest</a>" in home
        assert "<title>News</title>" in home


@pytest.mark.parametrize("language", ["tlh", "ae", "ch-GU", "kj"])
def test_a_language_babel_does_not_know_falls_back_to_english(make_site, run_cli, language) -> None:
    """With a warning naming the line: a language CLDR does not know ("tlh") gave English words
    and dates in silence. The pages keep the tag, which says what the articles are in."""
    config = f"title: Mine\nlanguage: {language}\nbase_url: https://news.test/\n"
    site = make_site(corpus({"2026-02-06": 2}) | {"sitegen.yaml": config})
    result = run_cli(site, "build")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert result.output.splitlines()[:-1] == [
        f"warning: sitegen.yaml:2: language '{language}' is not a language sitegen or Babel "
        "(CLDR) knows, so the site's words and dates are in English; pages still say "
        f'lang="{language}" for the articles (a tag such as en, fr or pt-BR names a known one)'
    ]
    home = page(site, "index.html")
    assert f'<html lang="{language}"' in home  # Avestan ("ae") is written right to left
    assert "6 February 2026" in home and "2 articles" in home and ">Latest</a>" in home


@pytest.mark.parametrize(
    "language", ["pt-BR", "sr-Latn", "zh-Hant-TW", "he", "fa", "en-US", "es-419", "pl"]
)
def test_a_language_sitegen_knows_builds_without_a_warning(make_site, run_cli, language) -> None:
    site = make_site(corpus({"2026-02-06": 1}) | {"sitegen.yaml": f"language: {language}\n"})
    result = run_cli(site, "build")
    assert result.exit_code == 0 and "warning:" not in result.output, result.output
    assert f'<html lang="{language}"' in page(site, "index.html")


def test_a_language_without_a_table_gets_its_dates_from_cldr(make_site, run_cli) -> None:
    """Polish: no built-in words (English, or the site's labels), but CLDR's dates and plural
    rules, so labels can give its forms."""
    config = "language: pl\nlabels:\n  articles: {one: '{n} artykuł', few: '{n} artykuły', many: '{n} artykułów', other: '{n} artykułu'}\n"
    site = make_site(corpus({"2026-02-06": 2}) | {"sitegen.yaml": config})
    assert run_cli(site, "build").exit_code == 0
    home = page(site, "index.html")
    assert "6 lutego 2026" in home and "2 artykuły" in home and ">Latest</a>" in home


def test_a_right_to_left_site_in_english_words_points_its_arrows_outward(
    make_site, run_cli
) -> None:
    """Hebrew has no built-in words: English ones, on a page set right to left, where an arrow
    is not mirrored as « » are. "← Newer" stood at the right edge pointing into the page."""
    site = make_site(
        corpus({"2026-02-05": 1, "2026-02-06": 1, "2026-02-07": 1})
        | {"sitegen.yaml": "language: he\n"}
    )
    assert run_cli(site, "build").exit_code == 0
    middle = page(site, "2026/02/06/story-0-of-2026-02-06/index.html")
    assert "<span>→ Newer</span>" in middle and "<span>Older ←</span>" in middle


def test_a_site_title_in_latin_letters_leaves_an_arabic_footer_right_to_left(
    make_site, run_cli
) -> None:
    """The footer's line takes its direction from its first letter (`unicode-bidi: plaintext`,
    so an English line reads in order on a right-to-left site): a title such as "BBC عربي"
    made the Arabic description after it read left to right. The title is isolated."""
    site = make_site(
        corpus({"2026-02-06": 1}) | {"sitegen.yaml": "language: ar\ntitle: BBC عربي\n"}
    )
    assert run_cli(site, "build").exit_code == 0
    assert "<p><bdi>BBC عربي</bdi> — آخر الأخبار" in page(site, "index.html")


def test_an_empty_label_keeps_the_built_in_word_with_a_warning(make_site, run_cli) -> None:
    """An empty label made an empty heading (`<h1></h1>`, which the Nu HTML checker warns of)
    or a link without text: it is left out, naming its line, and the site builds. An empty
    plural form is as if not given (`other` stands for it); an empty `other`, no label."""
    config = (
        "language: fr\n"
        "labels:\n"
        '  latest_news: ""\n'
        '  by: "  "\n'
        '  articles: {one: "", other: "{n} papiers"}\n'
        "  tag_count:\n"
        '    one: "{n} x"\n'
        '    other: "\\u200b"\n'
        "base_url: https://news.test/\n"
    )
    site = make_site(corpus({"2026-02-06": 1, "2026-02-07": 2}) | {"sitegen.yaml": config})
    result = run_cli(site, "build")
    assert result.exit_code == 0, result.output
    empty = "is empty (or only spaces and invisible characters)"
    assert result.output.splitlines()[:-1] == [
        f"warning: sitegen.yaml:3: labels.latest_news {empty}; the built-in word is kept",
        f"warning: sitegen.yaml:4: labels.by {empty}; the built-in word is kept",
        f"warning: sitegen.yaml:5: labels.articles.one {empty}; left out, so the label's "
        "'other' form stands for it",
        f"warning: sitegen.yaml:8: labels.tag_count.other {empty}; the built-in words of "
        "labels.tag_count are kept",
    ]
    home = page(site, "index.html")
    assert "<h1>Dernières actualités</h1>" in home and "<h1></h1>" not in home
    assert "Par <bdi>Jeanne Dupont</bdi>" in home
    assert '<p class="list-count">1 papiers</p>' in page(site, "2026/02/06/index.html")
    assert "\u200b" not in page(site, "tags/index.html")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("labels:\n  lates: Accueil\n", "sitegen.yaml: labels.lates: unknown key (did you mean 'labels.latest'?)"),
        ("labels:\n  latest: [Accueil]\n", "sitegen.yaml: labels.latest: must be a text"),
        ("labels:\n  latest: 12\n", "sitegen.yaml: labels.latest: must be a text"),
        ("labels:\n  latest: {one: x}\n", "sitegen.yaml: labels.latest: must be a text"),
        ("labels:\n  articles: {one: x, sometimes: y, other: z}\n", "labels.articles: unknown plural form 'sometimes'"),
        ("labels:\n  articles: {one: x}\n", "labels.articles: needs an 'other' form"),
        ("labels:\n  articles: {one: 1, other: x}\n", "labels.articles: each plural form must be a text"),
        ("labels:\n  tagged: 'Tag {name}'\n", "labels.tagged: unknown field {name} (known: {tag})"),
        ("labels:\n  latest: \"A\\x1b[2J\"\n", "labels.latest: holds the control character '\\x1b'"),
        ("labels: [latest]\n", "sitegen.yaml: labels: must be a mapping of keys to values"),
    ],
)  # fmt: skip
def test_bad_labels_are_config_errors_naming_the_key(make_site, run_cli, config, message) -> None:
    site = make_site(corpus({"2026-02-06": 1}) | {"sitegen.yaml": config})
    result = run_cli(site, "build")
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (site / "public").exists()


def test_every_problem_with_labels_is_listed_at_once(make_site, run_cli) -> None:
    config = "labels:\n  lates: x\n  by: [y]\n"
    site = make_site(corpus({"2026-02-06": 1}) | {"sitegen.yaml": config})
    result = run_cli(site, "build")
    assert "2 problem(s) in the config" in result.output
    assert (
        "labels.lates: unknown key" in result.output
        and "labels.by: must be a text" in result.output
    )


def test_a_site_template_without_labels_still_works(make_site, run_cli) -> None:
    """A site's own template from before labels (English words, no `t`) builds as it did,
    beside the built-in ones in French; one that asks for a label gets it."""
    layouts = {
        "layouts/404.html": "<!DOCTYPE html><p>Nothing here. {{ site.title }}</p>\n",
        "layouts/tags.html": '{% extends "default/tags.html" %}{% block main %}<h1>{{ "tags"|t }} ({{ "tag_count"|t(tags|length) }})</h1>{% endblock %}',
    }
    site = make_site(corpus({"2026-02-06": 1}) | layouts | {"sitegen.yaml": "language: de\n"})
    result = run_cli(site, "build")
    assert result.exit_code == 0, result.output
    assert page(site, "404.html") == "<!DOCTYPE html><p>Nothing here. Nachrichten</p>\n"
    assert "<h1>Schlagwörter (0 Schlagwörter)</h1>" in page(site, "tags/index.html")
    assert ">Aktuell</a>" in page(site, "index.html")


def test_a_retired_label_is_left_out_with_a_warning(make_site, run_cli) -> None:
    """`previous` and `next` labelled the article pager before it said "newer" and "older" as
    the lists do: a config that gives them still builds, and is told why they show nowhere."""
    config = {"sitegen.yaml": 'labels:\n  previous: "← Avant"\n  older: "Plus vieux →"\n'}
    site = make_site(corpus({"2026-02-05": 1, "2026-02-06": 1}) | config)
    result = run_cli(site, "build")
    assert result.exit_code == 0, result.output
    assert "sitegen.yaml:2: labels.previous is no longer used: the article pager says" in (
        result.output
    )
    assert "Avant" not in page(site, "2026/02/06/story-0-of-2026-02-06/index.html")
    assert "Plus vieux →" in page(site, "2026/02/06/story-0-of-2026-02-06/index.html")


def test_a_site_template_asking_for_an_unknown_label_names_it(make_site, run_cli) -> None:
    layouts = {"layouts/404.html": '<!DOCTYPE html>\n<p>{{ "lates"|t }}</p>\n'}
    site = make_site(corpus({"2026-02-06": 1}) | layouts)
    result = run_cli(site, "build")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "404.html:2: template error" in result.output
    assert "unknown label 'lates' (did you mean 'latest'?)" in result.output


@pytest.mark.parametrize("language", sorted(TABLES))
def test_each_built_in_table_gives_every_label_with_its_fields(language) -> None:
    table = TABLES[language]
    assert set(table) == set(ENGLISH)
    for key, label in table.items():
        assert check_label(key, label) == label  # a known key, fields it can fill
        if not isinstance(label, str):
            assert "other" in label and set(label) <= set(PLURAL_FORMS)
        if FIELDS[key] and isinstance(label, str):
            assert all("{" + field + "}" in label for field in FIELDS[key]), (key, label)


def test_dates_are_formatted_once_per_day() -> None:
    """Babel takes microseconds a date; a build shows each day's date hundreds of times."""
    words = Words("fr")
    day = dt.date(2026, 2, 6)
    first = words.long_date(day)
    assert first == "6 février 2026"
    assert words.long_date(dt.date(2026, 2, 6)) is first


def test_fields_are_escaped_and_filled_once() -> None:
    import markupsafe

    words = Words("en")
    link = markupsafe.Markup('<a href="x">archive</a>')
    filled = words("not_found_links", home=link, archive="<b>")
    assert filled == '<a href="x">archive</a> or browse the &lt;b&gt;.'
    assert words("description_tag", tag="{count}", count="2 articles") == (
        "Articles tagged “{count}”: 2 articles."
    )
