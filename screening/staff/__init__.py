"""Staff review: sign-in and roles, the queue, clinicians' decisions, the audit trail.

Installed as its own small app (``screening.staff.apps.StaffConfig``) so that
its admin module is discovered and its signal receivers are connected at
start-up; its models are part of ``screening`` (``screening.models.staff``).
"""
