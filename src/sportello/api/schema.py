"""The OpenAPI document, completed for the Italian interoperability guidelines (checked by Spectral in the
suite): ``info`` with x-summary, x-api-id, contact and terms; problem+json error responses with the rate-limit
headers; ``format`` on every number; servers relative to ``/api/v1``."""

from django.conf import settings

PROBLEM = {
    "type": "object",
    "description": "Problem Details (RFC 9457)",
    "properties": {
        "type": {"type": "string", "format": "uri-reference", "default": "about:blank"},
        "title": {"type": "string"},
        "status": {"type": "integer", "format": "int32", "minimum": 100, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string", "format": "uri-reference"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status"],
}
RATE_HEADERS = {
    "X-RateLimit-Limit": {"$ref": "#/components/headers/X-RateLimit-Limit"},
    "X-RateLimit-Remaining": {"$ref": "#/components/headers/X-RateLimit-Remaining"},
    "X-RateLimit-Reset": {"$ref": "#/components/headers/X-RateLimit-Reset"},
}
HEADERS = {
    "X-RateLimit-Limit": {
        "description": "Richieste consentite nella finestra corrente.",
        "schema": {"type": "integer", "format": "int32", "minimum": 0},
    },
    "X-RateLimit-Remaining": {
        "description": "Richieste ancora disponibili nella finestra corrente.",
        "schema": {"type": "integer", "format": "int32", "minimum": 0},
    },
    "X-RateLimit-Reset": {
        "description": "Secondi alla fine della finestra corrente.",
        "schema": {"type": "integer", "format": "int32", "minimum": 0},
    },
    "Cache-Control": {
        "description": "no-store per i dati personali; i dati pubblici possono restare in cache per poco.",
        "schema": {"type": "string"},
    },
    "Retry-After": {
        "description": "Secondi da attendere prima di riprovare.",
        "schema": {"type": "integer", "format": "int32", "minimum": 0},
    },
}
ERRORS = {
    "400": "Richiesta non valida",
    "401": "Autenticazione necessaria",
    "403": "Accesso negato",
    "404": "Risorsa non trovata",
    "405": "Metodo non consentito",
    "406": "Formato della risposta non disponibile",
    "409": "Operazione in conflitto con lo stato della risorsa",
    "415": "Formato della richiesta non supportato",
    "429": "Troppe richieste",
    "500": "Errore interno del server",
    "503": "Servizio non disponibile",
}


def _error(code: str, description: str) -> dict:
    headers = dict(RATE_HEADERS) if code.startswith("4") else {}
    if code in ("429", "503"):
        headers["Retry-After"] = {"$ref": "#/components/headers/Retry-After"}
    if code == "503":
        headers = {"Retry-After": headers["Retry-After"]}
    return {
        "description": description,
        "headers": headers,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _add_formats(node) -> None:
    if isinstance(node, dict):
        if node.get("type") == "integer" and "format" not in node:
            node["format"] = "int64"
        if node.get("type") == "number" and "format" not in node:
            node["format"] = "double"
        for value in node.values():
            _add_formats(value)
    elif isinstance(node, list):
        for value in node:
            _add_formats(value)


def postprocess(result, generator, request, public):
    base = settings.SITE_URL + "/api/v1"
    server = {"url": base, "description": "Questa installazione di Sportello"}
    if not base.startswith("https://"):
        server["x-sandbox"] = True
    result["servers"] = [server]
    result["info"].update(
        {
            "x-summary": "Servizi online dei comuni: pratiche, servizi, integrazioni.",
            "x-api-id": "b0b7e1f2-5e3c-4b8e-9b3e-5f0a2c1d6e70",
            "termsOfService": settings.API_TERMS_URL,
            "contact": {"name": settings.PLATFORM_NAME, "email": settings.API_CONTACT_EMAIL},
            "license": {
                "name": "EUPL-1.2",
                "url": "https://interoperable-europe.ec.europa.eu/collection/eupl",
            },
        }
    )
    result["tags"] = [
        {"name": "stato", "description": "Stato del servizio"},
        {"name": "servizi", "description": "Il catalogo pubblico dei servizi dell'ente"},
        {"name": "pratiche", "description": "Le pratiche, per lo staff e le integrazioni dell'ente"},
        {"name": "calendari", "description": "Gli uffici prenotabili e i loro orari liberi (pubblico)"},
        {"name": "appuntamenti", "description": "Gli appuntamenti, per lo staff e le integrazioni dell'ente"},
        {"name": "pagamenti", "description": "I pagamenti pagoPA e l'export contabile"},
        {"name": "sale", "description": "Le sale comunali e le loro prenotazioni"},
    ]
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM
    components["headers"] = HEADERS
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, response in list(responses.items()):
                if code.startswith("2"):
                    response.setdefault("headers", {}).update(RATE_HEADERS)
                    response["headers"]["Cache-Control"] = {"$ref": "#/components/headers/Cache-Control"}
            for code, description in ERRORS.items():
                if code in ("409", "415") and method not in ("post", "put"):
                    continue
                responses.setdefault(code, _error(code, description))
            if any(p.get("name") == "Idempotency-Key" for p in operation.get("parameters", [])):
                responses.setdefault(
                    "422", _error("422", "Idempotency-Key già usata per una richiesta diversa")
                )
    _add_formats(result)
    return result
