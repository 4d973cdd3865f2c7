"""Run every benchmark (or the ones named) and print their figures.

    .venv/bin/python benchmarks/run.py            # all of them
    .venv/bin/python benchmarks/run.py text html  # bench_text.py and bench_html.py only

Each benchmark is a script of its own (``benchmarks/bench_*.py``), run here one after the
other in a fresh interpreter so that its timings and peak memory are its own.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks(names: list[str]) -> list[Path]:
    found = {path.stem.removeprefix("bench_"): path for path in sorted(HERE.glob("bench_*.py"))}
    unknown = [name for name in names if name not in found]
    if unknown:
        sys.exit(f"no such benchmark: {', '.join(unknown)} (known: {', '.join(found)})")
    return [found[name] for name in names] if names else list(found.values())


def main() -> int:
    failed = []
    for script in benchmarks(sys.argv[1:]):
        print(f"\n== {script.stem} ==", flush=True)
        if subprocess.run([sys.executable, str(script)]).returncode != 0:
            failed.append(script.stem)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
