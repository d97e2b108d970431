"""Audit export at scale: 1,000,000 audit events streamed to CSV, and ``audit verify`` on them.

Seeds a fresh PostgreSQL schema (COPY) — and, with ``--sqlite``, a SQLite file too — with a valid
hash chain of ``--events`` events (``tests/storage/audit_seed.py``), then runs the real CLI as child
processes and measures each one's wall time and peak RSS (``os.wait4``):

1. ``phigate audit events --format csv --output FILE`` (targets: ≤ 30 s and ≤ 150 MB RSS for 1M);
2. ``phigate audit verify`` (events per second).

    .venv/bin/python bench/audit_export.py [--events 1000000] [--sqlite] [--keep]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import migrate
from storage.db import Database
from tests.databases import database_url
from tests.storage.audit_seed import seed

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "handlers.cli.main"]


def run_isolated(args: list[str], url: str) -> tuple[float, float, int, str]:
    """Run ``phigate ARGS`` and read exactly its own peak RSS with ``os.wait4``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHIGATE_")}
    env["PHIGATE_DATABASE_URL"] = url
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        process = subprocess.Popen([*CLI, *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().strip().splitlines()
    return wall, usage.ru_maxrss / 1024, process.returncode, lines[-1] if lines else ""


def bench(engine: str, count: int, folder: Path) -> list[str]:
    lines = []
    with database_url(engine, folder) as url:
        db = Database(url)
        migrate.upgrade(db)
        started = time.perf_counter()
        seed(db, count)
        seeded = time.perf_counter() - started
        db.dispose()
        csv_path = folder / f"events-{engine}.csv"
        wall, rss, status, last = run_isolated(
            ["audit", "events", "--format", "csv", "--output", str(csv_path)], url
        )
        assert status == 0, last
        size = csv_path.stat().st_size / 1e6
        lines.append(
            f"| {engine} | audit events → CSV | {count:,} | {wall:.1f} s | {rss:.0f} MB | {count / wall:,.0f} events/s, "
            f"{size:.0f} MB file |"
        )
        wall, rss, status, last = run_isolated(["audit", "verify"], url)
        assert status == 0, last
        lines.append(
            f"| {engine} | audit verify | {count + 1:,} | {wall:.1f} s | {rss:.0f} MB | {(count + 1) / wall:,.0f} events/s |"
        )
        print(f"{engine}: seeded {count:,} events in {seeded:.1f} s", file=sys.stderr)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--sqlite", action="store_true", help="also on SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="phigate-audit-bench-") as tmp:
        folder = Path(tmp)
        rows = bench("postgresql", args.events, folder)
        if args.sqlite:
            rows += bench("sqlite", args.events, folder)
    print(
        f"machine: {platform.node()}, {os.cpu_count()} cores, Linux {platform.release()}, Python {platform.python_version()}"
    )
    print("| engine | command | events | wall | peak RSS | rate |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
