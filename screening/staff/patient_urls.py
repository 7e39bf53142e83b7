"""The patient's answer-update page, mounted under /intake/ by clinic.urls (namespace ``answers``)."""

from django.urls import path

from screening.staff import answers

app_name = "answers"
urlpatterns = [
    path("<uuid:public_id>/update/", answers.answers_update, name="update"),
]
