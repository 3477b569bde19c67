"""A site built for https://example.org/news/ works when served from /news/ over real HTTP.

The build is placed at news/ inside the folder a real server serves, with a 404 handler like a
web host's (any missing URL gets 404.html). A crawler follows every link and asset from the
home page and from the 404 page served at a deep missing URL; every one must answer 200, and
the absolute URLs of feeds, sitemap and canonical links must map to pages that answer too.
"""

from __future__ import annotations

import shutil
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from tests.test_images import png
from tests.webtools import build, corpus, parse_html, tagged

BASE = "https://example.org/news/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class HostHandler(SimpleHTTPRequestHandler):
    """Serves files; a missing path gets the site's 404 page, as web hosts are set up to."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory, "news", "404.html")
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(make_site, run_cli, tmp_path: Path) -> Iterator[str]:
    """The origin (http://127.0.0.1:PORT) serving a sub-path build at /news/."""
    files = corpus(9)
    files["articles/100_00000000000000ff.txt"] = tagged(
        "2026-02-10", "Odd / title? with #signs & 100%", ["Tag with spaces", "Ça"], "Text."
    )
    # Written from the top of the host, as from the site's top, and from the site's own path.
    files["articles/101_00000000000000fe.md"] = (
        "---\ntitle: Map\ndate: 2026-02-11\n---\n"
        "See ![map](/images/map.png), [the year](/2026/) and [its page](/news/2026/).\n"
    )
    files["layouts/static/images/map.png"] = png(40, 20)
    files["sitegen.yaml"] = f"base_url: {BASE}\nper_page: 3\n"
    public = build(make_site, run_cli, files)
    root = tmp_path / "www"
    shutil.copytree(public, root / "news")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(HostHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get_content_type()


def local(origin: str, url: str) -> str:
    """An absolute URL of the deployed site, pointed at the test server."""
    assert url.startswith(BASE), url
    return origin + "/news/" + url[len(BASE) :]


def crawl(origin: str, start: str) -> dict[str, int]:
    """Follow every internal href and src from start; return URL -> status."""
    seen: dict[str, int] = {}
    queue = [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        status, body, kind = fetch(url)
        seen[url] = status
        if status != 200 and url != start:
            continue
        if kind == "text/html":
            for ref in parse_html(body.decode("utf-8")).urls:
                target = urldefrag(urljoin(url, ref)).url
                if target.startswith(BASE):
                    target = local(origin, target)
                if target.startswith(origin):
                    queue.append(target)
    return seen


def test_every_link_from_the_home_page_resolves(server: str) -> None:
    seen = crawl(server, server + "/news/")
    broken = {url: status for url, status in seen.items() if status != 200}
    assert broken == {}
    paths = {urlsplit(url).path for url in seen}
    assert all(path.startswith("/news/") for path in paths)
    for expected in ("/news/style.css", "/news/feed.xml", "/news/page/2/", "/news/archive/"):
        assert expected in paths
    assert any(path.startswith("/news/tags/") and path.endswith("/feed.xml") for path in paths)
    assert len([p for p in paths if p.startswith("/news/2026/01/0")]) >= 9  # articles, archives


def test_links_on_the_404_page_work_at_any_depth(server: str) -> None:
    missing = server + "/news/2026/01/02/no-such-article/deeper/"
    status, body, _ = fetch(missing)
    assert status == 404 and b"Page not found" in body
    seen = crawl(server, missing)
    assert {url: code for url, code in seen.items() if code != 200} == {missing: 404}
    assert server + "/news/style.css" in seen and server + "/news/archive/" in seen


def test_feed_and_sitemap_urls_answer_on_the_sub_path(server: str) -> None:
    status, feed, _ = fetch(server + "/news/feed.xml")
    assert status == 200
    links = [link.get("href") for link in ET.fromstring(feed).iter(f"{ATOM}link")]
    status, sitemap, _ = fetch(server + "/news/sitemap.xml")
    assert status == 200
    locs = [loc.text for loc in ET.fromstring(sitemap).iter(f"{SITEMAP}loc")]
    robots = fetch(server + "/news/robots.txt")[1].decode()
    assert f"Sitemap: {BASE}sitemap.xml" in robots
    assert len(links) > 5 and len(locs) > 20
    for url in links + locs:
        assert fetch(local(server, url))[0] == 200, url


def test_canonical_urls_answer_on_the_sub_path(server: str) -> None:
    seen = crawl(server, server + "/news/")
    html = [url for url in seen if not url.endswith((".css", ".xml", ".png", ".svg"))]
    for url in html:
        page = parse_html(fetch(url)[1].decode("utf-8"))
        [canonical] = page.link("canonical")
        assert local(server, canonical["href"]) == url


def test_addresses_from_the_top_of_the_host_lead_to_the_sites_files(server: str) -> None:
    """ "/images/map.png" in an article led above the site at /news/ (and nowhere from the
    disk): it is written relative to the page, the image with its size, and in the feed,
    whose entries resolve against their page."""
    status, body, _ = fetch(server + "/news/2026/02/11/map/")
    page = body.decode("utf-8")
    assert status == 200
    assert '<img alt="map" src="../../../../images/map.png" width="40" height="20"' in page
    assert page.count('href="../../../../2026/"') == 2
    feed = ET.fromstring(fetch(server + "/news/feed.xml")[1])
    [entry] = [e for e in feed.iter(ATOM + "entry") if "Map" in (e.findtext(ATOM + "title") or "")]
    base = entry.get("{http://www.w3.org/XML/1998/namespace}base")
    assert base == BASE + "2026/02/11/map/"
    assert urljoin(base, "../../../../images/map.png") == BASE + "images/map.png"
    assert 'src="../../../../images/map.png"' in (entry.findtext(ATOM + "content") or "")
