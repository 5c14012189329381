from django.db import migrations

CATEGORIES = [
    ("Introductions", "introductions", "Say hello and tell us as much or as little as you like."),
    (
        "Recovery stories",
        "recovery-stories",
        "Your own road: where you were, what helped, where you are now.",
    ),
    (
        "Encouragement and small wins",
        "encouragement",
        "A good day, a hard thing done, a milestone: every step counts here.",
    ),
    (
        "Asking for support",
        "asking-for-support",
        "When things are heavy. Members answer with what helped them, not with judgement.",
    ),
    (
        "Peer specialists' corner",
        "peer-specialists",
        "Certified Peer Specialists share tools, resources and what they have learned.",
    ),
]


def seed(apps, schema_editor):
    Category = apps.get_model("forum", "Category")
    for position, (name, slug, description) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
