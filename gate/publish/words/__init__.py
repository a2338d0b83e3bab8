"""How the verdict reads in words, for every surface: numbers (fmt.py), untrusted text made
inert (escape.py), each check's threshold, value and sentence (wording.py, details.py), why the
judge stopped (stops.py), what reading the result decided (notes.py), the comparison with a
baseline (display.py), times (times.py), a dry run's plan (plan.py) and advice on a valid
config (config_advice.py)."""
