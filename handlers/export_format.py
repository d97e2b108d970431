"""Writers of the audit export (CLI and API): CSV and JSONL rows, the summary, the progress bar, dates."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from bot.audit import AuditEvent, Kind
from storage.db import Database
from storage.export import ExportDecision, ExportRow

CSV_COLUMNS = (
    "draft_id",
    "version",
    "created_at",
    "author",
    "author_name",
    "network",
    "in_reply_to",
    "verdict",
    "score",
    "categories",
    "status",
    "final_status",
    "final_approver",
    "final_approver_name",
    "text_sha256",
    "decisions",
)


def parse_moment(value: str) -> datetime:
    """An ISO 8601 date or date-time as an aware UTC datetime (a date means its midnight UTC).

    Raises:
        ValueError: ``value`` is not ISO 8601.
    """
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iso(moment: datetime | None) -> str | None:
    """``2026-11-23T09:00:00Z`` (microseconds when there are any), or None."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _decision(decision: ExportDecision) -> dict[str, Any]:
    return {
        "actor": decision.actor,
        "name": decision.actor_name,
        "at": iso(decision.at),
        "group": decision.group,
        "decision": decision.decision,
        "reason": decision.reason,
    }


def _compact(decision: ExportDecision) -> str:
    reason = f"({decision.reason})" if decision.reason else ""
    return f"{decision.group} {decision.decision}{reason} by {decision.actor} at {iso(decision.at)}"


def row_record(row: ExportRow, include_text: bool) -> dict[str, Any]:
    """The JSON object of one export row."""
    record: dict[str, Any] = {
        "draft_id": row.draft_id,
        "version": row.version,
        "created_at": iso(row.created_at),
        "author": row.author,
        "author_name": row.author_name,
        "network": row.network,
        "in_reply_to": row.in_reply_to,
        "verdict": row.verdict,
        "score": row.score,
        "categories": row.categories,
        "status": row.version_status,
        "final_status": row.final_status,
        "final_approver": (
            {"id": row.final_approver, "name": row.final_approver_name} if row.final_approver else None
        ),
        "text_sha256": row.text_sha256,
        "decisions": [_decision(d) for d in row.decisions],
    }
    if include_text:
        record["text"] = row.text if row.approved else None
    return record


class HashingSink:
    """A text sink that also hashes (SHA-256 of the UTF-8 bytes) everything written through it."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.sha256 = hashlib.sha256()

    def write(self, text: str) -> int:
        """Write and hash ``text``."""
        self.sha256.update(text.encode("utf-8"))
        return self.stream.write(text)


class RowWriter:
    """Writes export rows as CSV or JSONL to a hashing sink."""

    def __init__(self, fmt: str, sink: HashingSink, include_text: bool) -> None:
        self.fmt = fmt
        self.sink = sink
        self.include_text = include_text
        self._csv = csv.writer(sink) if fmt == "csv" else None
        if self._csv is not None:
            self._csv.writerow((*CSV_COLUMNS, "text") if include_text else CSV_COLUMNS)

    def write(self, row: ExportRow) -> None:
        """Write one row."""
        record = row_record(row, self.include_text)
        if self._csv is None:
            self.sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            return
        approver = record.pop("final_approver")
        record["final_approver"] = approver["id"] if approver else ""
        record["final_approver_name"] = approver["name"] if approver else ""
        record["categories"] = ";".join(row.categories)
        record["decisions"] = "; ".join(_compact(d) for d in row.decisions)
        columns = (*CSV_COLUMNS, "text") if self.include_text else CSV_COLUMNS
        self._csv.writerow(["" if record.get(name) is None else record[name] for name in columns])

    def summary(self, summary: dict[str, Any]) -> None:
        """JSONL: the final ``{"summary": ...}`` line (CSV keeps its summary in the sidecar)."""
        if self._csv is None:
            self.sink.write(json.dumps({"summary": summary}) + "\n")


def sidecar_text(csv_sha256: str, csv_name: str, summary: dict[str, Any]) -> str:
    """``<output>.sha256``: a ``sha256sum -c`` line for the CSV, then the chain as a comment."""
    return (
        f"{csv_sha256}  {csv_name}\n"
        f"# phigate audit export: events {summary['events']} head {summary['head']} "
        f"rows {summary['rows']} since {summary['since'] or '-'} until {summary['until'] or '-'}\n"
    )


class Progress:
    """``exporting [###---] 1200/5000 rows (24%)`` on stderr; silent unless stderr is a terminal."""

    def __init__(self, total: int, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.total = total
        self.done = 0
        self._drawn = 0.0

    def advance(self) -> None:
        """Count one row."""
        self.done += 1
        if self.enabled and time.monotonic() - self._drawn >= 0.1:
            self._draw()

    def close(self) -> None:
        """Draw the final state and end the line."""
        if self.enabled:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self) -> None:
        self._drawn = time.monotonic()
        total = max(self.total, self.done)
        percent = 100 * self.done // total if total else 100
        width = 30
        filled = width * percent // 100
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\rexporting [{bar}] {self.done}/{total} rows ({percent}%)")
        self.stream.flush()


def record_export(
    db: Database,
    *,
    actor: str,
    at: datetime,
    fmt: str,
    since: datetime | None,
    until: datetime | None,
    rows: int,
    include_text: bool,
) -> dict[str, Any]:
    """Append the ``exported`` audit event; returns the summary, whose chain includes that event."""
    window = {"since": iso(since), "until": iso(until)}
    event = AuditEvent(
        at=at,
        actor=actor,
        kind=Kind.EXPORTED,
        subject_type="audit",
        subject_id="export",
        data={"format": fmt, **window, "rows": rows, "include_text": include_text},
    )
    placed = db.run(lambda tx: tx.audit.append(event))
    return {"events": placed.seq, "head": placed.hash, "rows": rows, **window}


@contextmanager
def output_stream(path: Path | None) -> Iterator[IO[str]]:
    """Standard output, or ``path`` written as ``path.partial`` and renamed only once complete.

    A failed export leaves no half file behind: the partial file is removed and the error raised.
    """
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    partial = path.with_name(path.name + ".partial")
    stream = open(partial, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed below on every path
    try:
        yield stream
        stream.flush()
    except BaseException:
        stream.close()
        partial.unlink(missing_ok=True)
        raise
    stream.close()
    os.replace(partial, path)
