"""Modals and the App Home tab: callback ids, inputs, private_metadata and limits with long inputs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config import DEFAULT_REJECTION_REASONS
from bot.models import Network, Status
from handlers.slack import ids
from handlers.slack.blocks import (
    acknowledge_modal,
    approve_with_edits_modal,
    full_text_modal,
    home_view,
    override_modal,
    posted_modal,
    reject_modal,
    submit_modal,
    submitted_modal,
)
from tests.handlers.slack.test_blocks_validator import (
    BLOCK_TEXT,
    CANARY,
    COMMS_NAME,
    HOSTILE,
    NOW,
    block_scan,
    buttons,
    joined,
    make_draft,
    mrkdwn_texts,
    progress,
    texts,
    view_problems,
)

NETWORKS = [str(n) for n in Network]


def valid(view: dict) -> dict:
    assert view_problems(view) == []
    return view


def inputs(view: dict) -> dict[tuple[str, str], dict]:
    """Input elements by (block_id, action_id), as a view submission names them."""
    return {
        (block["block_id"], block["element"]["action_id"]): block
        for block in view["blocks"]
        if block["type"] == "input"
    }


# -- submit ------------------------------------------------------------------------------------------------
def test_submit_modal_has_the_four_inputs() -> None:
    view = valid(submit_modal(networks=NETWORKS, private_metadata='{"c":"C1"}'))
    assert view["callback_id"] == ids.SUBMIT_VIEW and view["private_metadata"] == '{"c":"C1"}'
    found = inputs(view)
    assert list(found) == [ids.NETWORK_INPUT, ids.LINK_INPUT, ids.TEXT_INPUT, ids.CONTEXT_INPUT]
    select = found[ids.NETWORK_INPUT]["element"]
    assert select["type"] == "static_select" and "initial_option" not in select
    assert [o["text"]["text"] for o in select["options"]] == [
        "Facebook",
        "Instagram",
        "X",
        "LinkedIn",
        "Google reviews",
        "Other",
    ]
    assert [o["value"] for o in select["options"]] == NETWORKS
    text = found[ids.TEXT_INPUT]
    assert text["element"]["multiline"] and text["element"]["max_length"] == 3000 and not text["optional"]
    assert found[ids.LINK_INPUT]["optional"] and found[ids.CONTEXT_INPUT]["optional"]
    assert "initial_value" not in text["element"]


def test_submit_modal_prefills_and_truncates() -> None:
    view = valid(
        submit_modal(
            networks=NETWORKS,
            text="x" * 5000,
            in_reply_to="https://facebook.com/" + "p" * 3000,
            context="c" * 3000,
            network="google-reviews",
            max_chars=1000,
        )
    )
    found = inputs(view)
    element = found[ids.TEXT_INPUT]["element"]
    assert element["max_length"] == 1000 and element["initial_value"] == "x" * 1000
    select = found[ids.NETWORK_INPUT]["element"]
    assert select["initial_option"]["value"] == "google-reviews"
    big = valid(submit_modal(networks=[f"net{n}" for n in range(150)], max_chars=100_000))
    assert len(inputs(big)[ids.NETWORK_INPUT]["element"]["options"]) == 100
    assert inputs(big)[ids.TEXT_INPUT]["element"]["max_length"] == 3000


def test_submitted_modal_is_read_only_author_view() -> None:
    draft = make_draft(BLOCK_TEXT, result=block_scan(), status=Status.BLOCKED)
    view = valid(submitted_modal(draft, progress(), reviews_posted=True))
    assert view["callback_id"] == ids.INFO_VIEW and "submit" not in view and view["close"]["text"] == "Close"
    assert ids.REQUEST_OVERRIDE in buttons(view["blocks"])
    pending = valid(submitted_modal(make_draft(), progress(), reviews_posted=False))
    assert "PHIGATE_SLACK_LEGAL_CHANNEL" in joined(pending)
    assert ids.parse_value(pending["private_metadata"]) == {"d": "D-ab12cd34", "v": 1}


# -- approver modals -----------------------------------------------------------------------------------------
def test_approve_with_edits_prefills_the_text() -> None:
    view = valid(approve_with_edits_modal("D-ab12cd34", 2, BLOCK_TEXT))
    assert view["callback_id"] == ids.APPROVE_EDITS_VIEW
    assert ids.parse_value(view["private_metadata"]) == {"d": "D-ab12cd34", "v": 2}
    found = inputs(view)
    assert list(found) == [ids.TEXT_INPUT, ids.COMMENT_INPUT]
    assert found[ids.TEXT_INPUT]["element"]["initial_value"] == BLOCK_TEXT
    assert found[ids.COMMENT_INPUT]["optional"]
    assert "version 3" in joined(view)


def test_approve_with_edits_asks_for_the_override_acknowledgement() -> None:
    view = valid(
        approve_with_edits_modal(
            "D-ab12cd34", 1, "y" * 4000, max_chars=3000, needs_acknowledgement=True, justification=HOSTILE
        )
    )
    found = inputs(view)
    assert list(found) == [ids.ACKNOWLEDGE_INPUT, ids.TEXT_INPUT, ids.COMMENT_INPUT]
    box = found[ids.ACKNOWLEDGE_INPUT]
    assert not box["optional"] and box["element"]["type"] == "checkboxes"
    assert [(o["value"], o["text"]["text"]) for o in box["element"]["options"]] == [
        ("yes", "I have read the override justification and accept it")
    ]
    assert len(found[ids.TEXT_INPUT]["element"]["initial_value"]) == 3000
    assert "&lt;!channel&gt;" in joined(view) and "<!channel>" not in "\n".join(mrkdwn_texts(view))


def test_reject_modal_lists_readable_reasons() -> None:
    view = valid(reject_modal("D-ab12cd34", 1, [*DEFAULT_REJECTION_REASONS, "legal_hold"]))
    assert view["callback_id"] == ids.REJECT_VIEW and view["submit"]["text"] == "Reject"
    found = inputs(view)
    assert list(found) == [ids.REASON_INPUT, ids.COMMENT_INPUT]
    options = found[ids.REASON_INPUT]["element"]["options"]
    assert [o["text"]["text"] for o in options] == [
        "Contains PHI",
        "Confirms someone is a patient",
        "Off brand",
        "Factually wrong",
        "Needs Patient Relations",
        "Other",
        "Legal hold",
    ]
    assert [o["value"] for o in options][-1] == "legal_hold"
    many = valid(reject_modal("D-ab12cd34", 1, [f"reason_{n}_" + "x" * 100 for n in range(150)]))
    assert len(inputs(many)[ids.REASON_INPUT]["element"]["options"]) == 100


def test_override_and_acknowledge_modals() -> None:
    view = valid(override_modal("D-ab12cd34", 2, min_chars=20))
    assert view["callback_id"] == ids.OVERRIDE_VIEW
    element = inputs(view)[ids.JUSTIFICATION_INPUT]["element"]
    assert element["multiline"] and element["min_length"] == 20
    assert ids.parse_value(view["private_metadata"]) == {"d": "D-ab12cd34", "v": 2}

    ack = valid(acknowledge_modal("D-ab12cd34", 2, "The patient shared it & asked us <b>. " * 60))
    assert ack["callback_id"] == ids.ACKNOWLEDGE_VIEW and ack["submit"]["text"] == "Approve"
    found = inputs(ack)
    assert list(found) == [ids.ACKNOWLEDGE_INPUT, ids.COMMENT_INPUT]
    assert not found[ids.ACKNOWLEDGE_INPUT]["optional"] and found[ids.COMMENT_INPUT]["optional"]
    assert "The patient shared it &amp; asked us &lt;b&gt;." in joined(ack)


def test_posted_modal_asks_for_a_url() -> None:
    view = valid(posted_modal("D-ab12cd34", 1))
    assert view["callback_id"] == ids.POSTED_VIEW
    assert inputs(view)[ids.POSTED_LINK_INPUT]["element"]["type"] == "url_text_input"


@pytest.mark.parametrize(
    "text",
    ["Short reply", "&" * 3000, "😀" * 3000, "a ``` b", "z" * 3000],
    ids=["short", "amp", "emoji", "fence", "long"],
)
def test_full_text_modal_shows_the_exact_text(text: str) -> None:
    view = valid(full_text_modal("D-ab12cd34", 4, text))
    assert view["callback_id"] == ids.INFO_VIEW and "submit" not in view
    plain = [b["text"]["text"] for b in view["blocks"] if b.get("text", {}).get("type") == "plain_text"]
    if plain:
        assert "".join(plain) == text
    else:
        code = [t for t in mrkdwn_texts(view) if t.startswith("```")]
        assert code == ["```\n" + text.replace("&", "&amp;") + "\n```"]


def test_full_text_modal_after_purge() -> None:
    view = valid(full_text_modal("D-ab12cd34", 1, None))
    assert "removed by the retention policy" in joined(view)


def test_modal_titles_fit_with_long_ids() -> None:
    long_id = "D-" + "9" * 300
    for view in (
        full_text_modal(long_id, 1, "x"),
        reject_modal(long_id, 1, ["other"]),
        override_modal(long_id, 1),
        acknowledge_modal(long_id, 1, ""),
        posted_modal(long_id, 1),
        approve_with_edits_modal(long_id, 1, "x"),
    ):
        valid(view)


# -- App Home ------------------------------------------------------------------------------------------------
def many(count: int, status: Status = Status.PENDING) -> list:
    drafts = []
    for n in range(count):
        draft = make_draft(
            BLOCK_TEXT,
            result=block_scan(),
            status=status,
            draft_id=f"D-{n:08d}",
            author_name="Author " + "x" * 200,
            final_approver_name=COMMS_NAME if status is not Status.PENDING else None,
            final_at=NOW + timedelta(hours=1) if status is not Status.PENDING else None,
        )
        drafts.append(draft)
    return drafts


def test_home_with_200_drafts_per_list_fits_and_counts_the_rest() -> None:
    pending = [(d, progress(1, 0)) for d in many(200)]
    mine = [(d, progress()) for d in many(200, Status.BLOCKED)]
    recent = many(200, Status.APPROVED)
    view = valid(
        home_view(
            user_name="Dana <!channel>",
            pending_reviews=pending,
            my_drafts=mine,
            recent_decisions=recent,
            can_submit=True,
        )
    )
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    text = joined(view)
    assert CANARY not in text and "12345678" not in text
    assert "…and 175 more." in text and "…and 180 more." in text and "…and 185 more." in text
    assert "Hello Dana &lt;!channel&gt;." in text
    for title in ("Waiting for your review", "Your drafts", "Recent decisions"):
        assert title in text
    assert "Final approver: Priya Natarajan" in text
    assert "Legal ✓ 1/1 · Comms ⏳ 0/1" in text and "expires <!date^" in text
    new = buttons(view["blocks"])[ids.OPEN_SUBMIT]
    assert new["style"] == "primary"


def test_empty_home_without_submit_rights() -> None:
    view = valid(
        home_view(user_name="", pending_reviews=[], my_drafts=[], recent_decisions=[], can_submit=False)
    )
    assert buttons(view["blocks"]) == {}
    text = joined(view)
    assert "Nothing is waiting for your review." in text and "No decisions yet." in text


def test_home_shows_rejections_as_decided_by() -> None:
    rejected = make_draft(status=Status.REJECTED, final_approver_name="Dana Whitfield", final_at=NOW)
    view = valid(
        home_view(
            user_name="x",
            pending_reviews=[],
            my_drafts=[(rejected, progress())],
            recent_decisions=[rejected],
            can_submit=True,
        )
    )
    assert "Decided by: Dana Whitfield" in joined(view) and "Final approver" not in joined(view)


def test_no_view_carries_unescaped_user_text_in_mrkdwn() -> None:
    draft = make_draft(HOSTILE, author_name=HOSTILE, context=HOSTILE, in_reply_to=HOSTILE)
    views = [
        submit_modal(networks=NETWORKS, text=HOSTILE, in_reply_to=HOSTILE, context=HOSTILE),
        submitted_modal(draft, progress(), reviews_posted=False),
        approve_with_edits_modal(draft.id, 1, HOSTILE, needs_acknowledgement=True, justification=HOSTILE),
        acknowledge_modal(draft.id, 1, HOSTILE),
        full_text_modal(draft.id, 1, HOSTILE),
        home_view(
            user_name=HOSTILE,
            pending_reviews=[(draft, progress())],
            my_drafts=[(draft, progress())],
            recent_decisions=[draft],
            can_submit=True,
        ),
    ]
    for view in views:
        valid(view)  # includes the mrkdwn escaping check
        assert all("<!channel>" not in t for t in mrkdwn_texts(view))
    assert inputs(views[0])[ids.TEXT_INPUT]["element"]["initial_value"] == HOSTILE
    assert HOSTILE in texts(views[4])  # verbatim plain text: the exact characters, no mention
