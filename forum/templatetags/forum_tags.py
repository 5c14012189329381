from django import template

from forum import permissions

register = template.Library()


@register.simple_tag
def can_edit_post(user, post) -> bool:
    return permissions.can_edit_post(user, post)


@register.simple_tag
def can_delete_post(user, post) -> bool:
    return permissions.can_delete_post(user, post)


@register.simple_tag
def can_react(user, post) -> bool:
    return permissions.can_react(user, post)
