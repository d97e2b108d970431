"""Steps the Slack scenario tests share: submit through the form, find cards and buttons, read the DB."""

from __future__ import annotations

from typing import Any

from handlers.slack import ids
from tests.handlers.live_server import LiveServer, Reply
from tests.handlers.slack.fake_slack import Call, FakeSlack
from tests.handlers.slack.support import SlackClient, plain, select, state_value
from tests.handlers.steps import BLOCK as BLOCK
from tests.handlers.steps import CLEAR as CLEAR
from tests.handlers.steps import REVIEW as REVIEW
from tests.handlers.steps import draft as draft
from tests.handlers.steps import drafts as drafts
from tests.handlers.steps import eventually as eventually
from tests.handlers.steps import surface_card_refs
from tests.handlers.steps import text_of as text_of

POST = "https://facebook.com/stmarys/posts/1"


def submit_form(
    client: SlackClient,
    text: str,
    *,
    user: str = "U1",
    network: str = "facebook",
    link: str = POST,
    **extra: Any,
) -> Reply:
    """Submit the ``/phigate`` form."""
    values = (
        state_value(*ids.NETWORK_INPUT, select(network))
        | state_value(*ids.TEXT_INPUT, plain(text))
        | state_value(*ids.LINK_INPUT, plain(link))
        | state_value(*ids.CONTEXT_INPUT, plain("Reply to a review on our page"))
    )
    return client.view_submission(ids.SUBMIT_VIEW, values, user=user, **extra)


def card_refs(server: LiveServer, draft_id: str) -> dict[str, str]:
    """channel -> ts of the draft's Slack cards."""
    return surface_card_refs(server, draft_id, ids.SURFACE)


def card_calls(fake: FakeSlack, channel: str) -> list[Call]:
    """Card posts and updates in ``channel`` (thread replies excluded), oldest first."""
    return [
        call
        for call in fake.calls
        if call.method in ("chat.postMessage", "chat.update")
        and call.params.get("channel") == channel
        and not call.params.get("thread_ts")
        and call.json_param("blocks")
    ]


def latest_card(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    """The blocks of the newest card post or update in ``channel``."""
    calls = card_calls(fake, channel)
    assert calls, f"no card in {channel}; calls: {[c.method for c in fake.calls]}"
    return calls[-1].json_param("blocks")


def buttons(blocks: list[dict[str, Any]]) -> dict[str, str]:
    """action_id -> value of every button in ``blocks``."""
    found = {}
    for block in blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("type") == "button":
                found[element["action_id"]] = element.get("value", "")
        accessory = block.get("accessory") or {}
        if accessory.get("type") == "button":
            found[accessory["action_id"]] = accessory.get("value", "")
    return found


def opened_views(fake: FakeSlack) -> list[dict[str, Any]]:
    """Views opened with views.open, oldest first."""
    return [call.json_param("view") for call in fake.calls_to("views.open")]
