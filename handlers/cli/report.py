"""``phigate report --since --until``: the monthly review of turnaround, decisions and verdicts."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.logsafety import install as install_logging
from bot.reporting import as_rows, as_text, build_report
from handlers.cli.wiring import open_database
from handlers.export_format import parse_moment
from storage.reporting import report_rows

DESCRIPTION = """\
Turnaround (submission to final decision: median and p90, overall and per outcome), each group's time
to its first decision, decisions per approver group and per approver, rejection reasons, the scan
verdict mix of submitted drafts, expired reviews, withdrawals and override requests. The window is
[--since, --until); the default is the last 30 days. See bot/reporting.py for the exact rules.
No draft text is read or printed.
"""


def register(sub: Any) -> None:
    """Add the ``report`` sub-command."""
    parser = sub.add_parser(
        "report",
        help="the monthly review report (turnaround, decisions, rejection reasons, verdicts)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--since", metavar="DATE", help="window start, ISO date or date-time (default: 30 days ago)"
    )
    parser.add_argument("--until", metavar="DATE", help="window end, excluded (default: now)")
    parser.add_argument("--format", choices=["text", "json", "csv"], default="text")
    parser.add_argument("--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``phigate report``."""
    try:
        until = parse_moment(args.until) if args.until else datetime.now(UTC)
        since = parse_moment(args.since) if args.since else until - timedelta(days=30)
    except ValueError as exc:
        print(
            f"phigate report: dates must be ISO 8601 (2026-11-01 or 2026-11-01T09:00): {exc}", file=sys.stderr
        )
        return 2
    if since >= until:
        print("phigate report: --since must be before --until", file=sys.stderr)
        return 2
    settings = Settings.load(args.config)
    install_logging("WARNING" if settings.log_level in {"INFO", "DEBUG"} else settings.log_level)
    db = open_database(settings)
    try:
        with db.transaction(write=False) as tx:
            drafts, decisions, kinds = report_rows(tx.session, since, until)
    finally:
        db.dispose()
    report = build_report(drafts, decisions, kinds, since, until)
    if args.format == "json":
        print(json.dumps(report, indent=2))
    elif args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(("section", "key", "measure", "value"))
        writer.writerows(as_rows(report))
    else:
        print(as_text(report), end="")
    return 0
