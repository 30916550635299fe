"""The schema.org ``GovernmentService`` description of a service page (pure; the model's "metatag", R.SI.1.1)."""

import json
import re

from django.utils.html import strip_tags

ADDRESS = re.compile(
    r"^(?P<street>.+?),\s*(?P<postal>\d{5})\s+(?P<locality>[^,(]+?)\s*(?:\(\w{2}\))?\s*(?:,.*)?$"
)


def parse_address(text: str) -> dict | None:
    """``"Via Scuole 2, 38065 Mori (TN)"`` -> street, postal code and locality; None when it has no CAP."""
    match = ADDRESS.match(" ".join((text or "").split()))
    if not match:
        return None
    return {
        "@type": "PostalAddress",
        "streetAddress": match["street"],
        "postalCode": match["postal"],
        "addressLocality": match["locality"],
    }


def _plain(markdown_text: str, limit: int = 300) -> str:
    text = " ".join(strip_tags(markdown_text or "").replace("*", "").replace("#", "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def service_jsonld(
    *,
    name: str,
    category: str,
    description: str,
    audience: str,
    operator: str,
    area: str,
    url: str,
    office_name: str,
    office_address: str,
    fallback_address: str = "",
) -> str:
    """The JSON text for ``<script type="application/ld+json">``, with ``<``, ``>`` and ``&`` escaped."""
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": name,
        "serviceType": category,
        "description": _plain(description),
        "serviceOperator": {"@type": "GovernmentOrganization", "name": operator},
        "areaServed": {"@type": "City", "name": area},
        "audience": {"@type": "Audience", "audienceType": _plain(audience) or area},
        "availableChannel": {
            "@type": "ServiceChannel",
            "serviceUrl": url,
            "serviceLocation": {
                "@type": "Place",
                "name": office_name or operator,
                "address": parse_address(office_address) or parse_address(fallback_address) or {},
            },
        },
    }
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
