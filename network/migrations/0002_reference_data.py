from django.db import migrations

from network.reference_data import EXPERTISE_AREAS, LANGUAGES, MISSIONS


def load(apps, schema_editor):
    Mission = apps.get_model("network", "Mission")
    Language = apps.get_model("network", "Language")
    ExpertiseArea = apps.get_model("network", "ExpertiseArea")
    for acronym, name, country in MISSIONS:
        Mission.objects.update_or_create(acronym=acronym, defaults={"name": name, "country": country})
    for code, name in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name})
    for slug, name in EXPERTISE_AREAS:
        ExpertiseArea.objects.update_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
