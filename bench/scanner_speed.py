"""Scanner speed: model load, per-draft latency and throughput, phigate next to vanilla Presidio.

Both scanners are measured in the same run, pinned to one CPU core (and one thread for the numeric
libraries), so the phigate/vanilla ratios are what to compare: absolute numbers move with the machine.

- Model load: each scanner is built in fresh subprocesses (several runs, median reported).
  "import+load" starts before importing bot.phi / Presidio / spaCy; "load only" starts after those
  imports and times ``Scanner()`` (which runs its own warm-up scan) or ``vanilla_analyzer()``, each
  followed by one short call, i.e. the time until the scanner has answered a first draft.
  "process" is the whole subprocess wall time seen from outside (interpreter start-up and exit too).
- Latency: every draft is scanned by both scanners once per pass (after a warm-up), each call timed on
  its own with ``time.perf_counter``; p50/p95/p99/max are over all drafts x passes. The two scanners are
  interleaved draft by draft (which goes first alternates), so background load hits both alike.
  phigate is ``Scanner().scan(text)``; vanilla is ``AnalyzerEngine.analyze(text, "en")``
  with the default recognizers and the full spaCy pipeline of the same model.
- Drafts: the replies in tests/data (dev, holdout and blind; texts only, never printed), and "long"
  drafts of about 1,000 characters made by joining consecutive replies and cutting at a word boundary
  at or below 1,000 characters.
- Throughput: drafts per second of scanning time (sum of the per-draft times).
- CPU time: each call is also timed with ``time.thread_time`` (the scanning thread's CPU time), which
  other jobs on a shared machine do not inflate as much as wall-clock time; on a dedicated core the two
  agree. Reported next to the wall-clock percentiles, never instead of them.

Usage:

    .venv/bin/python bench/scanner_speed.py [--passes 3] [--load-runs 3] [--markdown]
"""

from __future__ import annotations

import os

# One core and one thread per numeric library, set before numpy / spaCy / thinc are imported.
for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "BLIS_NUM_THREADS",
):
    os.environ[_var] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
_CORE = 0
os.sched_setaffinity(0, {_CORE})

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import SPEED_SETS, read_jsonl  # noqa: E402

LONG_CHARS = 1000
SCANNERS = ("phigate", "vanilla")
TARGET_P99_MS = 50.0
TARGET_LOAD_S = 3.0
WARMUP = 20


# --------------------------------------------------------------------------------------------- drafts


def load_drafts() -> list[str]:
    return [record["text"] for path in SPEED_SETS.values() for record in read_jsonl(path)]


def long_drafts(replies: Sequence[str], limit: int = LONG_CHARS) -> list[str]:
    """Join consecutive replies into drafts of about ``limit`` characters (never more)."""
    drafts, current = [], ""
    for reply in replies:
        current = f"{current} {reply}" if current else reply
        if len(current) >= limit:
            cut = current[: limit + 1]
            cut = cut[: cut.rfind(" ")] if " " in cut else cut[:limit]
            drafts.append(cut.rstrip()[:limit])
            current = ""
    return drafts


# ----------------------------------------------------------------------------------------- model load


def load_child(name: str) -> None:
    """Run in a fresh interpreter: build one scanner and print the timings as JSON."""
    started = time.perf_counter()
    import presidio_analyzer  # noqa: F401
    import spacy  # noqa: F401

    from bot.phi.engine import vanilla_analyzer
    from bot.phi.scanner import Scanner

    imported = time.perf_counter()
    if name == "phigate":
        scanner = Scanner()
        scanner.scan("Thanks for the kind words!")
    else:
        scanner = vanilla_analyzer()
        scanner.analyze("Thanks for the kind words!", language="en")
    built = time.perf_counter()
    print(json.dumps({"import_load": built - started, "load": built - imported}))


def measure_load(name: str, runs: int) -> dict[str, list[float]]:
    """Time ``runs`` fresh subprocesses that each build the scanner ``name``."""
    out: dict[str, list[float]] = {"process": [], "import_load": [], "load": []}
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, __file__, "--load-child", name],
            capture_output=True,
            text=True,
            check=True,
        )
        out["process"].append(time.perf_counter() - started)
        timings = json.loads(done.stdout.strip().splitlines()[-1])
        out["import_load"].append(timings["import_load"])
        out["load"].append(timings["load"])
    return out


# -------------------------------------------------------------------------------------------- latency


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolation percentile (numpy's default), ``q`` in 0..100."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Latency:
    samples: list[float]  # seconds of wall-clock time, one per call
    cpu: list[float]  # seconds of CPU time of the calling thread, one per call (not slowed by other jobs)

    @property
    def throughput(self) -> float:
        return len(self.samples) / sum(self.samples)

    def ms(self, q: float) -> float:
        return percentile(self.samples, q) * 1000

    def cpu_ms(self, q: float) -> float:
        return percentile(self.cpu, q) * 1000


def measure_latency(
    calls: dict[str, Callable[[str], object]], drafts: Sequence[str], passes: int, warmup: int
) -> dict[str, Latency]:
    """Time every call on every draft, interleaved draft by draft so both see the same machine state.

    The scanner that goes first alternates from draft to draft and from pass to pass.
    """
    for call in calls.values():
        for text in drafts[:warmup]:
            call(text)
    clock, cpu_clock = time.perf_counter, time.thread_time
    samples: dict[str, list[float]] = {name: [] for name in calls}
    cpu: dict[str, list[float]] = {name: [] for name in calls}
    forward = list(calls.items())
    backward = forward[::-1]
    for number in range(passes):
        for index, text in enumerate(drafts):
            for name, call in forward if (index + number) % 2 == 0 else backward:
                started, cpu_started = clock(), cpu_clock()
                call(text)
                samples[name].append(clock() - started)
                cpu[name].append(cpu_clock() - cpu_started)
    return {name: Latency(values, cpu[name]) for name, values in samples.items()}


# -------------------------------------------------------------------------------------------- report


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "pinned": f"core {_CORE} (sched_setaffinity), *_NUM_THREADS=1",
        "loadavg": " ".join(f"{value:.2f}" for value in os.getloadavg()),
        "revision": revision(),
    }


def revision() -> str:
    """The git commit measured, and whether the working tree had uncommitted changes under bot/."""
    root = Path(__file__).resolve().parents[1]

    def git(*command: str) -> str:
        return subprocess.run(
            ["git", *command], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", "bot")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + (" + uncommitted changes under bot/" if dirty else "")


def render(rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join("---" for _ in rows[0]) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def report(
    info: dict[str, str],
    loads: dict[str, dict[str, list[float]]],
    latency: dict[str, dict[str, Latency]],
    sets: dict[str, tuple[int, float, int]],
    args: argparse.Namespace,
    elapsed: float,
) -> str:
    md = args.markdown
    out: list[str] = []
    end_load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    head = "## Scanner speed" if md else "Scanner speed"
    out.append(head)
    out.append("" if md else "=" * len(head))
    command = f".venv/bin/python bench/scanner_speed.py --passes {args.passes} --load-runs {args.load_runs}"
    command += (f" --warmup {args.warmup}" if args.warmup != WARMUP else "") + (" --markdown" if md else "")
    bullet = "- " if md else "  "
    out += [
        f"{bullet}command: `{command}`" if md else f"{bullet}command: {command}",
        f"{bullet}date: {info['date']}",
        f"{bullet}machine: nproc {info['nproc']}, CPU {info['cpu']}, Python {info['python']}",
        f"{bullet}pinned: {info['pinned']}",
        f"{bullet}code: {info['revision']}",
        f"{bullet}load average (1/5/15 min) at start: {info['loadavg']}; at end: {end_load}",
        f"{bullet}benchmark wall time: {elapsed:.0f} s",
        "",
    ]

    rows = [["scanner", "runs", "load only", "import+load", "process", "load only (all runs)"]]
    for name in SCANNERS:
        timing = loads.get(name)
        if not timing:
            continue
        rows.append(
            [
                name,
                str(len(timing["load"])),
                f"{statistics.median(timing['load']):.2f}",
                f"{statistics.median(timing['import_load']):.2f}",
                f"{statistics.median(timing['process']):.2f}",
                " ".join(f"{value:.2f}" for value in timing["load"]),
            ]
        )
    if len(rows) == 3:
        ratio = [
            statistics.median(loads["phigate"][key]) / statistics.median(loads["vanilla"][key])
            for key in ("load", "import_load", "process")
        ]
        rows.append(["phigate/vanilla", "", *(f"{value:.2f}x" for value in ratio), ""])
    if len(rows) > 1:
        out += ["### Model load (s, median of fresh subprocesses)" if md else "Model load (s, median)", ""]
        out += [render(rows, md), ""]

    title = f"Latency and throughput (one core, {args.passes} passes after warm-up)"
    out += [f"### {title}" if md else title, ""]
    rows = [
        ["drafts", "scanner", "n", "p50 ms", "p95 ms", "p99 ms", "max ms", "drafts/s", "CPU p50", "CPU p99"]
    ]
    for set_name, by_scanner in latency.items():
        count, mean_chars, max_chars = sets[set_name]
        label = f"{set_name} ({count}, mean {mean_chars:.0f} / max {max_chars} chars)"
        for name in SCANNERS:
            result = by_scanner[name]
            rows.append(
                [
                    label if name == SCANNERS[0] else "",
                    name,
                    str(len(result.samples)),
                    *(f"{result.ms(q):.1f}" for q in (50, 95, 99, 100)),
                    f"{result.throughput:.1f}",
                    *(f"{result.cpu_ms(q):.1f}" for q in (50, 99)),
                ]
            )
        ours, theirs = by_scanner["phigate"], by_scanner["vanilla"]
        rows.append(
            [
                "",
                "phigate/vanilla",
                "",
                *(f"{ours.ms(q) / theirs.ms(q):.2f}x" for q in (50, 95, 99, 100)),
                f"{ours.throughput / theirs.throughput:.2f}x",
                *(f"{ours.cpu_ms(q) / theirs.cpu_ms(q):.2f}x" for q in (50, 99)),
            ]
        )
    out += [render(rows, md), ""]

    out += ["### Against the targets" if md else "Against the targets", ""]
    rows = [["target", "measured", "met"]]
    if "long" in latency:
        p99 = latency["long"]["phigate"].ms(99)
        rows.append(
            [
                f"p99 <= {TARGET_P99_MS:.0f} ms, <= 1,000-char draft, one core",
                f"{p99:.1f} ms",
                "yes" if p99 <= TARGET_P99_MS else "NO",
            ]
        )
        cpu_p99 = latency["long"]["phigate"].cpu_ms(99)
        rows.append(
            [
                "same, CPU time of the scanning thread (other jobs on the VM do not count)",
                f"{cpu_p99:.1f} ms",
                "yes" if cpu_p99 <= TARGET_P99_MS else "NO",
            ]
        )
    for set_name, by_scanner in latency.items():
        ratio = by_scanner["phigate"].throughput / by_scanner["vanilla"].throughput
        rows.append(
            [
                f"throughput >= vanilla Presidio ({set_name})",
                f"{ratio:.2f}x vanilla",
                "yes" if ratio >= 1 else "NO",
            ]
        )
    if "phigate" in loads:
        load = statistics.median(loads["phigate"]["load"])
        import_load = statistics.median(loads["phigate"]["import_load"])
        rows.append(
            [
                f"model load <= {TARGET_LOAD_S:.0f} s",
                f"{load:.2f} s load only; {import_load:.2f} s import+load",
                ("yes" if load <= TARGET_LOAD_S else "NO")
                + (" (import+load too)" if import_load <= TARGET_LOAD_S else " (import+load: NO)"),
            ]
        )
    out += [render(rows, md), ""]
    return "\n".join(out)


# ----------------------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passes", type=int, default=3, help="timed passes over every draft (default 3)")
    parser.add_argument(
        "--load-runs", type=int, default=3, help="fresh subprocesses per scanner for model load (default 3)"
    )
    parser.add_argument(
        "--warmup", type=int, default=WARMUP, help=f"untimed drafts per set before timing (default {WARMUP})"
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown section")
    parser.add_argument("--load-child", choices=SCANNERS, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.load_child:
        load_child(args.load_child)
        return 0

    started = time.perf_counter()
    info = machine()
    loads = {name: measure_load(name, args.load_runs) for name in SCANNERS} if args.load_runs > 0 else {}

    from bot.phi.engine import vanilla_analyzer
    from bot.phi.scanner import Scanner

    scanner = Scanner()
    vanilla = vanilla_analyzer()
    calls: dict[str, Callable[[str], object]] = {
        "phigate": lambda text: scanner.scan(text).verdict,
        "vanilla": lambda text: vanilla.analyze(text, language="en"),
    }

    replies = load_drafts()
    drafts = {"replies": replies, "long": long_drafts(replies)}
    sets = {
        name: (len(texts), statistics.fmean(map(len, texts)), max(map(len, texts)))
        for name, texts in drafts.items()
    }
    latency = {
        name: measure_latency(calls, texts, args.passes, args.warmup) for name, texts in drafts.items()
    }
    print(report(info, loads, latency, sets, args, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
