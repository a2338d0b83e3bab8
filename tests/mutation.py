"""Mutation testing of the verdict core: do the tests notice when the judging code is wrong?

    python -m tests.mutation                      every module of the verdict core
    python -m tests.mutation --module kinds       one module (repeatable)
    options: --limit N (the first N mutants of each module), --jobs N (parallel copies,
             default 1), --list (print the mutants, run nothing), --quiet

Each mutant is one small change to one module of the verdict core (MODULES: gate/judge/ and the
parsing modules of gate/result/): a comparison flipped or relaxed (< to <= or >=, == to !=, is
to is not, in to not in), `and` to `or` and back, a numeric constant moved (±1, ×10, a
tolerance such as 1e-9 grown to 1), a `not` removed, a returned value replaced by True, False
or None, True and False swapped. The mutant is written into a temporary copy of the repository
(the work tree is never changed), and the fast tests run there with `pytest -x -q -p
no:cacheprovider`: the module's own test file first, then every fast test of the verdict and of
the reports it feeds (FAST_TESTS); a mutant the tests do not fail has survived.

Each survivor is then run over a corpus of results and configs (the boundary cases of
tests/boundary_cases.py, the fixtures and the demo results under several policies) and its
exit codes compared with the unmutated code's. A survivor that turns an exit 1 or 3 into 0 is
the kind that must never exist ("turns red green"); one that changes an exit code otherwise is
listed too.

Mutants that only change what a message says (inside f-strings, `detail=`/`actual=`-style
texts, notes, number formatting, exception messages, `Run.reason`) are counted apart and not
run: the verdict does not depend on them, and the report's golden files test their words.
The score per module is killed / (mutants that are not message mutants).
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import functools
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: the verdict core, by the name --module takes
MODULES = {
    "evaluate": "gate/judge/evaluate.py",
    "counted": "gate/judge/counted.py",
    "rubric": "gate/judge/rubric.py",
    "kinds": "gate/judge/kinds.py",
    "stats": "gate/judge/stats.py",
    "compare": "gate/judge/compare.py",
    "change": "gate/judge/change.py",
    "verdict": "gate/judge/verdict.py",
    "aggregate": "gate/judge/aggregate.py",
    "names": "gate/judge/names.py",
    "decide": "gate/judge/decide.py",
    "measure": "gate/judge/measure.py",
    "parsing": "gate/result/parsing.py",
    "runs": "gate/result/runs.py",
    "scalars": "gate/result/scalars.py",
    "model": "gate/result/model.py",
}
#: the fast tests of the verdict and of what it feeds (reports, JSON, JUnit)
FAST_TESTS = [
    "tests/judge/test_verdict_core.py",
    "tests/judge/test_boundaries.py",
    "tests/judge/test_evaluate.py",
    "tests/judge/test_evaluate_beyond.py",
    "tests/judge/test_decide.py",
    "tests/judge/test_check_numbers.py",
    "tests/result/test_result.py",
    "tests/judge/test_aggregate.py",
    "tests/judge/test_stats.py",
    "tests/result/test_parse_for.py",
    "tests/publish/test_report.py",
    "tests/publish/test_report_beyond.py",
    "tests/publish/test_evidence.py",
    "tests/publish/test_report_json.py",
    "tests/publish/test_junit.py",
]
#: each module's own tests first: pytest -x stops at the first failure
OWN_TESTS = {
    "evaluate": "tests/judge/test_evaluate.py",
    "counted": "tests/judge/test_evaluate.py",
    "rubric": "tests/judge/test_evaluate.py",
    "kinds": "tests/judge/test_evaluate_beyond.py",
    "stats": "tests/judge/test_stats.py",
    "compare": "tests/judge/test_evaluate_beyond.py",
    "change": "tests/judge/test_evaluate_significance.py",
    "verdict": "tests/judge/test_evaluate.py",
    "aggregate": "tests/judge/test_aggregate.py",
    "names": "tests/judge/test_evaluate.py",
    "decide": "tests/judge/test_decide.py",
    "measure": "tests/judge/test_check_numbers.py",
    "parsing": "tests/result/test_result.py",
    "runs": "tests/result/test_run_counting.py",
    "scalars": "tests/result/test_result.py",
    "model": "tests/result/test_result.py",
}
TESTS = {m: [OWN_TESTS[m], *(t for t in FAST_TESTS if t != OWN_TESTS[m])] for m in MODULES}
#: left out: tests that start the real command, and hypothesis searches (slow; the unit tests
#: above check what they check, on fixed cases)
DESELECT = "not end_to_end and not fuzzed and not dumps_writes_what and not drops_exactly_what_xml"
TIMEOUT = 120  # seconds for the unmutated tests or the corpus
MIN_TIMEOUT = 20  # seconds a mutant's tests may take at least (else 10x the unmutated tests)

# -- what counts as a message ------------------------------------------------------------------

#: keyword arguments and dict keys whose value is text for people
MESSAGE_KEYWORDS = frozenset(
    {"detail", "actual", "threshold", "title", "reason", "error_kind", "missing", "how"}
)
#: variables that hold only text for people (or only what a text says: `needed`), by name or
#: as function.name
MESSAGE_VARIABLES = frozenset(
    {"detail", "actual", "why", "more", "shown", "names", "named", "what", "when", "where"}
    | {"needed", "rate_check.bound"}
)
#: calls whose arguments only format text
MESSAGE_CALLS = frozenset({"number", "percent", "change", "bounds", "_fmt", "str"})
#: functions that only build text
MESSAGE_FUNCTIONS = frozenset({"reason", "_fmt", "_display"})


def _is_message(path: list[ast.AST]) -> bool:
    """Whether a node (given with its ancestors, outermost first) only shapes a message."""
    function = ""
    for parent, child in itertools.pairwise(path):
        if isinstance(parent, ast.JoinedStr | ast.Raise):
            return True
        if isinstance(parent, ast.FunctionDef):
            if parent.name in MESSAGE_FUNCTIONS:
                return True
            function = parent.name
        if isinstance(parent, ast.keyword) and parent.arg in MESSAGE_KEYWORDS:
            return True
        if isinstance(parent, ast.Dict) and child in parent.values:
            key = parent.keys[parent.values.index(child)]
            if isinstance(key, ast.Constant) and key.value in MESSAGE_KEYWORDS:
                return True
        if isinstance(parent, ast.Assign | ast.AnnAssign):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            names = [t.id if isinstance(t, ast.Name) else "" for t in targets]
            if all(n in MESSAGE_VARIABLES or f"{function}.{n}" in MESSAGE_VARIABLES for n in names):
                return True
        if isinstance(parent, ast.Call) and child is not parent.func:
            func = parent.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in MESSAGE_CALLS:
                return True
            if name == "append" and getattr(getattr(func, "value", None), "id", "") == "notes":
                return True
    return False


# -- the mutants -----------------------------------------------------------------------------

_COMPARE: dict[type, tuple[type, ...]] = {
    ast.Lt: (ast.LtE, ast.GtE),
    ast.LtE: (ast.Lt, ast.Gt),
    ast.Gt: (ast.GtE, ast.LtE),
    ast.GtE: (ast.Gt, ast.Lt),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
    ast.Is: (ast.IsNot,),
    ast.IsNot: (ast.Is,),
    ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,),
}
_SYMBOL = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}


@dataclass(frozen=True)
class Mutant:
    module: str
    index: int  # the node's position in ast.walk order
    variant: int  # which of that node's mutations
    line: int
    what: str  # e.g. "< -> <="
    message: bool

    @property
    def label(self) -> str:
        return f"{MODULES[self.module]}:{self.line} {self.what}"


def _variants(node: ast.AST) -> list[tuple[str, Callable[[ast.AST], ast.AST | None]]]:
    """(description, apply) for each mutation of `node`; apply changes the node in place or
    returns a replacement node."""
    out: list[tuple[str, Callable[[ast.AST], ast.AST | None]]] = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for new in _COMPARE.get(type(op), ()):

                def apply(n: ast.AST, i: int = i, new: type = new) -> None:
                    n.ops[i] = new()  # type: ignore[attr-defined]

                out.append((f"{_SYMBOL[type(op)]} -> {_SYMBOL[new]}", apply))
    elif isinstance(node, ast.BoolOp):
        new_op = ast.Or if isinstance(node.op, ast.And) else ast.And
        names = {ast.And: "and", ast.Or: "or"}

        def flip(n: ast.AST, new_op: type = new_op) -> None:
            n.op = new_op()  # type: ignore[attr-defined]

        out.append((f"{names[type(node.op)]} -> {names[new_op]}", flip))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        out.append(("not removed", lambda n: n.operand))  # type: ignore[attr-defined]
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        out.append((f"{node.value} -> {not node.value}", lambda n: ast.Constant(not n.value)))  # type: ignore[attr-defined]
    elif isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        value = node.value
        if isinstance(value, float) and 0 < abs(value) < 1e-3:
            news: list[int | float] = [value * 10, 1.0]  # a tolerance grown, to a whole unit
        else:
            news = [value + 1, value - 1] + ([value * 10] if value not in (0, 1) else [])
        for new in dict.fromkeys(news):
            out.append((f"{value!r} -> {new!r}", lambda n, new=new: ast.Constant(new)))
    elif isinstance(node, ast.Return) and node.value is not None:
        current = node.value.value if isinstance(node.value, ast.Constant) else object()
        for new in (True, False, None):
            if current is new:
                continue

            def give(n: ast.AST, new: Any = new) -> None:
                n.value = ast.Constant(new)  # type: ignore[attr-defined]

            out.append((f"return {new}", give))
    return out


def _walk_with_path(tree: ast.AST) -> Iterator[tuple[ast.AST, list[ast.AST]]]:
    """ast.walk's order (breadth first), with each node's ancestors."""
    queue: list[tuple[ast.AST, list[ast.AST]]] = [(tree, [tree])]
    while queue:
        node, path = queue.pop(0)
        yield node, path
        for child in ast.iter_child_nodes(node):
            queue.append((child, [*path, child]))


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            found.add(id(first.value))
    return found


def mutants(module: str, source: str) -> list[Mutant]:
    tree = ast.parse(source)
    docstrings = _docstring_nodes(tree)
    found = []
    for index, (node, path) in enumerate(_walk_with_path(tree)):
        if id(node) in docstrings or _in_annotation(path):
            continue
        message = _is_message(path)
        for variant, (what, _) in enumerate(_variants(node)):
            line = getattr(node, "lineno", 0)
            found.append(Mutant(module, index, variant, line, what, message))
    return found


def _in_annotation(path: list[ast.AST]) -> bool:
    for parent, child in itertools.pairwise(path):
        if isinstance(parent, ast.AnnAssign) and child is parent.annotation:
            return True
        if isinstance(parent, ast.arg | ast.FunctionDef) and child is getattr(
            parent, "annotation", getattr(parent, "returns", None)
        ):
            return True
    return False


def mutated_source(source: str, mutant: Mutant) -> str:
    tree = ast.parse(source)
    for index, (node, path) in enumerate(_walk_with_path(tree)):
        if index != mutant.index:
            continue
        _, apply = _variants(node)[mutant.variant]
        replacement = apply(node)
        if replacement is not None:
            parent = path[-2]
            for field, value in ast.iter_fields(parent):
                if value is node:
                    setattr(parent, field, replacement)
                elif isinstance(value, list) and any(v is node for v in value):
                    value[next(i for i, v in enumerate(value) if v is node)] = replacement
        return ast.unparse(ast.fix_missing_locations(tree)) + "\n"
    raise LookupError(mutant)


# -- running ---------------------------------------------------------------------------------
#
# Starting pytest costs more than most mutants' tests. Each copy of the tree therefore has a
# worker process that imports pytest and the third-party libraries once, and forks for every
# mutant: the child forgets every gate and tests module, so it imports the mutated code fresh.


def make_copy(where: Path) -> Path:
    """The repository's code and tests, without caches, build output or git."""
    ignore = shutil.ignore_patterns(
        ".git", "__pycache__", "build", "dist", "*.egg-info", ".hypothesis", ".ruff_cache"
    )
    target = where / "tree"
    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)
    return target


class Worker:
    """`python -m tests.mutation --worker` in one copy of the tree, driven line by line."""

    def __init__(self, tree: Path) -> None:
        self.tree = tree
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CEKURA_", "GITHUB_"))}
        env["PYTHONPATH"] = str(tree)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.mutation", "--worker"],
            cwd=tree,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, **request: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the mutation worker stopped")
        return json.loads(line)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(10)


def serve() -> int:
    """The worker: one JSON request per line on stdin, one answer per line on stdout.

    {"module": "kinds", "source": "...", "tests": true, "corpus": true} writes `source` over
    gate/judge/kinds.py (null: leave it), runs the module's tests and/or the corpus, each in a
    forked child, then puts the module back. Answer: {"passed": bool, "codes": [...]}.
    """
    import contextlib
    import io

    import pytest

    # Collecting every test once imports pytest's plugins and the libraries the tests use,
    # which every child then inherits; the gate's own modules are forgotten again.
    every_test = sorted({t for tests in TESTS.values() for t in tests if Path(t).exists()})
    with contextlib.redirect_stdout(io.StringIO()):
        pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", *every_test])
    _forget_the_code()
    tree = Path.cwd()
    answers = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        module = request["module"]
        path = tree / MODULES[module]
        original = path.read_text(encoding="utf-8")
        if request.get("source") is not None:
            path.write_text(request["source"], encoding="utf-8")
        # Python trusts a .pyc whose source has the same size and mtime (whole seconds): a
        # mutant written within the second of the last one could run from its .pyc.
        _forget_the_bytecode(path)
        try:
            answer: dict[str, Any] = {}
            timeout = request.get("timeout", TIMEOUT)
            started = time.monotonic()
            if request.get("tests"):
                code = _in_child(functools.partial(_pytest, module), timeout=timeout)
                answer["passed"] = code == 0
            answer["seconds"] = time.monotonic() - started
            if request.get("corpus") and answer.get("passed", True):
                answer["codes"] = _corpus_in_child(timeout)
        finally:
            path.write_text(original, encoding="utf-8")
            _forget_the_bytecode(path)
        answers.write(json.dumps(answer) + "\n")
        answers.flush()
    return 0


def _forget_the_bytecode(source: Path) -> None:
    for cached in (source.parent / "__pycache__").glob(f"{source.stem}.*.pyc"):
        cached.unlink(missing_ok=True)


def _forget_the_code() -> None:
    for name in list(sys.modules):
        if name in ("gate", "tests") or name.startswith(("gate.", "tests.")):
            del sys.modules[name]


def _pytest(module: str) -> int:
    import pytest

    tests = [t for t in TESTS[module] if Path(t).exists()]
    args = ["-x", "-q", "-p", "no:cacheprovider", "-k", DESELECT, *tests]
    return int(pytest.main(args))


def _in_child(work: Callable[[], int], output: int | None = None, timeout: float = TIMEOUT) -> int:
    """Run `work` in a forked child (stdout to `output`, else nowhere); its exit status, or
    1 when it took longer than `timeout` (a mutant that loops forever is killed by that)."""
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull if output is None else output, 1)
            os.dup2(devnull, 2)
            _forget_the_code()
            code = work()
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            return 1
        time.sleep(0.01)


def _corpus_in_child(timeout: float = TIMEOUT) -> list[int]:
    """corpus_exit_codes() in a forked child; [] when the mutant cannot run it at all."""

    def work() -> int:
        os.write(1, json.dumps(corpus_exit_codes()).encode())
        return 0

    with tempfile.TemporaryFile() as out:
        code = _in_child(work, out.fileno(), timeout)
        out.seek(0)
        text = out.read().decode()
    return json.loads(text) if code == 0 and text else []


@dataclass
class Outcome:
    mutant: Mutant
    killed: bool
    seconds: float
    greens: list[str]  # corpus cases that went from exit 1/3 to exit 0
    changed: list[str]  # corpus cases whose exit code changed otherwise


def try_mutant(
    worker: Worker,
    source: str,
    mutant: Mutant,
    original: list[int],
    labels: list[str],
    timeout: float,
) -> Outcome:
    started = time.monotonic()
    answer = worker.ask(
        module=mutant.module,
        source=mutated_source(source, mutant),
        tests=True,
        corpus=True,
        timeout=timeout,
    )
    greens: list[str] = []
    changed: list[str] = []
    if answer["passed"]:
        codes = answer.get("codes") or [3] * len(original)
        for label, before, after in zip(labels, original, codes, strict=True):
            if before != 0 and after == 0:
                greens.append(f"{label}: exit {before} -> 0")
            elif before != after:
                changed.append(f"{label}: exit {before} -> {after}")
    return Outcome(mutant, not answer["passed"], time.monotonic() - started, greens, changed)


# -- the corpus: results the survivors are judged on ------------------------------------------


def corpus() -> list[tuple[str, Any, str, Any]]:
    """(label, payload, config YAML or "" for the default policy, baseline payload or None)."""
    from gate.simulator import catalogue
    from tests import boundary_cases as tb
    from tests.conftest import FIXTURES, load_fixture

    cases: list[tuple[str, Any, str, Any]] = []
    for name, case in tb.CASES.items():
        cases.append((name, case.payload, case.config, case.baseline))
    everything = (
        "thresholds:\n"
        "  min_runs: 2\n"
        "  success_rate: {min: 50}\n"
        "  failed_workflow_runs: {max: 0}\n"
        "  failed_infrastructure_runs: {max: 0}\n"
        "  performance_metrics:\n"
        "    require_all_met: true\n"
        "    rules: [{metric: Latency, max: 1500}]\n"
        "  scenarios: [{id: 11543, min_success_rate: 100}]\n"
        "  metrics:\n"
        "    - {metric: Latency, aggregation: p90, max: 1800}\n"
        "    - {metric: Workflow Adherence, aggregation: pass_rate, min: 95}\n"
    )
    confident = (
        "thresholds:\n  success_rate: {min: 60, confidence: 0.9, inconclusive_level: error}\n"
    )
    policies = {"default": "", "everything": everything, "confident": confident}
    payloads = {p.name: load_fixture(p.name) for p in sorted(FIXTURES.glob("*.json"))}
    payloads |= {
        f"demo agent {n}": catalogue.demo_result(n) for n in sorted(catalogue.DEMO_RESULT_IDS)
    }
    for name, payload in payloads.items():
        for policy_name, text in policies.items():
            cases.append((f"{name} under {policy_name}", payload, text, None))
    regression = (
        "baseline: {result_id: 1}\n"
        "thresholds:\n"
        "  success_rate: {min: 0}\n"
        "  regression:\n"
        "    success_rate: {max_drop: 5}\n"
        "    metrics: [{metric: Latency, aggregation: p90, max_increase: 100}]\n"
    )
    for before in (1, 2):
        for now in (1, 2):
            cases.append(
                (
                    f"demo agent {now} against agent {before}",
                    catalogue.demo_result(now),
                    regression,
                    catalogue.demo_result(before),
                )
            )
    return cases


def corpus_exit_codes() -> list[int]:
    from gate.errors import PayloadError
    from gate.flow.judging import parse_for
    from gate.judge.evaluate import evaluate
    from gate.policy import config, model
    from gate.result.model import Baseline
    from gate.result.parsing import parse

    codes = []
    for _, payload, text, baseline in corpus():
        try:
            policy = (
                config.parse(f"version: 1\n{text}", name="gate.yml")
                if text
                else model.DEFAULT_POLICY
            )
            found = None
            if baseline is not None:
                found = Baseline(how="the baseline", result=parse(baseline, evidence=False))
            verdict = evaluate(parse_for(payload, policy), policy, baseline=found)
            code = verdict.exit_code
        except PayloadError:
            code = 3
        except Exception:  # the command reports an internal error: exit 3
            code = 3
        codes.append(code)
    return codes


# -- the command -----------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", choices=MODULES)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return serve()
    modules = args.module or list(MODULES)
    plan: dict[str, list[Mutant]] = {}
    sources = {m: (ROOT / MODULES[m]).read_text(encoding="utf-8") for m in modules}
    for module, source in sources.items():
        found = mutants(module, source)
        plan[module] = found[: args.limit] if args.limit else found
    if args.list:
        for found in plan.values():
            for m in found:
                print(f"{m.label}{'  (message)' if m.message else ''}")
        return 0
    labels = [label for label, *_ in corpus()]
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="cekura-gate-mutation-") as tmp:
        workers = [Worker(make_copy(Path(tmp) / str(n))) for n in range(max(1, args.jobs))]
        try:
            original = workers[0].ask(module=modules[0], source=None, corpus=True)["codes"]
            if len(original) != len(labels):
                sys.exit("the unmutated code could not run the corpus")
            timeouts = {}
            for module in modules:
                answer = workers[0].ask(module=module, source=None, tests=True)
                if not answer["passed"]:
                    sys.exit(f"the tests for {MODULES[module]} fail without a mutant: fix them")
                # a mutant that makes them ten times slower loops: it counts as killed
                timeouts[module] = max(MIN_TIMEOUT, 10 * answer["seconds"])
            todo = [m for found in plan.values() for m in found if not m.message]
            free = list(workers)

            def one(mutant: Mutant) -> Outcome:
                worker = free.pop()
                try:
                    return try_mutant(
                        worker,
                        sources[mutant.module],
                        mutant,
                        original,
                        labels,
                        timeouts[mutant.module],
                    )
                finally:
                    free.append(worker)

            with concurrent.futures.ThreadPoolExecutor(max_workers=len(workers)) as pool:
                for outcome in pool.map(one, todo):
                    outcomes.append(outcome)
                    if not args.quiet:
                        state = "killed" if outcome.killed else "SURVIVED"
                        flag = " TURNS RED GREEN" if outcome.greens else ""
                        flag += " changes an exit code" if outcome.changed and not flag else ""
                        print(
                            f"{state:8} {outcome.seconds:5.1f}s {outcome.mutant.label}{flag}",
                            flush=True,
                        )
        finally:
            for worker in workers:
                worker.close()
    return report(plan, outcomes)


def report(plan: dict[str, list[Mutant]], outcomes: list[Outcome]) -> int:
    print()
    print("| module | mutants | message (not run) | killed | survived | score |")
    print("|---|---|---|---|---|---|")
    total = killed_total = 0
    for module, found in plan.items():
        mine = [o for o in outcomes if o.mutant.module == module]
        killed = sum(o.killed for o in mine)
        messages = sum(m.message for m in found)
        score = f"{killed / len(mine):.0%}" if mine else "-"
        print(
            f"| {module} | {len(found)} | {messages} | {killed} | {len(mine) - killed} | {score} |"
        )
        total += len(mine)
        killed_total += killed
    if total:
        print(f"| all | | | {killed_total} | {total - killed_total} | {killed_total / total:.0%} |")
    greens = [o for o in outcomes if o.greens]
    changes = [o for o in outcomes if not o.killed and o.changed and not o.greens]
    print(f"\nsurvivors that turn a red or exit-3 verdict green: {len(greens)}")
    for o in greens:
        print(f"  {o.mutant.label}")
        for line in o.greens[:5]:
            print(f"    {line}")
    print(f"survivors that change an exit code otherwise: {len(changes)}")
    for o in changes:
        print(f"  {o.mutant.label}")
        for line in o.changed[:5]:
            print(f"    {line}")
    print("other survivors (no exit code of the corpus changes):")
    for o in outcomes:
        if not o.killed and not o.greens and not o.changed:
            print(f"  {o.mutant.label}")
    return 1 if greens else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
