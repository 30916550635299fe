"""P.I.Tre. (Protocollo Informatico Trentino) through its REST PIS.

``PitreClient`` speaks the contract of ``RestServicesPITRE.yaml``: ``GetToken`` gives the token sent as ``AuthToken``
on later calls; each method is either its own path under the base URL or, with the production router, a call to
``RouteRestRequest`` naming the method in ``ROUTED_ACTION`` and the body's administration in ``CODE_ADM``.
Mutual TLS uses the municipality's client certificate and key (PEM), written to private temporary files only for
the lifetime of the SSL context and never logged.

Errors: ``PitreUnavailable`` (an ``OSError``: network, timeout, HTTP 5xx) is transient and retried;
``PitreError`` (``Code`` 1 with ``ErrorMessage``, or a 4xx) is a refusal that an operator must see.
"""

import base64
import http.client
import json
import os
import ssl
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from .base import ProtocolReceipt

ROUTER_PATH = "RouteRestRequest"


class PitreError(Exception):
    """P.I.Tre. refused the request (``Code`` 1): retrying the same request will not help."""


class PitreUnavailable(OSError):
    """P.I.Tre. could not be reached or failed (network, timeout, 5xx): worth retrying later."""


@dataclass(frozen=True)
class Correspondent:
    name: str
    surname: str
    fiscal_code: str
    email: str = ""

    def as_pis(self) -> dict:
        description = f"{self.surname} {self.name}".strip() or self.fiscal_code
        data = {"Description": description, "Type": "O", "Name": self.name, "Surname": self.surname}
        if self.fiscal_code:
            data["NationalIdentificationNumber"] = self.fiscal_code
        if self.email:
            data["Email"] = self.email
        return data


def file_pis(name: str, content: bytes, mime_type: str = "application/pdf", description: str = "") -> dict:
    data = {"Name": name, "MimeType": mime_type, "Content": base64.b64encode(content).decode("ascii")}
    if description:
        data["Description"] = description
    return data


def receipt_from_document(document: dict, *, register: str) -> ProtocolReceipt:
    """The protocol data of a P.I.Tre. ``Document`` (created or found)."""
    number = str(document.get("ProtocolNumber") or "").strip()
    if not number.isdigit():
        raise PitreError(f"P.I.Tre. did not return a protocol number (document {document.get('Id')!r})")
    year = str(document.get("ProtocolYear") or "").strip()
    registered_at = _parse_date(document.get("ProtocolDate")) or timezone.now()
    return ProtocolReceipt(
        year=int(year) if year.isdigit() else timezone.localtime(registered_at).year,
        number=int(number),
        registered_at=registered_at,
        segnatura=document.get("Signature") or "",
        document_id=str(document.get("Id") or document.get("DocNumber") or ""),
        register=register,
    )


def _parse_date(value) -> datetime | None:
    if not value:
        return None
    for fmt in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            # P.I.Tre. writes Italian local time, without an offset.
            return datetime.strptime(str(value)[:19], fmt).replace(tzinfo=timezone.get_default_timezone())
        except ValueError:
            continue
    return None


class PitreClient:
    def __init__(
        self,
        *,
        base_url: str,
        code_adm: str,
        username: str,
        code_application: str = "",
        code_role: str = "",
        routing: str = "router",
        client_certificate: str = "",
        client_key: str = "",
        timeout: float | None = None,
    ):
        if not base_url.startswith(("https://", "http://")):
            raise PitreError("The P.I.Tre. address must be an http(s) URL")
        self.base_url = base_url.rstrip("/")
        self.code_adm = code_adm
        self.username = username
        self.code_application = code_application
        self.code_role = code_role
        self.routing = routing
        self.client_certificate = client_certificate
        self.client_key = client_key
        self.timeout = timeout if timeout is not None else getattr(settings, "PITRE_TIMEOUT", 30)
        self.token = ""

    @classmethod
    def from_settings(cls, protocol_settings) -> "PitreClient":
        s = protocol_settings
        return cls(
            base_url=s.base_url,
            code_adm=s.code_adm,
            username=s.username,
            code_application=s.code_application,
            code_role=s.code_role,
            routing=s.routing,
            client_certificate=s.client_certificate,
            client_key=s.client_key,
        )

    def __repr__(self) -> str:  # never the token or the key
        return f"<PitreClient {self.base_url} {self.code_adm} {self.routing}>"

    # --- transport ---

    def _ssl_context(self) -> ssl.SSLContext | None:
        if not self.base_url.startswith("https:"):
            return None
        context = ssl.create_default_context()
        if self.client_certificate and self.client_key:
            with tempfile.TemporaryDirectory() as folder:
                cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
                for path, content in ((cert, self.client_certificate), (key, self.client_key)):
                    with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as handle:
                        handle.write(content)
                context.load_cert_chain(cert, key)
        return context

    def call(
        self, method: str, http_method: str, body: dict | None = None, query: dict | None = None
    ) -> dict:
        """Call one PIS method and return its JSON answer; raise on transport errors and on ``Code`` 1."""
        headers = {"Accept": "application/json"}
        if self.token:
            headers["AuthToken"] = self.token
        if self.routing == "router":
            url = f"{self.base_url}/{ROUTER_PATH}"
            headers["ROUTED_ACTION"] = method
            headers["CODE_ADM"] = self.code_adm
        else:
            url = f"{self.base_url}/{method}"
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v not in (None, "")})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=http_method)  # noqa: S310
        try:
            with urllib.request.urlopen(  # noqa: S310 (the scheme is checked in __init__)
                request, timeout=self.timeout, context=self._ssl_context()
            ) as response:
                payload = response.read()
        except urllib.error.HTTPError as error:
            if error.code >= 500:
                raise PitreUnavailable(f"P.I.Tre. {method}: HTTP {error.code}") from None
            raise PitreError(f"P.I.Tre. {method}: HTTP {error.code} {_error_text(error)}") from None
        except (OSError, http.client.HTTPException) as error:
            raise PitreUnavailable(f"P.I.Tre. {method}: {error.__class__.__name__} {error}") from None
        try:
            answer = json.loads(payload or b"{}")
        except ValueError:
            raise PitreUnavailable(f"P.I.Tre. {method}: the answer is not JSON") from None
        if answer.get("Code") == 1:
            raise PitreError(answer.get("ErrorMessage") or f"P.I.Tre. {method}: error without a message")
        return answer

    # --- methods ---

    def authenticate(self) -> str:
        body = {"Username": self.username, "CodeAdm": self.code_adm}
        if self.code_application:
            body["CodeApplication"] = self.code_application
        if self.code_role:
            body["CodeRole"] = self.code_role
        self.token = ""
        self.token = self.call("GetToken", "POST", body)["Token"]
        return self.token

    def registers(self) -> list[dict]:
        """The registers and RF the role may use (``GetRegistersOrRF``): the connection check."""
        return self.call("GetRegistersOrRF", "GET", query={"codeRole": self.code_role}).get("Registers") or []

    def create_document(
        self,
        *,
        document_type: str,
        subject: str,
        main_document: dict,
        code_register: str,
        code_rf: str = "",
        correspondent: Correspondent | None = None,
        code_project: str = "",
        classification_scheme: str = "",
    ) -> dict:
        """``CreateDocument``, or ``CreateDocumentAndAddInProject`` when a fascicolo is given."""
        document = {"DocumentType": document_type, "Object": subject, "MainDocument": main_document}
        if correspondent is not None:
            if document_type == "A":
                document["Sender"] = correspondent.as_pis()
            else:
                document["Recipients"] = [correspondent.as_pis()]
        body = {"CodeRegister": code_register, "Document": document}
        if code_rf:
            body["CodeRF"] = code_rf
        if code_project:
            body["CodeProject"] = code_project
            if classification_scheme:
                body["ClassificationSchemeId"] = classification_scheme
            return self.call("CreateDocumentAndAddInProject", "PUT", body)["Document"]
        return self.call("CreateDocument", "PUT", body)["Document"]

    def upload_file(self, *, document_id: str, file: dict, description: str) -> None:
        self.call(
            "UploadFileToDocument",
            "PUT",
            {"IdDocument": document_id, "File": file, "CreateAttachment": True, "Description": description},
        )

    def find_by_subject(self, subject: str) -> dict | None:
        """The document whose subject is exactly ``subject`` (``SearchDocuments`` on the object), if any."""
        answer = self.call(
            "SearchDocuments",
            "POST",
            {"Filters": [{"Name": "OBJECT", "Value": subject}], "PageNumber": 1, "ElementsInPage": 20},
        )
        for document in answer.get("Documents") or []:
            if document.get("Object") == subject:
                return document
        return None

    def document(self, document_id: str) -> dict:
        return (
            self.call("GetDocument", "POST", {"IdDocument": document_id, "GetFile": False}).get("Document")
            or {}
        )


def _error_text(error) -> str:
    try:
        return (json.loads(error.read() or b"{}").get("ErrorMessage") or "")[:300]
    except (ValueError, OSError):
        return ""
