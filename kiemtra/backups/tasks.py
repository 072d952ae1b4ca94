"""Scheduled backups. Placeholder until the backups module lands; see kiemtra/backups/services.py."""

from __future__ import annotations


def backup_if_due() -> None:
    return None
