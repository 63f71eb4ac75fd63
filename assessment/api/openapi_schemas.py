"""The OpenAPI document's component schemas: what the API's answers and bodies hold."""

from __future__ import annotations

from typing import Any

NULLABLE_NUMBER = {"type": ["number", "null"]}
SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {"type": "string"},
            "message": {"type": "string"},
            "problems": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["index", "reason"],
                    "properties": {"index": {"type": "integer"}, "reason": {"type": "string"}},
                },
            },
        },
    },
    "Position": {
        "type": "object",
        "required": ["id", "title", "kit", "blind", "archived", "candidates", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "kit": {"type": "string", "description": "The interview kit's id."},
            "blind": {"type": "boolean", "description": "Under blind review."},
            "archived": {"type": "boolean"},
            "candidates": {"type": "integer", "description": "How many candidates it has."},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
    "Person": {
        "type": "object",
        "description": "A candidate as the token may see them: on a blind position, the "
        "code (Candidate 318204) as name, and no e-mail or external id.",
        "required": ["id", "position_id", "name", "email", "external_id", "blind"],
        "properties": {
            "id": {"type": "integer"},
            "position_id": {"type": "integer"},
            "name": {"type": "string"},
            "email": {"type": ["string", "null"]},
            "external_id": {"type": ["string", "null"]},
            "blind": {"type": "boolean"},
        },
    },
    "NewCandidate": {
        "type": "object",
        "required": ["name", "email"],
        "properties": {
            "name": {"type": "string", "maxLength": 200},
            "email": {"type": "string", "format": "email", "maxLength": 254},
            "external_id": {"type": ["string", "null"], "maxLength": 100},
        },
    },
    "Scores": {
        "type": "object",
        "required": ["overall", "competencies", "flags"],
        "properties": {
            "overall": {
                "type": "object",
                "required": ["score", "band", "label", "reason"],
                "properties": {
                    "score": NULLABLE_NUMBER,
                    "band": {
                        "type": ["array", "null"],
                        "items": {"type": "number"},
                        "minItems": 2,
                        "maxItems": 2,
                        "description": "The 95 % confidence band.",
                    },
                    "label": {"type": ["string", "null"]},
                    "reason": {"type": ["string", "null"], "description": "Why no score."},
                },
            },
            "competencies": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name", "weight", "interview", "scenario", "self"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "weight": {"type": "number"},
                        "interview": NULLABLE_NUMBER,
                        "scenario": NULLABLE_NUMBER,
                        "self": NULLABLE_NUMBER,
                    },
                },
            },
            "flags": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    },
    "CandidateStatus": {
        "allOf": [
            {"$ref": "#/components/schemas/Person"},
            {
                "type": "object",
                "required": ["status", "sealed", "scores", "decision"],
                "properties": {
                    "status": {
                        "type": "object",
                        "required": [
                            "interviews_planned",
                            "interviews_submitted",
                            "self_assessment",
                        ],
                        "properties": {
                            "interviews_planned": {"type": "integer"},
                            "interviews_submitted": {"type": "integer"},
                            "self_assessment": {
                                "type": ["string", "null"],
                                "enum": ["invited", "in_progress", "submitted", None],
                            },
                        },
                    },
                    "sealed": {
                        "type": "boolean",
                        "description": "True while the token's admin has an open interview "
                        "of this candidate: scores and decision are then null.",
                    },
                    "scores": {
                        "oneOf": [{"$ref": "#/components/schemas/Scores"}, {"type": "null"}]
                    },
                    "decision": {
                        "oneOf": [
                            {
                                "type": "object",
                                "required": ["decision", "band", "decided_at"],
                                "properties": {
                                    "decision": {"enum": ["advance", "hold", "decline"]},
                                    "band": {"type": ["string", "null"]},
                                    "decided_at": {"type": "string", "format": "date-time"},
                                },
                            },
                            {"type": "null"},
                        ]
                    },
                },
            },
        ]
    },
}
