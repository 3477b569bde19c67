"""sitegen: a fast, safe static site generator for corpora of plain-text news articles."""

__version__ = "0.1.0"
