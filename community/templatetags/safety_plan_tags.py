from django import template

from community.models import SafetyPlan

register = template.Library()


@register.simple_tag(takes_context=True)
def own_safety_plan(context: template.Context) -> SafetyPlan | None:
    """The viewer's own safety plan, if they wrote one: never anybody else's."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return None
    return SafetyPlan.objects.owned_by(user).first()
