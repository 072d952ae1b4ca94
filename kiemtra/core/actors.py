"""Who acts when no signed-in person does: a command run on the server, a scheduled job.

A ``SystemActor`` has no account and no grants; the audit names it (its ``str``).
Services that accept one say so: only work started on the server itself (a
management command, whose operator already holds the machine) may use it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SystemActor:
    name: str
    pk: None = None
    is_authenticated: bool = False
    is_active: bool = False

    def __str__(self) -> str:
        return self.name
