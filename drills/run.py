"""Runs the fault drills (all, or those named) and prints each one's figures and a summary; exits non-zero when
any drill fails.

    .venv/bin/python -m drills.run                  (make drill)
    .venv/bin/python -m drills.run beat_twice       one of them

Each drill runs on a copy of a template database migrated once for the run, within its time limit; a failed
drill's logs stay in .run/drills/<drill>/ (every drill's, with DRILL_KEEP_LOGS=1). See drills/stage.py for
DRILL_DATABASE and DRILL_REDIS_URL.
"""

import importlib
import os
import shutil
import signal
import sys
import time
import traceback

from drills.stage import DrillTimeout, Stage, runner_env, template, time_limit
from harness.database import setup_django
from harness.processes import DrillFailure

DRILLS = ["worker_killed", "beat_twice", "slow_gateway"]


def main(names: list[str]) -> int:
    unknown = set(names) - set(DRILLS)
    if unknown:
        print(f"No drill named {', '.join(sorted(unknown))}; there are {', '.join(DRILLS)}.", file=sys.stderr)
        return 2
    # Stopped from outside (a CI timeout): the stages still stop their processes and drop their databases.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    setup_django(runner_env())
    began = time.monotonic()
    results = []
    with template():
        for name in names or DRILLS:
            drill = importlib.import_module(f"drills.{name}")  # its models need Django set up
            results.append(run_one(drill))
    print_summary(results, time.monotonic() - began)
    return 1 if any(not passed for _title, _figures, _seconds, passed in results) else 0


def run_one(drill) -> tuple:
    print(f"\n== {drill.TITLE}", flush=True)
    stage = Stage(drill.NAME)
    began = time.monotonic()
    try:
        # The limit ends before the stage does, so that its processes are stopped whatever happened.
        with stage, time_limit(drill.LIMIT):
            drill.run(stage)
    except (DrillFailure, DrillTimeout) as exc:
        stage.figures.check(False, str(exc))
    except Exception:
        traceback.print_exc()
        stage.figures.check(False, "the drill itself failed (traceback above)")
    seconds = time.monotonic() - began
    passed = not stage.figures.problems
    if passed and not os.environ.get("DRILL_KEEP_LOGS"):
        shutil.rmtree(stage.log_dir, ignore_errors=True)
    else:
        print(f"   the processes' logs are kept in {stage.log_dir}", flush=True)
    print(f"   {'passed' if passed else 'FAILED'} in {seconds:.0f} s (limit {drill.LIMIT} s)", flush=True)
    return drill.TITLE, stage.figures, seconds, passed


def print_summary(results: list[tuple], seconds: float) -> None:
    width = max(len(title) for title, *_ in results)
    print(f"\n  {'drill':<{width}} {'requests':>8} {'faults':>6} {'checked':>8} {'lost':>5} {'duplicated':>10} "
          f"{'time':>6}  result")  # fmt: skip
    for title, figures, took, passed in results:
        print(
            f"  {title:<{width}} {figures.requests:>8,} {figures.faults:>6,} {figures.checked:>8,} {figures.lost:>5,}"
            f" {figures.duplicated:>10,} {took:>5.0f}s  {'ok' if passed else 'FAILED'}"
        )
    failed = sum(1 for *_, passed in results if not passed)
    minutes, rest = divmod(round(seconds), 60)
    print(f"\n{len(results)} drills, {len(results) - failed} passed, {failed} failed, in {minutes} min {rest} s")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
