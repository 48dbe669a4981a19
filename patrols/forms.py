"""The template editor's form: the name, whether it is in use, and the items as rows a page can add to, move and
remove from before anything is saved (patrols.services.template_update saves them)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from patrols import services
from patrols.models import Category, PatrolTemplate

PREFIX = "items"


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Template name"), max_length=services.NAME_MAX)
    is_active = forms.BooleanField(label=_("In use"), required=False)


class ItemForm(forms.Form):
    id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    text = forms.CharField(label=_("Item"), max_length=services.TEXT_MAX)
    standard = forms.CharField(label=_("Standard"), max_length=services.STANDARD_MAX, required=False)
    points = forms.IntegerField(label=_("Points"), min_value=1, max_value=services.MAX_POINTS)
    names_staff = forms.BooleanField(label=_("Names the staff member"), required=False)


ItemFormSet = forms.formset_factory(
    ItemForm, extra=0, max_num=services.MAX_ITEMS, absolute_max=services.MAX_ITEMS, validate_max=True
)
NEW_ROW = {"category": Category.ENVIRONMENT, "text": "", "standard": "", "points": 5, "names_staff": False}


def editor(template: PatrolTemplate | None) -> tuple[TemplateForm, forms.BaseFormSet]:
    """The forms for a template as it is saved, or for a new one with one empty row."""
    if template is None:
        return TemplateForm(initial={"is_active": True}), rows_formset([NEW_ROW])
    rows = [
        {"id": item.pk, **{field: getattr(item, field) for field in services.ITEM_CONTENT}}
        for item in template.current_items()
    ]
    return TemplateForm(initial={"name": template.name, "is_active": template.is_active}), rows_formset(rows)


def rows_formset(rows: list[dict]) -> forms.BaseFormSet:
    return ItemFormSet(initial=rows, prefix=PREFIX)


def posted_rows(formset: forms.BaseFormSet) -> list[dict]:
    """The rows as they were posted, valid or not, to show them again."""
    return [{name: form[name].value() for name in form.fields} for form in formset.forms]


def rearranged(rows: list[dict], op: str) -> list[dict]:
    """The rows after the step a row's button asks for: "add", "up-N", "down-N" or "remove-N" (N from 0)."""
    if op == "add":
        return [*rows, dict(NEW_ROW)] if len(rows) < services.MAX_ITEMS else rows
    action, _sep, number = op.partition("-")
    if not number.isdecimal() or int(number) >= len(rows):
        return rows
    index = int(number)
    rows = list(rows)
    if action == "remove":
        del rows[index]
    elif action == "up" and index > 0:
        rows[index - 1], rows[index] = rows[index], rows[index - 1]
    elif action == "down" and index < len(rows) - 1:
        rows[index], rows[index + 1] = rows[index + 1], rows[index]
    return rows
