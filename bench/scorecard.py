"""How fast a scorecard PDF renders, in F (the time to print a page that says Hello).

Run: .venv/bin/python bench/scorecard.py [--runs N] [--candidate ID] [--paper A4|Letter]

A fresh SQLite database in a temporary folder gets the demo company. The scorecard is that
of the first demo candidate with a full panel (two or more interviews, all submitted, with
notes) and a submitted self-assessment, unless --candidate names another; it is built
once, as the `scorecard` command does (an admin on no panel), and then only rendered.

F is the median warm in-process time to render `<!doctype html><h1>Hello</h1>` to PDF
bytes with the process's renderer (one FontConfiguration, stylesheet and cache, as every
scorecard gets). F and the scorecard are timed alternately after one warm-up each, so both
see the same machine load. Prints F, the subsetter, the scorecard's median, p95 and page
count, its ratio to F, then the text floor: the same card's visible text alone (every
paragraph, heading and list item; not the chart's labels) as plain paragraphs in the same
stylesheet, which no layout of the complete card can undercut; then the batch figures.
The last line is `scorecard_ratio=X batch_ratio=Y`.
"""

from __future__ import annotations

import argparse
import html
import io
import math
import statistics
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scorecard_batch import make_app  # noqa: E402  (beside this file)


def full_candidate() -> int:
    """The first demo candidate whose panel (2+) has all submitted, with notes, and whose
    latest self-assessment is submitted."""
    from sqlalchemy import func

    from assessment.extensions import db
    from assessment.models import Interview, Rating, SelfAssessment

    noted = (
        db.select(Interview.candidate_id)
        .join(Rating, Rating.interview_id == Interview.id)
        .where(Rating.notes != "")
        .group_by(Interview.candidate_id)
        .having(func.count(func.distinct(Interview.id)) >= 2)
    )
    open_panel = db.select(Interview.candidate_id).where(Interview.status != "submitted")
    submitted = db.select(SelfAssessment.candidate_id).where(SelfAssessment.status == "submitted")
    query = (
        noted.where(Interview.candidate_id.not_in(open_panel))
        .where(Interview.candidate_id.in_(submitted))
        .order_by(Interview.candidate_id)
        .limit(1)
    )
    candidate_id = db.session.scalar(query)
    if candidate_id is None:
        raise SystemExit("The demo has no candidate with a full panel and a self-assessment.")
    return candidate_id


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


class TextBlocks(HTMLParser):
    """The visible text of a page outside its SVGs, one string per block (p, h1-h3, li)."""

    BLOCKS = {"p", "h1", "h2", "h3", "li", "br"}
    HIDDEN = {"head", "svg"}

    def __init__(self) -> None:
        super().__init__()
        self.blocks, self.hidden = [""], 0

    def handle_starttag(self, tag, attrs) -> None:
        self.hidden += tag in self.HIDDEN
        if tag in self.BLOCKS:
            self.blocks.append("")

    def handle_endtag(self, tag) -> None:
        self.hidden -= tag in self.HIDDEN
        if tag in self.BLOCKS:
            self.blocks.append("")

    def handle_data(self, data) -> None:
        if not self.hidden:
            self.blocks[-1] += data


def text_only(page: str) -> tuple[str, int, int]:
    """The page's text as plain paragraphs: (HTML, paragraphs, characters)."""
    parser = TextBlocks()
    parser.feed(page)
    blocks = [" ".join(b.split()) for b in parser.blocks]
    blocks = [b for b in blocks if b]
    body = "".join(f"<p>{html.escape(b)}</p>" for b in blocks)
    return f"<!doctype html><html><body>{body}</body></html>", len(blocks), sum(map(len, blocks))


def alternately(render, runs: int) -> tuple[list[float], list[float]]:
    """F and `render` timed in turn, after a warm-up, so both see the same machine load:
    (F's samples, render's samples) in seconds."""
    from assessment.scorecard.pdf import HELLO, renderer

    renderer().warm_up()
    floor, found = [], []
    for _ in range(runs):
        floor.append(timed(lambda: renderer().html_pdf(HELLO)))
        found.append(timed(render))
    return floor, found


def bench_text_floor(card, paper: str, runs: int) -> dict[str, float]:
    """The card's text alone against F, alternately, as bench_scorecard times the card."""
    from assessment.scorecard.pdf import renderer

    plain, paragraphs, characters = text_only(renderer().scorecard_html(card))
    renderer().html_pdf(plain, paper)
    floor, text = alternately(lambda: renderer().html_pdf(plain, paper), runs)
    return {
        "F": statistics.median(floor),
        "median": statistics.median(text),
        "paragraphs": paragraphs,
        "characters": characters,
    }


def bench_scorecard(card, paper: str, runs: int) -> dict[str, float]:
    """F and the scorecard, alternately: medians (and the scorecard's p95) in seconds."""
    from assessment.scorecard.pdf import renderer

    cold = timed(lambda: renderer().scorecard(card, paper))  # builds the renderer, too
    floor, scorecard = alternately(lambda: renderer().scorecard(card, paper), runs)
    ordered = sorted(scorecard)
    return {
        "F": statistics.median(floor),
        "median": statistics.median(scorecard),
        "p95": ordered[math.ceil(0.95 * len(ordered)) - 1],
        "best": ordered[0],
        "cold": cold,
    }


def page_count(card, paper: str) -> int:
    import pypdf

    from assessment.scorecard.pdf import render_scorecard_pdf

    return len(pypdf.PdfReader(io.BytesIO(render_scorecard_pdf(card, paper))).pages)


def bench_batch(app, f: float, args) -> float:
    """The batch part (bench/scorecard_batch.py: 100 demo candidates on every core): prints
    its lines and returns the warm combined PDF's wall time per candidate in F."""
    from scorecard_batch import bench_batch as batch_figures  # beside this file

    return batch_figures(app, f)["combined"] / f


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--candidate", type=int, help="a demo candidate id (default: see above)")
    parser.add_argument("--paper", choices=("A4", "Letter"), default="A4")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder))
        with app.app_context():
            from assessment.demo import load_demo
            from assessment.scorecard import build_scorecard
            from assessment.scorecard.export import SYSTEM_VIEWER
            from assessment.scorecard.pdf import subsetter

            load_demo()
            card = build_scorecard(args.candidate or full_candidate(), SYSTEM_VIEWER)
            one = bench_scorecard(card, args.paper, args.runs)
            pages = page_count(card, args.paper)
            f = one["F"]
            words = sum(len(c.notes.split()) for b in card.competencies for q in b.questions
                        for c in q.ratings.values())  # fmt: skip
            print(f"F (Hello to PDF bytes, warm): median {f * 1000:.1f} ms; {args.runs} runs")
            print(f"font subsetter: {subsetter()}")
            print(
                f"scorecard of {card.candidate.name} (candidate {card.candidate.id}, "
                f"{len(card.interviews)} interviewers, {words} words of notes, {args.paper}): "
                f"{pages} pages, median {one['median'] * 1000:.1f} ms, "
                f"p95 {one['p95'] * 1000:.1f} ms, best {one['best'] * 1000:.1f} ms, "
                f"first render {one['cold'] * 1000:.0f} ms"
            )
            print(f"scorecard: {one['median'] / f:.1f} F (target <= 6 F)")
            floor = bench_text_floor(card, args.paper, args.runs)
            print(
                f"text floor: the card's text alone ({floor['characters']} characters in "
                f"{floor['paragraphs']} plain paragraphs, no chart labels, same stylesheet): "
                f"median {floor['median'] * 1000:.1f} ms, {floor['median'] / floor['F']:.1f} F"
            )
            batch = bench_batch(app, f, args)
    print(f"scorecard_ratio={one['median'] / f:.1f} batch_ratio={batch:.1f}")


if __name__ == "__main__":
    main()
