"""Integration keys in the Django admin: the clinic admin makes one (its secret shown once) and revokes it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from screening.core.client_ip import request_actor
from screening.fhir.models import IntegrationToken
from screening.fhir.services import integration_token_create, integration_token_revoke


@admin.action(description="Revoke the selected keys (for good)", permissions=["change"])
def revoke_tokens(modeladmin, request, queryset):
    revoked = sum(integration_token_revoke(token_id=pk, by=request_actor(request))
                  for pk in queryset.values_list("pk", flat=True))
    modeladmin.message_user(request, f"{revoked} key(s) revoked.", messages.SUCCESS)


@admin.register(IntegrationToken)
class IntegrationTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "scope", "created_at", "created_by", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    actions = [revoke_tokens]
    fields = ["name", "scope", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        # A key's name and scope are fixed once made: a changed scope would be a different key.
        if obj is None:
            return ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
        return self.fields

    def get_fields(self, request, obj=None):
        return ["name", "scope"] if obj is None else self.fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoked, never deleted: the audit trail names keys

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing on a key changes but its revocation (the action)
        token, secret = integration_token_create(name=obj.name, scope=obj.scope, by=request_actor(request))
        obj.pk, obj.token_hash, obj.prefix = token.pk, token.token_hash, token.prefix
        request.fhir_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        # The secret exists only in this response: shown once, never stored, never in a message or a redirect.
        return TemplateResponse(request, "fhir/token_created.html", {
            **self.admin_site.each_context(request), "token": obj, "secret": request.fhir_secret,
            "title": "Integration key made", "opts": self.model._meta,
        })
