from django import template

register = template.Library()

INPUT_CLASS = {
    "select": "form-select",
    "checkbox": "form-check-input",
    "checkboxselectmultiple": "form-check-input",
    "radio": "form-check-input",
    "clearablefile": "form-control",
    "file": "form-control",
}


@register.simple_tag
def bi_widget(field):
    """Render a bound field's widget with Bootstrap Italia classes and ARIA links to its help and errors."""
    widget_type = field.widget_type
    css = INPUT_CLASS.get(widget_type, "form-control")
    if field.errors:
        css += " is-invalid"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-help")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.field.required and widget_type not in ("checkboxselectmultiple", "radio"):
        attrs["required"] = True
    return field.as_widget(attrs=attrs)


@register.simple_tag
def multiwidget_parts(field):
    """The inputs of a multi-part field (e.g. an address) with their own visible labels.

    Each input keeps the label its widget declares as ``aria-label``; the label becomes visible here.
    """
    css = "form-control is-invalid" if field.errors else "form-control"
    parts = []
    for sub in field.subwidgets:
        attrs = dict(sub.data["attrs"])
        label = attrs.pop("aria-label", "")
        attrs["class"] = css
        if field.field.required:
            attrs["required"] = True
        sub.data["attrs"] = attrs
        parts.append({"id": attrs.get("id", ""), "label": label, "html": sub.tag()})
    return parts
