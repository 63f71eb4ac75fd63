"""Each response-quality flag, raised through the candidate's pages by a crafted answer pattern
and not by an honest one; the scores reach the candidate page's scorecard."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from assessment.extensions import db
from assessment.models import SelfAssessment
from assessment.scorecard.build import build_scorecard
from assessment.selfassess.invites import create_invite

SHOWN_RE = re.compile(r'name="shown" value="([^"]+)"')
QUALITY = {
    "straight_lining",
    "too_fast_statements",
    "too_fast_scenarios",
    "validity_failed",
    "reverse_inconsistent",
}


def honest_scenario(item: dict) -> dict:
    ranked = sorted(item["responses"], key=lambda r: r["key"])
    return {"most": ranked[-1]["id"], "least": ranked[0]["id"]}


def honest_value(item: dict, k: int) -> int:
    """Varied, consistent answers: agrees with normal statements, disagrees with reverse ones
    and with validity items; neighbours differ, so no long run of one value."""
    if item["type"] == "validity":
        return 1 + k % 2
    high = 4 + k % 2
    return 6 - high if item["reverse"] else high


PATTERNS: dict[str, tuple[Callable[[dict, int], int], int]] = {
    # pattern: (value of the k-th statement shown, ms to the first pick)
    "honest": (honest_value, 6500),
    "straight": (lambda item, k: 3, 6500),
    "fast": (honest_value, 900),
    "faking": (lambda item, k: 5 if item["type"] == "validity" else honest_value(item, k), 6500),
    "inconsistent": (
        lambda item, k: 4 + k % 2 if item["type"] == "statement" else 1 + k % 2,
        6500,
    ),
}


def run_pattern(client, token: str, items: list[dict], pattern: str) -> None:
    """Consent, answer every item through the pages (script-style timing), then submit."""
    value_of, ms_first = PATTERNS[pattern]
    assert client.post(f"/a/{token}/start", data={"consent": "yes"}).status_code == 302
    k = 0
    for number, item in enumerate(items, 1):
        page = client.get(f"/a/{token}/item/{number}").get_data(as_text=True)
        data = {"shown": SHOWN_RE.search(page).group(1), "ms_first": ms_first}
        data["ms_total"] = ms_first + 1500
        if item["type"] == "scenario":
            data.update(honest_scenario(item))
        else:
            data["value"] = value_of(item, k)
            k += 1
        assert client.post(f"/a/{token}/item/{number}", data=data).status_code == 302
    assert client.post(f"/a/{token}/submit").status_code == 200


@pytest.fixture
def taken(client, users, make_candidate):
    """Run a pattern for a new candidate; returns the quality flag codes on their scorecard."""

    def take(pattern: str) -> list[str]:
        candidate = make_candidate()
        assessment, token = create_invite(candidate.id, users["hr"])
        items = list(assessment.items)
        run_pattern(client, token, items, pattern)
        db.session.rollback()
        assert db.session.get(SelfAssessment, assessment.id).status == "submitted"
        card = build_scorecard(candidate.id, users["hr"])
        assert card.self_assessment.answered == len(items)
        return sorted(f.code for f in card.score.flags if f.code in QUALITY)

    return take


def test_an_honest_pattern_raises_no_quality_flag(taken):
    assert taken("honest") == []


def test_straight_lining_is_flagged(taken):
    assert taken("straight") == ["straight_lining"]


def test_answers_faster_than_reading_are_flagged(taken):
    assert taken("fast") == ["too_fast_scenarios", "too_fast_statements"]


def test_failed_validity_items_are_flagged_one_each(taken, bank):
    assert taken("faking") == ["validity_failed"] * len(bank.validity)


def test_reverse_keyed_inconsistency_is_flagged(taken):
    assert taken("inconsistent") == ["reverse_inconsistent"]


def test_scores_reach_the_scorecard(client, users, make_candidate):
    candidate = make_candidate()
    assessment, token = create_invite(candidate.id, users["hr"])
    run_pattern(client, token, list(assessment.items), "honest")
    db.session.rollback()
    card = build_scorecard(candidate.id, users["hr"])
    for block in card.competencies:
        # The honest pattern picks the best and the worst response: the top scenario score,
        # 100 on the scenarios' own scale; on the common one 50 + 20·(100 − 75)/20 = 75.
        assert block.score.scenario.raw == pytest.approx(100)
        assert block.score.scenario.score == pytest.approx(75)
        assert block.score.self.score is not None
    assert card.score.not_evaluated == ()


def test_without_the_script_the_too_fast_check_is_not_evaluated(client, users, make_candidate):
    """No first-pick times (no script): the check says it could not run, and flags nothing."""
    candidate = make_candidate()
    assessment, token = create_invite(candidate.id, users["hr"])
    client.post(f"/a/{token}/start", data={"consent": "yes"})
    for number, item in enumerate(assessment.items, 1):
        page = client.get(f"/a/{token}/item/{number}").get_data(as_text=True)
        data = {"shown": SHOWN_RE.search(page).group(1)}
        data.update(honest_scenario(item) if item["type"] == "scenario" else {"value": 4})
        client.post(f"/a/{token}/item/{number}", data=data)
    db.session.rollback()
    card = build_scorecard(candidate.id, users["hr"])
    assert not {f.code for f in card.score.flags} & {"too_fast_statements", "too_fast_scenarios"}
    assert any("too-fast check" in why for why in card.score.not_evaluated)
