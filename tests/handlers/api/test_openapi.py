"""/api/openapi.json matches the routes the app serves, and real responses match its schemas."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.handlers.api.support import CLEAR, approve_fully, block, decide, submit

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def served(live_server) -> set[tuple[str, str]]:
    """(path pattern, method) of every route the app registers under /api (HEAD comes with GET)."""
    routes = set()
    for route in live_server.app.router.routes():
        path = route.resource.canonical if route.resource else ""
        # /api/messages is the Bot Framework's endpoint for Teams (activities), not phigate's JSON API.
        if path.startswith("/api/") and path != "/api/messages" and route.method.lower() in HTTP_METHODS:
            routes.add((path, route.method.lower()))
    return routes


def documented(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


@pytest.fixture
def document(live_server) -> dict[str, Any]:
    reply = live_server.request("GET", "/api/openapi.json")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("application/json")
    assert reply.data["openapi"].startswith("3.1")
    return reply.data


def test_every_served_route_is_documented_with_its_methods(live_server, document) -> None:
    missing = served(live_server) - documented(document)
    assert not missing, f"served but not in /api/openapi.json: {sorted(missing)}"


def test_every_documented_route_is_served(live_server, document) -> None:
    extra = documented(document) - served(live_server)
    assert not extra, f"in /api/openapi.json but not served: {sorted(extra)}"


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


_TYPES = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "array": list,
    "object": dict,
    "null": type(None),
}


def conforms(document: dict[str, Any], schema: dict[str, Any], value: Any, where: str = "$") -> list[str]:
    """The ways ``value`` breaks ``schema`` (the subset of JSON Schema the document uses)."""
    schema = _resolve(document, schema)
    if "oneOf" in schema:
        matches = [option for option in schema["oneOf"] if not conforms(document, option, value, where)]
        return [] if len(matches) == 1 else [f"{where}: matches {len(matches)} of oneOf"]
    problems = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = any(
            isinstance(value, _TYPES[kind])
            and not (kind in ("integer", "number") and isinstance(value, bool))
            for kind in kinds
        )
        if not ok:
            return [*problems, f"{where}: {type(value).__name__} is not {kinds}"]
    if isinstance(value, dict):
        problems += [f"{where}: missing {name!r}" for name in schema.get("required", []) if name not in value]
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                problems += conforms(document, sub, value[name], f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            problems += conforms(document, schema["items"], item, f"{where}[{index}]")
    if isinstance(value, str) and "maxLength" in schema and len(value) > schema["maxLength"]:
        problems.append(f"{where}: longer than {schema['maxLength']}")
    return problems


def _success_schema(document: dict[str, Any], path: str, method: str, status: str) -> dict[str, Any]:
    return document["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]


def test_real_drafts_match_the_draft_schema(live_server, document) -> None:
    draft_schema = {"$ref": "#/components/schemas/Draft"}
    required = _resolve(document, draft_schema)["required"]
    assert {"id", "status", "version", "verdict", "findings", "approvals", "final_approver"} <= set(required)

    blocked = submit(live_server, block())
    pending = submit(live_server, CLEAR)
    after_legal = decide(live_server, pending, "legal1").data
    approved = approve_fully(live_server, submit(live_server, CLEAR))
    rejected = decide(live_server, submit(live_server, CLEAR), "comms1", "reject", reason="off_brand").data
    for draft in (blocked, pending, after_legal, approved, rejected):
        assert conforms(document, draft_schema, draft) == [], draft["status"]
    assert blocked["findings"] and approved["final_approver"] is not None

    assert conforms(document, _success_schema(document, "/api/drafts", "post", "201"), blocked) == []
    listed = live_server.request("GET", "/api/drafts", user="legal1").data
    assert conforms(document, _success_schema(document, "/api/drafts", "get", "200"), listed) == []
    assert len(listed["drafts"]) == 4


def test_documented_request_bodies_accept_what_the_api_accepts(document) -> None:
    new_draft = _resolve(document, {"$ref": "#/components/schemas/NewDraft"})
    assert new_draft["properties"]["text"]["maxLength"] == 3000
    assert set(new_draft["properties"]) == {"text", "network", "in_reply_to", "context"}
    decision = _resolve(document, {"$ref": "#/components/schemas/Decision"})
    assert set(decision["required"]) == {"decision", "version"}
    assert set(decision["properties"]) == {
        "decision",
        "version",
        "reason",
        "comment",
        "text",
        "acknowledge_override",
    }


def test_documented_error_statuses_are_plausible(document) -> None:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            errors = {code for code in operation["responses"] if code.startswith(("4", "5"))}
            assert errors <= {"400", "401", "403", "404", "409", "413", "422"}, (path, method)
            for code in errors:
                schema = _success_schema(document, path, method, code)
                assert schema == {"$ref": "#/components/schemas/Error"}, (path, method, code)
            if path != "/api/openapi.json":
                assert "401" in errors, (path, method)
            if "{draft_id}" in path:
                assert "404" in errors, (path, method)
            if "requestBody" in operation:
                # Every body is read as JSON under the size limit.
                assert {"400", "413"} <= errors, (path, method)


def test_every_documented_error_of_decisions_happens(live_server, document) -> None:
    operation = document["paths"]["/api/drafts/{draft_id}/decisions"]["post"]
    documented_errors = {int(code) for code in operation["responses"] if code.startswith("4")}
    draft = submit(live_server)
    path = f"/api/drafts/{draft['id']}/decisions"
    approve = {"decision": "approve", "version": 1}
    limit = live_server.settings.server.max_body_bytes
    replies = [
        live_server.request("POST", path, raw=b"{not json", user="legal1"),
        live_server.request("POST", path, approve),
        decide(live_server, draft, "social1"),
        live_server.request("POST", "/api/drafts/D-NOTHERE/decisions", approve, user="legal1"),
        decide(live_server, draft, "legal1", version=3),
        live_server.request(
            "POST", path, raw=json.dumps({**approve, "comment": "x" * limit}).encode(), user="legal1"
        ),
        decide(live_server, draft, "legal1", "approve-ish"),
    ]
    produced = {reply.status for reply in replies}
    assert produced == documented_errors
    for reply in replies:
        assert conforms(document, {"$ref": "#/components/schemas/Error"}, reply.data) == []
