"""Render bench.py's JSON results as the Markdown tables in docs/performance.md.

.venv/bin/python bench/report.py bench/results/pg_small.json bench/results/pg_national.json ...
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def cell(figures: dict, users: str, key: str, fmt: str) -> str:
    level = figures.get(users) or {}
    if "skipped" in level:
        return "skipped"
    return format(level[key], fmt) if key in level else "n/a"


def main() -> int:
    runs = []
    for path in sys.argv[1:]:
        runs += json.loads(Path(path).read_text())["runs"]
    by = {(r["database"], r["size"]): r for r in runs}
    for run in runs:
        extra = []
        if "seed_seconds" in run:
            extra.append(f"seeded in {run['seed_seconds']:.0f} s")
        if "reminders_seconds" in run:
            extra.append(f"`flask reminders run --dry-run` {run['reminders_seconds']:.1f} s")
        print(f"\n#### {run['database']}, {run['size']} ({run['households']:,} households; {'; '.join(extra)})\n")
        print(
            "| page | p50 1 user (ms) | p95 1 user (ms) | rps 1 user | p50 8 users (ms) | p95 8 users (ms) "
            "| rps 8 users | SQL share | rps 8/1 | p50 national/1x |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        small = by.get((run["database"], "1x"))
        for label, figures in run["pages"].items():
            if "error" in figures:
                what = "over the request timeout (60 s)" if "timed out" in figures["error"] else figures["error"][:60]
                print(f"| {label} | {what} | | | | | | | | |")
                continue
            one, many = figures.get("1", {}), figures.get("8", {})
            ratio = f"{many['rps'] / one['rps']:.2f}" if "rps" in many and one.get("rps") else "n/a"
            national = "n/a"
            if run["size"] == "national" and small and "1" in small["pages"].get(label, {}):
                national = f"{one['p50_ms'] / small['pages'][label]['1']['p50_ms']:.1f}"
            print(
                f"| {label} | {cell(figures, '1', 'p50_ms', '.0f')} | {cell(figures, '1', 'p95_ms', '.0f')} "
                f"| {cell(figures, '1', 'rps', '.1f')} | {cell(figures, '8', 'p50_ms', '.0f')} "
                f"| {cell(figures, '8', 'p95_ms', '.0f')} | {cell(figures, '8', 'rps', '.1f')} "
                f"| {cell(figures, '1', 'sql_share', '.0%')} | {ratio} | {national} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
