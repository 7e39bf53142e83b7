"""Two-factor sign-in for staff: a time-based code (TOTP, django-otp) after the password.

Clinicians and clinic admins must pass it before any /staff/ or /admin/
page (``permissions.needs_second_factor``; enforced by
``middleware.StaffAccessMiddleware`` through ``second_factor_redirect``).
Someone without a device enrols first: the page shows a QR code (an SVG
data URI: our CSP allows ``img-src data:`` and no inline script) and the
secret to type by hand, and asks for a first code to prove the app works.
A lost phone: a superuser deletes the device in the admin, and the next
sign-in enrols again.
"""

from __future__ import annotations

import base64
import io
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from screening.audit.log import audit_log
from screening.audit.models import AuditAction
from screening.core.client_ip import request_actor
from screening.review.permissions import before_second_factor, needs_second_factor

DEVICE_NAME = "Authenticator app"


# --- who must do what ------------------------------------------------------------


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def is_verified(request: HttpRequest) -> bool:
    """Set by django_otp's middleware once a code was accepted in this session."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def second_factor_redirect(request: HttpRequest) -> HttpResponse | None:
    """Where a signed-in user must go before this page, or None if they may see it.

    A user with a device is always asked for it (front desk too, once they
    chose to enrol); a clinician or clinic admin without one must enrol.
    """
    if not settings.STAFF_REQUIRE_2FA or is_verified(request):
        return None
    user = request.user
    if confirmed_device(user) is not None:
        target = "staff:otp_verify"
    elif needs_second_factor(user):
        target = "staff:otp_enrol"
    else:
        return None
    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


# --- the pages -----------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code", max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "autofocus": True}),
        help_text="From the authenticator app on your phone. It changes every 30 seconds.",
        error_messages={"required": "Please enter the 6-digit code from your authenticator app."},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError("The code is 6 digits, like 123456.")
        return code


@before_second_factor
@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if is_verified(request):
        return redirect(next_url)
    device = confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('staff:otp_enrol')}?{urlencode({'next': next_url})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refusal = _accept(request, device, form.cleaned_data["code"], detail="second factor verified")
        if refusal is None:
            return redirect(next_url)
        form.add_error("code", refusal)
    return render(request, "review/registration/otp_verify.html", {"form": form, "next": next_url})


@before_second_factor
@never_cache
@require_http_methods(["GET", "POST"])
def otp_enrol(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if confirmed_device(request.user) is not None:
        # One device each: adding another needs the first (or a superuser deleting it).
        return redirect(f"{reverse('staff:otp_verify')}?{urlencode({'next': next_url})}")
    device = _pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refusal = _accept(request, device, form.cleaned_data["code"], detail="second factor enrolled")
        if refusal is None:
            messages.success(request, "Two-factor sign-in is set up. "
                                      "You will be asked for a code each time you sign in.")
            return redirect(next_url)
        form.add_error("code", refusal)
    return render(request, "review/registration/otp_enrol.html", {
        "form": form,
        "next": next_url,
        "required": needs_second_factor(request.user),
        "qr_code": qr_data_uri(device.config_url),
        "secret": secret_for_typing(device),
    })


# --- helpers -------------------------------------------------------------------------


def _pending_device(user) -> TOTPDevice:
    """The device being enrolled; the same one on every reload, so the QR code stays valid."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def _accept(request: HttpRequest, device: TOTPDevice, code: str, *, detail: str) -> str | None:
    """Check the code, then mark the session verified under a new key; or say why not.

    django-otp refuses a code seen before, and after each wrong one waits
    twice as long as after the previous one (1, 2, 4... seconds) before it
    checks another.
    """
    actor = request_actor(request)
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return THROTTLED
    verified = django_otp.verify_token(request.user, device.persistent_id, code)
    if verified is None:
        audit_log(action=AuditAction.LOGIN_FAILED, actor=actor, target=request.user, detail="wrong second-factor code")
        return WRONG_CODE
    if not verified.confirmed:
        verified.confirmed = True
        verified.save(update_fields=["confirmed"])
        TOTPDevice.objects.devices_for_user(request.user, confirmed=False).delete()
    django_otp.login(request, verified)
    # More rights than a moment ago: a new session key, as at the password step.
    request.session.cycle_key()
    audit_log(action=AuditAction.LOGIN, actor=actor, target=request.user, detail=detail)
    return None


WRONG_CODE = "That code didn't work. Check that your phone's clock is right and enter the newest code."
THROTTLED = "Too many wrong codes in a row. Please wait a few seconds, then enter the newest code."


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI, for an <img> (no inline markup, no script).

    White-filled with the standard quiet zone, so phones read it on any page colour.
    """
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, as authenticator apps ask for it."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
