"""Run every ``benchmarks/bench_*.py`` (``make bench``) and print their figures.

Each benchmark runs in its own process with the same Python, one after the other, its output shown as
it comes. Benchmarks report figures; they never pass or fail on timing. The exit code is non-zero only
if a benchmark crashed.

    python benchmarks/run_all.py [NAME …]     # e.g. run_all.py engine  → bench_engine.py only
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover(names: list[str]) -> list[Path]:
    files = sorted(HERE.glob("bench_*.py"))
    if names:
        wanted = {n.removeprefix("bench_").removesuffix(".py") for n in names}
        files = [f for f in files if f.stem.removeprefix("bench_") in wanted]
    return files


def main(argv: list[str] | None = None) -> int:
    names = list(sys.argv[1:] if argv is None else argv)
    files = discover(names)
    if not files:
        print("Không có tệp benchmarks/bench_*.py nào để chạy.")
        return 1 if names else 0
    failed = []
    for path in files:
        print(f"=== {path.name} ===", flush=True)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(path)], cwd=HERE.parent)
        took = time.perf_counter() - start
        status = "ok" if proc.returncode == 0 else f"lỗi (mã {proc.returncode})"
        print(f"--- {path.name}: {status}, {took:.1f} s\n", flush=True)
        if proc.returncode != 0:
            failed.append(path.name)
    print(f"{len(files)} benchmark(s); " + (f"lỗi: {', '.join(failed)}" if failed else "tất cả chạy xong."))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
