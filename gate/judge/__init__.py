"""Result + Policy -> Verdict: check kinds, aggregates, statistics, the regression comparison."""
