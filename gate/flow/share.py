"""The share-link output: a link to the result anyone can open until it expires."""

from __future__ import annotations

from typing import Any

from gate.errors import GateError
from gate.settings import Settings
from gate.source.client import CekuraClient
from gate.source.share import create_share_link


def share_link(settings: Settings, result_id: str, *, log: Any, sleep: Any, cancel: Any) -> None:
    """The share-link output: a link to the result anyone can open until it expires. A
    failure is a warning: the verdict stands without it."""
    client = CekuraClient(
        base_url=settings.api_url,
        api_key=settings.api_key,
        sleep=sleep,
        cancelled=cancel,
        secrets=(settings.api_key, settings.github.token),
    )
    try:
        link, expires = create_share_link(client, result_id, seconds=settings.share_link)
    except GateError as exc:
        log.warn(
            f"could not create a share link for result {result_id}: {exc.message} The verdict "
            "is not affected; share the result from the Cekura dashboard instead."
        )
        return
    log.outputs({"share-link": link})
    log.info(
        f"Share link for result {result_id}, valid until {expires} (anyone with it can read "
        f"the transcripts): {link}"
    )
