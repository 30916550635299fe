"""The rating component of the Designers Italia model ("Quanto sono chiare le informazioni su questa pagina?").

Pure: the questions, the fixed answers and which follow-up a number of stars leads to. The wording is the model's
(AgID's validator checks it, criterion C.SI.2.6), so the Italian texts are the reference and are translated only
for display in the other languages.
"""

from django.utils.translation import gettext_lazy as _

TITLE = _("Quanto sono chiare le informazioni su questa pagina?")
POSITIVE_QUESTION = _("Quali sono stati gli aspetti che hai preferito?")
NEGATIVE_QUESTION = _("Dove hai incontrato le maggiori difficoltà?")
POSITIVE_THRESHOLD = 3  # more than 3 stars is a positive rating
COMMENT_MAX_LENGTH = 200

POSITIVE_ANSWERS = (
    ("clear", _("Le indicazioni erano chiare")),
    ("complete", _("Le indicazioni erano complete")),
    ("progress", _("Capivo sempre che stavo procedendo correttamente")),
    ("no_problems", _("Non ho avuto problemi tecnici")),
    ("other", _("Altro")),
)
NEGATIVE_ANSWERS = (
    ("unclear", _("A volte le indicazioni non erano chiare")),
    ("incomplete", _("A volte le indicazioni non erano complete")),
    ("lost", _("A volte non capivo se stavo procedendo correttamente")),
    ("technical", _("Ho avuto problemi tecnici")),
    ("other", _("Altro")),
)
ALL_ANSWERS = dict(POSITIVE_ANSWERS) | {k: v for k, v in NEGATIVE_ANSWERS if k != "other"}


def is_positive(stars: int) -> bool:
    return stars > POSITIVE_THRESHOLD


def answers_for(stars: int) -> tuple:
    """The follow-up answers offered after ``stars`` (1-5)."""
    if not 1 <= stars <= 5:
        raise ValueError("stars must be 1 to 5")
    return POSITIVE_ANSWERS if is_positive(stars) else NEGATIVE_ANSWERS


def answer_allowed(stars: int, answer: str) -> bool:
    return answer in dict(answers_for(stars))
