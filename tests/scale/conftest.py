"""Fixtures for the scale-out tests: a PostgreSQL (or SQLite) database shared by real server processes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from storage.db import Database
from tests.databases import database_url
from tests.scale.replicas import clean_env, cli

LEGAL = [f"api:legal{n:02d}" for n in range(30)]
COMMS = [f"api:comms{n:02d}" for n in range(30)]
SOCIAL = "api:social1"


@dataclass
class Deployment:
    """A migrated database, the environment every replica gets, and API tokens for its people."""

    url: str
    env: dict[str, str]
    logs: Path
    tokens: dict[str, str] = field(default_factory=dict)

    def open(self) -> Database:
        return Database(self.url)


def make_deployment(engine: str, tmp_path: Path, **settings: str) -> Iterator[Deployment]:
    with database_url(engine, tmp_path) as url:
        env = clean_env(
            PHIGATE_DATABASE_URL=url,
            PHIGATE_IDENTITY__GROUPS=json.dumps({"legal": LEGAL, "comms": COMMS, "social": [SOCIAL]}),
            PHIGATE_IDENTITY__SUBMITTERS="social",
            PHIGATE_SERVER__OUTBOX_POLL_SECONDS="0.2",
            **settings,
        )
        upgraded = cli(env, "db", "upgrade")
        assert upgraded.returncode == 0, upgraded.stderr
        deployment = Deployment(url, env, tmp_path)
        db = deployment.open()
        try:
            for user in [SOCIAL, *LEGAL, *COMMS]:
                deployment.tokens[user] = db.run(lambda tx, user=user: tx.tokens.create(user, "scale test"))[
                    1
                ]
        finally:
            db.dispose()
        yield deployment


@pytest.fixture(params=["sqlite", "postgresql"])
def deployment(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Deployment]:
    yield from make_deployment(request.param, tmp_path)


@pytest.fixture
def postgres_deployment(tmp_path: Path) -> Iterator[Deployment]:
    yield from make_deployment("postgresql", tmp_path)
