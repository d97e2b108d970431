"""The approval policy as pure functions: progress, complete, summary (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import policy
from bot.config import ConfigError, PolicySettings, Settings
from bot.models import Decision, DecisionKind, Draft, DraftVersion, GroupProgress, Network, Status

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def version(number: int, verdict: str = "review") -> DraftVersion:
    return DraftVersion("D-1", number, f"text {number}", f"{number:064x}", verdict, 0.5, [], {}, "u", AT)


def decision(actor: str, group: str, kind: str = "approve", on: int = 1) -> Decision:
    return Decision("D-1", on, actor, actor.upper(), group, DecisionKind(kind), AT)


def draft(*decisions: Decision, verdict: str = "review", versions: int = 1) -> Draft:
    return Draft(
        id="D-1",
        author="slack:author",
        author_name="Author",
        network=Network.X,
        in_reply_to="",
        context="",
        status=Status.PENDING,
        version=versions,
        revision=1,
        created_at=AT,
        updated_at=AT,
        expires_at=AT,
        verdict=verdict,
        versions=[version(n, verdict) for n in range(1, versions + 1)],
        decisions=list(decisions),
    )


def by_group(entries: list[GroupProgress]) -> dict[str, GroupProgress]:
    return {entry.group: entry for entry in entries}


def test_default_policy_is_legal_and_comms_in_parallel_one_each() -> None:
    rules = Settings.load(env={}).policy
    assert rules.groups == ("legal", "comms")
    assert rules.order == "parallel"
    assert (rules.required("legal"), rules.required("comms")) == (1, 1)
    assert rules.expiry_hours == 24 and rules.clear_may_skip == ()
    entries = policy.progress(rules, draft())
    assert [(e.group, e.required, e.approved_by, e.done) for e in entries] == [
        ("legal", 1, (), False),
        ("comms", 1, (), False),
    ]
    assert not any(e.waiting_for_earlier_group for e in entries)
    assert not policy.complete(entries)


def test_each_group_needs_its_own_approval() -> None:
    rules = PolicySettings()
    legal_only = policy.progress(rules, draft(decision("l1", "legal")))
    assert by_group(legal_only)["legal"].approved_by == (("l1", "L1"),)
    assert by_group(legal_only)["legal"].done and not by_group(legal_only)["comms"].done
    assert not policy.complete(legal_only)
    both = policy.progress(rules, draft(decision("c1", "comms"), decision("l1", "legal")))
    assert policy.complete(both)


def test_n_of_m_counts_approvals_per_group() -> None:
    rules = PolicySettings(approvals={"legal": 2, "comms": 3})
    entries = by_group(
        policy.progress(
            rules,
            draft(decision("l1", "legal"), decision("c1", "comms"), decision("c2", "comms")),
        )
    )
    assert (entries["legal"].required, len(entries["legal"].approved_by)) == (2, 1)
    assert (entries["comms"].required, len(entries["comms"].approved_by)) == (3, 2)
    assert not entries["legal"].done and not entries["comms"].done
    done = policy.progress(
        rules,
        draft(
            decision("l1", "legal"),
            decision("l2", "legal"),
            *(decision(f"c{i}", "comms") for i in range(3)),
        ),
    )
    assert policy.complete(done)


def test_only_approvals_on_the_current_version_count() -> None:
    rules = PolicySettings()
    entries = policy.progress(
        rules,
        draft(decision("l1", "legal", on=1), decision("c1", "comms", on=2), versions=2),
    )
    assert by_group(entries)["legal"].approved_by == ()  # approved the old text
    assert by_group(entries)["comms"].approved_by == (("c1", "C1"),)
    assert not policy.complete(entries)


def test_rejections_and_unknown_groups_are_not_approvals() -> None:
    rules = PolicySettings()
    entries = policy.progress(
        rules,
        draft(decision("l1", "legal", "reject"), decision("x1", "marketing"), decision("c1", "comms")),
    )
    assert by_group(entries)["legal"].approved_by == ()
    assert [e.group for e in entries] == ["legal", "comms"]
    assert not policy.complete(entries)


def test_sequential_later_groups_wait_for_earlier_ones() -> None:
    rules = PolicySettings(groups=("legal", "comms", "exec"), order="sequential")
    waiting = [e.waiting_for_earlier_group for e in policy.progress(rules, draft())]
    assert waiting == [False, True, True]
    after_legal = policy.progress(rules, draft(decision("l1", "legal")))
    assert [e.waiting_for_earlier_group for e in after_legal] == [False, False, True]
    # An out-of-order approval is shown, but the group still waits for the earlier one.
    early = policy.progress(rules, draft(decision("c1", "comms")))
    assert [e.waiting_for_earlier_group for e in early] == [False, True, True]
    parallel = PolicySettings(groups=("legal", "comms", "exec"))
    assert not any(e.waiting_for_earlier_group for e in policy.progress(parallel, draft()))


def test_sequential_n_of_m_keeps_later_groups_waiting_until_the_earlier_is_done() -> None:
    rules = PolicySettings(order="sequential", approvals={"legal": 2})
    one = policy.progress(rules, draft(decision("l1", "legal")))
    assert by_group(one)["comms"].waiting_for_earlier_group
    two = policy.progress(rules, draft(decision("l1", "legal"), decision("l2", "legal")))
    assert not by_group(two)["comms"].waiting_for_earlier_group


@pytest.mark.parametrize(("verdict", "skipped"), [("clear", True), ("review", False), ("block", False)])
def test_only_clear_drafts_may_skip_a_group(verdict: str, skipped: bool) -> None:
    rules = PolicySettings(clear_may_skip=("comms",))
    entries = by_group(policy.progress(rules, draft(decision("l1", "legal"), verdict=verdict)))
    assert entries["comms"].skipped is skipped
    assert entries["comms"].done is skipped
    assert not entries["legal"].skipped
    assert policy.complete(list(entries.values())) is skipped


def test_skip_follows_the_current_versions_verdict() -> None:
    rules = PolicySettings(clear_may_skip=("comms",))
    edited = draft(decision("l1", "legal", on=2), versions=2)
    edited.versions[1] = version(2, "clear")  # the edit scanned clear, the original did not
    assert policy.complete(policy.progress(rules, edited))
    edited.versions[1] = version(2, "review")
    assert not policy.complete(policy.progress(rules, edited))


def test_sequential_skipped_group_does_not_hold_up_the_next() -> None:
    rules = PolicySettings(groups=("legal", "comms", "exec"), order="sequential", clear_may_skip=("legal",))
    entries = policy.progress(rules, draft(verdict="clear"))
    assert [(e.skipped, e.waiting_for_earlier_group) for e in entries] == [
        (True, False),
        (False, False),
        (False, True),
    ]


def test_summary_line() -> None:
    rules = PolicySettings(approvals={"legal": 2}, clear_may_skip=("comms",))
    partial = policy.progress(rules, draft(decision("l1", "legal")))
    assert policy.summary(partial) == "Legal ⏳ 1/2 · Comms ⏳ 0/1"
    done = policy.progress(rules, draft(decision("l1", "legal"), decision("l2", "legal"), verdict="clear"))
    assert policy.summary(done) == "Legal ✓ 2/2 · Comms – not needed"
    assert policy.complete(done)


def test_complete_of_no_groups_and_group_progress_done() -> None:
    assert policy.complete([])
    assert GroupProgress("legal", 2, (("a", "A"), ("b", "B"))).done
    assert not GroupProgress("legal", 2, (("a", "A"),)).done
    assert GroupProgress("legal", 5, (), skipped=True).done


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PHIGATE_POLICY__GROUPS": "[]"}, "at least one approver group"),
        ({"PHIGATE_POLICY__APPROVALS": '{"exec": 1}'}, "not in policy.groups"),
        ({"PHIGATE_POLICY__APPROVALS": '{"legal": 0}'}, "at least 1 approval"),
        ({"PHIGATE_POLICY__CLEAR_MAY_SKIP": "marketing"}, "not in policy.groups"),
        ({"PHIGATE_POLICY__GROUPS": "comms", "PHIGATE_POLICY__OVERRIDE_GROUP": "legal"}, "override_group"),
        ({"PHIGATE_POLICY__ORDER": "random"}, "order"),
        ({"PHIGATE_POLICY__EXPIRY_HOURS": "0"}, "expiry_hours"),
        ({"PHIGATE_POLICY__REJECTION_REASONS": "[]"}, "at least one reason"),
    ],
)
def test_inconsistent_policies_are_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.load(env=env)


def test_policy_from_the_environment() -> None:
    rules = Settings.load(
        env={
            "PHIGATE_POLICY__GROUPS": "legal, comms, exec",
            "PHIGATE_POLICY__APPROVALS": '{"legal": 2}',
            "PHIGATE_POLICY__ORDER": "sequential",
            "PHIGATE_POLICY__CLEAR_MAY_SKIP": "exec",
            "PHIGATE_POLICY__EXPIRY_HOURS": "8",
            "PHIGATE_POLICY__REMIND_BEFORE_HOURS": "1",
        }
    ).policy
    assert rules.groups == ("legal", "comms", "exec")
    assert (rules.required("legal"), rules.required("comms"), rules.required("exec")) == (2, 1, 1)
    assert rules.order == "sequential" and rules.clear_may_skip == ("exec",)
    assert (rules.expiry_hours, rules.remind_before_hours) == (8, 1)
