"""``phigate purge --older-than 90d``: remove the bodies of draft versions that were never approved."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.audit import Kind
from bot.config import Settings
from bot.logsafety import install as install_logging
from handlers.cli.audit import operator_event
from handlers.cli.wiring import open_database
from handlers.export_format import iso
from storage.export import count_purgeable, purge_bodies
from storage.repositories import SqlTransaction

HELP = "Remove the text of drafts that were never approved, after a retention window."
DESCRIPTION = """\
Remove the bodies (text) of draft versions that were never approved: rejected, blocked, expired or
withdrawn drafts, and versions superseded by a later one, for drafts whose last change is older than
--older-than (e.g. 90d, 30d, 12h, 2w). Approved and posted text is kept. Hashes, scans, decisions and
the audit trail stay, so `phigate audit verify` and `phigate audit export` keep working. A `purged`
audit event records the count and the window; --dry-run only prints the count.
"""
_WINDOW = re.compile(r"^\s*(\d+)\s*([hdw])\s*$")
_UNIT = {"h": "hours", "d": "days", "w": "weeks"}


def parse_window(value: str) -> timedelta:
    """``90d``, ``12h`` or ``2w`` as a timedelta.

    Raises:
        argparse.ArgumentTypeError: not a positive number of hours, days or weeks.
    """
    match = _WINDOW.match(value)
    if not match or int(match.group(1)) == 0:
        raise argparse.ArgumentTypeError(f"{value!r}: give a positive window such as 90d, 30d, 12h or 2w")
    return timedelta(**{_UNIT[match.group(2)]: int(match.group(1))})


def register(sub: Any) -> None:
    """Add the ``purge`` sub-command."""
    parser = sub.add_parser(
        "purge", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--older-than", required=True, metavar="WINDOW", help="retention window: 90d, 30d, 12h, 2w"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print how many bodies would go; change nothing"
    )
    parser.add_argument("--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``phigate purge``."""
    try:
        window = parse_window(args.older_than)
    except argparse.ArgumentTypeError as exc:
        print(f"phigate purge: --older-than {exc}", file=sys.stderr)
        return 2
    settings = Settings.load(args.config)
    install_logging("WARNING" if settings.log_level in {"INFO", "DEBUG"} else settings.log_level)
    db = open_database(settings)
    now = datetime.now(UTC)
    cutoff = now - window
    try:
        if args.dry_run:
            with db.transaction(write=False) as tx:
                count = count_purgeable(tx.session, cutoff)
            print(f"{count} draft bodies would be removed (drafts last changed before {iso(cutoff)})")
            return 0

        def purge(tx: SqlTransaction) -> int:
            removed = purge_bodies(tx.session, cutoff)
            tx.audit.append(
                operator_event(
                    Kind.PURGED,
                    "retention",
                    "draft_texts",
                    at=now,
                    data={"count": removed, "window": args.older_than.strip(), "cutoff": iso(cutoff)},
                )
            )
            return removed

        count = db.run(purge)
    finally:
        db.dispose()
    print(f"{count} draft bodies removed (drafts last changed before {iso(cutoff)})")
    return 0
