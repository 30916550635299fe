from django.conf import settings


class LanguageConverter:
    """Matches one of the installation's languages (``it``, ``en``, ``de``)."""

    regex = "|".join(code for code, _name in settings.LANGUAGES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
