"""The machine while the load runs: load average, and whose CPU time it was.

A thread samples every few seconds: `os.getloadavg()`, the CPU seconds of the gunicorn
processes, of Locust, and of the PostgreSQL backends serving the corpus database
(psutil, which Locust brings), and the whole machine's busy CPU time. The rest of the
busy time is other work on the machine (other sessions share the two cores).
"""

import os
import statistics
import threading
import time
from collections.abc import Callable


class Group:
    """CPU seconds used by a changing set of processes since sampling began."""

    def __init__(self) -> None:
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}

    def see(self, pid: int, seconds: float, *, at_start: bool) -> None:
        self.first.setdefault(pid, seconds if at_start else 0.0)
        self.last[pid] = seconds

    def seconds(self) -> float:
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


class Sampler(threading.Thread):
    """Samples until stopped; `groups` maps a name to a function giving its pids now."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]], interval: float = 5.0):
        super().__init__(daemon=True)
        self.finders = groups
        self.groups = {name: Group() for name in groups}
        self.interval = interval
        self.loads: list[tuple[float, float, float]] = []
        self.halt = threading.Event()
        self.started_at = self.ended_at = 0.0
        self.busy_start = self.busy_end = 0.0

    def run(self) -> None:
        self.started_at = time.monotonic()
        self.busy_start = _busy_seconds()
        first = True
        while True:
            self._sample(at_start=first)
            first = False
            if self.halt.wait(self.interval):
                break
        self._sample(at_start=False)
        self.ended_at = time.monotonic()
        self.busy_end = _busy_seconds()

    def _sample(self, *, at_start: bool) -> None:
        import psutil

        self.loads.append(os.getloadavg())
        for name, find in self.finders.items():
            for pid in find():
                try:
                    times = psutil.Process(pid).cpu_times()
                except psutil.Error:
                    continue
                self.groups[name].see(pid, times.user + times.system, at_start=at_start)

    def stop(self) -> None:
        self.halt.set()
        self.join()

    def summary(self) -> dict:
        """Load average (1 min) min / mean / max over the samples, and the cores each
        group used on average (CPU seconds / wall seconds)."""
        wall = max(1e-9, self.ended_at - self.started_at)
        ones = [load[0] for load in self.loads] or [0.0]
        cores = {name: group.seconds() / wall for name, group in self.groups.items()}
        busy = (self.busy_end - self.busy_start) / wall
        cores["whole machine (busy)"] = busy
        cores["other work"] = max(0.0, busy - sum(g.seconds() for g in self.groups.values()) / wall)
        return {
            "samples": len(self.loads),
            "wall seconds": wall,
            "load1 min": min(ones),
            "load1 mean": statistics.fmean(ones),
            "load1 max": max(ones),
            "cores": cores,
        }


def _busy_seconds() -> float:
    import psutil

    times = psutil.cpu_times()  # Linux: guest time is counted in user already
    parts = ("user", "nice", "system", "irq", "softirq", "steal")
    return sum(getattr(times, part, 0.0) for part in parts)


def postgres_backends(database: str) -> Callable[[], list[int]]:
    """A finder of the PostgreSQL backend processes connected to `database`."""

    def find() -> list[int]:
        import psutil

        found = []
        for process in psutil.process_iter(["name", "cmdline"]):
            cmdline = " ".join(process.info.get("cmdline") or [])
            if cmdline.startswith("postgres: ") and f" {database} " in cmdline:
                found.append(process.pid)
        return found

    return find


def uptime() -> str:
    """`uptime`'s line (the load average with the time)."""
    import subprocess

    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
