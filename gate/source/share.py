"""A shareable link to a result (`share-link`): anyone with it can open the result, transcripts
included, until it expires. Asked for once the result is known; a failure is the caller's to
report as a warning, never a verdict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gate.errors import ApiError

#: one quick request; a link is a convenience, not worth holding the job for
SHARE_REQUEST_TIMEOUT = 15.0


def create_share_link(
    client: object,
    result_id: str,
    *,
    seconds: float,
    now: datetime | None = None,
) -> tuple[str, str]:
    """(the link, when it expires as ISO 8601 UTC); ApiError when Cekura gave no link."""
    expires = (now or datetime.now(UTC)) + timedelta(seconds=seconds)
    expire_at = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    answer = client.create_share_link(  # type: ignore[attr-defined]
        result_id, expire_at=expire_at, timeout=SHARE_REQUEST_TIMEOUT
    )
    link = answer.get("shareable_link")
    if not isinstance(link, str) or not link.startswith("https://"):
        raise ApiError(
            f"Cekura answered the share-link request for result {result_id} without an https "
            f"link (shareable_link={link!r})."
        )
    return link, expire_at
