import re

import pytest
from bs4 import BeautifulSoup

from sportello.municipalities.tests.factories import MunicipalityFactory


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_index_lists_municipalities_with_links_to_their_home(client, mori, trento):
    response = client.get("/")
    assert response.status_code == 200
    links = {a["href"] for a in soup(response).select("main a")}
    assert "/comune-di-mori/it/" in links
    assert "/comune-di-trento/it/" in links


def test_index_search_and_pagination_stay_usable_with_200_municipalities(
    client, db, django_assert_max_num_queries
):
    MunicipalityFactory.create_batch(200)
    MunicipalityFactory(name="Comune di Zambana", slug="comune-di-zambana")
    with django_assert_max_num_queries(4):
        response = client.get("/")
    page = soup(response)
    assert len(page.select("main li.col-sm-6")) == 48
    assert "201 enti" in page.get_text()
    assert page.select_one("nav.pagination-wrapper")
    found = soup(client.get("/", {"q": "zamb"}))
    assert [a.get_text(strip=True) for a in found.select("main h2 a")] == ["Comune di Zambana"]
    last = client.get("/", {"page": 5})
    assert last.status_code == 200
    assert len(soup(last).select("main li.col-sm-6")) == 201 - 4 * 48


def test_slug_alone_redirects_to_the_default_language(client, mori):
    response = client.get("/comune-di-mori/")
    assert response.status_code == 302
    assert response["Location"] == "/comune-di-mori/it/"


def test_home_has_header_footer_contacts_staff_link_and_legal_links(client, mori):
    response = client.get("/comune-di-mori/it/")
    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == "it"
    assert "Comune di Mori" in page.select_one("header .it-brand-title").get_text()
    footer = page.select_one("footer")
    assert mori.email in footer.get_text()
    assert mori.fiscal_code in footer.get_text()
    assert footer.find("a", string="Accesso operatori")["href"] == "/comune-di-mori/it/operatori/login"
    markers = {a["data-element"]: a["href"] for a in footer.select("a[data-element]")}
    assert markers == {
        "privacy-policy-link": "/comune-di-mori/it/privacy/",
        "legal-notes": "/comune-di-mori/it/note-legali/",
        "accessibility-link": "/comune-di-mori/it/accessibilita/",
        "faq": "/comune-di-mori/it/domande-frequenti/",
        "report-inefficiency": f"mailto:{mori.email}",
    }
    assert "Non ci sono ancora servizi in evidenza" in page.get_text()


@pytest.mark.parametrize("lang", ["it", "en", "de"])
def test_every_language_is_served_with_its_lang_attribute_and_switcher(client, mori, lang):
    response = client.get(f"/comune-di-mori/{lang}/")
    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == lang
    switcher = {a["hreflang"]: a["href"] for a in page.select(".sportello-languages a")}
    assert set(switcher) == {"it", "en", "de"} - {lang}
    for code, href in switcher.items():
        assert href == f"/comune-di-mori/{code}/"


def test_a_language_the_municipality_has_not_enabled_is_a_404(client, mori):
    mori.languages = ["it", "de"]
    mori.save()
    assert client.get("/comune-di-mori/en/").status_code == 404
    assert client.get("/comune-di-mori/de/").status_code == 200
    links = {a["hreflang"] for a in soup(client.get("/comune-di-mori/it/")).select(".sportello-languages a")}
    assert links == {"de"}


@pytest.mark.parametrize(
    "url",
    ["/comune-inesistente/it/", "/comune-inesistente/", "/comune-di-mori/fr/", "/comune-di-mori/it/nulla/"],
)
def test_unknown_municipality_language_or_page_is_a_proper_404_page(client, mori, url):
    response = client.get(url)
    assert response.status_code == 404
    page = soup(response)
    assert "Pagina non trovata" in page.h1.get_text()
    assert page.select_one("link[href*='bootstrap-italia']")


def test_inactive_municipality_is_not_listed_and_not_served(client, mori):
    mori.is_active = False
    mori.save()
    assert "comune-di-mori" not in client.get("/").content.decode()
    assert client.get("/comune-di-mori/it/").status_code == 404


@pytest.mark.parametrize("path", ["privacy/", "note-legali/", "accessibilita/"])
def test_legal_pages_have_defaults_and_follow_a_configured_url(client, mori, path):
    response = client.get(f"/comune-di-mori/it/{path}")
    assert response.status_code == 200
    assert "Comune di Mori" in soup(response).select_one("main").get_text()
    field = {
        "privacy/": "privacy_url",
        "note-legali/": "legal_notes_url",
        "accessibilita/": "accessibility_url",
    }[path]
    setattr(mori, field, "https://www.comune.mori.tn.it/pagina")
    mori.save()
    response = client.get(f"/comune-di-mori/it/{path}")
    assert response.status_code == 302
    assert response["Location"] == "https://www.comune.mori.tn.it/pagina"


def test_pages_load_nothing_from_other_hosts(client, mori):
    for url in [
        "/",
        "/comune-di-mori/it/",
        "/comune-di-mori/it/operatori/login",
        "/comune-di-mori/it/privacy/",
    ]:
        page = soup(client.get(url))
        for tag, attribute in (("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src")):
            for element in page.find_all(tag):
                value = element.get(attribute)
                if value:
                    assert value.startswith("/") and not value.startswith("//"), (url, value)


def test_bootstrap_italia_is_used(client, mori):
    page = soup(client.get("/comune-di-mori/it/"))
    stylesheet = page.select_one("link[rel=stylesheet]")["href"]
    assert stylesheet.endswith("sportello/bootstrap-italia.purged.css")  # trimmed by `make css`
    css = b"".join(client.get(stylesheet).streaming_content)
    # double quotes: AgID's validator strips only those (see test_frontend)
    version = re.search(rb'--bootstrap-italia-version:\s*"([\d.]+)"', css).group(1).decode()
    assert tuple(int(p) for p in version.split(".")) >= (2, 0, 0)
    assert page.select_one("header.it-header-wrapper") and page.select_one("footer.it-footer")


def test_landmarks_and_skip_link_for_accessibility(client, mori):
    page = soup(client.get("/comune-di-mori/it/"))
    assert page.select_one("main#main-container")
    assert page.select_one(".skiplink a[href='#main-container']")
    assert page.select_one("nav[aria-label]")
    assert len(page.find_all("h1")) == 1


def test_no_cookies_are_set_for_anonymous_visitors(client, mori):
    response = client.get("/comune-di-mori/it/")
    assert not response.cookies


def test_a_missing_page_answers_in_the_language_of_its_address(client, mori):
    response = client.get("/comune-di-mori/en/does-not-exist/")
    assert response.status_code == 404
    page = soup(response)
    assert page.html["lang"] == "en"
    assert page.h1.get_text(strip=True) == "Page not found"


def test_the_index_links_each_municipality_in_the_chosen_language(client, mori):
    page = soup(client.get("/", {"lang": "de"}))
    assert "/comune-di-mori/de/" in {a["href"] for a in page.select("main h2 a")}
    mori.languages = ["it"]
    mori.save()
    page = soup(client.get("/", {"lang": "de"}))
    assert "/comune-di-mori/it/" in {a["href"] for a in page.select("main h2 a")}
