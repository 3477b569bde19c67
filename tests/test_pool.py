"""The worker pool, on real worker processes: work dealt on demand comes back whole, each call
answered once, whichever worker is free; a worker's error reaches the build."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from sitegen.config import TagConfig
from sitegen.errors import SitegenError
from sitegen.pool import (
    PRELOAD,
    WorkerError,
    WorkerPool,
    available_cores,
    available_memory,
    cgroup_cpu_limit,
    cgroup_memory_room,
    pickled_call,
)
from sitegen.read import UTF8_BODY
from sitegen.tags import lexicon_tables_in_use, tagger_for
from sitegen.workers import WorkerState, read_files
from tests.conftest import article_text


def write_corpus(root: Path, count: int) -> list[str]:
    root.mkdir()
    paths = []
    for i in range(count):
        path = root / f"{i:03}_story.txt"
        title = f"Story {i} on Cuba"
        path.write_text(article_text(f"2026-01-{i % 28 + 1:02}", title, f"Ada Quell spoke {i}."))
        paths.append(str(path))
    return paths


def test_calls_dealt_on_demand_are_each_answered_once_by_real_workers(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    paths = write_corpus(root, 23)
    chunks = [paths[i : i + 3] for i in range(0, len(paths), 3)]
    dealt = iter(range(len(chunks)))

    def next_chunk(worker: int) -> tuple[int, tuple] | None:
        i = next(dealt, None)
        return None if i is None else (i, (chunks[i],))

    with WorkerPool(2) as pool:
        pool.send_all("start_reading", (root, TagConfig(), {}, lexicon_tables_in_use()))
        pool.receive_each()
        answers = list(pool.on_demand("read", next_chunk))
    keys = sorted(key for key, _, _ in answers)
    assert keys == list(range(len(chunks)))  # every chunk once
    assert {worker for _, worker, _ in answers} == {0, 1}  # each starts with calls queued
    for key, _, answer in answers:  # what reading in this process gives
        assert answer == read_files(root, chunks[key], {}, TagConfig())


def test_a_worker_given_nothing_leaves_every_call_to_the_others(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    paths = write_corpus(root, 6)
    dealt = iter(range(len(paths)))

    def only_second(worker: int) -> tuple[int, tuple] | None:
        i = next(dealt, None) if worker == 1 else None
        return None if i is None else (i, ([paths[i]],))

    with WorkerPool(2) as pool:
        pool.send_all("start_reading", (root, TagConfig(), {}, lexicon_tables_in_use()))
        pool.receive_each()
        answers = list(pool.on_demand("read", only_second))
    assert [key for key, _, _ in answers] == list(range(6))  # one worker answers in order
    assert {worker for _, worker, _ in answers} == {1}


def test_an_error_in_a_worker_is_raised_in_the_build() -> None:
    calls = iter([(0, ([0], 0))])

    def next_call(worker: int) -> tuple[int, tuple] | None:
        return next(calls, None)

    with WorkerPool(2) as pool, pytest.raises(WorkerError, match="load_site"):
        list(pool.on_demand("render", next_call))  # nothing loaded to render from


def one_file_a_call(paths: list[str]) -> Callable[[int], tuple[int, tuple] | None]:
    """`on_demand`'s `next_call` for reading `paths`, one a call, to whichever worker asks."""
    dealt = iter(range(len(paths)))

    def next_file(worker: int) -> tuple[int, tuple] | None:
        i = next(dealt, None)
        return None if i is None else (i, ([paths[i]],))

    return next_file


def test_a_worker_killed_mid_build_gives_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "articles"
    paths = write_corpus(root, 4)
    next_file = one_file_a_call(paths)
    with WorkerPool(2) as pool:
        pool.processes[0].kill()  # as the kernel's out-of-memory killer would
        pool.processes[0].join()
        with pytest.raises(SitegenError, match="a worker process stopped before it answered") as e:
            list(pool.on_demand("read", next_file))
    # The pipe's error, kept as the context, lets go of the frames that were sending: one
    # held the message as a view of a BytesIO, and the collector crashed Python 3.12.1 on the
    # two in a cycle (a segfault in a later test).
    gone = e.value.__context__
    assert isinstance(gone, (OSError, EOFError)) and gone.__traceback__ is None
    del e, gone
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    gc.collect()  # nothing of the sending is left in a cycle, to finalise in the wrong order
    assert unraisable == []


def test_a_big_message_sent_soon_reaches_busy_workers_whole(tmp_path: Path) -> None:
    """The site goes to the workers while they score related articles (`send_all_soon`): this
    process goes on meanwhile, not held by a full pipe, and each worker takes all of it once
    its call is answered."""
    root = tmp_path / "articles"
    paths = write_corpus(root, 40)
    big = UTF8_BODY + ("é" * 4_000_000).encode()  # 8 MB: far more than a pipe holds
    with WorkerPool(2) as pool:
        pool.send_all("start_reading", (root, TagConfig(), {}, lexicon_tables_in_use()))
        pool.receive_each()
        pool.send_each("read", [(paths[:20],), (paths[20:],)])
        message = pickled_call("start_reading", (root, TagConfig(), {"big.txt": big}, None))
        sending = pool.send_all_soon(message)
        read = pool.receive_each()  # answered while the message is on its way
        sending.wait()
        pool.receive_each()  # start_reading
        article = replace(read[0][0][0].article, source="big.txt")
        pool.send_all("body_of", (article,))
        bodies = pool.receive_each()
    assert [len(result) for result in read] == [20, 20]
    assert [body.html for body in bodies] == ["é" * 4_000_000] * 2


def test_a_message_sent_soon_to_a_killed_worker_gives_a_clear_error() -> None:
    with WorkerPool(2) as pool:
        pool.processes[1].kill()
        pool.processes[1].join()
        sending = pool.send_all_soon(pickled_call("make_lexicon", ()))
        with pytest.raises(SitegenError, match="a worker process stopped before it answered"):
            sending.wait()


def test_the_fork_server_ignores_ctrl_c_from_its_first_import() -> None:
    """Ctrl-C goes to the whole process group: the build stops its workers itself, and the fork
    server, still importing, printed a traceback of its own."""
    assert PRELOAD[0] == "sitegen.forkserver_start"
    code = (
        "import signal, sitegen.forkserver_start; "
        "print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "True", result.stderr


def test_a_call_sent_after_the_others_must_be_small(tmp_path: Path) -> None:
    """`then` goes to a worker that may still be sending a big answer: a big request could
    fill the other direction's pipe, and both sides would wait for ever. It is refused."""
    root = tmp_path / "articles"
    paths = write_corpus(root, 4)
    next_file = one_file_a_call(paths)
    with WorkerPool(2) as pool:
        pool.send_all("start_reading", (root, TagConfig(), {}, lexicon_tables_in_use()))
        pool.receive_each()
        with pytest.raises(ValueError, match="could fill a pipe"):
            list(pool.on_demand("read", next_file, then=("related", ("x" * 100_000,))))


INTERRUPTED_AS_WORKERS_START = """
import multiprocessing, os, signal
import multiprocessing.context
from sitegen.pool import WorkerPool

started = multiprocessing.context.ForkProcess.start

def start_then_interrupt(self):
    started(self)
    os.kill(os.getpid(), signal.SIGINT)  # held back until every worker is started

multiprocessing.context.ForkProcess.start = start_then_interrupt
try:
    WorkerPool(2, fork=True)
except KeyboardInterrupt:
    print("interrupted", len(multiprocessing.active_children()))
"""


def test_ctrl_c_as_workers_are_forked_leaves_no_worker_for_the_exit_to_wait_for() -> None:
    """The Ctrl-C is raised as the block that held it back ends, before any build holds the
    pool: its workers were left to multiprocessing's exit handler, which waited for ever for
    one that a SIGSTOP had stopped."""
    result = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_AS_WORKERS_START],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.stdout.strip() == "interrupted 0", result.stderr


def test_a_worker_done_reading_forgets_the_runs_it_parsed(tmp_path: Path) -> None:
    """The tagger's memo of parsed runs serves the reading only: a worker drops it once asked
    to prepare its pages, and a reading after that parses again, to the same candidates."""
    from sitegen.config import Config

    source = tmp_path / "articles"
    source.mkdir()
    text = "Odile Varga met Piet Lorne in Nairobi. Varga and the Kenya Ports Authority spoke."
    (source / "a.txt").write_text(article_text("2026-01-02", "Talks", text), encoding="utf-8")
    state = WorkerState()
    state.start_reading(source, TagConfig(), {}, None, Config(source=source))
    first = state.read([str(source / "a.txt")])
    tagger = tagger_for(TagConfig())
    assert "Odile Varga" in tagger.parsed and tagger.name_words
    state.prepare()
    assert not tagger.parsed and not tagger.name_words
    assert state.read([str(source / "a.txt")]) == first


def write_cgroups(root: Path, own: str, files: dict[str, str]) -> tuple[str, str]:
    """A control group hierarchy as Linux shows it, in real files: `own` is what
    /proc/self/cgroup says, `files` the groups' files under the mount point."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "self-cgroup").write_text(own)
    return str(root / "fs"), str(root / "self-cgroup")


@pytest.mark.parametrize(
    ("own", "files", "limit"),
    [
        # cgroup v2: the group's own limit, and the lowest of those above it
        ("0::/ci/job\n", {"fs/ci/job/cpu.max": "200000 100000\n"}, 2),
        ("0::/ci/job\n", {"fs/ci/job/cpu.max": "max 100000", "fs/ci/cpu.max": "50000 100000"}, 1),
        ("0::/ci/job\n", {"fs/ci/job/cpu.max": "150000 100000", "fs/cpu.max": "400000 100000"}, 2),
        ("0::/ci/job\n", {"fs/ci/job/cpu.max": "max 100000\n"}, None),
        # a container: its group is the mount's root, whatever path the host gives it
        ("0::/docker/1f2e3d\n", {"fs/cpu.max": "300000 100000"}, 3),
        ("0::/../../elsewhere\n", {"fs/cpu.max": "100000 100000", "fs/elsewhere/x": ""}, 1),
        # v2 mounted beside v1 (a hybrid system)
        ("0::/a\n", {"fs/unified/a/cpu.max": "100000 50000"}, 2),
        # cgroup v1: quota and period, -1 for none, under the names the mount may take
        ("4:cpu,cpuacct:/job\n", {"fs/cpu,cpuacct/job/cpu.cfs_quota_us": "250000\n",
                                 "fs/cpu,cpuacct/job/cpu.cfs_period_us": "100000\n"}, 3),
        ("1:cpu:/job\n", {"fs/cpu/job/cpu.cfs_quota_us": "-1\n",
                         "fs/cpu/job/cpu.cfs_period_us": "100000\n"}, None),
        ("1:cpuacct,cpu:/\n", {"fs/cpu/cpu.cfs_quota_us": "10000\n",
                              "fs/cpu/cpu.cfs_period_us": "100000\n"}, 1),
        # no limit to be told: nothing mounted, unreadable or broken files
        ("0::/\n", {}, None),
        ("1:cpu:/\n", {"fs/cpu/cpu.cfs_quota_us": "100000"}, None),
        ("0::/\n", {"fs/cpu.max": "lots 100000"}, None),
        ("0::/\n", {"fs/cpu.max": "0 100000"}, None),
        ("garbage\n\n5:memory:/x\n", {"fs/cpu.max": "100000 100000"}, None),
    ],
)  # fmt: skip
def test_a_control_groups_cpu_limit_caps_the_workers(
    tmp_path: Path, own: str, files: dict[str, str], limit: int | None
) -> None:
    cgroups, own_file = write_cgroups(tmp_path, own, files)
    (tmp_path / "fs").mkdir(exist_ok=True)
    assert cgroup_cpu_limit(cgroups, own_file) == limit
    unlimited = available_cores()  # this process's own: affinity, and any real group's limit
    expected = min(limit, unlimited) if limit is not None else unlimited
    assert available_cores(cgroups, own_file) == expected


def test_without_proc_files_the_cores_are_those_the_process_may_run_on(tmp_path: Path) -> None:
    assert cgroup_cpu_limit(str(tmp_path), str(tmp_path / "missing")) is None
    assert available_cores(str(tmp_path), str(tmp_path / "missing")) == len(os.sched_getaffinity(0))


MB = 1 << 20


@pytest.mark.parametrize(
    ("own", "files", "room"),
    [
        # cgroup v2: the limit less the usage, the page cache not used lately left out of it
        ("0::/ci/job\n", {"fs/ci/job/memory.max": f"{512 * MB}\n",
                          "fs/ci/job/memory.current": f"{100 * MB}\n"}, 412 * MB),
        ("0::/ci/job\n", {"fs/ci/job/memory.max": f"{512 * MB}", "fs/ci/job/memory.current":
                          f"{300 * MB}", "fs/ci/job/memory.stat": f"anon 1\ninactive_file "
                          f"{200 * MB}\nactive_file 5\n"}, 412 * MB),
        # the lowest room of the group and those above it; "max" is no limit
        ("0::/ci/job\n", {"fs/ci/job/memory.max": "max", "fs/ci/memory.max": f"{64 * MB}",
                          "fs/ci/memory.current": f"{16 * MB}"}, 48 * MB),
        ("0::/ci/job\n", {"fs/ci/job/memory.max": "max\n"}, None),
        # memory.high, where the kernel throttles, counts as a limit too: the lower one
        ("0::/ci/job\n", {"fs/ci/job/memory.max": "max", "fs/ci/job/memory.high": f"{256 * MB}",
                          "fs/ci/job/memory.current": f"{56 * MB}"}, 200 * MB),
        ("0::/ci/job\n", {"fs/ci/job/memory.max": f"{128 * MB}", "fs/ci/job/memory.high":
                          f"{256 * MB}", "fs/ci/job/memory.current": f"{28 * MB}"}, 100 * MB),
        ("0::/ci/job\n", {"fs/ci/job/memory.max": "max", "fs/ci/job/memory.high": "max"}, None),
        # a container: its own group is the mount's root
        ("0::/docker/1f2e\n", {"fs/memory.max": f"{2048 * MB}", "fs/memory.current": "0"},
         2048 * MB),
        # cgroup v1: limit_in_bytes (near 2**63: none) and usage_in_bytes
        ("5:memory:/job\n", {"fs/memory/job/memory.limit_in_bytes": f"{1024 * MB}\n",
                             "fs/memory/job/memory.usage_in_bytes": f"{900 * MB}\n",
                             "fs/memory/job/memory.stat": f"cache 9\ntotal_inactive_file "
                             f"{100 * MB}\n"}, 224 * MB),
        ("5:memory:/\n", {"fs/memory/memory.limit_in_bytes": "9223372036854771712\n",
                          "fs/memory/memory.usage_in_bytes": "4096\n"}, None),
        # over its limit (lowered since): no room at all
        ("5:memory:/job\n", {"fs/memory/job/memory.limit_in_bytes": f"{10 * MB}",
                             "fs/memory/job/memory.usage_in_bytes": f"{20 * MB}"}, 0),
        # nothing to be told: no files, broken ones, another controller's line
        ("0::/\n", {}, None),
        ("0::/\n", {"fs/memory.max": "lots"}, None),
        ("4:cpu,cpuacct:/\n", {"fs/memory/memory.limit_in_bytes": f"{MB}"}, None),
    ],
)  # fmt: skip
def test_a_control_groups_memory_room_is_its_limit_less_what_it_uses(
    tmp_path: Path, own: str, files: dict[str, str], room: int | None
) -> None:
    cgroups, own_file = write_cgroups(tmp_path, own, files)
    (tmp_path / "fs").mkdir(exist_ok=True)
    assert cgroup_memory_room(cgroups, own_file) == room


def test_the_memory_available_is_the_lower_of_the_systems_and_the_groups(tmp_path: Path) -> None:
    cgroups, own_file = write_cgroups(
        tmp_path, "0::/job\n", {"fs/job/memory.max": f"{300 * MB}", "fs/job/memory.current": "0"}
    )
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24000000 kB\nMemAvailable:     512000 kB\n")
    assert available_memory(str(meminfo), cgroups, own_file) == 300 * MB
    meminfo.write_text("MemTotal:       24000000 kB\nMemAvailable:     204800 kB\n")
    assert available_memory(str(meminfo), cgroups, own_file) == 200 * MB
    missing = str(tmp_path / "missing")
    assert available_memory(str(meminfo), missing, missing) == 200 * MB
    assert available_memory(missing, missing, missing) is None
    real = available_memory()  # this machine's: Linux tells, and it is not nothing
    assert real is not None and real > 0


def test_workers_kept_answer_and_those_dismissed_end(tmp_path: Path) -> None:
    """`keep`: a build forks its workers before it counts the files; a corpus too big for a
    worker per core in the memory there is sends the extra ones away before any work."""
    root = tmp_path / "articles"
    paths = write_corpus(root, 4)
    with WorkerPool(3, fork=True) as pool:
        pool.send_all("make_lexicon", ())  # as `Build.fork_pool` does, before the count
        leaving = pool.processes[1:]
        pool.keep(1)
        pool.receive_each()  # the kept worker's lexicon, and no other answer
        assert len(pool) == 1 and len(pool.processes) == 1
        for process in leaving:
            process.join(timeout=20)
            assert process.exitcode == 0
        pool.send_all("start_reading", (root, TagConfig(), {}, None))
        pool.receive_each()
        answers = list(pool.on_demand("read", one_file_a_call(paths)))
    assert sorted(key for key, _, _ in answers) == [0, 1, 2, 3]
    assert {worker for _, worker, _ in answers} == {0}
