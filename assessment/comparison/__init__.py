"""HR's comparison of a position's candidates: a summary row per candidate and the list."""
