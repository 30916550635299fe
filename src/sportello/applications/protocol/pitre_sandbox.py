"""A local stand-in for P.I.Tre. (sandbox provider ``pitre_sandbox``): a real HTTP server with the REST PIS shape.

It answers the methods Sportello uses, by path (``/CreateDocument``) and through the router (``/RouteRestRequest``
with ``ROUTED_ACTION`` and ``CODE_ADM``), checks the ``AuthToken`` and numbers protocol entries per year. Tests
drive its failures: ``fail_next`` (HTTP 503), ``refuse_next`` (``Code`` 1 with a message), ``hang_next`` (the
document is created, then the answer never arrives: the client times out), ``require_filing``
(``FASC_RAPIDA_REQUIRED`` for a plain ``CreateDocument``). ``manage.py pitre_sandbox`` runs it for the demo; it is
refused unless ``pitre_sandbox`` is in ``SANDBOX_PROVIDERS``, so never in production.
"""

import json
import secrets
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

ROUTES = {
    "GetToken": "POST",
    "GetRegistersOrRF": "GET",
    "CreateDocument": "PUT",
    "CreateDocumentAndAddInProject": "PUT",
    "UploadFileToDocument": "PUT",
    "SearchDocuments": "POST",
    "GetDocument": "POST",
}


class FakePitre:
    def __init__(self, *, code_adm: str = "", registers=("RP",), hang_seconds: float = 3.0):
        self.code_adm = code_adm
        self.registers = list(registers)
        self.hang_seconds = hang_seconds
        self.require_filing = False
        self.documents: dict[str, dict] = {}
        self.calls: list[str] = []
        self.tokens: set[str] = set()
        self._failures: list[tuple[str, str, object]] = []  # (method or "*", kind, detail)
        self._counter: dict[int, int] = {}
        self._lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    def continue_from(self, year: int, number: int) -> None:
        self._counter[year] = number

    # --- failures on demand ---

    def fail_next(self, method: str = "*", *, times: int = 1, status: int = 503) -> None:
        self._failures += [(method, "status", status)] * times

    def refuse_next(self, method: str = "*", *, message: str = "Errore generico") -> None:
        self._failures.append((method, "refuse", message))

    def hang_next(self, method: str = "CreateDocument") -> None:
        self._failures.append((method, "hang", None))

    def _failure(self, method: str):
        with self._lock:
            for index, (name, kind, detail) in enumerate(self._failures):
                if name in ("*", method):
                    del self._failures[index]
                    return kind, detail
        return None, None

    # --- the methods ---

    def handle(self, method: str, headers, body: dict, query: dict) -> tuple[int, dict, bool]:
        """(HTTP status, JSON answer, hang after doing the work)."""
        self.calls.append(method)
        kind, detail = self._failure(method)
        if kind == "status":
            return detail, {"Message": "Service unavailable"}, False
        if kind == "refuse":
            return 200, {"Code": 1, "ErrorMessage": detail}, False
        if method == "GetToken":
            if not body.get("Username") or (self.code_adm and body.get("CodeAdm") != self.code_adm):
                return 200, {"Code": 1, "ErrorMessage": "Utente o amministrazione non validi"}, False
            token = secrets.token_hex(16)
            self.tokens.add(token)
            return 200, {"Code": 0, "Token": token}, False
        if headers.get("AuthToken") not in self.tokens:
            return 200, {"Code": 1, "ErrorMessage": "Token di autenticazione non valido"}, False
        handler = getattr(self, f"_{method}")
        status, answer = handler(body, query)
        return status, answer, kind == "hang"

    def _GetRegistersOrRF(self, body, query):
        registers = [
            {"Id": str(i), "Code": code, "IsRF": False, "State": "A"} for i, code in enumerate(self.registers)
        ]
        return 200, {"Code": 0, "Registers": registers}

    def _create(self, body, filed: bool):
        document = body.get("Document") or {}
        if body.get("CodeRegister") not in self.registers:
            return 200, {"Code": 1, "ErrorMessage": "Registro non trovato"}
        if document.get("DocumentType") == "A" and not document.get("Sender"):
            return 200, {"Code": 1, "ErrorMessage": "Mittente obbligatorio per un protocollo in arrivo"}
        if not document.get("Object") or not (document.get("MainDocument") or {}).get("Content"):
            return 200, {"Code": 1, "ErrorMessage": "Oggetto e documento principale obbligatori"}
        if self.require_filing and not filed:
            return 200, {"Code": 1, "ErrorMessage": "FASC_RAPIDA_REQUIRED"}
        if filed and not body.get("CodeProject"):
            return 200, {"Code": 1, "ErrorMessage": "Fascicolo non trovato"}
        now = datetime.now(tz=ZoneInfo("Europe/Rome"))
        with self._lock:
            number = self._counter.get(now.year, 0) + 1
            self._counter[now.year] = number
            doc_id = str(100000 + len(self.documents) + 1)
            created = {
                **{k: v for k, v in document.items() if k != "MainDocument"},
                "Id": doc_id,
                "DocNumber": doc_id,
                "ProtocolNumber": str(number),
                "ProtocolYear": str(now.year),
                "ProtocolDate": now.strftime("%d/%m/%Y %H:%M:%S"),
                "Signature": f"{self.code_adm or 'ADM'}|{now:%d/%m/%Y}|{number:07d}",
                "Register": {"Code": body["CodeRegister"]},
                "Attachments": [],
                "CodeProject": body.get("CodeProject", ""),
            }
            self.documents[doc_id] = created
        return 200, {"Code": 0, "Document": created}

    def _CreateDocument(self, body, query):
        return self._create(body, filed=False)

    def _CreateDocumentAndAddInProject(self, body, query):
        return self._create(body, filed=True)

    def _UploadFileToDocument(self, body, query):
        document = self.documents.get(str(body.get("IdDocument")))
        if document is None:
            return 200, {"Code": 1, "ErrorMessage": "Documento non trovato"}
        file = body.get("File") or {}
        document["Attachments"].append({"Name": file.get("Name"), "Description": body.get("Description")})
        return 200, {"Code": 0, "ResultMessage": "OK"}

    def _SearchDocuments(self, body, query):
        wanted = {f.get("Name"): f.get("Value") for f in body.get("Filters") or []}
        found = [d for d in self.documents.values() if wanted.get("OBJECT", "") in d.get("Object", "")]
        return 200, {"Code": 0, "Documents": found, "TotalDocumentsNumber": len(found)}

    def _GetDocument(self, body, query):
        document = self.documents.get(str(body.get("IdDocument")))
        if document is None:
            return 200, {"Code": 1, "ErrorMessage": "Documento non trovato"}
        return 200, {"Code": 0, "Document": document}

    def entries(self, subject_contains: str = "") -> list[dict]:
        return [d for d in self.documents.values() if subject_contains in d.get("Object", "")]

    # --- the HTTP server ---

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                from urllib.parse import parse_qsl, urlsplit

                parts = urlsplit(self.path)
                method = parts.path.rstrip("/").rsplit("/", 1)[-1]
                if method == "RouteRestRequest":
                    if fake.code_adm and self.headers.get("CODE_ADM") != fake.code_adm:
                        return self._answer(200, {"Code": 1, "ErrorMessage": "CODE_ADM non valido"})
                    method = self.headers.get("ROUTED_ACTION", "")
                elif ROUTES.get(method) != self.command:
                    return self._answer(404, {"Message": "No HTTP resource was found"})
                if method not in ROUTES:
                    return self._answer(404, {"Message": f"Unknown action {method}"})
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    return self._answer(400, {"Message": "Invalid JSON"})
                status, answer, hang = fake.handle(method, self.headers, body, dict(parse_qsl(parts.query)))
                if hang:
                    time.sleep(fake.hang_seconds)
                    self.close_connection = True
                    return None
                return self._answer(status, answer)

            do_GET = do_POST = do_PUT = _serve

            def _answer(self, status, answer):
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format, *args):  # quiet: bodies carry personal data
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://{host}:{self.server.server_address[1]}"

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
