"""The JSON API (/api/v1/) for applicant tracking systems: bearer tokens, views, OpenAPI."""
