"""`cekura-gate demo`: the whole check flow against the built-in simulator on 127.0.0.1.

It starts a run for a simulated agent, waits for it with visible progress, evaluates it
against the sample config and prints the report. No API key, no network.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TextIO

import msgspec

from gate.check import run_check
from gate.publish import formats
from gate.settings import Settings
from gate.simulator.catalogue import SCENARIOS
from gate.simulator.server import Simulator

DEMO_KEY = "demo-key-not-a-secret"
#: simulated agents: 1 is healthy, 2 has regressed (see gate.simulator.payloads.DEMO_AGENTS)
DEMO_AGENT = {"pass": "1", "fail": "2"}
PROGRESS_SECONDS = 4.0


def sample_config() -> Path:
    """examples/gate.yml, shipped inside the package (gate/examples/gate.yml links to it)."""
    return Path(str(resources.files("gate").joinpath("examples/gate.yml")))


def run_demo(settings: Settings, *, out: TextIO, err: TextIO) -> int:
    with Simulator(api_key=DEMO_KEY, progress_seconds=PROGRESS_SECONDS) as sim:
        # A log line: on stderr whenever standard output carries a report of its own.
        shown = formats.choose(
            settings.output_format,
            actions=settings.github.actions,
            terminal=formats.is_terminal(out),
            stdout_taken="-" in (settings.report_json, settings.junit_xml),
        )
        log = (
            out
            if shown == "markdown" and "-" not in (settings.report_json, settings.junit_xml)
            else err
        )
        log.write(f"Simulated Cekura API at {sim.url} (no network, no real calls)\n")
        demo = msgspec.structs.replace(
            settings,
            command="check",
            agent_id=DEMO_AGENT[settings.demo_scenario],
            scenarios=tuple(s.id for s in SCENARIOS),
            frequency=2,
            api_url=sim.url,
            api_key=DEMO_KEY,
            timeout=60.0,
            # each status lasts 1 s; queued, the gate waits three intervals: at 0.25 s
            # the progress still shows every status
            poll_interval=0.25,
            config=settings.config or str(sample_config()),
        )
        return run_check(demo, out=out, err=err)
