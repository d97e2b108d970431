"""The PHI rule on Teams: a canary in drafts (and in refused requests) reaches no log record."""

from __future__ import annotations

import logging

from bot.logsafety import PhiSafeFilter
from handlers.teams import ids
from tests.conftest import CANARY, canary_draft
from tests.handlers.teams.conftest import LEGAL_CHANNEL, LEGAL_USER, SOCIAL_USER
from tests.handlers.teams.flows import drafts, install, review_cards, verbs
from tests.handlers.teams.support import personal_conversation


class _Written(logging.Handler):
    """Formats records as phigate's own handler does (with the PHI-safe filter)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.addFilter(PhiSafeFilter())
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_no_draft_text_reaches_a_log_record(teams_server, fake_connector, caplog) -> None:
    for name in ("botbuilder", "botframework", "msrest", "handlers", "bot", "storage", "aiohttp"):
        caplog.set_level(logging.DEBUG, logger=name)
    written = _Written()
    logging.getLogger().addHandler(written)
    try:
        server, client = teams_server
        install(client)
        text = canary_draft("Thank you {canary} for the kind words about our maternity nurses!")
        client.message(f"scan {text}", user=SOCIAL_USER)
        client.message(f"submit {text}", user=SOCIAL_USER)
        client.raw(
            b'{"type": "message", "text": "' + text.encode() + b'"',
            headers={"Content-Type": "application/json"},
        )
        fake_connector.fail_next("post", status=429)  # a throttled send is logged too
        (draft,) = drafts(server)
        cards = review_cards(server, fake_connector, draft.id)
        activity_id, card = cards[LEGAL_CHANNEL]
        client.execute(
            ids.APPROVE_WITH_EDITS,
            verbs(card)[ids.APPROVE_WITH_EDITS],
            user=LEGAL_USER,
            conversation=LEGAL_CHANNEL,
            reply_to_id=activity_id,
            inputs={ids.TEXT: text + " See you soon."},
        )
        client.execute(
            ids.APPROVE,
            {ids.DRAFT: text, ids.VERSION: 1},
            user=LEGAL_USER,
            conversation=personal_conversation(LEGAL_USER),
        )
    finally:
        logging.getLogger().removeHandler(written)
    assert written.lines and caplog.records
    assert [line for line in written.lines if CANARY.lower() in line.lower()] == []
    for record in caplog.records:
        assert CANARY.lower() not in record.getMessage().lower(), record.name
