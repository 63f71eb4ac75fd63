"""Candidates' personal data: access requests, erasure, retention, consent and backups."""
