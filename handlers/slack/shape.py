"""What a Slack request must look like before Bolt sees it (Bolt answers 500 to most malformed ones).

Slack never sends these, but anyone can: the checks keep a malformed body a 400, never a server error.
"""

from __future__ import annotations

from typing import Any

_USER_TYPES = frozenset({"block_actions", "view_submission", "view_closed", "shortcut", "message_action"})


def problem(body: Any) -> str | None:
    """Why ``body`` (Bolt's parsed request body) is not a request Slack would send; None if it is."""
    if not isinstance(body, dict):
        return "the body is not an object"
    if "command" in body:
        return None if _text(body, "command") and _text(body, "user_id") else "a command needs its user"
    kind = body.get("type")
    if kind == "event_callback" and not isinstance(body.get("event"), dict):
        return "an event callback needs an event object"
    if kind in _USER_TYPES and not (isinstance(body.get("user"), dict) and _text(body["user"], "id")):
        return "an interaction needs its user"
    if kind == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not all(
            isinstance(action, dict) and _text(action, "action_id") for action in actions
        ):
            return "block actions need a list of actions with ids"
    if kind in ("view_submission", "view_closed") and not (
        isinstance(body.get("view"), dict) and _text(body["view"], "type")
    ):
        return "a view submission needs its view"
    return None


def _text(data: dict[str, Any], key: str) -> bool:
    return isinstance(data.get(key), str) and bool(data[key])
