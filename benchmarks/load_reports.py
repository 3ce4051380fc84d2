"""Load test: unit heads send their quarterly reports at the deadline while coordinators watch the board.

    .venv/bin/python benchmarks/load_reports.py                  # 50 units, 5 coordinators, 2 servers
    .venv/bin/python benchmarks/load_reports.py --units 20 --servers 1 --keep-db

What it does, all on this machine (traffic only to 127.0.0.1):

1. Creates a fresh PostgreSQL database (``pciplan_load`` on 127.0.0.1:5432, user postgres), migrates it,
   loads the catalog and builds a synthetic agency: ``--units`` units each with a head, two tasks per
   unit, a quarterly reporting rule, and ``--coordinators`` coordinators. Everything is labelled
   synthetic ("mẫu thử tải"). Sessions are made in the database up front (signing in is not what is
   measured: password hashing is deliberately slow).
2. Serves the app with gunicorn: ``--servers`` separate gunicorn processes (one worker each, threaded) on
   their own ports, like stateless instances behind a load balancer; every request of every person goes
   to the next server in turn (no sticky sessions), with ``PCIPLAN_TODAY`` set to the quarter's due date.
3. Every unit head, at once (a barrier, then a random 0–3 s): starts the report, opens it, fills every
   task, sends it; one in five clicks "send" a second time. Coordinators reload the period board and open
   sent reports until every head is done. Bounded: each person does a fixed number of steps and the
   whole run stops after ``--time-limit`` seconds.
4. Prints errors (any 5xx, unexpected status or connection failure), p50/p95/p99 latency and throughput,
   then checks in the database that every report is stored exactly once (one report per unit, one sent
   version, one "sent" audit entry) and that the repeated clicks changed nothing.

Exit status 0 when there were no errors and the check passed.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PG = "postgres://postgres@127.0.0.1:5432"
SAMPLE = "mẫu thử tải"


# ------------------------------------------------------------------------------------------------ set-up
def create_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Scenario:
    period_id: int
    due_date: str
    heads: list[tuple[int, str]]            # (unit id, session key)
    coordinators: list[str]                 # session keys


def build_scenario(n_units: int, n_coordinators: int) -> Scenario:
    """Synthetic agency, plan, tasks and reporting rule; sessions for every person."""
    import datetime as dt

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from pciplan.catalog import loaders
    from pciplan.catalog.models import Edition, Province
    from pciplan.orgs.models import Organisation, Role, User
    from pciplan.plans import services as plans
    from pciplan.plans.models import ReportingRule
    from pciplan.reports import services as reports

    with open(os.devnull, "w") as sink:
        call_command("migrate", verbosity=0, stdout=sink)
    report = loaders.LoadReport()  # the plan needs only the provinces and the methodologies
    loaders.load_provinces(report)
    loaders.load_editions(report)
    agency = Organisation.objects.create(code="tai-thu-so", name=f"Sở Thử Tải ({SAMPLE})", kind="agency",
                                         province_slug="bac-giang", is_sample=True)
    office = Organisation.objects.create(code="tai-thu-vp", name=f"Văn phòng Sở Thử Tải ({SAMPLE})", kind="unit",
                                         parent=agency, is_sample=True)
    units = [Organisation.objects.create(code=f"tai-thu-p{i:02d}", name=f"Phòng Thử Tải số {i:02d} ({SAMPLE})",
                                         kind="unit", parent=agency, is_sample=True) for i in range(1, n_units + 1)]

    def person(username, org, role):
        return User.objects.create(username=username, email=f"{username}@tai-thu.invalid", full_name=f"{username} ({SAMPLE})",
                                   organisation=org, role=role, is_sample=True)

    admin = person("tai-thu-quantri", agency, Role.ADMIN)
    heads = [person(f"tai-thu-truong-{i:02d}", unit, Role.UNIT_HEAD) for i, unit in enumerate(units, start=1)]
    coordinators = [person(f"tai-thu-dieuphoi-{i}", office, Role.COORDINATOR) for i in range(1, n_coordinators + 1)]
    plan = plans.plan_create(actor=admin, code="tai-thu-2020", issuer=agency, year=2020, symbol="KH-TT",
                             title=f"Kế hoạch nâng cao PCI năm 2020 ({SAMPLE})", edition=Edition.objects.get(code="pci-2013"),
                             province=Province.objects.get(slug="bac-giang"), date_month=1, date_day=15)
    plans.target_set(actor=admin, plan=plan, key="rank-2020", spec=plans.TargetSpec(
        kind="rank", label="Thứ hạng PCI", comparator="<=", value=20, of=63))
    for i, unit in enumerate(units, start=1):
        plans.task_create(actor=admin, plan=plan, key=f"t{i:02d}-a", text=f"Rà soát thủ tục hành chính của phòng số {i:02d}",
                          units=[plans.UnitRole(unit)], timing="deadline", deadline=dt.date(2020, 9, 30), order=2 * i)
        plans.task_create(actor=admin, plan=plan, key=f"t{i:02d}-b", text=f"Đối thoại doanh nghiệp, phòng số {i:02d}",
                          units=[plans.UnitRole(unit)], timing="continuous", order=2 * i + 1)
    ReportingRule.objects.create(plan=plan, who=ReportingRule.Who.ALL_UNITS, quarters=[3], annual=False,
                                 quarter_due_day=5, consolidator=office)
    plans.plan_issue(actor=admin, plan=plan)
    period = reports.periods_generate(actor=admin, plan=plan)[0]

    def session_for(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "pciplan.orgs.security.backends.LockoutBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    return Scenario(period_id=period.pk, due_date=period.due_date.isoformat(),
                    heads=[(h.organisation_id, session_for(h)) for h in heads],
                    coordinators=[session_for(c) for c in coordinators])


# ------------------------------------------------------------------------------------------------ servers
SECRET = "load-test-" + secrets.token_urlsafe(40)  # sessions made in set-up are signed with the servers' key


def server_env(database: str, today: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PCIPLAN_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update({
        "DATABASE_URL": f"{PG}/{database}", "PCIPLAN_TODAY": today, "PCIPLAN_DEBUG": "false",
        "PCIPLAN_SECRET_KEY": SECRET, "PCIPLAN_ALLOWED_HOSTS": HOST,
        "PCIPLAN_SSL_REDIRECT": "false", "PCIPLAN_SECURE_COOKIES": "false", "PCIPLAN_DB_CONN_MAX_AGE": "60",
        "PCIPLAN_LOG_LEVEL": "ERROR", "PCIPLAN_MEDIA_ROOT": str(ROOT / "var" / "load-media"),
        "DJANGO_SETTINGS_MODULE": "pciplan.settings",
    })
    return env


def free_ports(n: int, first: int) -> list[int]:
    """``n`` ports on 127.0.0.1 that nothing listens on, from ``first`` up (another server may hold one)."""
    import socket

    ports, port = [], first
    while len(ports) < n and port < first + 1000:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((HOST, port))
                ports.append(port)
            except OSError:
                pass
        port += 1
    return ports


def start_servers(ports: list[int], threads: int, env: dict) -> list[subprocess.Popen]:
    procs = []
    for port in ports:
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "pciplan.wsgi:application", "--bind", f"{HOST}:{port}",
             "--workers", "1", "--worker-class", "gthread", "--threads", str(threads), "--preload",
             "--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning"],
            env=env, cwd=ROOT, start_new_session=True))
    deadline = time.monotonic() + 90
    for port, proc in zip(ports, procs, strict=True):
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop_servers(procs)
                raise SystemExit(f"gunicorn on port {port} did not start")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=5) as r:
                    if r.status == 200 and r.headers.get("X-Request-ID"):  # our app, not something else
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
    time.sleep(1)
    if any(p.poll() is not None for p in procs):
        stop_servers(procs)
        raise SystemExit("a gunicorn process stopped after starting")
    return procs


def stop_servers(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def cpu_seconds() -> dict[str, float]:
    """CPU time (user + system) used so far by the app servers, the database server and this client
    (Linux /proc; empty elsewhere): where the machine's processors went during the load."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    out = {"servers": 0.0, "database": 0.0, "client": 0.0}
    me = os.getpid()
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        used = (int(fields[11]) + int(fields[12])) / tick
        if int(entry.name) == me:
            out["client"] += used
        elif "gunicorn" in cmdline and "pciplan.wsgi" in cmdline:
            out["servers"] += used
        elif stat.split(" ", 2)[1] in ("(postgres)", "(postmaster)") or cmdline.startswith("postgres:"):
            out["database"] += used
    return out


# ------------------------------------------------------------------------------------------------ clients
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Sample:
    kind: str
    status: int
    seconds: float
    error: str = ""


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class Person:
    """One browser: a session cookie, a CSRF cookie, requests spread over the servers in turn."""

    counter = 0
    counter_lock = threading.Lock()

    def __init__(self, session_key: str, ports: list[int], recorder: Recorder, stop_at: float):
        self.csrf = secrets.token_hex(16)  # 32 characters: Django accepts it as cookie and form token
        self.cookie = f"sessionid={session_key}; csrftoken={self.csrf}"
        self.ports, self.recorder, self.stop_at = ports, recorder, stop_at
        self.opener = urllib.request.build_opener(_NoRedirect)

    def _port(self) -> int:
        with Person.counter_lock:
            Person.counter += 1
            return self.ports[Person.counter % len(self.ports)]

    def request(self, kind: str, path: str, data: dict | None = None, expect=(200,)) -> tuple[int, str, str]:
        if time.monotonic() > self.stop_at:
            raise TimeoutError("time limit")
        url = f"http://{HOST}:{self._port()}{path}"
        body = urlencode({**data, "csrfmiddlewaretoken": self.csrf}).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers={"Cookie": self.cookie, "Referer": url})
        started = time.perf_counter()
        status, text, location, error = 0, "", "", ""
        try:
            with self.opener.open(req, timeout=30) as r:
                status, text = r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, location = exc.code, exc.headers.get("Location", "")
            text = exc.read().decode("utf-8", "replace")
        except Exception as exc:  # noqa: BLE001 - every failure is counted as an error
            error = f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - started
        if not error and status not in expect:
            error = f"HTTP {status}"
        self.recorder.add(Sample(kind, status, elapsed, error))
        return status, text, location


def unit_head(person: Person, period_id: int, unit_id: int, start: threading.Barrier, done: list, rng: random.Random,
              double_click: bool) -> None:
    start.wait()
    try:
        time.sleep(rng.uniform(0, 3))
        status, _, location = person.request("bắt đầu báo cáo", f"/bao-cao/ky/{period_id}/lap/{unit_id}/", {}, expect=(302,))
        match = re.search(r"/bao-cao/(\d+)/", location or "")
        if not match:
            return
        report = match.group(1)
        _, page, _ = person.request("mở báo cáo", f"/bao-cao/{report}/")
        version = re.search(r'name="version" value="(\d+)"', page)
        entries = sorted(set(re.findall(r'name="e(\d+)-status"', page)))
        time.sleep(rng.uniform(0.5, 1.5))
        form = {"action": "send", "version": version.group(1) if version else "0",
                "summary": f"Quý III/2020: đơn vị đã triển khai đủ các nhiệm vụ ({SAMPLE})."}
        for e in entries:
            form.update({f"e{e}-status": "in_progress", f"e{e}-progress": "60",
                         f"e{e}-done_text": "Đã rà soát, tổ chức 2 cuộc đối thoại.", f"e{e}-results": "Giảm 1 ngày xử lý hồ sơ."})
        person.request("gửi báo cáo", f"/bao-cao/{report}/luu/", form, expect=(302,))
        person.request("xem sau khi gửi", f"/bao-cao/{report}/")
        if double_click:  # the same form sent again: refused, nothing written
            person.request("gửi lại (bấm hai lần)", f"/bao-cao/{report}/luu/", form, expect=(403, 409, 400, 302))
        done.append(report)
    except TimeoutError:
        pass


def coordinator(person: Person, period_id: int, start: threading.Barrier, finished: threading.Event, done: list,
                rng: random.Random, max_steps: int = 200) -> None:
    start.wait()
    try:
        for _ in range(max_steps):
            if finished.is_set():
                break
            person.request("bảng theo dõi kỳ báo cáo", f"/bao-cao/ky/{period_id}/")
            time.sleep(rng.uniform(0.5, 1.5))
            if done:
                person.request("điều phối xem báo cáo", f"/bao-cao/{rng.choice(done)}/")
                time.sleep(rng.uniform(0.3, 1.0))
    except TimeoutError:
        pass


# ------------------------------------------------------------------------------------------------ checks
def check_exactly_once(period_id: int, n_units: int) -> list[str]:
    from django.db.models import Count

    from pciplan.audit.models import AuditEntry
    from pciplan.reports.models import ReportVersion, UnitReport

    problems = []
    reports = UnitReport.objects.filter(period_id=period_id)
    if reports.count() != n_units:
        problems.append(f"{reports.count()} báo cáo cho {n_units} đơn vị")
    not_sent = reports.exclude(status="sent").count()
    if not_sent:
        problems.append(f"{not_sent} báo cáo chưa ở trạng thái đã gửi")
    twice = reports.exclude(sent_count=1).count()
    if twice:
        problems.append(f"{twice} báo cáo có số lần gửi khác 1")
    versions = (ReportVersion.objects.filter(report__period_id=period_id).values("report")
                .annotate(n=Count("id")).filter(n__gt=1).count())
    if versions:
        problems.append(f"{versions} báo cáo có hơn một bản đã gửi")
    if ReportVersion.objects.filter(report__period_id=period_id).count() != n_units:
        problems.append("số bản đã gửi khác số đơn vị")
    sent_entries = AuditEntry.objects.filter(content_type__model="unitreport", action="transition",
                                             after__status="sent", object_id__in=[str(pk) for pk in reports.values_list("pk", flat=True)])
    if sent_entries.count() != n_units:
        problems.append(f"{sent_entries.count()} mục nhật ký “gửi” cho {n_units} báo cáo")
    return problems


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--coordinators", type=int, default=5)
    parser.add_argument("--servers", type=int, default=2, help="gunicorn processes (each one worker)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=8765, help="first port tried; busy ports are skipped")
    parser.add_argument("--database", default="pciplan_load")
    parser.add_argument("--time-limit", type=float, default=180.0, help="seconds; the load stops by itself")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    if not (1 <= args.units <= 500 and 0 <= args.coordinators <= 50 and 1 <= args.servers <= 8):
        parser.error("--units 1–500, --coordinators 0–50, --servers 1–8")

    os.environ.update({"DATABASE_URL": f"{PG}/{args.database}", "DJANGO_SETTINGS_MODULE": "pciplan.settings",
                       "PCIPLAN_SECRET_KEY": SECRET})
    os.environ.pop("PCIPLAN_TODAY", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    t0 = time.perf_counter()
    create_database(args.database)
    django.setup()
    from django.db import connections

    scenario = build_scenario(args.units, args.coordinators)
    connections.close_all()
    print(f"Chuẩn bị: {args.units} đơn vị, {args.coordinators} điều phối, hạn báo cáo {scenario.due_date} "
          f"({time.perf_counter() - t0:.0f} s)")

    ports = free_ports(args.servers, args.port)
    procs = start_servers(ports, args.threads, server_env(args.database, scenario.due_date))
    recorder = Recorder()
    rng = random.Random(args.seed)
    try:
        # Warm-up (not counted): every server renders the board once.
        warm = Person(scenario.coordinators[0] if scenario.coordinators else scenario.heads[0][1], ports, Recorder(),
                      time.monotonic() + 60)
        for _ in range(args.servers * 2):
            warm.request("warm-up", f"/bao-cao/ky/{scenario.period_id}/", expect=(200, 403, 404))
        load_before = os.getloadavg()[0]
        stop_at = time.monotonic() + args.time_limit
        start = threading.Barrier(len(scenario.heads) + len(scenario.coordinators) + 1)
        finished, done = threading.Event(), []
        heads = [threading.Thread(target=unit_head, args=(
            Person(key, ports, recorder, stop_at), scenario.period_id, unit_id, start, done,
            random.Random(rng.random()), i % 5 == 0), daemon=True) for i, (unit_id, key) in enumerate(scenario.heads)]
        coords = [threading.Thread(target=coordinator, args=(
            Person(key, ports, recorder, stop_at), scenario.period_id, start, finished, done,
            random.Random(rng.random())), daemon=True) for key in scenario.coordinators]
        for t in heads + coords:
            t.start()
        cpu_before = cpu_seconds()
        start.wait()
        began = time.perf_counter()
        for t in heads:
            t.join(timeout=max(1.0, stop_at - time.monotonic()))
        finished.set()
        for t in coords:
            t.join(timeout=30)
        wall = time.perf_counter() - began
        cpu_used = {k: v - cpu_before[k] for k, v in cpu_seconds().items()}
    finally:
        stop_servers(procs)

    samples = recorder.samples
    errors = [s for s in samples if s.error]
    by_kind = defaultdict(list)
    for s in samples:
        by_kind[s.kind].append(s.seconds * 1000)
    print(f"\n{'yêu cầu':32} {'số':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, values in [*sorted(by_kind.items()), ("TẤT CẢ", [s.seconds * 1000 for s in samples])]:
        print(f"{kind:32} {len(values):5d} {statistics.median(values):8.0f} {percentile(values, 95):8.0f} "
              f"{percentile(values, 99):8.0f} {max(values):8.0f}")
    print(f"\nTải máy (load average 1 phút) trước / sau: {load_before:.1f} / {os.getloadavg()[0]:.1f} trên {os.cpu_count()} lõi")
    print(f"Thời gian tải: {wall:.1f} s · {len(samples)} yêu cầu · thông lượng {len(samples) / wall:.1f} yêu cầu/s · "
          f"lỗi: {len(errors)}")
    for e in errors[:10]:
        print(f"  lỗi: {e.kind}: {e.error}")
    if any(cpu_used.values()):
        print(f"CPU đã dùng trong {wall:.1f} s (tối đa {wall * (os.cpu_count() or 1):.1f} s trên {os.cpu_count()} lõi): "
              f"máy chủ ứng dụng {cpu_used['servers']:.1f} s · PostgreSQL {cpu_used['database']:.1f} s · "
              f"chương trình tạo tải {cpu_used['client']:.1f} s")

    from django.db import connections as conns

    problems = check_exactly_once(scenario.period_id, args.units)
    conns.close_all()
    print("Kiểm tra lưu đúng một lần: " + ("đạt — mỗi đơn vị một báo cáo, một bản đã gửi, một mục nhật ký"
                                          if not problems else "KHÔNG ĐẠT: " + "; ".join(problems)))
    if not args.keep_db:
        drop_database(args.database)
    return 0 if not errors and not problems and len(done) == args.units else 1


if __name__ == "__main__":
    sys.exit(main())
