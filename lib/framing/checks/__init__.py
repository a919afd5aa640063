"""Checking the measures: agreement with hand coding, cross-validation, the NYT sentiment benchmark."""
