"""``phigate incident list|export``: the register and its export (audited, same chain)."""

from __future__ import annotations

import csv
import io
import json

from bot.audit import verify
from bot.clock import ManualClock
from bot.config import Settings
from bot.identity import ConfiguredDirectory, sandbox_identity
from bot.incidents import IncidentService, Step
from tests.handlers.cli.conftest import LEGAL, SOCIAL, Scenario

POST = "https://x.com/lakeside/status/18"


def incidents_of(scenario: Scenario) -> tuple[IncidentService, str, str]:
    settings = Settings.load(env={"PHIGATE_IDENTITY__PRIVACY_OFFICERS": LEGAL.id})
    service = IncidentService(
        settings, ConfiguredDirectory(sandbox_identity(settings.identity)), ManualClock()
    )
    first = scenario.db.run(
        lambda tx: service.report(tx, SOCIAL, POST, ["NAME"], draft_id=scenario.ids["approved"])
    )
    scenario.db.run(lambda tx: service.tick(tx, LEGAL, first.id, Step.SCREENSHOT_PRESERVED, "DMS-7"))
    second = scenario.db.run(
        lambda tx: service.report(tx, LEGAL, "https://www.yelp.com/biz/lakeside", ["DATE"])
    )
    return service, first.id, second.id


def test_export_csv_and_jsonl(scenario: Scenario, phigate) -> None:
    _, first, second = incidents_of(scenario)
    code, out, err = phigate("incident", "export", "--format", "csv")
    assert code == 0
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(out))}
    assert set(rows) == {first, second}
    assert (
        rows[first]["draft_id"] == scenario.ids["approved"] and rows[first]["screenshot_reference"] == "DMS-7"
    )
    assert rows[first]["screenshot_preserved_by"] == LEGAL.id and rows[first]["post_removed_at"] == ""
    assert rows[second]["network"] == "yelp" and rows[second]["status"] == "open"
    assert "2 incidents" in err
    code, out, _ = phigate("incident", "export", "--format", "jsonl")
    assert {json.loads(line)["id"] for line in out.splitlines()} == {first, second}
    with scenario.db.transaction(write=False) as tx:
        events = list(tx.audit.events())
    assert [e.data["format"] for e in events if e.kind == "exported"][-2:] == [
        "incidents-csv",
        "incidents-jsonl",
    ]
    assert verify(events).ok


def test_list_shows_open_steps_and_the_clock(scenario: Scenario, phigate) -> None:
    _, first, _ = incidents_of(scenario)
    code, out, _ = phigate("incident", "list", "--status", "open")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith(first))
    assert "days left to notify" in line and "screenshot_preserved" not in line and "post_removed" in line


def test_no_incidents(database_url: str, phigate) -> None:
    code, out, _ = phigate("incident", "list")
    assert code == 0 and out.strip() == "no incidents"
