import pytest
from bs4 import BeautifulSoup
from django.test import Client

from sportello.accounts.tests.factories import TEST_PASSWORD, MembershipFactory

LOGIN = "/comune-di-mori/it/operatori/login"
DASHBOARD = "/comune-di-mori/it/operatori/"
PASSWORD = "/comune-di-mori/it/operatori/password"


def login(client, username, password=TEST_PASSWORD, url=LOGIN):
    return client.post(url, {"username": username, "password": password})


def test_staff_logs_in_and_reaches_the_dashboard(client, mori_operator):
    response = login(client, "operatore-mori")
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    page = client.get(DASHBOARD)
    assert page.status_code == 200
    assert "Cruscotto" in page.content.decode()


def test_login_follows_a_safe_next_and_ignores_an_external_one(client, mori_admin):
    response = client.post(
        LOGIN,
        {"username": "admin-mori", "password": TEST_PASSWORD, "next": "/comune-di-mori/it/operatori/ente/"},
    )
    assert response["Location"] == "/comune-di-mori/it/operatori/ente/"
    client.logout()
    response = client.post(
        LOGIN, {"username": "admin-mori", "password": TEST_PASSWORD, "next": "https://evil.example.org/"}
    )
    assert response["Location"] == DASHBOARD


def test_wrong_password_gets_an_italian_message_and_no_session(client, mori_operator):
    response = login(client, "operatore-mori", "sbagliata")
    assert response.status_code == 200
    assert "Nome utente o password non corretti" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_of_another_municipality_cannot_log_in_here(client, mori, trento_admin):
    response = login(client, "admin-trento")
    assert response.status_code == 200
    assert "Nome utente o password non corretti" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_does_not_reveal_that_another_municipality_account_password_is_right(
    client, mori, trento_admin
):
    """The same page for a right and a wrong password: the form is no oracle for other offices' passwords."""

    def errors(password):
        page = BeautifulSoup(login(Client(), "admin-trento", password).content, "html.parser")
        return [e.get_text(" ", strip=True) for e in page.select(".alert, .invalid-feedback")]

    right, wrong = errors(TEST_PASSWORD), errors("sbagliata")
    assert right == wrong and right
    # and a right password there counts as a failure, so the lockout cannot tell them apart either
    for _ in range(5):
        login(client, "admin-trento")
    assert login(client, "admin-trento", "sbagliata").status_code == 429


def test_citizen_account_cannot_log_in_as_staff(client, mori, citizen):
    response = login(client, "cittadino")
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_deactivated_staff_cannot_log_in(client, mori_operator):
    membership = mori_operator.memberships.get()
    membership.is_active = False
    membership.save()
    login(client, "operatore-mori")
    assert "_auth_user_id" not in client.session


def test_login_page_shows_the_form_to_a_logged_in_user_and_logging_in_replaces_the_session(
    client, mori_admin, mori_operator
):
    login(client, "admin-mori")
    first_session = client.session.session_key
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert "Sei collegato come" in page.content.decode()
    login(client, "operatore-mori")
    assert int(client.session["_auth_user_id"]) == mori_operator.pk
    assert client.session.session_key != first_session
    assert client.get("/comune-di-mori/it/operatori/personale/").status_code == 403


def test_logout_is_a_post_and_ends_the_session(client, mori_operator):
    login(client, "operatore-mori")
    assert client.get("/comune-di-mori/it/operatori/logout").status_code == 405
    response = client.post("/comune-di-mori/it/operatori/logout")
    assert response["Location"] == LOGIN
    assert client.get(DASHBOARD).status_code == 302


def test_csrf_is_enforced_on_login(mori_operator):
    csrf_client = Client(enforce_csrf_checks=True)
    assert login(csrf_client, "operatore-mori").status_code == 403
    page = BeautifulSoup(csrf_client.get(LOGIN).content, "html.parser")
    token = page.select_one("input[name=csrfmiddlewaretoken]")["value"]
    response = csrf_client.post(
        LOGIN, {"username": "operatore-mori", "password": TEST_PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_five_failures_lock_the_account_out_with_a_clear_message(client, mori_operator):
    for _ in range(5):
        login(client, "operatore-mori", "sbagliata")
    response = login(client, "operatore-mori")  # even the right password is refused now
    assert response.status_code == 429
    assert "Troppi tentativi" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # another account from the same address is not affected
    MembershipFactory(municipality=mori_operator.memberships.get().municipality, user__username="altro")
    assert login(client, "altro").status_code == 302


def test_a_success_before_the_limit_resets_the_failure_count(client, mori_operator):
    for _ in range(4):
        login(client, "operatore-mori", "sbagliata")
    assert login(client, "operatore-mori").status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "operatore-mori", "sbagliata")
    assert login(client, "operatore-mori").status_code == 302


@pytest.fixture
def newcomer(mori):
    membership = MembershipFactory(municipality=mori, user__username="nuovo-mori")
    user = membership.user
    user.set_password("Kx7p-Qm3R-t9Zw-B2nd")
    user.must_change_password = True
    user.save()
    return user


def test_first_access_with_a_temporary_password_forces_the_change_before_anything_else(client, newcomer):
    response = login(client, "nuovo-mori", "Kx7p-Qm3R-t9Zw-B2nd")
    assert response.status_code == 302
    for url in [DASHBOARD, "/comune-di-mori/it/", "/", "/comune-di-mori/it/operatori/personale/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == PASSWORD, url
    page = client.get(PASSWORD).content.decode()
    assert "password temporanea" in page


def test_first_access_password_change_validates_and_then_unlocks(client, newcomer):
    login(client, "nuovo-mori", "Kx7p-Qm3R-t9Zw-B2nd")
    bad = client.post(
        PASSWORD, {"old_password": "Kx7p-Qm3R-t9Zw-B2nd", "new_password1": "corta", "new_password2": "corta"}
    )
    assert bad.status_code == 200
    errors = " ".join(
        e.get_text() for e in BeautifulSoup(bad.content, "html.parser").select(".invalid-feedback")
    )
    assert "Questa password è troppo corta. Deve contenere almeno 12 caratteri." in errors
    good = client.post(
        PASSWORD,
        {
            "old_password": "Kx7p-Qm3R-t9Zw-B2nd",
            "new_password1": "Montagne-Del-Trentino-7",
            "new_password2": "Montagne-Del-Trentino-7",
        },
    )
    assert good.status_code == 302 and good["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200  # still logged in after the change
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    assert newcomer.check_password("Montagne-Del-Trentino-7")


def test_password_change_is_always_available_and_needs_the_current_password(client, mori_operator):
    login(client, "operatore-mori")
    assert client.get(PASSWORD).status_code == 200
    response = client.post(
        PASSWORD,
        {
            "old_password": "sbagliata",
            "new_password1": "Nuova-Password-Lunga",
            "new_password2": "Nuova-Password-Lunga",
        },
    )
    assert response.status_code == 200
    mori_operator.refresh_from_db()
    assert mori_operator.check_password(TEST_PASSWORD)


def test_passwords_are_stored_hashed(mori_operator):
    assert TEST_PASSWORD not in mori_operator.password
    assert mori_operator.password.count("$") >= 2
