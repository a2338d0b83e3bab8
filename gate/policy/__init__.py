"""YAML config -> Policy: the model, safe YAML reading, the JSON Schema checks and wording."""
