"""Users, groups and linked accounts from settings (``[identity]``), plus the sandbox's demo roster."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from bot.config import IdentitySettings


class MembershipSource(Protocol):
    """Group members kept outside the settings (e.g. Slack user groups), answered from a cache."""

    def groups_with(self, accounts: frozenset[str]) -> frozenset[str]:
        """The groups any of ``accounts`` (``<surface>:<id>``) belongs to, as last known."""
        ...


# The sandbox's demo users (only ever used when no Slack or Teams credentials are configured).
SANDBOX_GROUPS: Mapping[str, tuple[str, ...]] = {
    "social": ("sandbox:social1",),
    "legal": ("sandbox:legal1", "sandbox:legal2"),
    "comms": ("sandbox:comms1",),
}
SANDBOX_NAMES: Mapping[str, str] = {
    "sandbox:social1": "Sam Rivera (social)",
    "sandbox:legal1": "Lee Chen (legal)",
    "sandbox:legal2": "Pat Okafor (legal)",
    "sandbox:comms1": "Cam Duarte (comms)",
    "sandbox:privacy1": "Priya Nair (privacy officer)",
}
SANDBOX_PRIVACY_OFFICERS = ("sandbox:privacy1",)


def sandbox_identity(identity: IdentitySettings) -> IdentitySettings:
    """``identity`` with the demo roster added to its groups and names."""
    return identity.model_copy(
        update={
            "groups": {
                group: tuple(dict.fromkeys((*SANDBOX_GROUPS.get(group, ()), *identity.groups.get(group, ()))))
                for group in {*SANDBOX_GROUPS, *identity.groups}
            },
            "names": {**SANDBOX_NAMES, **identity.names},
            "submitters": identity.submitters or ("social",),
            "privacy_officers": identity.privacy_officers or SANDBOX_PRIVACY_OFFICERS,
        }
    )


class ConfiguredDirectory:
    """A ``bot.ports.Directory`` over the ``[identity]`` settings."""

    def __init__(self, identity: IdentitySettings, legal_group: str = "legal") -> None:
        self._identity = identity
        self._legal_group = legal_group
        self._sources: list[MembershipSource] = []
        self._person_of: dict[str, str] = {}
        for person, accounts in identity.people.items():
            for account in accounts:
                self._person_of[account] = person
        self._members: dict[str, frozenset[str]] = {
            group: frozenset(users) for group, users in identity.groups.items()
        }

    @property
    def identity(self) -> IdentitySettings:
        """The settings this directory answers from."""
        return self._identity

    def person(self, user_id: str) -> str:
        """The person key for ``user_id`` (the ``people`` entry it is listed in, else itself)."""
        return self._person_of.get(user_id, user_id)

    def accounts(self, user_id: str) -> frozenset[str]:
        """Every account of the person behind ``user_id``."""
        person = self._person_of.get(user_id)
        if person is None:
            return frozenset({user_id})
        return frozenset(self._identity.people[person]) | {user_id}

    def add_source(self, source: MembershipSource) -> None:
        """Also count members that ``source`` knows of (a surface's user groups)."""
        self._sources.append(source)

    def groups_of(self, user_id: str) -> frozenset[str]:
        """Groups any of the person's accounts is listed in, in settings or in a membership source."""
        accounts = self.accounts(user_id)
        groups = {group for group, members in self._members.items() if members & accounts}
        for source in self._sources:
            groups |= source.groups_with(accounts)
        return frozenset(groups)

    def name(self, user_id: str) -> str:
        """The configured display name, or the id."""
        for account in (user_id, *sorted(self.accounts(user_id))):
            if account in self._identity.names:
                return self._identity.names[account]
        return user_id

    def may_submit(self, user_id: str) -> bool:
        """Members of a submitter group, or anyone when no submitter group is configured."""
        if not self._identity.submitters:
            return True
        return bool(self.groups_of(user_id) & set(self._identity.submitters))

    def may_audit(self, user_id: str) -> bool:
        """Legal members and configured auditors."""
        if self._legal_group in self.groups_of(user_id):
            return True
        return bool(self.accounts(user_id) & set(self._identity.auditors))
