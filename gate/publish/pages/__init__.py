"""The Markdown report: the job summary and the pull-request comment (markdown.py), laid out by
the page_* modules, with the chart of the success rate by scenario (chart.py)."""
