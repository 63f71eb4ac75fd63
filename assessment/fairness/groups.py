"""The self-identification questions and their groups: EEO-1's sex and race/ethnicity
categories, age bands and disability. Pure: the form, the tables' checks and the report
all read them from here."""

from __future__ import annotations

DECLINED = "declined"  # "Prefer not to say": an answer, counted as not disclosed
DECLINE_LABEL = "Prefer not to say"

# (code, what the candidate reads, what the report calls the group)
QUESTIONS = {
    "sex": (
        "Sex",
        (
            ("female", "Female", "Female"),
            ("male", "Male", "Male"),
            ("another", "Another sex or gender", "Another sex or gender"),
        ),
    ),
    "race": (
        "Race or ethnicity",
        (
            ("hispanic", "Hispanic or Latino", "Hispanic or Latino"),
            ("white", "White (not Hispanic or Latino)", "White"),
            ("black", "Black or African American (not Hispanic or Latino)", "Black"),
            (
                "nhpi",
                "Native Hawaiian or Other Pacific Islander (not Hispanic or Latino)",
                "Native Hawaiian or Pacific Islander",
            ),
            ("asian", "Asian (not Hispanic or Latino)", "Asian"),
            (
                "aian",
                "American Indian or Alaska Native (not Hispanic or Latino)",
                "American Indian or Alaska Native",
            ),
            ("two", "Two or More Races (not Hispanic or Latino)", "Two or more races"),
        ),
    ),
    "age": (
        "Age",
        (
            ("under25", "Under 25", "Under 25"),
            ("25to39", "25 to 39", "25 to 39"),
            ("40to54", "40 to 54", "40 to 54"),
            ("55plus", "55 or older", "55 or older"),
        ),
    ),
    "disability": (
        "Disability",
        (
            ("yes", "Yes, I have a disability (or had one in the past)", "Disability"),
            ("no", "No, I do not have a disability", "No disability"),
        ),
    ),
}
DIMENSIONS = tuple(QUESTIONS)  # the columns of the answers' table (fairness/models.py)


def codes(dimension: str) -> tuple[str, ...]:
    """The group codes of one question, in the form's order (without "declined")."""
    return tuple(code for code, _, _ in QUESTIONS[dimension][1])


def group_label(dimension: str, code: str) -> str:
    return next(label for c, _, label in QUESTIONS[dimension][1] if c == code)


def check_sql(dimension: str) -> str:
    """The CHECK constraint of a column: one of the codes, "declined", or not answered."""
    allowed = ", ".join(f"'{c}'" for c in (*codes(dimension), DECLINED))
    return f"{dimension} IS NULL OR {dimension} IN ({allowed})"
