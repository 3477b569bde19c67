"""Shared fixtures: small sites written into tmp_path from a dict of files, and a CLI runner."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sitegen.cli import main

REPO = Path(__file__).resolve().parent.parent
REAL_ARTICLE = REPO / "articles" / "000_3f50df4c612dd481.txt"


def article_text(date: str, title: str, *paragraphs: str, byline: str | None = "Staff") -> str:
    """An article in the corpus format (leading space, date line, byline, paragraphs)."""
    parts = [f" date {date} {title}"]
    if byline is not None:
        parts.append(f"By {byline}")
    parts.extend(paragraphs or ("Some text for the body of this article.",))
    return "\n\n".join(parts)


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """make_site({"articles/a.txt": "...", "sitegen.yaml": "..."}) -> the site folder."""

    def make(files: Mapping[str, str | bytes], name: str = "site") -> Path:
        root = tmp_path / name
        (root / "articles").mkdir(parents=True, exist_ok=True)
        return write_files(root, files)

    return make


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `sitegen ARGS` in a site folder, as a user would in a shell."""

    def run(site: Path, *args: str) -> Result:
        monkeypatch.chdir(site)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run


def read_tree(root: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every file under root, by relative path: compares two builds byte for byte."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith(skip)
    }
