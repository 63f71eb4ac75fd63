"""The candidate self-assessment: invites, the candidate pages, answers."""
