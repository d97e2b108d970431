"""Fixtures shared by the surfaces' tests."""

from tests.handlers.doctor_support import doctor  # noqa: F401 - a fixture, used by name
