"""``course quiz`` in a terminal: the question bank in plain text, answers from the keyboard.

    course quiz                      # 10 questions from every topic
    course quiz --topic kinesis --n 5
    course quiz --weak               # favour the topics you got wrong before
    course quiz --exam               # 65 questions across the topics, 130-minute timer (display only)

Results are saved (see :mod:`course.quiz.history`) so a later ``--weak`` run can focus on weak
topics. ``python -m course.quiz`` runs the same thing.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import time
from collections.abc import Callable
from typing import IO, Any

from course.quiz import history
from course.quiz.bank import TOPICS, BankError, Question, exam_draw, load, select
from course.quiz.session import EXAM_MINUTES, EXAM_SIZE, PASS_MARK, Session, format_seconds

__all__ = ["register", "main", "build_parser", "parse_answer", "run"]

WIDTH = 96
DESCRIPTION = ("Practise with the course's exam question bank in the terminal. Results are saved in "
               "$COURSE_HOME (default ~/.course) so that --weak can focus on your weak topics.")
QUIT = {"q", "quit", "exit"}


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", choices=sorted(TOPICS), help="only this topic")
    parser.add_argument("--n", type=int, default=10, help="number of questions (default 10; ignored with --exam)")
    parser.add_argument("--exam", action="store_true",
                        help=f"practice exam: {EXAM_SIZE} questions across the topics, {EXAM_MINUTES}-minute "
                        "timer (display only), feedback at the end")
    parser.add_argument("--weak", action="store_true", help="favour the topics you answered worst in earlier runs")
    parser.add_argument("--seed", type=int, help="the same seed draws the same questions")
    parser.add_argument("--no-save", action="store_true", help="do not save the results of this run")


def register(subparsers: Any) -> None:
    """Add the ``quiz`` subcommand to the ``course`` command's subparsers."""
    parser = subparsers.add_parser("quiz", help="practise with the exam question bank in the terminal",
                                   description=DESCRIPTION)
    _add_arguments(parser)
    parser.set_defaults(run=lambda args: run(args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="course quiz", description=DESCRIPTION)
    _add_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """``python -m course.quiz [options]``: parse, run, return the exit status."""
    return run(build_parser().parse_args(argv))


def parse_answer(text: str, question: Question) -> frozenset[str] | str:
    """Letters from ``'b'``, ``'A,C'``, ``'a c'`` or ``'AC'``; a string says what is wrong with it."""
    letters = [c for c in text.upper() if c.isalpha()]
    chosen = frozenset(letters)
    if not chosen:
        return f"type the letter{'s' if question.choose > 1 else ''} of your answer, or q to stop"
    unknown = sorted(chosen - set(question.keys))
    if unknown:
        return f"no option {', '.join(unknown)}; the options are {', '.join(question.keys)}"
    if len(letters) != len(chosen):
        return "each letter once, please"
    if len(chosen) != question.choose:
        return f"choose {question.choose} option{'s' if question.choose > 1 else ''}"
    return chosen


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "   " if indent else "")


def _show_question(out: IO[str], session: Session, index: int) -> None:
    question = session.questions[index]
    header = f"[{index + 1}/{len(session.questions)}] {TOPICS[question.topic]} · {question.difficulty}"
    if session.exam:
        header += f" · time left {format_seconds(session.remaining())}"
    done = len(session.answers)
    if done:
        header += f" · {session.right}/{done} right so far" if not session.exam else f" · {done} answered"
    print("\n" + header, file=out)
    print(_wrap(question.stem), file=out)
    for option in question.options:
        print(_wrap(f"{option.key}) {option.text}", "  "), file=out)


def _explain(out: IO[str], question: Question, selected: frozenset[str] | None) -> None:
    for option in question.options:
        mark = "✔" if option.key in question.correct else "✘"
        mine = " (your choice)" if selected and option.key in selected else ""
        print(_wrap(f"{mark} {option.key}{mine}: {option.why}", "  "), file=out)
    print(f"  Source: {question.source.title} - {question.source.url}", file=out)


def run(args: argparse.Namespace, *, stdin: IO[str] | None = None, stdout: IO[str] | None = None,
        clock: Callable[[], float] = time.monotonic) -> int:
    """Ask the questions ``args`` selects; 0 when done (or stopped), 2 on a bad option."""
    stdin, out = stdin or sys.stdin, stdout or sys.stdout
    try:
        bank = load()
        if args.exam:
            questions = exam_draw(bank, size=EXAM_SIZE, seed=args.seed)
        else:
            weights = None
            if args.weak:
                runs = history.load_runs()
                weights = history.focus_weights(runs)
                if runs:
                    worst = sorted(weights, key=weights.get, reverse=True)[:3]
                    print("Focusing on: " + ", ".join(TOPICS[t] for t in worst), file=out)
                else:
                    print("No earlier results yet: questions from every topic.", file=out)
            if args.n < 1:
                print("course quiz: --n must be at least 1", file=sys.stderr)
                return 2
            questions = select(bank, topic=args.topic, n=args.n, seed=args.seed, weights=weights)
    except BankError as error:
        print(f"course quiz: {error}", file=sys.stderr)
        return 2

    session = Session(questions, exam=args.exam, clock=clock)
    mode = "exam" if args.exam else "quiz"
    intro = (f"Practice exam: {len(questions)} questions, {EXAM_MINUTES} minutes (the timer is shown, it does "
             f"not stop you). Course pass mark {PASS_MARK:.0%} (AWS scales scores to 100-1,000 and passes at 720). "
             "Answers are scored at the end."
             if args.exam else f"{len(questions)} questions. Answer with the letter(s), e.g. B or A,C.")
    print(intro + " Type q to stop.", file=out)

    stopped = False
    for index in range(len(questions)):
        _show_question(out, session, index)
        question = questions[index]
        while True:
            print("> ", end="", file=out, flush=True)
            line = stdin.readline()
            if not line or line.strip().lower() in QUIT:
                stopped = True
                break
            parsed = parse_answer(line, question)
            if isinstance(parsed, str):
                print(f"  ({parsed})", file=out)
                continue
            answer = session.answer(index, parsed)
            if not args.exam:
                print("Right!" if answer.correct else
                      f"Not quite: the answer is {', '.join(sorted(question.correct))}.", file=out)
                _explain(out, question, parsed)
            break
        if stopped:
            print("\nStopped.", file=out)
            break

    if not session.answers:
        print("No answers, nothing saved.", file=out)
        return 0
    if stopped and not args.exam:
        session.questions = [session.questions[i] for i in sorted(session.answers)]
        session.answers = {new: session.answers[old] for new, old in enumerate(sorted(session.answers))}
    if args.exam:
        print("\n== Review: the questions you missed ==", file=out)
        for index, question in session.missed():
            answer = session.answers.get(index)
            given = ", ".join(sorted(answer.selected)) if answer else "no answer"
            print(f"\n[{index + 1}] {question.id} - you: {given}; correct: {', '.join(sorted(question.correct))}",
                  file=out)
            print(_wrap(question.stem), file=out)
            _explain(out, question, answer.selected if answer else None)
    print("\n" + session.report(), file=out)
    if not args.no_save:
        try:
            saved = history.save_run(session, mode=mode)
            print(f"Results saved to {saved}.", file=out)
        except OSError as error:
            print(f"(results not saved: {error})", file=out)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
