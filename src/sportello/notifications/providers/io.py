"""The real App IO client (Swagger 2.0 "IO API for Public Administration Services", 4.x).

Base URL from ``settings.IO_API_BASE_URL`` (production ``https://api.io.pagopa.it/api/v1``). Messages and
profiles authenticate with the service's key, ``/manage/services`` with the institution's "manage" key, both in
``Ocp-Apim-Subscription-Key``. Keys never appear in errors or logs. Standard library only (urllib).
"""

import json
import socket
import urllib.error
import urllib.parse
import urllib.request

from .base import IOError_, IOForbidden, IONotFound, IOTransient, IOUncertain, Profile

TIMEOUT_SECONDS = 10


class HttpIOClient:
    def __init__(self, *, base_url: str, api_key: str, manage_key: str = "", extra_headers=None):
        if not base_url.startswith(("https://", "http://")):
            raise ValueError("IO_API_BASE_URL must be an http(s) URL")
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._manage_key = manage_key
        self.extra_headers = dict(extra_headers or {})  # tests: Prism's "Prefer: code=429"

    def __repr__(self) -> str:
        return f"<HttpIOClient {self.base_url}>"

    def _call(self, method: str, path: str, *, body=None, manage: bool = False):
        key = self._manage_key if manage else self._api_key
        if not key:
            raise IOError_("missing API key")
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Accept": "application/json", "Ocp-Apim-Subscription-Key": key, **self.extra_headers}
        if data is not None:
            headers["Content-Type"] = "application/json"
        url = self.base_url + path  # http(s) only, checked in __init__
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                raw = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
            detail = _problem(error.read())
            if status == 404:
                raise IONotFound(detail or "not found", status=404) from None
            if status == 403:
                raise IOForbidden(detail or "forbidden", status=403) from None
            if status == 429 or status >= 500:
                raise IOTransient(detail or f"HTTP {status}", status=status) from None
            raise IOError_(detail or f"HTTP {status}", status=status) from None
        except TimeoutError as error:
            if data is not None and method == "POST":
                raise IOUncertain(f"no answer: {error}") from None
            raise IOTransient(f"no answer: {error}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            never_sent = isinstance(reason, ConnectionRefusedError | socket.gaierror)
            if method == "POST" and not never_sent:  # the request may have reached IO
                raise IOUncertain(f"connection lost: {reason}") from None
            raise IOTransient(f"connection failed: {reason}") from None
        return status, (json.loads(raw) if raw else {})

    def profile_get(self, fiscal_code: str) -> Profile:
        _status, data = self._call("GET", f"/profiles/{urllib.parse.quote(fiscal_code)}")
        return Profile(
            sender_allowed=bool(data.get("sender_allowed")),
            preferred_languages=list(data.get("preferred_languages") or []),
        )

    def message_submit(self, fiscal_code: str, message: dict) -> str:
        _status, data = self._call("POST", f"/messages/{urllib.parse.quote(fiscal_code)}", body=message)
        if not data.get("id"):
            raise IOUncertain("201 without a message id")
        return str(data["id"])

    def message_get(self, fiscal_code: str, message_id: str) -> dict:
        path = f"/messages/{urllib.parse.quote(fiscal_code)}/{urllib.parse.quote(message_id)}"
        return self._call("GET", path)[1]

    def service_get(self, service_id: str) -> dict:
        return self._call("GET", f"/manage/services/{urllib.parse.quote(service_id)}", manage=True)[1]

    def service_update(self, service_id: str, payload: dict) -> dict:
        path = f"/manage/services/{urllib.parse.quote(service_id)}"
        return self._call("PUT", path, body=payload, manage=True)[1]

    def service_review(self, service_id: str, *, auto_publish: bool) -> None:
        path = f"/manage/services/{urllib.parse.quote(service_id)}/review"
        self._call("PUT", path, body={"auto_publish": auto_publish}, manage=True)


def _problem(raw: bytes) -> str:
    """The ProblemJson's title/detail, if any (IO's error bodies never contain our keys)."""
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    return " ".join(str(data[k]) for k in ("title", "detail") if data.get(k))[:500]
