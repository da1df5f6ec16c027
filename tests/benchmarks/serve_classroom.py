"""The classroom figures of bench.py: `backprop-tui serve` with N students connecting at the same moment.

Three ways of starting sessions are measured in the same run, under the same load: exec'd afresh
(`BACKPROP_TUI_SERVE_COLD=1`, the oldest way: the baseline of the ratios), forked on demand from the warm
parent (`--ready-sessions 0`), and the default (ready sessions built before anyone connects, then forked
on demand). For each: seconds to each student's first full screen (median and slowest), CPU per session
(in all, and only what it used after its student connected: the ready sessions' work before is off the
students' clock), and the memory a session adds (USS: its private pages; PSS: with its share of the pages
it shares with the warm parent; RSS counts those shared pages in full for every session, so it overstates).
The server is given the time a classroom's server has before the lesson: its ready sessions are built and
idle before the students connect. The load average at the start is printed: on a shared machine the times
depend on it, and the ratios (same run, same load) say more than the absolute times.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/, for its support package

from support.serve_clients import (  # noqa: E402 (after the path that finds it)
    ServerProcess,
    children_of,
    cpu_seconds,
    is_warm_parent,
    open_student,
    private_and_proportional,
    ready_pids,
    rss_bytes,
    session_pids,
    step_once,
    wait_until,
)

SETTLED_FOR = 1.0
"""Seconds the ready sessions must use no CPU before the students connect (they have built their screens)."""


async def _classroom(server_pid: int, url: str, students: int, timeout: float) -> tuple[list[float], dict[str, float]]:
    """`students` websocket clients connecting at once: each one's seconds to its first full screen (the
    stepper's `step 0/…` drawn), after which it presses `n` and waits for the answer; then, with all of
    them open, the memory and CPU of the session processes (from /proc) and of the warm parent."""
    import aiohttp

    reading: list[asyncio.Task] = []

    async def step_and_keep_reading(client) -> bool:  # noqa: ANN001
        """Step, then keep reading (and so answering the server's pings) until all are measured: a tab that
        stops reading is dropped by the server's heartbeat, and would be missing from the memory figures."""
        stepped = await step_once(client, timeout)
        reading.append(asyncio.create_task(client.read_until("never drawn", 3600)))
        return stepped

    before = {pid: cpu_seconds(pid) for pid in ready_pids(server_pid)}
    server_cpu = cpu_seconds(server_pid)
    async with aiohttp.ClientSession() as http:
        clients = await asyncio.gather(*(open_student(http, url) for _ in range(students)))
        stepped = await asyncio.gather(*(step_and_keep_reading(client) for client in clients))
        if not all(stepped):
            raise RuntimeError(f"{stepped.count(False)} of {students} sessions never answered a key")
        pids = session_pids(server_pid)
        if len(pids) != students:
            raise RuntimeError(f"{students} clients but {len(pids)} session processes")
        memory = [private_and_proportional(pid) for pid in pids]
        warm = [pid for pid in children_of(server_pid) if is_warm_parent(pid)]
        cpu = {pid: cpu_seconds(pid) for pid in pids}
        figures = {"rss": sum(map(rss_bytes, pids)) / students, "uss": sum(m[0] for m in memory) / students,
                   "pss": sum(m[1] for m in memory) / students,
                   "warm_parent_rss": sum(map(rss_bytes, warm)), "server_rss": rss_bytes(server_pid),
                   "session_cpu": sum(cpu.values()) / students,
                   "session_cpu_after_connect": sum(cpu[pid] - before.get(pid, 0.0) for pid in pids) / students,
                   "ready_before": len(before), "server_cpu": (cpu_seconds(server_pid) - server_cpu) / students}
        for task in reading:
            task.cancel()
        await asyncio.gather(*reading, return_exceptions=True)
        await asyncio.gather(*(client.close() for client in clients))
    return [client.first_screen for client in clients], figures


def _ready_settled(server: ServerProcess, timeout: float) -> dict[str, float]:
    """Wait until the server's pool is full (its size: what it reaches and keeps) and idle; its memory then."""
    deadline = time.monotonic() + timeout
    count, since = -1, time.monotonic()
    while time.monotonic() < deadline:  # full: the count stays put for a few seconds
        if (now := len(server.ready())) != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since > 3.0:
            break
        time.sleep(0.2)
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        pids = server.ready()
        used = sum(map(cpu_seconds, pids))
        if used != last:
            last, since = used, time.monotonic()
        elif time.monotonic() - since >= SETTLED_FOR:
            break
        time.sleep(0.1)
    pids = server.ready()
    memory = [private_and_proportional(pid) for pid in pids]
    return {"count": len(pids), "uss": sum(m[0] for m in memory) / max(1, len(pids)),
            "cpu": sum(map(cpu_seconds, pids)) / max(1, len(pids))}


def _run(students: int, options: tuple[str, ...], environment: dict[str, str] | None,
         timeout: float) -> tuple[list[float], dict[str, Any]]:
    with ServerProcess("--max-sessions", str(students), "--idle-timeout", "0", *options,
                       environment=environment, ready_sessions=None) as server:
        pool = _ready_settled(server, timeout)
        seconds, measured = asyncio.run(_classroom(server.pid, server.url, students, timeout))
        if not wait_until(lambda: not server.sessions(), timeout):
            raise RuntimeError(f"sessions left running after their clients closed: {server.sessions()}")
    return seconds, {**measured, "pool": pool}


def classroom(sizes: tuple[int, ...], figure: type, timeout: float = 600.0) -> list[Any]:
    """The figures (made with bench.py's `figure` class) for each classroom size in `sizes`."""
    figures = [figure("serve_load_average_at_start", os.getloadavg()[0], "")]
    baseline = min(10, max(sizes))
    cold, _ = _run(baseline, (), {"BACKPROP_TUI_SERVE_COLD": "1"}, timeout)
    cold_median = statistics.median(cold)
    figures.append(figure(f"serve_first_screen_median_{baseline}_sessions_exec_baseline", cold_median * 1000, "ms"))
    for students in sizes:
        on_demand, old = _run(students, ("--ready-sessions", "0"), None, timeout)
        seconds, new = _run(students, (), None, timeout)
        median, slowest = statistics.median(seconds), max(seconds)
        old_median, old_slowest = statistics.median(on_demand), max(on_demand)
        at_30 = students == 30
        megabytes = {name: new[name] / 2**20 for name in ("uss", "pss", "rss", "warm_parent_rss", "server_rss")}
        figures += [
            figure(f"serve_first_screen_median_{students}_sessions_forked_on_demand", old_median * 1000, "ms",
                   ratio=old_median / cold_median if students == baseline else None),
            figure(f"serve_first_screen_max_{students}_sessions_forked_on_demand", old_slowest * 1000, "ms"),
            figure(f"serve_cpu_per_session_{students}_sessions_forked_on_demand", old["session_cpu"] * 1000, "ms"),
            figure(f"serve_ready_sessions_{students}_sessions", new["pool"]["count"], ""),
            figure(f"serve_first_screen_median_{students}_sessions", median * 1000, "ms", ratio=median / old_median,
                   target="<=1500 ms at 30" if at_30 else None, met=median <= 1.5 if at_30 else None),
            figure(f"serve_first_screen_max_{students}_sessions", slowest * 1000, "ms", ratio=slowest / old_slowest,
                   target="<=3000 ms at 30" if at_30 else None, met=slowest <= 3.0 if at_30 else None),
            figure(f"serve_cpu_per_session_{students}_sessions", new["session_cpu"] * 1000, "ms"),
            figure(f"serve_cpu_after_connect_per_session_{students}_sessions",
                   new["session_cpu_after_connect"] * 1000, "ms",
                   ratio=new["session_cpu_after_connect"] / old["session_cpu"]),
            figure(f"serve_server_cpu_per_session_{students}_sessions", new["server_cpu"] * 1000, "ms"),
            figure(f"serve_uss_per_session_{students}_sessions", megabytes["uss"], "MB", target="<=30 MB",
                   met=megabytes["uss"] <= 30),
            figure(f"serve_uss_per_ready_session_{students}_sessions", new["pool"]["uss"] / 2**20, "MB",
                   target="<=30 MB", met=new["pool"]["uss"] / 2**20 <= 30),
            figure(f"serve_pss_per_session_{students}_sessions", megabytes["pss"], "MB"),
            figure(f"serve_rss_per_session_{students}_sessions", megabytes["rss"], "MB"),
            figure(f"serve_warm_parent_rss_{students}_sessions", megabytes["warm_parent_rss"], "MB"),
            figure(f"serve_server_rss_{students}_sessions", megabytes["server_rss"], "MB")]
    return figures
