"""Draft bodies, reply context and approver comments encrypted at rest; key rotation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.audit import verify
from bot.config import ConfigError, Settings
from storage.crypto import PREFIX, EncryptionKeyError
from storage.db import Database
from tests.conftest import CANARY, canary_draft
from tests.workflow_support import COMMS, LEGAL, REVIEW, Workflow

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()
DRAFT = canary_draft("Thanks for writing in, {canary}! Please call our patient relations team.")
CONTEXT = canary_draft("{canary} asked about the parking garage")


@pytest.fixture
def url(database: Database) -> str:
    return database.url.render_as_string(hide_password=False)


@pytest.fixture
def keyed(url: str) -> Iterator[Database]:
    db = Database(url, encryption_keys=KEY_A)
    yield db
    db.dispose()


def raw(db: Database) -> list[str]:
    """Every sealed column's stored value, straight from the database."""
    queries = (
        "SELECT text FROM draft_texts",
        "SELECT context FROM drafts",
        "SELECT comment FROM decisions WHERE comment <> ''",
    )
    with db.engine.connect() as connection:
        return [value for query in queries for value in connection.execute(text(query)).scalars() if value]


def reviewed(db: Database, default_scanner) -> str:
    flow = Workflow.create(db, default_scanner.scan)
    draft = flow.submit(DRAFT, context=CONTEXT)
    flow.decide(LEGAL[0], draft, comment=canary_draft("ok for {canary}"))
    flow.decide(COMMS[0], draft)
    return draft.id


def test_with_a_key_no_draft_text_is_stored_in_the_clear(keyed: Database, default_scanner) -> None:
    draft_id = reviewed(keyed, default_scanner)
    stored = raw(keyed)
    assert len(stored) == 3 and all(value.startswith(PREFIX) for value in stored)
    assert not any(CANARY in value for value in stored)
    flow = Workflow.create(keyed, default_scanner.scan)
    draft = flow.get(draft_id)
    assert draft.current.text == DRAFT and draft.context == CONTEXT  # read back transparently
    assert draft.decisions[0].comment == canary_draft("ok for {canary}")
    assert verify(flow.events()).ok


def test_rotation_moves_every_value_to_the_new_key(url: str, keyed: Database, default_scanner) -> None:
    draft_id = reviewed(keyed, default_scanner)
    before = raw(keyed)
    both = Database(url, encryption_keys=f"{KEY_B},{KEY_A}")
    try:
        from storage.keys import rotate

        count = rotate(both, batch=1)  # one row per transaction: the batching is exercised
        assert (count.rewrapped, count.sealed_from_plain) == (3, 0)
        assert set(raw(both)).isdisjoint(before)
    finally:
        both.dispose()
    new_only = Database(url, encryption_keys=KEY_B)
    old_only = Database(url, encryption_keys=KEY_A)
    try:
        assert Workflow.create(new_only, default_scanner.scan).get(draft_id).current.text == DRAFT
        with pytest.raises(EncryptionKeyError, match="does not open with any key"):
            Workflow.create(old_only, default_scanner.scan).get(draft_id)
    finally:
        new_only.dispose()
        old_only.dispose()


def test_plain_rows_keep_working_and_rotate_seals_them(url: str, database: Database, default_scanner) -> None:
    draft_id = reviewed(database, default_scanner)  # written before any key was configured
    assert any(CANARY in value for value in raw(database))
    keyed = Database(url, encryption_keys=KEY_A)
    try:
        assert Workflow.create(keyed, default_scanner.scan).get(draft_id).current.text == DRAFT
        from storage.keys import rotate

        assert rotate(keyed).sealed_from_plain == 3
        assert not any(CANARY in value for value in raw(keyed))
        assert Workflow.create(keyed, default_scanner.scan).get(draft_id).context == CONTEXT
    finally:
        keyed.dispose()


def test_encrypted_rows_without_the_key_give_an_error_naming_the_setting(
    keyed: Database, database: Database, default_scanner
) -> None:
    draft_id = reviewed(keyed, default_scanner)
    with pytest.raises(EncryptionKeyError, match="PHIGATE_ENCRYPTION_KEY is not set") as caught:
        Workflow.create(database, default_scanner.scan).get(draft_id)
    assert CANARY not in str(caught.value)


def test_a_draft_that_looks_encrypted_is_kept_exactly_without_a_key(
    database: Database, default_scanner
) -> None:
    flow = Workflow.create(database, default_scanner.scan)
    for body in (f"{PREFIX}{REVIEW}", f"enc:plain:{REVIEW}", f"enc:{REVIEW}"):
        assert flow.get(flow.submit(body).id).current.text == body


@pytest.mark.parametrize(
    "bad",
    ["not-a-key", f"{KEY_A},short", "x" * 44],
    ids=["not base64", "a good key then a short one", "44 characters, wrong alphabet"],  # stable test ids
)
def test_a_malformed_key_is_a_configuration_error_naming_which(bad: str) -> None:
    with pytest.raises(ConfigError, match="encryption_key") as caught:
        Settings.load(env={"PHIGATE_ENCRYPTION_KEY": bad})
    assert KEY_A not in str(caught.value)
