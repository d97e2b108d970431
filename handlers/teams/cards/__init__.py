"""Adaptive Cards (schema 1.5) for the Teams surface: pure functions from domain objects to dicts.

No I/O and no botbuilder: the bot and the notifier wrap these in attachments. Static shapes live in
``resources/*.json``; the modules fill them and build the dynamic parts. User text is escaped for
Teams' markdown or placed in ``TextRun`` elements (rendered literally), and every card stays within
Teams' message size (:data:`handlers.teams.cards.elements.CARD_BYTES`).
"""

from handlers.teams.cards.author import author_draft_card, author_outcome_card
from handlers.teams.cards.elements import CARD_BYTES, size
from handlers.teams.cards.messages import error_card, help_card, submit_form_card
from handlers.teams.cards.review import reminder_card, review_card, status_card
from handlers.teams.cards.scan import pasted_message_card, scan_result_card
from handlers.teams.cards.text import escape
from handlers.teams.cards.threads import thread_text

__all__ = [
    "CARD_BYTES",
    "author_draft_card",
    "author_outcome_card",
    "error_card",
    "escape",
    "help_card",
    "pasted_message_card",
    "reminder_card",
    "review_card",
    "scan_result_card",
    "size",
    "status_card",
    "submit_form_card",
    "thread_text",
]
