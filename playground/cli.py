"""Command line over the judge: `judge`, `list`, `bench`, `worker`, `load` and `pageload` (see `python -m playground -h`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TextIO

from playground.judge.sources import SourceFile, read_source_file
from playground.judge.verdict import Verdict
from playground.problems import all_problems
from playground.settings import Settings

EXIT_OK, EXIT_NOT_ACCEPTED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code for usage errors is 2 too
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = _Parser(prog="python -m playground", description="flax.nnx playground judge")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    judge = commands.add_parser("judge", help="judge source files against a problem's tests")
    judge.add_argument("problem", help="problem id, e.g. module_basics_forward")
    judge.add_argument("files", nargs="+", metavar="FILE", help="source file, or - for stdin")
    judge.add_argument("--mode", choices=("run", "submit"), default="submit", help="run: visible examples; submit: all tests")
    judge.add_argument("--json", action="store_true", help="one JSON verdict per line, nothing else on stdout")
    listing = commands.add_parser("list", help="list the problems")
    listing.add_argument("--json", action="store_true", help="JSON lines with id, title and order")
    bench = commands.add_parser("bench", help="measure judge latency and throughput (prints JSON)")
    bench.add_argument("--spaced", type=int, default=20, help="spaced submissions to time")
    bench.add_argument("--burst", type=int, default=20, help="back-to-back submissions to time")
    bench.add_argument("--cold", type=int, default=3, help="cold-subprocess baseline runs")
    bench.add_argument("--problem", action="append", help="problem id to measure (repeatable; default: the first)")
    bench.add_argument("--spelling", choices=("reference", "learner", "both"), default="both", help="which correct answer to time")
    bench.add_argument("--source", metavar="FILE", help="time this answer instead (it must be accepted)")
    bench.add_argument("--generated", type=_positive, metavar="N",
                       help="time N generated spellings of the reference instead, beside the reference itself")
    worker = commands.add_parser("worker", help="judge queued submissions (needs PLAYGROUND_BROKER_URL)")
    worker.add_argument("--concurrency", type=_positive, help="submissions judged at once (default: this machine's cores)")
    load = commands.add_parser("load", help="simulated learners submit across the track; verdicts/s and latency (JSON)")
    load.add_argument("--learners", type=_positive, default=8, help="learners submitting at once")
    load.add_argument("--seconds", type=float, default=30.0, help="how long they submit")
    load.add_argument("--think", type=float, default=0.0, help="mean pause between a learner's submissions, seconds")
    load.add_argument("--seed", type=int, default=0, help="seed for the learners' choices")
    load.add_argument("--problem", action="append", help="only this problem (repeatable; default: the whole track)")
    load.add_argument("--spellings", type=_positive, metavar="N",
                      help="each correct answer is one of N generated spellings of the reference (default: the reference)")
    load.add_argument("--cold", type=int, default=0, metavar="N",
                      help="also time N cold processes on the first problem, for verdicts per cold process")
    load.add_argument("--overhead", type=_positive, metavar="N",
                      help="instead: N spaced submissions to the local judge and the queue, alternating")
    pageload = commands.add_parser("pageload", help="simulated learners in Chromium against the page; latency and server CPU (JSON)")
    pageload.add_argument("--learners", type=_positive, default=1, help="learners editing and submitting at once")
    pageload.add_argument("--cycles", type=_positive, default=4, help="measured edit-and-Submit cycles per learner")
    pageload.add_argument("--warmup", type=int, default=1, help="unmeasured cycles per learner first")
    pageload.add_argument("--url", help="an already running page server (default: start one with a throw-away data folder)")
    pageload.add_argument("--pid", type=_positive, help="that server's process id, for its CPU (required with --url)")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "list":
        return _list(args.json, sys.stdout)
    if args.command == "worker":
        from playground.queue.worker import run_worker

        return run_worker(args.concurrency)
    if args.command == "load":
        from playground.measure.load import compare_overhead, run_load

        try:
            if args.overhead:
                result = compare_overhead(args.overhead, (args.problem or [next(iter(all_problems()))])[0])
            else:
                result = run_load(args.learners, args.seconds, args.think, args.seed, problems=args.problem,
                                  spellings_each=args.spellings or 0, cold_runs=max(0, args.cold))
        except ValueError as exc:  # no broker for --overhead, a bad PLAYGROUND_WORKERS or broker URL
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(json.dumps(result, indent=2), flush=True)
        return EXIT_OK
    if args.command == "pageload":
        return _pageload(args)
    if args.command == "bench":
        from playground.measure.bench import run_benchmarks

        problems = args.problem or [next(iter(all_problems()))]
        unknown = [p for p in problems if p not in all_problems()]
        if unknown:
            print(f"error: unknown problem {unknown[0]!r}; known problems: {', '.join(all_problems())}", file=sys.stderr)
            return EXIT_USAGE
        if args.source is not None and not os.path.isfile(args.source):
            print(f"error: cannot read {args.source!r}: no such file", file=sys.stderr)
            return EXIT_USAGE
        if args.generated:
            from playground.corpus.timing import run_generated

            for problem in problems:
                print(json.dumps(run_generated(problem, args.generated, args.cold), indent=2), flush=True)
            return EXIT_OK
        for problem in problems:
            for result in run_benchmarks(args.spaced, args.burst, args.cold, problem, args.spelling, args.source):
                print(json.dumps(result, indent=2), flush=True)
        return EXIT_OK
    return _judge(args.problem, args.files, args.mode, args.json)


def _pageload(args: argparse.Namespace) -> int:
    from playground.web.pageload import PageLoadSettings, missing_requirement, run_page_load

    if (args.url is None) != (args.pid is None):
        print("error: --url and --pid go together: the server's address and its process id", file=sys.stderr)
        return EXIT_USAGE
    missing = missing_requirement()
    if missing:
        print(f"error: {missing}", file=sys.stderr)
        return EXIT_USAGE
    settings = PageLoadSettings(args.learners, args.cycles, max(0, args.warmup), args.url, args.pid)
    print(json.dumps(run_page_load(settings).to_dict(), indent=2), flush=True)
    return EXIT_OK


def _list(as_json: bool, out: TextIO) -> int:
    for problem in all_problems().values():
        if as_json:
            out.write(json.dumps({"id": problem.id, "title": problem.title, "order": problem.order}) + "\n")
        else:
            out.write(f"{problem.order:>2}. {problem.id:<24} {problem.title}\n")
    return EXIT_OK


def _judge(problem_id: str, paths: list[str], mode: str, as_json: bool) -> int:
    if problem_id not in all_problems():
        known = ", ".join(all_problems())
        print(f"error: unknown problem {problem_id!r}; known problems: {known}", file=sys.stderr)
        return EXIT_USAGE
    if paths.count("-") > 1:
        print("error: stdin (-) can be given only once", file=sys.stderr)
        return EXIT_USAGE
    sources: list[SourceFile] = []
    for path in paths:
        source, problem = read_source_file(path)
        if problem is not None:
            print(f"error: {problem}", file=sys.stderr)
            return EXIT_USAGE
        sources.append(source)
    from playground.judge import IsolationError, Judge

    try:
        judge = Judge(problems=[problem_id], settings=Settings.from_environment())
        judge.start()
    except (IsolationError, ValueError) as exc:  # ValueError: a bad setting (SettingsError) or broker URL
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _report_protections(judge)
    all_accepted = True
    try:
        for source in sources:
            verdict = judge.submit_source(problem_id, source, mode)
            all_accepted = all_accepted and verdict.accepted
            if verdict.status.is_ours:  # exit 1 as for any verdict but accepted; the operator should know
                print(f"error: {verdict.file}: {verdict.message}", file=sys.stderr, flush=True)
            if as_json:
                sys.stdout.write(json.dumps(verdict.to_dict()) + "\n")
            else:
                sys.stdout.write(format_report(verdict))
            sys.stdout.flush()
    finally:
        judge.close()
    return EXIT_OK if all_accepted else EXIT_NOT_ACCEPTED


def _report_protections(judge: object) -> None:
    active = ", ".join(judge.protections) or "none yet"
    missing = judge.missing_protections()
    line = f"sandbox protections active: {active}"
    if missing:
        line += f"; MISSING: {', '.join(missing)} (set PLAYGROUND_REQUIRE_ISOLATION=1 to refuse)"
    print(line, file=sys.stderr, flush=True)


def format_report(verdict: Verdict) -> str:
    """A readable multi-line report of one verdict."""
    lines = [
        f"{verdict.file}: {verdict.status.words} - {verdict.message}",
        f"  {verdict.passed}/{verdict.total} tests passed in {verdict.elapsed_ms:.0f} ms ({verdict.mode.value})",
    ]
    for test in verdict.tests:
        mark = "PASS" if test.passed else "FAIL"
        label = f"{test.name} (hidden)" if test.hidden else test.name
        lines.append(f"  [{mark}] {label}: {test.message}")
    if verdict.hint:
        lines.append(f"  hint: {verdict.hint}")
    for warning in verdict.warnings:
        lines.append(f"  warning: {warning.splitlines()[0]}")
    if verdict.stdout:
        lines.append("  printed:")
        lines.extend(f"    | {line}" for line in verdict.stdout.splitlines()[:40])
    return "\n".join(lines) + "\n\n"
