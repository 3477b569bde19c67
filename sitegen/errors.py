"""User-facing errors and warnings.

A user mistake is never a traceback: it is one line that starts with the file (and line) at
fault, so an editor or a terminal can jump to it. Fatal mistakes raise `SitegenError`; problems
that only cost one article are collected as `Problem`s and reported at the end of the build.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TypeGuard

import click

# What a terminal acts on rather than shows: C0 and C1 controls (escape sequences, a newline
# that fakes a line of output), bidi controls that reorder a line, line and paragraph
# separators, and the surrogates of undecodable bytes. Tabs, NBSP, ZWNJ and such are text.
NOT_SHOWN = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def printable(text: str) -> str:
    """Text for a terminal: what it would act on written as escapes (`NOT_SHOWN`).

    A file may be named "\\x1b]0;...\\a" or hold a newline and "warning: ...": printed as
    they are, such names retitle the terminal or fake a line of sitegen's own output. An
    undecodable byte of a file name shows as \\xff, as in `read.printable`."""
    return NOT_SHOWN.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if "\udc80" <= char <= "\udcff":  # a byte of a file name that is not UTF-8
        return f"\\x{ord(char) - 0xDC00:02x}"
    return char.encode("unicode_escape").decode()


# A value quoted in a message ("'12345…' is not a date", a URL in a page) is shown whole up to
# this many characters; longer, its middle is left out: a 5,000-digit date in a file's front
# matter made a warning of 5 KB, and `check` echoed a URL of 100,000 characters.
MAX_QUOTED = 200
LONG_WORD = re.compile(rf"\S{{{MAX_QUOTED + 1},}}")


def clipped(message: str) -> str:
    """`message` with the middle of each run of more than `MAX_QUOTED` characters without a
    space left out, saying how many. For a value of the user's quoted in a message (a date, a
    URL a page links to), not for a whole message: one may name a file or folder, which the
    reader needs whole to find it."""
    return LONG_WORD.sub(_clip, message) if len(message) > MAX_QUOTED else message


def _clip(match: re.Match[str]) -> str:
    word = match.group()
    head, tail = word[: MAX_QUOTED // 2], word[-MAX_QUOTED // 4 :]
    return f"{head}…[{len(word) - len(head) - len(tail):,} characters]…{tail}"


def locate(path: str | None, line: int | None = None) -> str:
    """Format `path:line` the way compilers do, so terminals make it clickable."""
    if path is None:
        return ""
    return f"{path}:{line}" if line else path


@dataclass(frozen=True)
class Problem:
    """A non-fatal problem with one input file: the file is skipped or read with a fallback."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return printable(f"{locate(self.path, self.line)}: {self.message}")


class SitegenError(click.ClickException):
    """A mistake the user can fix; click prints it as `Error: <file>:<line>: <message>`."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.detail = message
        where = locate(path, line)
        # A message may run over lines of sitegen's own (the config's problems): each line
        # is made printable, the name of the file at fault as a whole.
        text = "\n".join(printable(line) for line in message.split("\n"))
        super().__init__(f"{printable(where)}: {text}" if where else text)


def is_file_error(exc: BaseException) -> TypeGuard[OSError]:
    """An OSError about a file or folder (it names one), not a broken pipe to a worker that
    died: that one is a bug to report, not the user's to fix."""
    return isinstance(exc, OSError) and exc.filename is not None


def file_error(exc: OSError) -> SitegenError:
    """What the system refused, and where (a full disk, an output path through a file, a
    read-only folder), as one line instead of a traceback. A failed move names its target."""
    where = exc.filename2 if exc.filename2 is not None else exc.filename
    if isinstance(where, bytes):
        where = os.fsdecode(where)
    return SitegenError(f"cannot build: {exc.strerror or exc}", where if where else None)
