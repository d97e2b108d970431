"""``phigate serve``: the approval gate's server (sandbox chat, JSON API, and later Slack and Teams)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from aiohttp import web

from bot.config import Settings
from bot.logsafety import install as install_logging
from bot.secrets import secrets_in_config_file
from handlers.cli.wiring import open_database


def register(sub: Any) -> None:
    """Add the ``serve`` sub-command."""
    parser = sub.add_parser(
        "serve",
        help="run the server (sandbox chat at / when no Slack or Teams credentials are set)",
        description="Run phigate's server: the JSON API, /healthz, /metrics, and in sandbox mode the local "
        "web chat at /. Applies database migrations automatically on the embedded SQLite default.",
    )
    parser.add_argument("--host", help="address to listen on (default from settings: 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default from settings: 8080)")
    parser.add_argument("--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``phigate serve``."""
    settings = Settings.load(args.config)
    server = settings.server.model_copy(
        update={key: value for key, value in (("host", args.host), ("port", args.port)) if value is not None}
    )
    settings = settings.model_copy(update={"server": server})
    install_logging(settings.log_level)
    for dotted in secrets_in_config_file(settings.config_path):
        print(
            f"phigate: warning: {dotted} is written in the config file; keep secrets out of it",
            file=sys.stderr,
        )
    # Imported here: the scanner (presidio, spaCy) loads only for the commands that scan.
    from handlers.server import SandboxNotOnLoopback, build_server, check_listen_address

    try:
        check_listen_address(settings)  # before the database is opened (or created) and migrated
    except SandboxNotOnLoopback as exc:
        print(f"phigate: {exc}", file=sys.stderr)
        return 2
    settings.check_platforms()  # partial Slack/Teams credentials: exit 2 before touching the database
    db = open_database(settings, upgrade_embedded=True)
    app = build_server(settings, db)
    url = f"http://{server.host}:{server.port}/"
    if settings.sandbox_mode:
        print(
            f"phigate: sandbox mode (no Slack or Teams credentials configured), database {db.describe()}\n"
            f"phigate: open {url} in a browser; demo users: social1 (social team), legal1, legal2 (legal), "
            "comms1 (comms)",
            file=sys.stderr,
        )
    else:
        print(f"phigate: serving on {url} (database {db.describe()})", file=sys.stderr)
    web.run_app(app, host=server.host, port=server.port, print=None, access_log=None, handle_signals=True)
    db.dispose()
    return 0
