from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from territories.models import (
    IndustryLabel,
    Organisation,
    OrganisationAlias,
    Person,
    Territory,
    TerritoryAlias,
)


class TerritoryAliasInline(admin.TabularInline):
    model = TerritoryAlias
    extra = 1
    fields = ["name", "kind", "source"]


@admin.register(Territory)
class TerritoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "code", "departement", "region", "population", "is_reference"]
    list_filter = ["kind", "is_reference", "is_obsolete", "legal_form"]
    search_fields = ["name", "normalized_name", "code", "aliases__normalized"]
    list_select_related = ["departement", "region"]
    readonly_fields = ["is_reference", "created_at", "updated_at"]
    autocomplete_fields = ["region", "departement", "epci", "departements", "members"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TerritoryAliasInline]
    show_full_result_count = False


class OrganisationAliasInline(admin.TabularInline):
    model = OrganisationAlias
    extra = 1
    fields = ["name", "kind"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "acronym", "home_territory"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym", "aliases__name"]
    list_select_related = ["home_territory"]
    autocomplete_fields = ["home_territory"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganisationAliasInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name", "normalized_name"]
    list_filter = [("created_at", admin.DateFieldListFilter)]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(IndustryLabel)
class IndustryLabelAdmin(SimpleHistoryAdmin):
    list_display = ["name", "phase", "region", "labelled_on", "code"]
    list_filter = ["phase", ("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code"]
    list_select_related = ["region"]
    autocomplete_fields = ["region", "territories"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["is_reference"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "code", "phase", "region", "labelled_on"]}),
        (_("Membres"), {"fields": ["territories"]}),
        (_("Origine"), {"fields": ["is_reference"]}),
    ]
