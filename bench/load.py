"""Load mode: serve the large shape with gunicorn and drive it from this process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/load.py

Builds a shape of DESIGN.md ("Benchmarks") with bench/run.py's builder in a database of its own
(test_reorg_load), serves it with gunicorn (2 sync workers, bench/settings.py: DEBUG off, the
cache in Redis as in production) and, from this process, runs against it as the steering user
(a session cookie): a fixed-rate (open-loop) run of the dashboard and of the project list, a
fixed-concurrency run of each, and a run that downloads draft mandate PDFs; it prints p50, p95,
p99, throughput and errors, and each gunicorn worker's resident memory before and after. Then,
in this process, the median rendering time of a draft mandate PDF with 20 milestones and where a
dashboard request's time goes. The database and the run's cache keys are dropped at the end.
See bench/README.md."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen  # noqa: E402
from bench import run as bench  # noqa: E402

DEFAULT_DB = "test_reorg_load"
HOST = "127.0.0.1"


def _rates(value: str) -> list[float]:
    return [float(r) for r in value.split(",") if r.strip()]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Load mode: reorg under gunicorn, PostgreSQL.")
    parser.add_argument("--shape", choices=sorted(bench.SHAPES), default="large")
    parser.add_argument("--db", default=DEFAULT_DB, help=f"database name ({DEFAULT_DB})")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="use the database a run with --keep-db left, if there is one, instead of building",
    )
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument(
        "--max-requests",
        type=int,
        default=0,
        help="gunicorn --max-requests (0: off), with a jitter of a tenth of it",
    )
    parser.add_argument("--duration", type=float, default=20, help="seconds per run (20)")
    parser.add_argument(
        "--dashboard-rate",
        type=_rates,
        default=[50.0],
        metavar="R,...",
        help="open-loop rates for the dashboard, requests a second (50; e.g. 5,10,50)",
    )
    parser.add_argument(
        "--list-rate",
        type=_rates,
        default=[100.0],
        metavar="R,...",
        help="open-loop rates for the project list (100)",
    )
    parser.add_argument("--concurrency", type=int, default=20, help="fixed concurrency (20)")
    parser.add_argument(
        "--pdfs", type=int, default=40, help="draft mandate PDFs downloaded, distinct projects (40)"
    )
    parser.add_argument(
        "--pdf-concurrency", type=int, default=2, help="connections for the PDF downloads (2)"
    )
    parser.add_argument("--pdf-runs", type=int, default=5, help="in-process PDF renderings (5)")
    parser.add_argument("--profile-runs", type=int, default=10, help="dashboard profile (10)")
    parser.add_argument(
        "--runs",
        default="open,closed,pdf",
        help="which runs, of open,closed,pdf (all); the in-process figures always",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    args.orgs, args.projects = bench.SHAPES[args.shape]
    args.runs = {r.strip() for r in args.runs.split(",") if r.strip()}
    return args


# --- The database -------------------------------------------------------------------------------


def prepare_database(args):
    """Create and build the database, or reuse the one a --keep-db run left. Returns the steering
    user and the projects (by pk)."""
    from django.db import connection

    from accounts.models import User
    from projects.models import Project

    creation = connection.creation
    if args.reuse_db:
        test_name = connection.settings_dict["TEST"]["NAME"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [test_name])
            exists = cursor.fetchone() is not None
        if exists:
            connection.close()
            connection.settings_dict["NAME"] = test_name
            steering = User.objects.filter(username="styring").first()
            if steering and Project.objects.count() == args.orgs * args.projects:
                print(f"Reusing database {test_name}")
                return steering, list(Project.objects.order_by("pk"))
            fail(
                f"{test_name} exists but does not hold the {args.shape} shape; run without --reuse-db"
            )
    print(f"Creating database {connection.settings_dict['TEST']['NAME']} (migrations)…")
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(f"Building {args.orgs} × {args.projects} projects…")
    start = time.perf_counter()
    dataset = bench.build(args.orgs, args.projects)
    print(f"  built in {time.perf_counter() - start:.0f} s")
    return dataset.steering, dataset.projects


def fail(message: str) -> None:
    print(f"bench/load.py: {message}", file=sys.stderr)
    sys.exit(2)


def session_cookie(user) -> str:
    """A logged-in session for `user`, in the database as a login makes it."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


# --- The server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with `workers` sync workers on the bench settings and the bench database."""

    def __init__(self, args, database_url: str, cache_prefix: str):
        self.port = free_port()
        self.log = Path(tempfile.gettempdir()) / f"reorg-load-gunicorn-{os.getpid()}.log"
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
            "BENCH_CACHE_PREFIX": cache_prefix,
        }
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "reorg.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
        ]
        if args.max_requests:
            command += [
                "--max-requests",
                str(args.max_requests),
                "--max-requests-jitter",
                str(max(1, args.max_requests // 10)),
            ]
        self.command = command
        self.workers = args.workers
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return sorted(int(p) for p in path.read_text().split())
        except OSError:
            return []

    def wait_ready(self, cookie: str, path: str, timeout: float = 60) -> None:
        fetch = loadgen.http_fetch(HOST, self.port, [path], cookie=cookie, timeout=10)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"gunicorn stopped; see {self.log}")
            with contextlib.suppress(OSError):
                status = fetch()
                if status == 200 and len(self.worker_pids()) == self.workers:
                    return
                if status != 200:
                    fail(f"GET {path} answered {status}; see {self.log}")
            time.sleep(0.5)
        fail(f"gunicorn did not answer within {timeout:.0f} s; see {self.log}")

    def drain(self, cookie: str, path: str) -> float:
        """Wait until the requests still queued are served: an overloaded open-loop run leaves
        connections in the listen queue (their clients gave up; gunicorn serves them all the
        same), which would slow the next run down. The workers accept in order, so one request
        sent now is answered after them."""
        start = time.monotonic()
        with contextlib.suppress(OSError):
            loadgen.http_fetch(HOST, self.port, [path], cookie=cookie, timeout=600)()
        return time.monotonic() - start

    def cpu_seconds(self) -> float:
        """The workers' CPU time so far (user and system, /proc/<pid>/stat), in seconds: per
        request served, a figure the other processes on a shared machine disturb far less than
        latency. With the CPU of the children they waited for: the documents they rendered in a
        child process (core.pdf.in_child_process)."""
        ticks = 0
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                # utime, stime, cutime, cstime (fields 14 to 17)
                ticks += sum(int(value) for value in fields[11:15])
        return ticks / os.sysconf("SC_CLK_TCK")

    def memory(self) -> dict[int, dict[str, float]]:
        """Each worker's resident memory now (VmRSS) and at its peak (VmHWM), in MB."""
        figures = {}
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                fields = dict(
                    line.split(":", 1)
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                    if ":" in line
                )
                figures[pid] = {
                    "rss_mb": int(fields["VmRSS"].split()[0]) / 1024,
                    "hwm_mb": int(fields["VmHWM"].split()[0]) / 1024,
                }
        return figures

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn's master stops its workers on SIGTERM
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def database_url_for(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def delete_cache_keys(prefix: str) -> None:
    """The run's own keys in Redis (under its prefix), and nothing else."""
    from django.core.cache import cache

    with contextlib.suppress(Exception):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)


# --- In-process figures -------------------------------------------------------------------------


def _cpu() -> float:
    """This process's CPU time and that of its children (a document rendered in a child)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def pdf_render_times(project, runs: int) -> dict:
    """A draft mandate PDF rendered directly (not from the cache), 1 warm-up and `runs` timed."""
    from milestones.models import Milestone
    from reports.documents import render_mandate_pdf
    from reports.mandate import mandate_snapshot

    snapshot = mandate_snapshot(project)
    render_mandate_pdf(snapshot)  # warm-up: WeasyPrint's import and fonts
    times, cpu, size = [], [], 0
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), _cpu()
        size = len(render_mandate_pdf(snapshot))
        times.append(time.perf_counter() - start)
        cpu.append(_cpu() - start_cpu)
    return {
        "project": project.pk,
        "milestones": Milestone.objects.filter(project=project).count(),
        "median_s": statistics.median(times),
        "median_cpu_s": statistics.median(cpu),
        "min_s": min(times),
        "max_s": max(times),
        "bytes": size,
        "runs": runs,
    }


def time_breakdown(user, url_name: str, runs: int) -> dict:
    """Where a page's time goes, in this process with the test client: SQL (each
    query's execution, timed by an execute wrapper), template rendering (less the SQL run while
    rendering), the view's own Python, and the rest (middleware, session, URL resolving, the
    handler). Medians over `runs` requests after 3 warm-ups."""
    from django.db import connection
    from django.template.backends.django import Template
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user)
    url = reverse(url_name)
    clock = time.perf_counter
    state: dict = {}

    def sql_timer(execute, sql, params, many, context):
        start = clock()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = clock() - start
            state["sql"] += spent
            state["queries"] += 1
            state["slowest"].append((spent, sql))
            if state["in_template"]:
                state["sql_in_template"] += spent
            if state["in_view"]:
                state["sql_in_view"] += spent

    original_render = Template.render

    def timed_render(self, *a, **kw):
        state["in_template"] = True
        start = clock()
        try:
            return original_render(self, *a, **kw)
        finally:
            state["template"] += clock() - start
            state["in_template"] = False

    samples = []
    Template.render = timed_render
    try:
        with connection.execute_wrapper(sql_timer):
            for i in range(3 + runs):
                state.update(
                    sql=0.0,
                    queries=0,
                    slowest=[],
                    template=0.0,
                    sql_in_template=0.0,
                    sql_in_view=0.0,
                    view=0.0,
                    in_template=False,
                    in_view=False,
                )
                start = clock()
                response = _get_timed(client, url, state, clock)
                total = clock() - start
                if response.status_code != 200:
                    fail(f"GET {url} answered {response.status_code} in-process")
                if i >= 3:
                    samples.append({**state, "total": total})
    finally:
        Template.render = original_render

    for s in samples:  # each request's parts, so that the medians below are of whole parts
        s["template_without_sql"] = s["template"] - s["sql_in_template"]
        s["view_python"] = s["view"] - s["sql_in_view"] - s["template_without_sql"]
        s["outside_view"] = s["total"] - s["view"]
        s["sql_outside_view"] = s["sql"] - s["sql_in_view"]

    def med(key):
        return statistics.median(s[key] for s in samples) * 1000

    slowest = max(samples[-1]["slowest"], key=lambda q: q[0])
    return {
        "url": url,
        "runs": runs,
        "total_ms": med("total"),
        "queries": samples[-1]["queries"],
        "sql_ms": med("sql"),
        "sql_in_template_ms": med("sql_in_template"),
        "template_ms_without_sql": med("template_without_sql"),
        "view_python_ms": med("view_python"),
        "outside_view_ms": med("outside_view"),
        "sql_outside_view_ms": med("sql_outside_view"),
        "slowest_query_ms": slowest[0] * 1000,
        "slowest_query": slowest[1][:300],
    }


def _get_timed(client, url, state, clock):
    """GET url, timing its view function as the resolver hands it to the handler."""
    from django.urls import get_resolver

    resolver = get_resolver()
    match = resolver.resolve(url)
    callback = match.func

    def wrapped(*a, **kw):
        state["in_view"] = True
        start = clock()
        try:
            return callback(*a, **kw)
        finally:
            state["view"] += clock() - start
            state["in_view"] = False

    original = resolver.resolve

    def resolve(path):
        found = original(path)
        if found.func is callback:
            found.func = wrapped
        return found

    resolver.resolve = resolve
    try:
        return client.get(url)
    finally:
        resolver.resolve = original


# --- The runs -----------------------------------------------------------------------------------


def show_memory(label: str, memory: dict) -> None:
    cells = ", ".join(
        f"pid {pid}: {m['rss_mb']:.0f} MB (peak {m['hwm_mb']:.0f})" for pid, m in memory.items()
    )
    print(f"  worker memory {label}: {cells}")


def show_run(label: str, result: loadgen.Result, cpu_ms: float) -> dict:
    s = result.summary()

    def ms(v):
        return "–" if v is None else f"{v:.0f}"

    statuses = "" if not s["errors"] else f"  statuses {s['statuses']}"
    print(
        f"  {label:<44} {s['requests']:>5} req  {s['throughput_per_s']:>6.1f}/s  "
        f"p50 {ms(s['p50_ms']):>6}  p95 {ms(s['p95_ms']):>6}  p99 {ms(s['p99_ms']):>6} ms  "
        f"errors {s['errors']}  worker CPU {cpu_ms:.0f} ms/req{statuses}"
    )
    return {"run": label, **s, "worker_cpu_ms_per_request": round(cpu_ms, 1)}


def main(argv=None) -> None:
    args = parse_args(argv)
    # Stopped with SIGTERM: still stop gunicorn and drop the database (the finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.environ.setdefault("BENCH_DB_NAME", args.db)
    if os.environ["BENCH_DB_NAME"] != args.db:
        os.environ["BENCH_DB_NAME"] = args.db
    cache_prefix = f"reorg-load-{os.getpid()}"
    os.environ["BENCH_CACHE_PREFIX"] = cache_prefix
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    bench.setup_django()
    from django.db import connection
    from django.urls import reverse

    old_name = connection.settings_dict["NAME"]
    steering, projects = prepare_database(args)
    figures: dict = {"shape": args.shape, "database": args.db, "runs": [], "memory": {}}
    server = None
    try:
        cookie = session_cookie(steering)
        dashboard = reverse("reports:dashboard")
        project_list = reverse("projects:list")
        # Draft mandate PDFs of projects with 20 milestones (the first has 500), one each.
        pdf_paths = [reverse("reports:mandate_pdf", args=[p.pk]) for p in projects[1:]]
        connection.close()  # the server's workers have their own connections
        server = Server(args, database_url_for(args.db), cache_prefix)
        print(
            f"gunicorn: {args.workers} sync workers on {HOST}:{server.port}"
            + (f", --max-requests {args.max_requests}" if args.max_requests else "")
            + f" (log {server.log})"
        )
        server.wait_ready(cookie, dashboard)
        memory = figures["memory"]
        memory["started"] = server.memory()
        show_memory("after start (one request served)", memory["started"])

        def fetch(paths):
            return loadgen.http_fetch(HOST, server.port, paths, cookie=cookie)

        def record(label, run):
            """Run, wait for the queue to drain, and count the workers' CPU time for it all
            (every request sent is served in the end, those whose client gave up too)."""
            cpu = server.cpu_seconds()
            result = run()
            waited = server.drain(cookie, project_list)
            cpu_ms = (server.cpu_seconds() - cpu) * 1000 / (result.requests + 1)
            figures["runs"].append(show_run(label, result, cpu_ms))
            if waited > 2:
                print(f"    (then {waited:.0f} s until the server had served what was queued)")

        # Warm-up: both workers serve both pages (imports, templates, connections).
        loadgen.closed_loop(fetch([dashboard, project_list]), 4, total=40)
        memory["warm"] = server.memory()
        show_memory("after warm-up (40 pages)", memory["warm"])
        d = args.duration
        print(f"\nRuns of {d:.0f} s each, as the steering user (member of all projects):")
        if "open" in args.runs:
            for rate in args.dashboard_rate:
                record(
                    f"dashboard, open loop {rate:g}/s",
                    lambda rate=rate: loadgen.open_loop(fetch([dashboard]), rate, d),
                )
            for rate in args.list_rate:
                record(
                    f"project list, open loop {rate:g}/s",
                    lambda rate=rate: loadgen.open_loop(fetch([project_list]), rate, d),
                )
        if "closed" in args.runs:
            record(
                f"dashboard, {args.concurrency} connections",
                lambda: loadgen.closed_loop(fetch([dashboard]), args.concurrency, d),
            )
            record(
                f"project list, {args.concurrency} connections",
                lambda: loadgen.closed_loop(fetch([project_list]), args.concurrency, d),
            )
        memory["after_pages"] = server.memory()
        show_memory("after the page runs", memory["after_pages"])
        if "pdf" in args.runs and args.pdfs:
            paths = pdf_paths[: args.pdfs]
            record(
                f"draft mandate PDF, {len(paths)} projects, {args.pdf_concurrency} conn.",
                lambda: loadgen.closed_loop(fetch(paths), args.pdf_concurrency, total=len(paths)),
            )
            memory["after_pdfs"] = server.memory()
            show_memory("after the PDF downloads", memory["after_pdfs"])
            if "open" in args.runs:
                rate = min(args.dashboard_rate)
                record(
                    f"dashboard after PDFs, open loop {rate:g}/s",
                    lambda rate=rate: loadgen.open_loop(fetch([dashboard]), rate, d),
                )
                memory["end"] = server.memory()
                show_memory("at the end", memory["end"])
    finally:
        if server:
            server.stop()
    try:
        print("\nIn this process (django.test.Client, the same database):")
        pdf = pdf_render_times(projects[1], args.pdf_runs)
        figures["pdf_render"] = pdf
        print(
            f"  draft mandate PDF of project {pdf['project']} ({pdf['milestones']} milestones), "
            "rendered directly: "
            f"median {pdf['median_s']:.2f} s (min {pdf['min_s']:.2f}, max {pdf['max_s']:.2f}; "
            f"{pdf['runs']} after 1 warm-up; CPU {pdf['median_cpu_s']:.2f} s), {pdf['bytes']} bytes"
        )
        figures["breakdown"] = {}
        for name, url_name in [
            ("dashboard", "reports:dashboard"),
            ("project list", "projects:list"),
        ]:
            b = time_breakdown(steering, url_name, args.profile_runs)
            figures["breakdown"][url_name] = b
            print(
                f"  {name}, median of {b['runs']}: {b['total_ms']:.0f} ms in all; "
                f"SQL {b['sql_ms']:.0f} ms ({b['queries']} queries, {b['sql_in_template_ms']:.0f} "
                f"ms of it while rendering the template); template rendering "
                f"{b['template_ms_without_sql']:.0f} ms without SQL; the view's own Python "
                f"{b['view_python_ms']:.0f} ms; outside the view (middleware, session, handler) "
                f"{b['outside_view_ms']:.0f} ms, of it SQL {b['sql_outside_view_ms']:.0f} ms; "
                f"the slowest query {b['slowest_query_ms']:.0f} ms: {b['slowest_query'][:100]}…"
            )
    finally:
        delete_cache_keys(cache_prefix)
        if not args.keep_db:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"Figures written to {path}")


if __name__ == "__main__":
    main()
