"""What a case's page shows of the files and records it is linked to: the discipline decision its conclusion
decided (read through the discipline module's own function), and the file a follow-up inspection follows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from kiemtra.accounts import policies as account_policies

from .models import CaseFile
from .services.followup import case_ref


@dataclass(frozen=True)
class DisciplineLink:
    number: str
    issued_on: Any
    penalty: str
    state: str
    url: str  # the decision's page, when it is published and this user may search the database; else ""


def discipline_of(user: Any, case: CaseFile) -> list[DisciplineLink]:
    from kiemtra.discipline.choices import DecisionState
    from kiemtra.discipline.services.from_cases import decisions_of_case

    out = []
    for d in decisions_of_case(case_ref(case)):
        visible = d.state == DecisionState.PUBLISHED and account_policies.can(user, "discipline.view", d.unit)
        out.append(
            DisciplineLink(
                number=d.number,
                issued_on=d.issued_on,
                penalty=str(d.get_penalty_display()),
                state=str(d.get_state_display()),
                url=reverse("discipline:decision", args=[d.pk]) if visible else "",
            )
        )
    return out


def followed_case(case: CaseFile) -> CaseFile | None:
    """The file whose conclusion this follow-up inspection checks."""
    if case.follows_up_id is None:
        return None
    return CaseFile.objects.filter(conclusion__pk=case.follows_up_id).first()
