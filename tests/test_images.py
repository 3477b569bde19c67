"""An article's images of the site's own files carry their width and height, read from the
files at build time, and load lazily; a replaced image gives its new size in an incremental
build; a damaged or hostile file gives no size, never a failed build."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.cache import CacheMemory
from sitegen.config import load_config
from tests.conftest import article_text, read_tree
from tests.test_incremental import build_printing, corpus, settle

PAGE = "public/2026/02/06/harbour-map/index.html"
LAZY = 'loading="lazy" decoding="async">'
EAGER = 'decoding="async">'  # an article's first image: no loading="lazy"


def png(width: int, height: int, pixels: bool = True) -> bytes:
    """A real PNG (a gradient), or its signature and header alone."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    if not pixels:
        return b"\x89PNG\r\n\x1a\n" + header
    rows = b"".join(
        b"\0" + b"".join(bytes([x * 255 // width, 90, y * 255 // height]) for x in range(width))
        for y in range(height)
    )
    body = chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + header + body


def jpeg(width: int, height: int, orientation: int | None = None) -> bytes:
    """The segments of a baseline JPEG up to its frame header (SOF0), which holds its size;
    with `orientation`, an Exif segment before it, as a phone writes for a photo held
    upright (6: turned a quarter, so shown `height` wide)."""
    jfif = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    exif = b""
    if orientation is not None:
        tiff = b"MM\x00*" + struct.pack(">I", 8) + struct.pack(">H", 1)
        tiff += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(">I", 0)
        payload = b"Exif\x00\x00" + tiff
        exif = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + bytes(9)
    return b"\xff\xd8" + jfif + exif + frame + b"\xff\xd9"


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00;"


def webp(width: int, height: int, kind: str) -> bytes:
    """The RIFF header and first chunk of a WebP: extended (VP8X), lossless (VP8L) or lossy
    (VP8), each of which writes the size its own way."""
    if kind == "VP8X":
        chunk = b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little")
        chunk += (height - 1).to_bytes(3, "little")
    elif kind == "VP8L":
        chunk = b"\x2f" + ((width - 1) | (height - 1) << 14).to_bytes(4, "little")
    else:
        chunk = b"\x00\x00\x00\x9d\x01\x2a" + struct.pack("<HH", width, height)
    data = kind.ljust(4).encode() + struct.pack("<I", len(chunk)) + chunk + bytes(8)
    return b"RIFF" + struct.pack("<I", len(data) + 4) + b"WEBP" + data


def avif(width: int, height: int) -> bytes:
    """The boxes of an AVIF that give its size: the file type, and the image's spatial
    extent (ispe) among its properties."""

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    ispe = box(b"ispe", bytes(4) + struct.pack(">II", width, height))
    meta = box(b"pitm", bytes(4) + struct.pack(">H", 1)) + box(b"iprp", box(b"ipco", ispe))
    return box(b"ftyp", b"avif" + bytes(4) + b"avifmif1") + box(b"meta", bytes(4) + meta)


def svg(root: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" {root}>'
        '<rect width="10" height="10"/></svg>\n'
    ).encode()


def markdown_article(body: str, title: str = "Harbour map") -> str:
    return f"---\ntitle: {title}\ndate: 2026-02-06\n---\n{body}\n"


def images_on(page: Path) -> dict[str, str]:
    """Each <img> of a page by its src."""
    text = page.read_text()
    return {m[1]: m[0] for m in re.finditer(r'<img\b[^>]*\bsrc="([^"]*)"[^>]*>', text)}


IMAGES = {
    "png.png": (png(640, 480), 640, 480),
    "jpeg.jpg": (jpeg(1024, 683), 1024, 683),
    "upright.jpeg": (jpeg(4032, 3024, orientation=6), 3024, 4032),
    "gif.gif": (gif(320, 200), 320, 200),
    "vp8x.webp": (webp(1600, 900, "VP8X"), 1600, 900),
    "vp8l.webp": (webp(300, 7000, "VP8L"), 300, 7000),
    "vp8.webp": (webp(720, 405, "VP8"), 720, 405),
    "avif.avif": (avif(2048, 1536), 2048, 1536),
    "sized.svg": (svg('width="120" height="40" viewBox="0 0 120 40"'), 120, 40),
    "inches.svg": (svg('width="2in" height="1in"'), 192, 96),
    # Proportions only: as wide as any column, which the stylesheet shrinks it to
    "viewbox.svg": (svg('viewBox="0 0 24 12"'), 1600, 800),
    "shares.svg": (svg("width='100%' height=\"auto\" viewBox=' -5,-5 , 40 30'"), 1600, 1200),
}


def test_the_sizes_of_png_jpeg_gif_webp_avif_and_svg_are_written(make_site, run_cli) -> None:
    relative = "\n\n".join(f"![{name}](../../../../img/{name})" for name in IMAGES)
    site = make_site(
        {
            "articles/a.md": markdown_article(
                f"{relative}\n\n![from the top](/top/png.png) "
                "![remote](https://cdn.example/r.png) ![unsized](../../../../img/unsized.svg)"
            ),
            "articles/b.txt": article_text("2026-02-07", "Plain text"),
        }
        | {f"layouts/static/img/{name}": data for name, (data, _, _) in IMAGES.items()}
        # no size nor viewBox, and a shape's width: no size of its own (the browser scales it)
        | {"layouts/static/img/unsized.svg": svg('id="x"')}
        | {"layouts/static/top/png.png": IMAGES["png.png"][0]}
    )
    result = run_cli(site, "build")
    assert result.exit_code == 0 and "warning:" not in result.output, result.output
    images = images_on(site / PAGE)
    for name, (_, width, height) in IMAGES.items():
        assert images[f"../../../../img/{name}"] == (
            f'<img alt="{name}" src="../../../../img/{name}" width="{width}" '
            f'height="{height}" {EAGER if name == "png.png" else LAZY}'
        )
    # From the top of the host: relative to the page, as the others (the site may be anywhere).
    assert images["../../../../top/png.png"].endswith(f'width="640" height="480" {LAZY}')
    assert images["../../../../img/unsized.svg"].endswith(f'unsized.svg" {LAZY}')
    page = (site / PAGE).read_text()
    # Another host's image is still a link, never a request.
    assert '<a href="https://cdn.example/r.png" rel="noopener noreferrer">remote</a>' in page
    assert "cdn.example/r.png" not in "".join(images)
    # The site's feed carries the text with the same images.
    feed = (site / "public/feed.xml").read_text()
    assert 'src="../../../../img/gif.gif" width="320" height="200"' in feed.replace("&quot;", '"')
    assert run_cli(site, "check", "public").exit_code == 0


def test_an_articles_own_width_height_and_loading_are_not_kept(make_site, run_cli) -> None:
    """Markdown's attribute lists let an article write any width and height (`{: width=x}`,
    which nh3 let through): a page that HTML checkers refuse, or an image stretched out of
    shape. The file's own size is written instead."""
    site = make_site(
        {
            "articles/a.md": markdown_article(
                '![Map](../../../../map.png){: width="9999999" height="x" loading="eager" '
                'decoding="sync" onerror="alert(1)" style="width:1px" }\n\n'
                '![Gone](../../../../gone.png){: width="-5" height="100%" }'
            ),
            "layouts/static/map.png": png(400, 300),
        }
    )
    result = run_cli(site, "build")
    assert result.exit_code == 0
    images = images_on(site / PAGE)
    assert images["../../../../map.png"] == (
        f'<img alt="Map" src="../../../../map.png" width="400" height="300" {EAGER}'
    )
    assert images["../../../../gone.png"] == f'<img alt="Gone" src="../../../../gone.png" {LAZY}'
    assert "leads to no file of the site (no file gone.png)" in result.output  # as before


def test_an_articles_first_image_loads_with_the_page_and_the_rest_lazily(
    make_site, run_cli
) -> None:
    """Lazy, the first image, often in view as the page opens and its largest paint, waited
    for layout before it was fetched. The feed carries the same text."""
    site = make_site(
        {
            "articles/a.md": markdown_article(
                "A long lead.\n\n![One](../../../../one.png)\n\nText.\n\n"
                "![Two](../../../../two.png) and ![Three](../../../../one.png)"
            ),
            "articles/b.md": markdown_article("![Other](../../../../two.png)", title="Other"),
            "layouts/static/one.png": png(40, 30),
            "layouts/static/two.png": png(20, 10),
        }
    )
    assert run_cli(site, "build").exit_code == 0
    page = (site / PAGE).read_text()
    tags = re.findall(r"<img\b[^>]*>", page)
    assert tags == [
        f'<img alt="One" src="../../../../one.png" width="40" height="30" {EAGER}',
        f'<img alt="Two" src="../../../../two.png" width="20" height="10" {LAZY}',
        f'<img alt="Three" src="../../../../one.png" width="40" height="30" {LAZY}',
    ]
    assert "fetchpriority" not in page
    other = next((site / "public/2026/02/06").glob("other*/index.html")).read_text()
    assert re.findall(r"<img\b[^>]*>", other) == [
        f'<img alt="Other" src="../../../../two.png" width="20" height="10" {EAGER}'
    ]
    feed = (site / "public/feed.xml").read_text().replace("&quot;", '"').replace("&gt;", ">")
    assert f'alt="One" src="../../../../one.png" width="40" height="30" {EAGER}' in feed


HOSTILE = {
    "empty.png": b"",
    "huge.png": png(10**9, 10**9, pixels=False),  # a header claiming 10^18 pixels
    "zero.png": png(0, 480, pixels=False),
    "text.png": b"This is not an image, whatever its name says.\n",
    "cut.png": png(640, 480)[:20],  # cut short within the header
    "cut.jpg": jpeg(640, 480)[:24],
    "markers.jpg": b"\xff\xd8" + b"\x00" * 3_000_000,  # no marker after the start: 3 MB of search
    "bad-length.jpg": b"\xff\xd8\xff\xe0\x00\x00" + b"\xff" * 100,
    "negative.gif": gif(0xFFFF, 0xFFFF),
    "percent.svg": svg('width="100%" height="100%"'),
    "infinite.svg": svg(f'width="{"9" * 400}" height="1"'),
    "not-svg.svg": b"\x89PNG\r\n\x1a\n",
    "not-utf8.svg": b'<svg width="\xff\xfe" height="1">',
    "zero-viewbox.svg": svg('viewBox="0 0 0 10"'),
    "negative-viewbox.svg": svg('viewBox="0 0 -4 3"'),
    "short-viewbox.svg": svg('viewBox="0 0 4"'),
    "text-viewbox.svg": svg('viewBox="0 0 inf nan"'),
    "long-viewbox.svg": svg(f'viewBox="0 0 {"9" * 400} 1"'),
    "thin-viewbox.svg": svg('viewBox="0 0 1e-300 1"'),  # 10^303 times as tall as wide
    "spaced-viewbox.svg": b"<svg viewBox=' " + b" " * 3_000_000 + b"0 0 4 3'>",  # 3 MB, unread
    "boxes.avif": b"\x00\x00\x00\x08ftyp" + b"\x00\x00\x00\x01meta" + b"\xff" * 8,
    "loop.avif": b"\x00\x00\x00\x10ftypavif\x00\x00\x00\x00" + b"\x00\x00\x00\x00meta" * 1000,
}


def test_a_damaged_or_hostile_image_gives_no_size_and_no_traceback(
    make_site, run_cli, capfd
) -> None:
    body = "\n\n".join(f"![{name}](../../../../img/{name})" for name in HOSTILE)
    site = make_site(
        {
            "articles/a.md": markdown_article(f"{body}\n\n![fine](../../../../img/fine.png)"),
            "layouts/static/img/fine.png": png(64, 48),
        }
        | {f"layouts/static/img/{name}": data for name, data in HOSTILE.items()}
    )
    result = run_cli(site, "build")
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output and "Traceback" not in capfd.readouterr().err
    images = images_on(site / PAGE)
    for name in HOSTILE:
        assert images[f"../../../../img/{name}"] == (
            f'<img alt="{name}" src="../../../../img/{name}" {EAGER if name == "empty.png" else LAZY}'
        )
    assert 'width="64" height="48"' in images["../../../../img/fine.png"]


@pytest.mark.parametrize(
    "root",
    [
        'width="10em" height="5em" viewBox="0 0 2 1"',
        'width="300" viewBox="0 0 3 1"',
        'height="50" width="100%" viewBox="0 0 3 1"',
        f'data-x="{"x" * 1100}" width="200" height="100" viewBox="0 0 20 1"',
    ],
    ids=["em", "width-only", "height-only", "root-over-1kb"],
)
def test_an_svg_with_a_size_of_its_own_gets_none_from_its_viewbox(root: str) -> None:
    """The browser draws it at that size, which imagesize does not read (a unit it does not
    know, one side, a root element longer than the 1 KB it reads): its viewBox's proportions
    at the width of a column would stretch it."""
    from sitegen.images import svg_size

    assert svg_size(svg(root)) is None


def test_a_file_that_is_gone_or_no_file_gives_no_size(tmp_path: Path) -> None:
    """Gone, or made a folder or a named pipe, between the listing and the reading (which
    must not wait for a writer that never comes)."""
    from sitegen.images import image_size, size_of

    os.mkfifo(tmp_path / "pipe.png")
    (tmp_path / "folder.png").mkdir()
    for name in ("gone.png", "folder.png", "pipe.png"):
        assert image_size(tmp_path / name) is None
        assert size_of(str(tmp_path / name), (0, 0, 0, 0)) is None  # as if a file when listed
    (tmp_path / "real.png").write_bytes(png(3, 2))
    assert image_size(tmp_path / "real.png") == (3, 2)


def cli_build(site: Path, memory: CacheMemory | None = None):
    return build(load_config(site / "sitegen.yaml"), jobs=1, memory=memory)


@pytest.mark.parametrize("kept", [False, True], ids=["cache-on-disk", "cache-in-memory"])
def test_a_replaced_image_gives_its_new_size_in_an_incremental_build(
    make_site, run_cli, kept: bool
) -> None:
    """No article changed, nor any file's name: only the image's bytes. The quickest rebuild
    (the same sources), the unchanged site and the page keys must all see it."""
    memory = CacheMemory() if kept else None
    site = make_site(
        {
            "sitegen.yaml": "per_page: 2\n",
            "articles/a.md": markdown_article("A map.\n\n![Map](../../../../img/map.png)"),
            "articles/b.md": markdown_article(
                "No image, a [link](../../../../img/map.png).", title="Other"
            ),
            "layouts/static/img/map.png": png(640, 480),
        }
    )
    for day in (3, 4, 5):
        (site / f"articles/{day}.txt").write_text(article_text(f"2026-01-0{day}", f"Story {day}"))
    settle(site)
    cli_build(site, memory)
    report = cli_build(site, memory)
    assert (report.read, report.rendered, report.written) == (0, 0, 0)
    assert 'width="640" height="480"' in images_on(site / PAGE)["../../../../img/map.png"]
    map_file = site / "layouts/static/img/map.png"
    for width, height in [(300, 900), (300, 900), (1200, 675)]:
        before = read_tree(site / "public")
        map_file.write_bytes(png(width, height))
        report = cli_build(site, memory)
        after = read_tree(site / "public")
        assert (
            f'width="{width}" height="{height}"'
            in images_on(site / PAGE)["../../../../img/map.png"]
        )
        changed = sorted(p for p in after if after[p] != before.get(p))
        if (width, height) == (300, 900) and before["img/map.png"] == after["img/map.png"]:
            assert changed == [] and report.rendered == 0  # the same file again
        else:
            page, manifest = PAGE.removeprefix("public/"), ".sitegen-manifest.json"
            assert changed == [manifest, page, "feed.xml", "img/map.png"]
            assert report.read == 0 and report.rendered <= 6  # the page, the feed, lists
        shutil.rmtree(site / "clean", ignore_errors=True)
        (site / "clean.yaml").write_text("per_page: 2\noutput: clean\ncache: .clean-cache\n")
        shutil.rmtree(site / ".clean-cache", ignore_errors=True)
        build(load_config(site / "clean.yaml"), jobs=1)
        assert read_tree(site / "clean") == after
    # Damaged, the image loses its size; mended, it has it again.
    map_file.write_bytes(b"broken")
    cli_build(site, memory)
    assert images_on(site / PAGE)["../../../../img/map.png"].endswith(f'map.png" {EAGER}')
    map_file.write_bytes(png(50, 60))
    cli_build(site, memory)
    assert 'width="50" height="60"' in images_on(site / PAGE)["../../../../img/map.png"]


def test_images_are_looked_up_only_where_an_article_shows_one(make_site) -> None:
    """A corpus of plain text loads no image reader; an article that shows an image of the
    site's own gets its size."""
    site = make_site({"layouts/static/logo.png": png(120, 60)})
    corpus(site, 3)
    settle(site)
    run = build_printing("'imagesize' in sys.modules")
    for _ in range(2):  # built, then the quickest rebuild
        done = subprocess.run(run, cwd=site, capture_output=True, text=True, check=True)
        assert done.stdout.strip() == "False", done.stderr
    (site / "articles/m.md").write_text(markdown_article("![Logo](../../../../logo.png)"))
    done = subprocess.run(run, cwd=site, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True", done.stderr
    assert 'width="120" height="60"' in images_on(site / PAGE)["../../../../logo.png"]


def test_workers_write_the_sizes_a_single_process_writes(make_site) -> None:
    """A cold build of a large corpus renders in worker processes, which are sent the sizes."""
    site = make_site(
        {
            "sitegen.yaml": "per_page: 2\n",
            "articles/a.md": markdown_article("![Map](../../../../img/map.png)"),
            "layouts/static/img/map.png": png(800, 450),
        }
    )
    corpus(site, 700)  # above the size where workers start
    settle(site)
    (site / "two.yaml").write_text("per_page: 2\noutput: two\ncache: .two-cache\n")
    build(load_config(site / "sitegen.yaml"), jobs=1)
    report = build(load_config(site / "two.yaml"), jobs=2)
    assert report.read == 701
    assert 'width="800" height="450"' in images_on(site / PAGE)["../../../../img/map.png"]
    assert read_tree(site / "public") == read_tree(site / "two")
