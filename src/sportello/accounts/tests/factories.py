import factory

from sportello.accounts.models import Membership, Role, User
from sportello.municipalities.tests.factories import MunicipalityFactory

TEST_PASSWORD = "Una-Password-Sicura-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utente-{n}")
    first_name = "Mario"
    last_name = factory.Sequence(lambda n: f"Rossi{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = Role.OPERATOR


def give_privacy_consent(user, municipality=None):
    """The citizen accepted the current privacy terms of ``municipality`` (default: every one there is)."""
    from django.conf import settings
    from django.utils import timezone

    from sportello.accounts.models import PrivacyConsent
    from sportello.municipalities.models import Municipality

    for town in [municipality] if municipality else Municipality.objects.all():
        PrivacyConsent.objects.get_or_create(
            user=user,
            municipality=town,
            version=settings.PRIVACY_TERMS_VERSION,
            defaults={"accepted_at": timezone.now()},
        )
