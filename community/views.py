from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import CrisisResource
from .services import current_guidelines


def guidelines(request: HttpRequest) -> HttpResponse:
    return render(request, "community/guidelines.html", {"guidelines": current_guidelines()})


def crisis(request: HttpRequest) -> HttpResponse:
    return render(request, "community/crisis.html", {"resources": CrisisResource.objects.all()})
