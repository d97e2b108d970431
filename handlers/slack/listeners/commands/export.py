"""``/phigate export <since> <until> [csv|jsonl]``: the audit export, uploaded to the requester's DM.

Only legal members and configured auditors may export (as in the API). The file is written to a
temporary file (memory stays flat however long the trail), uploaded with ``files_upload_v2`` and removed.
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.errors import Forbidden, InvalidInput
from bot.models import User
from handlers.export_format import HashingSink, RowWriter, parse_moment, record_export, sidecar_text
from handlers.slack import ids
from handlers.slack.blocks import error_blocks
from handlers.slack.listeners.common import tell
from handlers.slack.surface import SlackSurface
from storage.export import export_rows

USAGE = (
    "Usage: `/phigate export <since> <until> [csv|jsonl]`, e.g. `/phigate export 2026-11-01 2026-12-01 csv`"
)
FORMATS = ("csv", "jsonl")


def parse_arguments(rest: str) -> tuple[datetime, datetime, str]:
    """``since until [format]`` -> moments and format.

    Raises:
        InvalidInput: with the usage line as the detail.
    """
    words = rest.split()
    fmt = words.pop().lower() if len(words) == 3 else "csv"
    if len(words) != 2 or fmt not in FORMATS:
        raise InvalidInput("The export needs a start date, an end date and optionally csv or jsonl.", USAGE)
    try:
        since, until = parse_moment(words[0]), parse_moment(words[1])
    except ValueError:
        raise InvalidInput("Dates must be ISO 8601, e.g. 2026-11-01 or 2026-11-01T09:00", USAGE) from None
    if since >= until:
        raise InvalidInput("The start date must be before the end date.", USAGE)
    return since, until, fmt


async def export(ack: Any, surface: SlackSurface, user_id: str, rest: str, respond: Any, **_: Any) -> None:
    """Check who asks and what, acknowledge, then build and upload the file."""
    user = await surface.user(user_id)
    try:
        if not surface.ctx.directory.may_audit(user.id):
            raise Forbidden("Only legal members and configured auditors may export the audit trail.")
        since, until, fmt = parse_arguments(rest)
    except (Forbidden, InvalidInput) as exc:
        await ack(response_type="ephemeral", text=exc.message, blocks=error_blocks(exc.message, exc.detail))
        return
    await ack(
        response_type="ephemeral", text="Preparing your audit export; it will arrive in your DM with phigate."
    )
    try:
        await upload_export(surface, user, since, until, fmt)
    except Exception as exc:
        await tell(respond, exc)


async def upload_export(
    surface: SlackSurface, user: User, since: datetime, until: datetime, fmt: str
) -> None:
    """Write the export to a temporary file and upload it to ``user``'s DM with a summary."""
    with tempfile.TemporaryDirectory(prefix="phigate-export-") as folder:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = Path(folder) / f"phigate-audit-{stamp}.{fmt}"
        summary, sha256 = await asyncio.to_thread(_write, surface, user, since, until, fmt, path)
        dm = await surface.client.conversations_open(users=ids.slack_user(user.id))
        comment = (
            f"Audit export {summary['since']} to {summary['until']}: {summary['rows']} drafts. "
            f"Chain: {summary['events']} events, head `{summary['head'][:16]}…`. "
            f"SHA-256 of the file: `{sha256}`. Check it with `phigate audit verify`."
        )
        await surface.client.files_upload_v2(
            channel=dm["channel"]["id"],
            file=str(path),
            filename=path.name,
            title=f"phigate audit export ({fmt.upper()})",
            initial_comment=comment,
        )
        if fmt == "csv":
            # CSV has no summary line: the chain summary goes in a .sha256 sidecar, as from the CLI.
            await surface.client.files_upload_v2(
                channel=dm["channel"]["id"],
                content=sidecar_text(sha256, path.name, summary),
                filename=f"{path.name}.sha256",
                title="SHA-256 sidecar",
            )


def _write(
    surface: SlackSurface, user: User, since: datetime, until: datetime, fmt: str, path: Path
) -> tuple[dict[str, Any], str]:
    ctx = surface.ctx
    with path.open("w", encoding="utf-8", newline="") as handle:
        sink = HashingSink(handle)
        writer = RowWriter(fmt, sink, include_text=False)
        rows = 0
        with ctx.db.transaction(write=False) as tx:
            for row in export_rows(tx.session, since, until, include_text=False):
                writer.write(row)
                rows += 1
        summary = record_export(
            ctx.db,
            actor=user.id,
            at=ctx.service.clock.now(),
            fmt=fmt,
            since=since,
            until=until,
            rows=rows,
            include_text=False,
        )
        writer.summary(summary)
    return summary, sink.sha256.hexdigest()
