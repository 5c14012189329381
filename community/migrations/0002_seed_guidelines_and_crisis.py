from django.db import migrations

PRINCIPLES = """Share your own story: lived experience shows that recovery is real and within reach.
Build trust: what is shared here stays here.
Encourage: celebrate small wins and believe in each other's potential.
Focus on strengths, not shortcomings: no judging, no piling on.
Empathy first: listen before advising; say “what helped me”, not “you should”.
It is safe to voice fears and struggles here: that is a step forward, not a weakness.
We build this culture together: report what harms it."""

BODY = """Lantern is a peer-support community. Everyone here has walked some part of the road of
recovery, from mental health struggles, from substance use, or alongside someone who has. Hope
spreads when someone who has been there shares what it was like, what helped and where they are
now. These guidelines are how we keep that hope safe.

## 1. Share your own story

Your lived experience is the most useful thing you can offer. Speak from "I": what happened to
you, what you tried, what worked and what did not. You never owe anyone details you do not want
to share, and a short post counts just as much as a long one.

## 2. Build trust

What is shared here stays here. Do not copy members' posts elsewhere, do not try to find out who
someone is, and keep your own identifying details (full name, address, workplace, phone number)
out of your posts. Use a pseudonym.

## 3. Encourage

Celebrate small wins: a day, a week, a phone call made, a meal eaten. Believe in each other's
potential, especially on the days someone cannot believe in their own. Send encouragement freely.

## 4. Focus on strengths, not shortcomings

No judging, no lecturing, no piling on. Relapse and setbacks are part of many recovery stories;
meet them with care, not criticism. There are no downvotes here on purpose.

## 5. Empathy first

Listen before advising. Say "what helped me was..." rather than "you should...". Different
things work for different people, and medication, therapy, mutual aid and other paths all have a
place here. Do not give medical advice; share experience.

## 6. It is safe to voice fears and struggles

Saying that you are struggling is a step forward, not a weakness. If you are in danger right now,
please use the "Need help now?" link at the top of every page: this community is peer support,
not a crisis service, and people there are ready to help immediately.

## 7. We build this culture together

If a post harms this culture, or if you think someone may be at risk, use "Report". Moderators,
including Certified Peer Specialists, look at every report. Reporters are never named to the
person they reported.
"""

RESOURCES = [
    (
        "988 Suicide & Crisis Lifeline",
        "United States",
        "988",
        "Text 988",
        "https://988lifeline.org/",
        "Free, confidential support 24/7 for anyone in distress, by call, text or chat.",
    ),
    (
        "Samaritans",
        "United Kingdom and Ireland",
        "116 123",
        "",
        "https://www.samaritans.org/",
        "Free to call, day or night, 365 days a year. Someone will listen.",
    ),
    (
        "Your local emergency number",
        "Everywhere",
        "911 / 999 / 112",
        "",
        "",
        "If you or someone else is in immediate danger, call your local emergency number now "
        "(911 in North America, 999 in the UK, 112 across the EU).",
    ),
    (
        "Find a Helpline",
        "International",
        "",
        "",
        "https://findahelpline.com/",
        "A directory of free, confidential helplines in more than 130 countries.",
    ),
]


def seed(apps, schema_editor):
    from forum import rendering

    Guidelines = apps.get_model("community", "Guidelines")
    CrisisResource = apps.get_model("community", "CrisisResource")
    # Paragraphs are wrapped above for reading; members' Markdown keeps single line breaks.
    body = "\n\n".join(" ".join(part.split("\n")) for part in BODY.strip().split("\n\n"))
    if not Guidelines.objects.exists():
        Guidelines.objects.create(
            version=1,
            principles=PRINCIPLES,
            body=body,
            body_html=rendering.render_markdown(body),
        )
    if not CrisisResource.objects.exists():
        for position, (name, region, phone, text, url, description) in enumerate(RESOURCES):
            CrisisResource.objects.create(
                name=name,
                region=region,
                phone=phone,
                text=text,
                url=url,
                description=description,
                position=position,
            )


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
