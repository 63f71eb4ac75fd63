"""The app factory: configuration, extensions, blueprints, error pages and commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import ROOT, load_config

if TYPE_CHECKING:  # Flask is imported when an app is made, so the pure core runs without it
    from flask import Flask

# (endpoint, label, roles that see it) for the top bar.
NAV_ITEMS = (
    ("main.index", "Home", ("admin", "hr", "manager")),
    ("interviews.mine", "My interviews", ("admin", "hr", "manager")),
    ("positions.index", "Positions", ("admin", "hr")),
    ("insights.calibration", "Calibration", ("admin", "hr")),
    ("insights.bank_quality", "Bank quality", ("admin", "hr")),
    ("admin.users", "Accounts", ("admin",)),
)


def create_app(overrides: dict[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    from flask import Flask

    app = Flask(
        __name__,
        instance_path=instance_path or str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    app.config.update(load_config(app.instance_path))
    app.config.update(overrides or {})

    from .question_bank import register_bank

    register_bank(app)
    register_handlers(app)  # before CSRF: who may see a view is decided first
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    from .scorecard.subsetting import warn_if_slow_subsetter

    warn_if_slow_subsetter(app)  # PDFs get several times slower without HarfBuzz-Subset

    from .database import init_database

    init_database(app)
    return app


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (the models must be known before migrations run)
    from .auth.services import load_user
    from .comparison import summary_model  # noqa: F401  (summary rows for the list)
    from .database import MIGRATIONS_DIR
    from .extensions import csrf, db, limiter, login_manager, migrate
    from .scorecard import cache_model, job_model  # noqa: F401  (tables of their own)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)


def register_blueprints(app: Flask) -> None:
    from .admin.views import bp as admin_bp
    from .auth.views import bp as auth_bp
    from .candidates.views import bp as candidates_bp
    from .insights.views import bp as insights_bp
    from .interviews.views import bp as interviews_bp
    from .main.views import bp as main_bp
    from .positions.views import bp as positions_bp
    from .review.views import bp as review_bp
    from .scorecard.export_views import bp as exports_bp
    from .selfassess.candidate_views import bp as selfassess_bp
    from .selfassess.staff_views import bp as invites_bp

    for blueprint in (
        auth_bp,
        main_bp,
        admin_bp,
        positions_bp,
        candidates_bp,
        exports_bp,
        interviews_bp,
        invites_bp,
        selfassess_bp,
        insights_bp,
        review_bp,
    ):
        app.register_blueprint(blueprint)


def register_handlers(app: Flask) -> None:
    from flask import redirect, request, url_for

    from .auth.services import admin_exists
    from .errors import register_error_handlers
    from .policy import enforce_policy
    from .security import register_security_headers

    @app.before_request
    def first_run_setup():
        """Until an admin exists, every page leads to /setup."""
        if request.endpoint in ("auth.setup", "static") or admin_exists():
            return None
        return redirect(url_for("auth.setup"))

    app.before_request(enforce_policy)

    @app.context_processor
    def navigation():
        return {"nav_items": NAV_ITEMS}

    register_error_handlers(app)
    register_security_headers(app)


def register_cli(app: Flask) -> None:
    from .cli import register_commands

    register_commands(app)
