from django.db import migrations, models


def render_existing_answers(apps, schema_editor):
    from sportello.core.markdown import render_markdown

    FaqEntry = apps.get_model("municipalities", "FaqEntry")
    for entry in FaqEntry.objects.all().iterator():
        entry.answer_html = str(render_markdown(entry.answer))
        entry.save(update_fields=["answer_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0002_institutional_links_faq"),
    ]

    operations = [
        migrations.AddField(
            model_name="faqentry",
            name="answer_html",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(render_existing_answers, migrations.RunPython.noop),
    ]
