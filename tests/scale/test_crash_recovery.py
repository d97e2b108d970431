"""A server killed with SIGKILL between committing a decision and updating the cards.

The final approval commits (decision, audit event, outbox messages in one transaction) and the replica
starts updating the review cards in Slack; Slack is slow to answer, and the process is killed while
the updates are in flight. After a restart on the same database the outbox delivers every update:
the cards show the final outcome, nothing was lost (every decision and audit row is there) and nothing
was doubled (no second decision, no duplicate audit row, no card posted a second time).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from tests.handlers.slack.fake_slack import FakeSlack
from tests.scale.conftest import Deployment
from tests.scale.replicas import Replica, cli

pytestmark = pytest.mark.slow
LEGAL_CHANNEL, COMMS_CHANNEL = "C0LEGAL", "C0COMMS"
# Review-worthy (a care context, no name), so it goes to legal and comms; its distinctive words must
# never reach a log line.
DRAFT = "Sorry your stay on 4 West was so long. Please message us privately so we can help."
MARKER = "4 West"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def slack_env(deployment: Deployment, fake: FakeSlack) -> dict[str, str]:
    return {
        **deployment.env,
        "SLACK_BOT_TOKEN": "xoxb-crash-test",
        "SLACK_SIGNING_SECRET": "crash-test-secret",
        "SLACK_API_URL": fake.api_url,
        "PHIGATE_SLACK_LEGAL_CHANNEL": LEGAL_CHANNEL,
        "PHIGATE_SLACK_COMMS_CHANNEL": COMMS_CHANNEL,
        "PHIGATE_SERVER__OUTBOX_LEASE_SECONDS": "2",
    }


def wait_until(check, timeout: float = 30, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s")


def cards(fake: FakeSlack, channel: str) -> list[dict]:
    # A parent message carries thread_ts == ts once it has replies; replies carry their parent's.
    return [m for m in fake.messages(channel) if m.get("thread_ts", m["ts"]) == m["ts"]]


def test_card_updates_lost_to_a_crash_are_delivered_after_restart(
    deployment: Deployment, fake_slack: FakeSlack
) -> None:
    env = slack_env(deployment, fake_slack)
    replica = Replica(env, deployment.logs / "replica.log").start()
    auth = {user: f"Bearer {token}" for user, token in deployment.tokens.items()}
    try:
        draft = replica_request(replica, "POST", "/api/drafts", {"text": DRAFT}, auth["api:social1"], 201)
        wait_until(lambda: cards(fake_slack, LEGAL_CHANNEL) and cards(fake_slack, COMMS_CHANNEL))
        version = {"decision": "approve", "version": draft["version"]}
        replica_request(
            replica, "POST", f"/api/drafts/{draft['id']}/decisions", version, auth["api:legal01"], 200
        )
        wait_until(lambda: len(fake_slack.calls_to("chat.update")) >= 2)  # legal's progress on both cards
        updates_before = len(fake_slack.calls_to("chat.update"))

        # Slack now hangs on updates (and then fails them): the final approval's updates stay in flight.
        fake_slack.delay_next("chat.update", 5, times=100)
        fake_slack.fail_next("chat.update", 500, times=100)
        final = replica_request(
            replica, "POST", f"/api/drafts/{draft['id']}/decisions", version, auth["api:comms01"], 200
        )
        assert final["status"] == "approved"
        wait_until(lambda: len(fake_slack.calls_to("chat.update")) > updates_before)
        replica.kill()
    finally:
        replica.stop()

    # The decision committed; the cards still show the old state.
    assert all("api:comms01" not in str(card["blocks"]) for card in cards(fake_slack, LEGAL_CHANNEL))
    time.sleep(5.5)  # let the fake's hanging answers (500s to a dead process) run out
    fake_slack.clear_faults()

    restarted = Replica(env, deployment.logs / "replica-restarted.log").start()
    try:
        wait_until(lambda: outbox_settled(deployment), timeout=60)
    finally:
        restarted.stop()

    for channel in (LEGAL_CHANNEL, COMMS_CHANNEL):
        posted = cards(fake_slack, channel)
        assert len(posted) == 1, "the review card is never posted twice"
        shown = str(posted[0]["blocks"])
        assert "Approved" in shown and "actions" not in [block["type"] for block in posted[0]["blocks"]]
    check_nothing_doubled(deployment, draft["id"])
    verified = cli(deployment.env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    for log in (replica.log(), restarted.log()):
        assert MARKER not in log


def replica_request(replica: Replica, method: str, path: str, body: dict, auth: str, status: int) -> dict:
    import json
    import urllib.request

    request = urllib.request.Request(
        replica.url + path,
        data=json.dumps(body).encode(),
        method=method,
        headers={"Authorization": auth, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == status
        return json.loads(response.read())


def outbox_settled(deployment: Deployment) -> bool:
    db = deployment.open()
    try:
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT status FROM outbox")).scalars().all()
    finally:
        db.dispose()
    return bool(rows) and all(status == "delivered" for status in rows)


def check_nothing_doubled(deployment: Deployment, draft_id: str) -> None:
    db = deployment.open()
    try:
        with db.engine.connect() as connection:
            decisions = (
                connection.execute(
                    text("SELECT actor FROM decisions WHERE draft_id = :id ORDER BY id"), {"id": draft_id}
                )
                .scalars()
                .all()
            )
            kinds = (
                connection.execute(
                    text("SELECT kind FROM audit_events WHERE subject_id = :id ORDER BY seq"),
                    {"id": draft_id},
                )
                .scalars()
                .all()
            )
            status = connection.execute(
                text("SELECT status FROM drafts WHERE id = :id"), {"id": draft_id}
            ).scalar_one()
    finally:
        db.dispose()
    assert decisions == ["api:legal01", "api:comms01"]
    assert kinds.count("decided") == 2 and kinds.count("submitted") == 1
    assert status == "approved"
