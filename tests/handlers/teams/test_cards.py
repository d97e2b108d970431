"""The Teams Adaptive Cards (pure rendering): structure, size, escaping, what each card shows or hides."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.cards import ReviewCard
from bot.cards import review_card as review_model
from bot.config import Settings
from bot.models import DecisionKind, Network, Status
from bot.phi.categories import EXPLANATION, Category
from bot.phi.result import Finding, ScanResult, Verdict
from handlers.teams import ids
from handlers.teams.cards import (
    author_draft_card,
    author_outcome_card,
    error_card,
    escape,
    help_card,
    pasted_message_card,
    reminder_card,
    review_card,
    scan_result_card,
    status_card,
    submit_form_card,
    thread_text,
)
from tests.handlers.teams.test_cards_validator import (
    BLOCK_TEXT,
    CANARY,
    POST,
    actions_by_verb,
    block_scan,
    card_problems,
    decision,
    literal_block_text,
    literal_texts,
    make_draft,
    markdown_problems,
    markdown_texts,
    progress,
    scan,
    size,
    visible_text,
    walk,
)

LEGAL = "teams:19:legal@thread.tacv2"
SETTINGS = Settings.load(env={"PHIGATE_CARDS__FULL_TEXT_CHANNELS": LEGAL})
HOSTILE = (
    f"Hi [your results](https://evil.example) <at>Everyone</at> **bold** _it_ # head {{{{DATE(x)}}}} {CANARY}"
)
JUSTIFICATION = "The patient posted this publicly and asked us to reply; legal agreed by phone."


def checked(card: dict[str, Any]) -> dict[str, Any]:
    assert card_problems(card) == []
    assert markdown_problems(card) == []
    return card


def model(draft, prog=None, *, show_full_text=True, channel=LEGAL, duplicates=None) -> ReviewCard:
    return review_model(
        SETTINGS,
        draft,
        progress() if prog is None else prog,
        channel=channel,
        duplicates=duplicates,
        show_full_text=show_full_text,
    )


def with_justification(card: ReviewCard, text: str | None = JUSTIFICATION) -> ReviewCard:
    if text is not None:
        card.extra["override_justification"] = text
    return card


def override_draft():
    return make_draft(BLOCK_TEXT, result=block_scan(), override_justification=JUSTIFICATION)


def forty_findings(text: str) -> ScanResult:
    step = len(text) // 40
    categories = list(Category)
    findings = [
        Finding(categories[n % len(categories)], n * step, n * step + 10, 0.95, f"explanation {n} " * 8)
        for n in range(40)
    ]
    return scan(text, findings, suggestion="Thank you! Please message us privately. " * 40)


# -- escape -------------------------------------------------------------------------------------------
def test_escape_neutralises_links_mentions_formatting_and_date_functions() -> None:
    escaped = escape(HOSTILE)
    assert "\\[your results\\](https://evil.example)" in escaped
    assert "\\<at\\>" in escaped and "\\*\\*bold\\*\\*" in escaped and "\\_it\\_" in escaped
    assert "{{" not in escaped
    assert escape("# Title\n- item\n1. one") == "\\# Title\n\\- item\n\\1. one"
    assert escape("plain words, 0.45 risk.") == "plain words, 0.45 risk."


# -- review cards ---------------------------------------------------------------------------------------
def test_pending_review_card_shows_what_an_approver_needs() -> None:
    draft = make_draft(BLOCK_TEXT, result=block_scan(), context="Patient praised the ortho team publicly.")
    card = checked(review_card(model(draft)))
    text = visible_text(card)
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card["body"][0]["text"] == "Reply draft D-ab12cd34 for Facebook"
    for expected in ("Sam Rivera", "Facebook", "Waiting for approval", "⛔", "PHI found", "0.97"):
        assert expected in text
    assert "Medical record number" in text and EXPLANATION[Category.MEDICAL_RECORD_NUMBER] in text
    assert "Patient praised the ortho team publicly." in literal_texts(card)
    assert "**Draft** (exactly as submitted)" in markdown_texts(card)
    drafts = [d for d in walk(card) if d.get("type") == "Container"]
    assert literal_block_text(drafts[0]) == BLOCK_TEXT
    assert "**Approvals:** Legal ⏳ 0/1 · Comms ⏳ 0/1" in markdown_texts(card)
    links = [a for a in walk(card) if a.get("type") == "Action.OpenUrl"]
    assert links == [{"type": "Action.OpenUrl", "title": "Open the post", "url": POST}]


def test_pending_card_actions_carry_draft_and_version() -> None:
    card = checked(review_card(model(make_draft(number=3))))
    top = card["actions"]
    assert [a["type"] for a in top] == ["Action.Execute", "Action.ShowCard", "Action.ShowCard"]
    assert top[0]["verb"] == ids.APPROVE and top[0]["style"] == "positive"
    assert [a["title"] for a in top] == ["Approve", "Approve with edits", "Reject"]
    verbs = actions_by_verb(card)
    assert set(verbs) == {ids.APPROVE, ids.APPROVE_WITH_EDITS, ids.REJECT}
    for action in verbs.values():
        assert action["data"] == {ids.DRAFT: "D-ab12cd34", ids.VERSION: 3}
    assert verbs[ids.REJECT]["style"] == "destructive"


def test_edit_form_holds_the_text_and_the_comment() -> None:
    card = checked(review_card(model(make_draft("Thanks for your note!"))))
    edit = card["actions"][1]["card"]
    inputs = {e["id"]: e for e in walk(edit) if str(e.get("type")).startswith("Input.")}
    assert inputs[ids.TEXT]["value"] == "Thanks for your note!"
    assert inputs[ids.TEXT]["isMultiline"] is True and inputs[ids.TEXT]["maxLength"] == 3000
    assert inputs[ids.COMMENT]["type"] == "Input.Text"
    assert ids.ACKNOWLEDGE_INPUT not in inputs
    assert "version 2" in visible_text(edit)


def test_reject_form_offers_readable_reasons() -> None:
    card = checked(review_card(model(make_draft())))
    reject = card["actions"][2]["card"]
    choice = next(e for e in walk(reject) if e.get("type") == "Input.ChoiceSet")
    assert choice["id"] == ids.REASON and choice["isRequired"] is True and choice["style"] == "compact"
    titles = {c["value"]: c["title"] for c in choice["choices"]}
    assert titles["contains_phi"] == "Contains PHI"
    assert set(titles) == set(SETTINGS.policy.rejection_reasons)
    assert any(e.get("id") == ids.COMMENT for e in walk(reject))


def test_reject_choices_are_capped_at_100() -> None:
    card_model = dataclasses.replace(
        model(make_draft()), rejection_reasons=tuple(f"reason_{n}" for n in range(150))
    )
    card = checked(review_card(card_model))
    choice = next(e for e in walk(card) if e.get("type") == "Input.ChoiceSet")
    assert len(choice["choices"]) == 100 and choice["choices"][0]["title"] == "Reason 0"


def test_preview_card_never_carries_the_draft_text() -> None:
    draft = make_draft(BLOCK_TEXT, result=block_scan())
    card_model = model(draft, channel="teams:19:comms@thread.tacv2")
    assert card_model.full_text is None
    card = checked(review_card(card_model))
    payload = json.dumps(card, ensure_ascii=False)
    assert CANARY not in payload and "12345678" not in payload
    assert "**Redacted preview** (identifiers masked; the full text is not shown here)" in markdown_texts(
        card
    )
    assert "[MEDICAL_RECORD_NUMBER]" in literal_texts(card)[-1] or "[MEDICAL_RECORD_NUMBER]" in payload
    edit = next(e for e in walk(card) if e.get("id") == ids.TEXT)
    assert edit["value"] == card_model.preview


@pytest.mark.parametrize(
    ("status", "extra", "final"),
    [
        (
            Status.APPROVED,
            {"final_approver": "teams:c1", "final_approver_name": "Priya Natarajan"},
            "Approved by Priya Natarajan — final approver",
        ),
        (Status.POSTED, {"final_approver_name": "Priya Natarajan"}, "Posted by the author"),
        (
            Status.REJECTED,
            {"final_approver_name": "Dana Whitfield", "rejection_reason": "off_brand"},
            "Rejected by Dana Whitfield",
        ),
        (Status.EXPIRED, {}, "Expired without a decision"),
        (Status.WITHDRAWN, {}, "Withdrawn by the author (Sam Rivera)"),
        (Status.BLOCKED, {}, "Blocked by the PHI scan after an edit"),
    ],
)
def test_final_cards_have_no_buttons_and_a_final_line(status: Status, extra: dict, final: str) -> None:
    decisions = [decision(DecisionKind.REJECT, reason="off_brand")] if status is Status.REJECTED else []
    draft = make_draft(status=status, decisions=decisions, **extra)
    card = checked(review_card(model(draft)))
    assert "actions" not in card
    assert actions_by_verb(card) == {}
    assert not any(e.get("type", "").startswith("Input.") for e in walk(card))
    assert final in card["body"][-1]["text"]


def test_decisions_and_warnings_are_listed() -> None:
    draft = make_draft(
        decisions=[decision(), decision(DecisionKind.APPROVE, actor="teams:c1", name="Priya", group="comms")]
    )
    card = checked(review_card(model(draft, progress(1, 1), duplicates=["D-other001"])))
    texts = markdown_texts(card)
    assert any("Another pending draft answers the same post: D-other001" in t for t in texts)
    assert any(t.startswith("• Dana Whitfield (legal) approved v1 at 2024-05-01 12:05 UTC") for t in texts)


def test_notice_is_highlighted_at_the_top() -> None:
    notice = "This draft was already approved; nothing changed."
    card = checked(review_card(model(make_draft(status=Status.APPROVED)), notice=notice))
    first = card["body"][0]
    assert first["text"] == notice and first["color"] == "Attention"


def test_override_ack_turns_approve_into_an_acknowledgement() -> None:
    card_model = with_justification(model(override_draft()))
    assert card_model.needs_override_ack
    card = checked(review_card(card_model))
    approve = card["actions"][0]
    assert approve["type"] == "Action.ShowCard" and approve["title"] == "Approve"
    inner = approve["card"]
    toggle = next(e for e in walk(inner) if e.get("type") == "Input.Toggle")
    assert toggle["id"] == ids.ACKNOWLEDGE_INPUT and toggle["valueOn"] == ids.TOGGLE_ON
    assert toggle["isRequired"] is True
    assert toggle["title"] == "I have read the override justification and accept it"
    assert JUSTIFICATION in literal_texts(inner)
    assert inner["actions"][0]["verb"] == ids.ACKNOWLEDGE
    verbs = actions_by_verb(card)
    assert ids.APPROVE not in verbs and {ids.ACKNOWLEDGE, ids.APPROVE_WITH_EDITS, ids.REJECT} <= set(verbs)
    edit = card["actions"][1]["card"]
    assert any(e.get("id") == ids.ACKNOWLEDGE_INPUT for e in walk(edit))
    assert any("Legal must acknowledge it" in t for t in markdown_texts(card))


def test_override_ack_without_a_justification_says_so() -> None:
    card = checked(review_card(with_justification(model(override_draft()), None)))
    assert "**Override justification:** _none given_" in markdown_texts(card["actions"][0]["card"])


def test_user_text_cannot_inject_markdown() -> None:
    draft = make_draft(
        HOSTILE,
        author_name=f"[Dr. House](https://evil.example) <at>x</at> # {CANARY}",
        context=HOSTILE,
        in_reply_to="javascript:alert(1)",
        override_justification=HOSTILE,
    )
    card_model = with_justification(model(draft), HOSTILE)
    card = checked(review_card(card_model, notice=HOSTILE))
    assert HOSTILE in literal_texts(card)  # shown literally where it is user text
    assert not any(a.get("type") == "Action.OpenUrl" for a in walk(card))
    author = next(d for d in walk(card) if d.get("type") == "FactSet")["facts"][0]["value"]
    assert author.startswith("\\[Dr. House\\](https://evil.example)")


@pytest.mark.parametrize("alphabet", ["a", "é", "漢", "😀"])
def test_a_full_draft_with_forty_findings_stays_under_the_size_limit(alphabet: str) -> None:
    text = (alphabet * 9 + " ") * 300  # 3,000 characters
    draft = make_draft(
        text,
        result=forty_findings(text),
        context="c" * 2000,
        decisions=[decision(minutes=n) for n in range(30)],
        override_justification="j" * 2000,
    )
    for full in (True, False):
        card_model = with_justification(model(draft, show_full_text=full), "j" * 2000)
        card = checked(review_card(card_model, notice="n" * 300))
        assert size(card) < 28_000
    for card in (
        author_draft_card(draft, progress()),
        author_outcome_card(dataclasses.replace(draft, status=Status.APPROVED), "approved"),
        author_outcome_card(dataclasses.replace(draft, status=Status.BLOCKED), "edit_blocked"),
        scan_result_card(text, forty_findings(text)),
        pasted_message_card(text[:1000], forty_findings(text[:1000])),
        status_card(draft, progress()),
    ):
        assert checked(card) and size(card) < 28_000


def test_a_pasted_draft_too_big_for_its_button_says_how_to_send_it() -> None:
    text = ("😀" * 9 + " ") * 300
    card = checked(pasted_message_card(text, scan(text)))
    assert "actions" not in card and "too long to send from here" in visible_text(card)
    ascii_text = "x" * 3000
    assert checked(pasted_message_card(ascii_text, scan(ascii_text)))["actions"][0]["data"] == {
        ids.PASTED_TEXT: ascii_text
    }


def test_ascii_drafts_are_never_cut() -> None:
    text = ("word " * 600)[:3000]
    draft = make_draft(text, result=forty_findings(text))
    card = checked(review_card(model(draft)))
    assert any(literal_block_text(c) == text for c in walk(card) if c.get("type") == "Container")
    assert next(e for e in walk(card) if e.get("id") == ids.TEXT)["value"] == text
    findings = [t for t in markdown_texts(card) if t.startswith("• **")]
    assert len(findings) == 23 or "more kinds of finding" in visible_text(card)


def test_long_lists_are_capped_with_a_count() -> None:
    text = "x " * 1500
    card = checked(review_card(model(make_draft(text, result=forty_findings(text)))))
    assert any(t.startswith("…and ") and "more kinds of finding" in t for t in markdown_texts(card))


# -- the author's cards ---------------------------------------------------------------------------------
def test_scan_result_card_shows_the_authors_own_words() -> None:
    result = block_scan()
    card = checked(scan_result_card(BLOCK_TEXT, result))
    text = visible_text(card)
    assert "**PHI scan:** ⛔ PHI found: blocked by the scan (risk 0.97)" in markdown_texts(card)
    assert "“Zqxcanary”" in text and "“12345678”" in text
    assert "Redacted preview" in text and result.redacted in literal_texts(card)
    assert "Suggested safe reply" in text and result.suggestion in literal_texts(card)
    assert "actions" not in card


def test_scan_result_card_for_a_clear_text() -> None:
    card = checked(scan_result_card("Thanks!", scan("Thanks!")))
    assert "✅ No PHI found" in visible_text(card)
    assert "Nothing that looks like PHI was found" in visible_text(card)


def test_scan_spans_are_cut_to_80_characters() -> None:
    text = "Your MRN is " + "9" * 200
    result = scan(text, [Finding(Category.MEDICAL_RECORD_NUMBER, 12, len(text), 0.95)])
    card = checked(scan_result_card(text, result))
    span = next(t for t in literal_texts(card) if t.startswith(" “"))
    assert len(span) <= 84 and span.endswith("…”")


def test_pasted_message_card_sends_the_text() -> None:
    card = checked(pasted_message_card(HOSTILE, scan(HOSTILE)))
    send = card["actions"][0]
    assert send["type"] == "Action.Execute" and send["verb"] == ids.SEND_FOR_APPROVAL
    assert send["data"] == {ids.PASTED_TEXT: HOSTILE}
    blocked = checked(pasted_message_card(BLOCK_TEXT, block_scan()))
    assert "request an override" in visible_text(blocked)


def test_author_card_pending_offers_withdraw() -> None:
    card = checked(author_draft_card(make_draft(), progress(1, 0)))
    texts = markdown_texts(card)
    assert texts[0] == "**Draft D-ab12cd34** · Facebook · Waiting for approval"
    assert "**Approvals:** Legal ✓ 1/1 · Comms ⏳ 0/1" in texts
    assert set(actions_by_verb(card)) == {ids.WITHDRAW}
    assert actions_by_verb(card)[ids.WITHDRAW]["data"] == {ids.DRAFT: "D-ab12cd34", ids.VERSION: 1}
    assert "PHIGATE_TEAMS_LEGAL_CHANNEL" not in visible_text(card)


def test_author_card_warns_when_no_review_cards_were_posted() -> None:
    card = checked(author_draft_card(make_draft(), progress(), reviews_posted=False, notice="Submitted."))
    text = visible_text(card)
    assert "PHIGATE_TEAMS_LEGAL_CHANNEL" in text and "PHIGATE_TEAMS_COMMS_CHANNEL" in text
    assert card["body"][0]["text"] == "Submitted." and card["body"][0]["color"] == "Attention"


def test_author_card_blocked_offers_an_override_request() -> None:
    draft = make_draft(BLOCK_TEXT, result=block_scan(), status=Status.BLOCKED)
    card = checked(author_draft_card(draft, progress()))
    assert set(actions_by_verb(card)) == {ids.REQUEST_OVERRIDE}
    form = card["actions"][0]
    assert form["type"] == "Action.ShowCard" and form["title"] == "Request override"
    box = next(e for e in walk(form) if e.get("id") == ids.JUSTIFICATION)
    assert box["isMultiline"] is True and box["isRequired"] is True
    pattern = re.compile(box["regex"])
    assert not pattern.match("too short") and not pattern.match("   " + "x" * 18 + "   ")
    assert pattern.match(JUSTIFICATION)
    assert "“12345678”" in visible_text(card)  # the author sees their own words


@pytest.mark.parametrize("status", [Status.APPROVED, Status.REJECTED, Status.EXPIRED, Status.WITHDRAWN])
def test_author_card_final_has_no_buttons(status: Status) -> None:
    card = checked(author_draft_card(make_draft(status=status), progress()))
    assert "actions" not in card


def test_outcome_approved_gives_the_exact_text_and_mark_as_posted() -> None:
    draft = make_draft(HOSTILE, status=Status.APPROVED, final_approver_name="Priya Natarajan")
    card = checked(author_outcome_card(draft, "approved"))
    text = visible_text(card)
    assert "Final approver: Priya Natarajan" in text
    assert "**Post exactly this text** (version 1):" in markdown_texts(card)
    exact = next(c for c in walk(card) if c.get("type") == "Container" and "Monospace" in json.dumps(c))
    assert literal_block_text(exact) == HOSTILE
    assert all(b["inlines"][0]["fontType"] == "Monospace" for b in exact["items"])
    mark = card["actions"][0]
    assert mark["type"] == "Action.ShowCard" and mark["title"] == "Mark as posted"
    link = next(e for e in walk(mark) if e.get("id") == ids.POSTED_LINK)
    assert link["style"] == "Url"
    assert actions_by_verb(card)[ids.MARK_POSTED]["data"] == {ids.DRAFT: "D-ab12cd34", ids.VERSION: 1}


def test_outcome_posted_has_no_button() -> None:
    draft = make_draft(status=Status.POSTED, posted_link="https://facebook.com/p/9")
    card = checked(author_outcome_card(draft, "posted"))
    assert "actions" not in card and "https://facebook.com/p/9" in visible_text(card)


def test_outcome_rejected_names_who_why_and_the_comment() -> None:
    comment = "Please do not mention the surgery. [x](https://evil)"
    draft = make_draft(
        status=Status.REJECTED,
        decisions=[decision(DecisionKind.REJECT, reason="confirms_patient", comment=comment)],
    )
    card = checked(author_outcome_card(draft, "rejected"))
    text = visible_text(card)
    assert "was rejected** by Dana Whitfield (legal)." in text
    assert "**Reason:** Confirms someone is a patient" in text
    assert comment in literal_texts(card)


def test_outcome_expired_and_edit_blocked() -> None:
    expired = checked(author_outcome_card(make_draft(status=Status.EXPIRED), "expired"))
    assert "expired** at" in visible_text(expired)
    blocked = make_draft(BLOCK_TEXT, result=block_scan(), status=Status.BLOCKED, number=2)
    card = checked(author_outcome_card(blocked, "edit_blocked"))
    assert "PHI scan of version 2" in visible_text(card)
    assert set(actions_by_verb(card)) == {ids.REQUEST_OVERRIDE}
    other = checked(author_outcome_card(make_draft(status=Status.WITHDRAWN), "withdrawn"))
    assert "Withdrawn by the author" in visible_text(other)


def test_purged_text_is_said_not_shown() -> None:
    draft = make_draft(None, status=Status.APPROVED)
    card = checked(author_outcome_card(draft, "approved"))
    assert "removed by the retention policy" in visible_text(card)


# -- status, reminders, threads, help, errors, form ---------------------------------------------------
def test_status_card_has_no_draft_text() -> None:
    draft = make_draft(
        BLOCK_TEXT,
        result=block_scan(),
        status=Status.POSTED,
        decisions=[decision()],
        final_approver_name="Dana Whitfield",
        final_at=make_draft().created_at + timedelta(hours=1),
        posted_link="https://facebook.com/p/9",
        override_justification=HOSTILE,
    )
    card = checked(status_card(draft, progress(1, 1)))
    payload = json.dumps(card, ensure_ascii=False)
    assert CANARY not in payload and "12345678" not in payload
    text = visible_text(card)
    for expected in (
        "Draft D-ab12cd34",
        "Approved and posted",
        "Medical record number",
        "Decided",
        "Open the posted reply",
    ):
        assert expected in text
    assert "actions" not in card


def test_reminder_card() -> None:
    card = checked(
        reminder_card(make_draft(network=Network.GOOGLE_REVIEWS), ["legal", "comms"], hours_left=0.5)
    )
    text = visible_text(card)
    assert "D-ab12cd34 for Google reviews expires in less than an hour" in text
    assert "Waiting for: Legal, Comms." in text
    assert "in about 3 hours" in visible_text(reminder_card(make_draft(), ["legal"], hours_left=3.2))


@pytest.mark.parametrize(
    "event",
    ["approved", "rejected", "edited", "expired", "withdrawn", "posted", "resubmitted", "override", "other"],
)
def test_thread_lines_never_carry_draft_text(event: str) -> None:
    draft = make_draft(
        BLOCK_TEXT,
        result=block_scan(),
        author_name="Sam [x](https://evil)",
        status=Status.APPROVED if event == "approved" else Status.PENDING,
        decisions=[decision(), decision(DecisionKind.REJECT, reason="off_brand", minutes=9)],
        final_approver="slack:U2",
        final_approver_name="Dana Whitfield",
        posted_link="https://facebook.com/p/9",
    )
    line = thread_text(draft, event)
    assert line and "\n" not in line and CANARY not in line and "12345678" not in line
    assert "[x](" not in line


def test_thread_lines_say_what_happened() -> None:
    approved = make_draft(
        status=Status.APPROVED,
        decisions=[decision()],
        final_approver="slack:U2",
        final_approver_name="Dana Whitfield",
    )
    assert thread_text(approved, "approved") == (
        "Dana Whitfield (legal) approved version 1 — final approver. The reply is approved."
    )
    rejected = make_draft(decisions=[decision(DecisionKind.REJECT, reason="off_brand")])
    assert (
        thread_text(rejected, "rejected")
        == "Dana Whitfield (legal) rejected version 1: Off brand. The review is closed."
    )
    posted = make_draft(status=Status.POSTED, posted_link="https://facebook.com/p/9")
    assert thread_text(posted, "posted").endswith(": https://facebook.com/p/9")


@pytest.mark.parametrize("configured", [True, False])
@pytest.mark.parametrize("can_export", [True, False])
def test_help_card(configured: bool, can_export: bool) -> None:
    card = checked(help_card(reviews_configured=configured, can_export=can_export))
    text = visible_text(card)
    for expected in (
        "**submit** _text_",
        "**scan** _text_",
        "**status** _id_",
        "**help**",
        "Submit for approval",
        "drafts channel",
        "@mention",
    ):
        assert expected in text
    assert ("PHIGATE_TEAMS_LEGAL_CHANNEL" in text) is not configured
    assert ("export the audit trail" in text) is can_export


def test_error_card_escapes_and_caps() -> None:
    card = checked(error_card("Nope [x](https://evil)", "line\n" * 20))
    assert card["body"][0]["text"] == "**Nope \\[x\\](https://evil)**"
    assert len(card["body"]) == 9
    assert checked(error_card("", ""))["body"][0]["text"] == "**Something went wrong.**"


def test_submit_form() -> None:
    networks = [str(n) for n in Network]
    card = checked(submit_form_card(networks=networks, text=HOSTILE, max_chars=2000))
    inputs = {e["id"]: e for e in walk(card) if str(e.get("type")).startswith("Input.")}
    assert set(inputs) == {ids.NETWORK, ids.IN_REPLY_TO, ids.TEXT, ids.CONTEXT}
    assert inputs[ids.NETWORK]["style"] == "compact" and inputs[ids.NETWORK]["isRequired"] is True
    assert [c["value"] for c in inputs[ids.NETWORK]["choices"]] == networks
    assert inputs[ids.NETWORK]["choices"][4]["title"] == "Google reviews"
    assert inputs[ids.IN_REPLY_TO]["style"] == "Url" and not inputs[ids.IN_REPLY_TO].get("isRequired")
    text = inputs[ids.TEXT]
    assert (
        text["isMultiline"] and text["isRequired"] and text["maxLength"] == 2000 and text["value"] == HOSTILE
    )
    assert not inputs[ids.CONTEXT].get("isRequired")
    assert card["actions"] == [
        {
            "type": "Action.Submit",
            "title": "Scan and submit",
            "style": "positive",
            "data": {"form": ids.SUBMIT_FORM},
        }
    ]
    empty = checked(submit_form_card(networks=networks, max_chars=9000))
    box = next(e for e in walk(empty) if e.get("id") == ids.TEXT)
    assert "value" not in box and box["maxLength"] == 3000


def test_card_resources_are_package_data() -> None:
    root = Path(__file__).resolve().parents[3]
    assert '"handlers.teams.cards" = ["resources/*.json"]' in (root / "pyproject.toml").read_text()
    for path in (root / "handlers" / "teams" / "cards" / "resources").glob("*.json"):
        json.loads(path.read_text())


def test_every_verdict_label_renders() -> None:
    for verdict in Verdict:
        result = ScanResult(verdict, 0.5, (), "x")
        assert checked(scan_result_card("x", result))
