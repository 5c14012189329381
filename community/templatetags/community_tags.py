from django import template

from accounts.regions import region_of
from community.models import CrisisResource

register = template.Library()


@register.simple_tag(takes_context=True)
def crisis_resources(context: template.Context) -> list[CrisisResource]:
    """The crisis resources for the reader's region and everywhere (the crisis panel)."""
    request = context.get("request")
    region = region_of(request) if request is not None else ""
    return CrisisResource.objects.nearest(region)
