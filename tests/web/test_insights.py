"""Calibration and bank-quality pages: the numbers shown against hand-computed data, the
"not enough data yet" cases, only submitted work counting, and HR-only access."""

from __future__ import annotations

import html
import math
import re
from datetime import datetime, timedelta

import pytest

from assessment.database import write_transaction
from assessment.models import Answer, Candidate, Rating, SelfAssessment
from assessment.selfassess.invites import shown_items
from tests.web.helpers import ROLE_REFUSAL, statements_during

T0 = datetime(2026, 3, 2, 9)
PAGES = ("/calibration", "/positions/{pid}/calibration", "/bank/quality")


def text_of(fragment: str) -> str:
    """A page fragment as the words a reader sees: tags dropped, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def row(page: str, row_id: str) -> str:
    match = re.search(rf'<tr id="{row_id}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, f"no row {row_id}"
    return text_of(match.group(1))


def block(page: str, block_id: str) -> str:
    """The text of the element with this id, up to the next element with an id of its kind."""
    start = page.index(f'id="{block_id}"')
    end = page.find('id="i-', start + len(block_id) + 5)
    return text_of(page[start : end if end > 0 else None])


@pytest.fixture
def hr(users, login):
    login(users["hr"])
    return users["hr"]


@pytest.fixture
def interviewed(make_candidate, make_interview):
    """interviewed(position, {user: value or None or callable(question)}, status=..., hour=...):
    a candidate interviewed by each user, every question of the position rated."""
    counter = iter(range(10_000))

    def make(position, panel: dict, statuses: dict | None = None) -> Candidate:
        candidate = make_candidate(position)
        hour = next(counter)
        for order, (user, value) in enumerate(panel.items()):
            status = (statuses or {}).get(user, "submitted")
            when = T0 + timedelta(hours=hour, minutes=order)
            interview = make_interview(
                candidate,
                user,
                status=status,
                started_at=when,
                submitted_at=when if status == "submitted" else None,
            )
            with write_transaction() as session:
                for q in position.questions:
                    v = value(q) if callable(value) else value
                    session.add(
                        Rating(
                            interview_id=interview.id,
                            question_id=q["id"],
                            value=v,
                            not_covered=v is None,
                        )
                    )
        return candidate

    return make


@pytest.fixture
def calibration_data(make_user, make_position, interviewed):
    """Position P: Ann rates 5 on candidates 1–3 and 4 on 4–10 where Ben rates 3; Ben and Cy
    both rate 3 on 11–14; on 15 Ann's interview is only in progress (her 1s must not count);
    Ann alone on 16. Position Q: Cy rates 4 and Dee 3 on six candidates."""
    ann, ben = make_user("manager", name="Ann Lenient"), make_user("manager", name="Ben Baseline")
    cy, dee = make_user("manager", name="Cy Newcomer"), make_user("manager", name="Dee Other")
    p, q = make_position(title="Position P"), make_position(title="Position Q")
    counts = {}
    for question in p.questions:
        counts[question["competency"]] = counts.get(question["competency"], 0) + 1
    # Ben leaves one question of a competency with several questions not covered: his score
    # there is the mean of the others (3), never lower.
    skipped = next(x["id"] for x in p.questions if counts[x["competency"]] >= 2)
    for i in range(1, 11):
        ben_rates = (lambda x: None if x["id"] == skipped else 3) if i == 1 else 3
        interviewed(p, {ann: 5 if i <= 3 else 4, ben: ben_rates})
    for _ in range(11, 15):
        interviewed(p, {ben: 3, cy: 3})
    interviewed(p, {ben: 3, ann: 1}, statuses={ann: "in_progress"})
    interviewed(p, {ann: 5})
    for _ in range(6):
        interviewed(q, {cy: 4, dee: 3})
    return {"ann": ann, "ben": ben, "cy": cy, "dee": dee, "p": p, "q": q}


def test_calibration_across_positions_against_hand_computed_numbers(client, hr, calibration_data):
    d = calibration_data
    page = client.get("/calibration").get_data(as_text=True)
    # Ann: 11 submitted, 10 co-rated; own mean (3·5 + 7·4)/10 = 4.3 vs 3.0; L = +1.3;
    # 3 of 10 candidates differ by 2 on each of the 6 competencies → 18 of 60 = 30 %.
    # On questions: 10 × 14 co-rated less Ben's not-covered one = 139; hits 3 × 14 − 1 = 41
    # (29.5 %, shown 29 %).
    ann = row(page, f"interviewer-{d['ann'].id}")
    assert ann.startswith("Ann Lenient 11 10 4.3 vs 3.0 +1.3 lenient")
    assert "rates 1.3 higher than their panels" in ann
    assert "30% of 60" in ann and "29% of 139" in ann
    # Ben: 15 submitted (Ann's in-progress interview of #15 does not co-rate it): 14 co-rated;
    # others' mean (3·5 + 7·4 + 4·3)/14 = 55/14 = 3.93; L = −13/14 = −0.93; 3 of 14 = 21 %.
    ben = row(page, f"interviewer-{d['ben'].id}")
    assert ben.startswith("Ben Baseline 15 14 3.0 vs 3.9 -0.9 severe")
    assert "rates 0.9 lower than their panels" in ben and "21% of 84" in ben
    # Cy across positions: 4 candidates at 0 and 6 at +1 → L = 0.6, 10 co-rated: shown.
    cy = row(page, f"interviewer-{d['cy'].id}")
    assert cy.startswith("Cy Newcomer 10 10 3.6 vs 3.0 +0.6 lenient")
    assert "rates 0.6 higher than their panels" in cy and "0% of 60" in cy
    dee = row(page, f"interviewer-{d['dee'].id}")
    assert dee == "Dee Other 6 6 not enough data yet (6 of 10 co-rated candidates; 4 more needed)"
    positions = text_of(page[page.index("<h2>Positions</h2>") :])
    assert "Position P 30 14" in positions and "Position Q 12 6" in positions


def test_position_calibration_counts_only_that_position(client, hr, calibration_data):
    d = calibration_data
    page = client.get(f"/positions/{d['p'].id}/calibration").get_data(as_text=True)
    assert "Calibration: Position P" in page
    cy = row(page, f"interviewer-{d['cy'].id}")
    assert cy == (
        "Cy Newcomer 4 4 not enough data yet (4 of 10 co-rated candidates; 6 more needed)"
    )
    assert f"interviewer-{d['dee'].id}" not in page
    assert row(page, f"interviewer-{d['ann'].id}").startswith("Ann Lenient 11 10 4.3 vs 3.0")
    # 14 candidates have two submitted interviews: no ICC below 30, and it says why.
    assert "30 submitted interviews; 14 candidates scored by two or more interviewers." in (
        text_of(page)
    )
    assert (
        "No competency yet: not enough data yet (14 of 30 candidates scored by two or more "
        "interviewers; 16 more needed)." in text_of(page)
    )
    q_page = client.get(f"/positions/{d['q'].id}/calibration").get_data(as_text=True)
    assert row(q_page, f"interviewer-{d['cy'].id}").endswith(
        "(6 of 10 co-rated candidates; 4 more needed)"
    )


def test_position_icc_against_hand_computed_numbers(
    client, hr, make_user, make_position, interviewed
):
    # Ben scores x and Ann x + 1 on every question, x = 1, 2, 3, 4 eight times (32 candidates).
    # MSR = 2·40/31, MSC = 16, MSE = 0: ICC(2,1) = .7207, ICC(2,2) = .8377, ICC(3,1) = 1;
    # Spearman–Brown: .80 needs ⌈1.55⌉ = 2 interviewers.
    ann, ben = make_user("manager", name="Ann Lenient"), make_user("manager", name="Ben Baseline")
    position = make_position(title="Position P")
    for x in [1, 2, 3, 4] * 8:
        interviewed(position, {ann: x + 1, ben: x})
    page = client.get(f"/positions/{position.id}/calibration").get_data(as_text=True)
    competencies = {q["competency"] for q in position.questions}
    for competency in competencies:
        line = row(page, f"icc-{competency}")
        assert "0.72 moderate ICC(2,1); consistency only, ICC(3,1): 1.00" in line
        assert "0.84 good ICC(2,2), the mean of 2; reliability .80 needs panels of 2" in line
        assert (
            "32 candidates × 2 interviewers all scored by the same panel: Ann Lenient, Ben Baseline"
            in line
        )
    assert row(page, f"interviewer-{ann.id}").startswith(
        "Ann Lenient 32 32 3.5 vs 2.5 +1.0 lenient"
    )


def test_calibration_empty_states(client, hr, make_position):
    assert "No submitted interviews yet" in client.get("/calibration").get_data(as_text=True)
    position = make_position()
    page = client.get(f"/positions/{position.id}/calibration").get_data(as_text=True)
    assert "No submitted interviews yet" in page
    assert "0 of 30 candidates" in text_of(page)
    assert client.get("/positions/999999/calibration").status_code == 404
    position_page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert f'href="/positions/{position.id}/calibration"' in position_page


# --- bank quality ---------------------------------------------------------------------------

# Keyed answers (after flipping reverse-keyed statements) of four kinds of respondent, 25 each.
# Hand-computed in tests/unit/test_stats_items.py: α = 20/23 = .87; item-total r .61, .91,
# .67, .90; α without each .88, .75, .88, .80. Replicating rows changes none of these.
FOUR = [(2, 1, 2, 2), (3, 3, 2, 3), (3, 4, 5, 4), (4, 4, 3, 3)]


def _statement_value(item: dict, kind: int, index: int, competency_flip: str) -> int:
    keyed = FOUR[kind][index]
    if item["competency"] == competency_flip and index == 1:
        keyed = 6 - keyed  # a "keying error": this statement runs against the others
    return 6 - keyed if item["reverse"] else keyed


def _picks(item: dict, i: int, hand: dict) -> tuple[str, str]:
    if item["id"] in hand:
        return hand[item["id"]][i]
    ranked = sorted(item["responses"], key=lambda r: (r["key"], r["id"]))
    return ranked[-1]["id"], ranked[0]["id"]


@pytest.fixture
def respond(bank, make_candidate):
    """respond(position, n, status, hand): n self-assessments of that status; statement
    answers follow FOUR (own's second statement flipped); scenario picks from `hand`
    {item id: [(most, least)] * n} or the best and worst response."""

    def make(position, n: int, status: str = "submitted", hand: dict | None = None) -> None:
        candidates = [make_candidate(position) for _ in range(n)]
        with write_transaction() as session:
            for i, candidate in enumerate(candidates):
                items = shown_items(bank, seed=i)
                assessment = SelfAssessment(
                    candidate_id=candidate.id,
                    status=status,
                    bank_version=bank.version,
                    items=items,
                    seed=i,
                    submitted_at=T0 if status == "submitted" else None,
                )
                session.add(assessment)
                session.flush()
                for item in items:
                    answer = Answer(assessment_id=assessment.id, item_id=item["id"])
                    if status != "submitted":  # wild answers that must never count
                        ranked = sorted(item.get("responses", []), key=lambda r: r["key"])
                        answer.value = None if ranked else 5
                        if ranked:
                            answer.most, answer.least = ranked[0]["id"], ranked[-1]["id"]
                    elif item["type"] == "scenario":
                        answer.most, answer.least = _picks(item, i, hand or {})
                    elif item["type"] == "statement":
                        ids = sorted(
                            (
                                x["id"]
                                for x in items
                                if x.get("competency") == item["competency"]
                                and x["type"] == "statement"
                            ),
                            key=lambda s: int(s.rsplit("-", 1)[1]),
                        )
                        answer.value = _statement_value(item, i % 4, ids.index(item["id"]), "own")
                    else:
                        answer.value = 1
                    session.add(answer)

    return make


def _lead_picks(bank) -> dict:
    """lead-sjt-4 (keys a 2, b 5, c 2, d 3, e 1): 50 × (b, e), 10 × (d, e), 20 × (d, a),
    20 × (a, c). Item scores 100, 75, 62.5, 50 → mean 80."""
    keys = bank.scenarios["lead-sjt-4"].keys
    assert keys == {"a": 2, "b": 5, "c": 2, "d": 3, "e": 1}
    return {
        "lead-sjt-4": [("b", "e")] * 50 + [("d", "e")] * 10 + [("d", "a")] * 20 + [("a", "c")] * 20
    }


def _mistaken_picks(bank) -> dict:
    """own-sjt-1: the keyed best picked as LEAST 60 times and as MOST 40; one response never
    picked at all."""
    item = bank.scenarios["own-sjt-1"]
    ranked = sorted(item.responses, key=lambda r: (r.key, r.id))
    best, worst, other, never = ranked[-1], ranked[0].id, ranked[1].id, ranked[2].id
    assert never not in (best.id, worst, other)
    return {"own-sjt-1": [(best.id, worst)] * 40 + [(other, best.id)] * 60}, best, never


def test_bank_quality_against_hand_computed_numbers(client, hr, bank, make_position, respond):
    position = make_position(title="Position P")
    mistaken, best, never = _mistaken_picks(bank)
    respond(position, 100, hand={**_lead_picks(bank), **mistaken})
    # An unsubmitted self-assessment with wild answers changes nothing.
    respond(position, 1, status="in_progress")
    page = client.get("/bank/quality").get_data(as_text=True)
    text = text_of(page)
    assert "100 submitted self-assessments" in text
    lead = text_of(page[page.index('id="c-lead"') : page.index('id="c-own"')])
    # Feldt's 95 % interval for α = 20/23 over 100 rows of 4 items: [.82, .91].
    assert "Cronbach’s α = 0.87 95% interval 0.82 to 0.91 over 100 complete respondents" in lead
    # Raw means are all 3.0; SDs from 25 copies of each row: √(50/99) = .71, √(150/99) = 1.23.
    # Then item-total r and α without the item: n, mean, SD, r, α without.
    sd1, sd2 = math.sqrt(50 / 99), math.sqrt(150 / 99)
    expected = {
        "lead-self-1": (100, 3.0, sd1, 5 / math.sqrt(68), 15 / 17),
        "lead-self-2": (100, 3.0, sd2, 0.913, 0.75),
        "lead-self-3": (100, 3.0, sd2, 2 / 3, 0.875),
        "lead-self-4": (100, 3.0, sd1, 7 / math.sqrt(60), 0.80),
    }
    for item_id, numbers in expected.items():
        shown = [float(x) for x in row(page, f"i-{item_id}").split()[-5:]]
        assert shown == pytest.approx(numbers, abs=0.0051), item_id  # shown to two decimals
    assert 'class="problem"' not in page[page.index('id="c-lead"') : page.index('id="c-own"')]
    # The scenario: counts and shares of each pick, and the mean item score.
    scenario = block(page, "i-lead-sjt-4")
    assert "100 answered · mean item score 80 of 100" in scenario
    for numbers in ("50 (50%) 0 (0%)", "30 (30%) 0 (0%)", "0 (0%) 60 (60%)", "20 (20%) 20 (20%)"):
        assert numbers in scenario
    assert "worth a look" not in scenario
    # The flipped own statement: negative item-total r, highlighted with the reason.
    own_two = row(page, "i-own-self-3")  # own's second statement, by number
    assert "goes against the rest of its scale (item-total r = -0.91)" in own_two
    own = text_of(page[page.index('id="c-own"') : page.index('id="c-perspective"')])
    assert "α = -2.22 is negative: the statements vary against each other" in own
    mistaken_block = block(page, "i-own-sjt-1")
    assert (
        f"the keyed best response {best.id} (key {best.key}) is picked as LEAST effective more "
        "often (60) than as MOST (40): check the key" in mistaken_block
    )
    assert f"nobody picks response {never}" in mistaken_block


def test_bank_quality_not_enough_data_and_the_position_filter(client, hr, make_position, respond):
    big, small = make_position(title="Big"), make_position(title="Small")
    respond(big, 40)
    respond(small, 5)
    everyone = text_of(client.get("/bank/quality").get_data(as_text=True))
    assert "45 submitted self-assessments" in everyone
    # 45 respondents: item means shown, α not (45 of 100).
    assert (
        "Cronbach’s α: not enough data yet (45 of 100 complete respondents; 55 more needed)"
        in everyone
    )
    page = client.get(f"/bank/quality?position={small.id}").get_data(as_text=True)
    text = text_of(page)
    assert "5 submitted self-assessments of candidates for Small" in text
    assert (
        "Not enough data yet for any item statistic: 5 of 30 respondents (25 more needed)" in text
    )
    assert "3.00" not in text and "worth a look" not in text
    assert client.get("/bank/quality?position=999999").status_code == 404
    assert client.get("/bank/quality?position=abc").status_code == 404


def test_bank_quality_empty_state(client, hr, make_position):
    page = text_of(client.get("/bank/quality").get_data(as_text=True))
    assert "No submitted self-assessments yet" in page and "Invite candidates" in page


# --- access and queries ---------------------------------------------------------------------


def test_managers_get_403_and_anonymous_users_sign_in(client, users, login, make_position):
    position = make_position()
    urls = [u.format(pid=position.id) for u in PAGES]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(users["manager"])
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert ROLE_REFUSAL in response.get_data(as_text=True)
    nav = client.get("/").get_data(as_text=True)
    assert "Calibration" not in nav and "Bank quality" not in nav


@pytest.mark.parametrize("role", ["hr", "admin"])
def test_hr_and_admins_see_the_pages_in_the_navigation(client, users, login, role):
    login(users[role])
    nav = client.get("/").get_data(as_text=True)
    assert 'href="/calibration"' in nav and 'href="/bank/quality"' in nav


def _queries(client, url: str) -> int:
    def view() -> None:
        assert client.get(url).status_code == 200

    return len(statements_during(view))


def test_the_pages_take_the_same_few_queries_for_any_amount_of_data(
    client, hr, make_user, make_position, interviewed, respond
):
    ann, ben = make_user("manager"), make_user("manager")
    position = make_position()
    interviewed(position, {ann: 3, ben: 4})
    respond(position, 2)
    urls = [u.format(pid=position.id) for u in PAGES] + [f"/bank/quality?position={position.id}"]
    few = [_queries(client, url) for url in urls]
    for _ in range(8):
        interviewed(position, {ann: 4, ben: 2})
    respond(position, 10)
    assert [_queries(client, url) for url in urls] == few
    assert max(few) <= 8, few
