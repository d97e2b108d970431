"""The raw audit export streams: ten times the events costs no more memory (bounded sizes for CI).

``bench/audit_export.py`` runs the same commands on 1,000,000 events (out of CI).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.databases import ENGINES, migrated_database
from tests.storage.audit_seed import seed

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
SMALL, LARGE = 5_000, 50_000


def run(args: list[str], url: str, out: Path) -> tuple[int, float]:
    """Exit status and peak RSS (MB) of ``phigate ARGS`` in its own process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHIGATE_")}
    env["PHIGATE_DATABASE_URL"] = url
    with out.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "handlers.cli.main", *args], cwd=ROOT, env=env, stdout=log, stderr=log
        )
        _, status, usage = os.wait4(process.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024


def exported(engine: str, count: int, tmp_path: Path) -> tuple[int, float]:
    """Seed ``count`` events into a fresh database, export them; rows written and peak RSS."""
    folder = tmp_path / str(count)
    folder.mkdir()
    with migrated_database(engine, folder) as db:
        seed(db, count)
        url = db.url.render_as_string(hide_password=False)
        target = folder / "events.csv"
        status, rss = run(
            ["audit", "events", "--format", "csv", "--output", str(target)], url, folder / "out.log"
        )
        assert status == 0, (folder / "out.log").read_text()
        verified, _ = run(["audit", "verify"], url, folder / "verify.log")
        assert verified == 0, (folder / "verify.log").read_text()
    with target.open() as handle:
        return sum(1 for _ in csv.reader(handle)) - 1, rss


@pytest.mark.parametrize("engine", ENGINES)
def test_ten_times_the_events_needs_no_more_memory(engine: str, tmp_path: Path) -> None:
    small_rows, small_rss = exported(engine, SMALL, tmp_path)
    large_rows, large_rss = exported(engine, LARGE, tmp_path)
    assert (small_rows, large_rows) == (SMALL, LARGE)
    # Holding 50,000 rows (or ORM objects) would add tens of MB; streaming adds next to nothing.
    assert large_rss - small_rss < 15, (small_rss, large_rss)
