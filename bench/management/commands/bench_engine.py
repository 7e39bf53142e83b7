"""Screenings per second of the pure rules engine on one core (a benchmark,
not a test: it prints figures and compares them with the target).

``make bench`` reports the same figure (bench.inprocess)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from bench.inprocess import ENGINE_TARGET as TARGET_PER_SECOND
from bench.inprocess import engine_rates


class Command(BaseCommand):
    help = "Measure the rules engine alone with the default rules."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=20_000)

    def handle(self, *args, rounds: int, **options):
        for name, rate in engine_rates(rounds).items():
            verdict = "meets" if rate >= TARGET_PER_SECOND else "MISSES"
            self.stdout.write(f"{name:<28} {rate:>10,.0f} screenings/s  ({verdict} the {TARGET_PER_SECOND:,}/s target)")
