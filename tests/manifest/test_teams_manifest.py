"""The Teams manifest: valid JSON with the fields Teams requires, both icons at their exact sizes,
the ids the bot uses, and the placeholders ``phigate teams package`` fills.
"""

from __future__ import annotations

import importlib.util
import json
import re
import struct
import zlib
from pathlib import Path

from handlers.teams import ids

ROOT = Path(__file__).resolve().parents[2]
TEAMS = ROOT / "manifest" / "teams"
SCHEMA = "https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json"
APP_ID = "{{MICROSOFT_APP_ID}}"


def manifest() -> dict:
    return json.loads((TEAMS / "manifest.json").read_text(encoding="utf-8"))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def png_pixels(data: bytes) -> list[tuple[int, int, int, int]]:
    """RGBA pixels of an 8-bit RGBA, non-interlaced PNG (the kind the icon script writes)."""
    width, height = png_size(data)
    bit_depth, colour_type, _, _, interlace = data[24:29]
    assert (bit_depth, colour_type, interlace) == (8, 6, 0)
    chunks, at = b"", 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        if kind == b"IDAT":
            chunks += data[at + 8 : at + 8 + length]
        at += 12 + length
    raw = zlib.decompress(chunks)
    stride = width * 4
    pixels, previous = [], bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - 4] if i >= 4 else 0
            up, corner = previous[i], previous[i - 4] if i >= 4 else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        pixels += [tuple(line[i : i + 4]) for i in range(0, stride, 4)]
        previous = line
    return pixels


def test_manifest_has_the_required_fields() -> None:
    data = manifest()
    assert data["$schema"] == SCHEMA and data["manifestVersion"] == "1.17"
    assert re.fullmatch(r"\d+\.\d+\.\d+", data["version"])
    assert data["id"] == APP_ID
    for key in ("name", "websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert data["developer"][key]
    assert 0 < len(data["name"]["short"]) <= 30 and len(data["name"]["full"]) <= 100
    assert 0 < len(data["description"]["short"]) <= 80
    assert 0 < len(data["description"]["full"]) <= 4000
    assert data["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", data["accentColor"])


def test_bot_commands_and_message_action() -> None:
    data = manifest()
    (bot,) = data["bots"]
    assert bot["botId"] == APP_ID and bot["supportsFiles"] is False
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    commands = {c["title"]: c["description"] for lst in bot["commandLists"] for c in lst["commands"]}
    assert set(commands) == {"submit", "scan", "status", "help"}
    assert all(0 < len(d) <= 128 for d in commands.values())
    (extension,) = data["composeExtensions"]
    assert extension["botId"] == APP_ID
    (command,) = extension["commands"]
    assert command["id"] == ids.SUBMIT_COMMAND
    assert command["type"] == "action" and command["context"] == ["message"] and command["fetchTask"] is True
    assert command["title"] == "Submit for approval" and len(command["title"]) <= 32


def test_rsc_permission_and_placeholders() -> None:
    data = manifest()
    assert data["validDomains"] == ["{{PHIGATE_DOMAIN}}"]
    assert data["webApplicationInfo"] == {"id": APP_ID, "resource": "https://RscBasedStoreApp"}
    assert {"name": "ChannelMessage.Read.Group", "type": "Application"} in data["authorization"][
        "permissions"
    ]["resourceSpecific"]
    text = (TEAMS / "manifest.json").read_text()
    assert text.count(APP_ID) == 4 and "{{PHIGATE_DOMAIN}}" in text


def test_icons_have_the_exact_sizes() -> None:
    assert png_size((TEAMS / "color.png").read_bytes()) == (192, 192)
    assert png_size((TEAMS / "outline.png").read_bytes()) == (32, 32)


def test_colour_icon_is_opaque_and_the_outline_only_white_on_transparent() -> None:
    colour = png_pixels((TEAMS / "color.png").read_bytes())
    assert all(p[3] == 255 for p in colour) and len({p[:3] for p in colour}) > 2
    outline = png_pixels((TEAMS / "outline.png").read_bytes())
    assert all(p[3] == 0 or p[:3] == (255, 255, 255) for p in outline)
    assert any(p[3] == 255 for p in outline) and any(p[3] == 0 for p in outline)


def test_committed_icons_are_what_the_script_draws(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_teams_icons", ROOT / "scripts" / "make_teams_icons.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["make_teams_icons.py", str(tmp_path)]) == 0
    for name in ("color.png", "outline.png"):
        assert (tmp_path / name).read_bytes() == (TEAMS / name).read_bytes()
