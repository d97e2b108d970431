"""Running ``phigate doctor`` in-process in tests, and reading its findings."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from storage import migrate
from storage.db import Database


@pytest.fixture
def doctor(monkeypatch: pytest.MonkeyPatch, capsys):
    """Run ``phigate doctor`` in-process with a clean environment plus ``env``."""
    from handlers.cli.main import main

    def run(*args: str, **env: str) -> tuple[int, str]:
        for name in list(os.environ):
            if name.startswith(("PHIGATE_", "SLACK_", "Microsoft")):
                monkeypatch.delenv(name)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        code = main(["doctor", *args])
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    return run


def line(output: str, check: str) -> str:
    """The line of the check named exactly ``check``, with its fix line when there is one."""
    lines = output.splitlines()
    for index, current in enumerate(lines):
        parts = re.split(r"\s{2,}", current.strip(), maxsplit=2)
        if len(parts) == 3 and parts[0] in ("OK", "WARN", "FAIL", "SKIP") and parts[1] == check:
            fix = lines[index + 1] if index + 1 < len(lines) and "fix:" in lines[index + 1] else ""
            return current + "\n" + fix
    raise AssertionError(f"no {check!r} line in:\n{output}")


def migrated_sqlite(tmp_path: Path) -> str:
    """The URL of a new SQLite database at the newest schema."""
    url = f"sqlite:///{tmp_path / 'phigate.db'}"
    db = Database(url)
    migrate.upgrade(db)
    db.dispose()
    return url
