"""Errors as ``application/problem+json`` (RFC 9457, formerly 7807), in the request's language (Italian first).

DRF's exceptions go through ``exception_handler``; what Django answers by itself under ``/api/`` (an unknown
path or municipality, an unhandled error) is rewritten by ``ApiMiddleware``.
"""

import json
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import exceptions, status

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
PROBLEM_JSON = "application/problem+json"


def _titles() -> dict[int, str]:
    return {
        400: _("Richiesta non valida"),
        401: _("Autenticazione necessaria"),
        403: _("Accesso negato"),
        404: _("Risorsa non trovata"),
        405: _("Metodo non consentito"),
        406: _("Formato della risposta non disponibile"),
        409: _("Operazione in conflitto con lo stato della risorsa"),
        413: _("Richiesta troppo grande"),
        415: _("Formato della richiesta non supportato"),
        422: _("Richiesta non elaborabile"),
        429: _("Troppe richieste"),
        500: _("Errore interno del server"),
        503: _("Servizio non disponibile"),
    }


def problem(
    status_code: int, detail: str = "", *, instance: str = "", errors=None, headers=None
) -> HttpResponse:
    body = {"type": "about:blank", "title": _titles().get(status_code, _("Errore")), "status": status_code}
    if detail:
        body["detail"] = str(detail)
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status_code, content_type=PROBLEM_JSON
    )
    response["Content-Language"] = translation.get_language()
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def validation_error(error: ValidationError) -> exceptions.ValidationError:
    """A domain service's ``ValidationError`` as the API's 400, field by field where the service named fields."""
    return exceptions.ValidationError(
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(key): [str(item) for item in (value if isinstance(value, list) else [value])]
            for key, value in detail.items()
        }
    return {"non_field_errors": [str(item) for item in (detail if isinstance(detail, list) else [detail])]}


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every API error as a problem."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # an unexpected error: ApiMiddleware answers 500
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            status.HTTP_400_BAD_REQUEST,
            _("Alcuni dati non sono validi."),
            instance=instance,
            errors=_flatten(exc.detail),
            headers=headers,
        )
    detail = exc.detail if not isinstance(exc.detail, (list, dict)) else _flatten(exc.detail)
    return problem(
        exc.status_code, detail if isinstance(detail, str) else "", instance=instance, headers=headers
    )


class ApiMiddleware:
    """Under ``/api/``: the language from Accept-Language (Italian by default) and problem bodies for every
    error Django produces outside DRF (unknown URL or municipality, unhandled exception)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(PROBLEM_JSON):
            headers = {key: response[key] for key in ("Retry-After", "Allow") if response.has_header(key)}
            return problem(response.status_code, instance=request.path, headers=headers)
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, Http404):
            return problem(404, instance=request.path)
        if isinstance(exception, PermissionDenied):
            return problem(403, instance=request.path)
        logger.exception("API error on %s", request.path)
        return problem(500, instance=request.path)
