"""The exercise object: each exercise declared once, every failure naming a declared requirement."""

import ast
import importlib
import pkgutil
import sys
from pathlib import Path

import pytest

import graders
from graders.check import REQUIREMENT_PREFIX, CheckFailed
from graders.exercise import COMMON_REQUIREMENTS, Exercise, UndeclaredRequirement, declared_in, every_declared

GRADERS = Path(graders.__file__).parent
EXAMPLE = Exercise("demo-1", "A demonstration", {"visibility-at-least-6x": "at least six times the timeout"})


def modules() -> dict[str, object]:
    """Every module of ``graders``, imported."""
    return {info.name: importlib.import_module(info.name)
            for info in pkgutil.iter_modules(graders.__path__, prefix="graders.")}


def exercises() -> list[Exercise]:
    """Every exercise the declaration files (graders/exercises/*.toml) declare."""
    return list(every_declared().values())


def _decorated_exercise(module: object, decorator: ast.expr) -> Exercise:
    """The exercise of ``@EXERCISES["sqs-3"].check`` in ``module``."""
    assert isinstance(decorator, ast.Subscript) and isinstance(decorator.value, ast.Name), ast.unparse(decorator)
    return getattr(module, decorator.value.id)[ast.literal_eval(decorator.slice)]


# -- the object ---------------------------------------------------------------------------------
def test_a_failure_keeps_the_old_shape_and_ends_with_its_requirement():
    with pytest.raises(CheckFailed) as failed:
        EXAMPLE.fail("visibility-at-least-6x", "the visibility timeout is 30 s.", why="duplicates.", hint="x6.")
    assert str(failed.value).splitlines() == [
        "[demo-1] the visibility timeout is 30 s.",
        "Why it matters: duplicates.",
        "Hint: x6.",
        "Requirement: demo-1/visibility-at-least-6x",
    ]
    error = failed.value
    assert (error.exercise, error.requirement, error.problem, error.why, error.hint) == (
        "demo-1", "demo-1/visibility-at-least-6x", "the visibility timeout is 30 s.", "duplicates.", "x6.")
    assert isinstance(error, AssertionError)


def test_the_requirement_line_is_last_even_without_why_or_hint():
    with pytest.raises(CheckFailed) as failed:
        EXAMPLE.fail("visibility-at-least-6x", "too short.")
    assert str(failed.value).splitlines() == ["[demo-1] too short.", "Requirement: demo-1/visibility-at-least-6x"]
    assert str(failed.value).splitlines()[-1].removeprefix(REQUIREMENT_PREFIX) == failed.value.requirement


def test_an_undeclared_requirement_is_a_grader_bug():
    with pytest.raises(UndeclaredRequirement):
        EXAMPLE.fail("not-declared", "anything")


def test_every_exercise_has_the_common_requirements_and_cannot_redeclare_them():
    assert COMMON_REQUIREMENTS.keys() <= EXAMPLE.requirements.keys()
    with pytest.raises(ValueError):
        Exercise("demo-2", "clash", {"answer-runs": "again"})
    with pytest.raises(ValueError):
        Exercise("demo-3", "bad slug", {"Not A Slug": "spaces and capitals"})


def test_an_exercise_is_frozen_and_cannot_be_shadowed():
    """A learner's code cannot replace ``fail`` or the requirements on the object a check holds."""
    with pytest.raises((AttributeError, TypeError)):  # frozen (Python 3.11 raises TypeError with slots)
        EXAMPLE.fail = lambda *args, **kwargs: None  # type: ignore[method-assign]
    with pytest.raises(AttributeError):  # no instance __dict__ to hide a method in
        object.__setattr__(EXAMPLE, "fail", lambda *args, **kwargs: None)
    with pytest.raises(TypeError):
        EXAMPLE.requirements["new"] = "sneaked in"  # type: ignore[index]


def test_passed_prints_the_exercise_label(capsys):
    assert EXAMPLE.passed("well done.") is None
    assert capsys.readouterr().out == "\u2714 [demo-1] well done.\n"


def test_check_binds_the_exercise_and_returns_none(capsys):
    @EXAMPLE.check
    def judged(ex: Exercise, value: int) -> None:
        """A check."""
        if value < 6:
            ex.fail("visibility-at-least-6x", f"{value} is too small.")
        ex.passed("fine.")

    assert judged(6) is None and judged.__doc__ == "A check." and judged.__name__ == "judged"
    with pytest.raises(CheckFailed, match="Requirement: demo-1/visibility-at-least-6x"):
        judged(1)


def test_call_learner_failures_name_a_common_requirement():
    def stub():
        raise NotImplementedError()

    for answer, requirement in (("a string", "answer-is-function"), (stub, "answer-implemented"),
                                (lambda: 1 / 0, "answer-runs")):
        with pytest.raises(CheckFailed) as failed:
            EXAMPLE.call_learner(answer)
        assert failed.value.requirement == f"demo-1/{requirement}"




# -- the declarations -----------------------------------------------------------------------------
def test_each_exercise_id_is_declared_once():
    ids = [exercise.id for exercise in exercises()]
    assert len(ids) == len(set(ids)), sorted(ids)
    assert {"start-1", "sqs-3", "fifo-1", "sns-1", "ev-1", "kin-1", "cap-1", "trap-1", "trap-2", "trap-11"} <= set(ids)


def test_every_declared_exercise_is_judged_by_a_check_of_its_module():
    judged = {(name, exercise.id) for name, module in modules().items()
              for exercise in vars(module).get("EXERCISES", {}).values()}
    for path in sorted(Path(GRADERS, "exercises").glob("*.toml")):
        for exercise_id in declared_in(path.stem):
            assert (f"graders.{path.stem}", exercise_id) in judged, f"{path.name}: {exercise_id} has no check module"


def test_an_exercise_declared_in_two_files_is_refused(tmp_path):
    (tmp_path / "one.toml").write_text('[exercises.demo-1]\ntitle = "first"\n', encoding="utf-8")
    (tmp_path / "two.toml").write_text('[exercises.demo-1]\ntitle = "again"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="declared twice"):
        every_declared(tmp_path)


def test_a_declaration_reads_its_sets_first_then_its_own_requirements(tmp_path):
    (tmp_path / "shared.toml").write_text('[sets.url]\nreturns-url = "returns the URL"\n', encoding="utf-8")
    (tmp_path / "demo.toml").write_text(
        '[sets.local]\nlocal-one = "a local requirement"\n\n'
        '[exercises.demo-1]\ntitle = "A demonstration"\ninclude = ["shared.url", "local"]\n'
        '[exercises.demo-1.requirements]\nown = "its own"\n', encoding="utf-8")
    exercise = declared_in("demo", tmp_path)["demo-1"]
    assert exercise.title == "A demonstration"
    assert list(exercise.requirements) == ["returns-url", "local-one", "own", *COMMON_REQUIREMENTS]
    with pytest.raises(TypeError):
        declared_in("demo", tmp_path)["demo-2"] = exercise  # type: ignore[index]


def test_an_unknown_requirement_set_is_refused(tmp_path):
    (tmp_path / "demo.toml").write_text('[exercises.demo-1]\ntitle = "t"\ninclude = ["missing"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="missing"):
        declared_in("demo", tmp_path)


def test_a_reused_check_fails_under_the_reusing_exercise(cloud):
    from graders import traps

    def same(sqs, url, timeout):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": str(timeout)})

    with pytest.raises(CheckFailed) as failed:
        traps.visibility_for_lambda(cloud, same)
    assert failed.value.requirement == "trap-2/visibility-at-least-6x"
    assert str(failed.value).startswith("[trap-2] ")


# -- the requirement-id rule, read from the source ---------------------------------------------------
class _Source:
    """The functions of one graders module: their `.fail("slug")` calls and what they call."""

    def __init__(self, name: str, module: object) -> None:
        self.name, self.module = name, module
        self.tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        self.functions = {node.name: node for node in ast.walk(self.tree) if isinstance(node, ast.FunctionDef)}


def _fail_calls(function: ast.FunctionDef) -> list[ast.Call]:
    return [node for node in ast.walk(function) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "fail"]


def _called_names(function: ast.FunctionDef) -> set[str]:
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                names.add(node.func.id)
            elif isinstance(node.func, ast.Attribute):
                names.add(node.func.attr)
    return names


def _resolve(module: object, name: str) -> tuple[str, str] | None:
    """(module, function) of ``name`` as seen from ``module``: defined there, or imported into it."""
    value = getattr(module, name, None)
    if callable(value) and getattr(value, "__module__", "").startswith("graders."):
        target = getattr(value, "__wrapped__", value)
        return target.__module__, target.__name__
    return None


def test_every_fail_names_a_literal_requirement_its_exercise_declares():
    """Walk from each check (``@EX.check``) through the helpers it calls: each slug is declared by EX.

    Also: a requirement is a literal slug (argument values never reach it), and no function that
    fails is out of reach of a check.
    """
    sources = {name: _Source(name, module) for name, module in modules().items()}
    reached: set[tuple[str, str]] = set()
    problems: list[str] = []
    roots: list[tuple[Exercise, str, str]] = []
    for source in sources.values():
        for function in source.functions.values():
            for decorator in function.decorator_list:
                if isinstance(decorator, ast.Attribute) and decorator.attr == "check":
                    exercise = _decorated_exercise(source.module, decorator.value)
                    roots.append((exercise, source.name, function.name))
    # the bank's questions bind their exercise at run time (questions.exam_question)
    from graders import questions
    roots += [(exercise, "graders.questions", "_judge_bank_answer") for exercise in questions.BANK_EXERCISES.values()]
    # a matching exercise's check is its Matching's (questions.Matching.check)
    roots += [(matching.exercise, "graders.questions", "judge") for matching in vars(questions).values()
              if isinstance(matching, questions.Matching)]
    for exercise, module_name, function_name in roots:
        todo, seen = [(module_name, function_name)], set()
        while todo:
            here = todo.pop()
            if here in seen or here[0] not in sources or here[1] not in sources[here[0]].functions:
                continue
            seen.add(here)
            function = sources[here[0]].functions[here[1]]
            for call in _fail_calls(function):
                slug = call.args[0] if call.args else None
                where = f"{here[0]}:{call.lineno}"
                if not (isinstance(slug, ast.Constant) and isinstance(slug.value, str)):
                    problems.append(f"{where}: the requirement is not a literal slug")
                elif slug.value not in exercise.requirements:
                    problems.append(f"{where}: {exercise.id} does not declare {slug.value!r}")
            for name in _called_names(function):
                target = (here[0], name) if name in sources[here[0]].functions else _resolve(sources[here[0]].module, name)
                if target:
                    todo.append(target)
        reached |= seen
    for source in sources.values():
        for function in source.functions.values():
            if _fail_calls(function) and (source.name, function.name) not in reached \
                    and source.name not in ("graders.check", "graders.exercise"):
                problems.append(f"{source.name}.{function.name} fails, but no check reaches it")
    assert not problems, "\n".join(problems)


def test_the_grading_core_fails_only_on_common_requirements():
    for name in ("graders.check", "graders.exercise"):
        tree = ast.parse(Path(sys.modules[name].__file__).read_text(encoding="utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            for call in _fail_calls(function):
                if isinstance(call.func.value, ast.Name) and call.func.value.id == "self":
                    continue  # Exercise.fail passes its argument on
                assert isinstance(call.args[0], ast.Constant) and call.args[0].value in COMMON_REQUIREMENTS, \
                    f"{name}:{call.lineno}"


# -- the layers ---------------------------------------------------------------------------------------
def test_checks_import_no_widget_no_instructor_and_no_private_name_of_another_module():
    for path in sorted(GRADERS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                module, names = "", [alias.name for alias in node.names]
            else:
                continue
            for imported in [module, *names]:
                assert not imported.startswith(("course.views", "instructor")), f"{path.name}: {imported}"
            if module.startswith("graders"):
                assert not any(name.startswith("_") for name in names), f"{path.name}: {module} {names}"


def test_a_failure_retold_keeps_its_exercise_and_requirement():
    """cap-3 tells a delivery failure as the injected fault's lesson, under the same requirement."""
    with pytest.raises(CheckFailed) as failed:
        EXAMPLE.fail("visibility-at-least-6x", "too short.", hint="x6.")
    retold = failed.value.retold("under the fault 'slow': too short.", why="slow consumers.")
    assert (retold.exercise, retold.requirement, retold.hint) == ("demo-1", "demo-1/visibility-at-least-6x", "")
    assert str(retold).splitlines()[-1] == "Requirement: demo-1/visibility-at-least-6x"
