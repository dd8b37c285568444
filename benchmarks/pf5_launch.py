"""Where a run's start goes: from the run created to its first step, phase by phase (PF5's "launch").

    python benchmarks/pf5_launch.py [--runs 6]

`dagster dev` (as PF5 starts it, the demo's instance) serves the code location against the sandboxes;
`push_orders` is launched over GraphQL one run after another, as an operator would, and each run's
own event log says when each phase ended:

  submitted    run created -> RUN_ENQUEUED     the launch's submission to the run queue
  queued       enqueued -> RUN_STARTING        until the daemon's look at the queue takes it
                                               (QueuedRunCoordinator) and hands it to the launcher
  process      starting -> "Started process"   the code server spawns the run's process: the
                                               interpreter, dagster's imports, the instance
  code load    process -> RUN_START            the code location imported, its definitions built,
                                               the execution plan made
  first step   RUN_START -> first STEP_START   resources and the step's start

Also, apart from Dagster, each in a fresh interpreter: `import dagster` and the code location's
import (`sync_pipeline.definitions`, the definitions built) after it. Medians of the runs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python benchmarks/pf5_launch.py`

from benchmarks.common import ROOT, pipeline_environment, sandboxes, seed_shop  # noqa: E402
from benchmarks.pf5_freshness import GraphQL, dagster_dev  # noqa: E402

LAUNCH = """mutation Launch($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } ... on Error { message } } }"""
RUN = """query Run($id: ID!) { runOrError(runId: $id) { ... on Run { status creationTime } } }"""
EVENTS = """query Events($id: ID!) { logsForRun(runId: $id) { ... on EventConnection {
  events { __typename ... on MessageEvent { message timestamp } } } } }"""
FINISHED = ("SUCCESS", "FAILURE", "CANCELED")
JOB = "push_orders"
PHASES = ("submitted", "queued", "process", "code load", "first step")


def phases(created: float, events: list[dict[str, Any]]) -> dict[str, float]:
    """Seconds of each phase of one run, from its creation time and its event log."""
    def first(match: Any) -> float:
        return next(float(e["timestamp"]) / 1000 for e in events if match(e))

    marks = [created,
             first(lambda e: e["__typename"] == "RunEnqueuedEvent"),
             first(lambda e: e["__typename"] == "RunStartingEvent"),
             first(lambda e: e["__typename"] == "EngineEvent" and e["message"].startswith("Started process")),
             first(lambda e: e["__typename"] == "RunStartEvent"),
             first(lambda e: e["__typename"] == "ExecutionStepStartEvent")]
    return {name: after - before for name, before, after in zip(PHASES, marks, marks[1:])}


def launched_run(graphql: GraphQL, location: str) -> dict[str, float]:
    selector = {"repositoryLocationName": location, "repositoryName": "__repository__", "jobName": JOB}
    launched = graphql(LAUNCH, params={"selector": selector})["launchRun"]
    if launched["__typename"] != "LaunchRunSuccess":
        raise RuntimeError(f"launch of {JOB} refused: {launched}")
    run_id = launched["run"]["runId"]
    while (run := graphql(RUN, id=run_id)["runOrError"])["status"] not in FINISHED:
        time.sleep(0.2)
    if run["status"] != "SUCCESS":
        raise RuntimeError(f"run {run_id} ended {run['status']}")
    return phases(float(run["creationTime"]), graphql(EVENTS, id=run_id)["logsForRun"]["events"])


def import_seconds(statement: str, before: str = "pass") -> float:
    """Wall seconds of `statement` in a fresh interpreter, after `before`."""
    code = f"import time; {before}; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{statement} failed: {done.stderr[-2000:]}")
    return float(done.stdout)


def run(runs: int) -> str:
    with sandboxes() as stack, tempfile.TemporaryDirectory(prefix="pf5-launch-") as home, \
            pipeline_environment(stack, home):
        seed_shop(stack, 10, random.Random(5))
        imports = [(import_seconds("import dagster"),
                    import_seconds("import sync_pipeline.definitions", before="import dagster"))
                   for _ in range(3)]
        with dagster_dev(Path(home), 30) as (graphql, location):
            measured = [launched_run(graphql, location) for _ in range(runs)]
    medians = {name: statistics.median(m[name] for m in measured) for name in PHASES}
    total = statistics.median(sum(m.values()) for m in measured)
    return (f"run start, created -> first step: {total:.1f} s (median of {runs} {JOB} runs): "
            + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in medians.items())
            + f"; apart: import dagster {statistics.median(i[0] for i in imports):.2f} s, then the code location "
              f"{statistics.median(i[1] for i in imports):.2f} s (medians of 3)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=6)
    print(run(parser.parse_args().runs), flush=True)
