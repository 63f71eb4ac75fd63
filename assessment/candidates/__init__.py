"""The candidate page: evidence and scores, as far as the viewer may see them."""
