"""cekura-gate: a CI quality gate for voice agents tested on Cekura."""

__version__ = "0.1.0"
