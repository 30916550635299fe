from django.contrib import admin

from .models import Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "fiscal_code", "ipa_code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "ipa_code", "fiscal_code"]
    prepopulated_fields = {"slug": ["name"]}
