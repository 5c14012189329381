import django.utils.timezone
from django.db import migrations, models

# A careful starter list, reviewed for whole-word matching (see forum.screening). Words ending in
# * match any ending; a space also matches a hyphen. "die", "dead", "cut" or "pills" alone are
# deliberately absent: they are everyday words in recovery stories.
PHRASES = {
    "suicide": [
        "suicide",
        "suicidal",
        "kill* myself",
        "end* my life",
        "end* it all",
        "take my own life",
        "taking my own life",
        "took my own life",
        "want* to die",
        "wanna die",
        "wish i was dead",
        "wish i were dead",
        "better off dead",
        "better off without me",
        "no reason to live",
        "nothing to live for",
        "don't want to live",
        "dont want to live",
        "don't want to be alive",
        "dont want to be alive",
        "don't want to wake up",
        "dont want to wake up",
        "not be here tomorrow",
        "goodbye forever",
        "hang myself",
        "hanging myself",
        "jump off a bridge",
    ],
    "self_harm": [
        "self harm*",
        "selfharm*",
        "self injur*",
        "hurt* myself",
        "cut* myself",
        "cutting again",
        "harm* myself",
    ],
    "overdose": [
        "overdos*",
        "od'd",
        "od'ing",
        "take all my pills",
        "took all my pills",
        "taking all my pills",
        "took too many pills",
        "take too many pills",
        "taking too many pills",
        "swallow* all my pills",
        "swallow* the whole bottle",
        "use until i die",
    ],
}


def seed(apps, schema_editor):
    ScreeningPhrase = apps.get_model("forum", "ScreeningPhrase")
    for topic, phrases in PHRASES.items():
        for phrase in phrases:
            ScreeningPhrase.objects.get_or_create(
                phrase=phrase, defaults={"topic": topic, "note": "Starter list"}
            )


class Migration(migrations.Migration):
    dependencies = [("forum", "0002_seed_categories")]

    operations = [
        migrations.CreateModel(
            name="ScreeningPhrase",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("phrase", models.CharField(max_length=120, unique=True)),
                (
                    "topic",
                    models.CharField(
                        choices=[("suicide", "Suicide"), ("self_harm", "Self-harm"), ("overdose", "Overdose")],
                        max_length=20,
                    ),
                ),
                ("is_active", models.BooleanField(default=True)),
                ("note", models.CharField(blank=True, help_text="Why this phrase is listed.", max_length=300)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={"ordering": ["topic", "phrase"]},
        ),
        migrations.AddField(
            model_name="post",
            name="crisis_language",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
