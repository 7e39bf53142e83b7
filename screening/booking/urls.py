"""The patient's booking pages, mounted under /intake/ by clinic.urls (namespace ``booking``)."""

from django.urls import path

from screening.booking import data_views, feed_views, views

app_name = "booking"
urlpatterns = [
    path("<uuid:public_id>/book/", views.book, name="book"),
    path("<uuid:public_id>/booking/", views.booking_detail, name="booking"),
    path("<uuid:public_id>/booking/cancel/", views.booking_cancel_view, name="booking_cancel"),
    path("<uuid:public_id>/booking/move/", views.booking_move_view, name="booking_move"),
    # The patient's right to their data: a readable page and a JSON file.
    path("<uuid:public_id>/your-data/", data_views.your_data, name="your_data"),
    path("<uuid:public_id>/your-data/download/", data_views.your_data_download, name="your_data_download"),
    # A practitioner's calendar subscription (a secret link, no session): issue 19.
    path("calendar/<str:token>.ics", feed_views.calendar_feed, name="calendar_feed"),
]
