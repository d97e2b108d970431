"""Draw phigate's Teams icons: ``color.png`` (192x192, full colour) and ``outline.png`` (32x32).

A shield with a check mark. Teams wants the outline icon white on a transparent background; the colour
icon fills its square. Pure Python (zlib + struct), no imaging library:

    python scripts/make_teams_icons.py [OUTPUT_DIR]    # default: manifest/teams
"""

from __future__ import annotations

import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

Pixel = tuple[int, int, int, int]
BACKGROUND: Pixel = (0x0B, 0x5C, 0xAD, 255)  # phigate blue (the manifest's accentColor)
SHIELD: Pixel = (255, 255, 255, 255)
CHECK: Pixel = (0x1E, 0x8E, 0x3E, 255)
WHITE: Pixel = (255, 255, 255, 255)
CLEAR: Pixel = (0, 0, 0, 0)
SAMPLES = 4  # per axis: 16 samples per pixel, for smooth edges


def inside_shield(x: float, y: float) -> bool:
    """The shield in unit coordinates (0..1): a flat top, straight sides, a pointed bottom."""
    top, shoulder, tip = 0.12, 0.55, 0.92
    if y < top or y > tip:
        return False
    half = 0.36
    if y > shoulder:  # taper to the tip along a gentle curve
        t = (y - shoulder) / (tip - shoulder)
        half *= 1 - t**1.6
    dip = 0.04 * (1 - ((x - 0.5) / 0.36) ** 2)  # the top edge sags a little in the middle
    return abs(x - 0.5) <= half and y >= top + dip


def on_check(x: float, y: float, width: float) -> bool:
    """The check mark: two strokes, (0.32, 0.50) -> (0.45, 0.64) -> (0.68, 0.36)."""
    return _near_segment(x, y, (0.32, 0.50), (0.45, 0.64), width) or _near_segment(
        x, y, (0.45, 0.64), (0.68, 0.36), width
    )


def _near_segment(x: float, y: float, a: tuple[float, float], b: tuple[float, float], width: float) -> bool:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    px, py = ax + t * dx, ay + t * dy
    return (x - px) ** 2 + (y - py) ** 2 <= (width / 2) ** 2


def render(size: int, shade: Callable[[float, float], Pixel]) -> list[list[Pixel]]:
    """Supersample ``shade`` (unit coordinates) into a ``size`` x ``size`` image."""
    rows = []
    for row in range(size):
        pixels = []
        for col in range(size):
            samples = [
                shade((col + (i + 0.5) / SAMPLES) / size, (row + (j + 0.5) / SAMPLES) / size)
                for i in range(SAMPLES)
                for j in range(SAMPLES)
            ]
            pixels.append(_average(samples))
        rows.append(pixels)
    return rows


def _average(samples: list[Pixel]) -> Pixel:
    alpha = sum(s[3] for s in samples)
    if alpha == 0:
        return CLEAR
    colour = [round(sum(s[k] * s[3] for s in samples) / alpha) for k in range(3)]
    return (colour[0], colour[1], colour[2], round(alpha / len(samples)))


def colour_icon(x: float, y: float) -> Pixel:
    """Blue square, white shield, green check."""
    if on_check(x, y, 0.085):
        return CHECK
    if inside_shield(x, y):
        return SHIELD
    return BACKGROUND


def outline_icon(x: float, y: float) -> Pixel:
    """White shield outline and check on transparent (Teams tints it)."""
    if on_check(x, y, 0.11):
        return WHITE
    border = 0.07
    in_outer = inside_shield(x, y)
    in_inner = inside_shield(
        0.5 + (x - 0.5) * (1 + 2 * border), 0.12 + (y - 0.12 - border) * (1 + 1.6 * border)
    )
    return WHITE if in_outer and not in_inner else CLEAR


def outline_pixels(size: int) -> list[list[Pixel]]:
    """The outline icon with every pixel pure white (alpha only) or fully transparent."""
    rows = render(size, outline_icon)
    return [[(255, 255, 255, p[3]) if p[3] else CLEAR for p in row] for row in rows]


def png(rows: list[list[Pixel]]) -> bytes:
    """Encode RGBA ``rows`` as a PNG (8-bit RGBA, no interlace)."""
    height, width = len(rows), len(rows[0])
    raw = b"".join(b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main(argv: list[str]) -> int:
    """Write both icons into the output directory."""
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "manifest" / "teams"
    out.mkdir(parents=True, exist_ok=True)
    (out / "color.png").write_bytes(png(render(192, colour_icon)))
    (out / "outline.png").write_bytes(png(outline_pixels(32)))
    print(f"wrote {out / 'color.png'} (192x192) and {out / 'outline.png'} (32x32)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
