from django.conf import settings
from django.utils.functional import SimpleLazyObject, lazy

from screening.core.clinic import ClinicContact, clinic_contact


def clinic(request):
    """The clinic as patients' pages name it: ``CLINIC_NAME`` (the profile's name, issue 17) and ``clinic``.

    Both come from one read of the profile, made only on a page that shows either. A page that read the
    name along its own query (``clinic_name_column``) passes ``CLINIC_NAME`` itself, which wins.
    """
    contact = SimpleLazyObject(clinic_contact)
    return {"CLINIC_NAME": lazy(_name_of, str)(contact), "clinic": contact,
            # The staff pages' name: the deployment's, as authenticator apps show it beside the code
            # (OTP_TOTP_ISSUER); it costs no query on pages staff load all day.
            "STAFF_SITE_NAME": settings.OTP_TOTP_ISSUER}


def _name_of(contact: ClinicContact) -> str:
    return contact.name
