"""Names and interviewer notes for the demo company (fiction, written for the demo)."""

from __future__ import annotations

import random
from typing import Any

FIRST_NAMES = (
    "Amara",
    "Ben",
    "Chen",
    "Dana",
    "Elif",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jamal",
    "Kaia",
    "Liam",
    "Mei",
    "Nadia",
    "Omar",
    "Paula",
    "Quinn",
    "Rosa",
    "Sami",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Yara",
    "Zoe",
    "Aleks",
    "Bea",
    "Carlos",
    "Divya",
    "Emil",
)
LAST_NAMES = (
    "Adeyemi",
    "Bauer",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fernandes",
    "Goldberg",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Mensah",
    "Nakamura",
    "O'Neill",
    "Petrov",
    "Quispe",
    "Rossi",
    "Santos",
    "Tanaka",
    "Usman",
    "Virtanen",
    "Walsh",
    "Yilmaz",
    "Zhang",
)

# What an interviewer might write, per competency and level (low = 1-2, mid = 3, high = 4-5).
NOTES: dict[str, dict[str, tuple[str, ...]]] = {
    "lead": {
        "low": (
            "Described handling requests as they came in; no example of acting before the "
            "customer asked.",
            "Said the client 'knows their business best' and built what "
            "was requested, even when it looked wrong to them.",
        ),
        "mid": (
            "Suggested one improvement to a client after a review meeting; did not follow "
            "it through.",
            "Gave advice when asked; one example of raising a risk early.",
        ),
        "high": (
            "Spotted a client's renewal risk from usage data, called them with a plan "
            "before they raised it.",
            "Pushed a customer to set a bigger goal for the "
            "rollout and helped them get there; concrete numbers on the outcome.",
        ),
    },
    "own": {
        "low": (
            "Said the billing problem 'belonged to finance' and closed the ticket.",
            "Waited for a manager's approval for a small refund while the customer waited.",
        ),
        "mid": (
            "Solved the customer's immediate problem; escalated the root cause but did not "
            "check it was fixed.",
            "Took the task on when asked; delivered what was agreed.",
        ),
        "high": (
            "Stayed with a failing order across three teams until it shipped, then wrote "
            "up the fix.",
            "Took a sensible risk: offered a free pilot on their own "
            "initiative, and it became the team's largest account.",
        ),
    },
    "perspective": {
        "low": (
            "Explained the complaint as 'user error: they skipped the training'.",
            "Defended the product's design first; did not ask what the customer was trying to do.",
        ),
        "mid": (
            "Listened to the complaint and reproduced it; kept some focus on what the "
            "customer did wrong.",
            "Took the feedback seriously but answered within a week.",
        ),
        "high": (
            "Sat with three customers to watch them use the product; changed the setup "
            "guide the same week.",
            "Called the unhappy customer within an hour and asked "
            "what a good outcome would look like for them.",
        ),
    },
    "process": {
        "low": (
            "Used the same workaround for months for a recurring issue; 'that's the policy'.",
            "Blamed sales for mis-selling without looking at the handover.",
        ),
        "mid": (
            "Noticed the repeating complaint and reported it; did not propose a change.",
            "Bent a rule once for a customer but did not raise the rule itself.",
        ),
        "high": (
            "Counted 40 tickets with the same cause, redesigned the handover form, tickets "
            "fell to five a month.",
            "Made an exception for a customer, then got the rule "
            "changed so the next one would not need it.",
        ),
    },
    "trust": {
        "low": (
            "Customer learned of the delay from the invoice; no proactive update.",
            "Could not say what the customer was told about next steps.",
        ),
        "mid": (
            "Sent updates when asked; set a date and mostly kept it.",
            "Explained next steps at the start but not when plans changed.",
        ),
        "high": (
            "Told the customer before the kickoff exactly what would happen each week; "
            "kept every date.",
            "Called ahead about a slip, with a new date and a reason; "
            "the customer later referred two others.",
        ),
    },
    "relationship": {
        "low": (
            "Talked about accounts only as revenue numbers and ticket counts.",
            "Automated the welcome calls away and saw no downside.",
        ),
        "mid": (
            "Knows the main contacts by name; contact mostly through the ticket system.",
            "Some personal follow-up after the sale, not regular.",
        ),
        "high": (
            "Knew what each key contact was worried about this quarter; visited two of "
            "them after launch.",
            "Kept a personal call in the onboarding although it "
            "cost time, and showed why it mattered to retention.",
        ),
    },
}


def note_for(rng: random.Random, question: dict[str, Any], value: int) -> str:
    """A note for a rating; extreme ratings always get evidence, others usually."""
    level = "low" if value <= 2 else "mid" if value == 3 else "high"
    if value == 3 and rng.random() < 0.25:
        return ""
    return rng.choice(NOTES[question["competency"]][level])


KEY_EVIDENCE = {
    "strong_no": (
        "Every example ended with the customer told what the policy allowed.",
        "Blamed the customer twice; could not name a process they had changed.",
    ),
    "no": (
        "Kind with customers but waited to be asked; stopped at the fix, not the cause.",
        "Thin evidence: most answers were about the team, little about their own part.",
    ),
    "yes": (
        "Two solid examples of following through; the process change was small but real.",
        "Owned the outcome in the renewal story; weaker on changing the process behind it.",
    ),
    "strong_yes": (
        "Saw the churn risk before the customer said a word, called with a plan, fixed onboarding.",
        "Every story ended with the process changed so the next customer would not hit it.",
    ),
}


def key_evidence_for(rng: random.Random, recommendation: str) -> str:
    """A short key-evidence summary that fits the recommendation."""
    return rng.choice(KEY_EVIDENCE[recommendation])
