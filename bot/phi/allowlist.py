"""Allow-lists: public text of the hospital that is never reported (built-in defaults + configuration)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.config import AllowListSettings, OrganizationSettings
from bot.phi.lexicon import DEPARTMENT_DEFAULTS

_DIGITS = re.compile(r"\D+")


def phone_key(number: str) -> str:
    """The comparable part of a phone number: its last 10 digits (7 for local numbers)."""
    digits = _DIGITS.sub("", number)
    return digits[-10:] if len(digits) >= 10 else digits[-7:]


@dataclass(frozen=True)
class AllowList:
    """Compiled allow-lists for one configuration."""

    phrases: re.Pattern[str] | None
    phones: frozenset[str]
    domains: tuple[str, ...]

    @classmethod
    def build(cls, allow: AllowListSettings, organization: OrganizationSettings) -> AllowList:
        """Combine the configured lists with phigate's defaults (department names, the org's own name)."""
        phrases: list[str] = [
            *DEPARTMENT_DEFAULTS,
            *allow.organization_names,
            *allow.department_names,
            *allow.physicians,
            *allow.staff_sign_offs,
            *allow.public_addresses,
            *allow.terms,
            *organization.aliases,
        ]
        if organization.name and organization.name != "our hospital":
            phrases.append(organization.name)
        phones = {
            phone_key(p) for p in (*allow.public_phone_numbers, organization.patient_relations_phone) if p
        }
        domains = [d.lower().lstrip("@.") for d in allow.public_domains]
        for address in (organization.patient_relations_email, organization.website):
            domain = _domain_of(address)
            if domain:
                domains.append(domain)
        return cls(_compile(phrases), frozenset(k for k in phones if k), tuple(sorted(set(domains))))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where allow-listed phrases occur in ``text``."""
        if self.phrases is None:
            return []
        return [m.span() for m in self.phrases.finditer(text)]

    def phone_allowed(self, number: str) -> bool:
        """The number is one of the hospital's public numbers."""
        return phone_key(number) in self.phones

    def domain_allowed(self, address: str) -> bool:
        """An e-mail address or URL on one of the hospital's public domains."""
        domain = _domain_of(address)
        return bool(domain) and any(domain == d or domain.endswith("." + d) for d in self.domains)


def _domain_of(address: str) -> str:
    text = address.strip().lower()
    if "@" in text:
        text = text.rsplit("@", 1)[1]
    text = re.sub(r"^[a-z]+://", "", text)
    return text.split("/", 1)[0].split("?", 1)[0].removeprefix("www.").rstrip(".")


def _compile(phrases: Iterable[str]) -> re.Pattern[str] | None:
    cleaned = sorted({p.strip() for p in phrases if p and p.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in cleaned)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)
