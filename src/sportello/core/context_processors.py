from django.conf import settings

from sportello.accounts.roles import staff_role

from .urlutils import path_in_language

LANGUAGE_SHORT = {"it": "ITA", "en": "ENG", "de": "DEU"}


def sportello(request):
    municipality = getattr(request, "municipality", None)
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    names = dict(settings.LANGUAGES)
    if municipality is not None:
        codes = [code for code in municipality.languages if code in names]
        language_links = [(code, path_in_language(request.path, code)) for code in codes]
    else:
        language_links = (
            [(code, f"{request.path}?lang={code}") for code in names] if request.path == "/" else []
        )
    user = getattr(request, "user", None)
    return {
        "municipality": municipality,
        "platform_name": settings.PLATFORM_NAME,
        "language_links": [
            {
                "code": code,
                "name": names[code],
                "short": LANGUAGE_SHORT.get(code, code.upper()),
                "url": url,
                "current": code == current,
            }
            for code, url in language_links
        ],
        "current_language_short": LANGUAGE_SHORT.get(current, current.upper()),
        "staff_role": staff_role(user, municipality) if user is not None else None,
    }
