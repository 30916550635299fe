from sportello.applications.tests.conftest import fake_pitre  # noqa: F401 (the fake P.I.Tre. for these tests)
