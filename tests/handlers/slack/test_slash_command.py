"""``/phigate`` and its sub-commands, sent signed over HTTP to the running server."""

from __future__ import annotations

from handlers.slack import ids
from tests.handlers.slack.flows import BLOCK, CLEAR, drafts, opened_views, submit_form, text_of


def test_phigate_alone_opens_the_submit_form(slack_server, fake_slack) -> None:
    _, client = slack_server
    reply = client.slash_command("", user="U1", trigger_id="T-open-1")
    assert reply.status == 200
    (call,) = fake_slack.wait_for("views.open")
    assert call.params["trigger_id"] == "T-open-1"
    (view,) = opened_views(fake_slack)
    assert view["callback_id"] == ids.SUBMIT_VIEW


def test_submit_with_text_prefills_the_form(slack_server, fake_slack) -> None:
    _, client = slack_server
    assert client.slash_command(f"submit {CLEAR}", user="U1").status == 200
    fake_slack.wait_for("views.open")
    assert "maternity nurses" in text_of(opened_views(fake_slack)[0])


def test_someone_outside_the_submitter_groups_is_told_why(slack_server, fake_slack) -> None:
    _, client = slack_server
    reply = client.slash_command("", user="U9")
    assert reply.status == 200
    assert "may submit" in reply.data["text"]
    assert fake_slack.calls_to("views.open") == []


def test_scan_answers_ephemerally_and_stores_nothing(slack_server) -> None:
    server, client = slack_server
    reply = client.slash_command(f"scan {BLOCK}", user="U1")
    assert reply.status == 200
    assert reply.data["response_type"] == "ephemeral"
    assert reply.data["text"] == "PHI scan: block"
    shown = text_of(reply.data["blocks"])
    assert "MEDICAL_RECORD_NUMBER" in shown or "medical record" in shown.lower()
    assert drafts(server) == []


def test_scan_without_text_explains_the_usage(slack_server) -> None:
    _, client = slack_server
    reply = client.slash_command("scan", user="U1")
    assert reply.status == 200 and "/phigate scan" in text_of(reply.data)


def test_help_lists_the_commands_and_export_only_to_those_who_may(slack_server) -> None:
    _, client = slack_server
    for user, can_export in (("U1", False), ("U2", True)):
        reply = client.slash_command("help", user=user)
        assert reply.status == 200 and reply.data["response_type"] == "ephemeral"
        shown = text_of(reply.data["blocks"])
        assert "/phigate scan" in shown and "/phigate status" in shown
        assert ("/phigate export" in shown) is can_export
        assert "not configured" not in shown


def test_unknown_subcommand_points_to_help(slack_server) -> None:
    _, client = slack_server
    reply = client.slash_command("frobnicate now", user="U1")
    assert reply.status == 200 and "/phigate help" in text_of(reply.data)


def test_status_for_the_author_and_refused_to_outsiders(slack_server, fake_slack) -> None:
    server, client = slack_server
    submit_form(client, CLEAR)
    (draft,) = drafts(server)
    mine = client.slash_command(f"status {draft.id.lower()}", user="U1")
    assert mine.status == 200 and draft.id in text_of(mine.data["blocks"])
    assert "maternity" not in text_of(mine.data)  # status never shows the text
    legal = client.slash_command(f"status {draft.id}", user="U3")
    assert draft.id in text_of(legal.data["blocks"])
    outsider = client.slash_command(f"status {draft.id}", user="U9")
    assert "only the author" in outsider.data["text"]
    missing = client.slash_command("status D-NOPE1234", user="U1")
    assert "no draft" in missing.data["text"]


def test_export_is_for_legal_and_auditors_only(slack_server, fake_slack) -> None:
    _, client = slack_server
    reply = client.slash_command("export 2026-01-01 2026-12-01", user="U1")
    assert reply.status == 200 and "legal members and configured auditors" in reply.data["text"]
    assert fake_slack.calls_to("files.getUploadURLExternal") == []


def test_export_with_bad_dates_explains_the_format(slack_server, fake_slack) -> None:
    _, client = slack_server
    for text in (
        "export yesterday today",
        "export 2026-12-01 2026-01-01",
        "export 2026-01-01",
        "export 2026-01-01 2026-02-01 xml",
    ):
        reply = client.slash_command(text, user="U2")
        assert reply.status == 200
        assert "/phigate export" in text_of(reply.data), text
    assert fake_slack.calls_to("files.getUploadURLExternal") == []


def test_csv_export_comes_with_its_sha256_sidecar(slack_server, fake_slack) -> None:
    server, client = slack_server
    submit_form(client, CLEAR)
    reply = client.slash_command("export 2020-01-01 2100-01-01 csv", user="U3")
    assert reply.status == 200
    fake_slack.wait_for("files.completeUploadExternal", count=2)
    csv_file, sidecar = fake_slack.shared_files
    assert csv_file.filename.endswith(".csv") and sidecar.filename == csv_file.filename + ".sha256"
    import hashlib

    assert sidecar.content.decode().split()[0] == hashlib.sha256(csv_file.content).hexdigest()
    assert drafts(server)[0].id in csv_file.content.decode()
