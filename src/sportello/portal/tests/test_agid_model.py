"""What AgID's validator (pa-website-validator-ng, municipality checks) reads on the citizen pages."""

import json

import pytest
from bs4 import BeautifulSoup

from sportello.catalog import ratings
from sportello.catalog.jsonld import parse_address
from sportello.catalog.models import Rating
from sportello.catalog.tests.factories import ServiceFactory
from sportello.catalog.topics import TOPICS, canonical_topic, topic_from_slug, topic_slug
from sportello.municipalities.models import FaqEntry

BASE = "/comune-di-mori/it"
LICENCE = (
    "In applicazione del principio open by default ai sensi dell’articolo 52 del decreto legislativo 7 marzo "
    "2005, n. 82 (CAD) e salvo dove diversamente specificato (compresi i contenuti incorporati di terzi), i dati, "
    "i documenti e le informazioni pubblicati sul sito sono rilasciati con licenza CC-BY 4.0. Gli utenti sono "
    "quindi liberi di condividere (riprodurre, distribuire, comunicare al pubblico, esporre in pubblico), "
    "rappresentare, eseguire e recitare questo materiale con qualsiasi mezzo e formato e modificare (trasformare "
    "il materiale e utilizzarlo per opere derivate) per qualsiasi fine, anche commerciale con il solo onere di "
    "attribuzione, senza apporre restrizioni aggiuntive."
)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_vocabulary_round_trips_through_slugs_and_spellings():
    assert len(TOPICS) == len(set(TOPICS)) == 64
    for topic in TOPICS:
        assert topic_from_slug(topic_slug(topic)) == topic
        assert canonical_topic("  " + topic.upper().replace(" ", "  ")) == topic
    assert canonical_topic("Famiglia") is None
    assert topic_from_slug("famiglia") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Via Scuole 2, 38065 Mori (TN)", ("Via Scuole 2", "38065", "Mori")),
        ("Piazza Dante 15, 38122 Trento", ("Piazza Dante 15", "38122", "Trento")),
        ("Via Roma 1, 00100 Roma, piano terra", ("Via Roma 1", "00100", "Roma")),
        ("Municipio, piano terra", None),
        ("", None),
    ],
)
def test_addresses_are_split_for_the_metatag(text, expected):
    parsed = parse_address(text)
    if expected is None:
        assert parsed is None
    else:
        assert (parsed["streetAddress"], parsed["postalCode"], parsed["addressLocality"]) == expected


def test_header_menu_has_the_models_first_level_in_order(client, mori):
    mori.site_url = "https://www.comune.mori.tn.it"
    mori.news_url = "https://www.comune.mori.tn.it/Novita/Notizie"
    mori.save()
    menu = soup(client.get(f"{BASE}/")).select_one("[data-element=main-navigation]")
    items = [(a["data-element"], a.get_text(strip=True), a["href"]) for a in menu.select("a[data-element]")]
    assert items == [
        ("management", "Amministrazione", "https://www.comune.mori.tn.it/amministrazione"),
        ("news", "Novità", "https://www.comune.mori.tn.it/Novita/Notizie"),
        ("all-services", "Servizi", f"{BASE}/servizi/"),
        ("live", "Vivere Mori", "https://www.comune.mori.tn.it/vivere-il-comune"),
    ]


def test_without_an_institutional_site_the_menu_has_only_our_services(client, mori):
    mori.site_url = ""
    mori.save()
    menu = soup(client.get(f"{BASE}/")).select_one("[data-element=main-navigation]")
    assert [a["data-element"] for a in menu.select("a[data-element]")] == ["all-services"]


def test_footer_links_go_straight_to_the_configured_pages(client, mori):
    mori.accessibility_url = "https://form.agid.gov.it/view/00000000-0000-0000-0000-000000000000"
    mori.report_url = "https://www.comune.mori.tn.it/segnalazioni"
    mori.save()
    footer = soup(client.get(f"{BASE}/")).select_one("footer")
    links = {a["data-element"]: (a.get_text(strip=True), a["href"]) for a in footer.select("a[data-element]")}
    assert links["accessibility-link"] == ("Dichiarazione di accessibilità", mori.accessibility_url)
    assert links["report-inefficiency"] == ("Segnala disservizio", mori.report_url)
    assert links["faq"] == ("Leggi le FAQ", f"{BASE}/domande-frequenti/")


def test_legal_notes_carry_the_licence_section_word_for_word(client, mori):
    page = soup(client.get(f"{BASE}/note-legali/"))
    assert (
        page.select_one("[data-element=legal-notes-section]").get_text(strip=True) == "Licenza dei contenuti"
    )
    body = " ".join(p.get_text() for p in page.select("[data-element=legal-notes-body]"))
    assert " ".join(body.split()) == LICENCE


def test_accessibility_statement_names_the_site_and_wcag(client, mori):
    text = soup(client.get(f"{BASE}/accessibilita/")).get_text()
    assert "http://testserver/comune-di-mori/it/" in text
    assert "WCAG 2.1" in text


def test_topics_page_lists_the_vocabulary_topics_in_use(client, mori):
    ServiceFactory(municipality=mori, slug="a", topics=["Anagrafe", "Residenza"])
    ServiceFactory(municipality=mori, slug="b", topics=["Anagrafe", "Parola libera"])  # legacy free text
    ServiceFactory(municipality=mori, slug="c", topics=["Sport"], status="draft")
    home = soup(client.get(f"{BASE}/"))
    assert home.select_one("[data-element=all-topics]")["href"] == f"{BASE}/argomenti/"
    page = soup(client.get(f"{BASE}/argomenti/"))
    assert [h.get_text(strip=True) for h in page.select("[data-element=topic-element]")] == [
        "Anagrafe",
        "Residenza",
    ]
    detail = soup(client.get(f"{BASE}/argomenti/anagrafe/"))
    assert {a["href"] for a in detail.select("[data-element=service-link]")} == {
        f"{BASE}/servizi/a/",
        f"{BASE}/servizi/b/",
    }
    assert client.get(f"{BASE}/argomenti/sport-estremi/").status_code == 404


def test_service_page_describes_itself_as_a_government_service(client, mori):
    ServiceFactory(
        municipality=mori,
        slug="cie",
        name="Carta d'identità <elettronica>",
        office_name="Ufficio anagrafe",
        office_address="Via Scuole 2, 38065 Mori (TN)",
        addressed_to="Chi risiede nel comune",
    )
    script = soup(client.get(f"{BASE}/servizi/cie/")).select_one("script[data-element=metatag]")
    assert script["type"] == "application/ld+json"
    assert "<elettronica>" not in script.string  # escaped inside the script element
    data = json.loads(script.string)
    assert data["name"] == "Carta d'identità <elettronica>"
    assert data["serviceOperator"]["name"] == "Comune di Mori"
    assert data["areaServed"]["name"] == "Mori"
    assert data["audience"]["audienceType"] == "Chi risiede nel comune"
    channel = data["availableChannel"]
    assert channel["serviceUrl"] == "http://testserver/comune-di-mori/it/servizi/cie/accedi/"
    assert channel["serviceLocation"]["address"]["postalCode"] == "38065"


def test_faq_page_shows_the_entries_in_order(client, mori, trento):
    FaqEntry.objects.create(municipality=mori, question="Seconda?", answer="**No**", position=2)
    FaqEntry.objects.create(municipality=mori, question="Prima?", answer="Sì", position=1)
    FaqEntry.objects.create(municipality=trento, question="Di Trento?", answer="Sì")
    page = soup(client.get(f"{BASE}/domande-frequenti/"))
    assert [s.get_text(strip=True) for s in page.select("details summary")] == ["Prima?", "Seconda?"]
    assert page.select_one("details strong").get_text() == "No"


def _rate(client, **data):
    return client.post(f"{BASE}/valutazione", {"page": "service", "next": f"{BASE}/servizi/cie/", **data})


def test_a_rating_with_its_follow_up_is_stored_once_per_visitor(client, mori):
    service = ServiceFactory(municipality=mori, slug="cie")
    response = _rate(client, service="cie", stars="4", answer="clear", comment="  Tutto   chiaro ", skip="1")
    assert response.status_code == 302 and response["Location"] == f"{BASE}/servizi/cie/#valutazione"
    rating = Rating.objects.get()
    assert (rating.service, rating.stars, rating.answer, rating.comment) == (
        service,
        4,
        "clear",
        "Tutto chiaro",
    )
    _rate(client, service="cie", stars="1", skip="1")
    assert Rating.objects.count() == 1  # the same visitor again


def test_without_javascript_the_follow_up_is_a_second_step(client, mori):
    ServiceFactory(municipality=mori, slug="cie")
    step = soup(_rate(client, service="cie", stars="2"))
    assert step.select_one("legend").get_text(strip=True) == str(ratings.NEGATIVE_QUESTION)
    assert [label.get_text(strip=True) for label in step.select("fieldset label")] == [
        str(label) for _v, label in ratings.NEGATIVE_ANSWERS
    ]
    assert not Rating.objects.exists()
    _rate(client, service="cie", stars="2", answer="technical")
    assert Rating.objects.get().answer == "technical"


@pytest.mark.parametrize(
    "data",
    [
        {"stars": "6", "skip": "1"},
        {"stars": "x", "skip": "1"},
        {"stars": "5", "answer": "technical"},  # a negative answer to a positive rating
        {"stars": "5", "answer": "clear", "comment": "x" * 201},
        {"stars": "5", "skip": "1", "page": "elsewhere"},
    ],
)
def test_bad_ratings_change_nothing(client, mori, data):
    ServiceFactory(municipality=mori, slug="cie")
    response = _rate(client, service="cie", **data)
    assert response.status_code == 302
    assert not Rating.objects.exists()


def test_a_rating_cannot_name_another_municipalitys_service(client, mori, trento):
    ServiceFactory(municipality=trento, slug="cie")
    assert _rate(client, service="cie", stars="5", skip="1").status_code == 404
    assert not Rating.objects.exists()


def test_answers_follow_the_threshold():
    assert ratings.answers_for(4) == ratings.answers_for(5) == ratings.POSITIVE_ANSWERS
    assert ratings.answers_for(1) == ratings.answers_for(3) == ratings.NEGATIVE_ANSWERS
    with pytest.raises(ValueError):
        ratings.answers_for(0)
