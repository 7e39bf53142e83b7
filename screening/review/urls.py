"""Staff URLs, mounted at /staff/ by clinic.urls (namespace ``staff``)."""

from django.urls import path

from screening.review import (
    auth_views,
    calendar_views,
    day_views,
    erase_views,
    front_desk,
    patient_views,
    phone_intake,
    two_factor,
    views,
)
from screening.review.permissions import before_second_factor

app_name = "staff"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("bookings/", views.bookings, name="bookings"),
    path("bookings/<int:booking_id>/session/", patient_views.session_mark_view, name="session_mark"),
    path("day/", day_views.day_view, name="day"),
    path("intakes/<uuid:public_id>/", views.intake_detail, name="intake"),
    path("intakes/<uuid:public_id>/clear/", views.intake_clear, name="intake_clear"),
    path("intakes/<uuid:public_id>/decline/", views.intake_decline, name="intake_decline"),
    path("intakes/<uuid:public_id>/ask/", views.intake_ask, name="intake_ask"),
    path("intakes/<uuid:public_id>/rescreen/", views.intake_rescreen, name="intake_rescreen"),
    path("intakes/<uuid:public_id>/revoke-links/", views.intake_revoke_links, name="intake_revoke_links"),
    path("patients/<int:patient_id>/", patient_views.patient_detail, name="patient"),
    path("patients/<int:patient_id>/merge/", patient_views.patient_merge, name="patient_merge"),
    path("patients/<int:patient_id>/erase/", erase_views.patient_erase_view, name="patient_erase"),
    path("skin-reports/<int:report_id>/seen/", patient_views.skin_report_seen_view, name="skin_report_seen"),
    # The front desk's work (issue 19): booking for a patient, and the bookings that no longer match.
    path("intakes/<uuid:public_id>/book/", front_desk.book_for_patient, name="book_for_patient"),
    path("intakes/<uuid:public_id>/cancel-booking/", front_desk.cancel_for_patient, name="cancel_for_patient"),
    path("intakes/<uuid:public_id>/email/", front_desk.correct_email, name="correct_email"),
    path("intakes/by-phone/", phone_intake.phone_intake_start, name="phone_intake_start"),
    path("intakes/<uuid:public_id>/by-phone/step/<int:number>/", phone_intake.phone_intake_step,
         name="phone_intake_step"),
    path("bookings/mismatched/", front_desk.mismatched, name="mismatched"),
    path("bookings/<int:booking_id>/cancel-and-tell/", front_desk.mismatched_cancel, name="mismatched_cancel"),
    path("calendars/", calendar_views.calendars, name="calendars"),
    path("calendars/<int:practitioner_id>/new/", calendar_views.calendar_new, name="calendar_new"),
    path("calendars/<int:practitioner_id>/revoke/", calendar_views.calendar_revoke, name="calendar_revoke"),
    path("messages/<int:message_id>/resend/", views.message_resend_view, name="message_resend"),
    # Public: the sign-in pages (Django's views, marked login_not_required).
    path("login/", auth_views.StaffLoginView.as_view(), name="login"),
    path("logout/", before_second_factor(auth_views.StaffLogoutView.as_view()), name="logout"),
    # Signed in with a password, not yet with the second factor.
    path("two-factor/", two_factor.otp_verify, name="otp_verify"),
    path("two-factor/set-up/", two_factor.otp_enrol, name="otp_enrol"),
    path("password-reset/", auth_views.StaffPasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.StaffPasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.StaffPasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("reset/done/", auth_views.StaffPasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
