"""The error summary shown at the top of a form that was refused (templates/includes/error_summary.html)."""

from django import forms, template

register = template.Library()


def field_anchor(bound_field) -> str:
    """The id the summary links to: the field's input, or the first option of a list of radios or checkboxes."""
    widget = bound_field.field.widget
    id_ = widget.attrs.get("id") or bound_field.auto_id
    if not id_:
        return ""
    if isinstance(widget, forms.widgets.ChoiceWidget):
        return widget.id_for_label(id_, "0")
    return widget.id_for_label(id_)


def summary_errors(*forms_or_formsets) -> list[dict]:
    """Every error of the forms (and formsets), in page order: {"message", "anchor"}; anchor "" when the error
    belongs to no visible field."""
    errors: list[dict] = []
    for item in forms_or_formsets:
        if item is None or not getattr(item, "is_bound", False):
            continue
        if isinstance(item, forms.BaseFormSet):
            errors += [{"message": message, "anchor": ""} for message in item.non_form_errors()]
            errors += summary_errors(*item.forms)
            continue
        errors += [{"message": message, "anchor": ""} for message in item.non_field_errors()]
        for bound_field in item:
            anchor = "" if bound_field.is_hidden else field_anchor(bound_field)
            errors += [{"message": message, "anchor": anchor} for message in bound_field.errors]
    return errors


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms_or_formsets, intro: str = "", css_class: str = ""):
    """{% error_summary form formset %}: the "There is a problem" box, nothing when all is well. `intro`: a
    sentence under the heading; `css_class`: added to the box (the Wagtail admin's own classes)."""
    return {"errors": summary_errors(*forms_or_formsets), "intro": intro, "css_class": css_class}
