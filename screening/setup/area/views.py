"""The set-up pages: permission, form, service, redirect. For clinic admins (``core.change_clinicsettings``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from screening.booking.models import Practitioner
from screening.core.client_ip import request_actor
from screening.core.clinic import clinic_profile
from screening.core.models import Location, Treatment
from screening.review.permissions import CHANGE_CLINIC, can_erase_patients, requires
from screening.setup.area import services
from screening.setup.area.forms import (
    POLICY_FIELDS,
    PROFILE_FIELDS,
    ClosureForm,
    LocationForm,
    PractitionerForm,
    ProfileForm,
    TreatmentForm,
)
from screening.setup.area.week import WeekForm, copied, week_initial

INVALID = 400


def setup_page(methods=("GET", "POST")):
    """Clinic admins only; never cached; the methods given."""
    def decorate(view):
        return never_cache(require_http_methods(list(methods))(requires(CHANGE_CLINIC)(view)))
    return decorate


def _saved(request: HttpRequest, form, save, success: str, to: str, *, with_pk: bool = False) -> HttpResponse | None:
    """Run ``save(cleaned_data)`` for a valid form: a message and a redirect (to ``to``, with the saved
    object's id if ``with_pk``); None to show the form again, with what was typed."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = save(form.cleaned_data)
    except ValidationError as error:  # the model's own checks, after the form's (a race, a constraint)
        form.add_error(None, error)
        return None
    messages.success(request, success)
    return redirect(to, obj.pk) if with_pk else redirect(to)


def _posted(request: HttpRequest):
    """The posted data (an empty POST is a bound, invalid form: never a silent re-show)."""
    return request.POST if request.method == "POST" else None


def _status(request: HttpRequest, *forms) -> int:
    return INVALID if request.method == "POST" and any(f.is_bound and f.errors for f in forms) else 200


@setup_page(("GET", "HEAD"))
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "setup/area/home.html", {
        "profile": clinic_profile(), "locations": Location.objects.all(),
        "treatments": Treatment.objects.all(), "practitioners": Practitioner.objects.select_related("location"),
        "can_erase": can_erase_patients(request.user),
    })


@setup_page()
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(_posted(request), instance=clinic_profile())
    done = _saved(request, form, lambda data: services.clinic_profile_update(
        data=form.model_data(), translations=form.translations(), actor=request_actor(request)),
                  "The clinic's profile is saved.", "setup:profile")
    return done or render(request, "setup/area/profile.html", {
        "form": form, "profile_fields": [form[f] for f in form.field_names(PROFILE_FIELDS)],
        "policy_fields": [form[f] for f in POLICY_FIELDS]}, status=_status(request, form))


@setup_page(("GET", "HEAD"))
def locations(request: HttpRequest) -> HttpResponse:
    return render(request, "setup/area/locations.html",
                  {"locations": Location.objects.prefetch_related("hours", "practitioners", "treatments")})


@setup_page()
def location(request: HttpRequest, location_id: int | None = None) -> HttpResponse:
    """A location's details (new, or changed), and its opening hours below them."""
    place = get_object_or_404(Location, pk=location_id) if location_id else None
    form = LocationForm(_posted(request), instance=place)
    done = _saved(request, form, lambda data: services.location_save(location=place, data=data,
                                                                     actor=request_actor(request)),
                  "The location is saved.", "setup:location", with_pk=True)
    week = WeekForm(initial=week_initial(place.hours.all())) if place else None
    return done or render(request, "setup/area/location.html", {
        "place": place, "form": form, "week": week}, status=_status(request, form))


@setup_page(("POST",))
def location_hours(request: HttpRequest, location_id: int) -> HttpResponse:
    place = get_object_or_404(Location, pk=location_id)
    return _week_post(request, "setup/area/location.html", {"place": place, "form": LocationForm(instance=place)},
                      lambda week: services.location_hours_set(location_id=place.pk, week=week,
                                                               actor=request_actor(request)),
                      "setup:location", place.pk)


def _week_post(request: HttpRequest, template: str, context: dict, save, to: str, pk: int) -> HttpResponse:
    """Save the week, or (a "copy" button) show it again with one day's hours copied, unsaved."""
    source = request.POST.get("copy_from")
    if source is not None:
        data = copied(request.POST, source)
        week = WeekForm(data if data is not None else request.POST)
        messages.info(request, "Hours copied. Check them, then save the week.")
        return render(request, template, {**context, "week": week, "copied": True})
    week = WeekForm(request.POST)
    if week.is_valid():
        save(week.week())
        messages.success(request, "The week's hours are saved.")
        return redirect(to, pk)
    return render(request, template, {**context, "week": week}, status=INVALID)


@setup_page(("GET", "HEAD"))
def treatments(request: HttpRequest) -> HttpResponse:
    return render(request, "setup/area/treatments.html", {"treatments": Treatment.objects.all()})


@setup_page()
def treatment(request: HttpRequest, treatment_id: int | None = None) -> HttpResponse:
    item = get_object_or_404(Treatment, pk=treatment_id) if treatment_id else None
    form = TreatmentForm(_posted(request), instance=item)
    done = _saved(request, form, lambda data: services.treatment_save(
        treatment=item, data=form.model_data(), translations=form.translations(), actor=request_actor(request)),
                  "The treatment is saved.", "setup:treatments")
    return done or render(request, "setup/area/treatment.html", {"item": item, "form": form},
                          status=_status(request, form))


@setup_page(("GET", "HEAD"))
def practitioners(request: HttpRequest) -> HttpResponse:
    return render(request, "setup/area/practitioners.html", {
        "practitioners": Practitioner.objects.select_related("location").prefetch_related("hours", "treatments")})


@setup_page()
def practitioner(request: HttpRequest, practitioner_id: int | None = None) -> HttpResponse:
    """A practitioner's details, and (once saved) their week and their one-off closures."""
    person = get_object_or_404(Practitioner, pk=practitioner_id) if practitioner_id else None
    form = PractitionerForm(_posted(request), instance=person)
    done = _saved(request, form, lambda data: services.practitioner_save(practitioner=person, data=data,
                                                                         actor=request_actor(request)),
                  "The practitioner is saved.", "setup:practitioner", with_pk=True)
    return done or render(request, "setup/area/practitioner.html", _practitioner_context(person, form=form),
                          status=_status(request, form))


def _practitioner_context(person: Practitioner | None, **forms) -> dict:
    context = {"person": person, "form": PractitionerForm(instance=person)}
    if person is not None:
        context.update(week=WeekForm(initial=week_initial(person.hours.all())), closure=ClosureForm(),
                       closures=person.exceptions.order_by("date", "start"))
    return {**context, **forms}


@setup_page(("POST",))
def practitioner_hours(request: HttpRequest, practitioner_id: int) -> HttpResponse:
    person = get_object_or_404(Practitioner, pk=practitioner_id)
    return _week_post(request, "setup/area/practitioner.html", _practitioner_context(person),
                      lambda week: services.practitioner_hours_set(practitioner_id=person.pk, week=week,
                                                                   actor=request_actor(request)),
                      "setup:practitioner", person.pk)


@setup_page(("POST",))
def closure_add(request: HttpRequest, practitioner_id: int) -> HttpResponse:
    person = get_object_or_404(Practitioner, pk=practitioner_id)
    form = ClosureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.schedule_exception_add(practitioner_id=person.pk, day=data["date"], kind=data["kind"],
                                        start=data["start"], end=data["end"], note=data["note"],
                                        actor=request_actor(request))
        messages.success(request, f"{data['date']:%A %d %B %Y} is in {person.name}'s calendar.")
        return redirect("setup:practitioner", person.pk)
    return render(request, "setup/area/practitioner.html", _practitioner_context(person, closure=form),
                  status=INVALID)


@setup_page(("POST",))
def closure_remove(request: HttpRequest, practitioner_id: int, exception_id: int) -> HttpResponse:
    person = get_object_or_404(Practitioner, pk=practitioner_id)
    if services.schedule_exception_remove(exception_id=exception_id, practitioner_id=person.pk,
                                          actor=request_actor(request)):
        messages.success(request, "Removed.")
    return redirect("setup:practitioner", person.pk)

