"""Webhooks: events pushed to the URLs admins registered, signed, retried, listed."""
