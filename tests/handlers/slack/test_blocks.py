"""Review cards, thread lines, reminders, status, help and errors as Block Kit (pure rendering)."""

from __future__ import annotations

import dataclasses
import html

import pytest

from bot.cards import ReviewCard, review_card
from bot.config import Settings
from bot.models import DecisionKind, Status
from bot.phi.categories import EXPLANATION, Category
from handlers.slack import ids
from handlers.slack.blocks import (
    error_blocks,
    escape,
    help_blocks,
    reminder_text,
    review_card_message,
    status_blocks,
    thread_reply_text,
)
from tests.handlers.slack.test_blocks_validator import (
    BLOCK_TEXT,
    CANARY,
    COMMS_ID,
    COMMS_NAME,
    HOSTILE,
    LEGAL_NAME,
    POST,
    block_scan,
    buttons,
    decision,
    find,
    joined,
    make_draft,
    message_problems,
    mrkdwn_texts,
    progress,
    scan,
)

SETTINGS = Settings.load(env={"PHIGATE_CARDS__FULL_TEXT_CHANNELS": "slack:C_LEGAL"})


def card_for(
    draft, prog=None, *, channel="slack:C_LEGAL", show_full_text=True, duplicates=None
) -> ReviewCard:
    return review_card(
        SETTINGS,
        draft,
        progress() if prog is None else prog,
        channel=channel,
        duplicates=duplicates,
        show_full_text=show_full_text,
    )


def rendered(card: ReviewCard) -> tuple[list[dict], str]:
    blocks, fallback = review_card_message(card)
    assert message_problems(blocks) == []
    assert CANARY not in fallback
    return blocks, fallback


def quoted_text(blocks: list[dict]) -> str:
    """The quoted lines of ``blocks`` joined back (escapes undone, quote markers dropped)."""
    lines = []
    for text in mrkdwn_texts(blocks):
        lines += [
            line[2:] if line.startswith("> ") else "" for line in text.split("\n") if line.startswith(">")
        ]
    return html.unescape("\n".join(lines)).replace("\u200b", "")


# -- escape -----------------------------------------------------------------------------------------
def test_escape_neutralises_mentions_links_and_ampersands() -> None:
    assert escape("<!channel> & <https://evil|x>") == "&lt;!channel&gt; &amp; &lt;https://evil|x&gt;"
    assert escape("plain") == "plain"


# -- review cards -----------------------------------------------------------------------------------
def test_pending_card_shows_everything_an_approver_needs() -> None:
    result = block_scan()
    draft = make_draft(BLOCK_TEXT, result=result, context="Patient praised the ortho team publicly.")
    blocks, fallback = rendered(card_for(draft))
    text = joined(blocks)
    assert blocks[0]["type"] == "header" and "D-ab12cd34" in blocks[0]["text"]["text"]
    for expected in ("Sam Rivera", "Facebook", "Waiting for approval", "⛔", "PHI found", "0.97"):
        assert expected in text
    assert f"<{POST}|{POST}>" in text
    assert "Medical record number" in text and EXPLANATION[Category.MEDICAL_RECORD_NUMBER] in text
    assert "Author's note:* Patient praised the ortho team publicly." in text
    assert "*Draft* (exactly as submitted)" in text
    assert quoted_text(blocks) == BLOCK_TEXT
    assert "Legal ⏳ 0/1 · Comms ⏳ 0/1" in text
    assert fallback == "Reply draft D-ab12cd34 for Facebook: Waiting for approval"


def test_pending_card_buttons_carry_the_draft_and_version() -> None:
    draft = make_draft(number=3)
    blocks, _ = rendered(card_for(draft))
    found = buttons(blocks)
    assert list(found) == [ids.APPROVE, ids.APPROVE_WITH_EDITS, ids.REJECT]
    assert found[ids.APPROVE]["style"] == "primary"
    assert found[ids.REJECT]["style"] == "danger" and "confirm" not in found[ids.REJECT]
    assert "style" not in found[ids.APPROVE_WITH_EDITS]
    for element in found.values():
        assert ids.parse_value(element["value"]) == {"d": "D-ab12cd34", "v": 3}
    assert blocks[-1]["type"] == "actions"


def test_preview_card_hides_matched_words_and_offers_the_full_text_where_allowed() -> None:
    draft = make_draft(BLOCK_TEXT, result=block_scan())
    blocks, _ = rendered(card_for(draft, show_full_text=False))
    text = joined(blocks)
    assert CANARY not in text and "12345678" not in text
    assert "*Redacted preview*" in text and "[MEDICAL_RECORD_NUMBER]" in text
    view = buttons(blocks)[ids.SHOW_FULL_TEXT]
    assert ids.parse_value(view["value"]) == {"d": "D-ab12cd34", "v": 1}

    elsewhere, _ = rendered(card_for(draft, channel="slack:C_OTHER", show_full_text=True))
    assert CANARY not in joined(elsewhere)
    assert ids.SHOW_FULL_TEXT not in buttons(elsewhere)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.APPROVED, "*Approved by Priya Natarajan — final approver*"),
        (Status.REJECTED, "*Rejected by Priya Natarajan (Contains PHI)*"),
        (Status.EXPIRED, "*Expired without a decision.*"),
        (Status.WITHDRAWN, "*Withdrawn by the author (Sam Rivera).*"),
        (Status.POSTED, "Approved by Priya Natarajan — final approver. Posted by the author."),
    ],
)
def test_final_cards_have_no_buttons_and_say_how_they_ended(status: Status, expected: str) -> None:
    decisions = [decision(), decision(actor=COMMS_ID, name=COMMS_NAME, group="comms", minutes=9)]
    if status is Status.REJECTED:
        decisions[-1] = decision(
            DecisionKind.REJECT, actor=COMMS_ID, name=COMMS_NAME, group="comms", reason="contains_phi"
        )
    final = {} if status in (Status.EXPIRED, Status.WITHDRAWN) else {"final_approver_name": COMMS_NAME}
    draft = make_draft(status=status, decisions=decisions, **final)
    blocks, fallback = rendered(card_for(draft, progress(1, 1)))
    assert buttons(blocks) == {}
    assert expected in joined(blocks)
    assert fallback.endswith(review_card(SETTINGS, draft, [], channel="slack:C_LEGAL").status_label)
    assert f"{LEGAL_NAME} (legal) approved v1" in joined(blocks)


def test_card_shows_warnings_for_duplicates_override_and_edits() -> None:
    draft = make_draft(
        BLOCK_TEXT, result=block_scan(), override_justification="The patient posted this publicly."
    )
    draft.versions[0].reason = "edited_by_approver"
    blocks, _ = rendered(card_for(draft, duplicates=["D-zz99yy88"]))
    text = joined(blocks)
    assert "Legal must acknowledge it to approve" in text
    assert "D-zz99yy88" in text
    assert "edited by an approver" in text


def test_user_text_cannot_mention_link_or_break_formatting() -> None:
    draft = make_draft(
        HOSTILE,
        author_name="Eve <!here> & co",
        in_reply_to="javascript:alert(1)",
        context="see <https://evil.example|here>",
    )
    blocks, fallback = rendered(card_for(draft))
    everything = "\n".join(mrkdwn_texts(blocks)) + fallback
    for raw in (
        "<!channel>",
        "<https://evil.example|your results>",
        "<@U999>",
        "<!here>",
        "<https://evil.example|here>",
    ):
        assert raw not in everything
    assert "&lt;!channel&gt;" in everything and "Eve &lt;!here&gt; &amp; co" in everything
    assert "```" not in everything  # fences in the draft are broken up
    assert "<javascript" not in everything and "javascript:alert(1)" in everything
    assert quoted_text(blocks) == HOSTILE


def test_links_are_linked_only_when_safe() -> None:
    query = "https://example.org/post?id=1&ref=2"
    blocks, _ = rendered(card_for(make_draft(in_reply_to=query)))
    assert "<https://example.org/post?id=1&amp;ref=2|https://example.org/post?id=1&amp;ref=2>" in joined(
        blocks
    )
    spaced, _ = rendered(card_for(make_draft(in_reply_to="https://a.example/x y|z>")))
    assert "https://a.example/x y|z&gt;" in joined(spaced)
    empty, _ = rendered(card_for(make_draft(in_reply_to="")))
    assert "_not given_" in joined(empty)


def test_long_draft_many_findings_long_names_and_many_decisions_stay_within_limits() -> None:
    line = "Thank you & welcome <back> to our ward, " * 6
    text = "\n".join([line] * 30)[:3000]
    findings = [
        find(text, "ward", Category.CLINICAL_DETAIL, 0.5, explanation=f"Reason {n} " * 30) for n in range(40)
    ]
    long_name = "Dr. " + "Very-Long-Name " * 40
    decisions = [decision(name=long_name, minutes=n, number=1) for n in range(30)]
    draft = make_draft(
        text,
        result=scan(text, findings),
        author_name=long_name,
        in_reply_to="https://facebook.com/" + "p" * 2500,
        context="c&<>" * 500,
        decisions=decisions,
    )
    for show in (True, False):
        blocks, _ = rendered(
            card_for(draft, duplicates=[f"D-{n:08d}" for n in range(200)], show_full_text=show)
        )
        assert len(blocks) <= 50
        assert blocks[-1]["type"] == "actions"
    full, _ = rendered(card_for(draft))
    assert quoted_text(full) == text
    assert "more kinds of finding" in joined(full)
    assert "earlier decisions not shown" in joined(full)


@pytest.mark.parametrize(
    "text",
    [
        "x" * 3000,  # one line
        "&" * 3000,  # five times longer once escaped
        "😀" * 3000,  # two UTF-16 units each
        "a b " * 750,
        "\n" * 1500 + "y" * 1500,
    ],
    ids=["one-line", "ampersands", "emoji", "words", "blank-lines"],
)
def test_3000_character_drafts_fit_and_read_back_whole(text: str) -> None:
    blocks, _ = rendered(card_for(make_draft(text)))
    quoted = quoted_text(blocks)
    assert quoted.replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_purged_text_shows_the_retention_notice() -> None:
    draft = make_draft(None, result=scan(""))
    blocks, _ = rendered(card_for(draft))
    assert "[text removed by the retention policy]" in joined(blocks)


def test_card_with_every_group_skipped_or_unknown_reasons_still_renders() -> None:
    card = dataclasses.replace(card_for(make_draft()), progress_line="", decisions=("odd line <x>",))
    blocks, _ = rendered(card)
    assert "none needed" in joined(blocks) and "odd line &lt;x&gt;" in joined(blocks)


# -- thread lines and reminders ------------------------------------------------------------------------
def test_thread_lines_name_who_did_what_and_never_quote_the_draft() -> None:
    approved = make_draft(
        BLOCK_TEXT,
        result=block_scan(),
        status=Status.APPROVED,
        decisions=[decision(), decision(actor=COMMS_ID, name=COMMS_NAME, group="comms", minutes=9)],
        final_approver=COMMS_ID,
        final_approver_name=COMMS_NAME,
    )
    assert thread_reply_text(approved, "approved") == (
        "Priya Natarajan (comms) approved version 1 — final approver. The reply is approved."
    )
    pending = make_draft(BLOCK_TEXT, result=block_scan(), decisions=[decision()])
    assert thread_reply_text(pending, "approved") == "Dana Whitfield (legal) approved version 1."
    rejected = make_draft(
        BLOCK_TEXT,
        result=block_scan(),
        status=Status.REJECTED,
        decisions=[decision(DecisionKind.REJECT, reason="confirms_patient", comment=CANARY)],
    )
    assert thread_reply_text(rejected, "rejected") == (
        "Dana Whitfield (legal) rejected version 1: Confirms someone is a patient. The review is closed."
    )
    for event in (
        "approved",
        "rejected",
        "edited",
        "expired",
        "withdrawn",
        "posted",
        "resubmitted",
        "override",
        "?",
    ):
        for draft in (approved, pending, rejected):
            line = thread_reply_text(draft, event)
            assert CANARY not in line and "12345678" not in line
            assert line and "\n" not in line


def test_thread_line_for_an_edit_names_the_editor() -> None:
    draft = make_draft(decisions=[decision(number=2)], number=2)
    draft.versions[0].created_by = "slack:U2"
    assert thread_reply_text(draft, "edited").startswith(
        "Dana Whitfield (legal) edited the draft (version 2)"
    )
    draft.status = Status.BLOCKED
    assert "blocked the new text" in thread_reply_text(draft, "edited")
    posted = make_draft(status=Status.POSTED, posted_link="https://facebook.com/p/2")
    assert thread_reply_text(posted, "posted") == (
        "Sam Rivera marked draft D-ab12cd34 as posted: <https://facebook.com/p/2|https://facebook.com/p/2>"
    )


def test_thread_lines_escape_names() -> None:
    draft = make_draft(author_name="<!channel>", decisions=[decision(name="<@U1>")])
    assert "&lt;!channel&gt; withdrew" in thread_reply_text(draft, "withdrawn")
    assert thread_reply_text(draft, "approved").startswith("&lt;@U1&gt; (legal)")


def test_reminder_text() -> None:
    draft = make_draft(BLOCK_TEXT, result=block_scan())
    assert reminder_text(draft, ["legal", "comms"], hours_left=1.6) == (
        "Reminder: reply draft D-ab12cd34 for Facebook expires in about 2 hours without a decision. "
        "Waiting for: Legal, Comms."
    )
    assert "in less than an hour" in reminder_text(draft, ["comms"], hours_left=0.2)
    assert "about 1 hour " in reminder_text(draft, [], hours_left=1.2)
    assert CANARY not in reminder_text(draft, [], hours_left=0)


# -- /phigate status, help, errors ----------------------------------------------------------------------
def test_status_blocks_summarise_without_draft_text() -> None:
    draft = make_draft(
        BLOCK_TEXT,
        result=block_scan(),
        status=Status.REJECTED,
        decisions=[decision(), decision(DecisionKind.REJECT, reason="off_brand", minutes=30)],
        final_approver_name=LEGAL_NAME,
        rejection_reason="off_brand",
        final_at=decision().at,
    )
    blocks = status_blocks(draft, progress(1, 0))
    assert message_problems(blocks) == []
    text = joined(blocks)
    assert CANARY not in text and "12345678" not in text
    for expected in (
        "Draft D-ab12cd34",
        "Rejected",
        "⛔",
        "Medical record number",
        "Clinical detail",
        "Name",
    ):
        assert expected in text
    assert "*Rejected by Dana Whitfield (Off brand)*" in text
    assert "rejected: Off brand version 1" in text
    assert "<!date^" in text


def test_status_blocks_with_many_decisions_fit() -> None:
    draft = make_draft(decisions=[decision(minutes=n, name="N" * 300) for n in range(80)])
    blocks = status_blocks(draft, progress())
    assert message_problems(blocks) == []
    assert "68 earlier decisions not shown" in joined(blocks)
    assert "Expires" in joined(blocks)


@pytest.mark.parametrize("configured", [True, False])
@pytest.mark.parametrize("can_export", [True, False])
def test_help_lists_the_subcommands(configured: bool, can_export: bool) -> None:
    blocks = help_blocks(reviews_configured=configured, can_export=can_export)
    assert message_problems(blocks) == []
    text = joined(blocks)
    for expected in (
        "`/phigate`",
        "/phigate scan &lt;text&gt;",
        "/phigate status &lt;id&gt;",
        "/phigate help",
        "Submit reply for approval",
    ):
        assert expected in text
    assert ("export &lt;since&gt; &lt;until&gt; [csv|jsonl]" in text) is can_export
    assert ("PHIGATE_SLACK_LEGAL_CHANNEL and PHIGATE_SLACK_COMMS_CHANNEL" in text) is not configured


def test_error_blocks_escape_and_fit() -> None:
    blocks = error_blocks("This card is out of date <!channel>", "Version 2 is under review.")
    assert message_problems(blocks) == []
    assert joined(blocks) == "*This card is out of date &lt;!channel&gt;*\nVersion 2 is under review."
    long = error_blocks("x" * 5000, "y & " * 5000)
    assert message_problems(long) == [] and len(long) <= 5
    assert message_problems(error_blocks("")) == []


# -- purity -----------------------------------------------------------------------------------------------
def test_block_modules_are_pure() -> None:
    import ast
    from pathlib import Path

    import handlers.slack.blocks as package

    for path in Path(package.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        roots = {name.split(".")[0] for name in names}
        assert not roots & {"slack_bolt", "slack_sdk", "logging", "storage", "aiohttp", "sqlalchemy"}, path


def test_blank_lines_stay_inside_the_quote_and_naive_times_are_utc() -> None:
    draft = make_draft("First paragraph.\n\nSecond paragraph.", decisions=[decision()])
    draft.decisions[0].at = draft.decisions[0].at.replace(tzinfo=None)
    blocks, _ = rendered(card_for(draft))
    assert "> First paragraph.\n> \u200b\n> Second paragraph." in joined(blocks)
    status = joined(status_blocks(draft, progress()))
    assert "<!date^1714565100^{date_short_pretty} at {time}|2024-05-01 12:05 UTC>" in status
