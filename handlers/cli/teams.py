"""``phigate teams ...``: the Teams app package, and the channels the bot can post to.

``phigate teams package`` fills ``manifest/teams/manifest.json`` with the bot's Microsoft App ID and
the server's host name and zips it with both icons, ready for "Upload a custom app" in Teams.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

from bot.config import Settings
from handlers.cli.wiring import open_database

MANIFEST_DIR = Path(__file__).resolve().parents[2] / "manifest" / "teams"
APP_ID_PLACEHOLDER = "{{MICROSOFT_APP_ID}}"
DOMAIN_PLACEHOLDER = "{{PHIGATE_DOMAIN}}"
ICONS = ("color.png", "outline.png")
DEFAULT_OUTPUT = "phigate-teams.zip"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HOST = re.compile(
    r"^(?=.{1,253}$)(?:\*\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?::\d{1,5})?$"
)


def register(sub: Any) -> None:
    """Add the ``teams`` sub-commands."""
    parser = sub.add_parser(
        "teams", help="Microsoft Teams: build the app package, list the channels the bot knows"
    )
    actions = parser.add_subparsers(dest="teams_command", metavar="ACTION", required=True)

    package_parser = actions.add_parser(
        "package",
        help="build the Teams app zip (manifest with the app id filled in, both icons)",
        description="Build the zip to upload in Teams (Apps > Manage your apps > Upload a custom app, or "
        "the Teams admin center): manifest.json with the bot's Microsoft App ID and the server's host "
        "name filled in, color.png and outline.png.",
    )
    package_parser.add_argument(
        "--app-id",
        metavar="GUID",
        help="the Azure Bot's Microsoft App ID (default: [teams] app_id / MicrosoftAppId)",
    )
    package_parser.add_argument(
        "--domain",
        metavar="HOST",
        help="the host name phigate is served at, e.g. phigate.example.org (default: the manifest keeps "
        "no domain entry)",
    )
    package_parser.add_argument(
        "--output",
        metavar="PATH",
        default=DEFAULT_OUTPUT,
        help=f"where to write the zip (default: {DEFAULT_OUTPUT})",
    )
    package_parser.add_argument(
        "--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)"
    )
    package_parser.set_defaults(handler=package)

    channels_parser = actions.add_parser(
        "channels",
        help="list the channels and chats the bot can post to, with their conversation ids",
        description="List the conversations whose references the bot stored (every channel of a team it "
        "was added to, channels where it was @mentioned, 1:1 chats), so an admin can set "
        "PHIGATE_TEAMS_<GROUP>_CHANNEL and PHIGATE_TEAMS_DRAFTS_CHANNEL. Channels already configured are "
        "marked with their group.",
    )
    channels_parser.add_argument(
        "--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)"
    )
    channels_parser.set_defaults(handler=channels)


def channels(args: argparse.Namespace) -> int:
    """Execute ``phigate teams channels``."""
    settings = Settings.load(args.config)
    db = open_database(settings)
    try:
        found = db.run(lambda tx: tx.conversations.list("teams"), write=False)
    finally:
        db.dispose()
    roles = {channel: f"review channel of {group}" for group, channel in settings.teams.channels.items()}
    if settings.teams.drafts_channel:
        roles[settings.teams.drafts_channel] = "drafts channel"
    shown = [c for c in found if c.kind != "personal"]
    if not shown:
        print(
            "No Teams channels yet: add the bot to the team with your review channels, then run this again."
        )
    for conversation in shown:
        role = roles.pop(conversation.conversation_id, "")
        print(f"{conversation.conversation_id}\t{conversation.name or '-'}\t{role}".rstrip())
    personal = len(found) - len(shown)
    print(f"({len(shown)} channel(s); {personal} person(s) have a 1:1 chat with the bot)")
    for channel, role in roles.items():
        print(
            f"warning: {channel} is configured as the {role} but the bot has not been added there",
            file=sys.stderr,
        )
    return 1 if roles else 0


def package(args: argparse.Namespace) -> int:
    """Execute ``phigate teams package``; exit 2 without a valid app id or host name."""
    app_id = (args.app_id or "").strip() or _configured_app_id(args.config)
    if not app_id:
        print(
            "phigate: no Microsoft App ID: pass --app-id or set MicrosoftAppId (or app_id in [teams])",
            file=sys.stderr,
        )
        return 2
    if not _GUID.match(app_id):
        print(
            f"phigate: the Microsoft App ID must be a GUID (like 00000000-0000-0000-0000-000000000000), "
            f"not {app_id[:60]!r}",
            file=sys.stderr,
        )
        return 2
    domain = _host(args.domain or "")
    if args.domain and domain is None:
        print(
            f"phigate: --domain must be a host name such as phigate.example.org, not {args.domain[:80]!r}",
            file=sys.stderr,
        )
        return 2
    manifest = build_manifest(app_id.lower(), domain or "")
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_package(manifest, output)
    print(f"wrote {output} (app id {app_id.lower()}{', domain ' + domain if domain else ''})")
    if not domain:
        print("note: no --domain given; validDomains is empty and the developer links point nowhere useful")
    return 0


def build_manifest(app_id: str, domain: str) -> dict[str, Any]:
    """The manifest with the placeholders filled (without a domain, domain-based entries are dropped)."""
    text = (MANIFEST_DIR / "manifest.json").read_text(encoding="utf-8")
    text = text.replace(APP_ID_PLACEHOLDER, app_id)
    if domain:
        text = text.replace(DOMAIN_PLACEHOLDER, domain)
    manifest: dict[str, Any] = json.loads(text)
    if not domain:
        manifest["validDomains"] = [
            d for d in manifest.get("validDomains", []) if DOMAIN_PLACEHOLDER not in d
        ]
        developer = manifest.get("developer", {})
        for key, value in list(developer.items()):
            if isinstance(value, str) and DOMAIN_PLACEHOLDER in value:
                developer[key] = value.replace(DOMAIN_PLACEHOLDER, "localhost")
    return manifest


def write_package(manifest: dict[str, Any], output: Path) -> None:
    """Zip ``manifest`` and both icons, all at the root of the archive."""
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for icon in ICONS:
            archive.write(MANIFEST_DIR / icon, arcname=icon)


def _configured_app_id(config: str | None) -> str:
    settings = Settings.load(config)
    teams = getattr(settings, "teams", None)
    value = getattr(teams, "app_id", None)
    if value is None and isinstance(teams, dict):
        value = teams.get("app_id")
    return str(value or "").strip()


def _host(value: str) -> str | None:
    """``value`` as a bare host name (a scheme and trailing path are accepted and dropped)."""
    host = value.strip()
    host = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", host).split("/", 1)[0]
    return host.lower() if host and _HOST.match(host) else None
