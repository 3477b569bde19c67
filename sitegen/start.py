"""The `sitegen` program's entry point, kept apart from `sitegen.cli` so that a Ctrl-C while
that imports (0.1-0.2 s of click, jinja2 and the build on a slow machine) ends the program as
a Ctrl-C later does, with "Aborted!", instead of a KeyboardInterrupt traceback."""

import sys


def main() -> None:
    try:
        from sitegen.cli import run
    except KeyboardInterrupt:
        print("Aborted!", file=sys.stderr)
        sys.exit(1)
    run()
