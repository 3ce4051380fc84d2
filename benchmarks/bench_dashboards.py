"""Server time of the dashboards on a SYNTHETIC province: the role homes and the province roll-up.

    .venv/bin/python benchmarks/bench_dashboards.py                 # 30 agencies, 300 units, 3,000 tasks, 5 years
    .venv/bin/python benchmarks/bench_dashboards.py --agencies 5 --units 4 --tasks 300 --repeat 10

What it does:

1. Makes a throwaway database (SQLite in a temporary folder, or ``--database-url`` for PostgreSQL — it is
   migrated, so give it an empty database), migrates it and loads the shipped catalog.
2. Builds a synthetic province with :func:`pciplan.dashboards.synthetic.build_province`: ``--agencies``
   agencies of ``--units`` units, five years of provincial and department plans with quarterly reports
   (one report per unit and quarter), ``--tasks`` tasks in the last year's plans. Every name says
   "mô phỏng"; no real agency's work is in it.
3. In a fresh process (like a server worker: no leftovers of the set-up in memory), requests each page
   in-process through Django's test client on the demo day (20/11/2020) — middleware,
   view, queries and template rendering, no network — ``--warmup`` times, then ``--repeat`` times, and
   prints p50, p95 and the slowest wall-clock time, the CPU time, and the number of queries. The database
   connection is kept between requests (``PCIPLAN_DB_CONN_MAX_AGE=600``), as a production server does.

These are figures, not a test: the goal is a p95 under 150 ms on an ordinary server.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 150.0
DEMO_DAY = "2020-11-20"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


PAGES = [
    ("Trang chủ — lãnh đạo sở", "leader", "/"),
    ("Trang chủ — điều phối sở (bảng kỳ báo cáo)", "coordinator", "/"),
    ("Trang chủ — trưởng phòng", "unit_head", "/"),
    ("Trang chủ — điều phối tỉnh (toàn tỉnh)", "province", "/"),
    ("Toàn tỉnh (/tong-quan/toan-tinh/)", "province", "/tong-quan/toan-tinh/"),
]
USERS = {"leader": "syn.lanhdao", "coordinator": "syn.dieuphoi", "unit_head": "syn.truongphong", "province": "syn.tinh"}


def _django(database_url: str):
    os.environ["DATABASE_URL"] = database_url
    os.environ["PCIPLAN_TODAY"] = DEMO_DAY
    os.environ.setdefault("PCIPLAN_DB_CONN_MAX_AGE", "600")  # a persistent connection, as a production server keeps
    os.environ.setdefault("PCIPLAN_LOG_LEVEL", "ERROR")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pciplan.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no per-query bookkeeping beyond what the counter below asks for


def build(args) -> None:
    """Make the database: migrate, load the catalog, build the synthetic province."""
    _django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    t0 = time.perf_counter()
    with open(os.devnull, "w") as sink:
        call_command("migrate", verbosity=0, stdout=sink)
        call_command("load_catalog", verbosity=0, stdout=sink)
    t_catalog = time.perf_counter() - t0

    from pciplan.dashboards.synthetic import build_province
    from pciplan.plans.models import Task
    from pciplan.reports.models import Period, UnitReport

    t0 = time.perf_counter()
    syn = build_province(prefix="syn", agencies=args.agencies, units=args.units, tasks=args.tasks, years=args.years,
                         last_year=2020, today=dt.date.fromisoformat(DEMO_DAY))
    t_build = time.perf_counter() - t0
    n_units = sum(len(u) for u in syn.units.values())
    n_tasks = Task.objects.filter(plan__province__slug="bac-giang", plan__year=2020, plan__code__startswith="syn-").count()
    print("pciplan — dashboards benchmark on a SYNTHETIC province (dữ liệu mô phỏng)")
    print(f"  database: {connection.vendor}; demo day {DEMO_DAY}")
    print(f"  {len(syn.agencies)} agencies, {n_units} units, {n_tasks} tasks in the 2020 plans, {args.years} years of plans, "
          f"{Period.objects.count()} quarterly periods, {UnitReport.objects.count()} unit reports")
    print(f"  set-up: migrate + catalog {t_catalog:.1f} s, synthetic province {t_build:.1f} s")


def measure(args) -> int:
    """Time the pages in a fresh process, as a server worker would serve them."""
    _django(args.database_url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pciplan.ops.warmup import warm_up
    from pciplan.orgs.models import User

    if args.freeze:  # as pciplan.wsgi does in every server worker
        figures = warm_up()
        print(f"  server start-up as pciplan.wsgi: {figures['templates']} templates compiled, "
              f"{figures['frozen']:,} objects frozen out of the garbage collector's scans")
    else:
        print("  no start-up warm-up (--no-freeze): the collector scans every long-lived object")
    print(f"  {args.warmup} warm-up requests, then {args.repeat} timed requests per page (in-process, no network)")
    print()
    print(f"  {'page':46} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU p50':>8} {'CPU p95':>8}"
          f"  goal p95 < {GOAL_MS:.0f} ms")
    for label, persona, path in PAGES:
        client = Client()
        client.force_login(User.objects.get(username=USERS[persona]))
        for _ in range(args.warmup):
            response = client.get(path)
            if response.status_code != 200:
                print(f"  {label}: HTTP {response.status_code}")
                return 1
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        n_queries = len(ctx)  # now: the next request empties the log the count is read from
        samples, cpu = [], []
        for _ in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            samples.append(1000 * (time.perf_counter() - start))
            cpu.append(1000 * (time.process_time() - start_cpu))
        p95 = percentile(samples, 0.95)
        print(f"  {label:46} {n_queries:7d} {statistics.median(samples):8.1f} {p95:8.1f} {max(samples):8.1f} "
              f"{statistics.median(cpu):8.1f} {percentile(cpu, 0.95):8.1f}  {'met' if p95 < GOAL_MS else 'NOT met'}")
    print()
    print("  Times are wall-clock server times of one request (ms); CPU is the process time it used — the two")
    print("  differ when other programs compete for the processors.")
    with contextlib.suppress(OSError):  # platforms without getloadavg
        print(f"  load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s)")
    start = time.process_time()
    sum(i * i for i in range(10_000_000))
    print(f"  speed of this Python on this machine: a 10-million-step loop took {time.process_time() - start:.2f} s of CPU")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=30)
    parser.add_argument("--units", type=int, default=10, help="units per agency")
    parser.add_argument("--tasks", type=int, default=3000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--no-freeze", dest="freeze", action="store_false",
                        help="skip the server start-up warm-up (pciplan.ops.warmup), to see what it saves")
    parser.add_argument("--database-url", default="", help="an empty database to use instead of a temporary SQLite file")
    parser.add_argument("--step", choices=["all", "build", "measure"], default="all", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step == "build":
        build(args)
        return 0
    if args.step == "measure":
        return measure(args)
    with tempfile.TemporaryDirectory(prefix="pciplan-bench-") as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        common = [f"--database-url={url}", *([] if args.freeze else ["--no-freeze"]), f"--repeat={args.repeat}", f"--warmup={args.warmup}",
                  f"--agencies={args.agencies}", f"--units={args.units}", f"--tasks={args.tasks}", f"--years={args.years}"]
        for step in ("build", "measure"):
            done = subprocess.run([sys.executable, __file__, f"--step={step}", *common], cwd=ROOT)
            if done.returncode:
                return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
