"""One golden build: a small corpus built and compared byte for byte with committed output.

After an intended change to the output, regenerate with `python -m tests.update_golden` and
review the diff.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import read_tree
from tests.update_golden import GOLDEN, build_golden


def test_golden_site_matches_the_committed_output(tmp_path: Path) -> None:
    build_golden(tmp_path / "out")
    built = read_tree(tmp_path / "out")
    expected = read_tree(GOLDEN / "expected")
    assert sorted(built) == sorted(expected)
    for path in expected:
        assert built[path] == expected[path], f"{path} differs; see tests/update_golden.py"
