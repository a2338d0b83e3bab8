"""What every report shows beyond a check's words: the checks table's rows (rows.py), the
failing runs grouped by cause (causes.py), each failing run's evidence (evidence.py), and the
one sentence that says why the gate failed (why.py)."""
