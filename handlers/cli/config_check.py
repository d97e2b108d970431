"""``phigate config check``: validate the settings and print the effective values, secrets masked."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.config import Settings
from bot.secrets import secrets_in_config_file


def register(sub: Any) -> None:
    """Add the ``config`` sub-command."""
    parser = sub.add_parser("config", help="configuration: check")
    actions = parser.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="validate the settings and print the effective values (secrets masked)",
        description="Validate the TOML file and PHIGATE_* environment together; print the effective settings "
        "as JSON with secrets masked. Exit 2 with the reason when something is invalid.",
    )
    check.add_argument("--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)")
    check.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``phigate config check``."""
    settings = Settings.load(args.config)
    settings.check_platforms()
    effective = settings.masked()
    effective["mode"] = "sandbox" if settings.sandbox_mode else "workspace"
    effective["fingerprint"] = settings.fingerprint()
    print(json.dumps(effective, indent=2, sort_keys=True, default=str))
    for dotted in secrets_in_config_file(settings.config_path):
        print(
            f"warning: {dotted} is written in {settings.config_path}: keep secrets out of config files "
            "(use the environment, <VARIABLE>_FILE or systemd credentials; see docs/deployment.md)"
        )
    print("configuration OK")
    return 0
