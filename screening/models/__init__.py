from screening.models.booking import (  # noqa: F401
    ClinicSettings,
    ACTIVE_BOOKING_STATUSES,
    Booking,
    BookingStatus,
    Practitioner,
    ScheduleException,
    WeeklyHours,
    Weekday,
)
from screening.models.intake import (  # noqa: F401
    AccessLink,
    RateLimitCounter,
    Flag,
    Intake,
    Outcome,
    Question,
    QuestionType,
    Rule,
    Screening,
    Severity,
    Step,
    Treatment,
)
from screening.models.rules import (  # noqa: F401
    DraftCondition,
    DraftExample,
    QuestionnaireVersion,
    RuleDraft,
    RuleRevision,
)
from screening.models.staff import AuditEvent, IntakeDecision, PatientQuestion  # noqa: F401
