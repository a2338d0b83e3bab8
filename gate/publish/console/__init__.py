"""The report a person reads in a terminal: aligned plain-text tables (terminal.py)."""
