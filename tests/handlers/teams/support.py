"""Activities as Microsoft Teams sends them, and a client posting them to a bot's ``/api/messages``.

Shapes follow what Teams sends (botbuilder's TeamsActivityHandler parses them): ``from`` carries the
user's ``aadObjectId``; channel conversations are ``19:...@thread.tacv2;messageid=<thread root>``
with ``channelData.teamsChannelId/teamsTeamId``; Action.Execute is an ``invoke`` named
``adaptiveCard/action``; the message extension sends ``composeExtension/fetchTask`` and
``composeExtension/submitAction`` invokes with a ``messagePayload``.

The CloudAdapter answers 201 (empty) for message and conversationUpdate activities, 200 with the
invoke response for invokes, 401 for refused authentication.
"""

from __future__ import annotations

import html
import itertools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tests.handlers.live_server import Reply, post

Json = dict[str, Any]
CHANNEL_ID = "msteams"
TENANT_ID = "6f1d0c2a-8b7e-4d3c-9a51-2e4f6b8c0d11"
BOT_NAME = "phigate"
DEFAULT_BOT_ID = "phigate"
MESSAGES_PATH = "/api/messages"
# The same as handlers.teams.ids (not imported: the kit must load while the bot package is being built;
# test_fake_connector checks they agree).
SUBMIT_COMMAND = "submitForApproval"
USER_PREFIX = "teams:"


@dataclass(frozen=True)
class TeamsUser:
    """A Teams user: the opaque Bot Framework id (29:...), display name and Entra object id."""

    aad_object_id: str
    name: str

    @property
    def id(self) -> str:
        """The Bot Framework user id (``29:...``), different from the Entra object id."""
        return f"29:1{self.aad_object_id.replace('-', '')}"

    @property
    def phigate_id(self) -> str:
        """phigate's identity for this user: ``teams:<aad object id>``."""
        return f"{USER_PREFIX}{self.aad_object_id.lower()}"

    def account(self) -> Json:
        """The ``from`` of the activities this user causes."""
        return {"id": self.id, "name": self.name, "aadObjectId": self.aad_object_id}


def as_user(user: TeamsUser | str) -> TeamsUser:
    """A ``TeamsUser``; a bare string is taken as the Entra object id (and used as the name)."""
    return user if isinstance(user, TeamsUser) else TeamsUser(user, user)


def personal_conversation(user: TeamsUser | str) -> str:
    """The id of a user's 1:1 chat with the bot."""
    return f"a:1personal-{as_user(user).aad_object_id}"


def channel_conversation(channel_id: str, thread_id: str | None) -> str:
    """A channel thread's conversation id (``<channel>;messageid=<root>``), or the channel's."""
    return f"{channel_id};messageid={thread_id}" if thread_id else channel_id


def is_channel(conversation_id: str) -> bool:
    """Channel conversation ids start with ``19:`` (1:1 chats with ``a:``)."""
    return conversation_id.startswith("19:")


def card_data(verb: str, data: Json, inputs: Json | None = None) -> Json:
    """The ``value`` of an Action.Execute invoke: inputs are merged into the action's data, as Teams does."""
    return {
        "action": {
            "type": "Action.Execute",
            "id": uuid.uuid4().hex[:8],
            "verb": verb,
            "data": {**data, **(inputs or {})},
        },
        "trigger": "manual",
    }


def message_payload(text: str, author: TeamsUser, *, message_id: str | None = None) -> Json:
    """The ``messagePayload`` of a message-extension invoke run on a message (Graph chatMessage shape)."""
    message_id = message_id or str(1_700_000_000_000 + uuid.uuid4().int % 1_000_000)
    return {
        "id": message_id,
        "replyToId": None,
        "createdDateTime": _now(),
        "lastModifiedDateTime": None,
        "deleted": False,
        "subject": None,
        "summary": None,
        "importance": "normal",
        "locale": "en-us",
        "linkToMessage": f"https://teams.microsoft.com/l/message/19:x@thread.tacv2/{message_id}",
        "from": {
            "user": {"id": author.aad_object_id, "displayName": author.name, "userIdentityType": "aadUser"},
            "application": None,
            "device": None,
            "conversation": None,
        },
        "body": {"contentType": "html", "content": f"<p>{html.escape(text)}</p>"},
        "attachmentLayout": None,
        "attachments": [],
        "mentions": [],
        "reactions": [],
    }


class TeamsClient:
    """Posts what Teams posts to ``{base_url}/api/messages`` (with a bearer token when a factory is given)."""

    def __init__(
        self,
        base_url: str,
        *,
        service_url: str,
        token_factory: Callable[[], str] | None = None,
        app_id: str = "",
        team_id: str = "19:team@thread.tacv2",
        tenant_id: str = TENANT_ID,
        default_user: TeamsUser | str = "aad-1",
        path: str = MESSAGES_PATH,
    ) -> None:
        self.url = base_url.rstrip("/") + path
        self.service_url = service_url
        self.token_factory = token_factory
        self.bot = {"id": f"28:{app_id or DEFAULT_BOT_ID}", "name": BOT_NAME}
        self.team_id = team_id
        self.tenant_id = tenant_id
        self.default_user = as_user(default_user)
        self.posted: list[Json] = []
        """Every activity posted, in order."""
        self._serial = itertools.count(1)

    # -- messages ------------------------------------------------------------------------------------

    def message(
        self,
        text: str,
        *,
        user: TeamsUser | str | None = None,
        conversation: str | None = None,
        conversation_type: str | None = None,
        channel_id: str | None = None,
        team_id: str | None = None,
        mentions_bot: bool = False,
        activity_id: str | None = None,
        reply_to_id: str | None = None,
    ) -> Reply:
        """A message: in the user's 1:1 chat by default; with ``channel_id`` a new channel post (or a
        reply in the thread ``reply_to_id``). ``mentions_bot`` prefixes ``<at>phigate</at>``."""
        sender = as_user(user or self.default_user)
        activity_id = activity_id or self.activity_id()
        if channel_id is not None:
            conversation = conversation or channel_conversation(channel_id, reply_to_id or activity_id)
        entities: list[Json] = [self._client_info()]
        if mentions_bot:
            mention = f"<at>{BOT_NAME}</at>"
            text = f"{mention} {text}"
            entities.append({"type": "mention", "text": mention, "mentioned": dict(self.bot)})
        activity = self.activity(
            "message",
            sender,
            conversation or personal_conversation(sender),
            conversation_type=conversation_type,
            channel_id=channel_id,
            team_id=team_id,
            activity_id=activity_id,
            reply_to_id=reply_to_id,
        )
        activity.update(
            text=text,
            textFormat="plain",
            attachments=[{"contentType": "text/html", "content": f"<p>{html.escape(text, quote=False)}</p>"}],
            entities=entities,
        )
        return self.send(activity)

    # -- installs ------------------------------------------------------------------------------------

    def install_in_team(
        self, team_id: str, channel_id: str, team_name: str, *, user: TeamsUser | str | None = None
    ) -> Reply:
        """The bot added to a team: a ``conversationUpdate`` (teamMemberAdded, the bot) in ``channel_id``."""
        activity = self.activity(
            "conversationUpdate",
            as_user(user or self.default_user),
            channel_id,
            channel_id=channel_id,
            team_id=team_id,
        )
        activity["membersAdded"] = [{"id": self.bot["id"]}]
        activity["channelData"].update(
            eventType="teamMemberAdded",
            team={
                "id": team_id,
                "name": team_name,
                "aadGroupId": str(uuid.uuid5(uuid.NAMESPACE_URL, team_id)),
            },
            settings={"selectedChannel": {"id": channel_id}},
        )
        activity["channelData"].pop("teamsChannelId", None)
        activity["channelData"].pop("channel", None)
        return self.send(activity)

    def personal_install(self, user: TeamsUser | str | None = None) -> Reply:
        """The user installed the app for themselves: a ``conversationUpdate`` in their 1:1 chat."""
        sender = as_user(user or self.default_user)
        activity = self.activity("conversationUpdate", sender, personal_conversation(sender))
        activity["membersAdded"] = [{"id": self.bot["id"]}]
        return self.send(activity)

    # -- invokes ---------------------------------------------------------------------------------------

    def execute(
        self,
        verb: str,
        data: Json,
        *,
        user: TeamsUser | str | None = None,
        conversation: str,
        inputs: Json | None = None,
        reply_to_id: str | None = None,
    ) -> Reply:
        """A click on an ``Action.Execute`` button of the card ``reply_to_id`` in ``conversation``.

        For a card in a channel (``conversation`` = ``19:...``) the invoke's conversation is the
        card's thread (``;messageid=<reply_to_id>``), as Teams sends it.
        """
        if is_channel(conversation) and reply_to_id and ";" not in conversation:
            conversation = channel_conversation(conversation, reply_to_id)
        activity = self._invoke("adaptiveCard/action", card_data(verb, data, inputs), user, conversation)
        if reply_to_id:
            activity["replyToId"] = reply_to_id
        return self.send(activity)

    def fetch_task(
        self,
        message_text: str,
        *,
        user: TeamsUser | str | None = None,
        conversation: str,
        author: TeamsUser | str | None = None,
        command_id: str = SUBMIT_COMMAND,
    ) -> Reply:
        """ "Submit for approval" chosen on a message: ``composeExtension/fetchTask`` (asks for the form)."""
        sender = as_user(user or self.default_user)
        value = {
            "commandId": command_id,
            "commandContext": "message",
            "context": {"theme": "default"},
            "messagePayload": message_payload(message_text, as_user(author or sender)),
        }
        return self.send(self._invoke("composeExtension/fetchTask", value, sender, conversation))

    def submit_action(
        self,
        data: Json,
        *,
        user: TeamsUser | str | None = None,
        conversation: str,
        message_text: str | None = None,
        command_id: str = SUBMIT_COMMAND,
    ) -> Reply:
        """The task module's form submitted: ``composeExtension/submitAction`` with the form ``data``."""
        sender = as_user(user or self.default_user)
        value: Json = {
            "commandId": command_id,
            "commandContext": "message",
            "context": {"theme": "default"},
            "data": data,
        }
        if message_text is not None:
            value["messagePayload"] = message_payload(message_text, sender)
        return self.send(self._invoke("composeExtension/submitAction", value, sender, conversation))

    # -- building and sending -------------------------------------------------------------------------

    def activity(
        self,
        kind: str,
        user: TeamsUser,
        conversation: str,
        *,
        conversation_type: str | None = None,
        channel_id: str | None = None,
        team_id: str | None = None,
        activity_id: str | None = None,
        reply_to_id: str | None = None,
    ) -> Json:
        """The common envelope of an activity from ``user`` in ``conversation``."""
        in_channel = (
            conversation_type or ("channel" if is_channel(conversation) else "personal")
        ) == "channel"
        channel_data: Json = {"tenant": {"id": self.tenant_id}}
        conversation_account: Json = {
            "conversationType": "personal",
            "tenantId": self.tenant_id,
            "id": conversation,
        }
        if in_channel:
            channel = channel_id or conversation.split(";", 1)[0]
            team = team_id or self.team_id
            conversation_account = {
                "isGroup": True,
                "conversationType": "channel",
                "tenantId": self.tenant_id,
                "id": conversation,
            }
            channel_data.update(
                teamsChannelId=channel, teamsTeamId=team, channel={"id": channel}, team={"id": team}
            )
        activity: Json = {
            "type": kind,
            "id": activity_id or self.activity_id(),
            "timestamp": _now(),
            "localTimestamp": _now(),
            "localTimezone": "America/New_York",
            "serviceUrl": self.service_url,
            "channelId": CHANNEL_ID,
            "from": user.account(),
            "conversation": conversation_account,
            "recipient": dict(self.bot),
            "channelData": channel_data,
            "locale": "en-US",
        }
        if reply_to_id:
            activity["replyToId"] = reply_to_id
        return activity

    def send(self, activity: Json, headers: dict[str, str] | None = None) -> Reply:
        """POST an activity (with a fresh token from the factory, if any)."""
        self.posted.append(activity)
        sent = {"Content-Type": "application/json"}
        if self.token_factory is not None:
            sent["Authorization"] = f"Bearer {self.token_factory()}"
        sent.update(headers or {})
        return self.raw(json.dumps(activity).encode(), sent)

    def raw(self, body: bytes | str | Json, headers: dict[str, str] | None = None) -> Reply:
        """POST exactly this body with exactly these headers (no token added)."""
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        data = data.encode() if isinstance(data, str) else data
        return post(self.url, data, headers or {})

    def activity_id(self) -> str:
        """A fresh activity id (Teams' are millisecond timestamps for messages)."""
        return f"1700000{next(self._serial):06d}"

    # -- pieces -------------------------------------------------------------------------------------------

    def _invoke(self, name: str, value: Json, user: TeamsUser | str | None, conversation: str) -> Json:
        activity = self.activity("invoke", as_user(user or self.default_user), conversation)
        activity["id"] = f"f:{uuid.uuid4()}"
        activity.update(name=name, value=value, entities=[self._client_info()])
        return activity

    @staticmethod
    def _client_info() -> Json:
        return {
            "type": "clientInfo",
            "locale": "en-US",
            "country": "US",
            "platform": "Web",
            "timezone": "America/New_York",
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
