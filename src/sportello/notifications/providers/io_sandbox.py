"""The IO sandbox (``io_sandbox``): App IO's behaviour kept in the database, for the demo and the tests.

A fiscal code has an IO profile when a Sportello user has it (preferred language = the user's language);
messages land in ``SandboxIOMessage`` (the "App IO (demo)" inbox), service registrations in ``SandboxIOService``.
Refused unless ``io_sandbox`` is in ``SANDBOX_PROVIDERS`` (never in production).
"""

import uuid

from django.db import transaction

from .base import IOError_, IONotFound, Profile

LANGUAGES = {"it": "it_IT", "en": "en_GB", "de": "de_DE"}


class SandboxIOClient:
    def __init__(self, *, api_key: str, service_id: str):
        if not api_key:
            raise IOError_("missing API key", status=401)
        self.service_id = service_id

    def profile_get(self, fiscal_code: str) -> Profile:
        from sportello.accounts.models import User

        user = User.objects.filter(fiscal_code=fiscal_code, is_active=True).first()
        if user is None:
            raise IONotFound("no IO profile", status=404)
        return Profile(sender_allowed=True, preferred_languages=[LANGUAGES.get(user.language, "it_IT")])

    def message_submit(self, fiscal_code: str, message: dict) -> str:
        from ..models import SandboxIOMessage

        content = message["content"]
        if not 10 <= len(content["subject"]) <= 120 or not 80 <= len(content["markdown"]) <= 10000:
            raise IOError_("Invalid payload: content out of limits", status=400)
        io_id = uuid.uuid4().hex[:26].upper()
        with transaction.atomic():  # IO stores it whatever happens next on our side
            SandboxIOMessage.objects.create(
                io_id=io_id,
                sender_service_id=self.service_id,
                fiscal_code=fiscal_code,
                content=content,
                time_to_live=message.get("time_to_live", 3600),
            )
        return io_id

    def message_get(self, fiscal_code: str, message_id: str) -> dict:
        from ..models import SandboxIOMessage

        stored = SandboxIOMessage.objects.filter(io_id=message_id, fiscal_code=fiscal_code).first()
        if stored is None:
            raise IONotFound("No message found for the provided ID.", status=404)
        return {
            "status": "PROCESSED",
            "message": {
                "id": stored.io_id,
                "fiscal_code": fiscal_code,
                "created_at": stored.created_at.isoformat(),
                "sender_service_id": stored.sender_service_id,
                "content": stored.content,
            },
        }

    def service_get(self, service_id: str) -> dict:
        from ..models import SandboxIOService

        stored = SandboxIOService.objects.filter(io_service_id=service_id).first()
        if stored is None:
            raise IONotFound("Not found", status=404)
        return {"id": service_id, "status": {"value": stored.status}, **stored.data}

    def service_update(self, service_id: str, payload: dict) -> dict:
        from ..models import SandboxIOService

        SandboxIOService.objects.update_or_create(
            io_service_id=service_id, defaults={"data": payload, "status": "draft"}
        )
        return self.service_get(service_id)

    def service_review(self, service_id: str, *, auto_publish: bool) -> None:
        from ..models import SandboxIOService

        # The sandbox approves at once (the real IO reviews within days, then publishes if auto_publish).
        SandboxIOService.objects.filter(io_service_id=service_id).update(status="approved")
