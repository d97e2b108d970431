"""Errors the workflow raises; each surface maps ``code`` to its own answer (HTTP status, ephemeral text).

Messages never quote draft text: they name ids, fields and rules only.
"""

from __future__ import annotations


class WorkflowError(Exception):
    """Base class: ``code`` is machine-readable, the message is for the user."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class MalformedRequest(WorkflowError):
    """The request could not be read at all (not JSON, not an object)."""

    code = "malformed"
    http_status = 400


class InvalidInput(WorkflowError):
    """A field is missing or has a value the workflow cannot take."""

    code = "invalid"
    http_status = 422


class NotFound(WorkflowError):
    """No such draft (or token, or event)."""

    code = "not_found"
    http_status = 404


class Forbidden(WorkflowError):
    """The user may not do this (wrong group, own draft, not the author)."""

    code = "forbidden"
    http_status = 403


class Unauthenticated(WorkflowError):
    """No identity, or one that is not valid."""

    code = "unauthenticated"
    http_status = 401


class Conflict(WorkflowError):
    """The draft moved on: the text version is stale, the review is final or not at this step yet."""

    code = "conflict"
    http_status = 409


class ConcurrentUpdate(Exception):
    """A compare-and-set lost a race; the caller retries the whole transaction on fresh data."""
