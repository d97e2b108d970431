"""The Teams activity handler: botbuilder in, phigate's commands and actions out.

Thin on purpose (botbuilder-python is archived upstream): it turns activities into calls on
commands.py / actions.py, keeps conversation references, and answers with Adaptive Cards.
"""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.schema import AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, ChannelAccount
from botbuilder.schema.teams import (
    MessagingExtensionAction,
    MessagingExtensionActionResponse,
    TaskModuleContinueResponse,
    TaskModuleMessageResponse,
    TaskModuleTaskInfo,
    TeamInfo,
)

from bot.approvals import Submission
from bot.errors import WorkflowError
from bot.models import Network, User
from handlers.teams import ids
from handlers.teams.actions import execute
from handlers.teams.adapter import with_retries
from handlers.teams.cards import submit_form_card
from handlers.teams.commands import COMMANDS, NOT_A_SUBMITTER, answer_text, submit
from handlers.teams.surface import TeamsSurface, as_dict, channel_of

log = logging.getLogger(__name__)
CARD_TYPE = "application/vnd.microsoft.card.adaptive"
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<\s*(br|/p|/div)\s*/?>", re.IGNORECASE)


class PhigateBot(TeamsActivityHandler):
    """Messages, installs, Action.Execute invokes and the "Submit for approval" message action."""

    def __init__(self, surface: TeamsSurface) -> None:
        self.surface = surface

    # -- messages --------------------------------------------------------------------------
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        """Commands in 1:1 chats and @mentions; drafts in the drafts channel."""
        activity = turn_context.activity
        if not await self._first_delivery(activity.id):
            log.info("teams activity %s already handled; ignoring the re-send", activity.id)
            return
        await self._remember_conversation(turn_context)
        conversation = activity.conversation
        in_channel = (conversation.conversation_type or "personal") == "channel"
        mentioned = any(
            getattr(entity, "type", "") == "mention"
            and (getattr(entity, "additional_properties", {}) or {}).get("mentioned", {}).get("id")
            == activity.recipient.id
            for entity in activity.entities or []
        )
        in_drafts = in_channel and channel_of(conversation.id) == self.surface.settings.drafts_channel
        if in_channel and not (mentioned or in_drafts):
            return  # a channel message not meant for us (read through the RSC permission)
        text = _plain_text(TurnContext.remove_recipient_mention(activity) or activity.text or "")
        first_word = text.split(" ", 1)[0].lower()
        user = self._user(activity.from_property)
        card = await answer_text(
            self.surface, user, text, in_drafts_channel=in_drafts and first_word not in COMMANDS
        )
        reply = MessageFactory.attachment(CardFactory.adaptive_card(card))
        await with_retries(lambda: turn_context.send_activity(reply))

    # -- installs ---------------------------------------------------------------------------
    async def on_teams_members_added(  # type: ignore[override]
        self, teams_members_added: list[Any], team_info: TeamInfo, turn_context: TurnContext
    ) -> None:
        """The bot added to a team or a 1:1 chat: remember where it may post."""
        if any(member.id == turn_context.activity.recipient.id for member in teams_members_added):
            await self._remember_conversation(turn_context, team_name=getattr(team_info, "name", "") or "")
            if team_info is not None and team_info.id:
                await self._remember_team_channels(turn_context, team_info)

    async def _remember_team_channels(self, turn_context: TurnContext, team_info: TeamInfo) -> None:
        """Installed in a team: every channel of it becomes a place cards may go (``phigate teams channels``)."""
        try:
            channels = await TeamsInfo.get_team_channels(turn_context, team_info.id)
        except Exception as exc:
            log.warning("could not list the channels of team %s: %s", team_info.id, type(exc).__name__)
            return
        base = as_dict(TurnContext.get_conversation_reference(turn_context.activity))
        for channel in channels:
            reference = {**base, "conversation": {**base.get("conversation", {}), "id": channel.id}}
            name = f"{team_info.name or 'team'} / {channel.name or 'General'}"
            await self.surface.run(
                lambda tx, channel=channel, reference=reference, name=name: tx.conversations.put(
                    ids.SURFACE,
                    channel.id,
                    kind="channel",
                    reference=reference,
                    team_id=str(team_info.id),
                    name=name,
                )
            )

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        """The app installed: remember the conversation."""
        await self._remember_conversation(turn_context)

    # -- Action.Execute ---------------------------------------------------------------------
    async def on_adaptive_card_invoke(
        self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        """Carry out the verb and answer with the card that replaces the clicked one for everyone."""
        activity = turn_context.activity
        action = invoke_value.action
        # botbuilder leaves the action as the raw dict it received (or a model, depending on the path).
        fields = action if isinstance(action, dict) else getattr(action, "__dict__", {})
        verb = str(fields.get("verb") or "")
        data = fields.get("data") or {}
        card = await execute(
            self.surface,
            self._user(activity.from_property),
            verb,
            data if isinstance(data, dict) else {},
            conversation_id=activity.conversation.id if activity.conversation else "",
            activity_id=activity.reply_to_id or "",
        )
        return AdaptiveCardInvokeResponse(status_code=200, type=CARD_TYPE, value=card)

    # -- the message action "Submit for approval" -------------------------------------------
    async def on_teams_messaging_extension_fetch_task(
        self, turn_context: TurnContext, action: MessagingExtensionAction
    ) -> MessagingExtensionActionResponse:
        """Open the submit form pre-filled with the message's text."""
        user = self._user(turn_context.activity.from_property)
        if not self.surface.ctx.directory.may_submit(user.id):
            return MessagingExtensionActionResponse(task=TaskModuleMessageResponse(value=NOT_A_SUBMITTER))
        payload = action.message_payload
        text = _plain_text(getattr(getattr(payload, "body", None), "content", "") or "")
        form = submit_form_card(
            networks=[network.value for network in Network],
            text=text,
            max_chars=self.surface.ctx.settings.policy.max_chars,
        )
        return MessagingExtensionActionResponse(task=_task(form, "Submit for approval"))

    async def on_teams_messaging_extension_submit_action(
        self, turn_context: TurnContext, action: MessagingExtensionAction
    ) -> MessagingExtensionActionResponse:
        """Submit the form; the task module then shows the scan result and where the draft went."""
        data = action.data if isinstance(action.data, dict) else {}
        submission = Submission(
            text=str(data.get(ids.TEXT) or ""),
            network=str(data.get(ids.NETWORK) or "other"),
            in_reply_to=str(data.get(ids.IN_REPLY_TO) or ""),
            context=str(data.get(ids.CONTEXT) or ""),
        )
        user = self._user(turn_context.activity.from_property)
        try:
            card = await submit(self.surface, user, submission)
        except WorkflowError as exc:
            return MessagingExtensionActionResponse(
                task=TaskModuleMessageResponse(value=f"{exc.message} {exc.detail}".strip())
            )
        return MessagingExtensionActionResponse(task=_task(card, "Sent for approval"))

    # -- helpers ----------------------------------------------------------------------------
    def _user(self, account: ChannelAccount) -> User:
        # Azure AD object ids identify people; the Emulator has none, so its account id stands in.
        key = getattr(account, "aad_object_id", None) or account.id
        user_id = ids.user_id(str(key))
        configured = self.surface.ctx.directory.name(user_id)
        return User(user_id, configured if configured != user_id else (account.name or user_id))

    async def _first_delivery(self, activity_id: str | None) -> bool:
        if not activity_id:
            return True
        key = f"activity:{activity_id[:150]}"
        return await self.surface.run(lambda tx: tx.requests.claim(ids.SURFACE, key, "handled")) is None

    async def _remember_conversation(self, turn_context: TurnContext, team_name: str = "") -> None:
        activity = turn_context.activity
        reference = as_dict(TurnContext.get_conversation_reference(activity))
        conversation = activity.conversation
        kind = conversation.conversation_type or "personal"
        channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
        team = channel_data.get("team") or {}
        channel = channel_data.get("channel") or {}
        conversation_id = channel_of(conversation.id) if kind == "channel" else conversation.id
        reference["conversation"] = {**reference.get("conversation", {}), "id": conversation_id}
        user_id = self._user(activity.from_property).id if kind == "personal" else ""
        name = channel.get("name") or (team_name and f"{team_name} (General)") or conversation.name or ""
        await self.surface.run(
            lambda tx: tx.conversations.put(
                ids.SURFACE,
                conversation_id,
                kind=kind,
                reference=reference,
                user_id=user_id,
                team_id=str(team.get("id") or ""),
                name=str(name),
            )
        )


def _task(card: dict[str, Any], title: str) -> TaskModuleContinueResponse:
    return TaskModuleContinueResponse(
        value=TaskModuleTaskInfo(
            card=CardFactory.adaptive_card(card), title=title, height="large", width="medium"
        )
    )


def _plain_text(content: str) -> str:
    """Teams message HTML as the plain text a person wrote."""
    text = _BREAK.sub("\n", content)
    return html.unescape(_TAG.sub("", text)).strip()
