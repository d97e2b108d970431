"""Care disclosures without a classic identifier, and the harmless replies that look like them.

On social media, confirming that someone is (or was) a patient, telling their condition, telling about
another patient, or a staff member recounting a patient's care is a disclosure even with no name:
review at least (block when two kinds combine). Replies that only thank, inform, invite, educate in
general or move the conversation to a private channel disclose nothing and must be clear.
"""

from __future__ import annotations

import pytest

from bot.phi.categories import Category
from bot.phi.result import Verdict
from bot.phi.scanner import Scanner
from tests.bot.phi._support import describe

C = Category

RISKY: list[tuple[str, Category, str]] = [
    (
        "clinical-surgery-anniversary",
        C.CLINICAL_DETAIL,
        "Happy two-year surgiversary, Dot! 🎉 Look at you go.",
    ),
    (
        "relationship-symptom-after-their-fall",
        C.CLINICAL_DETAIL,
        "The bruising that showed up after your fall should fade in a week or two, Rosa.",
    ),
    (
        "relationship-birth-weight",
        C.PATIENT_RELATIONSHIP,
        "Welcome to the world, little Noor! 7 lbs 4 oz of pure sweetness from our birth center.",
    ),
    (
        "staff-remember-a-birth-in-the-garage",
        C.STAFF_DISCLOSURE,
        "Of course we remember you, Patrice! Not every day someone delivers a baby in our parking garage.",
    ),
    (
        "relationship-results-to-pick-up",
        C.PATIENT_RELATIONSHIP,
        "Your biopsy results can be picked up at the front desk on Tuesday.",
    ),
    (
        "clinical-a-name-ending-like-a-participle",
        C.CLINICAL_DETAIL,
        "Irving has pneumonia but he is resting comfortably now.",
    ),
    ("you-rang-the-bell", C.PATIENT_RELATIONSHIP, "So proud of you for ringing the bell this morning, Dee!"),
    (
        "staff-as-your-clinician",
        C.STAFF_DISCLOSURE,
        "Speaking as your midwife, I can tell you that nobody pushed harder than you did.",
    ),
    (
        "third-party-another-person-condition",
        C.THIRD_PARTY_DISCLOSURE,
        "The lobby doors were closed because another man had a heart attack near the entrance.",
    ),
    (
        "third-party-victims-condition",
        C.THIRD_PARTY_DISCLOSURE,
        "Both drivers from the Elm Street crash are still in critical condition, per our trauma team.",
    ),
    (
        "relationship-enjoyed-looking-after",
        C.PATIENT_RELATIONSHIP,
        "The 5 East nurses enjoyed looking after your grandmother and send their best.",
    ),
    (
        "relationship-appointment-by-time",
        C.PATIENT_RELATIONSHIP,
        "No problem at all, we moved your 10:15 to Thursday so you won't miss work.",
    ),
    (
        "relationship-congrats-discharge",
        C.CLINICAL_DETAIL,
        "Congrats on getting discharged before the big game, Theo!",
    ),
    (
        "relationship-follow-up-visit",
        C.PATIENT_RELATIONSHIP,
        "So glad your follow-up visit with our orthopedics team last week went smoothly, Keisha!",
    ),
    (
        "relationship-er-stay",
        C.PATIENT_RELATIONSHIP,
        "We're sorry your time in our emergency department on Saturday night felt so chaotic.",
    ),
    (
        "relationship-looked-up-records",
        C.PATIENT_RELATIONSHIP,
        "We pulled up your records and can confirm the charge from your visit was a mistake.",
    ),
    (
        "relationship-delivery",
        C.PATIENT_RELATIONSHIP,
        "Congratulations on your new baby girl, and thank you for choosing our birthing center for her "
        "delivery!",
    ),
    (
        "clinical-biopsy",
        C.CLINICAL_DETAIL,
        "Great news: your biopsy came back benign, so you won't need any further treatment.",
    ),
    (
        "clinical-insulin",
        C.CLINICAL_DETAIL,
        "We hope the new insulin dose is keeping your blood sugar steadier this week.",
    ),
    (
        "third-party-roommate",
        C.THIRD_PARTY_DISCLOSURE,
        "The woman who shared your room was also treated for a reaction to that antibiotic.",
    ),
    (
        "third-party-neighbor-er",
        C.THIRD_PARTY_DISCLOSURE,
        "Your neighbor was brought to our ER last night as well after the same car accident.",
    ),
    (
        "staff-night-nurse",
        C.STAFF_DISCLOSURE,
        "I was the nurse looking after your dad during his chemo infusions, and he always made us laugh.",
    ),
    (
        "staff-respiratory-therapist",
        C.STAFF_DISCLOSURE,
        "As the respiratory therapist on shift that night, I remember helping your daughter breathe easier.",
    ),
    (
        "staff-paramedic",
        C.STAFF_DISCLOSURE,
        "I was one of the paramedics who brought your wife in after her fall, and I'm so happy she's home.",
    ),
]

# Two different kinds of care disclosure in one draft: block by the verdict rule.
COMBINED: list[tuple[str, set[Category], str]] = [
    (
        "relationship-and-clinical",
        {C.PATIENT_RELATIONSHIP, C.CLINICAL_DETAIL},
        "Your MRI here showed a torn meniscus, so we've scheduled your knee surgery with us for next month.",
    ),
    (
        "staff-and-clinical",
        {C.STAFF_DISCLOSURE, C.CLINICAL_DETAIL},
        "I was on the team that treated your brother's sepsis in the ICU, and he was such a fighter.",
    ),
]

HARMLESS: list[tuple[str, str]] = [
    (
        "recognition-retirement-team-misses-you",
        "Our ICU team misses you already, Deb! Happy retirement after 32 years 🎉",
    ),
    (
        "instruction-tell-your-nurse",
        "Need a chaplain, of any faith or none? Just tell your nurse and one will come by.",
    ),
    (
        "other-iv-poles-as-things",
        "Our pharmacy techs built a holiday tree out of old IV poles 🎄 Happy holidays!",
    ),
    (
        "education-care-word-with-modal",
        "Cardiac rehab can cut the risk of a second heart attack, and most plans cover it. We love our rehab crew!",
    ),
    (
        "education-symptom-clause-with-modal",
        "Rashes that spread fast or come with a fever should be seen the same day. When in doubt, call us.",
    ),
    (
        "education-birth-weight-threshold",
        "Babies born under 5 lbs 8 oz are called low birth weight. Our neonatologists explain what it means.",
    ),
    (
        "thanks-for-follow",
        "Thank you so much for the follow, Marcus! We're happy to have you in our community.",
    ),
    (
        "event-with-date",
        "Join us for our free community blood drive on Saturday, June 14, from 9am to 2pm in the main lobby.",
    ),
    (
        "hospital-number",
        "For questions about a bill, please call our Patient Financial Services line at 555-013-4400, "
        "Monday through Friday.",
    ),
    (
        "congratulate-clinician",
        "Congratulations to Dr. Amanda Chen on being named Physician of the Year by the state medical "
        "society!",
    ),
    (
        "new-doctor",
        "Please welcome Dr. Rafael Ortiz, who joins our orthopedics team this month and is accepting new "
        "patients.",
    ),
    (
        "health-education",
        "If you notice sudden numbness on one side of your face, call 911 right away, because it could be "
        "a stroke.",
    ),
    ("dm-us", "Thanks for reaching out! Please send us a direct message so we can help you privately."),
    (
        "generic-apology",
        "We're sorry to hear you're disappointed. We'd like to learn more, so please contact us privately.",
    ),
    (
        "privacy-reminder",
        "A friendly reminder: to protect your privacy, please don't share personal health details in the "
        "comments.",
    ),
    ("flu-shots", "Flu shots are available at all of our primary care offices through the end of November."),
    (
        "nurses-week",
        "Happy Nurses Week to the amazing nurses on all three of our campuses! We appreciate you.",
    ),
    ("hospital-address", "Our main campus is at 200 Harbor Boulevard, and parking is free in Garage B."),
    ("as-a-profession", "As a nurse educator, I always say the same thing: wash your hands!"),
    ("our-class-moved", "We moved our 6:30 yoga class to the small gym this week."),
    ("runners-finished", "Both runners from our team finished the marathon in record time!"),
    ("gift-to-a-unit", "Thank you for the generous donation to our NICU, Ms. Ward!"),
    ("explainer-video", "Our oncology pharmacists explain the newest anti-nausea medicines in this video."),
    ("free-screening", "Hope you enjoyed the free cholesterol screenings at the county fair, Ray!"),
    ("profession-week", "Happy Radiation Therapist Week to our amazing team!"),
    ("new-role-on-a-unit", "Congratulations on your new role in the ICU, Priya! So glad you joined us."),
    ("patience-during-flu-season", "Visitor limits are lifted. Thanks for your patience during flu season."),
    ("apology-and-patient-relations", "We are sorry about the wait. Please call our patient relations team."),
    (
        "bell-custom-of-people-in-general",
        "Many survivors ring the bell to mark their last chemo; ours hangs by the infusion center doors.",
    ),
    (
        "question-opening-with-a-participle",
        "Living with diabetes? Our free class meets Tuesdays at 6pm in the Wellness Center.",
    ),
    ("participle-dealing-with", "Dealing with back pain? Our spine clinic takes walk-ins on weekdays."),
    (
        "live-on-a-platform",
        "Our allergist is answering your questions about food allergies live on Instagram tonight at 7!",
    ),
    (
        "note-shared-with-nurses",
        "Thank you for the kind words about our maternity team! We'll share your note with the nurses on the "
        "unit.",
    ),
]


@pytest.mark.parametrize(("category", "text"), [c[1:] for c in RISKY], ids=[c[0] for c in RISKY])
def test_care_disclosure_needs_a_person(scanner, category: Category, text: str) -> None:
    result = scanner.scan(text)
    assert category in result.categories, describe(result, text)
    assert result.verdict in (Verdict.REVIEW, Verdict.BLOCK), describe(result, text)
    assert result.score >= 0.30


@pytest.mark.parametrize(("categories", "text"), [c[1:] for c in COMBINED], ids=[c[0] for c in COMBINED])
def test_two_kinds_of_care_disclosure_block(scanner, categories: set[Category], text: str) -> None:
    result = scanner.scan(text)
    assert categories <= set(result.categories), describe(result, text)
    assert result.verdict is Verdict.BLOCK, describe(result, text)


@pytest.mark.parametrize("text", [c[1] for c in HARMLESS], ids=[c[0] for c in HARMLESS])
def test_harmless_reply_is_clear(scanner, text: str) -> None:
    result = scanner.scan(text)
    assert result.verdict is Verdict.CLEAR, describe(result, text)
    assert result.findings == ()
    assert result.score == 0.0
    assert result.redacted == text
    assert result.suggestion is None


# Advice the rules must read as advice. The learned classifier scores these by their words too and may
# still flag one ("your flu shot this Saturday" reads like an appointment to it): these check the rules.
RULES_READ_AS_ADVICE: list[tuple[str, str]] = [
    ("promo-imperative-flu-shot", "Swing by for your flu shot this Saturday! Walk-ins welcome, 9 to 1."),
    (
        "promo-imperative-roll-up",
        "Roll up your sleeve for a flu shot this Saturday! Walk-ins welcome, 9 to 1.",
    ),
    (
        "standing-rule-your-wristband",
        "Your wristband should always match your name and birthday. Speak up if it doesn't!",
    ),
    ("care-word-with-modal", "Chemo can make you tired for weeks, so rest whenever you need to."),
    # The classifier reads one sentence at a time, and "Of course we remember you, Patrice!" alone may
    # be a patient remembered: it may still ask for review. The rules see the 5K in the next sentence.
    (
        "remembered-from-a-community-event",
        "Of course we remember you, Patrice! You ran our 5K three years in a row. See you at the next one?",
    ),
    (
        "passive-instruction",
        "Your colonoscopy can be scheduled online in a few minutes. Evening slots are open.",
    ),
    (
        "people-in-general",
        "Many parents bring a favorite blanket to their child's appointments. It really helps!",
    ),
]


@pytest.fixture(scope="module")
def rules_only() -> Scanner:
    return Scanner(use_classifier=False)


@pytest.mark.parametrize(
    "text", [c[1] for c in RULES_READ_AS_ADVICE], ids=[c[0] for c in RULES_READ_AS_ADVICE]
)
def test_rules_read_advice_as_advice(rules_only: Scanner, text: str) -> None:
    result = rules_only.scan(text)
    assert result.verdict is Verdict.CLEAR, describe(result, text)


# A word the statistical model tags PERSON that is no name ("Congrats"), and an organization called
# "<Word> of <Name>", are not names; a name next to them still is.
NOT_A_NAME: list[tuple[str, str, str]] = [
    (
        "greeting-word-tagged-as-a-person",
        "Our midwives are thrilled to welcome you to the birth center open house! Congrats on the "
        "pregnancy, and bring your questions",
        "Congrats",
    ),
    (
        "organization-x-of-y",
        "Thank you, Friends of Mercy, for the recliner your husband slept in during his stay on 4 North!",
        "Friends",
    ),
    (
        "knights-of",
        "Thanks, Knights of Columbus, for the pizza for the nurses who cared for my dad!",
        "Knights",
    ),
]


@pytest.mark.parametrize(("text", "word"), [c[1:] for c in NOT_A_NAME], ids=[c[0] for c in NOT_A_NAME])
def test_greeting_words_and_organizations_are_not_names(rules_only: Scanner, text: str, word: str) -> None:
    result = rules_only.scan(text)
    names = [text[f.start : f.end] for f in result.findings if f.category is Category.NAME]
    assert word not in " ".join(names), describe(result, text)


def test_a_name_after_thanks_is_still_a_name_in_care_context(rules_only: Scanner) -> None:
    text = "Thank you, Maria of the billing team, and Tomas: congrats on your discharge, Tomas!"
    result = rules_only.scan(text)
    assert "Tomas" in [text[f.start : f.end] for f in result.findings if f.category is Category.NAME]


# A care word naming an event or a piece of content is not someone's care; a care word that is someone's
# own, or a visit this week, still is (rules only: the classifier reads these on its own).
EVENTS_NOT_CARE: list[tuple[str, str]] = [
    (
        "condition-names-a-webinar",
        "So nice that you joined our arthritis webinar last night, Ines! The recording is up.",
    ),
    (
        "condition-names-a-class",
        "We loved seeing so many of you at the diabetes cooking class, Hank! Next class is on holiday baking.",
    ),
    (
        "condition-names-an-explainer",
        "So glad you liked our kidney stone explainer, Ramon! Water really helps.",
    ),
]
CARE_NOT_EVENTS: list[tuple[str, str]] = [
    ("your-own-class", "So glad your physical therapy class helped your knee, Rosa!"),
    ("a-visit-this-week", "We missed you at pulmonary rehab this week, Omar!"),
]


@pytest.mark.parametrize("text", [c[1] for c in EVENTS_NOT_CARE], ids=[c[0] for c in EVENTS_NOT_CARE])
def test_a_care_word_naming_an_event_is_not_care(rules_only: Scanner, text: str) -> None:
    result = rules_only.scan(text)
    assert result.verdict is Verdict.CLEAR, describe(result, text)


@pytest.mark.parametrize("text", [c[1] for c in CARE_NOT_EVENTS], ids=[c[0] for c in CARE_NOT_EVENTS])
def test_care_next_to_an_event_word_is_still_care(rules_only: Scanner, text: str) -> None:
    result = rules_only.scan(text)
    assert result.verdict is not Verdict.CLEAR, describe(result, text)


# Staff, gifts, floors and jobs that share a disclosure's words (rules only): a floor number is no date,
# a hospital's own staff role is not a patient's care, a gift delivered to a unit puts nobody there.
STAFF_AND_GIFTS_NOT_CARE: list[tuple[str, str]] = [
    (
        "ordinal-floor-is-no-date",
        "Visiting hours in the ICU run around the clock for two guests at a time: check in at the desk on "
        "the 4th floor.",
    ),
    (
        "visiting-rules-of-a-unit",
        "Visiting hours on 6 West run 8 to 8, and the charge nurse will walk you back to the rooms.",
    ),
    (
        "visitors-in-the-icu",
        "Visitors in the ICU can stay overnight, and the night nurse will bring you a blanket.",
    ),
    (
        "a-new-job-on-a-unit",
        "Congrats on the new job, Kim! Our NICU is lucky to have you on the night shift 💜",
    ),
    (
        "a-drive-delivered-to-a-unit",
        "Thank you for bringing the book drive to the pediatric floor again! The kids' shelves are full.",
    ),
    (
        "a-staff-role-named-after-care",
        "Chaplain Ben asked us to thank everyone! He's been our hospice chaplain for 12 years and says the "
        "cards made his month.",
    ),
    (
        "a-social-worker-named-after-care",
        "Big thanks to Marcy! She's been our NICU social worker for 20 years and says the cards made her "
        "whole month.",
    ),
    (
        "a-unit-team-thanked",
        "Thanks so much, Rita! We'll pass your note along to the 5 West surgical team - they'll be thrilled.",
    ),
    ("a-surgeons-tally", "Congrats to Dr. Ana Ruiz on her 300th robotic knee replacement at Elm Valley!"),
    (
        "a-nurse-cared-for-patients-in-general",
        "Happy retirement to Nurse Joan Fields! For 30 years she cared for stroke and trauma patients on our "
        "neuro unit.",
    ),
    ("donated-preemie-hats", "Thank you to the Knit Wits for 200 preemie hats for our NICU families, Bev!"),
    (
        "a-crowd-through-their-treatments",
        "Happy 20th work anniversary to infusion nurse Dana Cole! Dana has helped hundreds of cancer patients "
        "through their treatments.",
    ),
    (
        "thanks-passed-to-a-cath-lab-team",
        "Thank you, Mr. Ortiz! We've shared your kind words with our cath lab team.",
    ),
    (
        "a-cath-lab-team-congratulated",
        "Congratulations to Lakeside's cardiac cath lab team on a record year!",
    ),
    (
        "a-service-possessive",
        "Pine Valley Rehab's physical therapists lead a free balance class Tuesdays at 10 am in the gym.",
    ),
    (
        "a-room-in-a-named-center",
        "Flu shots this week, 9 am-3 pm, Wellness Center Room 118. Egg allergy? Just tell the nurse.",
    ),
]
STAFF_AND_GIFTS_STILL_CARE: list[tuple[str, str]] = [
    ("visiting-a-relative-on-a-unit", "Sorry visiting your dad on 6 West was so hard last night."),
    (
        "visiting-rules-for-a-relative",
        "Visiting in the ICU is open 24/7 for the two people on your mother's list.",
    ),
    ("a-date-on-a-floor", "So sorry your dad's stay on the 4th floor dragged on, Jo. See you on the 12th."),
    (
        "new-job-and-own-care",
        "Congrats on the new job, Kim! Glad your pneumonia cleared up in time for the first day.",
    ),
    ("a-son-brought-to-a-unit", "Thanks for bringing your son back to the pediatric floor yesterday, Lee!"),
    ("a-chaplain-and-a-relative", "Chaplain Ben says he's still praying for your dad in hospice."),
    ("a-relative-on-a-unit-then-its-team", "Glad your mom is settled on 5 West, and the team there says hi!"),
    ("a-patients-own-round", "So sorry her 12th round of chemo was so rough on her last week."),
    (
        "cared-for-a-relative",
        "She cared for your dad on the night shift for three weeks and still asks about him.",
    ),
    ("a-preemie-of-your-own", "Your preemie looked so strong when we saw him in the NICU yesterday!"),
    ("twins-through-their-treatments", "Your twins were so brave through their treatments last spring."),
    ("a-note-to-the-team-who-cared", "We've passed your note to the team who cared for your dad on 5 West."),
    ("a-cath-of-your-own", "Glad your cardiac cath went smoothly yesterday!"),
    ("a-named-persons-surgery-nurses", "So glad Maria's surgery nurses kept you posted all night."),
    ("a-named-persons-rehab", "Sorry Maria's rehab stay dragged on so long last month."),
    ("a-patients-room-in-a-center", "Your mom is in Heart Center Room 412 and the nurse says she's resting."),
]


@pytest.mark.parametrize(
    "text", [c[1] for c in STAFF_AND_GIFTS_NOT_CARE], ids=[c[0] for c in STAFF_AND_GIFTS_NOT_CARE]
)
def test_staff_gifts_and_floors_are_not_care(rules_only: Scanner, text: str) -> None:
    result = rules_only.scan(text)
    assert result.verdict is Verdict.CLEAR, describe(result, text)


@pytest.mark.parametrize(
    "text", [c[1] for c in STAFF_AND_GIFTS_STILL_CARE], ids=[c[0] for c in STAFF_AND_GIFTS_STILL_CARE]
)
def test_care_beside_staff_gifts_and_floors_is_still_care(rules_only: Scanner, text: str) -> None:
    result = rules_only.scan(text)
    assert result.verdict is not Verdict.CLEAR, describe(result, text)


def test_an_ordinal_floor_is_no_date_but_an_ordinal_day_is(rules_only: Scanner) -> None:
    text = "Your dad moved to the 5th floor after his surgery on the 3rd."
    dates = [text[f.start : f.end] for f in rules_only.scan(text).findings if f.category is Category.DATE]
    assert dates == ["the 3rd"]
