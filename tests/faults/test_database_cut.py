"""The database connection cut and black-holed while the server is busy.

A real ``phigate serve`` process reaches PostgreSQL only through ``FaultyProxy``. Several clients
submit drafts and approve them through the API while the test resets every database connection a
few times and then black-holes new connections for a while. Every request must succeed or fail
cleanly (503 with a message that says the database is unreachable and to try again: never a 500,
never a traceback, never the draft's text); nothing may be half-written (each draft has its version,
text, audit event and card messages; each decision its audit event; the chain verifies); and once the
database is reachable again the server serves and delivers by itself, with no restart.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.faults.tcp_proxy import FaultyProxy
from tests.scale.conftest import Deployment, make_deployment
from tests.scale.replicas import Replica, cli

pytestmark = pytest.mark.slow
MARKER = "Fenwick-Orchard"  # in every draft: must never appear in a log line or an error answer
DRAFT = f"Thanks for the lovely photo from the {MARKER} garden walk! Our volunteers planted it this spring."


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[tuple[Deployment, FaultyProxy, dict[str, str]]]:
    for deployment in make_deployment("postgresql", tmp_path):
        url = make_url(deployment.url)
        proxy = FaultyProxy(url.host or "127.0.0.1", url.port or 5432).start()
        through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        try:
            yield deployment, proxy, {**deployment.env, "PHIGATE_DATABASE_URL": through_proxy}
        finally:
            proxy.stop()


class Traffic:
    """Clients that submit and approve drafts until stopped, recording every answer."""

    def __init__(self, base: str, tokens: dict[str, str], clients: int = 4) -> None:
        self.base = base
        self.tokens = tokens
        self.answers: list[tuple[str, int, dict]] = []
        self.drafts: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, args=(n,)) for n in range(clients)]

    def __enter__(self) -> Traffic:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(120)

    def request(self, user: str, path: str, body: dict) -> tuple[int, dict]:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {self.tokens[user]}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        return status, json.loads(raw)

    def _client(self, number: int) -> None:
        while not self._stop.is_set():
            status, answer = self.request("api:social1", "/api/drafts", {"text": DRAFT})
            self.answers.append(("submit", status, answer))
            if status != 201:
                continue
            self.drafts.append(answer["id"])
            for approver in (f"api:legal{number:02d}", f"api:comms{number:02d}"):
                body = {"decision": "approve", "version": answer["version"]}
                status, reply = self.request(approver, f"/api/drafts/{answer['id']}/decisions", body)
                self.answers.append(("decide", status, reply))
                if status != 200:
                    break


def test_cut_and_blackholed_database_connections(proxied, tmp_path: Path) -> None:
    deployment, proxy, env = proxied
    # A message delivered just before its "delivered" mark was cut off is delivered again when its
    # lease runs out (at least once; card posts and updates are idempotent): a short lease keeps it quick.
    settings = {"PHIGATE_SERVER__OUTBOX_POLL_SECONDS": "0.2", "PHIGATE_SERVER__OUTBOX_LEASE_SECONDS": "3"}
    replica = Replica({**env, **settings}, tmp_path / "replica.log").start()
    try:
        with Traffic(replica.url, deployment.tokens) as traffic:
            time.sleep(1.5)
            for _ in range(4):
                assert proxy.cut() > 0
                time.sleep(0.7)
            proxy.blackhole(True)
            proxy.cut()
            time.sleep(4)
            proxy.blackhole(False)
            proxy.cut()  # the black-holed connections end too
            time.sleep(2)
        statuses = Counter((kind, status) for kind, status, _ in traffic.answers)
        assert statuses[("submit", 503)] + statuses[("decide", 503)] > 0, f"no fault was felt: {statuses}"
        assert statuses[("submit", 201)] > 0 and statuses[("decide", 200)] > 0, statuses
        assert set(status for _, status, _ in traffic.answers) <= {200, 201, 503}, statuses
        for _, status, answer in traffic.answers:
            if status == 503:  # the author's own 201 shows their text; an error never does
                assert MARKER not in json.dumps(answer)
                said = (answer["error"] + " " + answer["detail"]).lower()
                assert "database" in said and "try again" in said, answer

        # Recovered by itself: the next requests work and every card message gets delivered.
        after = Traffic(replica.url, deployment.tokens, clients=1)
        status, draft = after.request("api:social1", "/api/drafts", {"text": DRAFT})
        assert status == 201, draft
        wait_for_outbox(deployment)
    finally:
        replica.stop()
    check_nothing_half_written(deployment)
    verified = cli(deployment.env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    log = replica.log()
    assert MARKER not in log
    assert "Traceback" not in log and "unexpected error" not in log, log[-3000:]


def wait_for_outbox(deployment: Deployment, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with deployment.open().engine.connect() as connection:
            left = connection.execute(
                text("SELECT count(*) FROM outbox WHERE status <> 'delivered'")
            ).scalar_one()
        if left == 0:
            return
        time.sleep(0.3)
    raise AssertionError(f"{left} outbox messages still undelivered after the database came back")


def check_nothing_half_written(deployment: Deployment) -> None:
    db = deployment.open()
    try:
        with db.engine.connect() as connection:

            def counts(sql: str) -> dict[str, int]:
                return dict(connection.execute(text(sql)).all())

            drafts = connection.execute(text("SELECT id FROM drafts")).scalars().all()
            versions = counts("SELECT draft_id, count(*) FROM draft_versions GROUP BY draft_id")
            texts = counts("SELECT draft_id, count(*) FROM draft_texts GROUP BY draft_id")
            submitted = counts(
                "SELECT subject_id, count(*) FROM audit_events WHERE kind = 'submitted' GROUP BY subject_id"
            )
            decided = counts(
                "SELECT subject_id, count(*) FROM audit_events WHERE kind = 'decided' GROUP BY subject_id"
            )
            decisions = counts("SELECT draft_id, count(*) FROM decisions GROUP BY draft_id")
            cards = Counter(
                json.loads(payload)["draft_id"] if isinstance(payload, str) else payload["draft_id"]
                for payload in connection.execute(
                    text("SELECT payload FROM outbox WHERE kind = 'cards.post'")
                ).scalars()
            )
    finally:
        db.dispose()
    assert drafts, "no draft was written at all"
    for draft_id in drafts:
        assert versions.get(draft_id) == 1 and texts.get(draft_id) == 1, draft_id
        assert submitted.get(draft_id) == 1, draft_id
        assert decided.get(draft_id, 0) == decisions.get(draft_id, 0), draft_id
        assert cards[draft_id] == 1, (draft_id, cards[draft_id])
