"""Contact details and online identifiers: phone/fax numbers, e-mail, URLs, IP addresses, @handles.

These report *candidates*. Whether a number or address is the hospital's public one or a person's
own is decided from context in ``bot/phi/context.py``.
"""

from __future__ import annotations

import ipaddress

from bot.phi.recognizers.base import RegexRecognizer, Rule

PHONE = "PHONE_CANDIDATE"
EMAIL = "EMAIL_CANDIDATE"
URL = "URL_CANDIDATE"
IP = "IP_CANDIDATE"
HANDLE = "HANDLE_CANDIDATE"

_TLDS = r"(?:com|org|net|edu|gov|health|us|io|co|care|info|biz|me|ly|gl|page|link|app|site|online|hospital|clinic)"

_RULES = [
    # North American numbers: (555) 013-2298, 555-013-2298, 555.013.2298, +1 555 013 2298, 555-0142, x123.
    Rule.of(
        PHONE,
        r"(?<![\w/-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w-])",
        0.75,
        name="phone_nanp",
    ),
    Rule.of(PHONE, r"(?<![\w/$.-])\d{3}-\d{4}(?![\w-])", 0.5, name="phone_local"),
    Rule.of(PHONE, r"(?<![\w-])1-8\d\d-[A-Z0-9]{3}-?[A-Z0-9]{4}(?![\w-])", 0.6, name="phone_tollfree"),
    Rule.of(EMAIL, r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", 0.9, name="email"),
    Rule.of(URL, r"\b(?:https?://|www\.)[^\s<>\"')\]]+", 0.8, name="url_scheme"),
    Rule.of(
        URL, rf"(?<![@\w.-])(?:[a-z0-9-]+\.)+{_TLDS}(?:/[^\s<>\"')\]]*)?(?![\w@-])", 0.6, name="url_bare"
    ),
    Rule.of(IP, r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]|\.\d)", 0.8, name="ipv4"),
    Rule.of(HANDLE, r"(?<![\w@.])@[A-Za-z0-9_]{2,30}\b(?!\.[a-z])", 0.5, name="handle"),
]


class ContactRecognizer(RegexRecognizer):
    """Phone, e-mail, URL, IP and @handle candidates."""

    def __init__(self) -> None:
        super().__init__("ContactRecognizer", list(_RULES))

    def accept(self, rule, match, text):  # type: ignore[no-untyped-def]  # noqa: D102
        value = match.group(0)
        if rule.name == "ipv4":
            try:
                ipaddress.IPv4Address(value)
            except ValueError:
                return False
            before = text[max(0, match.start() - 10) : match.start()].lower()
            return "version" not in before and not before.rstrip().endswith("v")
        if rule.name == "url_bare":
            return "@" not in text[max(0, match.start() - 1) : match.start()]
        return True
