"""The audit trail for clinic admins (``audit.view_auditevent``): who did what and when, newest first.

Read-only, as the trail itself is (on PostgreSQL a trigger refuses changes).
Clinic admins lost the stock admin's "Audit events" with review 0007; the
sign-in alert email sends them here. The lines name staff and ids, never a
patient's name or answers, so reading them is not itself a read of health
data. Filters: what was done, by whom, on which day; pages by id ("Older").
Unfiltered, a page reads the newest ids off the primary key however long the
trail; a filter for a rare action reads further back (the trail is written far
more often than read, so it has no index on the action).
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from screening.audit.models import AuditAction
from screening.audit.selectors import trail_page
from screening.core.clinic import clinic_zone
from screening.review.permissions import requires

VIEW_AUDIT = "audit.view_auditevent"


class TrailFilterForm(forms.Form):
    action = forms.ChoiceField(label="What", required=False, choices=[("", "Anything")] + list(AuditAction.choices),
                               error_messages={"invalid_choice": "That is not in the list: choose again from it."})
    who = forms.CharField(label="Who (username)", required=False, max_length=150)
    day = forms.DateField(label="Day", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"invalid": "Enter a date, such as 2027-03-09."})
    before = forms.IntegerField(required=False, min_value=1, max_value=2**62, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "before":
                field.widget.attrs["class"] = "form-select form-select-sm" if name == "action" else \
                    "form-control form-control-sm"


@never_cache
@require_safe
@requires(VIEW_AUDIT)
def audit_trail(request: HttpRequest) -> HttpResponse:
    form = TrailFilterForm(request.GET or None)
    form.is_valid()  # a bad filter is marked and left out; the valid ones apply
    filters = form.cleaned_data if form.is_bound else {}
    zone = clinic_zone()
    lines, older = trail_page(action=filters.get("action") or "", who=filters.get("who") or "",
                              day=filters.get("day"), zone=zone, before=filters.get("before"))
    kept = request.GET.copy()  # the filters, for the page links
    kept.pop("before", None)
    newest_query = kept.urlencode()
    if older:
        kept["before"] = str(older)
    return render(request, "setup/area/audit.html", {
        "form": form, "lines": lines, "older_query": kept.urlencode() if older else "",
        "newest_query": newest_query, "first_page": not filters.get("before"), "zone": zone,
    })
