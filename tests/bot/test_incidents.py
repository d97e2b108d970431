"""The incident protocol on a real database: report, link to the draft, checklist, permissions, close,
legal hold, audit chain."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.audit import verify
from bot.config import Settings
from bot.errors import Conflict, Forbidden, InvalidInput, NotFound
from bot.identity import ConfiguredDirectory
from bot.incidents import IncidentService, Step, network_of
from bot.models import User
from storage.db import Database
from storage.export import count_purgeable
from tests.workflow_support import AUTHOR, CLEAR, COMMS, LEGAL, OTHER_AUTHOR, OUTSIDER, Workflow, roster

PRIVACY = User("slack:Uprivacy", "Pat Privacy")
POST = "https://www.facebook.com/lakeside/posts/1?comment_id=77"


@pytest.fixture
def flow(database: Database, default_scanner) -> Workflow:
    config = Settings.load(env={**roster(), "PHIGATE_IDENTITY__PRIVACY_OFFICERS": PRIVACY.id})
    return Workflow.create(database, default_scanner.scan, config)


@pytest.fixture
def incidents(flow: Workflow) -> IncidentService:
    directory = ConfiguredDirectory(flow.service.settings.identity)
    return IncidentService(flow.service.settings, directory, flow.clock)


def approved_and_posted(flow: Workflow) -> str:
    draft = flow.submit(CLEAR)
    flow.approve(LEGAL[0], draft)
    flow.approve(COMMS[0], draft)
    flow.run(lambda tx: flow.service.mark_posted(tx, AUTHOR, draft.id, POST))
    return draft.id


def done_but_patient(incidents: IncidentService, flow: Workflow, incident_id: str) -> None:
    flow.run(lambda tx: incidents.tick(tx, COMMS[0], incident_id, Step.POST_REMOVED))
    flow.run(lambda tx: incidents.tick(tx, LEGAL[1], incident_id, Step.SCREENSHOT_PRESERVED, "DMS-2026-0042"))
    flow.run(lambda tx: incidents.tick(tx, LEGAL[1], incident_id, Step.PRIVACY_OFFICER_NOTIFIED))
    flow.run(lambda tx: incidents.tick(tx, PRIVACY, incident_id, Step.RISK_ASSESSMENT_STARTED))


def test_a_report_links_the_posted_draft_and_its_approvers(
    flow: Workflow, incidents: IncidentService
) -> None:
    draft_id = approved_and_posted(flow)
    incident = flow.run(lambda tx: incidents.report(tx, AUTHOR, POST, ["patient_relationship", "NAME"]))
    assert incident.id.startswith("I-") and incident.network == "facebook"
    assert incident.draft_id == draft_id and incident.approvers == (LEGAL[0].id, COMMS[0].id)
    assert incident.categories == ("PATIENT_RELATIONSHIP", "NAME") and incident.noticed_by == AUTHOR.id
    assert incident.deadline == incident.discovered_at + timedelta(days=60)
    assert incident.days_left(flow.clock.now()) == 60
    flow.clock.advance(days=59, hours=1)
    assert incident.days_left(flow.clock.now()) == 1  # 23 hours left: the last day
    assert incident.days_left(flow.clock.now() + timedelta(days=1)) == -1  # an hour overdue
    event = flow.events()[-1]
    assert event.kind == "incident_reported" and event.subject_id == incident.id
    assert POST not in str(event.data) and event.data["draft_id"] == draft_id


def test_the_whole_checklist_then_close(flow: Workflow, incidents: IncidentService) -> None:
    incident = flow.run(
        lambda tx: incidents.report(tx, LEGAL[0], POST, ["DATE"], noticed_by="a patient's relative")
    )
    done_but_patient(incidents, flow, incident.id)
    with pytest.raises(Conflict, match="still has open steps: patient_contacted"):
        flow.run(lambda tx: incidents.close(tx, PRIVACY, incident.id, "no_breach"))
    flow.clock.advance(hours=2)
    flow.run(
        lambda tx: incidents.tick(
            tx, PRIVACY, incident.id, Step.PATIENT_CONTACTED, "low risk; no contact", not_applicable=True
        )
    )
    closed = flow.run(lambda tx: incidents.close(tx, PRIVACY, incident.id, "no_breach"))
    assert closed.status == "closed" and closed.closed_by == PRIVACY.id and closed.outcome == "no_breach"
    record = closed.steps[Step.SCREENSHOT_PRESERVED]
    assert (record.actor, record.note) == (LEGAL[1].id, "DMS-2026-0042")
    assert closed.steps[Step.PATIENT_CONTACTED].not_applicable
    kinds = [e.kind for e in flow.events() if e.subject_id == incident.id]
    assert kinds == ["incident_reported"] + ["incident_step"] * 5 + ["incident_closed"]
    assert verify(flow.events()).ok
    with pytest.raises(Conflict, match="closed"):
        flow.run(lambda tx: incidents.tick(tx, LEGAL[0], incident.id, Step.POST_REMOVED))


@pytest.mark.parametrize(
    ("user", "action"),
    [
        (OUTSIDER, "report"),
        (OTHER_AUTHOR, Step.POST_REMOVED),  # a social team member may report, not tick
        (LEGAL[0], Step.RISK_ASSESSMENT_STARTED),
        (COMMS[0], Step.PATIENT_CONTACTED),
        (LEGAL[0], "close"),
    ],
)
def test_permissions(flow: Workflow, incidents: IncidentService, user: User, action: str) -> None:
    incident = flow.run(lambda tx: incidents.report(tx, PRIVACY, POST, ["NAME"]))
    if action == "report":
        call = lambda tx: incidents.report(tx, user, POST, ["NAME"])  # noqa: E731
    elif action == "close":
        done_but_patient(incidents, flow, incident.id)
        call = lambda tx: incidents.close(tx, user, incident.id, "no_breach")  # noqa: E731
    else:
        call = lambda tx: incidents.tick(tx, user, incident.id, action, "x")  # noqa: E731
    events = len(flow.events())
    with pytest.raises(Forbidden, match="only "):
        flow.run(call)
    assert len(flow.events()) == events  # a refusal changes nothing


def test_ticking_twice_records_once(flow: Workflow, incidents: IncidentService) -> None:
    incident = flow.run(lambda tx: incidents.report(tx, PRIVACY, POST, ["NAME"]))
    first = flow.run(lambda tx: incidents.tick(tx, COMMS[0], incident.id, Step.POST_REMOVED))
    again = flow.run(lambda tx: incidents.tick(tx, LEGAL[0], incident.id, Step.POST_REMOVED))
    assert again.steps[Step.POST_REMOVED].actor == COMMS[0].id and again.revision == first.revision
    assert [e.kind for e in flow.events()].count("incident_step") == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"link": "http://facebook.com/x"}, "https://"),
        ({"link": "not a link"}, "https://"),
        ({"categories": []}, "say what was disclosed"),
        ({"categories": ["SHOE_SIZE"]}, "unknown categories"),
        ({"draft_id": "D-NOPE0000"}, "no draft"),
    ],
)
def test_bad_reports(flow: Workflow, incidents: IncidentService, fields: dict, message: str) -> None:
    arguments = {"link": POST, "categories": ["NAME"], **fields}
    link, categories = arguments.pop("link"), arguments.pop("categories")
    with pytest.raises((InvalidInput, NotFound), match=message):
        flow.run(lambda tx: incidents.report(tx, PRIVACY, link, categories, **arguments))


def test_step_rules(flow: Workflow, incidents: IncidentService) -> None:
    incident = flow.run(lambda tx: incidents.report(tx, PRIVACY, POST, ["NAME"]))
    with pytest.raises(InvalidInput, match="reference"):
        flow.run(lambda tx: incidents.tick(tx, LEGAL[0], incident.id, Step.SCREENSHOT_PRESERVED))
    with pytest.raises(InvalidInput, match="only the patient contact"):
        flow.run(
            lambda tx: incidents.tick(tx, LEGAL[0], incident.id, Step.POST_REMOVED, "x", not_applicable=True)
        )
    with pytest.raises(InvalidInput, match="unknown step"):
        flow.run(lambda tx: incidents.tick(tx, LEGAL[0], incident.id, "posted_apology"))
    with pytest.raises(NotFound):
        flow.run(lambda tx: incidents.tick(tx, LEGAL[0], "I-NOTHERE", Step.POST_REMOVED))


def test_an_open_incident_holds_its_draft_from_purge(flow: Workflow, incidents: IncidentService) -> None:
    draft = flow.submit(CLEAR)
    flow.run(
        lambda tx: flow.service.decide(tx, LEGAL[0], draft.id, version=1, decision="reject", reason="other")
    )
    later = flow.clock.now() + timedelta(days=120)

    def purgeable() -> int:
        with flow.db.transaction(write=False) as tx:
            return count_purgeable(tx.session, later)

    assert purgeable() == 1
    incident = flow.run(lambda tx: incidents.report(tx, PRIVACY, POST, ["NAME"], draft_id=draft.id))
    assert purgeable() == 0  # on legal hold
    done_but_patient(incidents, flow, incident.id)
    flow.run(lambda tx: incidents.tick(tx, PRIVACY, incident.id, Step.PATIENT_CONTACTED, "called them"))
    flow.run(lambda tx: incidents.close(tx, PRIVACY, incident.id, "breach_notified"))
    assert purgeable() == 1  # released


@pytest.mark.parametrize(
    ("link", "network"),
    [
        ("https://m.facebook.com/story.php?id=1", "facebook"),
        ("https://x.com/lakeside/status/1", "x"),
        ("https://twitter.com/lakeside/status/1", "x"),
        ("https://www.instagram.com/p/abc/", "instagram"),
        ("https://maps.google.com/?cid=1", "google-reviews"),
        ("https://www.yelp.com/biz/lakeside", "yelp"),
        ("https://example.org/forum/1", "other"),
    ],
)
def test_network_from_the_link(link: str, network: str) -> None:
    assert network_of(link) == network


def test_daily_reminders_until_closed(flow: Workflow, database: Database) -> None:
    directory = ConfiguredDirectory(flow.service.settings.identity)
    incidents = IncidentService(flow.service.settings, directory, flow.clock, ("slack",))
    incident = flow.run(lambda tx: incidents.report(tx, PRIVACY, POST, ["NAME"]))
    assert flow.run(incidents.due_for_reminder) == []
    flow.clock.advance(hours=23)
    assert not flow.run(lambda tx: incidents.remind(tx, incident.id))  # not a day yet
    flow.clock.advance(hours=2)
    assert flow.run(incidents.due_for_reminder) == [incident.id]
    assert flow.run(lambda tx: incidents.remind(tx, incident.id))
    assert not flow.run(lambda tx: incidents.remind(tx, incident.id))  # a second replica finds it done
    reminded = [e for e in flow.events() if e.kind == "incident_reminded"]
    assert (
        len(reminded) == 1
        and reminded[0].data["days_left"] == 59
        and len(reminded[0].data["open_steps"]) == 5
    )
    kinds = [row[1] for row in flow.outbox() if row[2].get("incident_id") == incident.id]
    assert kinds == ["incident.post", "incident.remind"]
    flow.clock.advance(days=1, minutes=1)
    assert flow.run(lambda tx: incidents.remind(tx, incident.id))
    done_but_patient(incidents, flow, incident.id)
    flow.run(lambda tx: incidents.tick(tx, PRIVACY, incident.id, Step.PATIENT_CONTACTED, "called"))
    flow.run(lambda tx: incidents.close(tx, PRIVACY, incident.id, "no_breach"))
    flow.clock.advance(days=2)
    assert flow.run(incidents.due_for_reminder) == []  # closed: no more reminders
