"""Benchmark: time `flask import cases` on a generated 20,000-row file against a scratch database.

    .venv/bin/python bench/import_bench.py                      # scratch SQLite file in a temp folder
    .venv/bin/python bench/import_bench.py --rows 5000
    .venv/bin/python bench/import_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:54329/scratch

The database named by --database-url is EMPTIED (every table dropped and created again): give it a
scratch database only. The file mixes every stage a case can reach (a quarter connected; most
enquiries go no further, and about one row in six is an approval that creates a household), half its
dates in UK form. It times a --dry-run and
the real import, each as its own `flask import` process (start-up included), and prints the wall-clock
time, the CPU time (which other load on the machine does not inflate) and rows per second. This is a
measurement, not a test: record the result in docs/import.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 10
COLUMNS = [
    "reference",
    "carer_type",
    "applicant_1_name",
    "applicant_2_name",
    "enquiry_date",
    "enquiry_source",
    "initial_visit_date",
    "application_date",
    "allocated_date",
    "allocated_worker",
    "temporary_approval_date",
    "extension_granted",
    "stage1_completed_date",
    "predicted_panel_date",
    "panel_date",
    "panel_recommendation",
    "decision_date",
    "decision",
    "closed_date",
    "closed_reason",
    "delay_reason",
]
SOURCES = ["website", "phone", "email", "event", "existing_carer", "social_media", "ifa_transfer", "other"]
CLOSED = ["AW1", "AW2", "AW3", "AW4", "AW5", "AW0", "counselled_out", "moved_away", "chose_ifa", "no_response"]
FIRST = ["Jane", "John", "Amira", "Tom", "Priya", "Kwame", "Ruth", "Dafydd", "Mei", "Sam"]
LAST = ["Smith", "Jones", "Khan", "Evans", "Okafor", "Brown", "Patel", "Hughes", "Chen", "Lewis"]


def worker_email(n: int) -> str:
    """The email of generated social worker n."""
    return f"bench.worker.{n}@example.org"


def _day(value: date | None, rng: random.Random) -> str:
    if value is None:
        return ""
    return value.isoformat() if rng.random() < 0.5 else f"{value.day}/{value.month}/{value.year}"


def case_row(i: int, today: date, rng: random.Random) -> dict[str, str]:
    """One generated case, its dates in an order that can happen and none after today."""
    connected = rng.random() < 0.25
    enquiry = today - timedelta(days=rng.randint(30, 2200))
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        reference=f"BENCH-{i:05d}",
        carer_type="connected" if connected else "mainstream",
        applicant_1_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        applicant_2_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}" if rng.random() < 0.5 else "",
        enquiry_date=_day(enquiry, rng),
        enquiry_source=rng.choice(SOURCES),
    )
    # Most enquiries go no further (Ofsted: about 6% become applications); many are closed.
    visit = enquiry + timedelta(days=rng.randint(3, 30))
    if rng.random() < 0.45 or visit > today:
        if rng.random() < 0.6:
            row.update(closed_date=_day(min(visit, today), rng), closed_reason=rng.choice(CLOSED))
        return row
    row["initial_visit_date"] = _day(visit, rng)
    application = visit + timedelta(days=rng.randint(7, 60))
    if application > today or rng.random() < 0.35:
        if rng.random() < 0.7:
            row.update(closed_date=_day(min(application, today), rng), closed_reason=rng.choice(CLOSED))
        return row
    row["application_date"] = _day(application, rng)
    allocated = application + timedelta(days=rng.randint(0, 20))
    if allocated <= today:
        row.update(allocated_date=_day(allocated, rng), allocated_worker=worker_email(rng.randrange(WORKERS)))
    if connected:
        placed = application + timedelta(days=rng.randint(0, 10))
        if placed <= today:
            row["temporary_approval_date"] = _day(placed, rng)
            row["extension_granted"] = "yes" if rng.random() < 0.2 else "no"
    stage1 = application + timedelta(days=rng.randint(60, 120))
    if stage1 <= today:
        row["stage1_completed_date"] = _day(stage1, rng)
    panel = application + timedelta(days=rng.randint(150, 280))
    row["predicted_panel_date"] = _day(panel, rng)
    if rng.random() < 0.15 and stage1 <= today:
        return {**row, "closed_date": _day(stage1, rng), "closed_reason": rng.choice(CLOSED)}
    if panel > today:
        if rng.random() < 0.2:
            row["delay_reason"] = "Applicants asked for a later panel"
        return row
    recommendation = rng.choices(["approve", "not_approve", "defer"], [8, 1, 1])[0]
    row.update(panel_date=_day(panel, rng), panel_recommendation=recommendation)
    decided = panel + timedelta(days=rng.randint(2, 9))
    if recommendation != "defer" and decided <= today:
        row.update(
            decision_date=_day(decided, rng), decision="approved" if recommendation == "approve" else "not_approved"
        )
    return row


def write_file(path: Path, rows: int, today: date) -> None:
    """The generated cases file."""
    rng = random.Random(20180201)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for i in range(1, rows + 1):
            writer.writerow(case_row(i, today, rng))


def prepare_database(env: dict[str, str]) -> None:
    """Drop and create every table in the scratch database and add the social workers the file names."""
    script = f"""
from carertrack import create_app
from carertrack.admin.services import create_user
from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.user import Role
import carertrack.models
app = create_app()
with app.app_context():
    db.drop_all()
    db.create_all()
    with acting_as("import benchmark"):
        for n in range({WORKERS}):
            create_user(f"bench.worker.{{n}}@example.org", f"Bench Worker {{n}}", Role.SOCIAL_WORKER, "bench-password-123456")
        db.session.commit()
"""
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True)


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run a command: the wall-clock seconds, the CPU seconds it used (other load on the machine does
    not inflate these), and what it printed."""
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return elapsed, cpu, completed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows in the generated file (default 20000)")
    parser.add_argument("--database-url", help="a SCRATCH database (it is emptied); default a temporary SQLite file")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="carertrack-import-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    env = {**os.environ, "DATABASE_URL": database_url, "CARERTRACK_CONFIG": "development", "FLASK_APP": "wsgi.py"}
    data = workdir / "cases.csv"
    write_file(data, args.rows, date.today())
    prepare_database(env)
    flask = str(Path(sys.executable).with_name("flask"))
    print(f"{args.rows} rows, {data.stat().st_size / 1_000_000:.1f} MB, database {database_url.split('@')[-1]}")
    for label, extra in (("dry run", ["--dry-run"]), ("import", [])):
        elapsed, cpu, completed = timed([flask, "import", "cases", str(data), *extra], env)
        if completed.returncode != 0:
            print(completed.stdout[-3000:], completed.stderr[-3000:], sep="\n")
            print(f"{label}: failed with exit status {completed.returncode}")
            return 1
        print(
            f"{label:8} {elapsed:6.1f} s wall, {cpu:5.1f} s CPU  ({args.rows / elapsed:,.0f} rows/s)  "
            f"{completed.stdout.strip().splitlines()[0]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
