"""The API's OpenAPI 3.1 document, served at /api/v1/openapi.json (a test checks that every
operation answers as written here and that every API route is in it)."""

from __future__ import annotations

from typing import Any

from .openapi_schemas import SCHEMAS

ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    words = {
        400: "The request is malformed (the message says how).",
        401: "No token, or an unknown or revoked one.",
        403: "The token may not do this (read scope), or the candidate is sealed for it.",
        404: "No such position or candidate.",
        409: "A conflicting change happened at the same moment; retry.",
        422: "Understood but not accepted (the message, and `problems` per row, say why).",
        429: "Too many calls with this token; wait and retry (see Retry-After).",
    }
    return {str(code): _json(ERROR, words[code]) for code in codes}


def _id(name: str, what: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": what,
        "schema": {"type": "integer", "minimum": 1},
    }


PAGE = {
    "name": "page",
    "in": "query",
    "required": False,
    "description": "Page number, from 1; 100 items a page.",
    "schema": {"type": "integer", "minimum": 1, "default": 1},
}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    """An object schema; every property required unless `required` says otherwise."""
    return {
        "type": "object",
        "required": list(properties) if required is None else required,
        "properties": properties,
    }


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _list_of(schema_ref: str, key: str) -> dict:
    return _object(
        {
            key: {"type": "array", "items": {"$ref": schema_ref}},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "total": {"type": "integer"},
        }
    )


PERSON = "#/components/schemas/Person"
NEW_CANDIDATES = _object(
    {
        "candidates": {
            "type": "array",
            "minItems": 1,
            "maxItems": 500,
            "items": {"$ref": "#/components/schemas/NewCandidate"},
        }
    }
)
INVITE = _object(
    {
        "link": {"type": "string", "format": "uri"},
        "expires_at": {"type": "string", "format": "date-time"},
        "candidate_id": {"type": "integer"},
    }
)
PAPER = {
    "name": "paper",
    "in": "query",
    "required": False,
    "schema": {"enum": ["A4", "Letter"], "default": "A4"},
}

PATHS: dict[str, Any] = {
    "/positions": {
        "get": {
            "operationId": "listPositions",
            "summary": "List positions",
            "parameters": [PAGE],
            "responses": {
                "200": _json(_list_of("#/components/schemas/Position", "positions"), "Positions."),
                **_errors(400, 401, 429),
            },
        }
    },
    "/positions/{position_id}/candidates": {
        "parameters": [_id("position_id", "The position's id.")],
        "get": {
            "operationId": "listCandidates",
            "summary": "List a position's candidates",
            "parameters": [PAGE],
            "responses": {
                "200": _json(_list_of(PERSON, "candidates"), "Candidates."),
                **_errors(400, 401, 404, 429),
            },
        },
        "post": {
            "operationId": "createCandidates",
            "summary": "Add candidates to a position (all or none; write scope)",
            "requestBody": _body(NEW_CANDIDATES),
            "responses": {
                "201": _json(
                    _object({"candidates": {"type": "array", "items": {"$ref": PERSON}}}),
                    "Added, as the token may see them (codes on a blind position).",
                ),
                **_errors(400, 401, 403, 404, 409, 422, 429),
            },
        },
    },
    "/candidates/{candidate_id}": {
        "parameters": [_id("candidate_id", "The candidate's id.")],
        "get": {
            "operationId": "getCandidate",
            "summary": "A candidate's status, scores and standing decision",
            "responses": {
                "200": _json({"$ref": "#/components/schemas/CandidateStatus"}, "The candidate."),
                **_errors(401, 404, 429),
            },
        },
    },
    "/candidates/{candidate_id}/invites": {
        "parameters": [_id("candidate_id", "The candidate's id.")],
        "post": {
            "operationId": "createInvite",
            "summary": "Create a self-assessment invite and return its link (write scope)",
            "description": "The link is returned only here: only its hash is stored. A new "
            "invite replaces the candidate's previous link and keeps their answers.",
            "requestBody": _body(
                _object({"days": {"type": "integer", "minimum": 1, "maximum": 90}}, [])
            ),
            "responses": {
                "201": _json(INVITE, "The invite link."),
                **_errors(400, 401, 403, 404, 422, 429),
            },
        },
    },
    "/candidates/{candidate_id}/scorecard.pdf": {
        "parameters": [_id("candidate_id", "The candidate's id.")],
        "get": {
            "operationId": "getScorecardPdf",
            "summary": "The candidate's scorecard as PDF",
            "parameters": [PAPER],
            "responses": {
                "200": {
                    "description": "The PDF.",
                    "content": {"application/pdf": {"schema": {"type": "string"}}},
                },
                **_errors(400, 401, 403, 404, 429),
            },
        },
    },
    "/openapi.json": {
        "get": {
            "operationId": "getOpenApi",
            "summary": "This document",
            "security": [],
            "responses": {"200": _json({"type": "object"}, "The OpenAPI document.")},
        }
    },
}


def openapi_document(base_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Hiring assessment API",
            "version": "1.0.0",
            "description": "Positions, candidates, invites, scores and scorecards for the "
            "systems around the app. A token acts for the admin who made it (or, made with "
            "`flask api-token create`, as an admin on no panel): blind positions give "
            "candidate codes, and a candidate whose evidence is sealed for that admin "
            "gives no scores or decision.",
        },
        "servers": [{"url": base_url.rstrip("/") + "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from the Integrations page or "
                    "`flask --app app api-token create --scope read|write --name NAME`.",
                }
            },
        },
    }
