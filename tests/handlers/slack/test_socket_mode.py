"""Socket Mode: no HTTP endpoint, a connection opened through the Web API, health unaffected."""

from __future__ import annotations

from tests.handlers.live_server import LiveServer
from tests.handlers.slack.conftest import SIGNING_SECRET, make_slack_settings
from tests.handlers.slack.support import SlackClient

APP_TOKEN = "xapp-1-test"


def test_socket_mode_serves_without_the_endpoint_and_stays_healthy(fake_slack, database) -> None:
    settings = make_slack_settings(
        fake_slack, database, socket_mode=True, app_token=APP_TOKEN, signing_secret=""
    )
    server = LiveServer(settings, database).start()
    try:
        (opened, *_) = fake_slack.wait_for("apps.connections.open")
        assert opened.token == APP_TOKEN  # the app-level token, not the bot token
        assert opened.path == "/api/apps.connections.open"  # at the configured Web API base URL

        reply = SlackClient(server.url, SIGNING_SECRET).slash_command("help")
        assert reply.status in (404, 405)  # nothing is mounted at /slack/events
        # The fake's websocket URL does not answer: the server keeps serving regardless.
        for _ in range(3):
            health = server.request("GET", "/healthz")
            assert health.status == 200 and health.data["mode"] == "workspace"
    finally:
        server.stop()
    assert not server._thread.is_alive()  # shut down cleanly, the connection attempts cancelled
