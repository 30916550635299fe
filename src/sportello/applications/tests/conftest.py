import pytest

from sportello.applications.protocol.pitre_sandbox import FakePitre

from .pitre_fixtures import free_port


@pytest.fixture
def fake_pitre(settings):
    settings.PITRE_TIMEOUT = 0.5
    fake = FakePitre(code_adm="c_f728", registers=["RP"], hang_seconds=1.5)
    fake.url = fake.start(port=free_port())
    yield fake
    fake.stop()
