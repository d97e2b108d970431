"""``phigate demo``: scan a few sample reply drafts and show what the scanner says about each."""

from __future__ import annotations

import argparse
from typing import Any

from bot.config import Settings
from bot.logsafety import install as install_logging
from handlers.cli.scan import render_report

SAMPLE_DRAFTS = (
    "Thanks so much for the shout-out, Linda! Our ER nurses will love hearing this. 💙",
    "Glad your knee surgery went well, John! The whole 4 West team says hi.",
    "We're sorry to hear about your experience. Please call our Patient Relations team at "
    "(555) 013-2298 so we can look into it.",
    "Hi Frank, your Medicare number ending 4TW7-QX2-HN58 was typed in wrong, which is why the claim bounced.",
    "Flu shots are free at all our clinics this Saturday, 9am-1pm. If you have a fever, please stay home!",
)


def register(sub: Any) -> None:
    """Add the ``demo`` sub-command."""
    parser = sub.add_parser("demo", help="Scan sample drafts to see the PHI scanner at work.")
    parser.add_argument("--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Scan and report each sample draft."""
    from bot.phi.scanner import get_scanner  # loaded only when this command runs

    settings = Settings.load(args.config)
    install_logging("WARNING")
    scanner = get_scanner(settings)
    print(
        f"phigate scanner loaded in {scanner.load_seconds:.1f} s; scanning {len(SAMPLE_DRAFTS)} sample drafts.\n"
    )
    for number, draft in enumerate(SAMPLE_DRAFTS, start=1):
        print(f"=== Draft {number}: {draft}")
        print(render_report(draft, scanner.scan(draft)))
        print()
    print('Try your own: phigate scan "your draft"   (or: phigate scan --help)')
    return 0
