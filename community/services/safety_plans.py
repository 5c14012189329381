"""Keeping a member's own safety plan."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.views.decorators.debug import sensitive_variables

from accounts.models import User
from community.models import SafetyPlan


# The plan's words never reach an error report: Django's reporter hides every local of this
# function and of everything it calls (the ORM's frames included).
@sensitive_variables()
@transaction.atomic
def save_safety_plan(*, owner: User, sections: Mapping[str, str]) -> SafetyPlan | None:
    """`owner`'s plan holds `sections`; a plan left with nothing written in it is removed."""
    fields = [field for field, _ in SafetyPlan.SECTIONS]
    unknown = set(sections) - set(fields)
    if unknown:
        raise ValueError(f"Not a safety plan section: {sorted(unknown)}")
    values = {field: sections.get(field, "").strip() for field in fields}
    if not any(values.values()):
        SafetyPlan.objects.filter(owner=owner).delete()
        return None
    plan, _ = SafetyPlan.objects.update_or_create(owner=owner, defaults=values)
    # Nothing else happens: no notification, no email, no log line, no task. The plan is theirs.
    return plan
