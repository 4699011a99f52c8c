"""Command-line helpers used by run.py and the tests (not needed by readers)."""
