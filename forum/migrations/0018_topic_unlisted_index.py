"""The few topics not listed, in their own small index: search reads them once (forum.querysets,
PostQuerySet.outside_topics_hidden_from) instead of looking up every match's topic."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('forum', '0017_milestones'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='topic',
            index=models.Index(condition=models.Q(('status', 'published'), _negated=True), fields=['id'], name='topic_unlisted'),
        ),
    ]
