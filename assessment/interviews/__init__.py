"""Interviews: my interviews, the interviewer screen, autosave, submit, debrief, reopen."""
