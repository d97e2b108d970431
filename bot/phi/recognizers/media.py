"""Photos, video and biometrics of a person."""

from __future__ import annotations

from bot.phi.categories import Category
from bot.phi.recognizers.base import RegexRecognizer, Rule

_MEDIA = r"photos?|pictures?|pics?|images?|videos?|selfies?|snapshots?|footage|headshots?|portraits?|clips?|x-ray\s+image"
_PERSON = r"you|your\s+\w+|him|her|them|the\s+patient|our\s+patient|the\s+baby|your\s+(?:little\s+one|baby|son|daughter)"

_RULES = [
    # "a photo of you", "the video of your son", "pictures of him in the NICU"
    Rule.of(
        str(Category.FULL_FACE_PHOTO),
        rf"\b(?:{_MEDIA})\s+(?:of|with|showing|featuring)\s+(?:{_PERSON})\b",
        0.85,
        name="photo_of_person",
    ),
    # "your photo", "her picture", "your son's selfie"
    Rule.of(
        str(Category.FULL_FACE_PHOTO),
        rf"\b(?:your|his|her|their)(?:\s+\w+'s)?\s+(?:{_MEDIA})\b(?!\s+(?:id|contest|booth|op|opportunity))",
        0.7,
        name="possessive_photo",
    ),
    # "we took / posted / shared / attached a photo", "photo we took of..."
    Rule.of(
        str(Category.FULL_FACE_PHOTO),
        rf"\b(?:we|i|our\s+\w+)\s+(?:took|snapped|posted|shared|attached|captured|recorded|filmed)\s+(?:a|the|this|that|some|these)?\s*(?:{_MEDIA})\b",
        0.8,
        name="staff_took_photo",
    ),
    Rule.of(
        str(Category.FULL_FACE_PHOTO),
        rf"\b(?:{_MEDIA})\s+(?:you|your\s+\w+)\s+(?:sent|posted|shared|took|tagged)\b",
        0.6,
        name="photo_you_sent",
    ),
    Rule.of(
        str(Category.FULL_FACE_PHOTO),
        # "you look great in this photo", "your son in the picture": someone shown, not "explained in this video"
        r"\b(?:you|he|she|they|him|her|them|baby|(?:your|his|her|their)\s+[\w-]+)\s+(?:[\w'-]+\s+){0,4}?in\s+(?:the|this|that)\s+(?:photo|picture|pic|video)\b",
        0.55,
        name="in_the_photo",
    ),
    # Biometrics tied to a person: "your fingerprints", "his DNA results", "retina scan on file"
    Rule.of(
        str(Category.BIOMETRIC_IDENTIFIER),
        r"\b(?:(?:your|his|her|their|the\s+patient'?s?)(?:\s+[\w'-]+){0,2}?\s+(?:finger\s*prints?|thumb\s*prints?|palm\s*(?:prints?|vein\s+scan)|retina(?:l)?\s+scan|iris\s+scan|voice\s*prints?|face\s*prints?|facial\s+(?:scan|geometry|recognition)|dna(?:\s+(?:sample|profile|results|test))?|genetic\s+(?:test|results|profile|markers?)|biometrics?)"
        r"|(?:finger\s*prints?|palm\s*prints?|retina(?:l)?\s+scan|iris\s+scan|voice\s*prints?|dna\s+(?:sample|profile)|biometrics?)\s+(?:on\s+file|we\s+(?:took|collected|have)|from\s+(?:you|your|him|her)|of\s+(?:you|your|him|her)))\b",
        0.85,
        name="biometric",
    ),
    Rule.of(
        str(Category.BIOMETRIC_IDENTIFIER),
        r"\b(?:finger\s*prints?|thumb\s*prints?|palm\s*(?:prints?|scan)|retina(?:l)?\s+scan|iris\s+scan|voice\s*prints?|face\s*(?:print|id|scan))\s+(?:you|your\s+\w+|he|she)\s+(?:\w+\s+)?(?:enrolled|gave|provided|registered|scanned|submitted|recorded|set\s+up)\b",
        0.85,
        name="biometric_enrolled",
    ),
]


class MediaRecognizer(RegexRecognizer):
    """Mentions of photos/videos of a person and of biometric identifiers."""

    def __init__(self) -> None:
        super().__init__("MediaRecognizer", list(_RULES))
