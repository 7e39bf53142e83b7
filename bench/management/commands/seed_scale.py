"""Add N realistic intakes (two years of a busy clinic chain) for the benchmark."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from bench.seed import Seeder
from screening.core.models import Treatment
from screening.questionnaire.models import Rule


class Command(BaseCommand):
    help = "Create N realistic intakes (all outcomes, spread over two years) with screenings, flags, "
    help += "reviews and bookings, fast (COPY on PostgreSQL). Adds to what is there."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="how many intakes to add (drafts included)")
        parser.add_argument("--seed", type=int, default=8, help="random seed (the same seed, the same data)")

    def handle(self, *args, count: int, seed: int, **options):
        if count < 1:
            raise CommandError("N must be at least 1.")
        if not Rule.objects.filter(active=True).exists() or not Treatment.objects.exists():
            raise CommandError("No rules or treatments: run `manage.py migrate` (it seeds the defaults) first.")
        started = time.perf_counter()
        report = Seeder(count, seed=seed).run(progress=lambda line: self.stdout.write(f"  {line}"))
        seconds = time.perf_counter() - started
        outcomes = ", ".join(f"{n:,} {name}" for name, n in sorted(report.outcomes.items()))
        self.stdout.write(self.style.SUCCESS(
            f"Added {report.intakes:,} intakes in {seconds:,.1f} s ({report.intakes / seconds:,.0f}/s): "
            f"{report.drafts:,} drafts; {outcomes}; {report.screenings:,} screenings, {report.flags:,} flags, "
            f"{report.decisions:,} decisions, {report.questions:,} open questions, {report.bookings:,} bookings, "
            f"{report.audit_events:,} audit lines."
        ))
