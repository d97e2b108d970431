"""The Teams test kit proven with botbuilder itself (no phigate bot): a tiny ActivityHandler behind a
CloudAdapter in a bare aiohttp app, talking to FakeConnector, authenticated against LocalOpenId."""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from botbuilder.core import ActivityHandler, CardFactory, MessageFactory, TurnContext, serializer_helper
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ConversationParameters, ConversationReference, ErrorResponseException

from tests.handlers.teams import support
from tests.handlers.teams.conftest import (
    APP_ID,
    APP_PASSWORD,
    COMMS_CHANNEL,
    LEGAL_CHANNEL,
    LEGAL_USER,
    SOCIAL_USER,
    TEAM_ID,
    auth_overrides,
)
from tests.handlers.teams.fake_connector import CARD_TYPE, BackgroundServer, FakeConnector
from tests.handlers.teams.openid import LocalOpenId
from tests.handlers.teams.support import TENANT_ID, TeamsClient, personal_conversation


@dataclass(frozen=True)
class Config:
    """What ConfigurationBotFrameworkAuthentication reads (botbuilder's attribute names)."""

    APP_ID: str = ""
    APP_PASSWORD: str = ""
    APP_TYPE: str = "MultiTenant"
    APP_TENANTID: str = ""
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str | None = None
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str | None = None
    TO_CHANNEL_FROM_BOT_LOGIN_URL: str | None = None
    TO_CHANNEL_FROM_BOT_OAUTH_SCOPE: str | None = None


def card(title: str) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": title}],
    }


class EchoBot(ActivityHandler):
    """Replies "echo: <text>" and remembers where it was talked to."""

    def __init__(self) -> None:
        self.references: list[ConversationReference] = []

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        self.references.append(TurnContext.get_conversation_reference(turn_context.activity))
        await turn_context.send_activity(f"echo: {turn_context.activity.text}")


class BotServer(BackgroundServer):
    """The bare bot: POST /api/messages -> CloudAdapter.process."""

    name = "echo-bot"

    def __init__(self, config: Config, *, strict: bool = False) -> None:
        super().__init__()
        self.config = config
        self.strict = strict
        self.adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))
        self.bot = EchoBot()

    def build_app(self) -> web.Application:
        async def messages(request: web.Request) -> web.StreamResponse:
            if self.strict:
                return await authenticated_process(self.adapter, request, self.bot)
            response = await self.adapter.process(request, self.bot)
            return response if response is not None else web.Response(status=201)

        app = web.Application()
        app.router.add_post("/api/messages", messages)
        return app

    def proactive(
        self, reference: ConversationReference, logic: Callable[[TurnContext], Awaitable[Any]]
    ) -> Any:
        """``continue_conversation`` on the bot's loop; returns what ``logic`` returned."""
        result: list[Any] = []

        async def callback(turn_context: TurnContext) -> None:
            result.append(await logic(turn_context))

        self.run(self.adapter.continue_conversation(reference, callback, self.config.APP_ID))
        return result[0] if result else None


async def authenticated_process(
    adapter: CloudAdapter, request: web.Request, bot: ActivityHandler
) -> web.Response:
    """The recipe for /api/messages: authenticate first (any failure is a 401), then run the turn.

    ``CloudAdapter.process`` turns only PermissionError into 401; a malformed, expired, forged or
    unknown-key token raises jwt/lookup errors, and with endpoint overrides set a missing header
    raises AttributeError (all 500). A missing header must be passed as None, not "".
    """
    if "application/json" not in request.headers.get("Content-Type", ""):
        return web.Response(status=415)
    activity = Activity().deserialize(await request.json())
    if not activity.type:
        return web.Response(status=400)
    try:
        auth = await adapter.bot_framework_authentication.authenticate_request(
            activity, request.headers.get("Authorization") or None
        )
    except Exception:
        return web.Response(status=401)
    invoke = await adapter.process_activity(auth, activity, bot.on_turn)
    if invoke is not None:
        return web.json_response(serializer_helper(invoke.body), status=invoke.status)
    return web.Response(status=201)


@pytest.fixture
def open_bot() -> Iterator[BotServer]:
    """A bot without an app id (Emulator mode): unauthenticated activities, no outbound token."""
    server = BotServer(Config())
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["process", "strict"])
def auth_bot(
    request: pytest.FixtureRequest,
    fake_connector: FakeConnector,
    local_openid: LocalOpenId,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[BotServer]:
    """A SingleTenant bot validating tokens against LocalOpenId, getting its token from the fake."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", fake_connector.ca_file)  # MSAL must trust the fake's TLS
    fake_connector.client_secrets[APP_ID] = APP_PASSWORD
    fake_connector.require_token = fake_connector.access_token
    overrides = auth_overrides(fake_connector, local_openid)
    config = Config(
        APP_ID=APP_ID,
        APP_PASSWORD=APP_PASSWORD,
        APP_TYPE="SingleTenant",
        APP_TENANTID=TENANT_ID,
        TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=overrides["openid_metadata_url"],
        TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=overrides["token_issuer"],
        TO_CHANNEL_FROM_BOT_LOGIN_URL=overrides["login_url"],
        TO_CHANNEL_FROM_BOT_OAUTH_SCOPE=overrides["oauth_scope"],
    )
    server = BotServer(config, strict=request.param == "strict")
    server.start()
    yield server
    server.stop()


def client_for(bot: BotServer, fake: FakeConnector, **options: Any) -> TeamsClient:
    return TeamsClient(
        bot.base_url, service_url=fake.service_url, team_id=TEAM_ID, default_user=SOCIAL_USER, **options
    )


# -- replies, proactive sends, updates --------------------------------------------------------------


def test_a_reply_to_a_message_is_recorded(open_bot: BotServer, fake_connector: FakeConnector) -> None:
    client = client_for(open_bot, fake_connector)

    reply = client.message("hello", activity_id="1700000000001")

    assert reply.status == 201
    (call,) = fake_connector.wait_for("reply")
    conversation = personal_conversation(SOCIAL_USER)
    assert (call.method, call.conversation_id, call.activity_id) == ("POST", conversation, "1700000000001")
    assert call.authorization is None  # no app id: botbuilder sends without a token
    (sent,) = fake_connector.sent(conversation)
    assert sent["text"] == "echo: hello"
    assert sent["replyToId"] == "1700000000001"
    assert sent["recipient"]["id"] == SOCIAL_USER.id
    assert sent["id"]  # the id the fake gave it


def test_a_channel_mention_replies_in_the_thread(open_bot: BotServer, fake_connector: FakeConnector) -> None:
    client = client_for(open_bot, fake_connector)

    assert (
        client.message("status 1", channel_id=LEGAL_CHANNEL, mentions_bot=True, activity_id="42").status
        == 201
    )

    (call,) = fake_connector.wait_for("reply")
    assert call.conversation_id == f"{LEGAL_CHANNEL};messageid=42"  # decoded from the quoted path
    assert fake_connector.sent(LEGAL_CHANNEL)[0]["text"] == "echo: <at>phigate</at> status 1"
    assert fake_connector.sent(COMMS_CHANNEL) == []


def channel_reference(fake: FakeConnector, channel: str = LEGAL_CHANNEL) -> ConversationReference:
    """What a bot stores when installed in a team (conversation = the channel)."""
    return ConversationReference().deserialize(
        {
            "bot": {"id": "28:phigate", "name": "phigate"},
            "conversation": {
                "id": channel,
                "isGroup": True,
                "conversationType": "channel",
                "tenantId": TENANT_ID,
            },
            "channelId": "msteams",
            "serviceUrl": fake.service_url,
        }
    )


def test_proactive_card_then_update_in_place(open_bot: BotServer, fake_connector: FakeConnector) -> None:
    reference = channel_reference(fake_connector)

    async def post(turn_context: TurnContext) -> str:
        response = await turn_context.send_activity(
            MessageFactory.attachment(CardFactory.adaptive_card(card("v1")))
        )
        return response.id

    activity_id = open_bot.proactive(reference, post)

    (call,) = fake_connector.calls_to("post")  # a "reply" to the continuation activity's random id
    assert call.conversation_id == LEGAL_CHANNEL
    assert call.body["attachments"][0]["contentType"] == CARD_TYPE
    assert fake_connector.last_card(LEGAL_CHANNEL) == card("v1")

    async def update(turn_context: TurnContext) -> None:
        activity = MessageFactory.attachment(CardFactory.adaptive_card(card("v2")))
        activity.id = activity_id
        await turn_context.update_activity(activity)

    open_bot.proactive(reference, update)

    (updated,) = fake_connector.updated(LEGAL_CHANNEL)
    assert updated["id"] == activity_id
    assert fake_connector.last_card(LEGAL_CHANNEL) == card("v2")
    assert fake_connector.cards(LEGAL_CHANNEL) == {activity_id: card("v2")}


def test_updating_an_unknown_activity_is_a_404(open_bot: BotServer, fake_connector: FakeConnector) -> None:
    async def update(turn_context: TurnContext) -> None:
        activity = MessageFactory.text("v2")
        activity.id = "no-such-activity"
        await turn_context.update_activity(activity)

    with pytest.raises(ErrorResponseException) as raised:
        open_bot.proactive(channel_reference(fake_connector), update)

    assert raised.value.response.status_code == 404
    assert raised.value.error.error.code == "NotFound"


@pytest.mark.parametrize("status", [429, 412, 500, 502, 504])
def test_faults_surface_as_error_response_exception(
    open_bot: BotServer, fake_connector: FakeConnector, status: int
) -> None:
    fake_connector.fail_next("post", status, retry_after=7)

    async def post(turn_context: TurnContext) -> None:
        await turn_context.send_activity("hello")

    with pytest.raises(ErrorResponseException) as raised:
        open_bot.proactive(channel_reference(fake_connector), post)

    response = raised.value.response  # msrest's response: .status_code, .headers (case-insensitive)
    assert response.status_code == status
    assert response.headers["Retry-After"] == "7"
    assert response.headers["retry-after"] == "7"
    assert len(fake_connector.calls_to("post")) == 1  # botbuilder did not retry by itself
    assert fake_connector.sent() == []

    open_bot.proactive(channel_reference(fake_connector), post)  # the fault was used up
    assert [a["text"] for a in fake_connector.sent(LEGAL_CHANNEL)] == ["hello"]


def test_a_delay_holds_one_answer(open_bot: BotServer, fake_connector: FakeConnector) -> None:
    fake_connector.delay_next("post", 0.5)

    async def post(turn_context: TurnContext) -> None:
        await turn_context.send_activity("slow")

    started = time.monotonic()
    open_bot.proactive(channel_reference(fake_connector), post)
    assert time.monotonic() - started >= 0.5


def test_teams_info_and_one_to_one_conversations(open_bot: BotServer, fake_connector: FakeConnector) -> None:
    async def look_up(turn_context: TurnContext) -> tuple[Any, ...]:
        member = await TeamsInfo.get_team_member(turn_context, TEAM_ID, LEGAL_USER.id)
        channels = await TeamsInfo.get_team_channels(turn_context, TEAM_ID)
        return member, channels

    member, channels = open_bot.proactive(channel_reference(fake_connector), look_up)

    assert (member.aad_object_id, member.name) == (LEGAL_USER.aad_object_id, LEGAL_USER.name)
    assert {channel.id for channel in channels} >= {TEAM_ID, LEGAL_CHANNEL, COMMS_CHANNEL}

    created: list[str] = []

    async def on_created(turn_context: TurnContext) -> None:
        created.append(turn_context.activity.conversation.id)
        await turn_context.send_activity("your draft was approved")

    parameters = ConversationParameters(
        is_group=False,
        bot={"id": "28:phigate"},
        members=[{"id": LEGAL_USER.id}],
        tenant_id=TENANT_ID,
        channel_data={"tenant": {"id": TENANT_ID}},
    )
    open_bot.run(
        open_bot.adapter.create_conversation(
            "", on_created, parameters, channel_id="msteams", service_url=fake_connector.service_url
        )
    )

    assert created == [f"a:personal-{LEGAL_USER.id}"]
    assert [a["text"] for a in fake_connector.sent(created[0])] == ["your draft was approved"]


# -- authentication --------------------------------------------------------------------------------


def test_a_signed_token_is_accepted_and_the_reply_gets_a_token_from_the_fake(
    auth_bot: BotServer, fake_connector: FakeConnector, local_openid: LocalOpenId
) -> None:
    client = client_for(
        auth_bot,
        fake_connector,
        app_id=APP_ID,
        token_factory=lambda: local_openid.token(APP_ID, fake_connector.service_url),
    )

    assert client.message("hello").status == 201

    (reply,) = fake_connector.wait_for("reply")
    assert reply.authorization == f"Bearer {fake_connector.access_token}"
    (token_call,) = fake_connector.calls_to("token")
    assert token_call.body["client_id"] == APP_ID
    assert token_call.body["client_secret"] == APP_PASSWORD
    assert token_call.body["grant_type"] == "client_credentials"
    assert "https://api.botframework.com/.default" in token_call.body["scope"]
    assert local_openid.requests  # keys came from the local server


def test_proactive_sends_with_an_app_id_carry_the_token(
    auth_bot: BotServer, fake_connector: FakeConnector
) -> None:
    async def post(turn_context: TurnContext) -> None:
        await turn_context.send_activity("proactive")

    auth_bot.proactive(channel_reference(fake_connector, COMMS_CHANNEL), post)

    (call,) = fake_connector.calls_to("post")
    assert call.token == fake_connector.access_token


def test_a_wrong_client_secret_fails_the_outbound_call(
    auth_bot: BotServer, fake_connector: FakeConnector
) -> None:
    fake_connector.client_secrets[APP_ID] = "another-secret"

    async def post(turn_context: TurnContext) -> None:
        await turn_context.send_activity("proactive")

    with pytest.raises(PermissionError, match="invalid_client"):
        auth_bot.proactive(channel_reference(fake_connector), post)
    assert fake_connector.calls_to("post") == []


BAD_TOKENS: dict[str, Callable[[LocalOpenId, str], str | None]] = {
    "no token": lambda openid, url: None,
    "not bearer": lambda openid, url: "Basic dXNlcjpwYXNz",
    "unknown issuer": lambda openid, url: f"Bearer {openid.unknown_issuer_token(APP_ID, url)}",
    "wrong audience": lambda openid, url: f"Bearer {openid.wrong_audience_token(url)}",
    "wrong serviceurl": lambda openid, url: f"Bearer {openid.wrong_service_url_token(APP_ID)}",
    "malformed": lambda openid, url: f"Bearer {openid.malformed_token()}",
    "expired": lambda openid, url: f"Bearer {openid.expired_token(APP_ID, url)}",
    "unknown kid": lambda openid, url: f"Bearer {openid.unknown_kid_token(APP_ID, url)}",
    "forged signature": lambda openid, url: f"Bearer {openid.forged_token(APP_ID, url)}",
}
# What a bare ``CloudAdapter.process`` answers (with endpoint overrides set): only PermissionError
# becomes 401; the rest escape as exceptions (500). ``authenticated_process`` answers 401 to all.
PROCESS_STATUS = {
    "no token": 500,  # AttributeError: parameterized auth gets "" (not None) and dereferences no identity
    "not bearer": 401,
    "unknown issuer": 401,
    "wrong audience": 401,
    "wrong serviceurl": 401,
    "malformed": 500,  # jwt.DecodeError
    "expired": 500,  # jwt.ExpiredSignatureError
    "unknown kid": 500,  # IndexError in botbuilder's key lookup
    "forged signature": 500,  # jwt.InvalidSignatureError
}


def _post_with(bot: BotServer, fake: FakeConnector, authorization: str | None) -> int:
    client = client_for(bot, fake, app_id=APP_ID)
    activity = client.activity("message", SOCIAL_USER, personal_conversation(SOCIAL_USER))
    activity["text"] = "hello"
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    return client.raw(activity, headers).status


@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
def test_bad_tokens_are_refused(
    auth_bot: BotServer, fake_connector: FakeConnector, local_openid: LocalOpenId, case: str
) -> None:
    authorization = BAD_TOKENS[case](local_openid, fake_connector.service_url)

    expected = 401 if auth_bot.strict else PROCESS_STATUS[case]
    assert _post_with(auth_bot, fake_connector, authorization) == expected
    assert fake_connector.calls == []


def test_without_overrides_a_missing_token_is_401() -> None:
    """The public-cloud path (no endpoint overrides) refuses a missing header before any network call."""
    server = BotServer(
        Config(APP_ID=APP_ID, APP_PASSWORD=APP_PASSWORD, APP_TYPE="SingleTenant", APP_TENANTID=TENANT_ID)
    )
    server.start()
    try:
        with FakeConnector() as fake:
            assert _post_with(server, fake, None) == 401
    finally:
        server.stop()


def test_without_an_app_id_an_unauthenticated_activity_is_accepted(
    open_bot: BotServer, fake_connector: FakeConnector
) -> None:
    assert _post_with(open_bot, fake_connector, None) == 201


def test_single_tenant_without_an_app_id_is_refused_by_botbuilder() -> None:
    with pytest.raises(Exception, match="APP_ID"):
        ConfigurationBotFrameworkAuthentication(Config(APP_TYPE="SingleTenant"))


def test_partial_overrides_refuse_every_token(
    fake_connector: FakeConnector, local_openid: LocalOpenId
) -> None:
    """Any override switches botbuilder to its "parameterized" mode, where the others have no default."""
    config = Config(
        APP_ID=APP_ID,
        APP_PASSWORD=APP_PASSWORD,
        APP_TYPE="SingleTenant",
        APP_TENANTID=TENANT_ID,
        TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=local_openid.metadata_url,  # and no token issuer
    )
    server = BotServer(config, strict=True)
    server.start()
    try:
        token = local_openid.token(APP_ID, fake_connector.service_url)
        assert _post_with(server, fake_connector, f"Bearer {token}") == 401
    finally:
        server.stop()


def test_the_kit_agrees_with_the_bot_on_names() -> None:
    # ids.py loaded on its own: the kit must not depend on the bot package importing cleanly.
    spec = importlib.util.spec_from_file_location(
        "teams_ids", Path(__file__).parents[3] / "handlers/teams/ids.py"
    )
    assert spec is not None and spec.loader is not None
    ids = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ids)

    assert support.SUBMIT_COMMAND == ids.SUBMIT_COMMAND
    assert SOCIAL_USER.phigate_id == ids.user_id(SOCIAL_USER.aad_object_id)
