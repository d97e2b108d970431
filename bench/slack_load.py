"""Slack load: signed Slack requests from many simulated people to real ``phigate serve`` processes.

For each setup (SQLite, PostgreSQL with one replica, PostgreSQL with two replicas sharing the database)
in the same run, with the fake Slack Web API (``tests/handlers/slack/fake_slack.py``) served from this
process as ``SLACK_API_URL``:

1. Submission path: ``--drafts`` harmless drafts are submitted through the ``/phigate`` form
   (signed ``view_submission``), ``--submit-concurrency`` at a time, by several social-team users.
   Timed: each submission's answer (the form shows the scan) and the whole batch until both review
   cards of every draft have been posted (``chat.postMessage`` in the legal and comms channels).
   Drafts per second = drafts / that time: scan + store + two cards.
2. Approvals: ``--approvers`` different people (half legal, half comms) click *Approve* (signed
   ``block_actions``) on the cards, ``--concurrency`` clicks in flight at all times. Timed: each
   click's answer (click to ack, what Slack's 3-second limit applies to) and the batch until every
   decision is committed (rows in ``decisions``, polled from the database). Decisions per second =
   decisions / that time.

The scanner's share of the submission path: the same texts scanned in this process afterwards
(``Scanner().scan``, one thread, warmed up) - scan time per draft against the wall time per draft.

With ``--proxy nginx`` (default when ``nginx`` is installed) every setup is reached through nginx
(``bench/nginx_slack_load.conf``, round robin over the replicas); with ``--proxy none`` the client
round-robins over the replicas itself. Draft text is never printed or logged.

    .venv/bin/python bench/slack_load.py [--drafts 200] [--concurrency 50] [--approvers 50]
        [--setups sqlite,pg1,pg2] [--proxy nginx|none] [--submit-only] [--markdown]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from sqlalchemy import create_engine, text

from bench.common import ROOT
from bench.workflow_speed import database_url, harmless_texts, percentile, print_table
from handlers.slack import ids
from storage.db import normalize_url
from tests.handlers.slack.fake_slack import FakeSlack
from tests.handlers.slack.support import SlackClient, plain, select, sign, state_value

SECRET = "bench-signing-secret"
LEGAL, COMMS = "C_LEGAL", "C_COMMS"
NGINX_CONF = ROOT / "bench/nginx_slack_load.conf"
SETUPS = {"sqlite": ("sqlite", 1), "pg1": ("postgresql", 1), "pg2": ("postgresql", 2)}


class _Prepared(SlackClient):
    """SlackClient's payload builders, but ``post`` hands back the body instead of sending it."""

    def post(self, body, content_type, timestamp=None, signature=None, headers=None):  # type: ignore[override]
        return body.encode() if isinstance(body, str) else body, content_type


@dataclass
class People:
    legal: list[str]
    comms: list[str]
    social: list[str]

    @classmethod
    def make(cls, approvers: int, submitters: int) -> People:
        half = max(1, approvers // 2)
        return cls(
            [f"UL{n:03d}" for n in range(half)],
            [f"UC{n:03d}" for n in range(max(1, approvers - half))],
            [f"US{n:03d}" for n in range(submitters)],
        )

    def groups(self) -> dict[str, list[str]]:
        return {
            "legal": [ids.user_id(u) for u in self.legal],
            "comms": [ids.user_id(u) for u in self.comms],
            "social": [ids.user_id(u) for u in self.social],
        }


@dataclass
class Result:
    setup: str
    submit_acks: list[float] = field(default_factory=list)
    submit_wall: float = 0.0
    drafts: int = 0
    click_acks: list[float] = field(default_factory=list)
    click_wall: float = 0.0
    decisions: int = 0
    approved: int = 0
    errors: int = 0
    user_errors: int = 0
    client_cpu: float = 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(url: str, fake: FakeSlack, people: People) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PHIGATE_", "SLACK_"))}
    return {
        **env,
        "PHIGATE_DATABASE_URL": url,
        "PHIGATE_LOG_LEVEL": "WARNING",
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "PHIGATE_SLACK_LEGAL_CHANNEL": LEGAL,
        "PHIGATE_SLACK_COMMS_CHANNEL": COMMS,
        "PHIGATE_IDENTITY__GROUPS": json.dumps(people.groups()),
        "PHIGATE_IDENTITY__SUBMITTERS": "social",
    }


CLI = [sys.executable, "-m", "handlers.cli.main"]


@contextlib.contextmanager
def servers(url: str, replicas: int, env: dict[str, str], log_dir: Path | None):
    if url.startswith("postgresql"):
        subprocess.run([*CLI, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    ports = [free_port() for _ in range(replicas)]
    procs = []
    for index, port in enumerate(ports):
        out = (log_dir / f"serve-{index}.log").open("wb") if log_dir else subprocess.DEVNULL
        procs.append(
            subprocess.Popen(
                [*CLI, "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        )
    try:
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextlib.contextmanager
def nginx(bases: list[str]):
    folder = Path(tempfile.mkdtemp(prefix="phigate-nginx-"))
    folder.chmod(0o755)  # nginx's workers run as nobody when the bench runs as root
    port = free_port()
    upstream = "\n".join(f"        server {base.removeprefix('http://')};" for base in bases)
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.read_text().format(prefix=folder, listen=port, servers=upstream))
    proc = subprocess.Popen(
        ["nginx", "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield [f"http://127.0.0.1:{port}"]
    finally:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(folder, ignore_errors=True)


async def wait_healthy(session: aiohttp.ClientSession, bases: list[str]) -> None:
    for base in bases:
        last: object = None
        for _ in range(600):
            try:
                async with session.get(base + "/healthz") as response:
                    last = response.status
                    if response.status == 200:
                        break
            except aiohttp.ClientError as exc:
                last = exc
            await asyncio.sleep(0.1)
        else:
            raise RuntimeError(f"{base} did not become healthy: {last}")


class Sender:
    """Signs prepared Slack bodies and posts them, round robin over ``bases``."""

    def __init__(self, session: aiohttp.ClientSession, bases: list[str]) -> None:
        self.session = session
        self.targets = itertools.cycle([base + "/slack/events" for base in bases])

    async def send(self, prepared: tuple[bytes, str]) -> tuple[int, float, bytes]:
        body, content_type = prepared
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": sign(SECRET, stamp, body),
        }
        started = time.perf_counter()
        async with self.session.post(next(self.targets), data=body, headers=headers) as response:
            answer = await response.read()
            return response.status, time.perf_counter() - started, answer


def form_values(body: str) -> dict[str, Any]:
    return (
        state_value(*ids.NETWORK_INPUT, select("facebook"))
        | state_value(*ids.TEXT_INPUT, plain(body))
        | state_value(*ids.LINK_INPUT, plain("https://facebook.com/stmarys/posts/1"))
        | state_value(*ids.CONTEXT_INPUT, plain("Reply to a review on our page"))
    )


def cards(fake: FakeSlack, channel: str) -> dict[str, str]:
    """draft id -> ts of its review card in ``channel`` (read from the Approve button's value)."""
    found = {}
    for message in fake.messages(channel):
        for block in message.get("blocks") or []:
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                if element.get("action_id") == ids.APPROVE:
                    value = ids.parse_value(element.get("value"))
                    found.setdefault(value.get("d"), message["ts"])
    found.pop(None, None)
    return found


async def until(probe, timeout: float, interval: float = 0.02) -> float:
    deadline = time.perf_counter() + timeout
    while not probe():
        if time.perf_counter() > deadline:
            raise TimeoutError("the servers did not finish in time")
        await asyncio.sleep(interval)
    return time.perf_counter()


async def run_setup(
    name: str,
    replicas: list[str],
    bases: list[str],
    fake: FakeSlack,
    people: People,
    url: str,
    args: argparse.Namespace,
) -> Result:
    result = Result(name)
    builder = _Prepared("http://unused", SECRET, fake=fake)
    texts = harmless_texts()
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await wait_healthy(session, replicas)
        await wait_healthy(session, bases)
        sender = Sender(session, bases)
        serial = itertools.count()

        async def submit(index: int) -> None:
            values = form_values(texts[index % len(texts)])
            user = people.social[index % len(people.social)]
            view_id = f"VB{next(serial):06d}"
            status, elapsed, _ = await sender.send(
                builder.view_submission(ids.SUBMIT_VIEW, values, user=user, view_id=view_id)
            )
            if status != 200:
                result.errors += 1
            return elapsed

        # Warm-up (not timed): the first requests of each process load lazily initialised parts.
        for index in range(2 * len(bases)):
            await submit(index)
        await until(lambda: min(len(cards(fake, LEGAL)), len(cards(fake, COMMS))) >= 2 * len(bases), 120)
        fake.reset()

        queue: asyncio.Queue[int] = asyncio.Queue()
        for index in range(args.drafts):
            queue.put_nowait(index)

        async def submitter() -> None:
            while not queue.empty():
                result.submit_acks.append(await submit(queue.get_nowait()))

        started = time.perf_counter()
        await asyncio.gather(*(submitter() for _ in range(args.submit_concurrency)))

        def all_cards() -> bool:
            return len(cards(fake, LEGAL)) >= args.drafts and len(cards(fake, COMMS)) >= args.drafts

        result.submit_wall = await until(all_cards, 300) - started
        result.drafts = args.drafts
        if args.submit_only:
            return result

        engine = create_engine(normalize_url(url))

        def committed() -> int:
            with engine.connect() as connection:
                return connection.execute(text("SELECT count(*) FROM decisions")).scalar_one()

        base_count = committed()
        clicks: dict[str, asyncio.Queue[tuple[str, str]]] = {}
        for channel in (LEGAL, COMMS):
            clicks[channel] = asyncio.Queue()
            for draft_id, ts in cards(fake, channel).items():
                clicks[channel].put_nowait((draft_id, ts))
        expected = sum(q.qsize() for q in clicks.values())
        in_flight = asyncio.Semaphore(args.concurrency)

        async def approver(user: str, channel: str) -> None:
            while not clicks[channel].empty():
                draft_id, ts = clicks[channel].get_nowait()
                prepared = builder.block_action(
                    ids.APPROVE, ids.card_value(draft_id, 1), user=user, channel=channel, message_ts=ts
                )
                async with in_flight:
                    status, elapsed, _ = await sender.send(prepared)
                result.click_acks.append(elapsed)
                if status != 200:
                    result.errors += 1

        started, cpu = time.perf_counter(), time.process_time()
        workers = [approver(user, LEGAL) for user in people.legal]
        workers += [approver(user, COMMS) for user in people.comms]
        await asyncio.gather(*workers)
        loop = asyncio.get_running_loop()
        done = started
        while True:
            count = await loop.run_in_executor(None, committed) - base_count
            done = time.perf_counter()
            if count >= expected or done - started > 300:
                break
            await asyncio.sleep(0.02)
        result.click_wall = done - started
        result.client_cpu = (time.process_time() - cpu) / result.click_wall
        result.decisions = count
        with engine.connect() as connection:
            result.approved = connection.execute(
                text("SELECT count(*) FROM drafts WHERE status = 'approved'")
            ).scalar_one()
        engine.dispose()
        result.user_errors = len(fake.responses.get("action", []))
    return result


def scan_seconds(count: int) -> list[float]:
    from bot.phi.scanner import Scanner

    scanner = Scanner()
    texts = harmless_texts()
    for body in texts[:5]:
        scanner.scan(body)
    times = []
    for index in range(count):
        started = time.perf_counter()
        scanner.scan(texts[index % len(texts)])
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--drafts", type=int, default=200, help="drafts per setup (2 clicks each)")
    parser.add_argument("--concurrency", type=int, default=50, help="clicks in flight")
    parser.add_argument("--approvers", type=int, default=50, help="people clicking (half legal, half comms)")
    parser.add_argument("--submitters", type=int, default=5)
    parser.add_argument("--submit-concurrency", type=int, default=10)
    parser.add_argument("--setups", default="sqlite,pg1,pg2")
    parser.add_argument(
        "--proxy", choices=["nginx", "none"], default="nginx" if shutil.which("nginx") else "none"
    )
    parser.add_argument("--submit-only", action="store_true", help="only the submission path")
    parser.add_argument("--server-logs", type=Path, help="keep the servers' logs in this folder")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    people = People.make(args.approvers, args.submitters)
    if args.server_logs:
        args.server_logs.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    with FakeSlack() as fake:
        for setup in args.setups.split(","):
            engine, replicas = SETUPS[setup]
            fake.reset()
            with database_url(engine) as url:
                env = server_env(url, fake, people)
                logs = args.server_logs / setup if args.server_logs else None
                if logs:
                    logs.mkdir(exist_ok=True)
                with servers(url, replicas, env, logs) as bases:
                    front = nginx(bases) if args.proxy == "nginx" else contextlib.nullcontext(bases)
                    with front as targets:
                        results.append(asyncio.run(run_setup(setup, bases, targets, fake, people, url, args)))
            print(f"{setup}: done", file=sys.stderr)
    scans = scan_seconds(min(args.drafts, 200))
    report(results, scans, args)


def report(results: list[Result], scans: list[float], args: argparse.Namespace) -> None:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    print(
        f"\nmachine: nproc {os.cpu_count()}, {cpu}, Python {platform.python_version()}; "
        f"proxy: {args.proxy}; {args.drafts} drafts per setup; "
        f"{args.approvers} approvers, {args.concurrency} clicks in flight; "
        f"{args.submit_concurrency} submissions in flight"
    )
    scan_ms = statistics.mean(scans) * 1000
    first = {r.setup: r for r in results}
    print(
        f"\nSubmission path (form submission -> scan + store -> both review cards posted); in-process scan {scan_ms:.1f} ms/draft"
    )
    rows = []
    for r in results:
        per_second = r.drafts / r.submit_wall
        rows.append(
            [
                r.setup,
                f"{per_second:.1f}",
                f"{percentile(r.submit_acks, 0.5) * 1000:.0f}",
                f"{percentile(r.submit_acks, 0.95) * 1000:.0f}",
                f"{percentile(r.submit_acks, 0.99) * 1000:.0f}",
                f"{scan_ms * per_second / 10:.0f} %",
                ratio(per_second, first, "submit", r),
            ]
        )
    print_table(
        ["setup", "drafts/s", "ack p50 ms", "ack p95 ms", "ack p99 ms", "scan share", "vs sqlite / vs pg1"],
        rows,
        args.markdown,
    )
    if args.submit_only:
        return
    print(
        f"\nApprove clicks ({args.concurrency} in flight, {args.approvers} approvers; decisions read from the database)"
    )
    rows = []
    for r in results:
        per_second = r.decisions / r.click_wall
        rows.append(
            [
                r.setup,
                f"{percentile(r.click_acks, 0.5) * 1000:.0f}",
                f"{percentile(r.click_acks, 0.95) * 1000:.0f}",
                f"{percentile(r.click_acks, 0.99) * 1000:.0f}",
                f"{per_second:.1f}",
                ratio(per_second, first, "click", r),
                f"{r.decisions}/{2 * r.drafts}",
                f"{r.approved}/{r.drafts}",
                f"{r.errors} / {r.user_errors}",
                f"{r.client_cpu:.0%}",
            ]
        )
    print_table(
        [
            "setup",
            "ack p50 ms",
            "ack p95 ms",
            "ack p99 ms",
            "decisions/s",
            "vs sqlite / vs pg1",
            "decisions",
            "approved",
            "HTTP errors / errors shown",
            "bench process CPU",
        ],
        rows,
        args.markdown,
    )


def ratio(value: float, results: dict[str, Result], kind: str, row: Result) -> str:
    def rate(r: Result) -> float:
        return r.drafts / r.submit_wall if kind == "submit" else r.decisions / r.click_wall

    parts = [
        f"{value / rate(results[name]):.2f}x" if name in results and name != row.setup else "-"
        for name in ("sqlite", "pg1")
    ]
    return " / ".join(parts)


if __name__ == "__main__":
    main()
