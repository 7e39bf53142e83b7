"""`make bench`: the app beside Django's own floor; see bench/run.py and docs/performance.md."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from bench import run as bench_run


class Command(BaseCommand):
    help = "Benchmark the app against a minimal Django view (the floor) under gunicorn on PostgreSQL."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1_000_000, help="intakes in the scale database")
        parser.add_argument("--small", type=int, default=100, help="intakes in the small database")
        parser.add_argument("--rounds", type=int, default=3, help="alternations of floor and app per figure")
        parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per run")
        parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each run")
        parser.add_argument("--users", type=int, default=4, help="concurrent clients")
        parser.add_argument("--skip-scale", action="store_true", help="leave out the scale database")
        parser.add_argument("--skip-patient", action="store_true",
                            help="leave out the patient figures (staff pages and in-process figures only)")
        parser.add_argument("--json", dest="json_path", help="also write the figures here as JSON")
        parser.add_argument("--only", choices=["what-if"],
                            help="only this measurement: what-if = both what-if previews over --what-if-intakes "
                                 "submitted intakes, on a database of their own (<name>_whatif, kept and topped up)")
        parser.add_argument("--what-if-intakes", type=int, default=100_000,
                            help="submitted intakes for --only what-if")
        # Internal: the steps the run makes in child processes, each on its own database.
        parser.add_argument("--step", choices=["prepare-patient", "prepare-staff", "inprocess", "what-if"],
                            help="(internal)")
        parser.add_argument("--out", help="(internal)")
        parser.add_argument("--submits", type=int, default=3000, help="(internal)")
        parser.add_argument("--bookings", type=int, default=1500, help="(internal)")

    def handle(self, *args, **options):
        if options["step"]:
            Path(options["out"]).write_text(json.dumps(self._step(options)))
            return
        if options["only"] == "what-if":
            self.stdout.write(bench_run.render_what_if(bench_run.run_what_if(options["what_if_intakes"])))
            return
        settings = bench_run.Options(
            scale=options["scale"], small=options["small"], rounds=options["rounds"], seconds=options["seconds"],
            warmup=options["warmup"], users=options["users"], skip_scale=options["skip_scale"],
            skip_patient=options["skip_patient"],
            json_path=options["json_path"],
        )
        report = bench_run.run(settings)
        table = bench_run.render(report, settings)
        self.stdout.write("\n" + table)
        if settings.json_path:
            Path(settings.json_path).write_text(json.dumps(
                {"figures": [vars(f) for f in report.figures], **report.raw, "table": table}, indent=2, default=str))

    def _step(self, options) -> dict:
        from bench import fixtures, inprocess

        if options["step"] == "prepare-patient":
            return fixtures.patient_scenarios(submits=options["submits"], bookings=options["bookings"])
        if options["step"] == "prepare-staff":
            return fixtures.staff_scenarios()
        if options["step"] == "what-if":
            return {"what_if": inprocess.what_if(), "what_if_stored": inprocess.what_if_stored()}
        return {"engine": inprocess.engine_rates(), "what_if": inprocess.what_if(),
                "what_if_stored": inprocess.what_if_stored()}
