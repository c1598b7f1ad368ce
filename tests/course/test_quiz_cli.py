"""``course quiz`` in a terminal, driven through stdin and stdout."""

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course.quiz import cli, history
from course.quiz.bank import exam_draw, load, select

BANK = load()
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def course_home(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_HOME", str(tmp_path))
    return tmp_path


def args(*argv):
    return cli.build_parser().parse_args(list(argv))


def run(argv, answers, clock=lambda: 0.0):
    out = io.StringIO()
    code = cli.run(args(*argv), stdin=io.StringIO("".join(a + "\n" for a in answers)), stdout=out, clock=clock)
    return code, out.getvalue()


def key_list(question, right=True):
    """The right letters, or as many letters with one wrong among them."""
    keys = sorted(question.correct)
    if not right:
        keys[0] = next(k for k in question.keys if k not in question.correct)
    return ",".join(keys)


def test_a_quiz_shows_progress_feedback_explanations_and_the_score(course_home):
    questions = select(BANK, topic="sqs", n=3, seed=11)
    answers = [key_list(questions[0]), key_list(questions[1], right=False), key_list(questions[2]).lower()]
    code, out = run(["--topic", "sqs", "--n", "3", "--seed", "11"], answers)
    assert code == 0
    assert "[1/3] SQS standard queues" in out and "[3/3]" in out and "1/2 right so far" in out
    assert out.count("Right!") == 2 and out.count("Not quite: the answer is") == 1
    assert questions[1].source.url in out and questions[1].options[0].why[:30] in out
    assert "Score: 2/3 (67%)" in out
    assert "Weak topics: SQS standard queues" in out
    saved = json.loads((course_home / "quiz-results.json").read_text())
    assert [a["correct"] for a in saved[0]["answers"]] == [True, False, True]


def test_bad_input_is_explained_and_asked_again():
    question = select(BANK, topic="fifo", n=1, seed=3)[0]
    too_many = ",".join(question.keys[:question.choose + 1])
    code, out = run(["--topic", "fifo", "--n", "1", "--seed", "3", "--no-save"], ["", "Z", too_many, key_list(question)])
    assert code == 0
    assert "(type the letter" in out and "(no option Z" in out and f"(choose {question.choose} option" in out
    assert "Right!" in out


def test_q_stops_early_and_scores_only_what_was_answered():
    questions = select(BANK, n=5, seed=2)
    code, out = run(["--n", "5", "--seed", "2"], [key_list(questions[0]), "q"])
    assert code == 0 and "Stopped." in out and "Score: 1/1 (100%)" in out


def test_end_of_input_before_any_answer_saves_nothing(course_home):
    code, out = run(["--n", "2"], [])
    assert code == 0 and "No answers, nothing saved." in out
    assert not (course_home / "quiz-results.json").exists()


def test_the_exam_mode_gives_no_feedback_until_the_end_then_reviews_misses():
    questions = exam_draw(BANK, size=65, seed=9)
    answers = [key_list(q, right=i % 4 != 0) for i, q in enumerate(questions)]  # 17 wrong of 65
    ticks = iter(range(0, 10_000, 60))
    code, out = run(["--exam", "--seed", "9", "--no-save"], answers, clock=lambda: float(next(ticks)))
    body, _, results = out.partition("== Review")
    assert "Right!" not in body and "Not quite" not in body
    assert "[1/65]" in body and "[65/65]" in body and "time left" in body
    assert "Score: 48/65 (74%) - PASS" in results
    assert results.count("you: ") == 17
    for topic in ("SQS FIFO queues", "Amazon Data Firehose", "Choosing a service"):
        assert topic in results


def test_a_later_run_focuses_on_weak_topics(course_home):
    session_questions = [q for q in BANK if q.topic == "firehose"][:4] + [q for q in BANK if q.topic == "sns"][:4]
    from course.quiz.session import Session

    session = Session(session_questions)
    for i, q in enumerate(session_questions):
        session.answer(i, q.correct if q.topic == "sns" else [k for k in q.keys if k not in q.correct][: q.choose])
    history.save_run(session)
    weights = history.focus_weights(history.load_runs())
    assert weights["firehose"] == 5 and weights["sns"] == 1 and weights["kinesis"] == 3
    code, out = run(["--weak", "--n", "10", "--seed", "1", "--no-save"], ["q"])
    assert "Focusing on: Amazon Data Firehose" in out


def test_a_corrupt_results_file_counts_as_no_history(course_home):
    (course_home / "quiz-results.json").write_text("{not json")
    assert history.load_runs() == []
    code, out = run(["--weak", "--n", "1", "--seed", "1"], ["q"])
    assert "No earlier results yet" in out


def test_register_adds_the_quiz_subcommand():
    parser = argparse.ArgumentParser(prog="course")
    cli.register(parser.add_subparsers(dest="command"))
    parsed = parser.parse_args(["quiz", "--topic", "kinesis", "--n", "4", "--exam", "--seed", "3"])
    assert (parsed.topic, parsed.n, parsed.exam, parsed.seed) == ("kinesis", 4, True, 3)
    assert callable(parsed.run)


def test_python_m_course_quiz_runs_in_a_terminal(course_home):
    """The real entry point: a subprocess reading answers from a pipe."""
    question = select(BANK, topic="eventbridge", n=1, seed=5)[0]
    env = {**os.environ, "COURSE_HOME": str(course_home)}
    done = subprocess.run([sys.executable, "-m", "course.quiz", "--topic", "eventbridge", "--n", "1", "--seed", "5"],
                          input=key_list(question) + "\n", capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Right!" in done.stdout and "Results saved to" in done.stdout
    assert done.stderr == ""


def test_an_unknown_topic_is_refused_by_the_parser():
    with pytest.raises(SystemExit):
        args("--topic", "lambda")
