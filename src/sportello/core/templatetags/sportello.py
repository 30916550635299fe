from django import template

from sportello.core.urlutils import tenant_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def murl(context, viewname: str, **kwargs) -> str:
    """``{% murl 'backoffice:dashboard' %}``: a URL of the current municipality in the current language."""
    municipality = kwargs.pop("municipality", None) or context["request"].municipality
    lang = kwargs.pop("lang", None)
    return tenant_reverse(viewname, municipality, lang=lang, **kwargs)


@register.filter(name="markdown")
def markdown_filter(text: str):
    from sportello.core.markdown import render_markdown

    return render_markdown(text)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""
