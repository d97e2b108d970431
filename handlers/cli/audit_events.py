"""``phigate audit events``: the raw audit events, hash chain included, as CSV or JSONL.

Each line carries every field the event's hash covers, so anyone can recompute the chain outside
phigate (``bot.audit.event_hash`` documents the canonical form). Streamed: memory stays flat however
many events there are (``bench/audit_export.py`` measures 1,000,000).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from handlers.export_format import iso, output_stream, record_export
from storage.export import EVENT_COLUMNS, event_rows

DESCRIPTION = """\
Write every stored audit event (or those created in [--since, --until)) in sequence order: seq, at,
actor, kind, subject_type, subject_id, version, text_sha256, data (canonical JSON), prev_hash, hash.
The events hold ids, hashes and decisions, never draft text. An `exported` event is appended after.
"""


def register(actions: Any) -> argparse.ArgumentParser:
    """Add ``audit events`` to the ``audit`` actions; returns its parser (the caller adds the rest)."""
    parser = actions.add_parser(
        "events",
        help="Export the raw audit events with their hash chain, as CSV or JSONL.",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--format", choices=["csv", "jsonl"], required=True, help="output format")
    parser.add_argument("--output", metavar="FILE", help="write here (default: standard output)")
    return parser


def write_events(rows: Any, fmt: str, stream: IO[str]) -> int:
    """Write ``rows`` (tuples in ``EVENT_COLUMNS`` order); returns how many."""
    count = 0
    if fmt == "csv":
        writer = csv.writer(stream)
        writer.writerow(EVENT_COLUMNS)
        for row in rows:
            writer.writerow(_fields(row))
            count += 1
    else:
        for row in rows:
            stream.write(json.dumps(dict(zip(EVENT_COLUMNS, _fields(row), strict=True)), ensure_ascii=False))
            stream.write("\n")
            count += 1
    return count


def _fields(row: tuple[Any, ...]) -> list[Any]:
    seq, at, actor, kind, subject_type, subject_id, version, text_sha256, data, prev_hash, hash_ = row
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    data_json = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    when = at.astimezone(UTC).isoformat(timespec="microseconds")
    return [
        seq,
        when,
        actor,
        kind,
        subject_type,
        subject_id,
        version,
        text_sha256,
        data_json,
        prev_hash,
        hash_,
    ]


def run(args: argparse.Namespace, db: Any, actor: str) -> int:
    """Execute ``phigate audit events`` on an open database."""
    output = Path(args.output) if args.output else None
    with output_stream(output) as stream, db.transaction(write=False) as tx:
        count = write_events(event_rows(tx.session, args.since, args.until), args.format, stream)
    summary = record_export(
        db,
        actor=actor,
        at=datetime.now(UTC),
        fmt=f"events-{args.format}",
        since=args.since,
        until=args.until,
        rows=count,
        include_text=False,
    )
    print(
        f"phigate audit events: {count} events written{f' to {output}' if output else ''}; "
        f"chain now {summary['events']} events, head {summary['head']} (window {iso(args.since) or '-'} .. "
        f"{iso(args.until) or '-'})",
        file=sys.stderr,
    )
    return 0
