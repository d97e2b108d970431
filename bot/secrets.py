"""Secrets from files: ``<VARIABLE>_FILE`` and systemd credentials, so no secret sits in the environment.

Every secret setting can be given three ways, the first that is present wins:

1. the variable itself (``SLACK_SIGNING_SECRET=...``) — fine for development, visible in ``/proc``;
2. ``<VARIABLE>_FILE=/path`` — the file's content, without surrounding whitespace (Docker and
   Kubernetes secrets are mounted this way);
3. ``$CREDENTIALS_DIRECTORY/<credential>`` — systemd's ``LoadCredential=`` (see deploy/systemd/).

Setting both 1 and 2 is an error, so a forgotten variable can never silently shadow a rotated file.
Error messages name the variable and the path, never the content.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class SecretFileError(Exception):
    """A secret file is set but cannot be used; the message names the variable and the path."""


@dataclass(frozen=True)
class SecretSetting:
    """One secret: where it lives in the settings and the names it can be given by."""

    path: tuple[str, ...]  # e.g. ("slack", "signing_secret")
    variables: tuple[str, ...]  # environment variables holding the value itself
    credential: str  # file name under $CREDENTIALS_DIRECTORY

    @property
    def dotted(self) -> str:
        """The setting's dotted name, e.g. ``slack.signing_secret``."""
        return ".".join(self.path)


SECRET_SETTINGS = (
    SecretSetting(("database_url",), ("PHIGATE_DATABASE_URL",), "database_url"),
    SecretSetting(("encryption_key",), ("PHIGATE_ENCRYPTION_KEY",), "encryption_key"),
    SecretSetting(("slack", "bot_token"), ("SLACK_BOT_TOKEN", "PHIGATE_SLACK__BOT_TOKEN"), "slack_bot_token"),
    SecretSetting(
        ("slack", "signing_secret"),
        ("SLACK_SIGNING_SECRET", "PHIGATE_SLACK__SIGNING_SECRET"),
        "slack_signing_secret",
    ),
    SecretSetting(("slack", "app_token"), ("SLACK_APP_TOKEN", "PHIGATE_SLACK__APP_TOKEN"), "slack_app_token"),
    SecretSetting(
        ("teams", "app_password"),
        ("MicrosoftAppPassword", "PHIGATE_TEAMS__APP_PASSWORD"),
        "teams_app_password",
    ),
)
# Only these are secrets in the config file; the database URL is often fine there (no password, or a
# local socket), so it is not reported.
_NOT_FOR_CONFIG_FILES = tuple(s for s in SECRET_SETTINGS if s.path != ("database_url",))


def file_secrets(env: Mapping[str, str]) -> dict[str, Any]:
    """The secrets given as files, as nested settings data (only those not set directly).

    Raises:
        SecretFileError: a variable is set both directly and as ``_FILE``, or a file cannot be read.
    """
    found: dict[str, Any] = {}
    credentials = env.get("CREDENTIALS_DIRECTORY", "").strip()
    for secret in SECRET_SETTINGS:
        direct = [name for name in secret.variables if env.get(name, "").strip()]
        files = [name + "_FILE" for name in secret.variables if env.get(name + "_FILE", "").strip()]
        if direct and files:
            raise SecretFileError(f"{direct[0]} and {files[0]} are both set: keep one")
        if len(files) > 1:
            raise SecretFileError(f"{files[0]} and {files[1]} are both set: keep one")
        value = None
        if files:
            value = _read(files[0], Path(env[files[0]].strip()).expanduser())
        elif not direct and credentials and (Path(credentials) / secret.credential).is_file():
            value = _read(
                f"$CREDENTIALS_DIRECTORY/{secret.credential}", Path(credentials) / secret.credential
            )
        if value is not None:
            node = found
            for key in secret.path[:-1]:
                node = node.setdefault(key, {})
            node[secret.path[-1]] = value
    return found


def secrets_in_config_file(path: Path | None) -> list[str]:
    """The secret settings written in the TOML file at ``path`` (dotted names; values never read out)."""
    if path is None or not path.is_file():
        return []
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return []
    found = []
    for secret in _NOT_FOR_CONFIG_FILES:
        node: Any = data
        for key in secret.path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, str) and node.strip():
            found.append(secret.dotted)
    return found


def _read(source: str, path: Path) -> str:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise SecretFileError(f"{source} names {path}, which does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise SecretFileError(f"{source} names {path}, which cannot be read: {reason}") from None
    if not value:
        raise SecretFileError(f"{source} names {path}, which is empty")
    return value
