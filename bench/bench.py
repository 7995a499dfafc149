"""Benchmark: the main pages under gunicorn at 1x, 10x and national size, on PostgreSQL and SQLite.

    .venv/bin/python bench/bench.py                                   # everything (takes a while)
    .venv/bin/python bench/bench.py --sizes 1x,10x --databases sqlite  # part of it
    .venv/bin/python bench/bench.py --sizes national --databases postgresql --reuse   # data already built
    .venv/bin/python bench/bench.py --sizes 1x --reminders --import-rows 20000

Sizes: 1x = 300 households (a single service), 10x = 3,000, national = 45,000 (or any number).
For each database and size it builds a SCRATCH database with `flask seed scale` (PostgreSQL:
database scale_bench_<size> on --pg-server, dropped and created again; SQLite: a file under --workdir),
serves it with gunicorn (--gunicorn-workers workers, CARERTRACK_SQL_TIMING=1 so each response says
how long its SQL took), signs in, and loads each page --requests times at 1 user and at 8 users
(each user its own signed-in session). It prints p50/p95 latency and requests per second per page,
the same for /health as the ceiling, each page's share of time in SQL, the 8-user/1-user rps ratio
and, when 1x and national both ran, the national/1x p50 ratio. It can also time
`flask reminders run --dry-run` on each database and a 20,000-row import (bench/import_bench.py).
Results are written as JSON to --out (default bench/results/latest.json) for docs/performance.md.
This is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FLASK = str(Path(sys.executable).with_name("flask"))
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
SIZES = {"1x": 300, "10x": 3_000, "national": 45_000}
PASSWORD = "carertrack-scale-2026"  # noqa: S105 - carertrack.seed.scale.SCALE_PASSWORD, generated data only
REQUEST_TIMEOUT = 90.0  # --request-timeout: a page slower than this is reported as "over N s"
YEAR = date.today().year - 1 if date.today().month < 4 else date.today().year

# (label, who signs in as scale.<who>@example.org, url).
PAGES = [
    ("health (ceiling)", None, "/health"),
    ("manager dashboard", "manager", "/dashboard"),
    ("manager home", "manager", "/"),
    ("pipeline", "manager", "/cases/pipeline"),
    ("pipeline filtered", "manager", "/cases/pipeline?stage=stage2&type=mainstream&status=at_risk"),
    ("pipeline search", "manager", "/cases/pipeline?q=smith"),
    ("pipeline page 40", "manager", "/cases/pipeline?page=40"),
    ("my cases", "worker.1", "/cases/mine"),
    ("worker home", "worker.1", "/"),
    ("household list", "manager", "/households"),
    ("household list filtered", "manager", "/households?status=active&compliance=not_compliant"),
    ("compliance (DBS)", "manager", "/dbs-compliance"),
    ("staying put", "manager", "/staying-put"),
    ("panel calendar", "panel", "/panels"),
    ("decisions awaited", "panel", "/panels/decisions-awaited"),
    ("reminders (manager)", "manager", "/reminders"),
] + [
    (
        f"report {name}",
        "viewer",
        f"/reports/{name}" + (f"?year={YEAR}" if name in {"net-growth", "annual-return"} else ""),
    )
    for name in (
        "summary",
        "funnel",
        "timeliness",
        "approvals-by-month",
        "breaches",
        "in-assessment",
        "net-growth",
        "households",
        "dbs",
        "staying-put",
        "annual-return",
    )
]
PAGINATED = {
    "pipeline",
    "pipeline filtered",
    "pipeline search",
    "my cases",
    "household list",
    "household list filtered",
    "compliance (DBS)",
    "staying put",
    "report in-assessment",
    "report breaches",
    "report dbs",
    "report staying-put",
    "report timeliness",
}


def log(message: str) -> None:
    print(message, flush=True)


# --- databases -------------------------------------------------------------------------------------


def database_url(kind: str, size: str, args: argparse.Namespace) -> str:
    if kind == "sqlite":
        return f"sqlite:///{Path(args.workdir) / f'bench_{size}.db'}"
    return f"{args.pg_server.rstrip('/')}/scale_bench_{size}"


def recreate_postgres(url: str) -> None:
    """Drop and create the scratch database named at the end of the URL."""
    from sqlalchemy import create_engine, text

    server, name = url.rsplit("/", 1)
    engine = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def build(kind: str, size: str, households: int, args: argparse.Namespace, env: dict[str, str]) -> float:
    """A fresh scratch database with the schema from the models (indexes included) and the generated data."""
    url = env["DATABASE_URL"]
    if kind == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        recreate_postgres(url)
    script = "from carertrack import create_app\nfrom carertrack.extensions import db\nimport carertrack.models\n"
    script += "app = create_app()\nwith app.app_context():\n    db.create_all()\n"
    subprocess.run([PYTHON, "-c", script], env=env, cwd=ROOT, check=True)
    started = time.perf_counter()
    subprocess.run([FLASK, "seed", "scale", "--households", str(households)], env=env, cwd=ROOT, check=True)
    seconds = time.perf_counter() - started
    if kind == "postgresql":
        from sqlalchemy import create_engine, text

        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
        engine.dispose()
    return seconds


# --- serving and requests ---------------------------------------------------------------------------


class Server:
    """gunicorn serving wsgi:app on a local port for the length of a `with` block."""

    def __init__(self, env: dict[str, str], port: int, workers: int, log_path: Path) -> None:
        self.env, self.port, self.workers, self.log_path = env, port, workers, log_path

    def __enter__(self) -> Server:
        command = [
            GUNICORN,
            "--workers",
            str(self.workers),
            "--timeout",
            str(int(REQUEST_TIMEOUT) + 10),
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
        self.log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [*command, "wsgi:app"], env=self.env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=5)
                return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc: object) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """One signed-in person: a cookie jar and an opener."""

    def __init__(self, base: str, who: str | None) -> None:
        self.base = base
        # Redirects are not followed: signing in must not wait for the (possibly slow) home page.
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )
        if who:
            page = self.opener.open(f"{base}/sign-in", timeout=60).read().decode()
            token = re.search(
                r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page
            )
            if token is None:
                token = re.search(r'csrf_token[^>]*value="([^"]+)"', page)
            value = next(g for g in token.groups() if g)
            data = urllib.parse.urlencode(
                {"csrf_token": value, "email": f"scale.{who}@example.org", "password": PASSWORD}
            ).encode()
            try:
                self.opener.open(f"{base}/sign-in", data=data, timeout=60)
            except urllib.error.HTTPError as redirect:
                if redirect.code == 302 and "/sign-in" not in (redirect.headers.get("Location") or ""):
                    return
                raise
            raise RuntimeError(f"sign-in failed for {who}")

    def get(self, url: str) -> tuple[float, float]:
        """Load the page: (seconds, seconds in SQL)."""
        started = time.perf_counter()
        with self.opener.open(self.base + url, timeout=REQUEST_TIMEOUT) as response:
            response.read()
            status, sql_ms = response.status, float(response.headers.get("X-SQL-Time-Ms") or 0)
        if status != 200:
            raise RuntimeError(f"{url}: HTTP {status}")
        return time.perf_counter() - started, sql_ms / 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def drive(browsers: list[Browser], url: str, per_user: int, budget: float) -> dict[str, float]:
    """Every browser loads the page per_user times at once; latency percentiles, rps and SQL share.

    A user stops early (after at least one request) once `budget` seconds have passed, so one very
    slow page cannot hold up the whole run; the figures then say how many requests they rest on."""
    times: list[float] = []
    sql: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def run(browser: Browser) -> None:
        for n in range(per_user):
            if n and time.perf_counter() - started > budget:
                return
            try:
                took, in_sql = browser.get(url)
            except Exception as exc:  # noqa: BLE001 - reported, not hidden
                with lock:
                    errors.append(str(exc))
                return
            with lock:
                times.append(took)
                sql.append(in_sql)

    browsers[0].get(url)  # warm this page's code path once
    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{url}: {errors[0]}")
    return {
        "p50_ms": statistics.median(times) * 1000,
        "p95_ms": percentile(times, 0.95) * 1000,
        "rps": len(times) / wall,
        "sql_share": sum(sql) / sum(times) if sum(times) else 0.0,
        "requests": len(times),
    }


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


# --- the run ---------------------------------------------------------------------------------------------


def run_one(kind: str, size: str, households: int, args: argparse.Namespace, port: int) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(kind, size, args),
        "CARERTRACK_CONFIG": "development",
        "FLASK_APP": "wsgi.py",
        "SECRET_KEY": "bench-secret-key-not-for-production",
        "CARERTRACK_SQL_TIMING": "1",
    }
    result: dict = {"database": kind, "size": size, "households": households, "pages": {}}
    if not args.reuse:
        log(f"[{kind} {size}] building {households:,} households ...")
        result["seed_seconds"] = build(kind, size, households, args, env)
        log(f"[{kind} {size}] seeded in {result['seed_seconds']:.0f} s")
    if args.reminders:
        result["reminders_seconds"] = timed([FLASK, "reminders", "run", "--dry-run"], env)
        log(f"[{kind} {size}] flask reminders run --dry-run: {result['reminders_seconds']:.1f} s")
    with Server(env, port, args.gunicorn_workers, Path(args.workdir) / f"gunicorn_{kind}_{size}.log"):
        base = f"http://127.0.0.1:{port}"
        sessions: dict[str | None, list[Browser]] = {}
        for label, who, url in PAGES:
            if args.pages and not any(p in label for p in args.pages.split(",")):
                continue
            if who not in sessions:
                sessions[who] = [Browser(base, who) for _ in range(max(args.users))]
            figures = {}
            try:
                for users in args.users:
                    slowest = max((f["p50_ms"] for f in figures.values()), default=0)
                    if slowest > args.skip_concurrent_over * 1000:
                        # Already far over the 8-user target at 1 user: say so rather than spend minutes.
                        figures[users] = {"skipped": f"1-user p50 {slowest / 1000:.1f} s"}
                        continue
                    per_user = max(1, args.requests // users) if users > 1 else args.requests
                    figures[users] = drive(sessions[who][:users], url, per_user, args.page_budget)
            except Exception as exc:  # noqa: BLE001 - a failing page is reported and the run goes on
                result["pages"][label] = {"error": str(exc)}
                log(f"[{kind} {size}] {label:<26} FAILED: {exc}")
                continue
            result["pages"][label] = figures
            one, many = figures[args.users[0]], figures[args.users[-1]]
            if "skipped" in many:
                log(
                    f"[{kind} {size}] {label:<26} 1 user p50 {one['p50_ms']:7.1f} p95 {one['p95_ms']:7.1f} "
                    f"{one['rps']:6.1f}/s | {args.users[-1]} users skipped ({many['skipped']}) | "
                    f"SQL {one['sql_share']:4.0%} (n={one['requests']})"
                )
                continue
            log(
                f"[{kind} {size}] {label:<26} 1 user p50 {one['p50_ms']:7.1f} p95 {one['p95_ms']:7.1f} "
                f"{one['rps']:6.1f}/s | {args.users[-1]} users p50 {many['p50_ms']:7.1f} p95 {many['p95_ms']:7.1f} "
                f"{many['rps']:6.1f}/s | SQL {one['sql_share']:4.0%} | x{many['rps'] / one['rps']:.2f} rps "
                f"(n={one['requests']}/{many['requests']})"
            )
    return result


def summary(results: list[dict], users: list[int]) -> None:
    """The national/1x p50 ratio per page, per database, where both sizes ran."""
    by = {(r["database"], r["size"]): r for r in results}
    for kind in ("postgresql", "sqlite"):
        small, big = by.get((kind, "1x")), by.get((kind, "national"))
        if not small or not big:
            continue
        log(f"\n{kind}: national / 1x p50 at 1 user")
        for label in big["pages"]:
            if "error" not in big["pages"][label] and "error" not in small["pages"].get(label, {"error": 1}):
                ratio = big["pages"][label][users[0]]["p50_ms"] / small["pages"][label][users[0]]["p50_ms"]
                mark = " (paginated list)" if label in PAGINATED else ""
                log(f"  {label:<26} x{ratio:.2f}{mark}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1x,10x,national", help="1x, 10x, national or numbers of households")
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--pg-server", default="postgresql+psycopg://postgres@127.0.0.1:54329", help="no database name")
    parser.add_argument(
        "--workdir", default=str(Path(tempfile.gettempdir()) / "carertrack-bench"), help="where the SQLite files go"
    )
    parser.add_argument("--requests", type=int, default=20, help="requests per page per concurrency level")
    parser.add_argument("--users", default="1,8", help="concurrency levels")
    parser.add_argument("--page-budget", type=float, default=60, help="seconds per page and level (min 1 request)")
    parser.add_argument(
        "--skip-concurrent-over", type=float, default=5, help="skip more users once 1-user p50 exceeds this (s)"
    )
    parser.add_argument("--request-timeout", type=float, default=90, help="seconds before a request counts as failed")
    parser.add_argument("--gunicorn-workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--pages", help="only pages whose label contains one of these (comma separated)")
    parser.add_argument("--reuse", action="store_true", help="use the databases already built")
    parser.add_argument("--reminders", action="store_true", help="time `flask reminders run --dry-run` too")
    parser.add_argument("--import-rows", type=int, default=0, help="also time an import of this many rows")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "latest.json"))
    args = parser.parse_args()
    args.users = [int(u) for u in args.users.split(",")]
    global REQUEST_TIMEOUT
    REQUEST_TIMEOUT = args.request_timeout
    if not args.port:
        with socket.socket() as probe:  # another helper's server may hold any fixed port
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    results = []
    for kind in args.databases.split(","):
        for size in args.sizes.split(","):
            households = SIZES.get(size) or int(size)
            results.append(run_one(kind, size, households, args, args.port))
    summary(results, args.users)
    extra = {}
    if args.import_rows:
        url = f"{args.pg_server.rstrip('/')}/scale_bench_import" if "postgresql" in args.databases else None
        command = [PYTHON, str(ROOT / "bench" / "import_bench.py"), "--rows", str(args.import_rows)]
        if url:
            recreate_postgres(url)
            command += ["--database-url", url]
        completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        extra["import"] = completed.stdout.strip()
        log(completed.stdout + completed.stderr[-2000:])
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(out.read_text()) if out.exists() else {}
    merged = {f"{r['database']} {r['size']}": r for r in previous.get("runs", [])}
    merged.update({f"{r['database']} {r['size']}": r for r in results})
    out.write_text(json.dumps({"runs": list(merged.values()), **previous.get("extra", {}), **extra}, indent=1))
    log(f"results written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
