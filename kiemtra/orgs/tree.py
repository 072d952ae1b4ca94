"""Keeping the materialised paths right; used by the services and the loader only."""

from __future__ import annotations

from .models import OrgUnit


def path_for(unit: OrgUnit, parent: OrgUnit | None) -> str:
    return f"{parent.path if parent else '/'}{unit.pk}/"


def refresh_subtree(unit: OrgUnit) -> int:
    """Recompute path and depth of ``unit`` (already saved with its new parent) and below."""
    parent = unit.parent
    old_prefix = unit.path
    unit.path = path_for(unit, parent)
    unit.depth = (parent.depth + 1) if parent else 0
    unit.save(update_fields=["path", "depth"])
    if not old_prefix:
        return 1
    descendants = list(OrgUnit.objects.filter(path__startswith=old_prefix).exclude(pk=unit.pk))
    for d in descendants:
        d.path = unit.path + d.path[len(old_prefix) :]
        d.depth = d.path.count("/") - 2
    OrgUnit.objects.bulk_update(descendants, ["path", "depth"], batch_size=500)
    return 1 + len(descendants)
