"""The verdict for people and tools: Markdown, JSON, JUnit, GitHub outputs and annotations, the
pull-request comment."""
