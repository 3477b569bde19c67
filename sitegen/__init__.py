"""sitegen: a fast, safe static site generator for corpora of plain-text news articles."""

from pathlib import Path

__version__ = "0.1.0"

BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
BUILTIN_STATIC = Path(__file__).parent / "static"
