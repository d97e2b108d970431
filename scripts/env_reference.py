"""Print the environment reference table of docs/deployment.md from the Settings model.

    .venv/bin/python scripts/env_reference.py

tests/docs/test_deployment_doc.py fails when a setting exists that the document does not mention.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import Settings

# Meanings for the settings whose model field has no description of its own.
MEANINGS = {
    "PHIGATE_DATABASE_URL": "`sqlite:///path.db` (embedded) or `postgresql://user@host/db` (replicas). "
    "Holds a password? Give it as `PHIGATE_DATABASE_URL_FILE`.",
    "PHIGATE_LOG_LEVEL": "DEBUG, INFO, WARNING, ERROR. Logs never hold draft text at any level.",
    "PHIGATE_ORGANIZATION__NAME": "The hospital's name, used in canned replies.",
    "PHIGATE_ORGANIZATION__ALIASES": "Other names of the hospital (never flagged).",
    "PHIGATE_ORGANIZATION__PATIENT_RELATIONS_PHONE": "Public Patient Relations number for safe replies.",
    "PHIGATE_ORGANIZATION__PATIENT_RELATIONS_EMAIL": "Public Patient Relations e-mail for safe replies.",
    "PHIGATE_ORGANIZATION__WEBSITE": "Public website (allowed in replies).",
    "PHIGATE_SCANNER__MAX_CHARS": "Longer drafts get `review` with a finding that says why.",
    "PHIGATE_SCANNER__ALLOW__ORGANIZATION_NAMES": "Allow-list: brand and facility names.",
    "PHIGATE_SCANNER__ALLOW__DEPARTMENT_NAMES": "Allow-list: department names.",
    "PHIGATE_SCANNER__ALLOW__PHYSICIANS": "Allow-list: the public physician directory.",
    "PHIGATE_SCANNER__ALLOW__STAFF_SIGN_OFFS": "Allow-list: the social team's sign-offs.",
    "PHIGATE_SCANNER__ALLOW__PUBLIC_PHONE_NUMBERS": "Allow-list: the hospital's public numbers.",
    "PHIGATE_SCANNER__ALLOW__PUBLIC_ADDRESSES": "Allow-list: the hospital's public addresses.",
    "PHIGATE_SCANNER__ALLOW__PUBLIC_DOMAINS": "Allow-list: the hospital's web and mail domains.",
    "PHIGATE_SCANNER__ALLOW__TERMS": "Allow-list: any other term never to flag.",
    "PHIGATE_SCANNER__IDENTIFIERS__MEDICAL_RECORD_NUMBER": "Regexes of this hospital's MRN formats.",
    "PHIGATE_SCANNER__IDENTIFIERS__HEALTH_PLAN_BENEFICIARY_NUMBER": "Regexes of member id formats.",
    "PHIGATE_SCANNER__IDENTIFIERS__ACCOUNT_NUMBER": "Regexes of account and claim number formats.",
    "PHIGATE_SCANNER__IDENTIFIERS__DEVICE_IDENTIFIER": "Regexes of device serial formats.",
    "PHIGATE_SCANNER__REPLIES": "Canned safe replies by name (TOML table `[scanner.replies]`).",
    "PHIGATE_POLICY__GROUPS": "Approver groups that must approve, e.g. `legal,comms`.",
    "PHIGATE_POLICY__ORDER": "`parallel` or `sequential` (in the order of `groups`).",
    "PHIGATE_POLICY__OVERRIDE_GROUP": "Group whose member must acknowledge an override of a blocked draft.",
    "PHIGATE_POLICY__EXPIRY_HOURS": "A draft not decided within this many hours expires.",
    "PHIGATE_POLICY__REMIND_BEFORE_HOURS": "Approvers are reminded this long before expiry (0: never).",
    "PHIGATE_POLICY__REJECTION_REASONS": "The reasons an approver picks from when rejecting.",
    "PHIGATE_POLICY__MAX_CHARS": "Longest draft accepted for review.",
    "PHIGATE_SERVER__HOST": "Listen address (`serve --host`); keep 127.0.0.1 behind nginx.",
    "PHIGATE_SERVER__PORT": "Listen port (`serve --port`; the systemd instance name).",
    "PHIGATE_SERVER__MAX_BODY_BYTES": "Larger request bodies get 413.",
    "PHIGATE_SERVER__OUTBOX_POLL_SECONDS": "How often a replica looks for messages other replicas wrote.",
    "PHIGATE_SERVER__SCHEDULER_POLL_SECONDS": "How often a replica looks for drafts to expire or remind about.",
    "PHIGATE_SERVER__OUTBOX_MAX_ATTEMPTS": "Deliveries tried (2, 4, 8 ... s apart) before a message is failed.",
    "PHIGATE_SLACK__MEMBERSHIP_CACHE_SECONDS": "How long Slack user-group membership is cached.",
    "PHIGATE_TEAMS__DRAFTS_AUTO_SUBMIT": "Submit drafts-channel messages at once.",
    "PHIGATE_TEAMS__OPENID_METADATA_URL": "Bot Framework OpenID metadata override (sovereign clouds).",
    "PHIGATE_TEAMS__TOKEN_ISSUER": "Token issuer override (sovereign clouds).",
    "PHIGATE_TEAMS__LOGIN_URL": "Entra login endpoint override (sovereign clouds).",
    "PHIGATE_TEAMS__OAUTH_SCOPE": "Bot Framework scope override (sovereign clouds).",
}
ALIASES = {
    "PHIGATE_SLACK__BOT_TOKEN": "SLACK_BOT_TOKEN",
    "PHIGATE_SLACK__SIGNING_SECRET": "SLACK_SIGNING_SECRET",
    "PHIGATE_SLACK__APP_TOKEN": "SLACK_APP_TOKEN",
    "PHIGATE_SLACK__API_URL": "SLACK_API_URL",
    "PHIGATE_TEAMS__APP_ID": "MicrosoftAppId",
    "PHIGATE_TEAMS__APP_PASSWORD": "MicrosoftAppPassword",
    "PHIGATE_TEAMS__APP_TYPE": "MicrosoftAppType",
    "PHIGATE_TEAMS__APP_TENANT_ID": "MicrosoftAppTenantId",
    "PHIGATE_SLACK__CHANNELS": "PHIGATE_SLACK_<GROUP>_CHANNEL",
    "PHIGATE_TEAMS__CHANNELS": "PHIGATE_TEAMS_<GROUP>_CHANNEL",
    "PHIGATE_SLACK__DRAFTS_CHANNEL": "PHIGATE_SLACK_DRAFTS_CHANNEL",
    "PHIGATE_TEAMS__DRAFTS_CHANNEL": "PHIGATE_TEAMS_DRAFTS_CHANNEL",
}
SKIPPED = {"PHIGATE_CONFIG_PATH"}  # set by PHIGATE_CONFIG / --config, listed separately


def settings_leaves(
    model: type[BaseModel] = Settings, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, Any, str]]:
    """(environment variable, default, description) of every leaf setting."""
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from settings_leaves(annotation, (*prefix, name))
            continue
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        variable = "PHIGATE_" + "__".join((*prefix, name)).upper()
        if variable not in SKIPPED:
            yield variable, default, field.description or ""


def shown(default: Any) -> str:
    """A default as the table shows it."""
    if isinstance(default, tuple):
        return ",".join(default) or "(empty)"
    if isinstance(default, dict) or default == "":
        return "(empty)"
    return str(default)


def table() -> str:
    """The Markdown table."""
    lines = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for variable, default, description in settings_leaves():
        meaning = (MEANINGS.get(variable) or description).replace("|", "/")
        if not meaning:
            raise SystemExit(f"{variable} has no description: add one to MEANINGS or the field")
        names = f"`{variable}`" + (f"<br>or `{ALIASES[variable]}`" if variable in ALIASES else "")
        lines.append(f"| {names} | `{shown(default)}` | {meaning} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
