"""The search page's form: every field optional, so what was typed always comes back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from forum.models import Category

from .types import MAX_QUERY_LENGTH, Order


class KnownChoiceField(forms.ChoiceField):
    """A value that is not among the choices (a category from an old link, an order typed
    into the address) means no choice: the search runs without it, and no error asks the
    member to correct what they never typed."""

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return value if self.valid_value(value) else ""


class SearchForm(forms.Form):
    # No max_length here: a query that is too long is explained (forum.search.parse_query)
    # and kept in the box, not cut.
    q = forms.CharField(label="Search for", required=False, strip=False)
    category = KnownChoiceField(label="Category", required=False)
    author = forms.CharField(label="Written by (username)", required=False, max_length=150)
    order = KnownChoiceField(
        label="Order",
        required=False,
        choices=[(Order.RELEVANCE.value, "Best match first"), (Order.NEWEST.value, "Newest first")],
    )

    def __init__(self, *args: Any, categories: Iterable[Category] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "All categories"), *((c.slug, c.name) for c in categories)]
        self.fields["category"].choices = choices  # type: ignore[attr-defined]
        # The input type is the widget's own: set as an attribute, it came out as a second
        # type="..." after type="text", which browsers ignore.
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update(
            {"autocomplete": "off", "maxlength": str(MAX_QUERY_LENGTH * 2)}
        )
