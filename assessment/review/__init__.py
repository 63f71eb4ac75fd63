"""HR review of a position's candidates: people's decisions, blind review, side by side."""
