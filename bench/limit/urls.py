from django.shortcuts import render
from django.urls import path

from .models import Story


def latest(request):
    stories = Story.objects.order_by("-last_activity_at", "-id")[:20]
    return render(request, "limit/page.html", {"stories": stories})


urlpatterns = [path("", latest)]
