"""App Home: pending reviews for approvers, drafts for authors, recent decisions; no draft text."""

from __future__ import annotations

from handlers.slack import ids
from tests.handlers.slack.flows import CLEAR, buttons, drafts, latest_card, submit_form, text_of
from tests.handlers.slack.support import app_home_opened


def test_home_shows_each_person_their_part(slack_server, fake_slack) -> None:
    server, client = slack_server
    submit_form(client, CLEAR)
    (draft,) = drafts(server)
    fake_slack.wait_for("chat.postMessage", count=2)

    client.event(app_home_opened("U2"))
    fake_slack.wait_for("views.publish")
    legal_home = fake_slack.home_views["U2"]
    assert legal_home["type"] == "home" and draft.id in text_of(legal_home)
    assert "maternity" not in text_of(legal_home)

    client.event(app_home_opened("U1"))
    fake_slack.wait_for("views.publish", count=2)
    author_home = fake_slack.home_views["U1"]
    assert draft.id in text_of(author_home)
    assert ids.OPEN_SUBMIT in buttons(author_home["blocks"])

    # Once legal approved, the draft leaves legal's "waiting for you" list.
    client.block_action(ids.APPROVE, buttons(latest_card(fake_slack, "C_LEGAL"))[ids.APPROVE], user="U3")
    fake_slack.wait_for("chat.update", count=2)
    client.event(app_home_opened("U2"))
    fake_slack.wait_for("views.publish", count=3)
    assert draft.id not in text_of(fake_slack.home_views["U2"]["blocks"][:4])


def test_new_draft_button_on_home_opens_the_form(slack_server, fake_slack) -> None:
    _, client = slack_server
    client.block_action(ids.OPEN_SUBMIT, "", user="U1", view={"type": "home", "id": "VHOME"})
    fake_slack.wait_for("views.open")
    assert fake_slack.calls_to("views.open")[0].json_param("view")["callback_id"] == ids.SUBMIT_VIEW
