"""Short ephemeral messages: ``/phigate help`` and error explanations (stale clicks, refusals)."""

from __future__ import annotations

from handlers.slack import ids
from handlers.slack.blocks.common import Block, context, header, section, sections
from handlers.slack.blocks.text import escape, split_lines

MESSAGE_CHARS = 2900


def help_blocks(*, reviews_configured: bool, can_export: bool) -> list[Block]:
    """``/phigate help``: the subcommands, the drafts channel and the message shortcut."""
    command = ids.COMMAND
    commands = [
        f"`{command}` opens the form to submit a reply for approval.",
        f"`{command} scan <text>` checks a text for PHI. Only you see the result; nothing is sent.",
        f"`{command} status <id>` shows where a draft stands: status, approvals, final approver.",
        f"`{command} incident <link>` reports a posted reply that disclosed PHI (takedown checklist, 60-day clock).",
    ]
    if can_export:
        commands.append(
            f"`{command} export <since> <until> [csv|jsonl]` sends you the audit trail as a file "
            "(dates like 2024-05-01)."
        )
    commands.append(f"`{command} help` shows this message.")
    blocks = [
        header("How to use phigate"),
        section("\n".join(f"• {escape(line)}" for line in commands)),
        section(
            "*Working from chat*\n"
            "• Paste a reply into the drafts channel: phigate answers in the thread with the PHI scan and "
            "a *Send for approval* button.\n"
            "• On any message, use the shortcut *Submit reply for approval* (the ⋮ menu of the message)."
        ),
        context(
            "Every draft is scanned for PHI and approved by legal and comms before it may be posted. "
            "The final approver is recorded in the audit trail."
        ),
    ]
    if not can_export:
        blocks.append(context("Legal members and auditors can also export the audit trail."))
    if not reviews_configured:
        blocks.append(
            section(
                "Review channels are not configured yet, so drafts cannot be sent for approval. Ask your "
                "phigate admin to set PHIGATE_SLACK_LEGAL_CHANNEL and PHIGATE_SLACK_COMMS_CHANNEL. "
                f"`{command} scan` works already."
            )
        )
    return blocks


def error_blocks(message: str, detail: str = "") -> list[Block]:
    """An ephemeral explanation: ``message`` in bold, then ``detail`` (both escaped, cut to fit)."""
    lines = [f"*{escape(' '.join(message.split()))}*" if message.strip() else "*Something went wrong.*"]
    if detail.strip():
        lines += [escape(line) for line in detail.strip().split("\n")]
    chunks = split_lines(lines, MESSAGE_CHARS)[:5]
    return sections(chunks)
