from django import template

from sportello.catalog import ratings

register = template.Library()


@register.inclusion_tag("portal/includes/rating.html", takes_context=True)
def rating_component(context, page: str, service=None):
    """The model's rating component ("Quanto sono chiare le informazioni su questa pagina?") for ``page``."""
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "municipality": context.get("municipality"),
        "page": page,
        "service": service,
        "title": ratings.TITLE,
        "positive_question": ratings.POSITIVE_QUESTION,
        "negative_question": ratings.NEGATIVE_QUESTION,
        "positive_answers": ratings.POSITIVE_ANSWERS,
        "negative_answers": ratings.NEGATIVE_ANSWERS,
        "comment_max": ratings.COMMENT_MAX_LENGTH,
        "next": request.get_full_path(),
    }
