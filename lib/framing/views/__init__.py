"""Drawing: one figure style, the notebooks' figures (one call each), views for many sources."""
