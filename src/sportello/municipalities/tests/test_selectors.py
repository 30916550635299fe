"""municipality_resolve: the tenant middleware's one query, and the per-process copy it keeps under the token."""

from sportello.core.pagecache import version_bump
from sportello.municipalities.models import Municipality
from sportello.municipalities.selectors import municipality_resolve


def test_a_remembered_municipality_costs_one_query_and_is_a_new_instance_each_time(
    mori, django_assert_num_queries
):
    municipality_resolve(slug="comune-di-mori")  # read from the database, then remembered
    first, version = municipality_resolve(slug="comune-di-mori")
    first.name = "Cambiato da una richiesta"
    first.languages.append("xx")
    with django_assert_num_queries(1):
        second, same_version = municipality_resolve(slug="comune-di-mori")
    assert (second.pk, second.name, same_version) == (mori.pk, "Comune di Mori", version)
    assert "xx" not in second.languages
    assert second is not first


def test_a_change_made_by_another_node_is_seen_through_the_version_token(mori):
    municipality_resolve(slug="comune-di-mori")
    # another node's save: the row and the token change in its transaction; no signal runs in this process
    Municipality.objects.filter(pk=mori.pk).update(phone="0464 123456")
    version = version_bump(mori.pk)
    municipality, seen = municipality_resolve(slug="comune-di-mori")
    assert (municipality.phone, seen) == ("0464 123456", version)


def test_an_inactive_or_unknown_municipality_is_not_resolved(mori):
    municipality_resolve(slug="comune-di-mori")
    mori.is_active = False
    mori.save()
    assert municipality_resolve(slug="comune-di-mori") == (None, None)
    assert municipality_resolve(slug="comune-di-nessuno") == (None, None)


def test_a_municipality_without_a_token_gets_a_new_one(mori):
    from sportello.core.models import PageCacheVersion

    PageCacheVersion.objects.filter(municipality_id=mori.pk).delete()
    municipality, version = municipality_resolve(slug="comune-di-mori")
    assert municipality.pk == mori.pk
    assert PageCacheVersion.objects.get(municipality_id=mori.pk).version == version
