"""One build: read -> model -> render -> write, and the report of what it did."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TypeVar

from sitegen.config import Config
from sitegen.errors import Problem, SitegenError
from sitegen.model import Site, build_site, page_count
from sitegen.read import Article, article_id, display, find_sources, read_article
from sitegen.render import make_environment, render_site
from sitegen.tags import article_tags
from sitegen.write import Writer

T = TypeVar("T")
Progress = Callable[[Iterable[T], int, str], Iterable[T]]


def no_progress(items: Iterable[T], total: int, label: str) -> Iterable[T]:
    return items


@dataclass(frozen=True)
class BuildReport:
    articles: int
    drafts_skipped: int
    written: int
    unchanged: int
    removed: int
    problems: tuple[Problem, ...]
    seconds: float

    def summary(self) -> str:
        warnings = len(self.problems)
        return (
            f"{self.articles} article{'s' * (self.articles != 1)}: "
            f"{self.written} written, {self.unchanged} unchanged, {self.removed} removed, "
            f"{warnings} warning{'s' * (warnings != 1)} in {self.seconds:.2f} s"
        )


def read_corpus(
    config: Config, drafts: bool, progress: Progress
) -> tuple[list[Article], list[Problem], int]:
    """Read every article file: the articles, the problems, and how many drafts were left out."""
    if not config.source.is_dir():
        raise SitegenError("the source folder does not exist", display(config.source))
    paths, problems = find_sources(config.source)
    articles: list[Article] = []
    skipped_drafts = 0
    for path in progress(paths, len(paths), "Reading"):
        result = read_article(path, config.source)
        problems.extend(result.problems)
        if result.article is None:
            continue
        if result.article.draft and not drafts:
            skipped_drafts += 1
            continue
        articles.append(result.article)
    id_problems: list[Problem] = []
    articles = unique_ids(articles, id_problems)
    problems.extend(replace(p, path=display(config.source / p.path)) for p in id_problems)
    return articles, problems, skipped_drafts


def unique_ids(articles: list[Article], problems: list[Problem]) -> list[Article]:
    """Two files with the same id in their names: the second is keyed by its path instead."""
    seen: dict[str, str] = {}
    unique = []
    for article in articles:
        if article.id in seen:
            new_id = article_id(article.source + "\0")
            problems.append(
                Problem(
                    article.source,
                    f"id {article.id} is also used by {seen[article.id]}; using {new_id}",
                )
            )
            article = replace(article, id=new_id)
        seen[article.id] = article.source
        unique.append(article)
    return unique


def build(
    config: Config, *, drafts: bool = False, strict: bool = False, progress: Progress = no_progress
) -> BuildReport:
    """Build the whole site. Nothing reaches the output folder unless every page rendered."""
    start = time.perf_counter()
    articles, problems, skipped_drafts = read_corpus(config, drafts, progress)
    site, model_problems = build_site(config, articles, article_tags(articles, config.tags))
    problems.extend(replace(p, path=display(config.source / p.path)) for p in model_problems)
    if strict and problems:
        listed = "\n".join(f"  {p}" for p in problems)
        raise SitegenError(
            f"{len(problems)} warning(s) with --strict; nothing was written:\n{listed}"
        )
    env = make_environment(config.layouts)
    with Writer(config.output) as writer:
        outputs = render_site(site, env)
        for output in progress(outputs, expected_outputs(site), "Writing"):
            writer.stage(output)
        written = writer.commit()
    return BuildReport(
        articles=len(site.articles),
        drafts_skipped=skipped_drafts,
        written=written.written,
        unchanged=written.unchanged,
        removed=written.removed,
        problems=tuple(problems),
        seconds=time.perf_counter() - start,
    )


def expected_outputs(site: Site) -> int:
    """A close count of the files a build renders, for the progress bar only."""
    sizes = [len(site.articles)]
    sizes += [len(g.articles) for groups in site.archives.values() for g in groups]
    sizes += [len(t.articles) for t in site.tags]
    return len(site.articles) + sum(page_count(n, site.config.per_page) for n in sizes) + 4
