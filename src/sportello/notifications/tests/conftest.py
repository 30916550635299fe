import pytest


@pytest.fixture
def scripted(monkeypatch):
    """Install a scripted App IO client (``test_delivery.ScriptedClient``) for the delivery task."""
    from sportello.notifications import tasks

    def install(client):
        monkeypatch.setattr(tasks, "_client", lambda message: client)
        return client

    return install
