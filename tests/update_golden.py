"""Rebuild the golden site's expected output after an intended change to the output:

    python -m tests.update_golden

then review `git diff tests/golden/expected` before committing it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from sitegen.build import build
from sitegen.config import load_config

GOLDEN = Path(__file__).resolve().parent / "golden"


def build_golden(output: Path) -> None:
    """Build the golden site into `output` with a throwaway cache."""
    config = load_config(GOLDEN / "site" / "sitegen.yaml")
    with tempfile.TemporaryDirectory() as cache:
        config = config.__class__(**{**config.__dict__, "output": output, "cache": Path(cache)})
        build(config, jobs=1)


def main() -> None:
    expected = GOLDEN / "expected"
    shutil.rmtree(expected, ignore_errors=True)
    build_golden(expected)
    print(f"wrote {sum(1 for p in expected.rglob('*') if p.is_file())} files into {expected}")


if __name__ == "__main__":
    main()
