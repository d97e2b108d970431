"""Scanning never reaches the network (PHI must not leave the machine, and hospitals run offline)."""

from __future__ import annotations

import contextlib
import socket

import pytest

from bot.phi import engine
from bot.phi.categories import Category
from bot.phi.result import Verdict
from tests.bot.phi._support import assert_covers


class NetworkUsedError(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple]]:
    """Every attempt to resolve or connect is recorded and fails."""
    calls: list[tuple[str, tuple]] = []

    def refuse(name: str):
        def blocked(*args, **kwargs):
            calls.append((name, args))
            raise NetworkUsedError(f"network access attempted: {name}{args!r}")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    return calls


def test_scanning_email_and_url_opens_no_connection(scanner, no_network) -> None:
    drafts = [
        (
            "We sent your discharge summary to dana.whitlock@outlook.com after your surgery.",
            Category.EMAIL_ADDRESS,
            "dana.whitlock@outlook.com",
        ),
        (
            "We saw your chemo fundraiser at https://www.gofundme.com/f/help-dana-beat-cancer and shared it!",
            Category.URL,
            "gofundme.com/f/help-dana-beat-cancer",
        ),
        (
            "Learn about our heart-health classes at https://www.example-health.co.uk/classes today.",
            None,
            None,
        ),
        ("Questions? Email info@example-hospital.org or visit example-hospital.org/visitors.", None, None),
    ]
    for text, category, value in drafts:
        result = scanner.scan(text)
        if category is not None:
            assert_covers(result, text, category, value)
        else:
            assert result.verdict is Verdict.CLEAR
    assert no_network == []


def test_ensure_offline_makes_tldextract_work_without_network(monkeypatch, tmp_path, no_network) -> None:
    import tldextract
    import tldextract.tldextract as tld

    # Start from tldextract's own default behaviour (fetch the live list), with an empty cache.
    monkeypatch.setattr(engine, "_offline_done", False)
    monkeypatch.setattr(tld, "TLD_EXTRACTOR", tld.TLDExtract(cache_dir=str(tmp_path / "tld-cache")))

    engine.ensure_offline()

    parts = tldextract.extract("https://patients.example-health.co.uk/portal?id=1")
    assert (parts.subdomain, parts.domain, parts.suffix) == ("patients", "example-health", "co.uk")
    parts = tldextract.extract("foundation.lakesideregional.org")
    assert (parts.domain, parts.suffix) == ("lakesideregional", "org")
    assert no_network == []
    assert not (tmp_path / "tld-cache").exists() or not any((tmp_path / "tld-cache").iterdir())


def test_ensure_offline_is_idempotent(no_network) -> None:
    import tldextract.tldextract as tld

    engine.ensure_offline()
    extractor = tld.TLD_EXTRACTOR
    engine.ensure_offline()
    assert tld.TLD_EXTRACTOR is extractor
    parts = tld.TLD_EXTRACTOR("www.example.org")
    assert (parts.domain, parts.suffix) == ("example", "org")
    assert no_network == []


def test_without_the_guard_tldextract_would_reach_the_network(tmp_path, no_network) -> None:
    # Shows that the guard above is what keeps tldextract offline (and that no_network sees attempts).
    import tldextract.tldextract as tld

    unguarded = tld.TLDExtract(cache_dir=str(tmp_path / "tld-cache"))
    with contextlib.suppress(Exception):
        unguarded("www.example.org")
    assert no_network, "tldextract's default extractor fetches the public suffix list"
