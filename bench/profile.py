"""Summarise py-spy's collapsed stacks: `python -m bench.profile FILE [N]`.

Prints the N functions with the most samples on the stack (inclusive) and the N
with the most samples at the top (self), as shares of all samples. py-spy drops
the samples of an idle process (waiting in epoll) unless given --idle, so the
shares are of the time the server was busy.
"""

import sys
from collections import Counter


def summarise(path: str, top: int = 25) -> str:
    inclusive, own, total = Counter(), Counter(), 0
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip().rpartition(" ")
            if not count.isdigit():
                continue
            n, frames = int(count), stack.split(";")
            total += n
            for frame in set(frames):
                inclusive[frame] += n
            own[frames[-1]] += n
    lines = []
    for title, counter in (("inclusive", inclusive), ("self", own)):
        lines.append(f"-- {title}, share of {total} samples")
        for frame, n in counter.most_common(top):
            lines.append(f"{n / max(1, total):6.1%}  {frame}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(summarise(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25))
