"""A one-line description of the machine the benchmarks ran on (CPUs, CPU model, memory),
and how fast one of its CPUs runs Python at the time."""

import os
import platform
import statistics
import time


def _cpu_count() -> int:
    """CPUs this process may use, as `nproc` reports them."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 0


def _proc_field(path: str, field: str) -> str | None:
    """The value of the first `field: value` line in a /proc file, or None."""
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == field:
                    return value.strip()
    except OSError:
        pass
    return None


def python_speed() -> float:
    """Milliseconds one CPU takes for a fixed piece of pure Python (a million additions),
    median of five: the same CPU model name covers hosts that run the same code at half the
    speed of others, so figures from two runs compare only beside this."""
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for number in range(1_000_000):
            total += number
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def describe() -> list[str]:
    cpu_model = _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown"
    mem_kib = _proc_field("/proc/meminfo", "MemTotal")
    memory = f"{int(mem_kib.split()[0]) / 1024 / 1024:.1f} GiB" if mem_kib else "unknown"
    return [
        f"CPUs (nproc): {_cpu_count()}",
        f"CPU model:    {cpu_model}",
        f"Memory:       {memory}",
        f"Python:       {platform.python_version()} on {platform.system()} {platform.release()}",
        f"Python speed: {python_speed():.0f} ms for a million additions in a loop, median of 5 "
        "(lower is faster; every page's figure scales with it)",
    ]
