"""`sitegen check`: a clean build passes; each kind of damage is reported with its file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.check import MAX_SRCDOC_DEPTH, check_site, css_urls
from tests.conftest import REAL_ARTICLE, article_text
from tests.webtools import build, corpus, tagged

BASE = "https://example.org/news/"


@pytest.fixture
def site(make_site, run_cli) -> Path:
    """A built site on a sub-path; returns the site folder (public/ is inside)."""
    files = corpus(5)
    files["sitegen.yaml"] = f"base_url: {BASE}\nper_page: 2\n"
    build(make_site, run_cli, files)
    return make_site({})


def article_page(site: Path) -> Path:
    return next((site / "public").glob("2026/01/05/*/index.html"))


def inject(page: Path, html: str, before: str = "</main>") -> None:
    text = page.read_text(encoding="utf-8")
    assert before in text
    page.write_text(text.replace(before, html + before, 1), encoding="utf-8")


def check(run_cli, site: Path, *args: str) -> tuple[int, list[str]]:
    result = run_cli(site, "check", *args)
    return result.exit_code, result.output.splitlines()


def problems(run_cli, site: Path) -> list[str]:
    code, lines = check(run_cli, site)
    assert code == 1, lines
    assert lines[-1].startswith("Error: ") and "problem(s)" in lines[-1]
    return lines[:-1]


def test_a_clean_build_passes(run_cli, site: Path) -> None:
    code, lines = check(run_cli, site)
    assert code == 0, lines
    assert lines[-1].startswith("Checked ") and lines[-1].endswith("no problems")


def test_a_folder_without_a_built_site_fails(run_cli, site: Path) -> None:
    """An empty folder, or the articles folder named by mistake, is no site that passed."""
    (site / "empty").mkdir()
    for folder in ("empty", "articles"):
        code, lines = check(run_cli, site, folder)
        assert code == 1, lines
        assert lines[-1] == f"Error: {folder}: no built site here; run 'sitegen build' first"


def test_the_real_article_builds_clean(make_site, run_cli) -> None:
    site = make_site({"articles/" + REAL_ARTICLE.name: REAL_ARTICLE.read_text()})
    assert run_cli(site, "build").exit_code == 0
    assert check(run_cli, site)[0] == 0


def test_years_before_1000_link_to_their_archives(make_site, run_cli) -> None:
    site = make_site(
        {
            "articles/a.txt": article_text("0001-01-01", "Year one"),
            "articles/b.txt": article_text("0999-12-31", "A late year"),
            "articles/c.txt": article_text("2026-01-05", "This year"),
        }
    )
    assert run_cli(site, "build").exit_code == 0
    assert (site / "public/0001/01/01/index.html").is_file()  # as the permalink writes it
    assert check(run_cli, site)[0] == 0


def test_a_broken_link_is_reported_with_file_and_line(run_cli, site: Path) -> None:
    page = article_page(site)
    inject(page, '<p><a href="../../../../nowhere/">gone</a></p>\n')
    line = page.read_text().splitlines().index('<p><a href="../../../../nowhere/">gone</a></p>') + 1
    rel = page.relative_to(site).as_posix()
    assert problems(run_cli, site) == [
        f"{rel}:{line}: broken link: <a href> ../../../../nowhere/ (no file nowhere/index.html)"
    ]


def test_a_missing_asset_is_reported_on_every_page(run_cli, site: Path) -> None:
    (site / "public/style.css").unlink()
    found = problems(run_cli, site)
    pages = list((site / "public").rglob("*.html"))
    assert len(found) == len(pages)
    assert all("missing asset: <link rel=stylesheet>" in line for line in found)
    assert any(line.startswith("public/404.html:") and "/news/style.css" in line for line in found)


def test_a_missing_image_is_a_missing_asset(run_cli, site: Path) -> None:
    inject(article_page(site), '<img src="photo.jpg" alt="">')
    [line] = problems(run_cli, site)
    assert "missing asset: <img src> photo.jpg (no file 2026/01/05/" in line


def test_a_url_that_does_not_parse_is_reported_not_a_traceback(run_cli, site: Path) -> None:
    # urlsplit raises on an IPv6 host left open or a host that NFKC turns into another: a page
    # of layouts/static/ with such a link stopped the check with a traceback.
    inject(
        article_page(site),
        '<base href="http://[::1"><link rel="preconnect" href="//[x">'
        '<a href="http://[::1/">a</a><img src="//a\u2100b/i.png" alt="">',
    )
    sitemap = site / "public/sitemap.xml"
    sitemap.write_text(
        sitemap.read_text().replace("<loc>", "<loc>https://[::1/</loc></url><url><loc>", 1)
    )
    found = problems(run_cli, site)
    assert len(found) == 3, found
    assert "<a href> http://[::1/ is not a valid URL" in found[0]
    assert "<img src> //a\u2100b/i.png is not a valid URL" in found[1]
    assert found[2].startswith("public/sitemap.xml:") and "[::1/ is not a valid URL" in found[2]


def test_a_malformed_feed_is_reported(run_cli, site: Path) -> None:
    feed = site / "public/feed.xml"
    feed.write_bytes(feed.read_bytes()[:-40])
    [line] = problems(run_cli, site)
    assert line.startswith("public/feed.xml:") and "not well-formed XML" in line


def test_feeds_and_sitemap_listing_a_missing_page_are_reported(run_cli, site: Path) -> None:
    gone = article_page(site).parent
    shutil.rmtree(gone)
    url = BASE + gone.relative_to(site / "public").as_posix() + "/"
    found = problems(run_cli, site)
    assert any(line.startswith("public/feed.xml: broken link: feed link " + url) for line in found)
    assert any(line.startswith("public/tags/cuba/feed.xml: broken link") for line in found)
    assert any(
        line.startswith("public/sitemap.xml: broken link: sitemap URL " + url) for line in found
    )
    assert any(line.startswith("public/index.html:") for line in found)  # its link on the home page


def test_requests_to_other_hosts_are_reported_but_links_are_not(run_cli, site: Path) -> None:
    page = article_page(site)
    inject(
        page,
        '<p><a href="https://other.example/">a link elsewhere is fine</a></p>\n'
        '<script src="https://cdn.example/x.js"></script>\n'
        '<img src="//images.example/a.png" alt="">\n'
        '<link rel="stylesheet" href="http://fonts.example/css">\n'
        '<p style="background: url(https://track.example/p.gif)">x</p>\n'
        '<iframe src="https://video.example/embed"></iframe>\n'
        '<img alt="" src="ok.png" srcset="ok.png 1x, https://cdn.example/b.png 2x">\n'
        '<img alt="" src="/\\evil.example/z.png"><a href="/\\elsewhere.example/">ok</a>\n',
        before="</body>",
    )
    (page.parent / "ok.png").write_bytes(b"png")
    css = site / "public/style.css"
    css.write_text(css.read_text() + '\n@import "https://fonts.example/f.css";\n')
    found = problems(run_cli, site)
    assert len(found) == 8, found
    text = "\n".join(found)
    for url in (
        "/\\evil.example/z.png",  # browsers read "\\" as "/": another host
        "https://cdn.example/x.js",
        "//images.example/a.png",
        "http://fonts.example/css",
        "https://track.example/p.gif",
        "https://video.example/embed",
        "https://cdn.example/b.png",
        "https://fonts.example/f.css",
    ):
        assert url in text
    assert all("requests another host" in line for line in found)
    assert "other.example" not in text and "elsewhere.example" not in text


def test_links_that_leave_the_sub_path_are_reported(run_cli, site: Path) -> None:
    page = site / "public/index.html"
    inject(
        page,
        '<a href="/style.css">root</a><a href="../../../x/">up</a>\n'
        '<a href="https://example.org/">the main site, on purpose</a>'
        '<img alt="" src="https://example.org/logo.png">\n',
    )
    found = problems(run_cli, site)
    assert len(found) == 3, found
    assert any("<img src> https://example.org/logo.png points outside the site" in f for f in found)
    assert any("/style.css points outside the site (served at /news/)" in f for f in found)
    assert any("../../../x/ climbs above the site's top folder" in f for f in found)


def test_html_that_does_not_parse_is_reported(run_cli, site: Path) -> None:
    page = site / "public/archive/index.html"
    inject(page, "<div><span>x</div></span>\n")
    found = problems(run_cli, site)
    assert found and all(
        line.startswith("public/archive/index.html:") and "does not parse" in line for line in found
    )


def test_a_page_without_doctype_is_reported(run_cli, site: Path) -> None:
    page = site / "public/tags/index.html"
    page.write_text(page.read_text().replace("<!DOCTYPE html>", ""))
    [line] = problems(run_cli, site)
    assert line.startswith("public/tags/index.html:1: no <!DOCTYPE html>")


def test_a_file_of_many_comments_and_no_doctype_is_reported_at_once(run_cli, site: Path) -> None:
    """Before the doctype, comments: with 40 and no doctype, the regex tried every way of
    grouping them (doubling with each), and `check` never ended. In a process of its own,
    so that a regression fails the test instead of hanging the suite."""
    page = site / "public/widget.html"
    page.write_text("".join(f"<!-- line {i} -- of the licence -->\n" for i in range(60)) + "<p>x")
    done = subprocess.run(
        [sys.executable, "-m", "sitegen", "check"],
        cwd=site, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert "public/widget.html:1: no <!DOCTYPE html>" in done.stdout, done.stdout + done.stderr
    page.write_text(page.read_text().replace("<p>x", "<!DOCTYPE html><title>w</title><p>x"))
    assert not [line for line in problems_or_none(run_cli, site) if "widget.html" in line]


def test_an_element_of_too_many_attributes_is_reported_not_parsed(run_cli, site: Path) -> None:
    """libxml2 compares each attribute with those before it: 100,000 on one element took 20 s
    (the hostile helper). Counted words outside quotes, one element of 20,000 is refused;
    a long attribute value of many words is not."""
    crowded = site / "public/crowded.html"
    attributes = " ".join(f'data-a{i}="x y"' if i % 2 else f"b{i}" for i in range(20_000))
    crowded.write_text(f"<!DOCTYPE html><title>c</title>\n<div {attributes}>x</div>")
    wordy = site / "public/wordy.html"
    wordy.write_text(f'<!DOCTYPE html><title>w</title><img alt="{"word " * 30_000}" src=w.png>')
    found = problems_or_none(run_cli, site)
    assert "public/crowded.html:2: an element of over 10,000 attributes: not read" in found
    assert "public/wordy.html:1: missing asset: <img src> w.png (no file w.png)" in found


def problems_or_none(run_cli, site: Path) -> list[str]:
    code, lines = check(run_cli, site)
    return lines[:-1] if code else []


def test_css_urls_are_reported_on_their_own_lines(run_cli, site: Path) -> None:
    css = site / "public/style.css"
    css.write_text(css.read_text() + "\n" + "a{b:url(ok.png)}\nc{}\nd{e:url(gone.png)}\n" * 3)
    (site / "public/ok.png").write_bytes(b"png")
    start = css.read_text().count("\n") - 9 + 1  # the line of the first added rule
    found = problems(run_cli, site)
    assert [line.split(": ")[0] for line in found] == [
        f"public/style.css:{start + 2 + 3 * i}" for i in range(3)
    ], found


def test_css_urls_are_read_as_browsers_read_them() -> None:
    """CSS escapes spell any character (`\\2f` is "/"), in a URL and in the word url itself;
    image-set() loads its strings. What browsers do not load (an unclosed url(, a string cut
    by a line break) is no URL; thousands of unclosed url( take no longer than one."""
    css = (
        r"a{background:url(\2f\2f evil.example/x.png)} b{c:\75rl(//e2.example/y.png)}"
        r' d{e:image-set("//e3.example/z.png" 1x, url(q.png) 2x)} @\69mport "//e4.example/s.css";'
        '\n@import url("//e5.example/t.css") screen; f{g:url(url(x.png)} h{i:url("e.png\n)}'
    )
    assert list(css_urls(css)) == [
        (1, "//evil.example/x.png"),
        (1, "//e2.example/y.png"),
        (1, "//e3.example/z.png"),
        (1, "q.png"),
        (1, "//e4.example/s.css"),
        (2, "//e5.example/t.css"),
    ]
    assert list(css_urls("a{b:url(" * 20_000)) == []


def test_escaped_css_urls_and_framed_documents_are_checked(run_cli, site: Path) -> None:
    """An <iframe srcdoc> holds a whole document, which loads its images and scripts as a page
    does, relative to the page; a stylesheet may write a URL with escapes."""
    page = article_page(site)
    framed = "<img src=&quot;https://pixel.example/p.gif&quot;><img src=&quot;gone.png&quot;>"
    inner = "<iframe srcdoc=&quot;<script src=&amp;quot;//deep.example/x.js&amp;quot;></script>&quot;></iframe>"
    inject(
        page,
        f'<iframe title="a" srcdoc="{framed}"></iframe>\n<iframe title="b" srcdoc="{inner}"></iframe>\n'
        '<iframe title="c" srcdoc="just text"></iframe>\n',
        before="</body>",
    )
    css = site / "public/style.css"
    css.write_text(css.read_text() + "\na{background:url(\\2f\\2f evil.example/e.png)}\n")
    found = "\n".join(problems(run_cli, site))
    assert "requests another host: <img src> https://pixel.example/p.gif" in found
    assert "missing asset: <img src> gone.png" in found
    assert "requests another host: <script src> //deep.example/x.js" in found
    assert "style.css" in found and "requests another host: CSS url() //evil.example/e.png" in found


def test_frames_nested_too_deep_are_named_not_followed(run_cli, site: Path) -> None:
    page = article_page(site)
    html = "<p>end</p>"
    for _ in range(MAX_SRCDOC_DEPTH + 2):
        html = (
            '<iframe srcdoc="' + html.replace("&", "&amp;").replace('"', "&quot;") + '"></iframe>'
        )
    inject(page, html + "\n", before="</body>")
    found = problems(run_cli, site)
    assert len(found) == 1 and f"nested over {MAX_SRCDOC_DEPTH} deep" in found[0], found


def test_a_folder_argument_and_base_url_option(run_cli, site: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere"
    shutil.copytree(site / "public", moved)
    code, lines = check(run_cli, tmp_path, str(moved), "--base-url", BASE)
    assert code == 0, lines
    # Without the right base_url, the 404 page's /news/ links point outside the site.
    code, lines = check(run_cli, tmp_path, str(moved), "--base-url", "https://example.org/")
    assert code == 1 and any("404.html" in line and "broken link" in line for line in lines)


def test_a_wrong_base_url_option_is_refused(run_cli, site: Path) -> None:
    code, lines = check(run_cli, site, "--base-url", "example.org")
    assert code == 1 and "--base-url" in lines[-1] and "absolute http(s) URL" in lines[-1]


def test_checking_before_building_says_so(make_site, run_cli) -> None:
    code, lines = check(run_cli, make_site({}, name="unbuilt"))
    assert code == 1 and "run 'sitegen build' first" in lines[-1]


def test_processes_find_the_same_problems(site: Path) -> None:
    (site / "public/style.css").unlink()
    one = check_site(site / "public", BASE, jobs=1)
    two = check_site(site / "public", BASE, jobs=2)
    assert one == two and one.findings


def test_hostile_content_builds_a_clean_site(make_site, run_cli) -> None:
    hostile = 'x </script><script src="https://evil.example/x.js"></script> <img src=//e.example/i>'
    files = {
        "sitegen.yaml": f"base_url: {BASE}\n",
        "articles/a.txt": tagged("2026-02-06", hostile, [hostile], hostile, byline=hostile),
        "articles/b.md": f"---\ntitle: md\ndate: 2026-02-05\n---\n{hostile}\n\n[ok](https://x.example/)\n",
    }
    site = make_site(files, name="hostile")
    assert run_cli(site, "build").exit_code == 0
    code, lines = check(run_cli, site)
    assert code == 0, lines


def test_a_very_long_url_is_quoted_with_its_middle_left_out(run_cli, site: Path) -> None:
    # A page linking to an address of 100,000 characters made a line of 100 KB.
    url = "missing-" + "x" * 100_000 + ".html"
    inject(article_page(site), f'<a href="{url}">a</a>')
    [line] = problems(run_cli, site)
    assert len(line) < 600, len(line)
    assert "missing-xxx" in line and "xxx.html" in line and "characters]" in line
    assert f"{100_000 + 13 - 100 - 50:,} characters" in line


def test_a_link_to_a_place_the_page_does_not_have_is_reported(run_cli, site: Path) -> None:
    inject(
        article_page(site),
        '<a href="#nowhere">a</a><a href="#main">b</a><a href="#top">c</a><a href="#">d</a>'
        '<a href="#place%201">e</a><a name="old">f</a><a href="#old">g</a><p id="place 1"></p>',
    )
    [line] = problems(run_cli, site)
    assert "broken link: <a href> #nowhere (no element with id 'nowhere' on the page)" in line


def test_footnotes_and_headings_that_links_lead_to_pass(make_site, run_cli) -> None:
    """Their links led nowhere: the sanitiser dropped the ids ("fnref2:1", "fn:note 1", a
    heading's "later")."""
    notes = (
        "One[^1] two[^note 1] again[^1] and[^note 1], [below](#later).\n\n## Later {: #later }"
        "\n\n[^1]: A.\n[^note 1]: B.\n"
    )
    site = make_site({"articles/a.md": f"---\ntitle: Notes\ndate: 2026-01-05\n---\n{notes}"})
    assert run_cli(site, "build").exit_code == 0
    code, lines = check(run_cli, site)
    assert code == 0, lines
    assert article_page(site).read_text().count('href="#fn') == 8  # 4 marks, 4 ways back
