"""The `sitegen` program's entry point, kept apart from `sitegen.cli` so that a Ctrl-C while
that imports (0.1-0.2 s of click, jinja2 and the build on a slow machine) ends the program as
a Ctrl-C later does, with "Aborted!", instead of a KeyboardInterrupt traceback."""

import contextlib
import os
import signal
import sys
from typing import Any


def main() -> None:
    in_utf8_mode()
    keep_interrupts()
    try:
        from sitegen.cli import run
    except KeyboardInterrupt:
        print("Aborted!", file=sys.stderr)
        sys.exit(1)
    run()


def in_utf8_mode() -> None:
    """Run again in Python's UTF-8 mode where file names are not read as UTF-8: under
    `LC_ALL=C` with `PYTHONUTF8=0` (or another locale's encoding), an article named
    `café.txt` was skipped as "not valid UTF-8", though its name is, and printing a title
    could fail. Articles, pages and file names are UTF-8 whatever the locale says; a name that
    is not still reads, escaped. Once only: the setting is in the environment."""
    if sys.getfilesystemencoding() == "utf-8" or os.environ.get("PYTHONUTF8") == "1":
        return
    os.environ["PYTHONUTF8"] = "1"
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])


def keep_interrupts() -> None:
    """Deliver again a Ctrl-C (or a SIGTERM, which `cli.stop_on_termination` makes a
    SystemExit) that landed where Python cannot raise it: in a callback such as the one that
    frees an import's module lock. Python printed "Exception ignored ... KeyboardInterrupt"
    and went on, and the build ran to its end. Raised again a moment later, from a thread,
    it stops the program at the next line that can stop, as any Ctrl-C does: raised in this
    hook, it would be ignored again."""
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        error = unraisable.exc_value
        if isinstance(error, KeyboardInterrupt):
            deliver_later(signal.SIGINT)
        elif isinstance(error, SystemExit) and error.code in SIGNAL_EXITS:
            deliver_later(error.code - 128)
        else:
            previous(unraisable)

    sys.unraisablehook = hook


def deliver_later(signum: int) -> None:
    import threading

    with contextlib.suppress(RuntimeError):  # the interpreter is shutting down: no threads
        threading.Timer(0.01, signal.raise_signal, (signum,)).start()


# The exit codes of `cli.stop_on_termination`.
SIGNAL_EXITS = {
    128 + getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
}
