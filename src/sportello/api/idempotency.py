"""``Idempotency-Key`` on the API's POSTs that create things (a booking on behalf, a message, a room booking's
action): a client that retries after a timeout gets the first answer again and nothing is created twice.

The rule and its transaction are ``integrations.services.idempotent_request``; this decorator reads the header,
fingerprints the request and turns a reused key into a 422 problem.
"""

import functools
import json
import re

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from sportello.integrations.models import ApiToken
from sportello.integrations.services import (
    IdempotencyKeyReused,
    idempotency_fingerprint,
    idempotent_request,
)

from .problems import problem

HEADER = "Idempotency-Key"
KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as the IETF draft's examples (a UUID is typical)

PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Una chiave scelta dal client (ad esempio un UUID, al massimo 255 caratteri) per ripetere la "
    "richiesta senza effetti doppi: la stessa chiave con la stessa richiesta restituisce la risposta già data e "
    "non crea nulla; con una richiesta diversa dà 422.",
)


def idempotent(handler):
    """Decorate an ``ApiView`` POST handler (after the permission checks, which DRF runs first)."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        if not KEY.match(key):
            raise exceptions.ParseError(
                _("L'intestazione Idempotency-Key deve avere da 1 a 255 caratteri ASCII visibili.")
            )
        fingerprint = idempotency_fingerprint(method=request.method, path=request.path, body=request.data)

        refused = None  # an error answer: returned as it is, and nothing stored

        def perform():
            nonlocal refused
            response = handler(view, request, *args, **kwargs)
            if isinstance(response, Response) and 200 <= response.status_code < 300:
                return response.status_code, json.loads(JSONRenderer().render(response.data))
            refused = response
            return response.status_code, None

        try:
            outcome = idempotent_request(
                municipality=request._request.municipality,
                key=key,
                fingerprint=fingerprint,
                token=request.auth if isinstance(request.auth, ApiToken) else None,
                perform=perform,
            )
        except IdempotencyKeyReused:
            return problem(
                status.HTTP_422_UNPROCESSABLE_ENTITY,
                _("Questa Idempotency-Key è già stata usata per una richiesta diversa."),
                instance=request.path,
            )
        if refused is not None:
            return refused
        response = Response(outcome.response, status=outcome.status_code)
        if outcome.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    return wrapper
