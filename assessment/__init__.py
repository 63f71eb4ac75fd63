"""The app factory: configuration, extensions, blueprints, error pages and commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import ROOT, check_settings, load_config

if TYPE_CHECKING:  # Flask is imported when an app is made, so the pure core runs without it
    from flask import Flask

# (endpoint, label, roles that see it) for the top bar.
NAV_ITEMS = (
    ("main.index", "Home", ("admin", "hr", "manager")),
    ("interviews.mine", "My interviews", ("admin", "hr", "manager")),
    ("positions.index", "Positions", ("admin", "hr")),
    ("insights.calibration", "Calibration", ("admin", "hr")),
    ("insights.bank_quality", "Bank quality", ("admin", "hr")),
    ("fairness.report", "Fairness", ("admin", "hr")),
    ("admin.users", "Accounts", ("admin",)),
    ("keys.keying_list", "My keying", ("expert",)),
)


# Served before the first admin exists (machines and the setup page itself).
NO_SETUP_REDIRECT = ("auth.setup", "static")


def create_app(overrides: dict[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    import os

    from flask import Flask

    app = Flask(
        __name__,
        # INSTANCE_PATH: where this host keeps its secret key file and scratch files.
        instance_path=instance_path or os.environ.get("INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    app.config.update(load_config(app.instance_path))
    app.config.update(overrides or {})
    check_settings(app.config)  # SettingsError: app.py prints it and stops

    from .question_bank import register_bank

    register_bank(app)
    from .logs import register_logging

    register_logging(app)
    register_filters(app)
    register_proxies(app)
    register_handlers(app)  # before CSRF: who may see a view is decided first
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    from .scorecard.subsetting import warn_if_slow_subsetter

    warn_if_slow_subsetter(app)  # PDFs get several times slower without HarfBuzz-Subset

    from .database import init_database
    from .startup import announce_on_start

    init_database(app)
    announce_on_start(app)  # the first run's setup secret, in the log
    return app


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (the models must be known before migrations run)
    from .api import models as api_models  # noqa: F401  (API tokens)
    from .auth import (
        reset_model,  # noqa: F401  (password reset links)
        security_model,  # noqa: F401  (sign-in counters, the setup secret)
    )
    from .auth.services import load_user
    from .candidates import search_model  # noqa: F401  (the candidate search index)
    from .comparison import summary_model  # noqa: F401  (summary rows for the list)
    from .database import MIGRATIONS_DIR
    from .extensions import csrf, db, limiter, login_manager, migrate
    from .fairness import models as fairness_models  # noqa: F401  (kept apart on purpose)
    from .insights import figures_model  # noqa: F401  (local figures: a table of their own)
    from .scorecard import cache_model, job_model  # noqa: F401  (tables of their own)
    from .webhooks import models as webhook_models  # noqa: F401  (hooks and deliveries)

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
    from .webhooks.events import listen_for_commits

    listen_for_commits()


def register_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies, the client's address and scheme are read from the
    headers they add (that many hops back), never from what the client itself sent."""
    count = app.config["TRUSTED_PROXIES"]
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def register_blueprints(app: Flask) -> None:
    from .converters import register_converters

    register_converters(app)  # every <int:...> is an id: before any rule is added
    from .account.views import bp as account_bp
    from .admin.views import bp as admin_bp
    from .api.token_views import bp as api_tokens_bp
    from .api.views import bp as api_bp
    from .auth.views import bp as auth_bp
    from .candidates.views import bp as candidates_bp
    from .fairness.keying_views import bp as keys_bp
    from .fairness.selfid_views import bp as selfid_bp
    from .fairness.views import bp as fairness_bp
    from .health import bp as health_bp
    from .insights.views import bp as insights_bp
    from .interviews.views import bp as interviews_bp
    from .main.views import bp as main_bp
    from .positions.views import bp as positions_bp
    from .privacy.views import bp as privacy_bp
    from .review.views import bp as review_bp
    from .scorecard.export_views import bp as exports_bp
    from .selfassess.candidate_views import bp as selfassess_bp
    from .selfassess.staff_views import bp as invites_bp
    from .webhooks.views import bp as webhooks_bp

    for blueprint in (
        health_bp,
        auth_bp,
        main_bp,
        account_bp,
        admin_bp,
        positions_bp,
        candidates_bp,
        exports_bp,
        interviews_bp,
        invites_bp,
        selfassess_bp,
        selfid_bp,
        insights_bp,
        fairness_bp,
        keys_bp,
        review_bp,
        api_bp,
        api_tokens_bp,
        webhooks_bp,
        privacy_bp,
    ):
        app.register_blueprint(blueprint)


def register_filters(app: Flask) -> None:
    """Numbers in templates, rounded half up like every number shown (scoring.rounding):
    {{ x|num }}, {{ x|num(1) }}, {{ share|pct }}, {{ r|coef }}."""
    from .scoring.rounding import coefficient, number, percent

    app.add_template_filter(number, "num")
    app.add_template_filter(percent, "pct")
    app.add_template_filter(coefficient, "coef")


def register_handlers(app: Flask) -> None:
    from flask import redirect, request, url_for

    from .account.reader import register_reader_zone
    from .auth.services import admin_exists
    from .auth.sessions import end_expired_session
    from .errors import register_error_handlers
    from .policy import enforce_policy
    from .positions.closing import refuse_changes_when_closed
    from .security import register_input_checks, register_security_headers

    register_input_checks(app)  # first: a refused Host or a NUL reaches no other hook

    @app.before_request
    def first_run_setup():
        """Until an admin exists, every page leads to /setup."""
        if request.endpoint in NO_SETUP_REDIRECT or request.blueprint in ("api", "health"):
            return None
        if admin_exists():
            return None
        return redirect(url_for("auth.setup"))

    app.before_request(end_expired_session)
    app.before_request(enforce_policy)
    app.before_request(refuse_changes_when_closed)  # closed positions are read-only

    @app.context_processor
    def navigation():
        return {"nav_items": NAV_ITEMS}

    register_error_handlers(app)
    register_security_headers(app)
    register_reader_zone(app)  # the `when` filter: times in the reader's zone


def register_cli(app: Flask) -> None:
    from .cli import register_commands

    register_commands(app)
