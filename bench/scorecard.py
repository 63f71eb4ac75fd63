"""How fast a scorecard PDF renders against its own text, how well a batch uses the cores, and
what a card that has not changed costs.

Run: .venv/bin/python bench/scorecard.py [--runs N] [--candidate ID] [--paper A4|Letter]

A fresh SQLite database in a temporary folder gets the demo company. The scorecard is that
of the first demo candidate with a full panel (two or more interviews, all submitted, with
notes) and a submitted self-assessment, unless --candidate names another; it is built
once, as the `scorecard` command does (an admin on no panel), and then only rendered.

With the process's one warm renderer (one FontConfiguration, stylesheet and cache, as
every scorecard gets), three renders are timed in turn after a warm-up, so all see the
same machine load: F, `<!doctype html><h1>Hello</h1>` to PDF bytes; the scorecard; and its
text floor, the same card's visible text alone (every paragraph, heading and list item
outside the chart's SVG) as plain paragraphs in the same stylesheet, which no layout of the
complete card can undercut. Then the same card served from the PDF cache, and the batch of
bench/scorecard_batch.py. The last line is
`floor_ratio=X efficiency=Y cached_ratio=Z`: the card over its text floor (medians), the
batch's parallel efficiency, and a re-export of the unchanged position over rendering it.
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


def alternately(renders: dict, runs: int) -> dict[str, list[float]]:
    """Each render timed in turn, `runs` rounds after a warm-up, so that all see the same
    machine load: {name: samples in seconds}."""
    for render in renders.values():
        render()
    samples = {name: [] for name in renders}
    for _ in range(runs):
        for name, render in renders.items():
            samples[name].append(timed(render))
    return samples


def median_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[math.ceil(0.95 * len(ordered)) - 1]


def bench_card(card, paper: str, runs: int) -> dict:
    """F, the scorecard and its text floor, alternately with the process's one renderer;
    then the same card from the PDF cache."""
    from assessment.scorecard import cache
    from assessment.scorecard.pdf import HELLO, renderer

    cold = timed(lambda: renderer().scorecard(card, paper))  # builds the renderer, too
    plain, paragraphs, characters = text_only(renderer().scorecard_html(card))
    samples = alternately(
        {
            "F": lambda: renderer().html_pdf(HELLO),
            "card": lambda: renderer().scorecard(card, paper),
            "floor": lambda: renderer().html_pdf(plain, paper),
        },
        runs,
    )
    cache.scorecard_pdf(card, paper)  # rendered and kept
    kept = alternately({"kept": lambda: cache.scorecard_pdf(card, paper)}, runs)["kept"]
    found = {name: median_p95(values) for name, values in samples.items()}
    return {
        **{name: values[0] for name, values in found.items()},
        "p95": found["card"][1],
        "cold": cold,
        "kept": statistics.median(kept),
        "paragraphs": paragraphs,
        "characters": characters,
    }


def page_count(card, paper: str) -> int:
    import pikepdf

    from assessment.scorecard.pdf import render_scorecard_pdf

    with pikepdf.open(io.BytesIO(render_scorecard_pdf(card, paper))) as pdf:
        return len(pdf.pages)


def bench_batch(app, f: float) -> dict[str, float]:
    """The batch part (bench/scorecard_batch.py: 100 demo candidates on every core)."""
    from scorecard_batch import bench_batch as batch_figures  # beside this file

    return batch_figures(app, f)


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
            from assessment.scorecard.viewers import SYSTEM_VIEWER

            load_demo()
            card = build_scorecard(args.candidate or full_candidate(), SYSTEM_VIEWER)
            one = bench_card(card, args.paper, args.runs)
            report_card(card, one, args)
            batch = bench_batch(app, one["F"])
    floor_ratio = one["card"] / one["floor"]
    print(
        f"floor_ratio={floor_ratio:.2f} efficiency={batch['efficiency']:.2f} "
        f"cached_ratio={batch['cached_ratio']:.3f}"
    )


def report_card(card, one: dict, args) -> None:
    f = one["F"]
    words = sum(len(c.notes.split()) for b in card.competencies for q in b.questions
                for c in q.ratings.values())  # fmt: skip
    print(f"F (Hello to PDF bytes, warm): median {f * 1000:.1f} ms; {args.runs} runs")
    print(f"font subsetter: {subsetter_name()}")
    print(
        f"scorecard of {card.candidate.name} (candidate {card.candidate.id}, "
        f"{len(card.interviews)} interviewers, {words} words of notes, {args.paper}): "
        f"{page_count(card, args.paper)} pages, median {one['card'] * 1000:.1f} ms "
        f"({one['card'] / f:.1f} F), p95 {one['p95'] * 1000:.1f} ms, "
        f"first render {one['cold'] * 1000:.0f} ms"
    )
    print(
        f"text floor: the card's text alone ({one['characters']} characters in "
        f"{one['paragraphs']} plain paragraphs, no chart labels, same stylesheet): "
        f"median {one['floor'] * 1000:.1f} ms ({one['floor'] / f:.1f} F); the card is "
        f"{one['card'] / one['floor']:.2f} x its text floor (target <= 1.6)"
    )
    print(
        f"the same card from the PDF cache (built card, key, one read): median "
        f"{one['kept'] * 1000:.2f} ms, {one['kept'] / one['card']:.3f} of rendering it"
    )


def subsetter_name() -> str:
    from assessment.scorecard.pdf import subsetter

    return subsetter()


if __name__ == "__main__":
    main()
