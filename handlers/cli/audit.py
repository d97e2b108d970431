"""``phigate audit verify | checkpoint | export``: check the hash chain and export the audit trail.

Nothing here loads the PHI scanner: these commands read stored rows only.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.audit import AuditEvent, Checkpoint, VerifyResult, verify
from bot.config import Settings
from bot.logsafety import install as install_logging
from handlers.cli import audit_events
from handlers.cli.wiring import open_database
from handlers.export_format import (
    HashingSink,
    Progress,
    RowWriter,
    output_stream,
    parse_moment,
    record_export,
    sidecar_text,
)
from storage.db import Database
from storage.export import count_rows, export_rows

HELP = "Verify, checkpoint or export the audit trail."
EXPORT_DESCRIPTION = """\
Export one row per draft version created in [--since, --until) (ISO 8601 dates or date-times, UTC
unless an offset is given; --until is exclusive): draft, version, author, network, what it replies
to, the scan verdict, score and categories, every decision (actor, time, group, decision, reason),
the final approver, the statuses and the SHA-256 of the text. Comments are never exported; text only
with --include-text, and then only for the version that was approved or posted.

JSONL ends with {"summary": {"events", "head", "rows", "since", "until"}}: the audit chain's length and
head hash after this export's own `exported` event. CSV to a file gets a sidecar <output>.sha256
(checkable with `sha256sum -c`) holding the CSV's hash and the chain; CSV on standard output prints
the summary on standard error.
"""


def register(sub: Any) -> None:
    """Add the ``audit`` sub-command and its ``verify``, ``checkpoint`` and ``export`` actions."""
    audit = sub.add_parser("audit", help=HELP, description=HELP)
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)

    check = actions.add_parser(
        "verify",
        help="Recompute the hash chain; exit 1 at the first changed, inserted, reordered or deleted event.",
    )
    check.add_argument(
        "--checkpoint",
        metavar="FILE",
        help="a file written from `phigate audit checkpoint`: also detects events cut from the end",
    )
    _config(check)
    check.set_defaults(handler=run_verify)

    point = actions.add_parser(
        "checkpoint",
        help="Print '<event count> <head hash>' (after verifying) to keep outside the database.",
    )
    _config(point)
    point.set_defaults(handler=run_checkpoint)

    export = actions.add_parser(
        "export",
        help="Export the audit trail, one row per draft version, as CSV or JSONL.",
        description=EXPORT_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("--since", type=_moment, metavar="DATE", help="first creation time included")
    export.add_argument("--until", type=_moment, metavar="DATE", help="creation time excluded")
    export.add_argument("--format", choices=["csv", "jsonl"], required=True, help="output format")
    export.add_argument("--output", metavar="FILE", help="write here (default: standard output)")
    export.add_argument(
        "--include-text", action="store_true", help="add the text of approved and posted versions"
    )
    _config(export)
    export.set_defaults(handler=run_export)

    events = audit_events.register(actions)
    events.add_argument("--since", type=_moment, metavar="DATE", help="first creation time included")
    events.add_argument("--until", type=_moment, metavar="DATE", help="creation time excluded")
    _config(events)
    events.set_defaults(handler=run_events)


def _config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)")


def _moment(value: str) -> datetime:
    try:
        return parse_moment(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO 8601 date or date-time (e.g. 2026-11-01 or 2026-11-01T08:00:00Z)"
        ) from None


def cli_actor() -> str:
    """The audit actor for a command run by an operator: ``cli:<OS user>``."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown"
    return f"cli:{user}"


def operator_event(
    kind: str,
    subject_type: str,
    subject_id: str,
    *,
    at: datetime | None = None,
    text_sha256: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """An audit event of a command run by an operator (actor ``cli:<OS user>``, now unless ``at``)."""
    return AuditEvent(
        at=at or datetime.now(UTC),
        actor=cli_actor(),
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        text_sha256=text_sha256,
        data=data or {},
    )


def open_from_args(args: argparse.Namespace) -> Database:
    """The database of ``--config``/the environment, with phigate's quiet logging installed."""
    settings = Settings.load(args.config)
    install_logging("WARNING" if settings.log_level in {"INFO", "DEBUG"} else settings.log_level)
    return open_database(settings)


def _verify(db: Database, checkpoint: Checkpoint | None = None) -> VerifyResult:
    with db.transaction(write=False) as tx:
        return verify(tx.audit.events(), checkpoint)


def _report_broken(result: VerifyResult) -> None:
    print(
        f"BROKEN at event {result.broken_seq}: {result.problem} "
        f"({result.count} events before it verified, last good head {result.head})"
    )


def run_verify(args: argparse.Namespace) -> int:
    """Execute ``phigate audit verify``: 0 when the chain holds, 1 at the first broken event."""
    checkpoint = None
    if args.checkpoint:
        try:
            checkpoint = Checkpoint.parse(Path(args.checkpoint).read_text(encoding="utf-8"))
        except OSError as exc:
            print(f"phigate audit verify: cannot read {args.checkpoint}: {exc.strerror}", file=sys.stderr)
            return 2
        except (ValueError, UnicodeDecodeError) as exc:
            print(f"phigate audit verify: {args.checkpoint}: {exc}", file=sys.stderr)
            return 2
    db = open_from_args(args)
    try:
        result = _verify(db, checkpoint)
    finally:
        db.dispose()
    if not result.ok:
        _report_broken(result)
        return 1
    against = f", matches the checkpoint at event {checkpoint.count}" if checkpoint else ""
    print(f"OK: {result.count} events, head {result.head}{against}")
    return 0


def run_checkpoint(args: argparse.Namespace) -> int:
    """Execute ``phigate audit checkpoint``: verify, then print ``<count> <head>``."""
    db = open_from_args(args)
    try:
        result = _verify(db)
    finally:
        db.dispose()
    if not result.ok:
        _report_broken(result)
        return 1
    sys.stdout.write(Checkpoint(result.count, result.head).to_text())
    return 0


def run_events(args: argparse.Namespace) -> int:
    """Execute ``phigate audit events``."""
    if args.since and args.until and args.since >= args.until:
        print("phigate audit events: --since must be before --until", file=sys.stderr)
        return 2
    db = open_from_args(args)
    try:
        return audit_events.run(args, db, cli_actor())
    finally:
        db.dispose()


def run_export(args: argparse.Namespace) -> int:
    """Execute ``phigate audit export``."""
    if args.since and args.until and args.since >= args.until:
        print("phigate audit export: --since must be before --until", file=sys.stderr)
        return 2
    db = open_from_args(args)
    try:
        return _export(db, args)
    finally:
        db.dispose()


def _export(db: Database, args: argparse.Namespace) -> int:
    output = Path(args.output) if args.output else None
    with output_stream(output) as stream:
        sink = HashingSink(stream)
        writer = RowWriter(args.format, sink, args.include_text)
        rows = _write_rows(db, writer, args)
        summary = _record_export(db, args, rows)
        writer.summary(summary)
    if args.format == "csv":
        if output:
            sidecar = output.with_name(output.name + ".sha256")
            sidecar.write_text(sidecar_text(sink.sha256.hexdigest(), output.name, summary), encoding="utf-8")
        else:
            print(json.dumps({"summary": {**summary, "sha256": sink.sha256.hexdigest()}}), file=sys.stderr)
    if output:
        print(f"phigate audit export: {summary['rows']} rows written to {output}", file=sys.stderr)
    return 0


def _write_rows(db: Database, writer: RowWriter, args: argparse.Namespace) -> int:
    with db.transaction(write=False) as tx:
        progress = Progress(count_rows(tx.session, args.since, args.until) if sys.stderr.isatty() else 0)
        for row in export_rows(tx.session, args.since, args.until, include_text=args.include_text):
            writer.write(row)
            progress.advance()
        progress.close()
    return progress.done


def _record_export(db: Database, args: argparse.Namespace, rows: int) -> dict[str, Any]:
    """Append the ``exported`` event; the summary names the chain including it."""
    return record_export(
        db,
        actor=cli_actor(),
        at=datetime.now(UTC),
        fmt=args.format,
        since=args.since,
        until=args.until,
        rows=rows,
        include_text=bool(args.include_text),
    )
