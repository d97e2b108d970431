"""The sandbox chat page in a real browser, against a real server: submit, review live, decide, export."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

HARMLESS = "Thanks so much for the kind words about our new cafeteria! We will pass them on to the team."
PHI = "Glad your knee surgery went well, John! Room 412."
PHI_SECOND = "Hope your chemo at our cancer center is going well, Maria."
JUSTIFICATION = "The patient posted this publicly and asked us to answer; they consented in writing."
STEP = 5_000  # ms for anything the page must show (events arrive within ~0.5 s; the fallback poll is 5 s)
LIVE = 3_500  # ms for updates another user's action must bring without any reload (less than the poll)

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@dataclass
class Chat:
    """One browser tab on the sandbox page, with the few moves a person makes."""

    page: Page
    base: str
    outbound: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, user: str, channel: str = "social-drafts") -> Chat:
        self.page.on("request", self._request)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(f"{self.base}/?user={user}#{channel}")
        expect(self.page.locator("body")).to_have_attribute("data-ready", "true", timeout=STEP)
        expect(self.page.locator("body")).to_have_attribute("data-live", "on", timeout=STEP)
        expect(self.page.locator("body")).to_have_attribute("data-user", user, timeout=STEP)
        return self

    def _request(self, request) -> None:
        url = request.url
        if not (url.startswith(self.base + "/") or url.startswith(("data:", "blob:"))):
            self.outbound.append(url)

    def become(self, user: str) -> None:
        self.page.get_by_test_id("user-select").select_option(user)
        expect(self.page.locator("body")).to_have_attribute("data-user", user, timeout=STEP)

    def go(self, channel: str) -> None:
        self.page.get_by_test_id(f"channel-{channel}").click()
        expect(self.page.get_by_test_id("channel-title")).to_have_text(f"# {channel}")

    def submit(self, text: str, network: str = "facebook", link: str = "", context: str = "") -> str:
        self.go("social-drafts")
        self.page.get_by_test_id("compose-text").fill(text)
        self.page.get_by_test_id("compose-network").select_option(network)
        self.page.get_by_test_id("compose-in-reply-to").fill(link)
        self.page.get_by_test_id("compose-context").fill(context)
        self.page.get_by_test_id("submit-draft").click()
        result = self.page.get_by_test_id("submit-result")
        expect(result).to_be_visible(timeout=STEP)
        draft_id = result.get_attribute("data-draft-id")
        assert draft_id
        return draft_id

    def draft(self, draft_id: str) -> Locator:
        return self.page.get_by_test_id(f"draft-{draft_id}")

    def card(self, draft_id: str) -> Locator:
        return self.page.get_by_test_id(f"card-{draft_id}")

    def assert_clean(self) -> None:
        assert self.outbound == [], f"the page made outbound requests: {self.outbound}"
        assert self.errors == [], f"JavaScript errors: {self.errors}"


@pytest.fixture
def tabs(browser: Browser, live_server) -> Iterator[list[BrowserContext]]:
    contexts: list[BrowserContext] = []
    yield contexts
    for context in contexts:
        context.close()


def open_chat(browser: Browser, tabs: list[BrowserContext], base: str, user: str, channel: str) -> Chat:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(STEP)
    tabs.append(context)
    return Chat(context.new_page(), base).open(user, channel)


def test_clear_draft_goes_through_legal_and_comms_live(browser, live_server, tabs) -> None:
    chat = open_chat(browser, tabs, live_server.url, "social1", "social-drafts")
    page = chat.page

    # The social team submits a harmless reply: the scan is clear and the cards go to both review channels.
    draft_id = chat.submit(
        HARMLESS, "instagram", "https://www.instagram.com/p/abc123/", "praise for the cafeteria"
    )
    expect(page.get_by_test_id("submit-result")).to_contain_text("No PHI found")
    draft = chat.draft(draft_id)
    expect(draft.get_by_test_id("verdict")).to_have_text("No PHI found")
    expect(draft.get_by_test_id("status-label")).to_have_text("Waiting for approval")
    expect(draft.get_by_test_id("draft-text")).to_have_text(HARMLESS)
    expect(draft.get_by_test_id("highlight")).to_have_count(0)
    for channel in ("legal-review", "comms-review"):
        chat.go(channel)
        card = chat.card(draft_id)
        expect(card.get_by_test_id("status-label")).to_have_text("Waiting for approval")
        expect(card.get_by_test_id("progress")).to_have_text("Legal ⏳ 0/1 · Comms ⏳ 0/1")
        expect(card.get_by_test_id("preview")).to_have_text(HARMLESS)
        expect(card.get_by_test_id("approve")).to_have_count(0)  # social1 decides nothing

    # A second tab stays open on #comms-review as comms1 and is never touched: it must follow live.
    watcher = open_chat(browser, tabs, live_server.url, "comms1", "comms-review")
    watched = watcher.card(draft_id)
    expect(watched.get_by_test_id("progress")).to_have_text("Legal ⏳ 0/1 · Comms ⏳ 0/1")

    # Legal approves.
    chat.become("legal1")
    chat.go("legal-review")
    card = chat.card(draft_id)
    card.get_by_test_id("approve").click()
    expect(card.get_by_test_id("progress")).to_have_text("Legal ✓ 1/1 · Comms ⏳ 0/1")
    expect(card.get_by_test_id("status-label")).to_have_text("Waiting for approval")
    expect(card.get_by_test_id("decisions")).to_contain_text(re.compile(r"Lee Chen \(legal\).* approved v1"))
    expect(card.get_by_test_id("you-approved")).to_be_visible()
    expect(card.get_by_test_id("approve")).to_have_count(0)
    expect(watched.get_by_test_id("progress")).to_have_text("Legal ✓ 1/1 · Comms ⏳ 0/1", timeout=LIVE)
    chat.go("comms-review")
    expect(chat.card(draft_id).get_by_test_id("progress")).to_have_text("Legal ✓ 1/1 · Comms ⏳ 0/1")
    expect(chat.card(draft_id).get_by_test_id("approve")).to_have_count(0)  # not legal's channel

    # Comms approves: final, and every channel names the final approver.
    chat.become("comms1")
    card = chat.card(draft_id)
    card.get_by_test_id("approve").click()
    expect(card.get_by_test_id("status-label")).to_have_text("Approved")
    expect(card.get_by_test_id("action-note")).to_contain_text("final approval")
    for channel in ("legal-review", "comms-review"):
        chat.go(channel)
        card = chat.card(draft_id)
        expect(card.get_by_test_id("status-label")).to_have_text("Approved")
        expect(card.get_by_test_id("progress")).to_have_text("Legal ✓ 1/1 · Comms ✓ 1/1")
        expect(card.get_by_test_id("final-approver")).to_have_text("✔ Final approver: Cam Duarte (comms)")
        expect(card.get_by_test_id("approve")).to_have_count(0)
    chat.go("social-drafts")
    expect(draft.get_by_test_id("status-label")).to_have_text("Approved")
    expect(draft.get_by_test_id("final-approver")).to_contain_text("Cam Duarte (comms)")
    expect(watched.get_by_test_id("status-label")).to_have_text("Approved", timeout=LIVE)
    expect(watched.get_by_test_id("final-approver")).to_contain_text("Cam Duarte (comms)")

    # The author marks it posted.
    chat.become("social1")
    draft.get_by_test_id("mark-posted").click()
    draft.get_by_test_id("posted-link").fill("https://www.instagram.com/p/abc123/c/456/")
    draft.get_by_test_id("save-posted").click()
    expect(draft.get_by_test_id("status-label")).to_have_text("Approved and posted")
    expect(draft.get_by_test_id("posted")).to_contain_text("https://www.instagram.com/p/abc123/c/456/")
    expect(watched.get_by_test_id("status-label")).to_have_text("Approved and posted", timeout=LIVE)

    # Export the audit trail as legal.
    chat.become("legal1")
    export_audit(chat, live_server, draft_id)

    chat.assert_clean()
    watcher.assert_clean()


def export_audit(chat: Chat, live_server, draft_id: str) -> None:
    """Download the CSV when the server has the endpoint; otherwise the page shows the server's error."""
    listed = "/api/audit" in live_server.request("GET", "/api/openapi.json").data.get("paths", {})
    probe = live_server.request("GET", "/api/audit?format=csv", user="legal1")
    status = chat.page.get_by_test_id("export-status")
    if listed and probe.status == 200:
        with chat.page.expect_download(timeout=STEP) as download_info:
            chat.page.get_by_test_id("export-audit").click()
        download = download_info.value
        assert download.suggested_filename.endswith(".csv")
        content = Path(download.path()).read_text(encoding="utf-8")
        assert draft_id in content
        expect(status).to_contain_text("Downloaded")
    else:
        chat.page.get_by_test_id("export-audit").click()
        expect(status).to_have_attribute("data-outcome", "error")
        message = (probe.data or {}).get("error") if isinstance(probe.data, dict) else None
        expect(status).to_contain_text(message or f"HTTP {probe.status}")


def test_a_channel_click_survives_a_live_update(browser, live_server, tabs) -> None:
    # A draft arrives from another user while legal's button is pressed: the sidebar's pending count
    # updates live between the press and the release, and the click must still switch the channel.
    chat = open_chat(browser, tabs, live_server.url, "legal1", "social-drafts")
    page = chat.page
    box = page.get_by_test_id("channel-legal-review").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    author = open_chat(browser, tabs, live_server.url, "social1", "social-drafts")
    author.submit(HARMLESS)
    expect(page.get_by_test_id("channel-count-legal-review")).to_have_text("1", timeout=LIVE)
    page.mouse.up()
    expect(page.get_by_test_id("channel-title")).to_have_text("# legal-review")
    chat.assert_clean()


def test_phi_draft_is_blocked_then_overridden_and_rejected(browser, live_server, tabs) -> None:
    chat = open_chat(browser, tabs, live_server.url, "social1", "social-drafts")
    page = chat.page

    # The scan blocks the draft: findings highlighted on the text, explained, and a safe reply suggested.
    draft_id = chat.submit(PHI, "facebook", "https://www.facebook.com/post/1")
    expect(page.get_by_test_id("submit-result")).to_contain_text("PHI found: blocked by the scan")
    draft = chat.draft(draft_id)
    expect(draft.get_by_test_id("status-label")).to_have_text("Blocked by the PHI scan")
    expect(draft.get_by_test_id("draft-text")).to_contain_text(PHI)
    name = draft.locator("mark[data-category='NAME']")
    expect(name).to_have_text("John")
    expect(name).to_have_attribute("title", "NAME")
    expect(draft.locator("mark[data-category='GEOGRAPHIC_LOCATION']")).to_have_text("412")
    expect(draft.locator("mark[data-category*='PATIENT_RELATIONSHIP']").first).to_be_visible()
    expect(draft.locator("[data-testid='finding'][data-category='NAME']")).to_contain_text("person's name")
    expect(draft.get_by_test_id("suggestion-text")).not_to_be_empty()
    expect(draft.get_by_test_id("use-suggestion")).to_be_visible()

    # Nothing reaches the review channels.
    live_server.drain()
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-user", "social1")
    for channel in ("legal-review", "comms-review"):
        chat.go(channel)
        expect(page.get_by_test_id("empty")).to_be_visible()
        expect(chat.card(draft_id)).to_have_count(0)

    # The author asks for an override: too short a justification is refused inline, then it goes.
    chat.go("social-drafts")
    draft.get_by_test_id("request-override").click()
    draft.get_by_test_id("override-justification").fill("ok")
    draft.get_by_test_id("send-override").click()
    expect(draft.get_by_test_id("action-error")).to_contain_text("justification")
    draft.get_by_test_id("override-justification").fill(JUSTIFICATION)
    draft.get_by_test_id("send-override").click()
    expect(draft.get_by_test_id("status-label")).to_have_text("Waiting for approval")
    expect(draft.get_by_test_id("override-note")).to_contain_text(JUSTIFICATION)

    # Legal must tick "acknowledge override" to approve.
    chat.become("legal1")
    chat.go("legal-review")
    card = chat.card(draft_id)
    expect(card.get_by_test_id("warnings")).to_contain_text("override")
    expect(card.get_by_test_id("preview")).to_have_text(re.compile(r"\[NAME\]"))
    card.get_by_test_id("show-full-text").click()
    expect(card.get_by_test_id("full-text")).to_have_text(PHI)
    card.get_by_test_id("approve").click()
    expect(card.get_by_test_id("action-error")).to_contain_text("acknowledge_override")
    expect(card.get_by_test_id("progress")).to_have_text("Legal ⏳ 0/1 · Comms ⏳ 0/1")
    card.get_by_test_id("ack-override").check()
    card.get_by_test_id("approve").click()
    expect(card.get_by_test_id("progress")).to_have_text("Legal ✓ 1/1 · Comms ⏳ 0/1")
    expect(card.get_by_test_id("decisions")).to_contain_text(re.compile(r"Lee Chen \(legal\).* approved v1"))

    # Comms rejects it with a reason.
    chat.become("comms1")
    chat.go("comms-review")
    card = chat.card(draft_id)
    card.get_by_test_id("reject").click()
    card.get_by_test_id("confirm-reject").click()
    expect(card.get_by_test_id("action-error")).to_have_text("Choose a reason for the rejection.")
    card.get_by_test_id("reject-reason").select_option("off_brand")
    card.get_by_test_id("reject-comment").fill("Please use the standard wording.")
    card.get_by_test_id("confirm-reject").click()
    for channel in ("comms-review", "legal-review"):
        chat.go(channel)
        card = chat.card(draft_id)
        expect(card.get_by_test_id("status-label")).to_have_text("Rejected")
        expect(card.get_by_test_id("final-approver")).to_have_text("✖ Rejected by Cam Duarte (comms)")
        expect(card.get_by_test_id("decisions")).to_contain_text(
            re.compile(r"Cam Duarte \(comms\).* rejected \(off_brand\) v1")
        )
    chat.go("social-drafts")
    expect(draft.get_by_test_id("status-label")).to_have_text("Rejected")
    expect(draft.get_by_test_id("final-approver")).to_contain_text("reason: off brand (off_brand)")

    # Another blocked draft: "Use this reply" resubmits the suggestion; an approver then edits it.
    chat.become("social1")
    second = chat.submit(PHI_SECOND)
    other = chat.draft(second)
    expect(other.get_by_test_id("status-label")).to_have_text("Blocked by the PHI scan")
    suggestion = other.get_by_test_id("suggestion-text").inner_text()
    other.get_by_test_id("use-suggestion").click()
    expect(other.get_by_test_id("action-note")).to_contain_text("version 2")
    expect(other.get_by_test_id("verdict")).to_have_text("No PHI found")
    expect(other.get_by_test_id("draft-text")).to_have_text(suggestion)
    chat.become("legal2")
    chat.go("legal-review")
    card = chat.card(second)
    card.get_by_test_id("approve-edits").click()
    editor = card.get_by_test_id("edit-text")
    expect(editor).to_have_value(suggestion)
    edited = suggestion + " We wish you well."
    editor.fill(edited)
    card.get_by_test_id("save-edit").click()
    expect(card.get_by_test_id("action-note")).to_contain_text("version 3")
    expect(card.get_by_test_id("full-text")).to_have_text(edited)
    expect(card).to_have_attribute("data-version", "3")
    expect(card.get_by_test_id("progress")).to_have_text("Legal ✓ 1/1 · Comms ⏳ 0/1")
    expect(card.get_by_test_id("warnings")).to_contain_text("Version 3 was edited by an approver")

    chat.assert_clean()


def test_an_incident_is_reported_worked_and_closed_live(browser, live_server, tabs) -> None:
    # A reply went out through phigate and was posted; later the team finds it disclosed PHI.
    social = open_chat(browser, tabs, live_server.url, "social1", "social-drafts")
    draft_id = social.submit(HARMLESS, "facebook", "https://www.facebook.com/lakeside/posts/9")
    post = "https://www.facebook.com/lakeside/posts/9?comment_id=42"
    for user in ("legal1", "comms1"):
        assert (
            live_server.request(
                "POST", f"/api/drafts/{draft_id}/decisions", {"decision": "approve", "version": 1}, user=user
            ).status
            == 200
        )
    privacy = open_chat(browser, tabs, live_server.url, "privacy1", "incidents")
    comms = open_chat(browser, tabs, live_server.url, "comms1", "incidents")
    legal = open_chat(browser, tabs, live_server.url, "legal1", "legal-review")

    social.go("incidents")
    form = social.page.get_by_test_id("incident-report")
    form.get_by_test_id("incident-submit").click()  # nothing filled in: a clear refusal, nothing opened
    expect(form.get_by_test_id("action-error")).to_contain_text("https://")
    form.get_by_test_id("incident-link").fill(post)
    form.get_by_test_id("incident-category-PATIENT_RELATIONSHIP").check()
    form.get_by_test_id("incident-category-CLINICAL_DETAIL").check()
    form.get_by_test_id("incident-draft").fill(draft_id)
    form.get_by_test_id("incident-submit").click()
    expect(form.get_by_test_id("action-note")).to_contain_text("opened", timeout=STEP)
    incident_id = live_server.request("GET", "/api/incidents", user="legal1").data["incidents"][0]["id"]
    in_review_channel = legal.page.get_by_test_id(f"incident-{incident_id}")
    expect(in_review_channel).to_be_visible(timeout=LIVE)  # open incidents head the review channels

    # The card reaches the other users' pages without a reload, with the clock and the draft's approvers.
    card = comms.page.get_by_test_id(f"incident-{incident_id}")
    expect(card).to_be_visible(timeout=LIVE)
    expect(card.get_by_test_id("incident-clock")).to_contain_text("60 days left to notify")
    expect(card.get_by_test_id("incident-origin")).to_contain_text(draft_id)
    expect(card.get_by_test_id("incident-origin")).to_contain_text("sandbox:legal1")
    expect(card.get_by_test_id("tick-risk_assessment_started")).to_have_count(0)  # privacy officer only
    card.get_by_test_id("tick-post_removed").click()
    expect(card.get_by_test_id("step-post_removed")).to_contain_text("Cam Duarte (comms)", timeout=STEP)
    card.get_by_test_id("tick-screenshot_preserved").click()  # needs a reference
    expect(card.get_by_test_id("action-error")).to_contain_text("reference")
    card.get_by_test_id("note-screenshot_preserved").fill("DMS-2026-0042")
    card.get_by_test_id("tick-screenshot_preserved").click()
    expect(card.get_by_test_id("step-screenshot_preserved")).to_contain_text("DMS-2026-0042", timeout=STEP)
    card.get_by_test_id("tick-privacy_officer_notified").click()
    expect(card.get_by_test_id("step-privacy_officer_notified")).to_contain_text("✓", timeout=STEP)

    officer = privacy.page.get_by_test_id(f"incident-{incident_id}")
    expect(officer.get_by_test_id("step-privacy_officer_notified")).to_contain_text("✓", timeout=LIVE)
    officer.get_by_test_id("tick-risk_assessment_started").click()
    expect(officer.get_by_test_id("step-risk_assessment_started")).to_contain_text("Priya Nair", timeout=STEP)
    officer.get_by_test_id("note-patient_contacted").fill("low risk; family already informed")
    officer.get_by_test_id("tick-patient-not-applicable").click()
    expect(officer.get_by_test_id("step-patient_contacted")).to_contain_text("not applicable", timeout=STEP)
    officer.get_by_test_id("incident-outcome").select_option("no_breach")
    officer.get_by_test_id("close-incident").click()
    expect(officer.get_by_test_id("incident-clock")).to_contain_text("Closed", timeout=STEP)
    expect(card.get_by_test_id("incident-clock")).to_contain_text("Closed", timeout=LIVE)
    expect(card.get_by_test_id("close-incident")).to_have_count(0)
    expect(in_review_channel).to_have_count(0, timeout=LIVE)  # closed: gone from the review channel

    stored = live_server.request("GET", f"/api/incidents/{incident_id}", user="privacy1").data
    assert stored["status"] == "closed" and stored["outcome"] == "no_breach"
    assert [step["by"] for step in stored["checklist"]] == [
        "sandbox:comms1",
        "sandbox:comms1",
        "sandbox:comms1",
        "sandbox:privacy1",
        "sandbox:privacy1",
    ]
    for chat in (social, privacy, comms, legal):
        chat.assert_clean()
