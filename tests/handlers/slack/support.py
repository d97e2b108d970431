"""Correctly signed Slack requests to a running phigate server, as Slack itself sends them.

    client = SlackClient(server.url, "test-signing-secret", fake=fake_slack)
    reply = client.slash_command("scan Glad you are feeling better!")
    reply = client.block_action(ids.APPROVE, ids.card_value(draft_id, 1), user="U2")
    reply = client.view_submission(ids.REJECT_VIEW, {"reason": {"reason_value": select("off_brand")}})

Slash commands and interactivity are form-encoded (interactivity: one ``payload`` field holding JSON),
events are JSON; every request carries ``X-Slack-Request-Timestamp`` and ``X-Slack-Signature``.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tests.handlers.live_server import Reply, post

if TYPE_CHECKING:
    from tests.handlers.slack.fake_slack import FakeSlack

TEAM_ID = "T1"
TEAM_DOMAIN = "test-hospital"
APP_ID = "A1"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
VERIFICATION_TOKEN = "legacy-verification-token"  # deprecated by Slack, still sent; Bolt ignores it
EVENTS_PATH = "/slack/events"
# Where response_url points when no FakeSlack is given: a closed loopback port (fails fast, offline).
UNREACHABLE_RESPONSE_URL = "http://127.0.0.1:9/respond/unset"

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def sign(secret: str, timestamp: str | int, body: str | bytes) -> str:
    """Slack's request signature: ``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}``."""
    text = body.decode() if isinstance(body, bytes) else body
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{text}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


# -- state.values builders (one action's value in a view submission) ------------------------------------


def plain(value: str | None) -> dict[str, Any]:
    """A ``plain_text_input`` value."""
    return {"type": "plain_text_input", "value": value}


def url(value: str | None) -> dict[str, Any]:
    """A ``url_text_input`` value."""
    return {"type": "url_text_input", "value": value}


def select(value: str | None, text: str | None = None) -> dict[str, Any]:
    """A ``static_select`` choice (None: nothing selected)."""
    option = None if value is None else {"text": _plain_text(text or value), "value": value}
    return {"type": "static_select", "selected_option": option}


def radio(value: str | None, text: str | None = None) -> dict[str, Any]:
    """A ``radio_buttons`` choice (None: nothing chosen)."""
    return {**select(value, text), "type": "radio_buttons"}


def checkboxes(*values: str) -> dict[str, Any]:
    """``checkboxes`` with these option values ticked."""
    options = [{"text": _plain_text(value), "value": value} for value in values]
    return {"type": "checkboxes", "selected_options": options}


def state_value(block: str, action: str, value: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{block: {action: value}}``; merge several with ``|`` (or pass ``ids.X_INPUT`` pairs: ``state_value(*ids.TEXT_INPUT, plain("..."))``)."""
    return {block: {action: value}}


def message_event(
    text: str,
    *,
    user: str = "U1",
    channel: str = "C_DRAFTS",
    ts: str | None = None,
    thread_ts: str | None = None,
    subtype: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A ``message`` event as Slack sends it (``subtype``: ``bot_message``, ``message_changed``...)."""
    ts = ts or _ts()
    event: dict[str, Any] = {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "im" if channel.startswith("D") else "channel",
        "team": TEAM_ID,
        **fields,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    if subtype:
        event["subtype"] = subtype
    return event


def app_home_opened(user: str = "U1", tab: str = "home") -> dict[str, Any]:
    """An ``app_home_opened`` event."""
    return {"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": tab, "event_ts": _ts()}


class SlackClient:
    """Sends what Slack sends to ``{base_url}/slack/events``, signed with ``signing_secret``."""

    def __init__(
        self, base_url: str, signing_secret: str, *, fake: FakeSlack | None = None, path: str = EVENTS_PATH
    ) -> None:
        self.url = base_url.rstrip("/") + path
        self.signing_secret = signing_secret
        self.fake = fake
        self._serial = itertools.count(1)

    # -- request kinds ------------------------------------------------------------------------------

    def slash_command(
        self,
        text: str,
        user: str = "U1",
        channel: str = "C_DRAFTS",
        command: str = "/phigate",
        response_url: str | None = None,
        trigger_id: str | None = None,
    ) -> Reply:
        """``/phigate <text>``; the default response_url is ``fake.response_url("command")``."""
        fields = {
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM_ID,
            "team_domain": TEAM_DOMAIN,
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else channel.lower(),
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url or self._response_url("command"),
            "trigger_id": trigger_id or self.trigger_id(),
        }
        return self.post(urlencode(fields), FORM)

    def block_action(
        self,
        action_id: str,
        value: str | None = None,
        user: str = "U2",
        channel: str | None = "C_LEGAL",
        message_ts: str = "1700000000.000100",
        response_url: str | None = None,
        trigger_id: str | None = None,
        *,
        block_id: str = "actions",
        action_type: str = "button",
        message: dict[str, Any] | None = None,
        container: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
        action: dict[str, Any] | None = None,
        **extra: Any,
    ) -> Reply:
        """A click (``block_actions``) on a message button; with ``view=`` a click inside a modal or App Home.

        ``message`` replaces the clicked message (default: a bot message with that ts); ``action``
        adds fields to the action (``selected_option``...); ``extra`` adds top-level payload fields.
        """
        clicked: dict[str, Any] = {
            "type": action_type,
            "action_id": action_id,
            "block_id": block_id,
            "action_ts": _ts(),
            **({"value": value} if value is not None else {}),
            **(action or {}),
        }
        payload: dict[str, Any] = {
            "type": "block_actions",
            **self._common(user),
            "trigger_id": trigger_id or self.trigger_id(),
            "actions": [clicked],
            "state": {"values": {}},
        }
        if view is not None:
            payload["view"] = view
            payload["container"] = container or {"type": "view", "view_id": view.get("id", "V1")}
        else:
            payload["container"] = container or {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": False,
            }
            payload["message"] = message or {
                "type": "message",
                "ts": message_ts,
                "user": BOT_USER_ID,
                "bot_id": BOT_ID,
                "text": "",
                "blocks": [],
            }
            payload["response_url"] = response_url or self._response_url("action")
        if channel is not None:
            payload["channel"] = {"id": channel, "name": channel.lower()}
        payload.update(extra)
        return self.interactive(payload)

    def view_submission(
        self,
        callback_id: str,
        values: dict[str, dict[str, dict[str, Any]]],
        private_metadata: str = "",
        user: str = "U2",
        view_id: str = "V1",
        *,
        blocks: list[dict[str, Any]] | None = None,
        **extra: Any,
    ) -> Reply:
        """A modal's Submit: ``values`` in ``state.values`` shape (``{block: {action: plain("...")}}``)."""
        view = self._view(callback_id, values, private_metadata, view_id, blocks)
        payload = {
            "type": "view_submission",
            **self._common(user),
            "trigger_id": self.trigger_id(),
            "view": view,
            "response_urls": [],
            **extra,
        }
        return self.interactive(payload)

    def view_closed(
        self, callback_id: str, private_metadata: str = "", user: str = "U2", view_id: str = "V1"
    ) -> Reply:
        """A modal closed with Cancel (sent only when the view asked for ``notify_on_close``)."""
        view = self._view(callback_id, {}, private_metadata, view_id, None)
        payload = {"type": "view_closed", **self._common(user), "view": view, "is_cleared": False}
        return self.interactive(payload)

    def message_shortcut(
        self,
        callback_id: str,
        message_text: str,
        user: str = "U1",
        channel: str = "C_DRAFTS",
        message_ts: str = "1700000000.000100",
        trigger_id: str | None = None,
        *,
        author: str | None = None,
        response_url: str | None = None,
    ) -> Reply:
        """ "Submit reply for approval" on a message (``message_action``); ``author`` wrote it (default ``user``)."""
        payload = {
            "type": "message_action",
            **self._common(user),
            "callback_id": callback_id,
            "trigger_id": trigger_id or self.trigger_id(),
            "action_ts": _ts(),
            "message_ts": message_ts,
            "channel": {"id": channel, "name": channel.lower()},
            "message": {"type": "message", "user": author or user, "ts": message_ts, "text": message_text},
            "response_url": response_url or self._response_url("shortcut"),
        }
        return self.interactive(payload)

    def global_shortcut(self, callback_id: str, user: str = "U1", trigger_id: str | None = None) -> Reply:
        """A global shortcut (``shortcut``) from the lightning menu or search."""
        payload = {
            "type": "shortcut",
            **self._common(user),
            "callback_id": callback_id,
            "trigger_id": trigger_id or self.trigger_id(),
            "action_ts": _ts(),
        }
        return self.interactive(payload)

    def event(
        self,
        event: dict[str, Any],
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
    ) -> Reply:
        """An Events API ``event_callback``; ``retry_num``/``retry_reason`` mark Slack's redelivery."""
        envelope = {
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._serial):010d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        headers = {}
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
        if retry_reason is not None:
            headers["X-Slack-Retry-Reason"] = retry_reason
        return self.post(json.dumps(envelope), JSON, headers=headers)

    def url_verification(self, challenge: str) -> Reply:
        """The handshake Slack sends when the Request URL is saved."""
        body = {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
        return self.post(json.dumps(body), JSON)

    def interactive(self, payload: dict[str, Any]) -> Reply:
        """Any interactivity payload, form-encoded as ``payload=<json>``."""
        return self.post(urlencode({"payload": json.dumps(payload)}), FORM)

    # -- raw ----------------------------------------------------------------------------------------

    def post(
        self,
        body: bytes | str,
        content_type: str,
        timestamp: str | int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """POST ``body`` signed now (or with the given ``timestamp``/``signature``; ``headers`` win)."""
        data = body.encode() if isinstance(body, str) else body
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature
            if signature is not None
            else sign(self.signing_secret, stamp, data),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **(headers or {}),
        }
        return post(self.url, data, sent)

    def trigger_id(self) -> str:
        """A fresh trigger_id in Slack's format."""
        return f"{next(self._serial)}.1234567890.{secrets.token_hex(16)}"

    # -- pieces ---------------------------------------------------------------------------------------

    def _response_url(self, name: str) -> str:
        return self.fake.response_url(name) if self.fake is not None else UNREACHABLE_RESPONSE_URL

    def _common(self, user: str) -> dict[str, Any]:
        return {
            "token": VERIFICATION_TOKEN,
            "api_app_id": APP_ID,
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
            "is_enterprise_install": False,
            "enterprise": None,
        }

    @staticmethod
    def _view(
        callback_id: str,
        values: dict[str, Any],
        private_metadata: str,
        view_id: str,
        blocks: list[dict[str, Any]] | None,
    ) -> dict[str, Any]:
        return {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "title": _plain_text("phigate"),
            "blocks": blocks or [],
            "state": {"values": values},
            "hash": "1700000000.abcdef",
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": APP_ID,
            "external_id": "",
            "bot_id": BOT_ID,
        }


def _plain_text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _ts() -> str:
    return f"{time.time():.6f}"
