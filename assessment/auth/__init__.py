"""Accounts: first-run setup, login and logout."""
