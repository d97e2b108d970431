"""The Slack manifest is importable as is and asks for exactly the scopes the code uses."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from handlers.slack import ids

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "manifest" / "slack" / "manifest.yaml"
SLACK_CODE = ROOT / "handlers" / "slack"

# Web API method (as the SDK method name) -> the bot scope it needs (https://api.slack.com/methods).
SCOPE_OF_METHOD = {
    "chat_postMessage": "chat:write",
    "chat_update": "chat:write",
    "chat_postEphemeral": "chat:write",
    "views_open": None,  # needs only a trigger id
    "views_push": None,
    "views_update": None,
    "views_publish": None,
    "conversations_open": "im:write",
    "conversations_history": "channels:history",  # groups:history for private drafts channels
    "usergroups_users_list": "usergroups:read",
    "users_info": "users:read",
    "files_upload_v2": "files:write",
}
# Scopes that come from features, not Web API calls.
FEATURE_SCOPES = {
    "commands": "the /phigate command and the shortcuts",
    "groups:history": "message events from a private drafts channel",
}


def manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text())


def methods_called() -> set[str]:
    called = set()
    for path in SLACK_CODE.rglob("*.py"):
        called |= set(re.findall(r"client\.(\w+)\(", path.read_text()))
    return called


def test_every_called_method_is_known_and_its_scope_requested() -> None:
    called = methods_called()
    assert called, "found no Web API calls: the scan of handlers/slack is broken"
    unknown = called - set(SCOPE_OF_METHOD)
    assert not unknown, f"add these methods and their scopes to SCOPE_OF_METHOD: {unknown}"
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    needed = {SCOPE_OF_METHOD[method] for method in called} - {None}
    assert needed <= scopes


def test_no_scope_is_requested_that_nothing_uses() -> None:
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    used = {SCOPE_OF_METHOD[method] for method in methods_called()} - {None}
    assert scopes == used | set(FEATURE_SCOPES)


def test_command_shortcuts_and_urls_match_the_code() -> None:
    data = manifest()
    features = data["features"]
    (command,) = features["slash_commands"]
    assert command["command"] == ids.COMMAND
    callbacks = {shortcut["type"]: shortcut["callback_id"] for shortcut in features["shortcuts"]}
    assert callbacks == {"message": ids.MESSAGE_SHORTCUT, "global": ids.GLOBAL_SHORTCUT}
    settings = data["settings"]
    urls = {
        command["url"],
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    }
    assert len(urls) == 1 and urls.pop().endswith("/slack/events")
    assert settings["interactivity"]["is_enabled"] is True
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "message.channels",
        "message.groups",
    }
    assert features["app_home"]["home_tab_enabled"] is True
    for shortcut in features["shortcuts"]:
        assert len(shortcut["name"]) <= 25 and len(shortcut["description"]) <= 80


def test_display_information_meets_slack_limits() -> None:
    info = manifest()["display_information"]
    assert 1 <= len(info["name"]) <= 35
    assert len(info["description"]) <= 140
    assert 174 <= len(info["long_description"]) <= 4000
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", info["background_color"])
