"""Reporting: the notebook runner and its HTML report, the CSV tables, reproducible notebooks, widgets."""
