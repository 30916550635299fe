"""Data migrations of the municipalities app, run forwards on rows written by the previous schema."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_the_migration_stores_the_html_of_existing_faq_answers():
    before, after = (
        [("municipalities", "0002_institutional_links_faq")],
        [("municipalities", "0003_faq_entry_answer_html")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    municipality = apps.get_model("municipalities", "Municipality").objects.create(
        name="Comune di Prova",
        slug="comune-di-prova",
        fiscal_code="00000000001",
        ipa_code="c_x000",
        email="a@b.it",
    )
    apps.get_model("municipalities", "FaqEntry").objects.create(
        municipality=municipality, question="Orari?", answer="Alle *otto*."
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    entry = executor.loader.project_state(after).apps.get_model("municipalities", "FaqEntry").objects.get()
    assert entry.answer_html == "<p>Alle <em>otto</em>.</p>"
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest schema for the other tests
