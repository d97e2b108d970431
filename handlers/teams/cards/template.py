"""Static card shapes kept as JSON resources, loaded once and filled with ``${name}`` placeholders."""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from importlib import resources
from typing import Any

_WHOLE = re.compile(r"^\$\{(\w+)\}$")
_PART = re.compile(r"\$\{(\w+)\}")


@cache
def _load(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath("resources", f"{name}.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def load(name: str, **values: Any) -> dict[str, Any]:
    """A fresh copy of ``resources/<name>.json`` with its placeholders filled from ``values``.

    A string that is exactly ``${key}`` becomes ``values[key]`` (any JSON value, e.g. a list of
    choices); ``${key}`` inside a longer string is replaced by ``str(values[key])``.

    Raises:
        KeyError: a placeholder has no value.
    """
    return _fill(copy.deepcopy(_load(name)), values)


def _fill(node: Any, values: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        return {key: _fill(item, values) for key, item in node.items()}
    if isinstance(node, list):
        return [_fill(item, values) for item in node]
    if isinstance(node, str):
        whole = _WHOLE.match(node)
        if whole:
            return values[whole.group(1)]
        return _PART.sub(lambda m: str(values[m.group(1)]), node)
    return node
