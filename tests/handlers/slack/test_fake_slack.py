"""The fake Slack Web API and the signed-request client work as the scenario tests assume.

The fake is driven with slack_sdk's own ``AsyncWebClient``; the client's requests are checked against
slack_sdk's ``SignatureVerifier`` and a bare Bolt ``AsyncApp`` (parsed, routed, acknowledged).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.request
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from tests.handlers.slack.conftest import NAMES, SIGNING_SECRET
from tests.handlers.slack.fake_slack import FakeSlack
from tests.handlers.slack.support import (
    SlackClient,
    checkboxes,
    message_event,
    plain,
    select,
    sign,
    url,
)

# The names handlers/slack/ids.py gives them (not imported: this file tests only the test tools).
APPROVE, REJECT_VIEW = "phigate_approve", "phigate_reject_view"
MESSAGE_SHORTCUT, GLOBAL_SHORTCUT = "phigate_submit_message", "phigate_new_draft"


def card_value(draft_id: str, version: int) -> str:
    return json.dumps({"d": draft_id, "v": version}, separators=(",", ":"))


T = TypeVar("T")
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Legal* ⏳ 0/1"}}]


def run(fake: FakeSlack, work: Callable[[AsyncWebClient], Awaitable[Any]], **options: Any) -> Any:
    """Run ``work`` with an AsyncWebClient on the fake (its session closed afterwards)."""

    async def main() -> Any:
        client = AsyncWebClient(token=options.pop("token", "xoxb-test"), base_url=fake.api_url, **options)
        return await work(client)

    return run_in_own_loop(main())


def run_in_own_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` on a fresh thread: the browser tests' Playwright keeps a loop on the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_auth_and_unknown_methods(fake_slack: FakeSlack) -> None:
    me = run(fake_slack, lambda c: c.auth_test())
    assert (me["user_id"], me["bot_id"], me["team_id"], me["team"]) == ("UBOT", "BBOT", "T1", "Test Hospital")
    for token, error in ((None, "not_authed"), ("xoxp-user", "invalid_auth")):
        with pytest.raises(SlackApiError) as raised:
            run(fake_slack, lambda c: c.auth_test(), token=token)
        assert raised.value.response["error"] == error
    with pytest.raises(SlackApiError) as raised:
        run(fake_slack, lambda c: c.api_call("chat.scheduleMessage", json={"channel": "C1"}))
    assert raised.value.response["error"] == "unknown_method"
    assert [call.method for call in fake_slack.calls] == ["auth.test"] * 3 + ["chat.scheduleMessage"]
    assert fake_slack.calls[0].token == "xoxb-test"
    assert fake_slack.calls[1].token is None


def test_post_and_update_are_recorded_with_their_blocks(fake_slack: FakeSlack) -> None:
    async def work(client: AsyncWebClient) -> tuple[Any, Any]:
        first = await client.chat_postMessage(channel="C_LEGAL", text="Draft to review", blocks=BLOCKS)
        second = await client.chat_postMessage(channel="C_COMMS", text="Draft to review")
        updated = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Legal* ✓ 1/1"}}]
        await client.chat_update(channel="C_LEGAL", ts=first["ts"], text="Approved", blocks=updated)
        return first, second

    first, second = run(fake_slack, work)
    assert first["channel"] == "C_LEGAL" and first["ts"] == "1700000000.000100"
    assert float(second["ts"]) > float(first["ts"])
    posted, update = fake_slack.calls_to("chat.postMessage")[0], fake_slack.calls_to("chat.update")[0]
    assert posted.json_param("blocks") == BLOCKS
    assert update.params["ts"] == first["ts"]
    assert update.json_param("blocks")[0]["text"]["text"] == "*Legal* ✓ 1/1"
    card = fake_slack.message("C_LEGAL", first["ts"])
    assert (
        card is not None and card["text"] == "Approved" and card["blocks"][0]["text"]["text"].endswith("1/1")
    )


def test_form_encoded_requests_and_dms(fake_slack: FakeSlack) -> None:
    body = "channel=U1&text=Your+draft+was+approved&token=xoxb-form"
    request = urllib.request.Request(
        fake_slack.api_url + "chat.postMessage",
        data=body.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        answer = json.loads(response.read())
    assert answer["ok"] and answer["channel"] == "DU1"
    call = fake_slack.calls_to("chat.postMessage")[0]
    assert call.token == "xoxb-form" and call.params == {"channel": "U1", "text": "Your draft was approved"}
    opened = run(fake_slack, lambda c: c.conversations_open(users="U1"))
    assert opened["channel"]["id"] == "DU1"
    assert [m["text"] for m in fake_slack.messages("DU1")] == ["Your draft was approved"]


def test_unknown_ts_and_missing_arguments_are_slack_errors(fake_slack: FakeSlack) -> None:
    for work, error in (
        (lambda c: c.chat_update(channel="C_LEGAL", ts="1.000001", text="x"), "message_not_found"),
        (lambda c: c.api_call("chat.postMessage", json={"channel": "C_LEGAL"}), "no_text"),
        (lambda c: c.views_open(trigger_id="", view={"type": "modal"}), "invalid_arguments"),
    ):
        with pytest.raises(SlackApiError) as raised:
            run(fake_slack, work)
        assert raised.value.response["error"] == error


def test_block_kit_limits_are_enforced(fake_slack: FakeSlack) -> None:
    too_many = [{"type": "divider"}] * 51
    too_long = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    for blocks in (too_many, too_long):
        with pytest.raises(SlackApiError) as raised:
            run(fake_slack, lambda c, b=blocks: c.chat_postMessage(channel="C_LEGAL", text="t", blocks=b))
        assert raised.value.response["error"] == "invalid_blocks"
        assert raised.value.response["errors"]
    view = {"type": "modal", "title": {"type": "plain_text", "text": "A title far too long for Slack"}}
    with pytest.raises(SlackApiError):
        run(fake_slack, lambda c: c.views_open(trigger_id="1.2.3", view=view))


def test_rate_limit_is_retried_after_retry_after(fake_slack: FakeSlack) -> None:
    fake_slack.fail_next("chat.update", status=429, retry_after=0)
    fake_slack.add_message("C_LEGAL", "1700000000.000001", "card", user="UBOT")
    handler = AsyncRateLimitErrorRetryHandler(max_retry_count=2)
    work = lambda c: c.chat_update(channel="C_LEGAL", ts="1700000000.000001", text="new")  # noqa: E731
    assert run(fake_slack, work, retry_handlers=[handler])["ok"]
    assert len(fake_slack.calls_to("chat.update")) == 2

    fake_slack.fail_next("chat.update", status=429, retry_after=0, times=3)
    with pytest.raises(SlackApiError) as raised:
        run(fake_slack, work, retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)])
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "0"
    assert raised.value.response["error"] == "ratelimited"


def test_server_errors_and_error_answers_surface(fake_slack: FakeSlack) -> None:
    fake_slack.fail_next("chat.postMessage", status=500)
    fake_slack.fail_next("chat.postMessage", error="channel_not_found")
    with pytest.raises(SlackApiError) as raised:
        run(fake_slack, lambda c: c.chat_postMessage(channel="C_LEGAL", text="t"))
    assert raised.value.response.status_code == 500
    with pytest.raises(SlackApiError) as raised:
        run(fake_slack, lambda c: c.chat_postMessage(channel="C_LEGAL", text="t"))
    assert (raised.value.response.status_code, raised.value.response["error"]) == (200, "channel_not_found")
    assert run(fake_slack, lambda c: c.chat_postMessage(channel="C_LEGAL", text="t"))["ok"]


def test_delayed_answer_times_out_the_client(fake_slack: FakeSlack) -> None:
    fake_slack.delay_next("auth.test", 2)
    started = time.monotonic()
    with pytest.raises(asyncio.TimeoutError):
        run(fake_slack, lambda c: c.auth_test(), timeout=0.5)
    assert time.monotonic() - started < 1.8
    assert run(fake_slack, lambda c: c.auth_test())["ok"]


def test_a_slow_answer_does_not_hold_up_others(fake_slack: FakeSlack) -> None:
    fake_slack.delay_next("auth.test", 1)
    finished: list[str] = []

    async def timed(name: str, call: Awaitable[Any]) -> None:
        await call
        finished.append(name)

    async def work(client: AsyncWebClient) -> None:
        slow = timed("auth.test", client.auth_test())
        fast = timed("chat.postMessage", client.chat_postMessage(channel="C_LEGAL", text="card"))
        await asyncio.gather(slow, fast)

    run(fake_slack, work)
    assert finished == ["chat.postMessage", "auth.test"]


def test_concurrent_posts_get_unique_increasing_ts(fake_slack: FakeSlack) -> None:
    async def work(client: AsyncWebClient) -> list[Any]:
        posts = [client.chat_postMessage(channel="C_LEGAL", text=f"card {n}") for n in range(20)]
        return await asyncio.gather(*posts)

    answers = run(fake_slack, work)
    stamps = [answer["ts"] for answer in answers]
    assert len(set(stamps)) == 20
    assert [m["ts"] for m in fake_slack.messages("C_LEGAL")] == sorted(stamps, key=float)


def test_files_upload_v2_end_to_end(fake_slack: FakeSlack) -> None:
    content = "event,draft\nfinal_approval,d1\n"
    done = run(
        fake_slack,
        lambda c: c.files_upload_v2(
            channel="DU2", content=content, filename="audit.csv", title="Audit", initial_comment="Export"
        ),
    )
    file_id = done["file"]["id"]
    assert fake_slack.uploads == {file_id: content.encode()}
    [shared] = fake_slack.shared_files
    assert (shared.channel_id, shared.initial_comment, shared.title, shared.filename) == (
        "DU2",
        "Export",
        "Audit",
        "audit.csv",
    )
    assert shared.content == content.encode()
    assert [c.method for c in fake_slack.calls] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]


def test_history_replies_users_and_groups(fake_slack: FakeSlack) -> None:
    fake_slack.add_message("C_DRAFTS", "1699999999.000001", "Thanks for the kind words!", user="U1")
    fake_slack.usergroups = {"S1": ["U2", "U3"]}

    async def work(client: AsyncWebClient) -> list[Any]:
        reply = await client.chat_postMessage(
            channel="C_DRAFTS", thread_ts="1699999999.000001", text="Scan: clear"
        )
        one = await client.conversations_history(
            channel="C_DRAFTS", latest="1699999999.000001", inclusive=True, limit=1
        )
        thread = await client.conversations_replies(channel="C_DRAFTS", ts="1699999999.000001")
        user = await client.users_info(user="U1")
        stranger = await client.users_info(user="U9")
        members = await client.usergroups_users_list(usergroup="S1")
        return [reply, one, thread, user, stranger, members]

    reply, one, thread, user, stranger, members = run(fake_slack, work)
    assert [m["text"] for m in one["messages"]] == ["Thanks for the kind words!"]
    assert [m["ts"] for m in thread["messages"]] == ["1699999999.000001", reply["ts"]]
    assert thread["messages"][1]["bot_id"] == "BBOT"
    assert user["user"]["real_name"] == NAMES["U1"] and stranger["user"]["real_name"] == "U9"
    assert members["users"] == ["U2", "U3"]
    with pytest.raises(SlackApiError) as raised:
        run(fake_slack, lambda c: c.usergroups_users_list(usergroup="S404"))
    assert raised.value.response["error"] == "no_such_subteam"


def test_views_and_home(fake_slack: FakeSlack) -> None:
    modal = {
        "type": "modal",
        "callback_id": REJECT_VIEW,
        "title": {"type": "plain_text", "text": "Reject"},
    }

    async def work(client: AsyncWebClient) -> list[Any]:
        opened = await client.views_open(trigger_id="1.2.abc", view=modal)
        updated = await client.views_update(
            view_id=opened["view"]["id"], view={**modal, "private_metadata": "m"}
        )
        home = await client.views_publish(user_id="U2", view={"type": "home", "blocks": BLOCKS})
        return [opened, updated, home]

    opened, updated, home = run(fake_slack, work)
    assert opened["view"]["id"] == updated["view"]["id"] and opened["view"]["callback_id"] == REJECT_VIEW
    assert fake_slack.view(opened["view"]["id"])["private_metadata"] == "m"
    assert fake_slack.home_views["U2"]["blocks"] == BLOCKS and home["view"]["id"].startswith("V")
    assert fake_slack.calls_to("views.open")[0].json_param("view")["callback_id"] == REJECT_VIEW


def test_wait_for_and_response_urls(fake_slack: FakeSlack) -> None:
    def later() -> None:
        time.sleep(0.2)
        run(fake_slack, lambda c: c.chat_postMessage(channel="C_LEGAL", text="late card"))
        body = json.dumps({"response_type": "ephemeral", "text": "Scan: clear"}).encode()
        request = urllib.request.Request(
            fake_slack.response_url("command"), data=body, headers={"Content-Type": "application/json"}
        )
        urllib.request.urlopen(request, timeout=5).close()

    worker = threading.Thread(target=later)
    worker.start()
    [call] = fake_slack.wait_for("chat.postMessage", timeout=5)
    assert call.params["text"] == "late card"
    [body] = fake_slack.wait_for_response("command")
    assert body == {"response_type": "ephemeral", "text": "Scan: clear"}
    worker.join()
    with pytest.raises(AssertionError, match=r"chat\.update"):
        fake_slack.wait_for("chat.update", timeout=0.2)
    fake_slack.reset()
    assert fake_slack.calls == [] and fake_slack.responses == {}
    assert fake_slack.users == NAMES


def test_signatures_verify_with_the_sdk() -> None:
    body = "payload=%7B%22type%22%3A%22block_actions%22%7D"
    stamp = str(int(time.time()))
    signature = sign(SIGNING_SECRET, stamp, body)
    assert signature.startswith("v0=")
    verifier = SignatureVerifier(SIGNING_SECRET)
    assert verifier.is_valid(body, stamp, signature)
    assert not verifier.is_valid(body + "x", stamp, signature)
    assert sign(SIGNING_SECRET, stamp, body.encode()) == signature


def test_values_builders() -> None:
    assert plain("hi") == {"type": "plain_text_input", "value": "hi"}
    assert url("https://x.test")["type"] == "url_text_input"
    assert select("off_brand")["selected_option"]["value"] == "off_brand"
    assert select(None)["selected_option"] is None
    assert [o["value"] for o in checkboxes("ack")["selected_options"]] == ["ack"]


def test_requests_are_accepted_and_routed_by_bolt(fake_slack: FakeSlack) -> None:
    """Every request kind parses in a bare Bolt app; bad and stale signatures are refused."""
    seen: dict[str, Any] = {}

    async def main() -> None:
        client = AsyncWebClient(token="xoxb-test", base_url=fake_slack.api_url)
        bolt = AsyncApp(client=client, signing_secret=SIGNING_SECRET)

        @bolt.command("/phigate")
        async def command(ack: Any, command: dict[str, Any]) -> None:
            seen["command"] = command
            await ack()

        @bolt.action(APPROVE)
        async def approve(ack: Any, body: dict[str, Any]) -> None:
            seen["action"] = body
            await ack()

        @bolt.view(REJECT_VIEW)
        async def reject(ack: Any, view: dict[str, Any]) -> None:
            seen["view"] = view
            await ack(response_action="errors", errors={"reason": "Pick a reason"})

        @bolt.shortcut(MESSAGE_SHORTCUT)
        async def message_shortcut(ack: Any, shortcut: dict[str, Any]) -> None:
            seen["message_shortcut"] = shortcut
            await ack()

        @bolt.shortcut(GLOBAL_SHORTCUT)
        async def global_shortcut(ack: Any, shortcut: dict[str, Any]) -> None:
            seen["global_shortcut"] = shortcut
            await ack()

        @bolt.event("message")
        async def message(event: dict[str, Any]) -> None:
            seen["event"] = event

        async def endpoint(request: web.Request) -> web.Response:
            return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

        app = web.Application()
        app.router.add_post("/slack/events", endpoint)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        slack = SlackClient(f"http://127.0.0.1:{runner.addresses[0][1]}", SIGNING_SECRET, fake=fake_slack)
        try:
            await asyncio.to_thread(exercise, slack)
        finally:
            await client.session.close() if client.session else None
            await runner.cleanup()

    run_in_own_loop(main())
    assert seen["command"]["text"] == "scan hello" and seen["command"]["response_url"].endswith(
        "/respond/command"
    )
    assert seen["action"]["actions"][0]["value"] == card_value("d1", 1)
    assert seen["action"]["container"]["channel_id"] == "C_LEGAL"
    assert (
        seen["view"]["state"]["values"]["reason"]["reason_value"]["selected_option"]["value"] == "off_brand"
    )
    assert seen["message_shortcut"]["message"]["text"] == "Thanks!"
    assert seen["global_shortcut"]["user"]["id"] == "U1"
    assert seen["event"]["text"] == "A draft"


def exercise(slack: SlackClient) -> None:
    """The requests of ``test_requests_are_accepted_and_routed_by_bolt`` (run from a worker thread)."""
    assert slack.url_verification("chal").data == {"challenge": "chal"}
    assert slack.slash_command("scan hello").status == 200
    assert slack.block_action(APPROVE, card_value("d1", 1)).status == 200
    values = {"reason": {"reason_value": select("off_brand")}, "comment": {"comment_value": plain(None)}}
    reply = slack.view_submission(REJECT_VIEW, values, private_metadata=card_value("d1", 1))
    assert reply.data == {"response_action": "errors", "errors": {"reason": "Pick a reason"}}
    assert slack.message_shortcut(MESSAGE_SHORTCUT, "Thanks!").status == 200
    assert slack.global_shortcut(GLOBAL_SHORTCUT).status == 200
    assert slack.event(message_event("A draft"), retry_num=1, retry_reason="http_timeout").status == 200
    assert slack.post("{}", "application/json", signature="v0=" + "0" * 64).status == 401
    assert slack.post("{}", "application/json", timestamp=int(time.time()) - 600).status == 401


def test_slack_settings_point_at_the_fake(slack_settings: Any, fake_slack: FakeSlack) -> None:
    slack = slack_settings.slack
    assert (slack.bot_token, slack.signing_secret, slack.api_url) == (
        "xoxb-test",
        SIGNING_SECRET,
        fake_slack.api_url,
    )
    assert slack.channels == {"legal": "C_LEGAL", "comms": "C_COMMS"} and slack.drafts_channel == "C_DRAFTS"
    assert slack_settings.identity.groups["legal"] == ("slack:U2", "slack:U3")
    assert slack_settings.identity.submitters == ("social",)
    assert slack_settings.identity.names["slack:U1"] == NAMES["U1"]
    assert not slack_settings.sandbox_mode


def test_slack_server_fixture_starts(slack_server: tuple[Any, SlackClient], fake_slack: FakeSlack) -> None:
    server, slack = slack_server
    assert server.settings.slack.api_url == fake_slack.api_url
    assert server.request("GET", "/healthz").status == 200
    assert slack.url.endswith("/slack/events")
