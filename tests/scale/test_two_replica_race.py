"""Fifty people deciding on one draft at the same moment, through nginx, on two server processes.

Two real ``phigate serve`` replicas share one PostgreSQL database behind nginx running the production
site file (``deploy/nginx/phigate.conf``). Every round submits a draft and fires 50 decisions at it at
once: legal and comms approvals, legal rejections and repeated clicks of the same people. Whatever the
interleaving, each draft must end with exactly one final outcome, the decisions recorded must be the
ones the policy allows (one per group, none after the outcome), every audit row must be unique, and
``phigate audit verify`` must pass at the end.

Rounds: ``PHIGATE_RACE_ROUNDS`` (100 by default; the full run takes about a minute here).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import aiohttp
import pytest
from sqlalchemy import text

from tests.conftest import CANARY
from tests.scale.conftest import COMMS, LEGAL, SOCIAL, Deployment
from tests.scale.replicas import Replica, cli, nginx_front

pytestmark = pytest.mark.slow
ROUNDS = int(os.environ.get("PHIGATE_RACE_ROUNDS", "100"))
CLICKS = 50
DRAFT = "Thank you for the kind words about our emergency department team! We will share them."


def clicks_for(round_number: int) -> list[tuple[str, str]]:
    """50 (user, decision) pairs: approvals from both groups, legal rejections, repeated clicks."""
    chooser = random.Random(round_number)
    legal = chooser.sample(LEGAL, 18)
    comms = chooser.sample(COMMS, 18)
    clicks = [(user, "approve") for user in legal[:14] + comms]
    clicks += [(user, "reject") for user in legal[14:]]
    clicks += [chooser.choice(clicks) for _ in range(CLICKS - len(clicks))]  # double clicks
    chooser.shuffle(clicks)
    return clicks


async def run_round(
    session: aiohttp.ClientSession, base: str, deployment: Deployment, round_number: int
) -> tuple[str, Counter[int]]:
    def auth(user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {deployment.tokens[user]}"}

    async with session.post(f"{base}/api/drafts", json={"text": DRAFT}, headers=auth(SOCIAL)) as reply:
        assert reply.status == 201, await reply.text()
        draft = await reply.json()
    start = asyncio.Event()

    async def click(user: str, decision: str) -> int:
        body: dict[str, object] = {"decision": decision, "version": draft["version"]}
        if decision == "reject":
            body["reason"] = "off_brand"
        await start.wait()
        async with session.post(
            f"{base}/api/drafts/{draft['id']}/decisions", json=body, headers=auth(user)
        ) as r:
            answer = await r.json()
            assert r.status in (200, 409), (r.status, answer)
            assert CANARY not in str(answer)
            return r.status

    tasks = [asyncio.create_task(click(user, decision)) for user, decision in clicks_for(round_number)]
    await asyncio.sleep(0)
    start.set()
    return draft["id"], Counter(await asyncio.gather(*tasks))


async def run_rounds(base: str, deployment: Deployment) -> list[tuple[str, Counter[int]]]:
    connector = aiohttp.TCPConnector(limit=CLICKS + 5, ssl=False)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as session:
        return [await run_round(session, base, deployment, n) for n in range(ROUNDS)]


def test_fifty_simultaneous_decisions_per_draft_on_two_replicas(postgres_deployment: Deployment) -> None:
    deployment = postgres_deployment
    replicas = [Replica(deployment.env, deployment.logs / f"replica-{n}.log").start() for n in range(2)]
    try:
        # The client runs its event loop in a thread of its own, apart from any another test left behind.
        with nginx_front([replica.port for replica in replicas]) as base, ThreadPoolExecutor(1) as pool:
            results = pool.submit(asyncio.run, run_rounds(base, deployment)).result()
        served = [
            replica.metric("phigate_http_requests_total", route="/api/drafts/{draft_id}/decisions")
            for replica in replicas
        ]
    finally:
        for replica in replicas:
            replica.stop()

    assert all(count > 0 for count in served), f"both replicas must take decisions: {served}"
    assert sum(served) == ROUNDS * CLICKS
    db = deployment.open()
    try:
        with db.engine.connect() as connection:
            check_outcomes(connection, results)
    finally:
        db.dispose()
    verified = cli(deployment.env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    for replica in replicas:
        assert CANARY not in replica.log()
        assert "Traceback" not in replica.log(), replica.log()[-3000:]


def check_outcomes(connection, results: list[tuple[str, Counter[int]]]) -> None:
    for draft_id, statuses in results:
        status, final_approver = connection.execute(
            text("SELECT status, final_approver FROM drafts WHERE id = :id"), {"id": draft_id}
        ).one()
        decisions = connection.execute(
            text("SELECT actor, group_name, kind FROM decisions WHERE draft_id = :id ORDER BY id"),
            {"id": draft_id},
        ).all()
        finals = connection.execute(
            text(
                "SELECT actor, data FROM audit_events WHERE subject_id = :id AND kind = 'decided' ORDER BY seq"
            ),
            {"id": draft_id},
        ).all()
        assert status in ("approved", "rejected"), (draft_id, status)
        assert len({actor for actor, _, _ in decisions}) == len(decisions), "one decision per person"
        approvals = Counter(group for _, group, kind in decisions if kind == "approve")
        assert all(count == 1 for count in approvals.values()), (
            "one approval per group",
            draft_id,
            decisions,
        )
        assert [kind for *_, kind in decisions].count("reject") == (status == "rejected")
        assert final_approver == decisions[-1][0], "the last decision made it final"
        if status == "approved":
            assert sorted(approvals) == ["comms", "legal"] and len(decisions) == 2
        else:  # a rejection ends the review, whoever in legal clicked it, before or after approvals
            assert decisions[-1][1:] == ("legal", "reject")
        assert [actor for actor, _ in finals] == [actor for actor, _, _ in decisions], (
            "an audit row per decision"
        )
        assert sum(1 for _, data in finals if _as_dict(data).get("final")) == 1, "exactly one final outcome"
        # Every click got an answer: the recorded ones 200, the rest 200 (same person again) or 409.
        assert statuses[200] + statuses[409] == CLICKS and statuses[200] >= len(decisions)
    duplicates = connection.execute(
        text(
            "SELECT count(*) FROM (SELECT kind, subject_id, actor, version, count(*) AS n FROM audit_events "
            "WHERE kind = 'decided' GROUP BY kind, subject_id, actor, version HAVING count(*) > 1) AS dup"
        )
    ).scalar_one()
    assert duplicates == 0


def _as_dict(data: object) -> dict:
    return json.loads(data) if isinstance(data, str) else dict(data)  # type: ignore[arg-type]
