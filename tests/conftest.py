"""Shared fixtures. The default questionnaire and rules come from the data
migration, so every test database starts as a fresh install does."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings

# Fuzzing budgets: "ci" runs on every `make test`; "full" is the documented
# 1,000-cases-per-endpoint run (HYPOTHESIS_PROFILE=full make test).
hypothesis_settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True)
hypothesis_settings.register_profile("full", max_examples=1000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _fast_tests(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "screening.outbox.sms.LocmemBackend"
    settings.RATE_LIMITS_ENABLED = False  # tests/security/test_rate_limits.py turns them on
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _questionnaire_read_afresh():
    """Each test reads the live questionnaire from its own database.

    The process keeps the last one it read under (latest version, latest rule
    revision); a question a test saved without publishing leaves that key as it
    was, so after the test's rollback the next test would be handed that question.
    """
    from screening.questionnaire.selectors import forget_questionnaire

    forget_questionnaire()


@pytest.fixture(autouse=True)
def _second_factor_off_by_default(settings):
    """Two-factor sign-in is off unless a suite turns it on.

    Suites about other features sign their admins in with ``force_login``,
    which never passes a second factor. The staff and security suites turn
    it on (tests/staff/conftest.py, tests/security/test_staff_accounts.py),
    as production has it, and give their personas a verified session.
    """
    settings.STAFF_REQUIRE_2FA = False


def run_pending_on_commit(*, tasks: bool = True) -> int:
    """Run what a commit of the test transaction would lead to: on_commit callbacks, then the due tasks.

    Ordinary db tests are wrapped in a transaction that never commits, so
    without this nothing after commit would ever happen. Callbacks of
    savepoints that rolled back were already discarded by Django, as on a
    real commit; tasks enqueued in them were rolled back with them. The due
    tasks (the outbox's sends) then run as the worker would run them.
    """
    from django.db import connections

    ran = 0
    for alias in connections:
        conn = connections[alias]
        while conn.run_on_commit:
            _sids, func, _robust = conn.run_on_commit.pop(0)
            func()
            ran += 1
    return ran + (run_ready_tasks() if tasks else 0)


def run_ready_tasks(now=None) -> int:
    """Run the tasks due by ``now`` (default: now) in this process, with the worker's own code.

    Each task is claimed and run by django-tasks-db's ``Worker.run_task``,
    as ``manage.py db_worker`` does; a task that raises fails the test.
    Tests that need a separate worker process start ``db_worker`` itself
    (tests/outbox/test_workers.py).
    """
    from django.db.models import Q
    from django.utils import timezone
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = now or timezone.now()
    worker = Worker(queue_names=["*"], excluded_queue_names=[], interval=0, batch=True, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="tests")
    ran = 0
    while True:
        due = (DBTaskResult.objects.filter(status="READY")
               .filter(Q(run_after=get_date_max()) | Q(run_after__lte=now)).first())
        if due is None:
            return ran
        due.claim(worker.worker_id)
        worker.run_task(due)
        due.refresh_from_db()
        if due.status == "FAILED":
            raise AssertionError(f"Task {due.task_path} failed:\n{due.traceback}")
        ran += 1
        assert ran < 1000, "tasks keep planning tasks that are already due"


@pytest.fixture(autouse=True)
def _run_on_commit_after_each_request(request):
    """After each test-client request, run what its commit would have run."""
    from django.core.signals import request_finished

    marker = request.node.get_closest_marker("django_db")
    if marker is None or marker.kwargs.get("transaction"):
        yield
        return

    # Tests marked manual_tasks run the worker's tasks themselves (to time a request without them, say).
    tasks = request.node.get_closest_marker("manual_tasks") is None

    def receiver(**kwargs):
        run_pending_on_commit(tasks=tasks)

    request_finished.connect(receiver, dispatch_uid="tests-run-on-commit")
    try:
        yield
    finally:
        request_finished.disconnect(dispatch_uid="tests-run-on-commit")


@pytest.fixture
def on_commit():
    """Call the returned function to run pending on_commit callbacks and the tasks then due."""
    return run_pending_on_commit


@pytest.fixture
def run_tasks():
    """Call the returned function (optionally with a later ``now``) to run the tasks due by then."""
    return run_ready_tasks


@pytest.fixture(autouse=True)
def _reseed_for_transactional_tests(request):
    """Transactional tests (live server, real concurrency) flush the database
    when they end, wiping what the data migrations seeded; put it back
    before each such test, as a fresh install has it."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    reseed()


def reseed() -> None:
    from screening.core.models import Treatment
    from screening.questionnaire.models import MedicineTerm, Question, Rule, Step
    from screening.questionnaire.seed import install_defaults

    install_defaults(Step=Step, Question=Question, Rule=Rule, Treatment=Treatment, MedicineTerm=MedicineTerm)
    # The default questionnaire's Spanish (questionnaire 0010), as a fresh install has it.
    from screening.questionnaire.models import QuestionWording, RuleWording, StepWording
    from screening.questionnaire.seed_wordings import install_wordings

    install_wordings(Step=Step, Question=Question, Rule=Rule, StepWording=StepWording,
                     QuestionWording=QuestionWording, RuleWording=RuleWording)
    # The treatments' and the clinic's default texts' Spanish (questionnaire 0012).
    from screening.core.models import ClinicSettings, ClinicWording, TreatmentWording
    from screening.questionnaire.seed_wordings import install_clinic_wordings

    install_clinic_wordings(Treatment=Treatment, TreatmentWording=TreatmentWording, ClinicSettings=ClinicSettings,
                            ClinicWording=ClinicWording)
    from screening.review.permissions import roles_install

    roles_install()
