from django.db import models


class Story(models.Model):
    title = models.CharField(max_length=150)
    author = models.CharField(max_length=30)
    replies = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["-last_activity_at", "-id"], name="story_latest")]

    def __str__(self):
        return self.title
