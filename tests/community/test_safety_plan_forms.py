"""The safety plan form: every section optional, long text refused kindly and kept."""

from __future__ import annotations

from community.models import SafetyPlan
from community.safety_plan_forms import PROMPTS, SECTION_MAX, SafetyPlanForm


def test_every_section_has_a_label_and_a_prompt_and_may_stay_empty():
    form = SafetyPlanForm(data={})
    assert form.is_valid()
    assert [name for name in form.fields] == [field for field, _ in SafetyPlan.SECTIONS]
    for field, heading in SafetyPlan.SECTIONS:
        assert form.fields[field].label == heading
        assert form.fields[field].help_text == PROMPTS[field]
        assert not form.fields[field].required


def test_too_long_a_section_is_refused_with_a_kind_message_and_the_text_kept():
    long_text = "x" * (SECTION_MAX + 1)
    form = SafetyPlanForm(data={"reasons_for_living": long_text})
    assert not form.is_valid()
    assert "Could you keep the words that help most?" in form.errors["reasons_for_living"][0]
    assert form["reasons_for_living"].value() == long_text
    # No maxlength attribute: the browser would cut pasted text without a word.
    assert "maxlength" not in str(form["reasons_for_living"])
