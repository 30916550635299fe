import copy

from django.db import connections
from django.db.models import Q, QuerySet

from sportello.core.pagecache import PageCacheVersion, version_bump

from .models import Municipality

# slug -> (pk, version token, the row's field values): the municipalities this process has resolved, each valid
# while its page version token is the current one (see municipality_resolve).
_RESOLVED: dict[str, tuple[int, str, tuple]] = {}
_FIELDS = [field.attname for field in Municipality._meta.concrete_fields]
_RESOLVE_SQL = (
    f"SELECT m.id, v.version FROM {Municipality._meta.db_table} m "  # noqa: S608
    f"LEFT JOIN {PageCacheVersion._meta.db_table} v ON v.municipality_id = m.id "
    "WHERE m.slug = %s AND m.is_active"
)


def municipality_get_active(*, slug: str) -> Municipality | None:
    return Municipality.objects.active().filter(slug=slug).first()


def municipality_resolve(*, slug: str) -> tuple[Municipality | None, str | None]:
    """The active municipality of ``slug`` and its page version token (``core.pagecache``), in one query.

    The token is replaced inside the transaction of every change to the municipality (``version_bump``, from the
    receivers in ``municipalities/receivers.py``), and it lives in the database, so every process and node sees a
    change at once. The municipality's row is therefore remembered per process under its token: while the token
    read now is the one it was remembered with, the row has not changed, and only the token is read (one plain
    query, no ORM). Each call returns a new instance (a copy of the values), so nothing a request sets on it is
    seen by another. The token is read first: a row read after it is at least as new, never older.
    """
    using = Municipality.objects.db
    with connections[using].cursor() as cursor:
        cursor.execute(_RESOLVE_SQL, [slug])
        row = cursor.fetchone()
    if row is None:
        return None, None
    pk, version = row
    if version is None:  # first use (or the database was restored): a new token, never an old one
        version = version_bump(pk)
    remembered = _RESOLVED.get(slug)
    if remembered is not None and remembered[:2] == (pk, version):
        values = tuple(copy.deepcopy(v) if isinstance(v, list | dict) else v for v in remembered[2])
    else:
        values = Municipality.objects.filter(pk=pk).values_list(*_FIELDS).first()
        if values is None:  # deleted since the first query
            return None, None
        _RESOLVED[slug] = (pk, version, copy.deepcopy(values))
    return Municipality.from_db(using, _FIELDS, values), version


def municipality_search(*, query: str = "") -> QuerySet[Municipality]:
    """Active municipalities, alphabetical, optionally matching ``query`` on name, slug or IPA code."""
    municipalities = (
        Municipality.objects.active().only("name", "slug", "address", "logo", "languages").order_by("name")
    )
    query = (query or "").strip()
    if query:
        municipalities = municipalities.filter(
            Q(name__icontains=query) | Q(slug__icontains=query) | Q(ipa_code__iexact=query)
        )
    return municipalities
