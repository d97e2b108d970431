"""A local stand-in for login.botframework.com: OpenID metadata, signing keys, and channel tokens.

botbuilder validates an inbound ``Authorization: Bearer`` token against the keys listed at
``TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL`` -> ``jwks_uri``, fetched with blocking ``requests.get``
from the bot's event loop (so this server runs in its own thread). It checks: the issuer is
``TO_BOT_FROM_CHANNEL_TOKEN_ISSUER``, RS256 signature by the key with the header's ``kid``, the key's
``endorsements`` include the activity's channelId (only when the key lists endorsements), ``exp``/
``nbf`` with 5 minutes' leeway, ``aud`` == the bot's app id, ``serviceurl`` == the activity's
serviceUrl.

botbuilder caches metadata per URL for a day (class-level, process-wide), so ``metadata_url`` carries
a per-instance query string: a new ``LocalOpenId`` is never served from an old one's keys.
"""

from __future__ import annotations

import base64
import secrets
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.handlers.teams.fake_connector import BackgroundServer

CHANNEL_ISSUER = "https://api.botframework.com"
METADATA_PATH = "/v1/.well-known/openidconfiguration"
KEYS_PATH = "/v1/.well-known/keys"
ENDORSEMENTS = ("msteams", "webchat", "emulator")


@dataclass(frozen=True)
class SigningKey:
    """An RSA key pair with its key id."""

    kid: str
    private: rsa.RSAPrivateKey
    endorsements: tuple[str, ...] = ENDORSEMENTS

    def jwk(self) -> dict[str, Any]:
        """The public key as Microsoft publishes it (with ``endorsements`` unless empty)."""
        numbers = self.private.public_key().public_numbers()
        key: dict[str, Any] = {
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "x5t": self.kid,
            "n": _b64_int(numbers.n),
            "e": _b64_int(numbers.e),
        }
        if self.endorsements:
            key["endorsements"] = list(self.endorsements)
        return key


def new_key(kid: str | None = None, endorsements: Sequence[str] = ENDORSEMENTS) -> SigningKey:
    """A fresh 2048-bit RSA signing key."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return SigningKey(kid or secrets.token_urlsafe(12), private, tuple(endorsements))


class LocalOpenId(BackgroundServer):
    """Serves the metadata document and JWKS; signs channel tokens with the published key(s)."""

    name = "local-openid"

    def __init__(self, endorsements: Sequence[str] = ENDORSEMENTS) -> None:
        super().__init__()
        self.key = new_key(endorsements=endorsements)
        self.keys: list[SigningKey] = [self.key]
        """The published keys (add before the first validation: botbuilder caches them for a day)."""
        self.requests: list[str] = []
        """Paths fetched so far (metadata and keys)."""
        self._instance = uuid.uuid4().hex

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get(METADATA_PATH, self._metadata)
        app.router.add_get(KEYS_PATH, self._keys)
        return app

    def __enter__(self) -> LocalOpenId:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def metadata_url(self) -> str:
        """``TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL`` (unique per instance, see the module doc)."""
        return f"{self.base_url}{METADATA_PATH}?instance={self._instance}"

    @property
    def issuer(self) -> str:
        """``TO_BOT_FROM_CHANNEL_TOKEN_ISSUER``: the public cloud's, as the channel's tokens carry."""
        return CHANNEL_ISSUER

    # -- tokens ---------------------------------------------------------------------------------

    def token(
        self,
        app_id: str,
        service_url: str,
        *,
        issuer: str = CHANNEL_ISSUER,
        expires_in: int = 300,
        not_before: int | None = None,
        kid: str | None = None,
        key: SigningKey | rsa.RSAPrivateKey | None = None,
        **claims: Any,
    ) -> str:
        """A channel token as the Bot Connector signs it (RS256; ``aud``=app id, ``serviceurl``).

        ``key`` signs with another key (a ``SigningKey`` or a bare private key); ``kid`` overrides the
        header's key id; ``claims`` add or replace claims (``None`` removes one).
        """
        now = int(time.time())
        signer = key if key is not None else self.key
        private = signer.private if isinstance(signer, SigningKey) else signer
        header_kid = kid or (signer.kid if isinstance(signer, SigningKey) else self.key.kid)
        payload: dict[str, Any] = {
            "serviceurl": service_url,
            "nbf": now - 60 if not_before is None else not_before,
            "exp": now + expires_in,
            "iss": issuer,
            "aud": app_id,
            **claims,
        }
        payload = {name: value for name, value in payload.items() if value is not None}
        return jwt.encode(payload, private, algorithm="RS256", headers={"kid": header_kid, "x5t": header_kid})

    def expired_token(self, app_id: str, service_url: str) -> str:
        """Expired ten minutes ago (beyond botbuilder's five minutes of clock leeway)."""
        return self.token(app_id, service_url, expires_in=-600, not_before=int(time.time()) - 900)

    def wrong_audience_token(
        self, service_url: str, audience: str = "00000000-0000-0000-0000-000000000bad"
    ) -> str:
        """Signed correctly, but for another bot."""
        return self.token(audience, service_url)

    def unknown_issuer_token(self, app_id: str, service_url: str) -> str:
        """Signed with the right key by an issuer the bot does not trust."""
        return self.token(app_id, service_url, issuer="https://sts.example.com/")

    def unknown_kid_token(self, app_id: str, service_url: str) -> str:
        """Header names a key id that is not published."""
        return self.token(app_id, service_url, kid="not-a-published-key")

    def forged_token(self, app_id: str, service_url: str) -> str:
        """Names the published key id but is signed with another key (signature check fails)."""
        return self.token(app_id, service_url, key=new_key(self.key.kid).private)

    def wrong_service_url_token(self, app_id: str, service_url: str = "https://evil.example.com/") -> str:
        """The ``serviceurl`` claim does not match the activity's serviceUrl."""
        return self.token(app_id, service_url)

    @staticmethod
    def malformed_token() -> str:
        """Not a JWT at all."""
        return "not-a-jwt"

    # -- HTTP ------------------------------------------------------------------------------------------

    async def _metadata(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        return web.json_response(
            {
                "issuer": CHANNEL_ISSUER,
                "authorization_endpoint": "https://invalid.botframework.com",
                "jwks_uri": f"{self.base_url}{KEYS_PATH}",
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        )

    async def _keys(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        return web.json_response({"keys": [key.jwk() for key in self.keys]})


def _b64_int(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
