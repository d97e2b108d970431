from __future__ import annotations

import pytest

from bot.phi.scanner import Scanner
from tests.bot.phi._support import CONFIGURED, ORGANIZATION


@pytest.fixture(scope="session")
def scanner() -> Scanner:
    """The default scanner (no hospital configuration), loaded once per test session."""
    return Scanner()


@pytest.fixture(scope="session")
def configured_scanner() -> Scanner:
    """A scanner with a hospital's allow-lists and MRN format, loaded once per test session."""
    return Scanner(CONFIGURED, ORGANIZATION)
