"""A process's resident memory and CPU time, read from /proc (Linux)."""

import os
from dataclasses import dataclass

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Sample:
    rss_kib: int  # VmRSS
    cpu_s: float  # user + system time since the process started
    sys_s: float = 0.0  # of which system time (sockets, memory)


def sample(pid: int) -> Sample:
    with open(f"/proc/{pid}/stat") as f:
        # The command name may hold spaces: fields are counted after its ")".
        fields = f.read().rsplit(")", 1)[1].split()
    user, system = int(fields[11]) / TICK, int(fields[12]) / TICK
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
                break
    return Sample(rss, user + system, system)


def load_average() -> float:
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def children(pid: int) -> list[int]:
    """The pids of pid's direct children (Linux 3.5+ with CONFIG_PROC_CHILDREN)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except FileNotFoundError:
        return []


def sample_tree(pid: int) -> Sample:
    """pid and its direct children together (`serve --workers N`)."""
    parts = [sample(p) for p in [pid, *children(pid)]]
    return Sample(
        sum(x.rss_kib for x in parts),
        sum(x.cpu_s for x in parts),
        sum(x.sys_s for x in parts),
    )
