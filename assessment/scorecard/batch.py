"""Render many scorecards on every core: a pool of processes, each with its own warm renderer.

The pool outlives one batch (it closes after EXPORT_POOL_IDLE seconds unused), because a
worker process takes more than a second to start: the app and WeasyPrint are imported
afresh in it. It is a cache of warm processes, not state: every host or RQ worker makes its
own, and progress and files live in the database and the export folder.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import shutil
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from types import SimpleNamespace

from flask import Flask, current_app

from assessment.extensions import db

from . import cache
from .files import pdf_name, write_atomically
from .viewers import detached, load_viewer, visible_card

Report = Callable[[int, int], None]
# Whom the PDFs are for: (user id, or None for the command line; reveal names under blind
# review, which only the command line may ask for). Plain values, to pass to a process.
Who = tuple[int | None, bool]
# Below this many candidates, handing work to other processes costs more than it saves.
POOL_MIN = 8
POOL_IDLE = 300  # seconds; EXPORT_POOL_IDLE
CHUNK_MAX = 25  # scorecards in one call to a worker: bounds its memory
# What a worker process needs to make the same app; nothing else is handed over.
WORKER_SETTINGS = (
    "SQLALCHEMY_DATABASE_URI",
    "SQLALCHEMY_ENGINE_OPTIONS",
    "QUESTIONS_DIR",
    "SCORECARD_CACHE_MB",
    "SECRET_KEY",
    "TESTING",
)

_pool: SimpleNamespace | None = None
_pool_lock = threading.Lock()


def cores() -> int:
    """The cores this process may run on (a container's limit, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def parts_folder(out: Path) -> Path:
    """Where the pieces of an export wait to be zipped or combined."""
    return out.with_name(out.name + ".parts")


def fresh_folder(out: Path) -> Path:
    folder = parts_folder(out)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


# --- what one process does -------------------------------------------------------------


def render_each(ids: Sequence[int], who: Who, paper: str, folder: str):
    """One PDF per candidate in `folder`, from the cache or rendered now (and kept), named
    as the viewer may see them (the code under blind review): [(id, path or None where
    sealed)]."""
    viewer = detached(load_viewer(*who))
    cards = {cid: card for cid in ids if (card := visible_card(cid, viewer)) is not None}
    keys = {cid: cache.card_key(card, paper) for cid, card in cards.items()}
    pdfs = cache.cached(keys.values())
    db.session.rollback()  # end the read: a long batch must not hold a snapshot open
    fresh = _render_missing(cards, keys, pdfs, paper)
    cache.keep(fresh)
    found = []
    for cid in ids:
        path = None
        if cid in cards:
            shown = cards[cid].candidate
            path = Path(folder) / pdf_name(cid, shown.name, shown.blind)
            write_atomically(path, pdfs[keys[cid]])
        found.append((cid, str(path) if path else None))
    return found


def _render_missing(cards: dict, keys: dict, pdfs: dict, paper: str) -> list:
    """Render the cards the cache did not have into `pdfs`: [(key, id, PDF)] to keep."""
    fresh = []
    for cid, card in cards.items():
        if keys[cid] not in pdfs:
            from .pdf import renderer  # WeasyPrint, in the process that renders

            pdfs[keys[cid]] = renderer().scorecard(card, paper)
            fresh.append((keys[cid], cid, pdfs[keys[cid]]))
    return fresh


# --- a batch --------------------------------------------------------------------------


def render_pdfs(ids, who: Who, paper, out: Path, report: Report, workers=None) -> dict:
    """One PDF per candidate in parts_folder(out): {id: path, or None where sealed}."""
    return dict(_rendered(ids, who, paper, out, report, workers))


def render_combined(ids, who: Who, paper, out: Path, report: Report, workers=None) -> int:
    """One PDF of every visible candidate at `out`, in the order of `ids`, with a bookmark
    per candidate (combine.py); returns how many went in. Each card is bound in as soon as
    it and those before it are there, while the workers go on with the rest."""
    from .combine import Binder  # pikepdf takes most of a second to import

    with Binder() as binder:
        for _, path in _rendered(ids, who, paper, out, report, workers):
            if path is not None:
                binder.add(path)
        if binder.cards:
            binder.save(out)
        return binder.cards


def _rendered(ids, who: Who, paper, out: Path, report: Report, workers):
    """(id, path of its PDF or None where sealed), in the order of `ids`, each as soon as
    it and those before it are done."""
    folder = str(fresh_folder(out))
    calls = [(chunk, who, paper, folder) for chunk in _chunks(ids, workers)]
    for result in _run(render_each, calls, report, workers):
        for cid, path in result:
            yield cid, Path(path) if path else None


def _chunks(ids: Sequence[int], workers: int | None) -> list[list[int]]:
    """The ids in chunks, one call each, largest first (guided scheduling): each takes
    half a worker's share of what is left, so the calls are few but the last ones are of a
    card or two and every worker finishes at about the same time. At most CHUNK_MAX (a
    worker's memory)."""
    count = _workers(len(ids), workers)
    chunks, start = [], 0
    while start < len(ids):
        size = CHUNK_MAX if count == 1 else math.ceil((len(ids) - start) / (2 * count))
        chunks.append(list(ids[start : start + min(size, CHUNK_MAX)]))
        start += len(chunks[-1])
    return chunks


def _workers(n: int, workers: int | None) -> int:
    count = max(1, min(workers or cores(), n))
    return 1 if n < POOL_MIN else count


def _run(function, calls, report: Report, workers):
    """function(*call) for each call, here or in the pool; yields the results in call
    order, each as soon as it and those before it are done. A call's first argument is its
    candidate ids, which count for the progress."""
    sizes = [len(call[0]) for call in calls]
    total, done = sum(sizes), 0
    if _workers(total, workers) == 1:
        for call, size in zip(calls, sizes, strict=True):
            result = function(*call)
            done += size
            report(done, total)
            yield result
        return
    pool = _acquire_pool(current_app, workers or cores())
    try:
        futures = [pool.submit(function, *call) for call in calls]
        pending, order = set(futures), {f: n for n, f in enumerate(futures)}
        following = 0  # the next call whose result is due
        try:
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                done += sum(sizes[order[f]] for f in finished)
                report(done, total)
                while following < len(futures) and futures[following].done():
                    yield futures[following].result()
                    following += 1
        except BaseException:  # a cancelled export (report raised): drop the chunks not begun
            for future in pending:
                future.cancel()
            raise
    finally:
        _release_pool()


# --- the pool -------------------------------------------------------------------------


def worker_settings(app: Flask) -> dict:
    overrides = {key: app.config[key] for key in WORKER_SETTINGS if key in app.config}
    overrides["AUTO_MIGRATE"] = False  # the parent's app has migrated already
    return {"overrides": overrides, "instance_path": app.instance_path}


def _start_worker(settings: dict) -> None:
    """Runs once in each worker process: its own app (and database engine) and renderer."""
    # First: a parent killed while this process still starts up must not leave it behind.
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    from assessment import create_app

    from .pdf import renderer

    app = create_app(settings["overrides"], instance_path=settings["instance_path"])
    app.app_context().push()  # for the process's life: its tasks use this app
    renderer().warm_up()  # HARDENING §1.4


def _exit_with_parent() -> None:
    """A parent killed outright (SIGKILL, or SIGTERM without a handler) cannot stop its
    pool; without this its workers would live on as orphans. An orphan gets a new parent
    (also when the parent died before this thread started); the sentinel alone is not
    enough, as a process the parent forked later (RQ's scheduler) may hold it open."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    while os.getppid() == parent.pid:
        parent.join(timeout=1)
    os._exit(0)


def warm_pool(app: Flask, workers: int | None = None) -> int:
    """Start the worker processes now (an export worker does at start), so that the first
    batch finds them warm; returns how many."""
    count = workers or cores()
    pool = _acquire_pool(app, count)
    try:
        wait([pool.submit(os.getpid) for _ in range(count)])
    finally:
        _release_pool()
    return count


def _acquire_pool(app: Flask, count: int) -> ProcessPoolExecutor:
    global _pool
    settings = worker_settings(app)
    key = (os.getpid(), count, repr(sorted(settings["overrides"].items())), app.instance_path)
    with _pool_lock:
        if _pool is not None and (_pool.key != key or getattr(_pool.executor, "_broken", False)):
            _close(_pool)
            _pool = None
        if _pool is None:
            executor = ProcessPoolExecutor(
                max_workers=count,
                # spawn: a fresh interpreter, never a fork of a process that may hold
                # WeasyPrint, threads or connections (HARDENING §1.4: import after fork).
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(settings,),
            )
            idle = app.config.get("EXPORT_POOL_IDLE", POOL_IDLE)
            _pool = SimpleNamespace(key=key, executor=executor, users=0, timer=None, idle=idle)
        if _pool.timer is not None:
            _pool.timer.cancel()
            _pool.timer = None
        _pool.users += 1
        return _pool.executor


def _release_pool() -> None:
    with _pool_lock:
        pool = _pool
        if pool is None:
            return
        pool.users -= 1
        if pool.users == 0:
            pool.timer = threading.Timer(pool.idle, _close_if_idle, args=(pool,))
            pool.timer.daemon = True
            pool.timer.start()


def _close_if_idle(pool: SimpleNamespace) -> None:
    global _pool
    with _pool_lock:
        if pool is _pool and pool.users == 0:
            _close(pool)
            _pool = None


def _close(pool: SimpleNamespace) -> None:
    if pool.timer is not None:
        pool.timer.cancel()
    pool.executor.shutdown(wait=False, cancel_futures=True)


def close_pool() -> None:
    """Stop the worker processes now (tests, and a worker's shutdown)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _close(_pool)
            _pool = None
