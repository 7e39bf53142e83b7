"""A patient's browser session ends after PATIENT_IDLE_MINUTES without a request; the answers stay.

A patient's session carries no account, only access to their own intake
(``screening.intake.access``). On a shared or lost phone that access should
not last: after the idle time the session is emptied, and a patient page
asked for then leads to "ask for a new link" with a word of explanation.
Every answer was saved as it was given, so the emailed link (or a new one)
brings the patient back to where they were.

The last-seen time is written at most once a minute, so the step pages do
not write the session on every request.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from screening.intake.access import SEEN_AT_KEY, SESSION_KEY

SEEN_RESOLUTION = 60  # seconds


class PatientIdleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        session = request.session
        if not session.get(SESSION_KEY):
            return None
        now = time.time()
        seen = session.get(SEEN_AT_KEY)
        if isinstance(seen, (int, float)) and now - seen > settings.PATIENT_IDLE_MINUTES * 60:
            session.flush()  # the grants go, and the old session key stops working
            if "public_id" not in view_kwargs:
                return None
            messages.info(request, _("For your privacy, your session ended after {minutes} minutes without activity. "
                                     "Your answers are saved: open the link in your email to carry on, or ask for "
                                     "a new one here.").format(minutes=settings.PATIENT_IDLE_MINUTES))
            return redirect("intake:link_request")
        if not isinstance(seen, (int, float)) or now - seen >= SEEN_RESOLUTION:
            session[SEEN_AT_KEY] = now
        return None
