"""Command-line interface: parse options, call one function, print what it reports."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

import click

from sitegen import __version__
from sitegen.build import BuildReport, build, read_corpus
from sitegen.config import Config, load_config
from sitegen.errors import Problem, SitegenError
from sitegen.read import Article
from sitegen.tags import explain, format_table, format_verdicts, tag_corpus, tag_table

T = TypeVar("T")
PROGRESS_THRESHOLD = 500  # items; smaller builds finish before a bar would help


def terminal_progress(items: Iterable[T], total: int, label: str) -> Iterable[T]:
    """A progress bar on stderr for long builds, and only when stderr is a terminal."""
    if total < PROGRESS_THRESHOLD or not sys.stderr.isatty():
        return items
    return _with_bar(items, total, label)


def _with_bar(items: Iterable[T], total: int, label: str) -> Iterable[T]:
    with click.progressbar(items, length=total, label=f"{label:<8}", file=sys.stderr) as bar:
        yield from bar


def print_problems(problems: Iterable[Problem]) -> None:
    for problem in problems:
        click.secho(f"warning: {problem}", fg="yellow", err=True)


def site_options(function):
    """The options every command that reads a site shares."""
    function = click.option(
        "--config", "-c", "config_file", type=click.Path(dir_okay=False, path_type=Path),
        help="Config file [default: ./sitegen.yaml if present].",
    )(function)  # fmt: skip
    function = click.option(
        "--output", "-o", type=click.Path(file_okay=False, path_type=Path),
        help="Folder to build into [default: public].",
    )(function)  # fmt: skip
    function = click.option(
        "--source", "-s", type=click.Path(file_okay=False, path_type=Path),
        help="Folder of article files [default: articles].",
    )(function)  # fmt: skip
    return function


def config_from(config_file: Path | None, source: Path | None, output: Path | None) -> Config:
    return load_config(config_file, overrides={"source": source, "output": output})


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
def main() -> None:
    """Build a static news site from a folder of plain-text articles.

    \b
    Typical use:
      sitegen build            build articles/ into public/
      sitegen build --strict   fail on any warning (for CI and deploys)

    Settings live in an optional sitegen.yaml next to articles/.
    """


@main.command("build")
@site_options
@click.option("--drafts", is_flag=True, help="Include articles marked 'draft: true'.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors; write nothing if any.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also report drafts left out.")
def build_command(
    config_file: Path | None,
    source: Path | None,
    output: Path | None,
    drafts: bool,
    strict: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build the site from the articles into the output folder.

    Bad files are reported with their name and line and left out; the rest of the site is built
    and the exit code is 0 (non-zero under --strict). Files whose bytes did not change are not
    rewritten, and files an earlier build wrote that are no longer produced are removed.
    """
    config = config_from(config_file, source, output)
    report = build(
        config, drafts=drafts, strict=strict, progress=no_bar if quiet else terminal_progress
    )
    if not quiet:
        print_problems(report.problems)
        print_summary(report, config, verbose)


def no_bar(items: Iterable[T], total: int, label: str) -> Iterable[T]:
    return items


def print_summary(report: BuildReport, config: Config, verbose: bool) -> None:
    if verbose and report.drafts_skipped:
        click.echo(f"{report.drafts_skipped} draft(s) left out (use --drafts to include them)")
    click.echo(f"Built {report.summary()} -> {config.output}")


# --- sitegen tags ------------------------------------------------------------------------------


@main.command("tags")
@site_options
@click.option(
    "--article", "article_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Explain one article's tags: every candidate, its mentions and why it was kept or not.",
)  # fmt: skip
def tags_command(
    config_file: Path | None, source: Path | None, output: Path | None, article_file: Path | None
) -> None:
    """Print every tag with its number of articles and the forms of it found in the text.

    Use it to tune tags.aliases and tags.ignore in sitegen.yaml. With --article FILE, show how
    one article's tags were chosen, with mention counts.
    """
    config = config_from(config_file, source, output)
    articles, problems, _ = read_corpus(config, drafts=False, progress=no_bar)
    print_problems(problems)
    tagging = tag_corpus(articles, config.tags)
    if article_file is None:
        click.echo(format_table(tag_table(tagging)))
        return
    article = find_article(articles, config, article_file)
    click.echo(f"{article.source}: {article.title}")
    click.echo(format_verdicts(explain(tagging, article.id)))


def find_article(articles: list[Article], config: Config, path: Path) -> Article:
    """The article read from `path`; an error if the corpus has no such (published) article."""
    wanted = path.resolve()
    for article in articles:
        if (config.source / article.source).resolve() == wanted:
            return article
    raise SitegenError(f"not an article of {config.source} (or it was skipped)", str(path))
