"""Weekly availability as time ranges (several a day) instead of a list of hours: each enrolment's hours are
turned into the ranges they form (consecutive hours of a day → one range), and back on reversal. The UTC mask
(availability_utc) covers the same hours, so it is kept as it is."""

from django.db import migrations, models


def hours_to_ranges(apps, schema_editor):
    from mentoring.matching import local_hours_to_ranges

    Enrolment = apps.get_model("mentoring", "Enrolment")
    for enrolment in Enrolment.objects.exclude(local_hours=[]).only("pk", "local_hours").iterator(chunk_size=500):
        ranges = local_hours_to_ranges([tuple(pair) for pair in enrolment.local_hours or []])
        Enrolment.objects.filter(pk=enrolment.pk).update(weekly_ranges=[list(item) for item in ranges])


def ranges_to_hours(apps, schema_editor):
    from mentoring.matching import ranges_to_local_hours

    Enrolment = apps.get_model("mentoring", "Enrolment")
    for enrolment in Enrolment.objects.exclude(weekly_ranges=[]).only("pk", "weekly_ranges").iterator(chunk_size=500):
        hours = ranges_to_local_hours([tuple(item) for item in enrolment.weekly_ranges or []])
        Enrolment.objects.filter(pk=enrolment.pk).update(local_hours=[list(pair) for pair in hours])


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0003_programme_coordinators"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="weekly_ranges",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(hours_to_ranges, ranges_to_hours),
        migrations.RemoveField(model_name="enrolment", name="local_hours"),
    ]
