"""``phigate doctor``: check configuration, database, schema, audit chain, outbox, Slack, Teams, scanner.

Each check prints OK, WARN or FAIL with what to do. Nothing is changed and no message is sent: Slack is
asked ``auth.test`` (who am I), Teams' login endpoint is asked for a token. Exit 1 when a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from bot.audit import verify
from bot.config import ConfigError, Settings
from bot.secrets import secrets_in_config_file
from storage import migrate
from storage.db import Database, StorageUnavailable
from storage.orm import OutboxRow


@dataclass(frozen=True)
class Finding:
    """One check's outcome."""

    status: str  # OK, WARN, FAIL, SKIP
    check: str
    detail: str
    fix: str = ""


def register(sub: Any) -> None:
    """Add the ``doctor`` sub-command."""
    parser = sub.add_parser(
        "doctor",
        help="check configuration, database, migrations, credentials and scanner; say how to fix",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)")
    parser.add_argument("--skip-scanner", action="store_true", help="do not load the scanner model")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``phigate doctor``."""
    findings: list[Finding] = []
    settings = _config(args, findings)
    if settings is not None:
        db = _database(settings, findings)
        if db is not None:
            try:
                _schema_then_data(db, findings)
                _teams_channels(settings, db, findings)
            finally:
                db.dispose()
        findings += _slack(settings)
        findings += _teams_token(settings)
        if not args.skip_scanner:
            findings.append(_scanner(settings))
    width = max(len(f.check) for f in findings)
    for finding in findings:
        print(f"{finding.status:<4}  {finding.check:<{width}}  {finding.detail}")
        if finding.fix:
            print(f"{'':<4}  {'':<{width}}  fix: {finding.fix}")
    failed = sum(f.status == "FAIL" for f in findings)
    warned = sum(f.status == "WARN" for f in findings)
    print(f"\n{failed} failed, {warned} warning(s), {len(findings) - failed - warned} fine")
    return 1 if failed else 0


def _config(args: argparse.Namespace, findings: list[Finding]) -> Settings | None:
    try:
        settings = Settings.load(args.config)
        settings.check_platforms()
    except ConfigError as exc:
        findings.append(
            Finding("FAIL", "configuration", str(exc).replace("\n", " "), "correct the setting named")
        )
        return None
    mode = "sandbox mode (no Slack or Teams credentials)" if settings.sandbox_mode else "workspace mode"
    findings.append(Finding("OK", "configuration", f"valid; {mode}"))
    for dotted in secrets_in_config_file(settings.config_path):
        findings.append(
            Finding(
                "WARN",
                "secrets",
                f"{dotted} is written in {settings.config_path}",
                "move it to <VARIABLE>_FILE",
            )
        )
    return settings


def _database(settings: Settings, findings: list[Finding]) -> Database | None:
    try:
        db = Database(settings.database_url, encryption_keys=settings.encryption_key)
        db.ping()
    except StorageUnavailable as exc:
        findings.append(
            Finding("FAIL", "database", str(exc), "check PHIGATE_DATABASE_URL and that the server is running")
        )
        return None
    findings.append(Finding("OK", "database", f"reachable ({db.describe()})"))
    return db


def _schema_then_data(db: Database, findings: list[Finding]) -> None:
    found, head = migrate.current(db), migrate.head()
    if found != head:
        findings.append(
            Finding(
                "FAIL",
                "schema",
                f"at {found or 'empty'}, this phigate needs {head}",
                "run `phigate db upgrade`",
            )
        )
        return
    findings.append(Finding("OK", "schema", f"at {head} (newest)"))
    started = time.perf_counter()
    with db.transaction(write=False) as tx:
        result = verify(tx.audit.events())
        failed = tx.session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.status == "failed")
        )
        pending = tx.session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.status.in_(["pending", "in_flight"]))
        )
    took = time.perf_counter() - started
    if result.ok:
        findings.append(Finding("OK", "audit chain", f"{result.count} events verify ({took:.1f} s)"))
    else:
        findings.append(
            Finding(
                "FAIL",
                "audit chain",
                f"broken at event {result.broken_seq}: {result.problem}",
                "treat as a security incident: restore from backup and compare (see docs/deployment.md)",
            )
        )
    if failed:
        findings.append(
            Finding(
                "WARN",
                "outbox",
                f"{failed} message(s) failed after every retry, {pending} waiting",
                "check the Slack/Teams findings below and the server log for the error",
            )
        )
    else:
        findings.append(Finding("OK", "outbox", f"no failed messages, {pending} waiting"))


def _slack(settings: Settings) -> list[Finding]:
    slack = settings.slack
    if not slack.bot_token:
        return (
            [Finding("SKIP", "slack", "not configured")]
            if not slack.enabled
            else [Finding("FAIL", "slack", "no bot token", "set SLACK_BOT_TOKEN (or SLACK_BOT_TOKEN_FILE)")]
        )
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    client = WebClient(token=slack.bot_token, base_url=slack.api_url, timeout=slack.api_timeout_seconds)
    try:
        answer = client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error", "error")
        fix = "the bot token is wrong or revoked: reinstall the app and update SLACK_BOT_TOKEN"
        return [Finding("FAIL", "slack", f"auth.test refused the bot token: {error}", fix)]
    except Exception as exc:  # network: the message names host and reason, never the token
        return [
            Finding(
                "FAIL", "slack", f"{slack.api_url} unreachable: {type(exc).__name__}", "check the network"
            )
        ]
    findings = [Finding("OK", "slack", f"bot token valid: {answer.get('user')} in {answer.get('team')}")]
    missing = [group for group in settings.policy.groups if group not in slack.channels]
    if missing:
        findings.append(
            Finding(
                "FAIL",
                "slack channels",
                f"no review channel for {', '.join(missing)}",
                " ; ".join(f"set PHIGATE_SLACK_{group.upper()}_CHANNEL" for group in missing),
            )
        )
    else:
        findings.append(
            Finding("OK", "slack channels", ", ".join(f"{g}={c}" for g, c in slack.channels.items()))
        )
    return findings


def _teams_token(settings: Settings) -> list[Finding]:
    teams = settings.teams
    if not teams.app_id:
        return [Finding("SKIP", "teams", "not configured")]
    from botframework.connector.auth import AuthenticationConstants, PasswordServiceClientCredentialFactory

    from handlers.teams.adapter import adapter_config

    config = adapter_config(teams)
    scope = config.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE or AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
    login = config.TO_CHANNEL_FROM_BOT_LOGIN_URL or AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL
    if teams.app_type == "SingleTenant" and teams.app_tenant_id and login.endswith("/botframework.com"):
        login = login.removesuffix("botframework.com") + teams.app_tenant_id
    factory = PasswordServiceClientCredentialFactory(teams.app_id, teams.app_password, teams.app_tenant_id)
    try:
        with ThreadPoolExecutor(1) as pool:  # its own loop, even when called from a running one
            credentials = pool.submit(
                asyncio.run, factory.create_credentials(teams.app_id, scope, login, True)
            ).result()
        token = _quiet(credentials.get_access_token)
    except Exception as exc:
        token, problem = None, type(exc).__name__
    else:
        problem = "the login endpoint refused the app id and password"
    if not token:
        fix = "check MicrosoftAppId, MicrosoftAppPassword (not expired?) and MicrosoftAppTenantId in Entra ID"
        return [Finding("FAIL", "teams", f"no token for app {teams.app_id}: {problem}", fix)]
    return [Finding("OK", "teams", f"app {teams.app_id} got a Bot Framework token ({teams.app_type})")]


def _teams_channels(settings: Settings, db: Database, findings: list[Finding]) -> None:
    if not settings.teams.app_id:
        return
    with db.transaction(write=False) as tx:
        known = {c.conversation_id for c in tx.conversations.list("teams")}
    for group in settings.policy.groups:
        channel = settings.teams.channels.get(group)
        if not channel:
            findings.append(
                Finding(
                    "FAIL",
                    "teams channels",
                    f"no review channel for {group}",
                    f"set PHIGATE_TEAMS_{group.upper()}_CHANNEL",
                )
            )
        elif channel not in known:
            findings.append(
                Finding(
                    "FAIL",
                    "teams channels",
                    f"{group}: the bot was never added to {channel}",
                    "install the app in that team (see README 'Install in Teams'), then `phigate teams channels`",
                )
            )
        else:
            findings.append(Finding("OK", "teams channels", f"{group}: {channel} known"))


def _scanner(settings: Settings) -> Finding:
    started = time.perf_counter()
    try:
        from bot.phi.scanner import Scanner

        Scanner(settings.scanner, settings.organization).scan(
            "Thank you for the kind words about our nurses!"
        )
    except Exception as exc:
        return Finding(
            "FAIL",
            "scanner",
            f"model {settings.scanner.model!r} did not load: {type(exc).__name__}",
            "install it or set PHIGATE_SCANNER__MODEL",
        )
    return Finding(
        "OK",
        "scanner",
        f"model {settings.scanner.model} loaded and scanned in {time.perf_counter() - started:.1f} s",
    )


def _quiet(call: Callable[[], Any]) -> Any:
    """MSAL logs at WARNING on refusals; the finding says it instead."""
    import logging

    logger = logging.getLogger("msal")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return call()
    finally:
        logger.setLevel(level)
