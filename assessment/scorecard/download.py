"""A scorecard PDF as an HTTP answer, for the candidate page and the API alike: from the
cache, with the card's key as its ETag, so a repeat request gets 304."""

from __future__ import annotations

from io import BytesIO

from flask import Response, request, send_file

from . import cache
from .files import pdf_filename
from .model import Scorecard


def pdf_response(card: Scorecard, paper: str) -> Response:
    """The card's PDF (or 304 when the browser holds this very one). Ask the seal first:
    `card` must be what this viewer may see, so a cached PDF is no way around it."""
    key = cache.card_key(card, paper)
    if request.if_none_match.contains(key):
        response = Response(status=304)
    else:
        response = send_file(
            BytesIO(cache.scorecard_pdf(card, paper, key)),
            mimetype="application/pdf",
            as_attachment=True,
            download_name=pdf_filename(card),
        )
    response.set_etag(key)
    # The browser may keep it but must ask again each time, so the seal is checked again:
    # who may see a card can change. Shared caches never keep it.
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response
