"""The pool of worker processes (`sitegen.workers` holds what they run).

Kept apart from the workers' code, which imports the tagger (and the fork server, the renderer
and the model): a build that needs no workers never imports any of it here.
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sitegen.errors import SitegenError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a while (a build, a worker's reading): the model
    is hundreds of thousands of long-lived objects that hold no cycles, and the collector's
    full passes over them took a third of the model's time. Reference counting still frees
    everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def available_cores(cgroups: str = "/sys/fs/cgroup", own: str = "/proc/self/cgroup") -> int:
    """The cores this process may use: those it may run on (its affinity), fewer where its
    control group caps its CPU time (`cgroup_cpu_limit`). A container given two CPUs on a
    host of 64 (`docker run --cpus 2`, a CI runner's limit) sees 64 cores: a worker for each
    would share two cores' time and hold 64 times the memory."""
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:  # macOS, Windows
        cores = os.cpu_count() or 1
    limit = cgroup_cpu_limit(cgroups, own)
    return max(1, min(cores, limit)) if limit is not None else cores


def cgroup_cpu_limit(cgroups: str, own: str) -> int | None:
    """The CPU time this process's control group and those above it allow, in whole cores
    (rounded up: 1.5 CPUs is two workers, each taking its share), or None where nothing caps
    it or it cannot be told (not Linux, no such files). As Linux writes it: cgroup v2's
    `cpu.max` ("150000 100000", or "max 100000"), v1's `cpu.cfs_quota_us` (-1: none) and
    `cpu.cfs_period_us`."""
    return cgroup_limit(cgroups, own, ("cpu", "cpu,cpuacct"), cgroup_v1_quota, cgroup_v2_quota)


def cgroup_memory_room(cgroups: str, own: str) -> int | None:
    """The bytes this process's control group and those above it may still take before the
    kernel reclaims and then kills in them (a container's `--memory`, a CI job's limit), or
    None where nothing caps it. cgroup v2: `memory.max` or `memory.high`, the lower ("max":
    none), less `memory.current`; v1: `memory.limit_in_bytes` (a number near 2**63: none)
    less `memory.usage_in_bytes`."""
    return cgroup_limit(cgroups, own, ("memory",), cgroup_v1_memory_room, cgroup_v2_memory_room)


def cgroup_limit(
    cgroups: str,
    own: str,
    v1_names: tuple[str, ...],
    v1_limit: Callable[[str], int | None],
    v2_limit: Callable[[str], int | None],
) -> int | None:
    """The lowest limit of this process's control group and of those above it, or None.
    `own` is /proc/self/cgroup: "0::/path" for v2, "4:cpu,cpuacct:/path" for v1, whose
    hierarchies are mounted under `cgroups` by their controllers' names (`v1_names`: the
    controller's, and the joint names it is mounted under). In a container, its group is
    where the hierarchy is mounted: the path it names from the host's view may not be found
    below, and then only the mount's own files count."""
    try:
        with open(own, encoding="utf-8") as file:
            lines = file.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    limits = []
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3 or not parts[2].startswith("/"):
            continue
        _, controllers, path = parts
        if controllers == "":  # v2: one hierarchy, at the mount point or beside v1's
            for mount in (cgroups, os.path.join(cgroups, "unified")):
                limits.extend(limits_up(mount, path, v2_limit))
        elif v1_names[0] in controllers.split(","):
            for name in dict.fromkeys((controllers, *v1_names)):
                limits.extend(limits_up(os.path.join(cgroups, name), path, v1_limit))
    return min(limits) if limits else None


def limits_up(mount: str, path: str, limit: Callable[[str], int | None]) -> Iterator[int]:
    """The limits of a group and of each group above it, up to the hierarchy's mount."""
    mount = os.path.normpath(mount)
    if not os.path.isdir(mount):
        return
    folder = os.path.normpath(os.path.join(mount, path.lstrip("/")))
    # A container's own group is mounted as the root: the path it is given from the host's
    # view ("/docker/1f2e..."), or from above its namespace ("/../.."), is not found below.
    if os.path.commonpath([mount, folder]) != mount or not os.path.isdir(folder):
        folder = mount
    while True:
        value = limit(folder)
        if value is not None:
            yield value
        if folder == mount:
            return
        folder = os.path.dirname(folder)


def cgroup_v2_quota(folder: str) -> int | None:
    words = read_words(os.path.join(folder, "cpu.max"))
    if len(words) == 2 and words[0] != "max":
        return cores_of(words[0], words[1])
    return None


def cgroup_v1_quota(folder: str) -> int | None:
    quota = read_words(os.path.join(folder, "cpu.cfs_quota_us"))
    period = read_words(os.path.join(folder, "cpu.cfs_period_us"))
    if len(quota) == 1 and len(period) == 1:
        return cores_of(quota[0], period[0])
    return None


def cgroup_v2_memory_room(folder: str) -> int | None:
    """Room below `memory.max`, where the kernel kills, and `memory.high`, where it throttles
    the group's processes and reclaims hard (systemd's `MemoryHigh=`, a Kubernetes pod's
    memory throttling): a build past it crawls."""
    rooms = [
        memory_room(folder, limit, "memory.current", "inactive_file")
        for limit in ("memory.max", "memory.high")
    ]
    return min((room for room in rooms if room is not None), default=None)


def cgroup_v1_memory_room(folder: str) -> int | None:
    return memory_room(
        folder, "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file"
    )


NO_MEMORY_LIMIT = 2**60  # v1 writes "no limit" as the largest multiple of a page below 2**63


def memory_room(folder: str, limit_file: str, usage_file: str, reclaimable: str) -> int | None:
    """A group's limit less what it uses, in bytes; None where it has no limit (or the files
    are not numbers). Its usage counts the page cache of the files its processes read and
    wrote: the part not used lately (`reclaimable`, in `memory.stat`), which the kernel drops
    first, is left out of it, as `docker stats` leaves it out. A group that uses more than
    its limit (the limit was lowered) has no room."""
    limit = read_words(os.path.join(folder, limit_file))
    usage = read_words(os.path.join(folder, usage_file))
    if len(limit) != 1 or not limit[0].isdigit() or int(limit[0]) >= NO_MEMORY_LIMIT:
        return None
    used = int(usage[0]) if len(usage) == 1 and usage[0].isdigit() else 0
    stat = read_words(os.path.join(folder, "memory.stat"), 1 << 16)
    for key, value in zip(stat[::2], stat[1::2], strict=False):
        if key == reclaimable and value.isdigit():
            used = max(0, used - int(value))
            break
    return max(0, int(limit[0]) - used)


def available_memory(
    meminfo: str = "/proc/meminfo", cgroups: str = "/sys/fs/cgroup", own: str = "/proc/self/cgroup"
) -> int | None:
    """The bytes a build may still take without making the system swap or its control group
    reclaim and kill: the kernel's estimate of memory available to new work (`MemAvailable`),
    lowered by the group's room (`cgroup_memory_room`). None where neither can be told (not
    Linux)."""
    rooms = []
    try:
        with open(meminfo, encoding="ascii") as file:
            for line in file:
                if line.startswith("MemAvailable:"):
                    words = line.split()
                    if len(words) == 3 and words[1].isdigit() and words[2] == "kB":
                        rooms.append(int(words[1]) * 1024)
                    break
    except (OSError, UnicodeDecodeError):
        pass
    room = cgroup_memory_room(cgroups, own)
    if room is not None:
        rooms.append(room)
    return min(rooms) if rooms else None


def read_words(path: str, size: int = 256) -> list[str]:
    try:
        with open(path, encoding="ascii") as file:
            return file.read(size).split()
    except (OSError, UnicodeDecodeError):
        return []


def cores_of(quota: str, period: str) -> int | None:
    """Whole cores for a quota of CPU time per period (microseconds); None for no limit (-1)
    or what is not a pair of positive numbers."""
    if not (quota.isdigit() and period.isdigit()) or int(quota) <= 0 or int(period) <= 0:
        return None
    return max(1, math.ceil(int(quota) / int(period)))


class WorkerError(Exception):
    """An unexpected error inside a worker, with the worker's traceback."""


Call = tuple[Any, tuple[Any, ...]]  # a key the caller knows the call by, and its arguments


WORKER_GONE = (
    "a worker process stopped before it answered (killed, or out of memory?); any error it "
    "printed is above. `--jobs 1` builds in this process alone"
)


PIPE_GONE = (EOFError, BrokenPipeError, ConnectionResetError)


class worker_alive:  # a class, not a generator: see its docstring
    """Talking to a worker: a clear error when it is gone (its end of the pipe closed).

    The pipe's error, and any frame that keeps it, let go of the frames that were sending:
    one holds the message as a view of the pickler's BytesIO (`ForkingPickler.dumps`). Kept
    past the moment they would be freed (as the clear error's context, or as the traceback
    a generator-based context manager keeps in its `__exit__`), the collector met the view
    and its BytesIO in a cycle, where Python 3.12.1 crashed (a segfault) and 3.13 warns."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, gone: BaseException | None, _: Any) -> None:
        if not isinstance(gone, PIPE_GONE):
            return
        gone.__traceback__ = None
        del _, gone  # this frame is in the clear error's traceback: it keeps neither
        raise SitegenError(WORKER_GONE) from None


def received(conn: Connection) -> tuple[str, Any]:
    """A worker's answer; a clear error when the worker is gone."""
    with worker_alive():
        return conn.recv()  # type: ignore[no-any-return]


def answer_of(message: tuple[str, Any]) -> Any:
    """What a call returned, or the error it raised, raised here (see `workers.answer`)."""
    kind, value = message
    if kind == "user":
        raise SitegenError(*value)
    if kind == "bug":
        raise WorkerError(value)
    return value


def run_worker(conn: Connection, inherited: Sequence[Connection] = ()) -> None:
    """A worker's life. The fork server imported `sitegen.workers` before forking it.

    `inherited`: the build's ends of the pipes, its own and earlier workers', which a worker
    forked from the build holds too. Closed first: a worker holding both ends of its pipe
    never learns that the build is gone (killed by SIGKILL, say), and would wait for ever."""
    for end in inherited:
        end.close()
    from sitegen.workers import worker_main

    worker_main(conn)


WORKER_NAME = "sitegen-worker"  # a worker's process name, set before its start imports anything
# Imported once by the fork server, before it forks workers, rather than by each worker. The
# renderer and the model (jinja2: 0.04-0.09 s) too: the build reads files while the fork server
# starts (`PoolStarting`), and a worker that imports them after reading keeps the build waiting
# at small sizes (0.1 s of a 1 s build of 1,000 articles).
PRELOAD = ["sitegen.forkserver_start", "sitegen.workers", "sitegen.render", "sitegen.model"]


def start_fork_server() -> None:
    """Start the fork server now, so that it imports sitegen's workers (0.15-0.3 s) while
    this process lists the corpus, instead of when the first workers are asked for."""
    import multiprocessing.forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
    with interrupts_held():
        multiprocessing.forkserver.ensure_running()


def start_resource_tracker() -> None:
    """The fork server's helper process, started first: starting it unblocks Ctrl-C in this
    thread (see `interrupts_held`), which would leave the fork server unprotected."""
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()


def clean_up_before_quick_exit() -> None:
    """What Python's exit does for multiprocessing's files, for a program that ends with
    `os._exit` (`cli.run`): run the finalizers multiprocessing registered, which remove the
    folder it made in the temporary folder for the fork server's socket. Without this, every
    cold build left a `pymp-*` folder in /tmp: 1,356 of them here after some days of tests and
    benchmarks. Not the rest of its exit handler, which waits without end for a worker that
    never stops (one stopped with SIGSTOP, or stuck on a dead network disk): `WorkerPool`
    stops its workers itself, and gives up on one after a few seconds."""
    util = sys.modules.get("multiprocessing.util")
    run_finalizers = getattr(util, "_run_finalizers", None)
    if run_finalizers is not None:
        run_finalizers()


@contextlib.contextmanager
def interrupts_held(tracker: bool = True) -> Iterator[None]:
    """Ctrl-C held back (blocked, not lost) while this thread starts processes, which inherit
    the block: Ctrl-C reaches the whole process group, and a fork server still starting its
    interpreter died of it with a "Fatal Python error" traceback beside the build's "Aborted!".
    The fork server and its workers never need Ctrl-C (the build stops them); this process gets
    it as soon as the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    if tracker:  # the fork server's helper (forked workers have none)
        start_resource_tracker()
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


class PoolStarting:
    """A `WorkerPool` being started by a thread: the build reads files meanwhile (the fork
    server imports sitegen's workers, 0.15-0.3 s, while this process would only wait).

    The thread needs the GIL back after each step of starting a process, and a thread that
    reads hands it over only every switch interval (5 ms): with the fork server running
    already, two workers took 140-240 ms to start instead of 6-8 ms. So the interval is
    shortened until the pool is taken (`result`, `abandon`)."""

    def __init__(self, count: int) -> None:
        import threading

        self.pool: WorkerPool | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()  # set when the thread ends, whichever way
        self.switch = sys.getswitchinterval()
        sys.setswitchinterval(STARTING_SWITCH)
        self.thread = threading.Thread(target=self.start, args=(count,), daemon=True)
        self.thread.start()

    def start(self, count: int) -> None:
        try:
            self.pool = WorkerPool(count)
        except BaseException as exc:  # raised where the build takes the pool
            self.error = exc
        finally:
            self.done.set()

    def ready(self) -> bool:
        return self.done.is_set()

    def result(self) -> WorkerPool:
        """The pool, once started; the error that stopped it, raised here."""
        self.done.wait()
        sys.setswitchinterval(self.switch)
        if self.error is not None:
            raise self.error
        assert self.pool is not None
        return self.pool

    def abandon(self) -> None:
        """Stop the pool, whenever it is started (the build failed or was stopped). An event,
        not `Thread.join`: on Python 3.11 a join that Ctrl-C interrupted leaves the thread
        marked as ended, and a second join returns at once. A second Ctrl-C stops the wait:
        the workers end anyway when this process does, their pipes closing."""
        sys.setswitchinterval(self.switch)
        with contextlib.suppress(KeyboardInterrupt):
            self.done.wait(timeout=ABANDON_WAIT)
        if self.pool is not None:
            self.pool.terminate()


SMALL_REQUEST = 4096  # bytes: far below a pipe's buffer, however full the answers beside it
STARTING_SWITCH = 0.0002  # seconds: the GIL switch interval while `PoolStarting` starts the pool
ABANDON_WAIT = 10  # seconds: how long a stopped build waits for its pool, to stop it


def send_end(connections: Sequence[Connection]) -> None:
    """Tell each worker on `connections` to end (`workers.worker_main` returns on None), and
    close them; a worker already gone is no error."""
    for conn in connections:
        try:
            conn.send(None)
            conn.close()
        except OSError:
            pass


def pickled_call(method: str, args: tuple[Any, ...]) -> bytes:
    """A call to a worker as `send_all` and `send_all_soon` send it."""
    from multiprocessing.reduction import ForkingPickler

    return bytes(ForkingPickler.dumps((method, args)))


class Sending:
    """A message on its way to every worker (`WorkerPool.send_all_soon`): `wait` before
    sending them anything else, which would otherwise come in the middle of it."""

    def __init__(self, connections: Sequence[Connection], message: bytes) -> None:
        import threading

        self.errors: list[BaseException] = []
        self.threads = [
            threading.Thread(target=self.send, args=(conn, message), daemon=True)
            for conn in connections
        ]
        for thread in self.threads:
            thread.start()

    def send(self, conn: Connection, message: bytes) -> None:
        try:
            conn.send_bytes(message)
        except BaseException as exc:  # raised by `wait`, in the build's own thread
            self.errors.append(exc)

    def wait(self) -> None:
        for thread in self.threads:
            thread.join()
        if self.errors:
            with worker_alive():
                raise self.errors[0]


class WorkerPool:
    """A fixed set of worker processes: the same call to each (`send_all`, `send_each`, then
    `receive_each`), or calls dealt to whichever is free (`on_demand`)."""

    def __init__(self, count: int, fork: bool = False) -> None:
        """`fork`: fork the workers from this process, which must run no other thread and
        hold little (see `build.can_fork_workers`): they start in milliseconds, with what it
        imported. Otherwise they come from a fork server: a copy of a process holding 100,000
        paths and their stats (or, started late, the whole model) counts all of it again in
        each worker, and a fork server is safe in a process that runs threads (the preview
        server)."""
        import multiprocessing  # only large builds need it: keep small rebuilds' start quick

        if fork:
            context = multiprocessing.get_context("fork")
        else:
            context = multiprocessing.get_context("forkserver")  # type: ignore[assignment]
            context.set_forkserver_preload(PRELOAD)
        self.connections: list[Connection] = []
        self.processes = []
        self.leaving: list[Any] = []  # workers dismissed early (`keep`), to wait for at the end
        try:
            with interrupts_held(tracker=not fork):  # the fork server may start here
                for _ in range(count):
                    parent, child = context.Pipe()
                    name = f"{WORKER_NAME}-{len(self.processes)}"
                    # Pipe ends are given to a forked worker to close; never pickled to the
                    # fork server, which would send it copies.
                    inherited = [*self.connections, parent] if fork else []
                    process = context.Process(
                        target=run_worker, args=(child, inherited), daemon=True, name=name
                    )
                    process.start()
                    child.close()
                    self.connections.append(parent)
                    self.processes.append(process)
        except BaseException:
            # A Ctrl-C held back while the workers started is raised as the block ends: no
            # build holds this pool to stop it, and multiprocessing's exit handler would wait
            # for ever for a worker that cannot take SIGTERM (one stopped by SIGSTOP).
            self.terminate()
            raise

    def __len__(self) -> int:
        return len(self.connections)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def on_demand(
        self,
        method: str,
        next_call: Callable[[int], Call | None],
        ahead: int = 2,
        then: tuple[str, tuple[Any, ...]] | None = None,
    ) -> Iterator[tuple[Any, int, Any]]:
        """Call `method` on whichever worker is free: `next_call(worker)` gives the next call
        for that worker, (key, arguments), or None when it has nothing more for it. Yields
        (key, worker, answer) as answers arrive.

        `then`, a call (method, arguments), is sent to each worker once it has nothing more
        to do here, so that it starts on it while others finish; take its answers with
        `receive_each` afterwards. It must be small, as requests are (ValueError otherwise):
        it is sent while the worker may still be sending an answer that this process is not
        reading yet. A big one (a config with thousands of tag aliases) filled the pipe while
        the worker filled its own, and both waited for ever.

        Each worker keeps `ahead` calls queued in its pipe, so it never idles waiting for this
        process. Dealing shares out in advance left one core idle whenever the other was
        slower: in cold builds of 10,000 articles on a shared 2-core machine, one worker's
        share of the reading took 5.0 s of CPU and the other's 3.9 s. Requests are small
        (paths or page numbers), so the queued ones always fit in a pipe's buffer."""
        from multiprocessing.connection import wait
        from multiprocessing.reduction import ForkingPickler

        queued: list[deque[Any]] = [deque() for _ in self.connections]
        done = [then is None] * len(self.connections)  # sent `then`, or have none to send
        then_bytes = bytes(ForkingPickler.dumps(then)) if then is not None else b""
        if len(then_bytes) > SMALL_REQUEST:
            raise ValueError(f"a `then` call of {len(then_bytes)} bytes could fill a pipe")

        def send_next(worker: int) -> None:
            call = next_call(worker)
            if call is not None:
                key, args = call
                with worker_alive():
                    self.connections[worker].send((method, args))
                queued[worker].append(key)
            elif not done[worker]:
                with worker_alive():
                    self.connections[worker].send_bytes(then_bytes)
                done[worker] = True

        for _ in range(ahead):
            for worker in range(len(self.connections)):
                send_next(worker)
        index = {id(conn): worker for worker, conn in enumerate(self.connections)}
        while any(queued):
            busy = [conn for conn, keys in zip(self.connections, queued, strict=True) if keys]
            for conn in wait(busy):
                worker = index[id(conn)]
                answer = answer_of(received(conn))  # type: ignore[arg-type]
                key = queued[worker].popleft()
                send_next(worker)
                yield key, worker, answer

    def send_all(self, method: str, args: tuple[Any, ...]) -> None:
        """Start `method` with the same arguments on every worker, pickled once."""
        message = pickled_call(method, args)
        with worker_alive():
            for conn in self.connections:
                conn.send_bytes(message)

    def send_all_soon(self, message: bytes) -> Sending:
        """`send_all`, pickled beforehand (`pickled_call`), from a thread for each worker, while
        this process goes on: a worker busy with an earlier call reads a big message (the site)
        only once done, and this process, writing it, waited on a full pipe meanwhile."""
        return Sending(self.connections, message)

    def send_each(self, method: str, args: Sequence[tuple[Any, ...]]) -> None:
        """Start `method` on every worker; the caller works meanwhile, then `receive_each`."""
        with worker_alive():
            for conn, arg in zip(self.connections, args, strict=False):
                conn.send((method, arg))

    def receive_each(self, count: int | None = None) -> list[Any]:
        answers = [received(conn) for conn in self.connections[:count]]  # all, then any error
        return [answer_of(answer) for answer in answers]

    def terminate(self) -> None:
        """Stop at once (an error or Ctrl-C): no worker may write anything more."""
        processes = self.processes + self.leaving
        for process in processes:
            # SIGKILL: a worker stopped (SIGSTOP, a debugger) leaves SIGTERM pending, and the
            # join below, then multiprocessing's exit handler, waited for it without end.
            process.kill()
        for process in processes:
            process.join(timeout=5)
        for conn in self.connections:
            conn.close()
        self.processes, self.connections, self.leaving = [], [], []

    def keep(self, count: int) -> None:
        """Dismiss every worker but the first `count`, before any was given its work (the
        corpus, counted after they were forked, turned out too big for a worker per core in
        the memory there is). They end as `dismiss` has them end; `close` waits for them."""
        send_end(self.connections[count:])
        self.connections = self.connections[:count]
        self.leaving.extend(self.processes[count:])
        self.processes = self.processes[:count]

    def dismiss(self) -> None:
        """Tell every worker it is done, without waiting for it to end: each exits and gives
        its memory back while this process finishes the build. Kept to the end, the workers
        held 1.07 GB of a build of 100,000 articles while it committed and saved its cache,
        where its memory peaked (1.93 GB). `close` waits for them."""
        send_end(self.connections)
        self.connections = []

    def close(self) -> None:
        self.dismiss()
        for process in self.processes + self.leaving:
            process.join(timeout=2)
            if process.is_alive():
                process.terminate()
