"""Browser fixtures: Debian's Chromium driven by Playwright (installed on first use when missing)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _install_chromium() -> str | None:
    """Install Debian's chromium package; None on success, else why it could not be installed."""
    apt = shutil.which("apt-get")
    if apt is None:
        return "apt-get is not available on this machine"
    prefix: list[str] = []
    if os.geteuid() != 0:
        sudo = shutil.which("sudo")
        if sudo is None:
            return "installing chromium needs root (run `apt-get install -y chromium` as root)"
        prefix = [sudo, "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    lock = ["-o", "DPkg::Lock::Timeout=300"]
    for command in ([apt, *lock, "update"], [apt, *lock, "install", "-y", "chromium"]):
        try:
            done = subprocess.run(
                [*prefix, *command], env=env, capture_output=True, text=True, timeout=900, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"`{' '.join(command)}` failed: {error}"
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            return f"`{' '.join(command)}` exited with {done.returncode}: {' / '.join(tail)}"
    if not CHROMIUM.exists():
        return f"the chromium package is installed but {CHROMIUM} is still missing"
    return None


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The path of Debian's Chromium, installed with apt-get when missing (fails in CI if impossible)."""
    if not CHROMIUM.exists():
        problem = _install_chromium()
        if problem is not None:
            message = f"the browser tests need {CHROMIUM}: {problem}"
            if _in_ci():
                pytest.fail(f"{message} (CI=true: the browser tests must run)", pytrace=False)
            pytest.skip(message)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[object]:
    """One headless Chromium for the whole run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
