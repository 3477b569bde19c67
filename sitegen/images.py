"""The size of the site's own images, for the `width` and `height` of an article's `<img>`.

With them a browser keeps an image's place on the page before it has loaded, and the text
below does not jump when it comes (layout shift); the stylesheet keeps the image within the
column (`max-width: 100%; height: auto`). Sizes are read from each file's first bytes by
`imagesize` at build time, once per file and change of it, and only for an image an article
shows: a corpus without one looks up nothing.

A file whose size cannot be read (empty, cut short, a text file named `.png`, a size no image
has) gets no width and height: the page is as it was before, never a failed build.
"""

from __future__ import annotations

import functools
import html
import io
import os
import re
from collections.abc import Mapping
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from sitegen.read import from_site_top
from sitegen.write import is_image_name

if TYPE_CHECKING:
    from sitegen.model import Site

Size = tuple[int, int]
# Article id -> its images' sizes, by address as the article writes it (`Article.links`).
ImageSizes = Mapping[str, Mapping[str, Size]]

# The first bytes hold the size of a PNG, GIF, WebP or most JPEGs; a JPEG whose metadata
# (Exif, a colour profile) comes first, or an AVIF, may need more: read again, up to a bound.
HEAD_BYTES = 64 * 1024
MORE_BYTES = 1024 * 1024
# The widest and tallest a JPEG can be; a PNG header may claim 4 billion pixels a side, which
# no real image has: such a size is a damaged or hostile file, and gets no width or height.
MAX_SIDE = 65_535
_SVG_START = re.compile(rb"<svg[\s>][^>]*>")  # the root element, whose size is the image's
# An attribute of the root element that sizes it, as XML writes it: name="value" or 'value'.
_ROOT_ATTRIBUTE = re.compile(rb"""\s(width|height|viewBox)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_NO_SIZE = re.compile(rb"(?:[0-9.]+%|auto)?")  # a share of the box it is drawn in: none
# A number of a viewBox, of a few digits: a longer one is no drawing's (and costs to read).
_VIEWBOX_NUMBER = re.compile(
    rb"[-+]?(?:[0-9]{1,15}(?:\.[0-9]{0,15})?|\.[0-9]{1,15})(?:[eE][-+]?[0-9]{1,3})?"
)
# The width written for an SVG that gives its proportions only: wider than the column at any
# font size a reader sets (the stylesheet's 42rem is 1,344 pixels at 32 pixels to the rem).
SCALABLE_WIDTH = 1600
_IMG_TAG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r' src="([^"]*)"')  # as the sanitiser writes it: double quotes, escaped
# The first image of an article loads with the page: it is often in view as the page opens,
# and often its largest paint, which a lazy image delays (the browser waits for layout to know
# it is near). Those after it load as the reader scrolls near them. None takes the browser's
# network priority (`fetchpriority="high"`): the first may sit far down a long article.
FIRST_IMAGE_ATTRIBUTES = ' decoding="async"'
IMAGE_ATTRIBUTES = ' loading="lazy" decoding="async"'


def image_sizes(site: Site, statics: Mapping[str, Path]) -> dict[str, dict[str, Size]]:
    """The sizes of the images of the site's own files (`statics`) that each article shows,
    by the address it writes (relative to its page, or from the site's top)."""
    base_url = site.config.base_url
    found: dict[str, dict[str, Size]] = {}
    known: dict[str, Size | None] = {}  # by file: an image shown by many articles is read once
    for article in site.articles:
        if not article.links:  # plain text, and Markdown without links or images
            continue
        page = base_url + site.urls[article.id]
        for what, url in article.links:
            if what != "image":
                continue
            target = site_file(url, page, base_url)
            if target is None or target not in statics or not is_image_name(target):
                continue
            if target not in known:
                known[target] = image_size(statics[target])
            size = known[target]
            if size is not None:
                found.setdefault(article.id, {})[url] = size
    return found


def site_file(url: str, page: str, base_url: str) -> str | None:
    """The file of the site (its path under `base_url`) that `url`, written on the page at
    `page`, leads to; None for one outside the site."""
    site = urlsplit(base_url)
    root = site.path or "/"
    if (path := from_site_top(url, root)) is not None:  # as the page writes it (`render`)
        return unquote(urlsplit(path).path)
    parts = urlsplit(urljoin(page, url))
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        return None
    if not parts.path.startswith(root):
        return None
    return unquote(parts.path[len(root) :])


def image_size(path: Path) -> Size | None:
    """The width and height of the image in `path`, or None where they cannot be read."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if not S_ISREG(stat.st_mode):
        return None
    stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    return size_of(str(path), stamp)


@functools.lru_cache(maxsize=4096)
def size_of(path: str, stamp: tuple[int, ...]) -> Size | None:
    """Memoised by the file's stat: read once while it is unchanged, and read again when it is
    replaced (a watch or serve process builds many times)."""
    try:
        # Not blocking: a file replaced by a named pipe since it was listed would wait forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not S_ISREG(os.fstat(fd).st_mode):
            return None
        with open(fd, "rb", closefd=False) as file:
            head = file.read(HEAD_BYTES)
            if path.lower().endswith(".svg"):
                return svg_size(head)
            size = header_size(head)
            if size is None and len(head) == HEAD_BYTES:
                size = header_size(head + file.read(MORE_BYTES))
            return size
    except OSError:
        return None
    finally:
        os.close(fd)


def header_size(data: bytes) -> Size | None:
    import imagesize  # only for a site whose articles show images

    # An open file, never a name: imagesize fetches a name that starts with "https://".
    width, height = imagesize.get(io.BytesIO(data))
    return checked_size(width, height)


def svg_size(head: bytes) -> Size | None:
    """An SVG's size, where its root element states one in absolute units ("640", "20cm"), or
    else a viewBox (`viewbox_size`). imagesize takes the first `width=` of the file, which may
    be a shape's: it is given the root element alone."""
    root = _SVG_START.search(head[:HEAD_BYTES])
    if root is None:
        return None
    return header_size(root.group()) or viewbox_size(root.group())


def viewbox_size(root: bytes) -> Size | None:
    """The size of an SVG whose root element states no width or height (or "100%", "auto")
    but a viewBox, which gives its proportions only: `SCALABLE_WIDTH` wide, as tall as they
    make it. Without a size, the browser drew such an image as wide as its column once it had
    loaded, and the text below jumped down; its viewBox's own numbers, pixels to a browser,
    would draw "0 0 24 12" 24 pixels wide. This width, over any column's, keeps it as wide as
    the column (`max-width: 100%`), and its place kept before it loads. An absolute width or
    height that imagesize could not read (a root over 1 KB, "10em") gets none, as before: it
    is the image's size, which the viewBox must not override."""
    attributes: dict[bytes, bytes] = {}
    for name, double, single in _ROOT_ATTRIBUTE.findall(root):
        attributes.setdefault(name, double or single)  # the first: XML allows no second
    for side in (b"width", b"height"):
        if side in attributes and not _NO_SIZE.fullmatch(attributes[side].strip()):
            return None
    box = attributes.get(b"viewBox", b"").replace(b",", b" ").split()
    if len(box) != 4 or not all(_VIEWBOX_NUMBER.fullmatch(number) for number in box):
        return None
    width, height = float(box[2]), float(box[3])
    if not (width > 0 and height > 0):  # a side of 0 draws nothing; a negative one is an error
        return None
    return checked_size(SCALABLE_WIDTH, SCALABLE_WIDTH * height / width)


def checked_size(width: float, height: float) -> Size | None:
    """A size as a page can use it: whole pixels (an SVG's may be "10.5" or "2cm"), and one
    an image can have."""
    try:
        size = round(width), round(height)
    except (OverflowError, ValueError):  # an SVG's "1000…000" (a thousand digits) is infinite
        return None
    return size if all(1 <= side <= MAX_SIDE for side in size) else None


def sized_images(safe: str, sizes: Mapping[str, Size] | None) -> str:
    """A sanitised body whose images, but the first, load when the reader scrolls near them,
    all decoded off the main thread, with their width and height where known. The sanitiser
    lets no width, height or loading of the article's own through (`read.kept_attributes`):
    these are the only ones."""
    if "<img" not in safe or (first := _IMG_TAG.search(safe)) is None:
        return safe
    return _IMG_TAG.sub(functools.partial(_sized_image, sizes or {}, first.start()), safe)


def _sized_image(sizes: Mapping[str, Size], first: int, match: re.Match[str]) -> str:
    tag = match.group()
    src = _SRC.search(tag)
    size = sizes.get(html.unescape(src[1]).strip()) if src else None
    attributes = f' width="{size[0]}" height="{size[1]}"' if size else ""
    loading = FIRST_IMAGE_ATTRIBUTES if match.start() == first else IMAGE_ATTRIBUTES
    return f"{tag[:-1]}{attributes}{loading}>"


def sizes_key(sizes: Mapping[str, Size]) -> str:
    """An article's image sizes as they go into the deps of the pages that show it."""
    return " images " + repr(sorted(sizes.items()))
