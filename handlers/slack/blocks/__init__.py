"""Block Kit for the Slack surface: pure functions from domain objects to plain dicts.

No I/O, no Slack client, no database: listeners and the notifier call these and send the result.
Every builder keeps to Slack's limits (50 blocks per message, 100 per view, 3,000 characters per
section, ...) and escapes user text for mrkdwn.
"""

from handlers.slack.blocks.author import author_draft_blocks, author_outcome_message, pasted_message_blocks
from handlers.slack.blocks.cards import reminder_text, review_card_message, status_blocks, thread_reply_text
from handlers.slack.blocks.home import home_view
from handlers.slack.blocks.messages import error_blocks, help_blocks
from handlers.slack.blocks.modals import (
    acknowledge_modal,
    approve_with_edits_modal,
    full_text_modal,
    override_modal,
    posted_modal,
    reject_modal,
    submit_modal,
    submitted_modal,
)
from handlers.slack.blocks.scan import draft_scan_blocks, scan_result_blocks
from handlers.slack.blocks.text import escape

__all__ = [
    "acknowledge_modal",
    "approve_with_edits_modal",
    "author_draft_blocks",
    "author_outcome_message",
    "draft_scan_blocks",
    "error_blocks",
    "escape",
    "full_text_modal",
    "help_blocks",
    "home_view",
    "override_modal",
    "pasted_message_blocks",
    "posted_modal",
    "reject_modal",
    "reminder_text",
    "review_card_message",
    "scan_result_blocks",
    "status_blocks",
    "submit_modal",
    "submitted_modal",
    "thread_reply_text",
]
