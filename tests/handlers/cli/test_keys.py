"""``phigate keys generate|rotate``."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from bot.audit import verify
from storage.db import Database
from tests.storage.test_encryption import KEY_A, KEY_B, reviewed
from tests.workflow_support import Workflow


def test_keys_rotate_command_and_its_audit_event(
    database: Database, phigate, default_scanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = database.url.render_as_string(hide_password=False)
    keyed = Database(url, encryption_keys=KEY_A)
    try:
        reviewed(keyed, default_scanner)
        monkeypatch.setenv("PHIGATE_ENCRYPTION_KEY", f"{KEY_B},{KEY_A}")
        code, out, _ = phigate("keys", "rotate")
        assert code == 0
        assert "0 plain values encrypted, 3 encrypted values moved to the first key" in out
        events = Workflow.create(keyed, default_scanner.scan).events()
    finally:
        keyed.dispose()
    assert events[-1].kind == "keys_rotated" and events[-1].data == {"sealed_from_plain": 0, "rewrapped": 3}
    assert verify(events).ok


def test_rotate_without_a_key_says_what_to_set(database_url: str, phigate) -> None:
    code, _, err = phigate("keys", "rotate")
    assert code == 3 and "PHIGATE_ENCRYPTION_KEY is not set" in err


def test_keys_generate_prints_a_usable_key(phigate) -> None:
    code, out, _ = phigate("keys", "generate")
    key = out.strip()
    assert code == 0 and Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"x")) == b"x"
