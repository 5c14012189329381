from django.utils.functional import SimpleLazyObject

from .selectors import current_guidelines


def guidelines(request) -> dict:
    # Lazy: a page that never shows the banner pays nothing; one that does, one cache read.
    return {"current_guidelines": SimpleLazyObject(current_guidelines)}
