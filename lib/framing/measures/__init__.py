"""Measuring: distinctive terms, shared passages, topics, sentiment, negation, frames (rules and the
learned coder), the quality checklist, the fact check, and the per-source comparisons."""
