"""A fake Bot Connector service: a real HTTP server on 127.0.0.1 that records every call and fails on demand.

It implements what botbuilder's ``ConnectorClient`` and ``TeamsInfo`` call (``/v3/conversations/...``,
``/v3/teams/...``) and, on a second, HTTPS port, a token endpoint that MSAL accepts as an authority
(``fake.login_url``), so a bot with an app id and password gets its outbound token locally.

    with FakeConnector() as fake:
        adapter = CloudAdapter(...)           # activities carry serviceUrl = fake.service_url
        fake.fail_next("update", status=429, retry_after=0)
        ...
        fake.wait_for("send", count=2)
        card = fake.last_card("19:legal@thread.tacv2")

Call kinds (for ``calls_to``/``wait_for``/``fail_next``/``delay_next``): ``send`` (POST activities),
``reply`` (POST activities/{id}), ``update`` (PUT), ``delete``, ``create_conversation``, ``member``,
``members`` (also paged), ``team``, ``channels``, ``token`` and ``discovery`` (MSAL's OpenID
configuration); ``post`` means ``send`` or ``reply``. Every request is recorded, rejected and faulted
ones too, so retries can be counted.

Note: botbuilder's CloudAdapter sends *proactive* messages (``continue_conversation``) as replies to
the random id of its continuation activity (``POST .../activities/<uuid>``), so they arrive as
``reply``; Teams posts them as new messages. Use ``post`` to match both.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import itertools
import json
import ssl
import tempfile
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from tests.handlers.faults import Delay, take

T = TypeVar("T")
Json = dict[str, Any]

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
ACCESS_TOKEN = "fake-bot-token"
SENDS = ("send", "reply")
POST = "post"  # kind group: "send" or "reply"
_GROUPS = {POST: SENDS}
_FIRST_ACTIVITY_ID = 1_700_000_000_000
_ERROR_CODES = {
    400: "BadArgument",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    412: "PreconditionFailed",
    429: "TooManyRequests",
    500: "ServiceError",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}


class BackgroundServer:
    """An aiohttp application served on 127.0.0.1 from its own thread and event loop.

    The thread matters: botbuilder fetches OpenID metadata and MSAL tokens with blocking calls from
    the bot's event loop, so whatever answers them must not run on that loop.
    """

    name = "background-server"

    def __init__(self) -> None:
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=self.name, daemon=True)
        self._runner: web.AppRunner | None = None

    def build_app(self) -> web.Application:
        """The application to serve (subclasses add routes)."""
        raise NotImplementedError

    def start(self) -> BackgroundServer:
        """Listen on a free loopback port."""
        self._thread.start()
        self.run(self._start())
        return self

    async def _start(self) -> None:
        self._runner = web.AppRunner(self.build_app(), access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        await self.started(self._runner)

    async def started(self, runner: web.AppRunner) -> None:
        """Hook for more sites on the same runner."""

    def stop(self) -> None:
        """Stop serving and end the thread."""
        if self._runner is not None:
            self.run(self._runner.cleanup())
            self._runner = None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the server's loop and wait for it."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(30)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"


@dataclass(frozen=True)
class Call:
    """One request the fake received."""

    kind: str
    method: str
    path: str
    conversation_id: str | None
    activity_id: str | None
    body: Any
    authorization: str | None
    headers: dict[str, str]
    query: dict[str, str] = field(default_factory=dict)

    @property
    def token(self) -> str | None:
        """The bearer token of the Authorization header, if any."""
        if self.authorization and self.authorization.startswith("Bearer "):
            return self.authorization[len("Bearer ") :]
        return None


@dataclass
class _Fault:
    status: int
    retry_after: int | None
    remaining: int


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    activities: dict[str, dict[str, Json]] = field(
        default_factory=dict
    )  # base conversation -> id -> activity
    accepted: dict[int, Json] = field(default_factory=dict)  # call index -> the activity stored
    faults: dict[str, list[_Fault]] = field(default_factory=dict)
    delays: dict[str, list[Delay]] = field(default_factory=dict)


def base_conversation(conversation_id: str) -> str:
    """A channel thread's conversation id without ``;messageid=...`` (the channel itself)."""
    return conversation_id.split(";", 1)[0]


def card_of(activity: Json) -> Json | None:
    """The Adaptive Card content of an activity's first attachment, or None."""
    attachments = activity.get("attachments") or []
    if attachments and attachments[0].get("contentType") == CARD_TYPE:
        return attachments[0].get("content")
    return None


class FakeConnector(BackgroundServer):
    """The fake Bot Connector REST API (HTTP) plus a fake Entra token endpoint (HTTPS)."""

    name = "fake-connector"

    def __init__(self) -> None:
        super().__init__()
        self.members: dict[str, Json] = {}
        """User id (29:...) -> TeamsChannelAccount JSON (``add_member``); also found by aadObjectId."""
        self.teams: dict[str, Json] = {}
        """Team id -> {"id", "name", "aadGroupId", "channels": [{"id", "name"}]} (``add_team``)."""
        self.require_token: str | None = None
        """When set, connector calls without ``Authorization: Bearer <it>`` get 401 (as Azure does)."""
        self.client_secrets: dict[str, str] = {}
        """client id -> secret; when not empty the token endpoint refuses other credentials."""
        self.access_token = ACCESS_TOKEN
        self.tls_port = 0
        self._state = _State()
        self._changed = threading.Condition(threading.RLock())
        self._ids = itertools.count(1)
        self._tls_dir = tempfile.TemporaryDirectory(prefix="fake-connector-tls-")
        self.ca_file = str(Path(self._tls_dir.name) / "cert.pem")
        """The self-signed certificate of the HTTPS port: point ``REQUESTS_CA_BUNDLE`` at it for MSAL."""

    # -- lifecycle --------------------------------------------------------------------------------

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=16 * 1024 * 1024)
        routes = app.router
        conversation = "/v3/conversations/{conversation_id}"
        routes.add_post("/v3/conversations", self._create_conversation)
        routes.add_post(conversation + "/activities", self._send)
        routes.add_post(conversation + "/activities/{activity_id}", self._reply)
        routes.add_put(conversation + "/activities/{activity_id}", self._update)
        routes.add_delete(conversation + "/activities/{activity_id}", self._delete)
        routes.add_get(conversation + "/members", self._members)
        routes.add_get(conversation + "/pagedmembers", self._paged_members)
        routes.add_get(conversation + "/members/{member_id}", self._member)
        routes.add_get("/v3/teams/{team_id}", self._team)
        routes.add_get("/v3/teams/{team_id}/conversations", self._channels)
        routes.add_post("/oauth2/v2.0/token", self._token)
        routes.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        routes.add_get("/{prefix:.*}/.well-known/openid-configuration", self._discovery)
        return app

    async def started(self, runner: web.AppRunner) -> None:
        context = _self_signed_tls(Path(self.ca_file), Path(self._tls_dir.name) / "key.pem")
        await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context).start()
        self.tls_port = next(address[1] for address in runner.addresses if address[1] != self.port)

    def stop(self) -> None:
        super().stop()
        self._tls_dir.cleanup()

    def __enter__(self) -> FakeConnector:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- what tests configure and read --------------------------------------------------------------

    @property
    def service_url(self) -> str:
        """The activities' ``serviceUrl``: ``http://127.0.0.1:PORT/``."""
        return f"{self.base_url}/"

    @property
    def tls_url(self) -> str:
        """``https://127.0.0.1:TLS_PORT`` (the token endpoint's side)."""
        return f"https://127.0.0.1:{self.tls_port}"

    @property
    def login_url(self) -> str:
        """``TO_CHANNEL_FROM_BOT_LOGIN_URL`` for a bot that gets its token here.

        MSAL accepts only https authorities and, for hosts it does not know, asks
        login.microsoftonline.com about them first ("instance discovery") unless the authority is an
        ADFS one (path ``/adfs``); so this is ``https://127.0.0.1:TLS_PORT/adfs``. MSAL then reads
        ``/adfs/.well-known/openid-configuration`` and posts to its ``token_endpoint``.
        """
        return f"{self.tls_url}/adfs"

    def add_member(self, user_id: str, name: str, aad_object_id: str, **fields: Any) -> Json:
        """Register a user for ``TeamsInfo.get_member(s)``."""
        member = {
            "id": user_id,
            "name": name,
            "aadObjectId": aad_object_id,
            "givenName": name.split(" ")[0],
            "surname": name.split(" ")[-1],
            "email": f"{name.lower().replace(' ', '.')}@hospital.example",
            "userPrincipalName": f"{name.lower().replace(' ', '.')}@hospital.example",
            "tenantId": fields.pop("tenant_id", None),
            "userRole": "user",
            **fields,
        }
        with self._changed:
            self.members[user_id] = member
        return dict(member)

    def add_team(self, team_id: str, name: str, channels: dict[str, str] | None = None) -> None:
        """Register a team and its channels (conversation id -> name) for ``TeamsInfo``."""
        listed = [{"id": team_id, "name": None}]  # the General channel has the team's id and no name
        listed += [{"id": cid, "name": cname} for cid, cname in (channels or {}).items() if cid != team_id]
        with self._changed:
            self.teams[team_id] = {"id": team_id, "name": name, "aadGroupId": None, "channels": listed}

    def add_activity(self, conversation_id: str, activity: Json | None = None) -> str:
        """Register an existing activity (e.g. a card posted before the test) so it can be updated."""
        with self._changed:
            activity_id = self._next_id()
            self._store(conversation_id, activity_id, {**(activity or {}), "id": activity_id})
        return activity_id

    @property
    def calls(self) -> list[Call]:
        """Every request so far, in arrival order (a copy)."""
        with self._changed:
            return list(self._state.calls)

    def calls_to(self, kind: str, conversation_id: str | None = None) -> list[Call]:
        """The calls of one kind (``send``, ``reply``, ``update``...), optionally in one conversation."""
        with self._changed:
            return [
                call
                for call in self._state.calls
                if call.kind in _GROUPS.get(kind, (kind,))
                and _in_conversation(call.conversation_id, conversation_id)
            ]

    def sent(self, conversation_id: str | None = None) -> list[Json]:
        """Activities posted or replied (successfully), oldest first, with the ``id`` the fake gave them.

        ``conversation_id`` matches exactly, or a channel id matches its threads (``;messageid=``).
        """
        return self._bodies(SENDS, conversation_id)

    def updated(self, conversation_id: str | None = None, activity_id: str | None = None) -> list[Json]:
        """Activities as sent in successful updates, oldest first."""
        return [
            body
            for body in self._bodies(("update",), conversation_id)
            if activity_id is None or body.get("id") == activity_id
        ]

    def activity(self, conversation_id: str, activity_id: str) -> Json | None:
        """An activity as it is now (after updates), or None (deleted or unknown)."""
        with self._changed:
            found = self._state.activities.get(base_conversation(conversation_id), {}).get(activity_id)
            return dict(found) if found else None

    def last_card(self, conversation_id: str) -> Json | None:
        """The newest Adaptive Card content sent or updated in the conversation (or its threads)."""
        for body in reversed(self._bodies((*SENDS, "update"), conversation_id)):
            card = card_of(body)
            if card is not None:
                return card
        return None

    def cards(self, conversation_id: str | None = None) -> dict[str, Json]:
        """Activity id -> its current Adaptive Card, for every card activity now in the conversation(s)."""
        with self._changed:
            found: dict[str, Json] = {}
            for base, activities in self._state.activities.items():
                if conversation_id is None or base == base_conversation(conversation_id):
                    for activity_id, activity in activities.items():
                        if (card := card_of(activity)) is not None:
                            found[activity_id] = card
            return found

    def fail_next(self, kind: str, status: int = 429, *, retry_after: int | None = 1, times: int = 1) -> None:
        """Make the next ``times`` calls of ``kind`` fail with ``status`` (429 carries ``Retry-After``).

        ``retry_after=None`` leaves the header out. Other useful statuses: 412, 500, 502, 504.
        """
        with self._changed:
            self._state.faults.setdefault(kind, []).append(_Fault(status, retry_after, times))

    def delay_next(self, kind: str, seconds: float, *, times: int = 1) -> None:
        """Make the next ``times`` calls of ``kind`` answer ``seconds`` late."""
        with self._changed:
            self._state.delays.setdefault(kind, []).append(Delay(seconds, times))

    def reset(self) -> None:
        """Forget calls, activities and pending faults (keeps members and teams)."""
        with self._changed:
            self._state = _State()

    def wait_for(
        self, kind: str, count: int = 1, timeout: float = 5, conversation_id: str | None = None
    ) -> list[Call]:
        """Block until ``count`` calls of ``kind`` arrived; returns them (AssertionError on timeout)."""
        with self._changed:
            if not self._changed.wait_for(
                lambda: len(self.calls_to(kind, conversation_id)) >= count, timeout
            ):
                seen = [(call.kind, call.conversation_id) for call in self._state.calls]
                raise AssertionError(f"waited {timeout}s for {count} {kind} call(s); calls so far: {seen}")
            return self.calls_to(kind, conversation_id)

    # -- HTTP: connector ------------------------------------------------------------------------------

    async def _send(self, request: web.Request) -> web.StreamResponse:
        return await self._post_activity(request, "send")

    async def _reply(self, request: web.Request) -> web.StreamResponse:
        return await self._post_activity(request, "reply")

    async def _post_activity(self, request: web.Request, kind: str) -> web.StreamResponse:
        body = await _json_body(request)
        index, refused = await self._receive(request, kind, body)
        if refused is not None:
            return refused
        if not isinstance(body, dict) or not body.get("type"):
            return _error(400, "activity type is required")
        conversation_id = request.match_info["conversation_id"]
        with self._changed:
            activity_id = self._next_id()
            stored = {**body, "id": activity_id}
            if kind == "reply":
                stored.setdefault("replyToId", request.match_info["activity_id"])
            self._store(conversation_id, activity_id, stored)
            self._state.accepted[index] = stored
            self._changed.notify_all()
        return web.json_response({"id": activity_id})

    async def _update(self, request: web.Request) -> web.StreamResponse:
        body = await _json_body(request)
        index, refused = await self._receive(request, "update", body)
        if refused is not None:
            return refused
        conversation_id = request.match_info["conversation_id"]
        activity_id = request.match_info["activity_id"]
        with self._changed:
            existing = self._state.activities.get(base_conversation(conversation_id), {})
            if activity_id not in existing:
                return _error(404, f"activity {activity_id} not found in the conversation")
            stored = {**body, "id": activity_id}
            existing[activity_id] = stored
            self._state.accepted[index] = stored
            self._changed.notify_all()
        return web.json_response({"id": activity_id})

    async def _delete(self, request: web.Request) -> web.StreamResponse:
        _, refused = await self._receive(request, "delete", None)
        if refused is not None:
            return refused
        conversation_id = request.match_info["conversation_id"]
        with self._changed:
            existing = self._state.activities.get(base_conversation(conversation_id), {})
            if existing.pop(request.match_info["activity_id"], None) is None:
                return _error(404, "activity not found in the conversation")
        return web.Response(status=200)

    async def _create_conversation(self, request: web.Request) -> web.StreamResponse:
        body = await _json_body(request)
        _, refused = await self._receive(request, "create_conversation", body)
        if refused is not None:
            return refused
        members = (body or {}).get("members") or []
        if not members or not members[0].get("id"):
            return _error(400, "members are required")
        conversation_id = f"a:personal-{members[0]['id']}"
        answer: Json = {"id": conversation_id}
        if isinstance(first := body.get("activity"), dict):
            with self._changed:
                answer["activityId"] = self._next_id()
                self._store(conversation_id, answer["activityId"], {**first, "id": answer["activityId"]})
        return web.json_response(answer, status=201)

    async def _members(self, request: web.Request) -> web.StreamResponse:
        _, refused = await self._receive(request, "members", None)
        if refused is not None:
            return refused
        with self._changed:
            return web.json_response(list(self.members.values()))

    async def _paged_members(self, request: web.Request) -> web.StreamResponse:
        _, refused = await self._receive(request, "members", None)
        if refused is not None:
            return refused
        with self._changed:
            return web.json_response({"members": list(self.members.values()), "continuationToken": None})

    async def _member(self, request: web.Request) -> web.StreamResponse:
        _, refused = await self._receive(request, "member", None)
        if refused is not None:
            return refused
        wanted = request.match_info["member_id"]
        with self._changed:
            member = self.members.get(wanted) or next(
                (m for m in self.members.values() if m.get("aadObjectId") == wanted), None
            )
        if member is None:
            return _error(404, "member not found")
        return web.json_response(member)

    async def _team(self, request: web.Request) -> web.StreamResponse:
        _, refused = await self._receive(request, "team", None)
        if refused is not None:
            return refused
        team = self.teams.get(request.match_info["team_id"])
        if team is None:
            return _error(404, "team not found")
        return web.json_response({key: team[key] for key in ("id", "name", "aadGroupId")})

    async def _channels(self, request: web.Request) -> web.StreamResponse:
        _, refused = await self._receive(request, "channels", None)
        if refused is not None:
            return refused
        team = self.teams.get(request.match_info["team_id"])
        if team is None:
            return _error(404, "team not found")
        return web.json_response({"conversations": team["channels"]})

    # -- HTTP: Entra ID (MSAL) ----------------------------------------------------------------------

    async def _discovery(self, request: web.Request) -> web.StreamResponse:
        _, refused = await self._receive(request, "discovery", None, check_token=False)
        if refused is not None:
            return refused
        authority = f"https://{request.host}/{request.match_info['prefix']}".rstrip("/")
        tenant = request.match_info["prefix"].split("/")[0] or "common"
        return web.json_response(
            {
                "issuer": authority,
                "authorization_endpoint": f"{authority}/oauth2/v2.0/authorize",
                "token_endpoint": f"https://{request.host}/{tenant}/oauth2/v2.0/token",
                "device_authorization_endpoint": f"{authority}/oauth2/v2.0/devicecode",
                "jwks_uri": f"{authority}/discovery/v2.0/keys",
                "response_types_supported": ["code", "id_token", "token"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
            }
        )

    async def _token(self, request: web.Request) -> web.StreamResponse:
        form = dict(await request.post())
        _, refused = await self._receive(request, "token", form, check_token=False)
        if refused is not None:
            return refused
        client_id, secret = str(form.get("client_id", "")), str(form.get("client_secret", ""))
        if form.get("grant_type") != "client_credentials":
            return web.json_response({"error": "unsupported_grant_type"}, status=400)
        if self.client_secrets and self.client_secrets.get(client_id) != secret:
            return web.json_response(
                {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret."},
                status=401,
            )
        return web.json_response(
            {
                "token_type": "Bearer",
                "expires_in": 3600,
                "ext_expires_in": 3600,
                "access_token": self.access_token,
            }
        )

    # -- recording and faults ---------------------------------------------------------------------------

    async def _receive(
        self, request: web.Request, kind: str, body: Any, *, check_token: bool = True
    ) -> tuple[int, web.StreamResponse | None]:
        """Record the call; answer with an injected fault or a 401 (else None)."""
        authorization = request.headers.get("Authorization")
        call = Call(
            kind=kind,
            method=request.method,
            path=request.path,
            conversation_id=request.match_info.get("conversation_id"),
            activity_id=request.match_info.get("activity_id"),
            body=body,
            authorization=authorization,
            headers=dict(request.headers),
            query=dict(request.query),
        )
        with self._changed:
            self._state.calls.append(call)
            self._changed.notify_all()
            names = [kind, *(group for group, kinds in _GROUPS.items() if kind in kinds)]
            delay = next(
                (d for name in names if (d := take(self._state.delays.get(name, []))) is not None), None
            )
            fault = next(
                (f for name in names if (f := take(self._state.faults.get(name, []))) is not None), None
            )
            index = len(self._state.calls) - 1
        if delay is not None:
            await asyncio.sleep(delay.seconds)
        if fault is not None:
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            return index, _error(fault.status, f"injected {fault.status}", headers)
        if check_token and self.require_token and authorization != f"Bearer {self.require_token}":
            return index, _error(401, "Authorization has been denied for this request.")
        return index, None

    def _bodies(self, kinds: tuple[str, ...], conversation_id: str | None) -> list[Json]:
        with self._changed:
            return [
                dict(body)
                for call, body in self._successes()
                if call.kind in kinds and _in_conversation(call.conversation_id, conversation_id)
            ]

    def _successes(self) -> list[tuple[Call, Json]]:
        # Calls whose activity the fake accepted, paired with what it stored (with the assigned id).
        accepted = self._state.accepted
        return [(call, accepted[index]) for index, call in enumerate(self._state.calls) if index in accepted]

    def _store(self, conversation_id: str, activity_id: str, activity: Json) -> None:
        self._state.activities.setdefault(base_conversation(conversation_id), {})[activity_id] = activity

    def _next_id(self) -> str:
        return str(_FIRST_ACTIVITY_ID + next(self._ids))


def _in_conversation(actual: str | None, wanted: str | None) -> bool:
    if wanted is None:
        return True
    if actual is None:
        return False
    return actual == wanted or (";" not in wanted and base_conversation(actual) == wanted)


async def _json_body(request: web.Request) -> Any:
    raw = await request.read()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw.decode(errors="replace")


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    code = _ERROR_CODES.get(status, "ServiceError")
    return web.json_response({"error": {"code": code, "message": message}}, status=status, headers=headers)


def _self_signed_tls(cert_file: Path, key_file: Path) -> ssl.SSLContext:
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1 (written to the files)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context
