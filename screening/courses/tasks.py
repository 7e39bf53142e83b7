"""The course's tasks, run by the worker at their planned time."""

from __future__ import annotations

from django_tasks import task

from screening.courses.follow_up import follow_up_send


@task()
def course_send_follow_up(booking_id: int) -> str:
    """A few days after a session done: ask how the skin is (once)."""
    return follow_up_send(booking_id=booking_id)
