"""Run every atheris harness for a while, one after the other; exit 1 if any crashed.

    .venv/bin/python fuzz/run.py --seconds 60            # what `make fuzz FUZZ_SECONDS=60` runs
    .venv/bin/python fuzz/run.py --seconds 180 plandoc   # one harness (name without "fuzz_")

Each harness starts from its seeds (``fuzz/corpus/<name>``) plus what earlier runs found interesting
(``var/fuzz/<name>/corpus``, not in git); a crashing input is written to ``var/fuzz/<name>/crashes/``.
Copy it into ``fuzz/corpus/<name>/crash-<what>`` once the parser is fixed, so the replay test keeps it.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

FUZZ_DIR = Path(__file__).resolve().parent
ROOT = FUZZ_DIR.parent
WORK = ROOT / "var" / "fuzz"


def harnesses() -> list[str]:
    return sorted(p.stem.removeprefix("fuzz_") for p in FUZZ_DIR.glob("fuzz_*.py"))


def run(name: str, seconds: int, timeout: int, rss_limit_mb: int, extra: list[str]) -> dict:
    work = WORK / name
    corpus, crashes = work / "corpus", work / "crashes"
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.mkdir(parents=True, exist_ok=True)
    for old in crashes.iterdir():
        old.unlink()
    seeds = FUZZ_DIR / "corpus" / name
    command = [sys.executable, str(FUZZ_DIR / f"fuzz_{name}.py"), f"-max_total_time={seconds}",
               f"-timeout={timeout}", f"-rss_limit_mb={rss_limit_mb}", "-print_final_stats=1",
               f"-artifact_prefix={crashes}/", *extra, str(corpus), str(seeds)]
    started = time.monotonic()
    with open(work / "last.log", "w", encoding="utf-8") as out:  # written while it runs: `tail -f` it
        proc = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    elapsed = time.monotonic() - started
    log = (work / "last.log").read_text(encoding="utf-8", errors="replace")
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", log)
    if not runs:
        runs = re.findall(r"#(\d+)\s", log)
    found = sorted(p for p in crashes.iterdir() if p.is_file())
    crashed = bool(found) or proc.returncode != 0
    reason = ""
    if crashed:
        lines = [line for line in log.splitlines() if "Error" in line or "Exception" in line or "ERROR" in line]
        reason = lines[-1].strip() if lines else f"exit code {proc.returncode}"
    return {"name": name, "runs": int(runs[-1]) if runs else 0, "seconds": elapsed, "crashed": crashed,
            "files": found, "reason": reason, "corpus": sum(1 for _ in corpus.iterdir()), "log": work / "last.log"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help=f"harnesses to run (default: all of {', '.join(harnesses())})")
    parser.add_argument("--seconds", type=int, default=60, help="time per harness (default 60)")
    parser.add_argument("--timeout", type=int, default=20, help="seconds one input may take before it counts "
                                                                "as a hang (default 20)")
    parser.add_argument("--rss-limit-mb", type=int, default=3072, help="memory limit (default 3072)")
    parser.add_argument("--libfuzzer", action="append", default=[], metavar="FLAG",
                        help="extra libFuzzer flag, e.g. --libfuzzer=-max_len=65536")
    args = parser.parse_args(argv)
    names = args.names or harnesses()
    unknown = sorted(set(names) - set(harnesses()))
    if unknown:
        parser.error(f"unknown harness: {', '.join(unknown)}")
    results = []
    for name in names:
        print(f"fuzz_{name}: {args.seconds} s …", flush=True)
        result = run(name, args.seconds, args.timeout, args.rss_limit_mb, args.libfuzzer)
        results.append(result)
        status = "CRASH" if result["crashed"] else "ok"
        print(f"  {status}: {result['runs']} runs in {result['seconds']:.0f} s, corpus {result['corpus']} inputs"
              f" (log: {result['log'].relative_to(ROOT)})", flush=True)
        if result["crashed"]:
            print(f"  {result['reason']}")
            for path in result["files"]:
                print(f"  input: {path.relative_to(ROOT)}")
    crashed = [r["name"] for r in results if r["crashed"]]
    print(f"{len(results)} harnesses, {sum(r['runs'] for r in results)} runs, "
          + (f"crashed: {', '.join(crashed)}" if crashed else "no crash"))
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
