"""``phigate policy show``: the effective approval policy in plain words (or JSON)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.config import Settings
from bot.policy_summary import plain_words, summary


def register(sub: Any) -> None:
    """Add the ``policy`` sub-command."""
    parser = sub.add_parser("policy", help="the approval policy: show")
    actions = parser.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show",
        help="print the effective policy, groups and members, channels, expiry and retention",
        description="Print the effective approval policy from the TOML file and the environment, in plain "
        "words for a compliance review (or --format json). Reads no database.",
    )
    show.add_argument("--format", choices=["text", "json"], default="text")
    show.add_argument("--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)")
    show.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``phigate policy show``."""
    settings = Settings.load(args.config)
    if args.format == "json":
        print(json.dumps(summary(settings), indent=2))
    else:
        print(plain_words(settings), end="")
    return 0
