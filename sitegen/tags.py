"""Tags for each article: those a person gave in front matter, then those derived from the text.

Derivation from the text is its own stage (issue: derived tags); this module is the one place
where an article's final, ranked tag names are decided.
"""

from __future__ import annotations

from collections.abc import Sequence

from sitegen.config import TagConfig
from sitegen.read import Article


def article_tags(articles: Sequence[Article], settings: TagConfig) -> dict[str, tuple[str, ...]]:
    """Article id -> its tag names in rank order, front-matter tags first."""
    return {article.id: article.tags for article in articles}
