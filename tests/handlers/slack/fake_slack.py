"""A fake Slack Web API: a real HTTP server on 127.0.0.1 that records every call and fails on demand.

Modelled on bolt-python's ``tests/mock_web_api_server``, but stateful enough for scenario tests: it
keeps the messages the bot posted (and those a test registers) so ``chat.update`` and
``conversations.history`` behave, stores uploaded files, records ``response_url`` posts, and checks
Block Kit limits the way Slack does (``invalid_blocks``).

    with FakeSlack() as fake:
        client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
        fake.fail_next("chat.update", status=429, retry_after=0)
        ...
        fake.wait_for("chat.update", count=2)

Every request is recorded in ``fake.calls`` (also rejected and faulted ones, so retries can be
counted). Uploads to the ``upload_url`` are recorded as method ``"upload"``, posts to response urls
as method ``"respond"``; ``fail_next``/``delay_next`` accept those names too.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from aiohttp import web

from tests.handlers.faults import Delay, take

T = TypeVar("T")
Params = dict[str, Any]
Answer = dict[str, Any]

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T1"
TEAM_NAME = "Test Hospital"
APP_ID = "A1"
_FIRST_TS = 1_700_000_000_000_100  # microseconds: "1700000000.000100"


class SlackError(Exception):
    """A Web API error answer (HTTP 200, ``{"ok": false, "error": ...}``)."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass(frozen=True)
class Call:
    """One request the fake received."""

    method: str
    params: Params
    headers: dict[str, str]
    token: str | None = None
    path: str = ""

    def json_param(self, name: str) -> Any:
        """A parameter that carries JSON (``blocks``, ``view``, ``files``), parsed; None if absent."""
        value = self.params.get(name)
        return json.loads(value) if isinstance(value, str) else value


@dataclass
class SharedFile:
    """A file completed with ``files.completeUploadExternal``."""

    file_id: str
    filename: str
    title: str
    content: bytes
    channel_id: str | None
    initial_comment: str | None
    thread_ts: str | None


@dataclass
class _Fault:
    status: int
    error: str | None
    retry_after: int
    remaining: int


@dataclass
class _Upload:
    filename: str
    length: int
    content: bytes | None = None


@dataclass
class _State:
    """Everything a test can reset."""

    calls: list[Call] = field(default_factory=list)
    messages: dict[str, list[Params]] = field(default_factory=dict)
    views: dict[str, Params] = field(default_factory=dict)
    home_views: dict[str, Params] = field(default_factory=dict)
    pending_uploads: dict[str, _Upload] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)
    shared_files: list[SharedFile] = field(default_factory=list)
    responses: dict[str, list[Any]] = field(default_factory=dict)
    faults: dict[str, list[_Fault]] = field(default_factory=dict)
    delays: dict[str, list[Delay]] = field(default_factory=dict)


class FakeSlack:
    """The fake Web API server; ``start()``/``stop()`` or use it as a context manager."""

    def __init__(self) -> None:
        self.users: dict[str, str] = {}
        """Slack user id -> real name (``users.info``); unknown ids answer with the id as name."""
        self.usergroups: dict[str, list[str]] = {}
        """User group id -> member ids (``usergroups.users.list``)."""
        self.validate_blocks = True
        """Answer ``invalid_blocks`` for blocks or views over Slack's limits, as Slack does."""
        self.port = 0
        self._state = _State()
        self._changed = threading.Condition(threading.RLock())
        self._counter = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-slack", daemon=True)
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, Callable[[Params, str], Answer]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.delete": self._chat_delete,
            "chat.getPermalink": self._chat_get_permalink,
            "views.open": self._views_open,
            "views.push": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "conversations.open": self._conversations_open,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "users.info": self._users_info,
            "usergroups.users.list": self._usergroups_users_list,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "apps.connections.open": self._apps_connections_open,
        }

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        """Listen on a free loopback port (serving from a background thread)."""
        self._thread.start()
        self._run(self._start())
        return self

    async def _start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/respond/{name}", self._respond)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    def stop(self) -> None:
        """Stop serving and end the thread."""
        if self._runner is not None:
            self._run(self._runner.cleanup())
            self._runner = None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(30)

    # -- what tests configure and read ---------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL for ``AsyncWebClient(base_url=...)`` / ``slack.api_url``."""
        return f"{self.base_url}/api/"

    def response_url(self, name: str) -> str:
        """A ``response_url`` whose posts are recorded under ``fake.responses[name]``."""
        return f"{self.base_url}/respond/{name}"

    @property
    def calls(self) -> list[Call]:
        """Every request so far, in arrival order (a copy)."""
        with self._changed:
            return list(self._state.calls)

    def calls_to(self, method: str) -> list[Call]:
        """The calls of one Web API method (or ``"upload"`` / ``"respond"``)."""
        with self._changed:
            return [call for call in self._state.calls if call.method == method]

    @property
    def uploads(self) -> dict[str, bytes]:
        """file_id -> the bytes posted to its upload URL."""
        with self._changed:
            return dict(self._state.uploads)

    @property
    def shared_files(self) -> list[SharedFile]:
        """Files completed with ``files.completeUploadExternal``, with their content."""
        with self._changed:
            return list(self._state.shared_files)

    @property
    def responses(self) -> dict[str, list[Any]]:
        """response_url name -> the JSON bodies posted to it."""
        with self._changed:
            return {name: list(bodies) for name, bodies in self._state.responses.items()}

    @property
    def home_views(self) -> dict[str, Params]:
        """user id -> the App Home view last published for them."""
        with self._changed:
            return dict(self._state.home_views)

    def view(self, view_id: str) -> Params | None:
        """A modal or home view as last opened, pushed, updated or published."""
        with self._changed:
            return self._state.views.get(view_id)

    def messages(self, channel: str) -> list[Params]:
        """The channel's stored messages (registered and posted by the bot, as updated), oldest first."""
        with self._changed:
            return sorted((dict(m) for m in self._channel(channel)), key=_ts_key)

    def message(self, channel: str, ts: str) -> Params | None:
        """One stored message as it is now (after ``chat.update``), or None."""
        with self._changed:
            found = self._find(channel, ts)
            return dict(found) if found else None

    def add_message(
        self,
        channel: str,
        ts: str,
        text: str,
        *,
        user: str = "U1",
        thread_ts: str | None = None,
        **fields: Any,
    ) -> Params:
        """Register a message that ``conversations.history``/``replies`` will return."""
        message: Params = {"type": "message", "ts": ts, "text": text, "user": user, **fields}
        if thread_ts:
            message["thread_ts"] = thread_ts
        with self._changed:
            self._channel(channel).append(message)
        return dict(message)

    def fail_next(
        self,
        method: str,
        status: int | None = None,
        *,
        error: str | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail.

        ``status=429`` (the default without ``error``): HTTP 429, ``Retry-After`` and ``ratelimited``;
        another status (500, 503): that HTTP status; ``error="..."`` alone: HTTP 200 with that error.
        """
        code = status if status is not None else (200 if error else 429)
        with self._changed:
            self._state.faults.setdefault(method, []).append(_Fault(code, error, retry_after, times))

    def delay_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` answer ``seconds`` late."""
        with self._changed:
            self._state.delays.setdefault(method, []).append(Delay(seconds, times))

    def clear_faults(self) -> None:
        """Forget the failures and delays still pending from ``fail_next`` and ``delay_next``."""
        with self._changed:
            self._state.faults.clear()
            self._state.delays.clear()

    def reset(self) -> None:
        """Forget calls, messages, views, files, responses and pending faults (keeps users and groups)."""
        with self._changed:
            self._state = _State()

    def wait_for(self, method: str, count: int = 1, timeout: float = 5) -> list[Call]:
        """Block until ``count`` calls of ``method`` arrived; returns them (AssertionError on timeout)."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.calls_to(method)) >= count, timeout):
                seen = [call.method for call in self._state.calls]
                raise AssertionError(f"waited {timeout}s for {count} {method} call(s); calls so far: {seen}")
            return self.calls_to(method)

    def wait_for_response(self, name: str, count: int = 1, timeout: float = 5) -> list[Any]:
        """Block until ``count`` bodies were posted to ``response_url(name)``; returns them."""
        with self._changed:

            def arrived() -> bool:
                return len(self._state.responses.get(name, [])) >= count

            if not self._changed.wait_for(arrived, timeout):
                raise AssertionError(f"waited {timeout}s for {count} post(s) to response_url({name!r})")
            return list(self._state.responses[name])

    # -- HTTP ---------------------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params = await _params(request)
        except SlackError as failure:
            self._record(Call(method, {}, dict(request.headers), _bearer(request), request.path))
            return _json({"ok": False, "error": failure.error})
        token = _bearer(request) or params.pop("token", None)
        self._record(Call(method, params, dict(request.headers), token, request.path))
        faulted = await self._faults(method)
        if faulted is not None:
            return faulted
        handler = self._methods.get(method)
        try:
            if handler is None:
                raise SlackError("unknown_method")
            if not token:
                raise SlackError("not_authed")
            if not token.startswith(("xoxb-", "xapp-")):
                raise SlackError("invalid_auth")
            with self._changed:
                answer = handler(params, token)
        except SlackError as failure:
            return _json({"ok": False, "error": failure.error, **failure.extra})
        return _json({"ok": True, **answer})

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        body = await request.read()
        self._record(Call("upload", {"file_id": file_id, "length": len(body)}, dict(request.headers)))
        faulted = await self._faults("upload")
        if faulted is not None:
            return faulted
        with self._changed:
            pending = self._state.pending_uploads.get(file_id)
            if pending is None:
                return web.Response(status=404, text="unknown upload")
            pending.content = body
            self._state.uploads[file_id] = body
        return web.Response(text=f"OK - {len(body)}")

    async def _respond(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        body = await request.read()
        try:
            data = json.loads(body) if body else None
        except json.JSONDecodeError:
            data = body.decode(errors="replace")
        self._record(Call("respond", {"name": name, "body": data}, dict(request.headers), path=request.path))
        faulted = await self._faults("respond")
        if faulted is not None:
            return faulted
        with self._changed:
            self._state.responses.setdefault(name, []).append(data)
            self._changed.notify_all()
        return _json({"ok": True})

    def _record(self, call: Call) -> None:
        with self._changed:
            self._state.calls.append(call)
            self._changed.notify_all()

    async def _faults(self, method: str) -> web.Response | None:
        with self._changed:
            delay = take(self._state.delays.get(method, []))
            fault = take(self._state.faults.get(method, []))
        if delay is not None:
            await asyncio.sleep(delay.seconds)
        if fault is None:
            return None
        if fault.status == 429:
            headers = {"Retry-After": str(fault.retry_after)}
            return _json({"ok": False, "error": fault.error or "ratelimited"}, 429, headers)
        return _json({"ok": False, "error": fault.error or "internal_error"}, fault.status)

    # -- state helpers (called with the lock held) --------------------------------------------------

    def _channel(self, channel: str) -> list[Params]:
        return self._state.messages.setdefault(_dm(channel), [])

    def _find(self, channel: str, ts: str | None) -> Params | None:
        return next((m for m in self._channel(channel) if m["ts"] == ts), None)

    def _next_ts(self) -> str:
        micros = _FIRST_TS + 100 * (next(self._counter) - 1)
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._counter):08d}"

    def _blocks(self, params: Params, *, required: bool = False) -> list[Params] | None:
        blocks = _json_value(params.get("blocks"), "invalid_blocks_format")
        if blocks is None:
            if required:
                raise SlackError("no_text")
            return None
        if self.validate_blocks and (problems := message_problems(blocks)):
            raise SlackError("invalid_blocks", errors=problems)
        return blocks

    def _view(self, params: Params, view_id: str, **fields: Any) -> Params:
        view = _json_value(params.get("view"), "invalid_arguments")
        if not isinstance(view, dict):
            raise SlackError("invalid_arguments")
        if self.validate_blocks and (problems := view_problems(view)):
            raise SlackError("invalid_blocks", errors=problems)
        stored = {
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "callback_id": "",
            "private_metadata": "",
            "external_id": "",
            "root_view_id": view_id,
            "previous_view_id": None,
            "hash": f"{next(self._counter)}.hash",
            "state": {"values": {}},
            **view,
            **fields,
        }
        self._state.views[view_id] = stored
        return stored

    # -- Web API methods --------------------------------------------------------------------------

    def _auth_test(self, params: Params, token: str) -> Answer:
        return {
            "url": "https://test-hospital.slack.com/",
            "team": TEAM_NAME,
            "user": "phigate",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, params: Params, token: str) -> Answer:
        channel = _required(params, "channel", "channel_not_found")
        blocks = self._blocks(params)
        text = params.get("text")
        if not text and blocks is None and not params.get("attachments"):
            raise SlackError("no_text")
        message: Params = {
            "type": "message",
            "ts": self._next_ts(),
            "text": text or "",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
        }
        if blocks is not None:
            message["blocks"] = blocks
        if thread_ts := params.get("thread_ts"):
            parent = self._find(channel, thread_ts)
            if parent is None:
                raise SlackError("thread_not_found")
            message["thread_ts"] = thread_ts
            parent["thread_ts"] = thread_ts
            parent["reply_count"] = parent.get("reply_count", 0) + 1
        self._channel(channel).append(message)
        return {"channel": _dm(channel), "ts": message["ts"], "message": dict(message)}

    def _chat_update(self, params: Params, token: str) -> Answer:
        channel = _required(params, "channel", "channel_not_found")
        message = self._find(channel, params.get("ts"))
        if message is None:
            raise SlackError("message_not_found")
        blocks = self._blocks(params)
        if "text" in params:
            message["text"] = params["text"] or ""
        if blocks is not None:
            message["blocks"] = blocks
        message["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
        return {
            "channel": _dm(channel),
            "ts": message["ts"],
            "text": message["text"],
            "message": dict(message),
        }

    def _chat_post_ephemeral(self, params: Params, token: str) -> Answer:
        _required(params, "channel", "channel_not_found")
        _required(params, "user", "user_not_in_channel")
        if not params.get("text") and self._blocks(params) is None:
            raise SlackError("no_text")
        return {"message_ts": self._next_ts()}

    def _chat_delete(self, params: Params, token: str) -> Answer:
        channel = _required(params, "channel", "channel_not_found")
        message = self._find(channel, params.get("ts"))
        if message is None:
            raise SlackError("message_not_found")
        self._channel(channel).remove(message)
        return {"channel": _dm(channel), "ts": message["ts"]}

    def _chat_get_permalink(self, params: Params, token: str) -> Answer:
        channel = _required(params, "channel", "channel_not_found")
        ts = _required(params, "message_ts", "message_not_found")
        link = f"https://test-hospital.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        return {"channel": channel, "permalink": link}

    def _views_open(self, params: Params, token: str) -> Answer:
        _required(params, "trigger_id", "invalid_arguments")
        return {"view": self._view(params, self._next_id("V"))}

    def _views_update(self, params: Params, token: str) -> Answer:
        view_id = params.get("view_id") or ""
        if not view_id:
            external = _required(params, "external_id", "invalid_arguments")
            view_id = next((v["id"] for v in self._state.views.values() if v["external_id"] == external), "")
            if not view_id:
                raise SlackError("not_found")
        return {"view": self._view(params, view_id)}

    def _views_publish(self, params: Params, token: str) -> Answer:
        user = _required(params, "user_id", "invalid_arguments")
        view = self._view(params, self._next_id("V"))
        self._state.home_views[user] = view
        return {"view": view}

    def _conversations_open(self, params: Params, token: str) -> Answer:
        if channel := params.get("channel"):
            return {"channel": {"id": channel}}
        users = [u for u in str(_required(params, "users", "users_list_not_supplied")).split(",") if u]
        channel_id = _dm(users[0]) if len(users) == 1 else "G" + "".join(users)
        return {"channel": {"id": channel_id}, "no_op": False, "already_open": False}

    def _conversations_history(self, params: Params, token: str) -> Answer:
        channel = _required(params, "channel", "channel_not_found")
        top = [m for m in self._channel(channel) if m.get("thread_ts") in (None, m["ts"])]
        found = _window(top, params, newest_first=True)
        return {"messages": found, "has_more": False, "response_metadata": {"next_cursor": ""}}

    def _conversations_replies(self, params: Params, token: str) -> Answer:
        channel = _required(params, "channel", "channel_not_found")
        message = self._find(channel, params.get("ts"))
        if message is None:
            raise SlackError("thread_not_found")
        root = message.get("thread_ts") or message["ts"]
        thread = [m for m in self._channel(channel) if m["ts"] == root or m.get("thread_ts") == root]
        found = _window(thread, params, newest_first=False)
        return {"messages": found, "has_more": False, "response_metadata": {"next_cursor": ""}}

    def _users_info(self, params: Params, token: str) -> Answer:
        user = _required(params, "user", "user_not_found")
        name = self.users.get(user, user)
        profile = {"real_name": name, "display_name": name, "real_name_normalized": name}
        return {
            "user": {
                "id": user,
                "team_id": TEAM_ID,
                "name": user.lower(),
                "real_name": name,
                "deleted": False,
                "is_bot": False,
                "tz": "America/New_York",
                "profile": profile,
            }
        }

    def _usergroups_users_list(self, params: Params, token: str) -> Answer:
        group = _required(params, "usergroup", "no_such_subteam")
        if group not in self.usergroups:
            raise SlackError("no_such_subteam")
        return {"users": list(self.usergroups[group])}

    def _files_get_upload_url(self, params: Params, token: str) -> Answer:
        filename = _required(params, "filename", "invalid_arguments")
        length = int(_required(params, "length", "invalid_arguments"))
        file_id = self._next_id("F")
        self._state.pending_uploads[file_id] = _Upload(filename, length)
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, params: Params, token: str) -> Answer:
        items = _json_value(params.get("files"), "invalid_arguments")
        if not isinstance(items, list) or not items:
            raise SlackError("invalid_arguments")
        channel = params.get("channel_id") or None
        done = []
        for item in items:
            pending = self._state.pending_uploads.get(item.get("id", ""))
            if pending is None or pending.content is None:
                raise SlackError("file_not_found")
            title = item.get("title") or pending.filename
            self._state.shared_files.append(
                SharedFile(
                    item["id"],
                    pending.filename,
                    title,
                    pending.content,
                    channel,
                    params.get("initial_comment") or None,
                    params.get("thread_ts") or None,
                )
            )
            done.append(
                {
                    "id": item["id"],
                    "name": pending.filename,
                    "title": title,
                    "size": len(pending.content),
                    "channels": [channel] if channel else [],
                    "url_private": f"{self.base_url}/files/{item['id']}",
                }
            )
        return {"files": done}

    def _apps_connections_open(self, params: Params, token: str) -> Answer:
        if not token.startswith("xapp-"):
            raise SlackError("not_allowed_token_type")
        return {"url": f"ws://127.0.0.1:{self.port}/ws"}


# -- request parsing and small helpers ---------------------------------------------------------------


async def _params(request: web.Request) -> Params:
    """Query string plus the body: JSON, form-encoded or multipart (JSON strings stay strings)."""
    params: Params = dict(request.query)
    if request.method != "POST" or not request.can_read_body:
        return params
    if request.content_type == "application/json":
        try:
            body = json.loads(await request.read() or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise SlackError("invalid_json") from None
        if isinstance(body, dict):
            params.update(body)
    elif request.content_type == "multipart/form-data":
        form = await request.post()
        params.update({k: v if isinstance(v, str) else v.file.read() for k, v in form.items()})
    else:
        text = (await request.read()).decode()
        params.update(dict(parse_qsl(text, keep_blank_values=True)))
    return params


def _bearer(request: web.Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response(data, status=status, headers=headers)


def _json_value(value: Any, error: str) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        raise SlackError(error) from None


def _required(params: Params, name: str, error: str) -> Any:
    value = params.get(name)
    if value in (None, ""):
        raise SlackError(error)
    return value


def _dm(channel: str) -> str:
    """Posting to a user id lands in the DM with them ("U1" -> "DU1"), as conversations.open says."""
    return f"D{channel}" if channel[:1] in ("U", "W") else channel


def _ts_key(message: Params) -> tuple[int, int]:
    seconds, _, micros = str(message["ts"]).partition(".")
    return int(seconds), int(micros or 0)


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def _window(messages: list[Params], params: Params, *, newest_first: bool) -> list[Params]:
    """Apply ``latest``/``oldest``/``inclusive``/``limit`` as Slack does."""
    inclusive = _truthy(params.get("inclusive"))
    chosen = sorted(messages, key=_ts_key, reverse=newest_first)
    if latest := params.get("latest"):
        bound = _ts_key({"ts": latest})
        chosen = [m for m in chosen if _ts_key(m) < bound or (inclusive and _ts_key(m) == bound)]
    if oldest := params.get("oldest"):
        bound = _ts_key({"ts": oldest})
        chosen = [m for m in chosen if _ts_key(m) > bound or (inclusive and _ts_key(m) == bound)]
    limit = int(params.get("limit") or 100)
    return [dict(m) for m in chosen[:limit]]


# -- Block Kit limits Slack enforces (answered as ``invalid_blocks``) ----------------------------------

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
_TEXT_LIMITS = {"section": 3000, "header": 150, "markdown": 12000}
_ELEMENT_LIMITS = {"context": 10, "actions": 25}


def message_problems(blocks: Any) -> list[str]:
    """Why Slack would refuse these message blocks (empty when it accepts them)."""
    if not isinstance(blocks, list):
        return ["must be an array [json-pointer:/blocks]"]
    return _blocks_problems(blocks, MESSAGE_BLOCKS)


def view_problems(view: Params) -> list[str]:
    """Why Slack would refuse this view (modal or home)."""
    problems = _blocks_problems(view.get("blocks") or [], VIEW_BLOCKS)
    for key in ("title", "submit", "close"):
        problems += _too_long(_text_of(view.get(key)), 24, f"/view/{key}/text")
    problems += _too_long(view.get("private_metadata") or "", 3000, "/view/private_metadata")
    problems += _too_long(view.get("callback_id") or "", 255, "/view/callback_id")
    return problems


def _blocks_problems(blocks: list[Any], limit: int) -> list[str]:
    problems = [] if len(blocks) <= limit else [f"must contain at most {limit} items [json-pointer:/blocks]"]
    for index, block in enumerate(blocks):
        where = f"/blocks/{index}"
        if not isinstance(block, dict) or not block.get("type"):
            problems.append(f"must be a block object with a type [json-pointer:{where}]")
            continue
        kind = block["type"]
        problems += _too_long(block.get("block_id") or "", 255, f"{where}/block_id")
        if kind in _TEXT_LIMITS:
            problems += _too_long(_text_of(block.get("text")), _TEXT_LIMITS[kind], f"{where}/text/text")
        if kind == "section":
            fields = block.get("fields") or []
            if not block.get("text") and not fields:
                problems.append(f"must provide text or fields [json-pointer:{where}]")
            if len(fields) > 10:
                problems.append(f"must contain at most 10 items [json-pointer:{where}/fields]")
            for n, item in enumerate(fields):
                problems += _too_long(_text_of(item), 2000, f"{where}/fields/{n}/text")
        elements = block.get("elements") or []
        if kind in _ELEMENT_LIMITS and len(elements) > _ELEMENT_LIMITS[kind]:
            problems.append(
                f"must contain at most {_ELEMENT_LIMITS[kind]} items [json-pointer:{where}/elements]"
            )
        if kind == "input":
            problems += _too_long(_text_of(block.get("label")), 2000, f"{where}/label/text")
            elements = [block.get("element") or {}]
        if kind == "section" and isinstance(block.get("accessory"), dict):
            elements = [block["accessory"]]
        for n, element in enumerate(elements):
            if isinstance(element, dict):
                problems += _element_problems(element, f"{where}/elements/{n}")
    return problems


def _element_problems(element: Params, where: str) -> list[str]:
    problems = _too_long(element.get("action_id") or "", 255, f"{where}/action_id")
    kind = element.get("type")
    if kind == "button":
        problems += _too_long(_text_of(element.get("text")), 75, f"{where}/text/text")
        problems += _too_long(element.get("value") or "", 2000, f"{where}/value")
        problems += _too_long(element.get("url") or "", 3000, f"{where}/url")
    elif kind == "plain_text_input":
        problems += _too_long(element.get("initial_value") or "", 3000, f"{where}/initial_value")
        if int(element.get("max_length") or 0) > 3000:
            problems.append(f"must be at most 3000 [json-pointer:{where}/max_length]")
    options = element.get("options") or []
    if len(options) > 100:
        problems.append(f"must contain at most 100 items [json-pointer:{where}/options]")
    for n, option in enumerate(options):
        problems += _too_long(_text_of(option.get("text")), 75, f"{where}/options/{n}/text/text")
        problems += _too_long(option.get("value") or "", 150, f"{where}/options/{n}/value")
    return problems


def _text_of(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("text") or "")
    return str(value or "")


def _too_long(text: str, limit: int, pointer: str) -> list[str]:
    return (
        [] if len(text) <= limit else [f"must be less than {limit + 1} characters [json-pointer:{pointer}]"]
    )


__all__ = [
    "BOT_ID",
    "BOT_USER_ID",
    "TEAM_ID",
    "Call",
    "FakeSlack",
    "SharedFile",
    "SlackError",
    "message_problems",
    "view_problems",
]
