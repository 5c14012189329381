"""Crisis resources become tap-to-call and tap-to-text links, ordered by the member's region.

The seeded resources get their text numbers, keywords and region codes (the free-text "text"
column, which read "Text 988", is no longer read), and services for the other member regions
are added.
Only the new columns are filled in, and a service already listed under the same name is not
added again.
"""

import community.models
from django.db import migrations, models


# name -> (region codes, text number, text keyword) for the seeded rows of 0002; only the new
# columns are filled in, so nothing an admin typed is overwritten.
SEEDED = {
    "988 Suicide & Crisis Lifeline": ("US", "988", ""),
    "Samaritans": ("GB IE", "", ""),
    "Your local emergency number": ("", "", ""),
    "Find a Helpline": ("", "", ""),
}

# (name, region, region codes, phone, text number, text keyword, url, description)
ADDED = [
    (
        "Crisis Text Line",
        "United States",
        "US",
        "",
        "741741",
        "HOME",
        "https://www.crisistextline.org/",
        "Free, 24/7 support by text with a trained volunteer crisis counselor.",
    ),
    (
        "9-8-8 Suicide Crisis Helpline",
        "Canada",
        "CA",
        "988",
        "988",
        "",
        "https://988.ca/",
        "Free support 24/7 in English and French, by call or text.",
    ),
    (
        "Shout",
        "United Kingdom",
        "GB",
        "",
        "85258",
        "SHOUT",
        "https://giveusashout.org/",
        "Free, confidential 24/7 text support.",
    ),
    (
        "Text About It (50808)",
        "Ireland",
        "IE",
        "",
        "50808",
        "HELLO",
        "https://text50808.ie/",
        "Free 24/7 text service, providing everything from a calming chat to immediate support.",
    ),
    (
        "Lifeline",
        "Australia",
        "AU",
        "13 11 14",
        "0477 13 11 14",
        "",
        "https://www.lifeline.org.au/",
        "24/7 crisis support by phone and text.",
    ),
    (
        "Need to talk? 1737",
        "New Zealand",
        "NZ",
        "1737",
        "1737",
        "",
        "https://1737.org.nz/",
        "Free call or text any time to talk with a trained counsellor.",
    ),
    (
        "Tele MANAS",
        "India",
        "IN",
        "14416",
        "",
        "",
        "https://telemanas.mohfw.gov.in/",
        "Free 24/7 mental health support from the Government of India, in many languages.",
    ),
]


def tap_to_call(apps, schema_editor):
    CrisisResource = apps.get_model("community", "CrisisResource")
    for name, (codes, sms_number, sms_keyword) in SEEDED.items():
        CrisisResource.objects.filter(name=name).update(
            region_codes=codes, sms_number=sms_number, sms_keyword=sms_keyword
        )
    if not CrisisResource.objects.exists():
        # A database that never had the seeded rows (they were deleted on purpose) stays so.
        return
    after = max(CrisisResource.objects.values_list("position", flat=True)) + 1
    for offset, row in enumerate(ADDED):
        name, region, codes, phone, sms_number, sms_keyword, url, description = row
        CrisisResource.objects.get_or_create(
            name=name,
            defaults={
                "region": region,
                "region_codes": codes,
                "phone": phone,
                "sms_number": sms_number,
                "sms_keyword": sms_keyword,
                "url": url,
                "description": description,
                "position": after + offset,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0006_safety_plan"),
    ]

    operations = [
        migrations.AddField(
            model_name="crisisresource",
            name="region_codes",
            field=models.CharField(
                default="",
                db_default="",
                blank=True,
                help_text="The member regions it serves, separated by spaces (e.g. “GB IE”); members there see it first. Leave empty for a service that serves everywhere.",
                max_length=60,
                validators=[community.models._validate_region_codes],
                verbose_name="region codes",
            ),
        ),
        migrations.AddField(
            model_name="crisisresource",
            name="sms_keyword",
            field=models.CharField(
                default="",
                db_default="",
                blank=True,
                help_text="The word the service asks people to text first (e.g. HOME); prefilled.",
                max_length=40,
                verbose_name="text keyword",
            ),
        ),
        migrations.AddField(
            model_name="crisisresource",
            name="sms_number",
            field=models.CharField(
                default="",
                db_default="",
                blank=True,
                help_text="The number to text, if any.",
                max_length=20,
                verbose_name="text number",
            ),
        ),
        migrations.AlterField(
            model_name="crisisresource",
            name="phone",
            field=models.CharField(
                blank=True,
                help_text="Numbers to call, as people read them; separate several with “/”.",
                max_length=40,
            ),
        ),
        migrations.AlterField(
            model_name="crisisresource",
            name="position",
            field=models.PositiveSmallIntegerField(
                default=0, help_text="Lower comes first within a region.", verbose_name="order"
            ),
        ),
        migrations.AlterField(
            model_name="crisisresource",
            name="region",
            field=models.CharField(
                help_text="Where it serves, in words, e.g. “United States”.", max_length=80
            ),
        ),
        migrations.RunPython(tap_to_call, migrations.RunPython.noop),
        # The "text" column stays for one release (the previous release selects it); the
        # model calls it legacy_text and nothing reads it. A later release drops it.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(
                    model_name="crisisresource", old_name="text", new_name="legacy_text"
                ),
                migrations.AlterField(
                    model_name="crisisresource",
                    name="legacy_text",
                    field=models.CharField(
                        blank=True, db_column="text", editable=False, max_length=80
                    ),
                ),
            ]
        ),
    ]
