from django.conf import settings
from django.utils.functional import SimpleLazyObject

from screening.core.clinic import clinic_contact


def clinic(request):
    # ``clinic`` (the clinic's contact details) costs its query only on a page that shows it.
    return {"CLINIC_NAME": settings.CLINIC_NAME, "clinic": SimpleLazyObject(clinic_contact)}
