"""What the author sees: their draft after submitting, and the outcome in their 1:1 chat."""

from __future__ import annotations

from bot.decision_text import latest
from bot.models import DecisionKind, Draft, GroupProgress, Status
from bot.policy import summary
from bot.wording import network_label, reason_label, status_label
from handlers.teams import ids
from handlers.teams.cards.decisions import who
from handlers.teams.cards.elements import (
    Card,
    Element,
    action_set,
    card,
    execute,
    fit,
    literal,
    note,
    notice_block,
    open_url,
    runs,
    show_card,
    text_block,
    text_input,
)
from handlers.teams.cards.scan import draft_scan_elements
from handlers.teams.cards.text import escape, is_linkable, name, one_line, truncate, when

REVIEWS_NOT_CONFIGURED = (
    "Review channels are not configured yet, so no review cards were posted. Ask your phigate admin "
    "to set PHIGATE_TEAMS_LEGAL_CHANNEL and PHIGATE_TEAMS_COMMS_CHANNEL."
)
BLOCKED_HELP = (
    "The PHI scan blocked this draft, so it was not sent to the approvers. Edit it and submit it "
    "again (submit + the new text), or request an override with a written justification; legal must "
    "then acknowledge it."
)
JUSTIFICATION_MIN = 20
JUSTIFICATION_PATTERN = r"^\s*\S[\s\S]{18,}\S\s*$"  # at least 20 characters, not counting outer spaces


def author_draft_card(
    draft: Draft,
    progress: list[GroupProgress],
    *,
    reviews_posted: bool = True,
    notice: str | None = None,
) -> Card:
    """The author's view of a submitted draft: id, status, scan, progress and what they can do next."""

    def build(level: int) -> Card:
        body: list[Element] = []
        if notice:
            body.append(notice_block(escape(one_line(notice))))
        body.append(
            text_block(
                f"**Draft {escape(draft.id)}** · {escape(network_label(draft.network))} · "
                f"{escape(status_label(draft.status))}",
                size="Medium",
            )
        )
        body += draft_scan_elements(draft, level=level)
        actions: list[Element] = []
        if draft.status is Status.BLOCKED:
            body.append(text_block(BLOCKED_HELP, color="Attention"))
            actions.append(_override_action(draft))
        elif draft.status is Status.PENDING:
            body.append(text_block(f"**Approvals:** {escape(summary(progress)) or 'none needed'}"))
            body.append(
                note(f"Open until {when(draft.expires_at)}. You will get a message when it is decided.")
            )
            if not reviews_posted:
                body.append(text_block(f"⚠️ {REVIEWS_NOT_CONFIGURED}", color="Warning"))
            actions.append(_withdraw_action(draft))
        else:
            body.append(text_block(f"**Status:** {escape(status_label(draft.status))}"))
        return card(body, actions)

    return fit(build)


def author_outcome_card(draft: Draft, event: str) -> Card:
    """The author's 1:1 message about how their draft ended.

    Events: ``approved`` (the exact text to post and *Mark as posted*), ``posted``, ``rejected``,
    ``expired`` and ``edit_blocked`` (an approver's edit was blocked by the scan); others state the status.
    """
    network = escape(network_label(draft.network))
    draft_id = escape(draft.id)
    if event in ("approved", "posted"):
        return fit(lambda level: _approved(draft, level))
    if event == "rejected":
        decision = latest(draft, DecisionKind.REJECT)
        by = who(decision) if decision else name(draft.final_approver_name, "an approver")
        reason = escape(reason_label(decision.reason if decision else draft.rejection_reason or "other"))
        body: list[Element] = [
            text_block(
                f"⛔ **Your reply {draft_id} for {network} was rejected** by {by}.", color="Attention"
            ),
            text_block(f"**Reason:** {reason}", spacing="None"),
        ]
        if decision and decision.comment.strip():
            body += [text_block("**Comment**"), literal(truncate(decision.comment.strip(), 2000))]
        body.append(note("You can write a new reply that addresses this and submit it again."))
        return card(body)
    if event == "expired":
        return card(
            [
                text_block(
                    f"**Your reply {draft_id} for {network} expired** at {when(draft.expires_at)} without a "
                    "decision. Submit it again if the reply is still needed."
                )
            ]
        )
    if event == "edit_blocked":

        def build(level: int) -> Card:
            body = [
                text_block(
                    f"**An approver edited your reply {draft_id}, and the PHI scan blocked the new text** "
                    f"(version {draft.version}). It is back with you.",
                    color="Attention",
                ),
                *draft_scan_elements(draft, level=level),
                text_block(BLOCKED_HELP),
            ]
            actions = [_override_action(draft)] if draft.status is Status.BLOCKED else []
            return card(body, actions)

        return fit(build)
    return card([text_block(f"Your reply draft {draft_id}: {escape(status_label(draft.status))}.")])


def _approved(draft: Draft, level: int) -> Card:
    network = escape(network_label(draft.network))
    approver = name(draft.final_approver_name, "the approvers")
    posted = draft.status is Status.POSTED
    headline = "is approved" if not posted else "is approved and posted"
    body: list[Element] = [
        text_block(
            f"✅ **Your reply {escape(draft.id)} for {network} {headline}.** Final approver: {approver}.",
            color="Good",
        )
    ]
    text = draft.current.text
    if text is None:
        body.append(text_block("_The text was removed by the retention policy._"))
    else:
        body.append(text_block(f"**Post exactly this text** (version {draft.version}):"))
        body.append(literal(text if level < 3 else truncate(text, 1500), monospace=True))
    if draft.in_reply_to:
        body.append(
            runs(
                ("Post it as a reply to: ", {"weight": "Bolder"}), truncate(one_line(draft.in_reply_to), 300)
            )
        )
        if is_linkable(draft.in_reply_to):
            body.append(action_set(open_url("Open the post", draft.in_reply_to)))
    actions: list[Element] = []
    if posted:
        if draft.posted_link:
            body.append(
                runs(("Posted at: ", {"weight": "Bolder"}), truncate(one_line(draft.posted_link), 300))
            )
        body.append(note("Recorded in the audit trail. Thank you!"))
    elif draft.status is Status.APPROVED:
        body.append(note("When it is live, choose **Mark as posted** and add the link to your reply."))
        actions.append(
            show_card(
                "Mark as posted",
                [
                    text_input(
                        ids.POSTED_LINK,
                        "Link to your posted reply",
                        style="Url",
                        placeholder="https://",
                        required=True,
                        error="Paste the link to your reply as it is live.",
                    ),
                    note(f"Recorded in the audit trail with draft {escape(draft.id)}.", spacing="None"),
                ],
                [execute(ids.MARK_POSTED, "Save", draft.id, draft.version, style="positive")],
                style="positive",
            )
        )
    return card(body, actions)


def _override_action(draft: Draft) -> Element:
    return show_card(
        "Request override",
        [
            note(
                "Explain why this reply is safe to post although the scan blocked it. Legal reads your "
                "justification and must acknowledge it to approve."
            ),
            text_input(
                ids.JUSTIFICATION,
                "Justification",
                multiline=True,
                required=True,
                regex=JUSTIFICATION_PATTERN,
                error=f"Write at least {JUSTIFICATION_MIN} characters.",
                placeholder="Why is this reply safe to post?",
            ),
        ],
        [execute(ids.REQUEST_OVERRIDE, "Request override", draft.id, draft.version)],
    )


def _withdraw_action(draft: Draft) -> Element:
    return show_card(
        "Withdraw",
        [
            note(
                "The review cards will say it was withdrawn and nobody can approve it. "
                "You can submit a new draft later."
            )
        ],
        [execute(ids.WITHDRAW, "Withdraw the draft", draft.id, draft.version, style="destructive")],
        style="destructive",
    )
