"""What one position's bands rest on, in words, for its calibration page.

The figures are the stored ones (local_figures.py), the same the scorecards read, so the
page shows what the bands use now, and since when; where there are none, the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from assessment.extensions import db
from assessment.question_bank import current_bank
from assessment.scoring.figures import DEFAULT_ERROR_CORRELATION, DEFAULT_MEAN, DEFAULT_R1
from assessment.scoring.rounding import coefficient, number

from .figures_model import LocalFigures, position_scope


@dataclass(frozen=True)
class FigureLine:
    competency: str  # its name
    reliability: str  # e.g. ".31 per question: this company's data, n = 34 (ICC(2,1) = .48…)"
    scale: str  # e.g. "mean 55, SD 16: this company's data, n = 41"


@dataclass(frozen=True)
class BandFigures:
    lines: tuple[FigureLine, ...]
    halo: str
    computed_at: datetime | None  # None: never computed (too little evidence so far)


def band_figures(position_id: int, competencies: list[str]) -> BandFigures:
    """The interview figures the position's bands use, per competency, in words."""
    row = db.session.execute(
        select(LocalFigures.figures, LocalFigures.computed_at).where(
            LocalFigures.scope == position_scope(position_id)
        )
    ).first()
    figures, when = (row.figures, row.computed_at) if row else ({}, None)
    r1 = {
        c: (value, n, basis) for c, m, value, n, basis in figures.get("r1", ()) if m == "interview"
    }
    norms = {c: (mean, sd, n) for c, m, mean, sd, n in figures.get("norms", ()) if m == "interview"}
    names = current_bank().competency_names
    lines = []
    for c in competencies:
        if c in r1:
            value, n, basis = r1[c]
            reliability = (
                f"{coefficient(value)} per question: this company's data, n = {n} ({basis})"
            )
        else:
            reliability = f"{coefficient(DEFAULT_R1['interview'])} per question: default"
        if c in norms:
            mean, sd, n = norms[c]
            scale = f"mean {number(mean)}, SD {number(sd)}: this company's data, n = {n}"
        else:
            scale = f"mean {number(DEFAULT_MEAN['interview'])}, SD 20: default"
        lines.append(FigureLine(names.get(c, c), reliability, scale))
    halo = next((e for e in figures.get("error_corr", ()) if e[0] == "interview"), None)
    if halo is None:
        halo_text = f"{coefficient(DEFAULT_ERROR_CORRELATION['interview'])}: default"
    else:
        halo_text = f"{coefficient(halo[1])}: this company's data, n = {halo[2]}"
    return BandFigures(tuple(lines), halo_text, when)
