"""What the author sees in Slack: scan results, their submitted draft, the pasted-message reply, DMs."""

from __future__ import annotations

import json

import pytest

from bot.models import DecisionKind, Status
from bot.phi.categories import EXPLANATION, Category
from bot.phi.result import Finding
from handlers.slack import ids
from handlers.slack.blocks import (
    author_draft_blocks,
    author_outcome_message,
    draft_scan_blocks,
    pasted_message_blocks,
    scan_result_blocks,
)
from tests.handlers.slack.test_blocks_validator import (
    BLOCK_TEXT,
    CANARY,
    COMMS_ID,
    COMMS_NAME,
    HOSTILE,
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
    texts,
)

SETTING_NAMES = "PHIGATE_SLACK_LEGAL_CHANNEL and PHIGATE_SLACK_COMMS_CHANNEL"


def valid(blocks: list[dict]) -> list[dict]:
    assert message_problems(blocks) == []
    return blocks


# -- scan results -------------------------------------------------------------------------------------
def test_scan_result_shows_verdict_findings_with_matched_words_preview_and_suggestion() -> None:
    blocks = valid(scan_result_blocks(BLOCK_TEXT, block_scan()))
    text = joined(blocks)
    assert text.startswith("*PHI scan:* ⛔ PHI found: blocked by the scan (risk 0.97)")
    assert f"• *Name* “{CANARY}” — {EXPLANATION[Category.NAME]}" in text
    assert "• *Medical record number* “12345678”" in text
    assert "“your knee surgery went well”" in text
    assert (
        "*Redacted preview*" in text
        and "> Glad [CLINICAL_DETAIL], [NAME]! MRN [MEDICAL_RECORD_NUMBER]" in text
    )
    assert "*Suggested safe reply*\n> Thank you for your kind words!" in text


@pytest.mark.parametrize(("verdict_words", "emoji"), [("review", "⚠️"), ("clear", "✅")])
def test_scan_result_verdict_emoji(verdict_words: str, emoji: str) -> None:
    text = "Sorry your stay on 4 West was so long"
    findings = (
        [find(text, "your stay on 4 West", Category.PATIENT_RELATIONSHIP, 0.5)]
        if verdict_words == "review"
        else []
    )
    blocks = valid(scan_result_blocks(text, scan(text, findings), heading="Scan"))
    assert blocks[0]["text"]["text"].startswith(f"*Scan:* {emoji}")
    if verdict_words == "clear":
        assert "Nothing that looks like PHI was found" in joined(blocks)
        assert "Redacted preview" not in joined(blocks)


def test_matched_words_are_cut_to_80_characters_and_escaped() -> None:
    text = "<!channel> " + "word " * 60
    findings = [Finding(Category.CLINICAL_DETAIL, 0, len(text), 0.5)]
    blocks = valid(scan_result_blocks(text, scan(text, findings)))
    line = next(line for t in mrkdwn_texts(blocks) for line in t.split("\n") if line.startswith("• "))
    span = line.split("“")[1].split("”")[0]
    assert len(span) <= 80 and span.endswith("…")
    assert span.startswith("&lt;!channel&gt;")
    assert "<!channel>" not in joined(blocks)


def test_forty_findings_on_a_long_draft_fit_one_message() -> None:
    text = ("John Smith was in room 12 on May 3. " * 90)[:3000]
    findings = []
    for n, category in enumerate(list(Category) * 2):
        start = (n * 71) % 2900
        findings.append(Finding(category, start, start + 60, 0.95, explanation=f"Because {n} " * 20))
    assert len(findings) >= 40
    result = scan(text, findings, suggestion="S&<" * 1000)
    blocks = valid(pasted_message_blocks(text, result, channel="C1", ts="1.2"))
    assert len(blocks) <= 50
    assert "more kinds of finding" in joined(blocks)
    assert blocks[-1]["type"] == "actions"


def test_repeated_findings_share_a_line() -> None:
    text = "Call John, John or John about your MRI"
    findings = [Finding(Category.NAME, i, i + 4, 0.8) for i in (5, 11, 19)]
    blocks = valid(scan_result_blocks(text, scan(text, findings)))
    assert "• *Name* “John”, “John”, “John” —" in joined(blocks)
    assert "*Findings* (3)" in joined(blocks)


def test_draft_scan_blocks_read_the_stored_scan_and_survive_a_purge() -> None:
    draft = make_draft(BLOCK_TEXT, result=block_scan())
    text = joined(valid(draft_scan_blocks(draft)))
    assert f"“{CANARY}”" in text and "Suggested safe reply" in text
    purged = make_draft(None, result=block_scan())
    text = joined(valid(draft_scan_blocks(purged)))
    assert "“" not in text
    assert "[text removed by the retention policy]" in text
    assert "Medical record number" in text
    later = make_draft(BLOCK_TEXT, result=block_scan(), number=3)
    assert joined(draft_scan_blocks(later)).startswith("*PHI scan of version 3:*")


# -- the author's draft ---------------------------------------------------------------------------------
def test_blocked_draft_offers_override_and_edit() -> None:
    draft = make_draft(BLOCK_TEXT, result=block_scan(), status=Status.BLOCKED, number=2)
    blocks = valid(author_draft_blocks(draft, progress()))
    found = buttons(blocks)
    assert list(found) == [ids.REQUEST_OVERRIDE, ids.EDIT_DRAFT]
    assert all(ids.parse_value(b["value"]) == {"d": "D-ab12cd34", "v": 2} for b in found.values())
    text = joined(blocks)
    assert text.startswith("*Draft D-ab12cd34* · Facebook · Blocked by the PHI scan")
    assert "request an override" in text


def test_pending_draft_offers_withdraw_with_a_confirmation_and_shows_progress() -> None:
    draft = make_draft(decisions=[decision()])
    blocks = valid(author_draft_blocks(draft, progress(1, 0)))
    found = buttons(blocks)
    assert list(found) == [ids.WITHDRAW]
    assert found[ids.WITHDRAW]["confirm"]["confirm"]["text"] == "Withdraw"
    assert "*Approvals:* Legal ✓ 1/1 · Comms ⏳ 0/1" in joined(blocks)
    assert SETTING_NAMES not in joined(blocks)


def test_unconfigured_review_channels_are_named() -> None:
    blocks = valid(author_draft_blocks(make_draft(), progress(), reviews_posted=False))
    assert (
        "Review channels are not configured yet, so no review cards were posted. Ask your phigate admin "
        f"to set {SETTING_NAMES}."
    ) in joined(blocks)


@pytest.mark.parametrize(
    "status", [Status.APPROVED, Status.REJECTED, Status.EXPIRED, Status.WITHDRAWN, Status.POSTED]
)
def test_final_drafts_have_no_author_buttons(status: Status) -> None:
    assert buttons(valid(author_draft_blocks(make_draft(status=status), progress()))) == {}


def test_pasted_message_reply_has_send_and_edit_with_the_message_ref() -> None:
    blocks = valid(pasted_message_blocks(BLOCK_TEXT, block_scan(), channel="C_DRAFTS", ts="1712.000100"))
    found = buttons(blocks)
    assert list(found) == [ids.SEND_FOR_APPROVAL, ids.EDIT_DRAFT]
    assert found[ids.SEND_FOR_APPROVAL]["style"] == "primary"
    for element in found.values():
        assert element["value"] == '{"c":"C_DRAFTS","ts":"1712.000100"}'
        assert ids.parse_value(element["value"]) == {"c": "C_DRAFTS", "ts": "1712.000100"}
    assert "request an override" in joined(blocks)
    clear = valid(pasted_message_blocks("Thanks!", scan("Thanks!"), channel="C", ts="1"))
    assert "override" not in joined(clear)


# -- outcome DMs ------------------------------------------------------------------------------------------
def approved_draft(text: str = BLOCK_TEXT):
    return make_draft(
        text,
        result=scan(text),
        status=Status.APPROVED,
        decisions=[decision(), decision(actor=COMMS_ID, name=COMMS_NAME, group="comms")],
        final_approver=COMMS_ID,
        final_approver_name=COMMS_NAME,
    )


def test_approved_dm_gives_the_exact_text_and_mark_as_posted() -> None:
    blocks, fallback = author_outcome_message(approved_draft(), "approved")
    valid(blocks)
    text = joined(blocks)
    assert "*Your reply D-ab12cd34 for Facebook is approved.* Final approver: Priya Natarajan." in text
    assert f"```\n{BLOCK_TEXT}\n```" in text
    found = buttons(blocks)
    assert list(found) == [ids.MARK_POSTED]
    assert ids.parse_value(found[ids.MARK_POSTED]["value"]) == {"d": "D-ab12cd34", "v": 1}
    assert CANARY not in fallback and "Priya Natarajan" in fallback


@pytest.mark.parametrize(
    "text",
    ["Use ``` fences & <!channel>", "&" * 3000, "😀" * 3000, "Tab\there\n\n  indented <b>"],
    ids=["fence", "ampersands", "emoji", "whitespace"],
)
def test_exact_text_is_shown_verbatim_whatever_it_holds(text: str) -> None:
    blocks, fallback = author_outcome_message(approved_draft(text), "approved")
    valid(blocks)
    plain = [b["text"]["text"] for b in blocks if b.get("text", {}).get("type") == "plain_text"]
    codes = [t for t in mrkdwn_texts(blocks) if t.startswith("```")]
    if plain:
        assert "".join(plain) == text
        assert all(
            b["text"]["emoji"] is False for b in blocks if b.get("text", {}).get("type") == "plain_text"
        )
    else:
        assert len(codes) == 1
        assert (
            codes[0]
            == "```\n" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "\n```"
        )
    assert "<!channel>" not in "\n".join(mrkdwn_texts(blocks))
    assert text not in fallback


def test_rejected_dm_names_who_why_and_the_comment() -> None:
    draft = make_draft(
        BLOCK_TEXT,
        result=block_scan(),
        status=Status.REJECTED,
        decisions=[decision(DecisionKind.REJECT, reason="contains_phi", comment="Drop the <name> & MRN.")],
        final_approver_name="Dana Whitfield",
    )
    blocks, fallback = author_outcome_message(draft, "rejected")
    valid(blocks)
    text = joined(blocks)
    assert "was rejected* by Dana Whitfield (legal)." in text
    assert "*Reason:* Contains PHI" in text
    assert "> Drop the &lt;name&gt; &amp; MRN." in text
    assert fallback == "Your reply draft D-ab12cd34 was rejected by Dana Whitfield (legal): Contains PHI."
    assert buttons(blocks) == {}


def test_expired_and_edit_blocked_dms() -> None:
    expired = make_draft(BLOCK_TEXT, result=block_scan(), status=Status.EXPIRED)
    blocks, fallback = author_outcome_message(expired, "expired")
    valid(blocks)
    assert "expired* at <!date^" in joined(blocks)
    assert CANARY not in joined(blocks) + fallback

    blocked = make_draft(BLOCK_TEXT, result=block_scan(), status=Status.BLOCKED, number=2)
    blocks, fallback = author_outcome_message(blocked, "edit_blocked")
    valid(blocks)
    assert list(buttons(blocks)) == [ids.REQUEST_OVERRIDE, ids.EDIT_DRAFT]
    assert "PHI scan blocked the new text" in joined(blocks)
    assert CANARY not in fallback

    blocks, fallback = author_outcome_message(make_draft(status=Status.WITHDRAWN), "withdrawn")
    assert valid(blocks) and "Withdrawn by the author" in fallback


def test_no_author_message_lets_user_text_mention_anyone() -> None:
    draft = make_draft(HOSTILE, author_name="<!here>", in_reply_to="https://x.example/<p>", context=HOSTILE)
    outputs = [
        author_draft_blocks(draft, progress()),
        draft_scan_blocks(draft),
        scan_result_blocks(HOSTILE, scan(HOSTILE, [find(HOSTILE, "<!channel>", Category.NAME)], HOSTILE)),
        pasted_message_blocks(HOSTILE, scan(HOSTILE), channel="C", ts="1"),
        *(author_outcome_message(draft, e)[0] for e in ("approved", "rejected", "expired", "edit_blocked")),
    ]
    for blocks in outputs:
        valid(blocks)
        mrkdwn = "\n".join(mrkdwn_texts(blocks))
        assert "<!channel>" not in mrkdwn and "<!here>" not in mrkdwn and "<@U999>" not in mrkdwn
        assert "```code```" not in mrkdwn
    assert any("<!channel>" in t for t in texts(outputs[4]))  # shown verbatim as plain text, harmless
    assert json.dumps(outputs)  # plain JSON-serialisable dicts
