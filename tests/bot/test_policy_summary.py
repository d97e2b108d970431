"""``phigate policy show``: the effective policy in words a compliance officer can check."""

from __future__ import annotations

import json
from pathlib import Path

from bot.config import Settings
from bot.policy_summary import plain_words, summary

WORKSPACE = {
    "SLACK_SIGNING_SECRET": "x",
    "SLACK_BOT_TOKEN": "xoxb-x",
    "PHIGATE_SLACK_LEGAL_CHANNEL": "C0LEGAL",
    "PHIGATE_SLACK_COMMS_CHANNEL": "C0COMMS",
    "PHIGATE_IDENTITY__GROUPS": json.dumps(
        {
            "legal": ["slack:U1", "slack:U2", "slack:U3"],
            "comms": ["slack:U4", "slack:U5"],
            "social": ["slack:U9"],
        }
    ),
    "PHIGATE_IDENTITY__NAMES": json.dumps({"slack:U1": "Lee Chen"}),
    "PHIGATE_IDENTITY__SUBMITTERS": "social",
}


def test_default_two_group_policy_in_words() -> None:
    text = plain_words(Settings.load(env=WORKSPACE))
    assert "Approval policy (workspace)" in text
    assert (
        "A reply needs approval from 1 of the 3 Legal approvers (Lee Chen <slack:U1>, slack:U2, slack:U3) AND "
        "1 of the 2 Comms approvers (slack:U4, slack:U5) before it may be posted." in text
    )
    assert "The groups decide in parallel" in text
    assert "expires after 1 day; approvers are reminded 2 hours before." in text
    assert "Nobody may approve or reject their own draft" in text
    assert "Who may submit: members of Social." in text
    assert "  Legal: Slack C0LEGAL" in text and "  Comms: Slack C0COMMS" in text
    assert "Audit events: kept; phigate never deletes them" in text
    assert "NOT encrypted by phigate" in text


def test_sequential_n_of_m_skip_when_clear_and_usergroups(tmp_path: Path) -> None:
    config = tmp_path / "phigate.toml"
    config.write_text(
        '[policy]\ngroups = ["legal", "comms"]\norder = "sequential"\nclear_may_skip = ["legal"]\n'
        "expiry_hours = 48\nremind_before_hours = 0\n[policy.approvals]\nlegal = 2\n"
        '[slack.usergroups]\ncomms = "S0COMMS"\n'
    )
    settings = Settings.load(config, env=WORKSPACE)
    text = plain_words(settings)
    assert "2 of the 3 Legal approvers" in text and ", THEN 1 of the 2 Comms approvers" in text
    assert "or members of Slack user group S0COMMS" in text
    assert "a later group's buttons wait for the earlier group" in text
    assert "When the scan finds nothing (verdict clear), Legal approval is not needed." in text
    assert "expires after 2 days; no reminders are sent." in text
    data = summary(settings)
    assert data["groups"][0]["approvals_needed"] == 2 and data["groups"][0]["skipped_when_clear"] is True
    assert data["groups"][1]["slack_usergroup"] == "S0COMMS"


def test_sandbox_mode_shows_the_demo_roster_and_missing_channels_are_loud() -> None:
    text = plain_words(Settings.load(env={}))
    assert "Approval policy (sandbox (demo users))" in text
    assert "sandbox:legal1" in text and "  Legal: the sandbox chat" in text
    workspace_without_channels = {k: v for k, v in WORKSPACE.items() if not k.endswith("_CHANNEL")}
    assert "  Legal: NONE CONFIGURED" in plain_words(Settings.load(env=workspace_without_channels))


def test_encryption_and_auditors_are_reported() -> None:
    from cryptography.fernet import Fernet

    key = Fernet.generate_key().decode()
    env = {**WORKSPACE, "PHIGATE_ENCRYPTION_KEY": key, "PHIGATE_IDENTITY__AUDITORS": "slack:U7"}
    text = plain_words(Settings.load(env=env))
    assert "Draft text at rest: encrypted" in text
    assert "Who may export the audit trail: Legal approvers and slack:U7." in text
    assert key not in text and key not in json.dumps(summary(Settings.load(env=env)))
