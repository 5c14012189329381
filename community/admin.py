from django.contrib import admin

from . import services
from .models import CrisisResource, Guidelines


@admin.register(Guidelines)
class GuidelinesAdmin(admin.ModelAdmin):
    list_display = ["version", "published_at"]

    def save_model(self, request, obj, form, change):
        services.save_guidelines(guidelines=obj)


@admin.register(CrisisResource)
class CrisisResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "phone", "position"]
    list_editable = ["position"]
