"""Workflow speed on SQLite and PostgreSQL in the same run: decisions per second, click-to-updated-card.

1. Decisions per second (in process): N harmless drafts are submitted (not timed), then T threads take
   (draft, approver) pairs from one shuffled queue and decide through ``Database.run`` + ``ApprovalService``
   - legal and comms decisions on the same draft race each other, as they do in real life.
2. Click-to-updated-card (over HTTP): a real ``phigate serve`` subprocess in sandbox mode; a client listens
   on ``/sandbox/events`` (the sandbox's card updates); each "click" is ``POST /api/drafts/{id}/decisions``,
   timed until the answer (ack) and until the ``cards.update`` event for that draft arrives.

    .venv/bin/python bench/workflow_speed.py [--drafts 300] [--threads 8] [--clicks 80] [--markdown]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import queue
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.common import ROOT, read_jsonl
from bot.approvals import ApprovalService, Submission
from bot.clock import SystemClock
from bot.config import Settings
from bot.identity import ConfiguredDirectory, sandbox_identity
from bot.models import Status, User
from storage import migrate
from storage.db import Database, normalize_url

POSTGRES = os.environ.get("PHIGATE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
AUTHOR = User("sandbox:social1", "Sam")
APPROVERS = [User("sandbox:legal1", "Lee"), User("sandbox:comms1", "Cam")]


def harmless_texts() -> list[str]:
    rows = read_jsonl(ROOT / "tests/data/social_replies.jsonl")
    return [row["text"] for row in rows if not row.get("phi")]


@contextlib.contextmanager
def database_url(engine: str):
    if engine == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    schema = "bench_" + secrets.token_hex(5)
    admin = create_engine(normalize_url(POSTGRES))
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield (
            make_url(POSTGRES)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def decisions_per_second(engine: str, drafts: int, threads: int, scan) -> dict[str, float]:
    settings = Settings.load(env={})
    directory = ConfiguredDirectory(sandbox_identity(settings.identity))
    service = ApprovalService(settings, scan, directory, SystemClock())
    texts = harmless_texts()
    with database_url(engine) as url:
        db = Database(url, pool_size=threads + 2)
        migrate.upgrade(db)

        def submit(tx, body: str) -> str:
            return service.submit(tx, AUTHOR, Submission(body, "facebook")).id

        ids = [db.run(partial(submit, body=texts[i % len(texts)])) for i in range(drafts)]
        work: queue.Queue[tuple[str, User]] = queue.Queue()
        pairs = [(draft_id, approver) for draft_id in ids for approver in APPROVERS]
        random.Random(7).shuffle(pairs)
        for pair in pairs:
            work.put(pair)
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()

        def decide(tx, approver: User, draft_id: str) -> None:
            service.decide(tx, approver, draft_id, version=1, decision="approve")

        def worker() -> None:
            while True:
                try:
                    draft_id, approver = work.get_nowait()
                except queue.Empty:
                    return
                started = time.perf_counter()
                try:
                    db.run(partial(decide, approver=approver, draft_id=draft_id))
                except Exception as exc:
                    errors.append(type(exc).__name__)
                with lock:
                    latencies.append(time.perf_counter() - started)

        pool = [threading.Thread(target=worker) for _ in range(threads)]
        started = time.perf_counter()
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        wall = time.perf_counter() - started
        final = db.run(lambda tx: len(tx.drafts.list(Status.APPROVED, limit=drafts)), write=False)
        db.dispose()
    return {
        "decisions": len(pairs),
        "errors": len(errors),
        "approved": final,
        "per_second": len(pairs) / wall,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def click_latency(url: str, clicks: int) -> dict[str, float]:
    port = free_port()
    env = {**os.environ, "PHIGATE_DATABASE_URL": url, "PHIGATE_LOG_LEVEL": "WARNING"}
    if url.startswith("postgresql"):
        subprocess.run(
            [str(ROOT / ".venv/bin/phigate"), "db", "upgrade"], env=env, check=True, capture_output=True
        )
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/phigate"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    acks: list[float] = []
    updates: list[float] = []
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(base + "/healthz") as response:
                        if response.status == 200:
                            break
                await asyncio.sleep(0.1)
            events: asyncio.Queue[dict] = asyncio.Queue()

            async def listen() -> None:
                async with session.get(
                    base + "/sandbox/events", timeout=aiohttp.ClientTimeout(total=None)
                ) as stream:
                    async for line in stream.content:
                        if line.startswith(b"data: "):
                            await events.put({**json.loads(line[6:]), "received": time.perf_counter()})

            listener = asyncio.create_task(listen())
            await asyncio.sleep(0.3)
            texts = harmless_texts()

            async def wait_for(kind: str, draft_id: str) -> float:
                while True:
                    event = await asyncio.wait_for(events.get(), timeout=30)
                    if event["type"] == kind and event["draft_id"] == draft_id:
                        return event["received"]

            for index in range(clicks):
                headers = {"X-Phigate-User": "social1"}
                body = {"text": texts[index % len(texts)], "network": "facebook"}
                async with session.post(base + "/api/drafts", json=body, headers=headers) as response:
                    draft = await response.json()
                await wait_for("cards.post", draft["id"])
                approver = "legal1" if index % 2 == 0 else "comms1"
                clicked = time.perf_counter()
                async with session.post(
                    base + f"/api/drafts/{draft['id']}/decisions",
                    json={"decision": "approve", "version": 1},
                    headers={"X-Phigate-User": approver},
                ) as response:
                    assert response.status == 200, await response.text()
                    acked = time.perf_counter()
                updated = await wait_for("cards.update", draft["id"])
                acks.append(acked - clicked)
                updates.append(updated - clicked)
            listener.cancel()
    finally:
        server.terminate()
        server.wait(timeout=20)
    return {
        "clicks": clicks,
        "ack_p50_ms": percentile(acks, 0.5) * 1000,
        "ack_p95_ms": percentile(acks, 0.95) * 1000,
        "card_p50_ms": percentile(updates, 0.5) * 1000,
        "card_p95_ms": percentile(updates, 0.95) * 1000,
        "card_p99_ms": percentile(updates, 0.99) * 1000,
        "card_mean_ms": statistics.mean(updates) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--drafts", type=int, default=300)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--clicks", type=int, default=80)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    from bot.phi.scanner import Scanner

    scanner = Scanner()
    engines = args.engines.split(",")
    throughput = {
        engine: decisions_per_second(engine, args.drafts, args.threads, scanner.scan) for engine in engines
    }
    clicks = {}
    for engine in engines:
        with database_url(engine) as url:
            clicks[engine] = asyncio.run(click_latency(url, args.clicks))
    print(f"\nDecisions per second ({args.drafts} drafts x 2 approvers, {args.threads} threads, shuffled)")
    print_table(
        ["engine", "decisions/s", "p50 ms", "p95 ms", "p99 ms", "approved", "errors"],
        [
            [
                engine,
                f"{r['per_second']:.0f}",
                f"{r['p50_ms']:.1f}",
                f"{r['p95_ms']:.1f}",
                f"{r['p99_ms']:.1f}",
                f"{r['approved']}/{args.drafts}",
                str(r["errors"]),
            ]
            for engine, r in throughput.items()
        ],
        args.markdown,
    )
    print(f"\nClick to updated card ({args.clicks} approvals over HTTP, sandbox notifier, server subprocess)")
    keys = ["ack_p50_ms", "ack_p95_ms", "card_p50_ms", "card_p95_ms", "card_p99_ms"]
    print_table(
        ["engine", "ack p50 ms", "ack p95 ms", "card p50 ms", "card p95 ms", "card p99 ms"],
        [[engine, *(f"{row[key]:.1f}" for key in keys)] for engine, row in clicks.items()],
        args.markdown,
    )


def print_table(header: list[str], rows: list[list[str]], markdown: bool) -> None:
    bar = "|" if markdown else " "
    for index, cells in enumerate([header, *rows]):
        print(f"{bar} " + f" {bar} ".join(cells) + f" {bar}")
        if markdown and index == 0:
            print("|" + "---|" * len(header))


if __name__ == "__main__":
    main()
