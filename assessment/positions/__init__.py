"""Positions, candidates and panels: what HR sets up."""
