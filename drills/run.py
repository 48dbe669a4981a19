"""Runs the fault drills (all, or those named) and prints each one's figures and a summary; exits non-zero when
any drill fails.

    .venv/bin/python -m drills.run                  (make drill)
    .venv/bin/python -m drills.run beat_twice       one of them

Each drill runs on a copy of a template database migrated once for the run, within its time limit; a failed
drill's logs stay in .run/drills/<drill>/ (every drill's, with DRILL_KEEP_LOGS=1). See drills/stage.py for
DRILL_DATABASE and DRILL_REDIS_URL.

A drill that mostly waits (Redis stays down for five minutes) runs beside the others, in a second run of this
module with its own template database (DRILL_DATABASE + "_beside") and Redis db (DRILL_REDIS_URL's + 1); its report
is printed when the others are done, and the summary holds every drill.
"""

import contextlib
import dataclasses
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from drills.stage import DATABASE, LOG_ROOT, REDIS_URL, DrillTimeout, Figures, Stage, runner_env, template, time_limit
from harness.database import setup_django
from harness.processes import DrillFailure

DRILLS = ["worker_killed", "beat_twice", "slow_gateway"]
BESIDE = []
RESULTS_FLAG = "--results"


def main(args: list[str]) -> int:
    results_file = None
    if args[:1] == [RESULTS_FLAG]:
        results_file, args = Path(args[1]), args[2:]
    names = args or DRILLS
    unknown = set(names) - set(DRILLS)
    if unknown:
        print(f"No drill named {', '.join(sorted(unknown))}; there are {', '.join(DRILLS)}.", file=sys.stderr)
        return 2
    beside = [name for name in names if name in BESIDE] if len(names) > 1 else []
    # Stopped from outside (a CI timeout): the stages still stop their processes and drop their databases.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    setup_django(runner_env())
    began = time.monotonic()
    results = []
    with running_beside(beside) as beside_results, template():
        for name in names:
            if name not in beside:
                drill = importlib.import_module(f"drills.{name}")  # its models need Django set up
                results.append(run_one(drill))
    results += beside_results
    if results_file:
        results_file.write_text(json.dumps([[t, dataclasses.asdict(f), s, p] for t, f, s, p in results]))
    else:
        print_summary(results, time.monotonic() - began)
    return 1 if any(not passed for _title, _figures, _seconds, passed in results) else 0


@contextlib.contextmanager
def running_beside(names: list[str]):
    """The drills `names` in a second run of this module, started now; the list it yields is filled with their
    results, and their report printed, once the block's own drills are done."""
    results = []
    if not names:
        yield results
        return
    LOG_ROOT.mkdir(parents=True, exist_ok=True)
    report = LOG_ROOT / "beside.log"
    answer = Path(tempfile.mkstemp(prefix="drills-", suffix=".json")[1])
    base, _, db = REDIS_URL.rpartition("/")
    env = {**os.environ, "DRILL_DATABASE": f"{DATABASE}_beside", "DRILL_REDIS_URL": f"{base}/{int(db or 0) + 1}"}
    with open(report, "w") as output:
        run = subprocess.Popen(
            [sys.executable, "-m", "drills.run", RESULTS_FLAG, str(answer), *names],
            env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    print(f"Running beside the others: {', '.join(names)} (its report follows theirs)", flush=True)
    try:
        yield results
        run.wait()
    finally:
        if run.poll() is None:
            run.terminate()
            run.wait()
    print(report.read_text(), end="", flush=True)
    try:
        results += [(t, Figures(**f), s, p) for t, f, s, p in json.loads(answer.read_text())]
    except ValueError:
        results.append((" ".join(names), Figures(problems=["the run beside ended without results"]), 0.0, False))
    answer.unlink(missing_ok=True)


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
