"""``phigate incident list|export``: the incident register, and its export for the privacy office."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import UTC, datetime
from typing import Any

from bot.incidents import Step
from handlers.cli.audit import cli_actor, open_from_args
from handlers.export_format import iso, record_export

COLUMNS = (
    "id",
    "status",
    "network",
    "link",
    "categories",
    "draft_id",
    "approvers",
    "noticed_by",
    "reported_by",
    "discovered_at",
    "breach_notification_deadline",
    *(f"{step.value}_at" for step in Step),
    *(f"{step.value}_by" for step in Step),
    "patient_contact_not_applicable",
    "screenshot_reference",
    "outcome",
    "closed_by",
    "closed_at",
)


def register(sub: Any) -> None:
    """Add the ``incident`` sub-commands."""
    parser = sub.add_parser("incident", help="incidents: list, export (report them in chat or the API)")
    actions = parser.add_subparsers(dest="incident_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="incidents, newest first, with open steps and days left")
    listing.add_argument("--status", choices=["open", "closed"])
    listing.set_defaults(handler=run_list)
    export = actions.add_parser("export", help="every incident with its checklist, as CSV or JSONL (audited)")
    export.add_argument("--format", choices=["csv", "jsonl"], required=True)
    export.set_defaults(handler=run_export)
    for action in (listing, export):
        action.add_argument("--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)")


def row(incident: Any) -> dict[str, Any]:
    """One incident as a flat export row."""
    steps = incident.steps
    patient = steps.get(Step.PATIENT_CONTACTED.value)
    screenshot = steps.get(Step.SCREENSHOT_PRESERVED.value)
    return {
        "id": incident.id,
        "status": incident.status,
        "network": incident.network,
        "link": incident.link,
        "categories": " ".join(incident.categories),
        "draft_id": incident.draft_id or "",
        "approvers": " ".join(incident.approvers),
        "noticed_by": incident.noticed_by,
        "reported_by": incident.reported_by,
        "discovered_at": iso(incident.discovered_at),
        "breach_notification_deadline": iso(incident.deadline),
        **{f"{s.value}_at": iso(steps[s.value].at) if s.value in steps else "" for s in Step},
        **{f"{s.value}_by": steps[s.value].actor if s.value in steps else "" for s in Step},
        "patient_contact_not_applicable": bool(patient and patient.not_applicable),
        "screenshot_reference": screenshot.note if screenshot else "",
        "outcome": incident.outcome or "",
        "closed_by": incident.closed_by or "",
        "closed_at": iso(incident.closed_at) or "",
    }


def _load(args: argparse.Namespace, status: str | None) -> tuple[Any, list[Any]]:
    db = open_from_args(args)
    with db.transaction(write=False) as tx:
        return db, tx.incidents.list(status, limit=1_000_000)


def run_list(args: argparse.Namespace) -> int:
    """Execute ``phigate incident list``."""
    db, incidents = _load(args, args.status)
    db.dispose()
    now = datetime.now(UTC)
    if not incidents:
        print("no incidents")
    for incident in incidents:
        missing = ", ".join(step.value for step in incident.missing_steps()) or "none"
        clock = (
            f"{incident.days_left(now)} days left to notify"
            if incident.status == "open"
            else incident.outcome
        )
        print(f"{incident.id}  {incident.status:<6}  {incident.network:<14} {clock}; open steps: {missing}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Execute ``phigate incident export``."""
    db, incidents = _load(args, None)
    try:
        rows = [row(incident) for incident in incidents]
        if args.format == "csv":
            writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        else:
            for item in rows:
                print(json.dumps(item, ensure_ascii=False))
        summary = record_export(
            db,
            actor=cli_actor(),
            at=datetime.now(UTC),
            fmt=f"incidents-{args.format}",
            since=None,
            until=None,
            rows=len(rows),
            include_text=False,
        )
    finally:
        db.dispose()
    print(
        f"phigate incident export: {len(rows)} incidents; chain {summary['events']} events, head {summary['head']}",
        file=sys.stderr,
    )
    return 0
