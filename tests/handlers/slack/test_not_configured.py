"""Half-configured Slack: credentials without review channels still serve; partial credentials refuse."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from handlers.cli.main import main
from handlers.slack import ids
from tests.handlers.live_server import LiveServer
from tests.handlers.slack.conftest import SIGNING_SECRET, make_slack_settings
from tests.handlers.slack.fake_slack import FakeSlack
from tests.handlers.slack.flows import CLEAR, buttons, drafts, eventually, submit_form, text_of
from tests.handlers.slack.outbox_steps import outbox_rows
from tests.handlers.slack.support import SlackClient, message_event

SETTING_NAMES = ("PHIGATE_SLACK_LEGAL_CHANNEL", "PHIGATE_SLACK_COMMS_CHANNEL")


@pytest.fixture
def no_channels(fake_slack: FakeSlack, database) -> Iterator[tuple[LiveServer, SlackClient]]:  # type: ignore[no-untyped-def]
    """A server with Slack credentials and a drafts channel but no review channels."""
    server = LiveServer(make_slack_settings(fake_slack, database, channels={}), database).start()
    try:
        yield server, SlackClient(server.url, SIGNING_SECRET, fake=fake_slack)
    finally:
        server.stop()


def channel_posts(fake: FakeSlack) -> list[str]:
    """Channels (not DMs) anything was posted to."""
    return [c.params["channel"] for c in fake.calls_to("chat.postMessage") if c.params["channel"][0] in "CG"]


def test_help_and_scan_work_and_say_reviews_are_not_set_up(no_channels, fake_slack) -> None:
    server, client = no_channels
    assert server.request("GET", "/healthz").status == 200
    shown = text_of(client.slash_command("help", user="U1").data)
    assert "/phigate scan" in shown and "not configured" in shown
    scan = client.slash_command(f"scan {CLEAR}", user="U1")
    assert scan.status == 200 and scan.data["text"] == "PHI scan: clear"
    assert drafts(server) == []


def test_a_submitted_draft_is_stored_and_the_author_told_plainly(no_channels, fake_slack) -> None:
    server, client = no_channels
    reply = submit_form(client, CLEAR)
    assert reply.status == 200 and reply.data["response_action"] == "update"
    shown = text_of(reply.data["view"])
    assert all(name in shown for name in SETTING_NAMES) and "no review cards were posted" in shown
    (found,) = drafts(server)
    assert found.status == "pending" and found.current.text == CLEAR
    eventually(lambda: [row.status for row in outbox_rows(server, "cards.post")] == ["delivered"])
    assert channel_posts(fake_slack) == []


def test_a_draft_pasted_and_sent_for_approval_gets_the_same_warning(no_channels, fake_slack) -> None:
    server, client = no_channels
    ts = "1700000100.000100"
    fake_slack.add_message("C_DRAFTS", ts, CLEAR, user="U1")
    assert client.event(message_event(CLEAR, ts=ts)).status == 200
    (answer,) = fake_slack.wait_for("chat.postMessage")
    assert answer.params["channel"] == "C_DRAFTS" and answer.params["thread_ts"] == ts
    send = buttons(answer.json_param("blocks"))[ids.SEND_FOR_APPROVAL]
    client.block_action(ids.SEND_FOR_APPROVAL, send, user="U1", channel="C_DRAFTS")
    (shown,) = fake_slack.wait_for_response("action")
    assert all(name in text_of(shown) for name in SETTING_NAMES)
    (found,) = drafts(server)
    assert found.status == "pending"
    eventually(lambda: [row.status for row in outbox_rows(server, "cards.post")] == ["delivered"])
    assert channel_posts(fake_slack) == ["C_DRAFTS"]  # only the thread answer


# -- partial credentials stop `phigate serve` and `phigate config check` ------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> pytest.MonkeyPatch:  # type: ignore[no-untyped-def]
    """No PHIGATE_/SLACK_ variables from the caller; a throwaway database; serving would fail loudly."""
    import os

    for name in list(os.environ):
        if name.startswith(("PHIGATE_", "SLACK_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PHIGATE_DATABASE_URL", f"sqlite:///{tmp_path / 'phigate.db'}")

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("phigate serve started despite incomplete Slack settings")

    monkeypatch.setattr("aiohttp.web.run_app", never)
    return monkeypatch


PARTIAL = {
    "signing secret without bot token": ({"SLACK_SIGNING_SECRET": "s3cret-value"}, "SLACK_BOT_TOKEN"),
    "socket mode without app token": (
        {"SLACK_BOT_TOKEN": "xoxb-1", "PHIGATE_SLACK__SOCKET_MODE": "true"},
        "SLACK_APP_TOKEN",
    ),
    "bot token without signing secret": ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
}


@pytest.mark.parametrize("command", [["config", "check"], ["serve", "--port", "0"]])
@pytest.mark.parametrize("case", PARTIAL)
def test_partial_credentials_exit_2_naming_what_is_missing(clean_env, capsys, case, command) -> None:
    env, missing = PARTIAL[case]
    for name, value in env.items():
        clean_env.setenv(name, value)
    assert main(command) == 2
    captured = capsys.readouterr()
    assert missing in captured.err and "configuration error" in captured.err
    assert "s3cret-value" not in captured.err + captured.out
