"""`python -m benchmarks.profile FILE…`: where a sampled server's time went, from py-spy's folded stacks.

Prints the share of samples by the package on top of each stack (self time) and by the package anywhere in
it (time spent in or under it), then the functions with the most self time. Set `STUDYBOT_BENCH_PROFILE=DIR`
for `python -m benchmarks …` to get the files (py-spy must be installed; it is not a project dependency).
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^:()]+)(?::\d+)?\)$")


def package(frame: str) -> str:
    found = FRAME.match(frame.strip())
    path = found["file"] if found else frame
    for marker in ("site-packages/", "lib/python3"):
        if marker in path:
            rest = path.split(marker, 1)[1].lstrip("/")
            rest = rest.split("/", 1)[1] if marker == "lib/python3" and "/" in rest else rest
            return "stdlib: " + rest.split("/")[0] if marker == "lib/python3" and "site-packages" not in path \
                else rest.split("/")[0].removesuffix(".py")
    return path.split("/")[0].removesuffix(".py") if "/" in path else path


def summary(lines: list[str], top: int = 15) -> str:
    on_top: Counter[str] = Counter()
    under: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    total = 0
    for line in lines:
        stack, _, count = line.rstrip().rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [f for f in stack.split(";") if f and not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        total += n
        on_top[package(frames[-1])] += n
        for name in {package(f) for f in frames}:
            under[name] += n
        functions[frames[-1].strip()] += n
    out = [f"{total} samples"]
    for title, counts in (("self, by package", on_top), ("in or under, by package", under),
                          ("self, by function", functions)):
        out.append(f"-- {title}")
        out += [f"{100 * n / max(total, 1):5.1f}%  {name}" for name, n in counts.most_common(top)]
    return "\n".join(out)


def main() -> int:
    for name in sys.argv[1:]:
        print(f"== {name}")
        print(summary(Path(name).read_text().splitlines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
