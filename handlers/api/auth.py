"""Who is calling: an API token (``Authorization: Bearer``), or in sandbox mode ``X-Phigate-User``."""

from __future__ import annotations

from aiohttp import web

from bot.errors import Unauthenticated
from bot.models import User
from handlers.context import AppContext, context_of

SANDBOX_HEADER = "X-Phigate-User"


async def current_user(request: web.Request) -> User:
    """The authenticated user of ``request``.

    Raises:
        Unauthenticated: no identity, an unknown or revoked token, or a sandbox header outside sandbox mode.
    """
    ctx = context_of(request)
    authorization = request.headers.get("Authorization", "")
    if authorization:
        scheme, _, secret = authorization.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
        user_id = await ctx.run(lambda tx: tx.tokens.user_for(secret.strip()), write=False)
        if user_id is None:
            raise Unauthenticated(
                "unknown or revoked API token", "create one with `phigate token create --user NAME`"
            )
        return _user(ctx, user_id)
    sandbox_user = request.headers.get(SANDBOX_HEADER, "").strip()
    if sandbox_user:
        if not ctx.sandbox:
            raise Unauthenticated(f"{SANDBOX_HEADER} is only accepted in sandbox mode; use an API token")
        user_id = sandbox_user if sandbox_user.startswith("sandbox:") else f"sandbox:{sandbox_user}"
        if user_id not in ctx.settings_identity_users():
            raise Unauthenticated(
                f"unknown sandbox user {sandbox_user!r}", "use social1, legal1, legal2, comms1 or privacy1"
            )
        return _user(ctx, user_id)
    raise Unauthenticated("no identity: send 'Authorization: Bearer <token>'")


def _user(ctx: AppContext, user_id: str) -> User:
    return User(user_id, ctx.directory.name(user_id))
