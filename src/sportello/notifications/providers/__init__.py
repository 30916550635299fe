"""App IO providers: ``io`` (the real API, ``io.py``) and ``io_sandbox`` (demo and tests, ``io_sandbox.py``)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import IOClient, IOError_, IOForbidden, IONotFound, IOTransient, IOUncertain, Profile

__all__ = [
    "IOClient",
    "IOError_",
    "IOForbidden",
    "IONotFound",
    "IOTransient",
    "IOUncertain",
    "Profile",
    "io_client_for",
]


def sandbox_enabled() -> bool:
    return "io_sandbox" in settings.SANDBOX_PROVIDERS


def io_client_for(binding, *, service_id: str) -> IOClient:
    """The client for a service's binding; the sandbox only where ``SANDBOX_PROVIDERS`` enables it."""
    if binding.provider == "io_sandbox":
        if not sandbox_enabled():
            raise ImproperlyConfigured("The io_sandbox provider is not enabled (SANDBOX_PROVIDERS).")
        from .io_sandbox import SandboxIOClient

        return SandboxIOClient(api_key=binding.api_key, service_id=service_id)
    from .io import HttpIOClient

    return HttpIOClient(
        base_url=settings.IO_API_BASE_URL, api_key=binding.api_key, manage_key=binding.manage_key
    )
