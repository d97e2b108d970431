"""Places that locate a person: street addresses, ZIP codes, rooms and beds, where someone lives."""

from __future__ import annotations

from bot.phi.recognizers.base import RegexRecognizer, Rule

ADDRESS = "ADDRESS_CANDIDATE"
ROOM = "ROOM_CANDIDATE"
RESIDENCE = "RESIDENCE_CANDIDATE"

_STREET_TYPES = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter"
    r"|circle|cir|parkway|pkwy|highway|hwy|route|rte|trail|trl|square|sq|loop|pike|row|alley|crossing"
)

_RULES = [
    Rule.of(
        ADDRESS,
        rf"(?<![\w-])\d{{1,6}}\s+(?:[NSEW]\.?\s+)?(?:[A-Z0-9][A-Za-z0-9'.-]*\s+){{1,4}}(?:{_STREET_TYPES})\b\.?"
        r"(?:,?\s+(?:apt|apartment|unit|suite|ste|#)\.?\s*[\w-]+)?",
        0.7,
        name="street_address",
    ),
    Rule.of(ADDRESS, r"\b(?:p\.?\s?o\.?\s+box)\s+\d+", 0.7, name="po_box"),
    Rule.of(
        ADDRESS,
        r"(?<=[A-Z]{2}\s)\d{5}(?:-\d{4})?\b|\bzip(?:\s+code)?\s*:?\s*(?P<zip>\d{5})\b",
        0.5,
        name="zip",
    ),
    # Rooms, beds, bays, chairs and slots: "room 412", "bed 3B", "Rm. 5", "bay 7", "chair 12", "NICU pod 4".
    Rule.of(
        ROOM,
        r"\b(?:room|rm\.?|bed|bay|chair|pod|bassinet|isolette|crib|stall|exam\s+room|suite)\s*#?\s*(?P<v>\d{1,4}[A-Z]?|[A-Z]\d{1,3})\b",
        0.6,
        "v",
        name="room_bed",
    ),
    # Where someone lives: "you live on Maple Street", "his home in Elk Bend", "from Tolliver".
    Rule.of(
        RESIDENCE,
        r"\b(?:live|lives|living|lived|home|house|apartment|farm|place|from|moved to|neighbors? in)\s+(?:in|on|at|near|over in|out in|up in|down in)?\s*"
        r"(?P<v>(?:the\s+)?(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][a-z]+)){0,2})",
        0.5,
        "v",
        name="residence",
    ),
]


# Words after "live on/from" that are not where someone lives: "live on Instagram tonight".
_NOT_A_RESIDENCE = frozenset(
    {
        "the",
        "our",
        "your",
        "a",
        "instagram",
        "facebook",
        "youtube",
        "tiktok",
        "twitter",
        "linkedin",
        "zoom",
        "twitch",
        "threads",
        "snapchat",
        "teams",
        "air",
        "stage",
        "camera",
        "video",
    }
)


class PlaceRecognizer(RegexRecognizer):
    """Street addresses, PO boxes, ZIP codes, rooms/beds and places of residence (candidates)."""

    def __init__(self) -> None:
        super().__init__("PlaceRecognizer", list(_RULES))

    def accept(self, rule, match, text):  # type: ignore[no-untyped-def]  # noqa: D102
        if rule.name == "residence":
            # The pattern is case-insensitive; a place name must really be capitalised.
            value = match.group("v")
            return value[:1].isupper() and value.split()[0].lower() not in _NOT_A_RESIDENCE
        return True
