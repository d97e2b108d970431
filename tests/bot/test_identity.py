"""The configured directory: groups, linked accounts, display names, who may submit and audit."""

from __future__ import annotations

import pytest

from bot.config import IdentitySettings, Settings
from bot.identity import SANDBOX_GROUPS, ConfiguredDirectory, sandbox_identity

IDENTITY = IdentitySettings(
    groups={
        "social": ("slack:Usam",),
        "legal": ("slack:Ulee", "slack:Upat"),
        "comms": ("teams:cam",),
    },
    submitters=("social",),
    auditors=("slack:Uaudit",),
    people={
        "sam@lakeside.org": ("slack:Usam", "teams:sam"),
        "lee@lakeside.org": ("slack:Ulee", "teams:lee"),
        "cam@lakeside.org": ("teams:cam", "slack:Ucam"),
        "ann@lakeside.org": ("slack:Uaudit", "teams:ann"),
    },
    names={"slack:Ulee": "Lee Chen", "teams:sam": "Sam Rivera (Teams)", "slack:Usam": "Sam Rivera"},
)


@pytest.fixture
def directory() -> ConfiguredDirectory:
    return ConfiguredDirectory(IDENTITY)


def test_person_links_accounts_and_defaults_to_the_account(directory: ConfiguredDirectory) -> None:
    assert directory.person("slack:Usam") == directory.person("teams:sam") == "sam@lakeside.org"
    assert directory.person("slack:Ulee") != directory.person("slack:Usam")
    assert directory.person("slack:Ustranger") == "slack:Ustranger"
    assert directory.accounts("teams:lee") == {"slack:Ulee", "teams:lee"}
    assert directory.accounts("slack:Ustranger") == {"slack:Ustranger"}


def test_groups_of_an_account_include_its_linked_accounts(directory: ConfiguredDirectory) -> None:
    assert directory.groups_of("slack:Ulee") == {"legal"}
    assert directory.groups_of("teams:lee") == {"legal"}  # listed only through the Slack account
    assert directory.groups_of("slack:Ucam") == {"comms"}
    assert directory.groups_of("slack:Upat") == {"legal"}
    assert directory.groups_of("teams:sam") == {"social"}
    assert directory.groups_of("slack:Ustranger") == frozenset()
    assert directory.groups_of("sandbox:legal1") == frozenset()  # no demo roster unless asked


def test_a_person_in_several_groups() -> None:
    identity = IDENTITY.model_copy(
        update={"groups": {**IDENTITY.groups, "comms": ("teams:cam", "teams:lee")}}
    )
    directory = ConfiguredDirectory(identity)
    assert directory.groups_of("slack:Ulee") == {"legal", "comms"}


def test_names_come_from_settings_then_linked_accounts_then_the_id(directory: ConfiguredDirectory) -> None:
    assert directory.name("slack:Ulee") == "Lee Chen"
    assert directory.name("teams:lee") == "Lee Chen"  # the linked account's name
    assert directory.name("teams:sam") == "Sam Rivera (Teams)"  # its own name first
    assert directory.name("slack:Upat") == "slack:Upat"
    assert directory.name("slack:Ustranger") == "slack:Ustranger"


def test_may_submit_only_members_of_submitter_groups(directory: ConfiguredDirectory) -> None:
    assert directory.may_submit("slack:Usam")
    assert directory.may_submit("teams:sam")  # linked to a social account
    assert not directory.may_submit("slack:Ulee")
    assert not directory.may_submit("slack:Ustranger")


def test_anyone_identified_may_submit_when_no_submitter_group_is_set() -> None:
    directory = ConfiguredDirectory(IDENTITY.model_copy(update={"submitters": ()}))
    assert directory.may_submit("slack:Ustranger")
    assert directory.may_submit("slack:Ulee")


def test_may_audit_legal_and_configured_auditors(directory: ConfiguredDirectory) -> None:
    assert directory.may_audit("slack:Ulee")
    assert directory.may_audit("teams:lee")  # legal through the linked account
    assert directory.may_audit("slack:Upat")
    assert directory.may_audit("slack:Uaudit")
    assert directory.may_audit("teams:ann")  # the auditor's other account
    assert not directory.may_audit("teams:cam")
    assert not directory.may_audit("slack:Usam")
    assert not directory.may_audit("slack:Ustranger")


def test_may_audit_follows_the_configured_legal_group() -> None:
    identity = IDENTITY.model_copy(update={"groups": {**IDENTITY.groups, "privacy": ("teams:cam",)}})
    directory = ConfiguredDirectory(identity, legal_group="privacy")
    assert directory.may_audit("teams:cam")
    assert not directory.may_audit("slack:Ulee")


def test_identity_from_the_environment() -> None:
    settings = Settings.load(
        env={
            "PHIGATE_IDENTITY__GROUPS": '{"legal": ["slack:U1"], "comms": ["teams:c1"]}',
            "PHIGATE_IDENTITY__PEOPLE": '{"kim@h.org": ["slack:U1", "teams:k1"]}',
            "PHIGATE_IDENTITY__SUBMITTERS": "social",
            "PHIGATE_IDENTITY__AUDITORS": "slack:U9, teams:a9",
        }
    )
    directory = ConfiguredDirectory(settings.identity)
    assert directory.groups_of("teams:k1") == {"legal"}
    assert directory.person("teams:k1") == directory.person("slack:U1")
    assert directory.may_audit("teams:a9")
    assert not directory.may_submit("teams:c1")


def test_sandbox_roster_joins_the_configured_identity() -> None:
    empty = ConfiguredDirectory(sandbox_identity(IdentitySettings()))
    assert empty.groups_of("sandbox:legal2") == {"legal"}
    assert empty.name("sandbox:comms1") == "Cam Duarte (comms)"
    assert empty.may_submit("sandbox:social1") and not empty.may_submit("sandbox:legal1")
    assert empty.may_audit("sandbox:legal1") and not empty.may_audit("sandbox:social1")
    configured = ConfiguredDirectory(sandbox_identity(IDENTITY))
    assert configured.groups_of("sandbox:legal1") == {"legal"}
    assert configured.groups_of("slack:Ulee") == {"legal"}
    assert configured.groups_of("teams:lee") == {"legal"}  # links survive
    assert configured.name("slack:Ulee") == "Lee Chen"
    assert not configured.may_submit("sandbox:legal1")
    assert set(SANDBOX_GROUPS) <= set(sandbox_identity(IDENTITY).groups)
