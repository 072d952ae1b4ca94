"""Services announce what happened; channels (in-app, e-mail) deliver it after the commit.

A service calls ``announce`` inside its transaction; nothing is delivered unless
the transaction commits (``transaction.on_commit``). Delivery channels are
registered by the app that owns them (the notifications app registers the
in-app centre and e-mail), so a feature app depends only on the kernel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Announcement:
    """What a recipient is told: ``kind`` is stable (``"stats.report.returned"``), ``title`` Vietnamese."""

    kind: str
    recipient_ids: tuple[int, ...]
    title: str
    url: str = ""
    body: str = ""
    unit_id: int | None = None


Channel = Callable[[Announcement], None]

_channels: dict[str, Channel] = {}


def register_channel(name: str, channel: Channel) -> None:
    _channels[name] = channel


def announce(
    kind: str,
    recipients: Iterable[Any],
    title: Any,
    *,
    url: str = "",
    body: Any = "",
    unit: Any = None,
) -> None:
    """Tell these people (users or user ids) once the current transaction commits."""
    ids = tuple(sorted({int(getattr(r, "pk", r)) for r in recipients if r is not None}))
    if not ids:
        return
    item = Announcement(
        kind=kind,
        recipient_ids=ids,
        title=str(title),
        url=url,
        body=str(body),
        unit_id=getattr(unit, "pk", unit),
    )
    transaction.on_commit(lambda: deliver(item))


def deliver(item: Announcement) -> None:
    """Every channel gets its chance: a mail server that is down must not cost the in-app notice."""
    for name, channel in list(_channels.items()):
        try:
            channel(item)
        except Exception:  # the change is committed already; a failed delivery is logged, not raised
            log.exception("announcement %s not delivered by channel %s", item.kind, name)
