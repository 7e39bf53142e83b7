"""The clinic admin's rule pages, mounted at /staff/rules/ by clinic.urls (namespace ``rules``)."""

from django.urls import path

from screening.setup import rule_views

app_name = "rules"
urlpatterns = [
    path("", rule_views.rule_list, name="list"),
    path("export/", rule_views.rules_export, name="export"),
    path("<int:rule_id>/change/", rule_views.rule_start, name="start"),
    path("drafts/<int:draft_id>/", rule_views.draft_edit, name="draft"),
    path("drafts/<int:draft_id>/words/", rule_views.draft_words, name="words"),
    path("drafts/<int:draft_id>/preview/", rule_views.draft_preview, name="preview"),
    path("drafts/<int:draft_id>/publish/", rule_views.draft_publish_view, name="publish"),
]
