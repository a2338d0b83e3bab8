"""The defaults the flags' help names and the settings fall back on."""

from __future__ import annotations

from pathlib import Path

DEFAULT_API_URL = "https://api.cekura.ai"
#: where the config is looked for when --config is not set; both at once is a usage error
DEFAULT_CONFIGS = (Path(".cekura/gate.yml"), Path(".cekura/gate.yaml"))
