"""The quiz widget, driven as a learner would: select options, click Submit, read the feedback.

No browser: the widgets are plain ipywidgets objects; we click their buttons and read their state.
"""

import json

import pytest

import course.quiz
from course.quiz.bank import load
from course.quiz.widgets import QuizWidget

BANK = load()
SINGLE = next(q for q in BANK if q.choose == 1)
MULTI = next(q for q in BANK if q.choose == 2)


def wrong_keys(question):
    """As many letters as the question wants, one of them wrong."""
    keys = sorted(question.correct)
    keys[0] = next(k for k in question.keys if k not in question.correct)
    return keys


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture(autouse=True)
def course_home(tmp_path, monkeypatch):
    """Results go to a temporary COURSE_HOME, never to the real ~/.course."""
    monkeypatch.setenv("COURSE_HOME", str(tmp_path))
    return tmp_path


def test_a_right_answer_shows_correct_the_explanations_and_the_source():
    quiz = QuizWidget([SINGLE], save=False)
    assert "Question 1 of 1" in quiz.header.value
    assert SINGLE.stem[:40].replace('"', "&quot;") in quiz.stem.value or SINGLE.stem[:20] in quiz.stem.value
    quiz.select(*SINGLE.correct)
    quiz.submit.click()
    feedback = quiz.feedback.value
    assert "Correct" in feedback and "Not quite" not in feedback
    assert SINGLE.source.url in feedback
    for option in SINGLE.options:  # every option's explanation is shown
        assert option.key in feedback
    assert quiz.submit.disabled and not quiz.next.disabled


def test_a_wrong_answer_names_the_right_one_and_marks_the_learners_choice():
    quiz = QuizWidget([SINGLE], save=False)
    quiz.select(*wrong_keys(SINGLE))
    quiz.submit.click()
    feedback = quiz.feedback.value
    answer = ", ".join(sorted(SINGLE.correct))
    assert f"Not quite - the answer is {answer}" in feedback
    assert "(your choice)" in feedback


def test_a_multiple_answer_question_uses_checkboxes_and_needs_the_stated_number():
    quiz = QuizWidget([MULTI], save=False)
    assert "Select 2" in quiz.stem.value
    quiz.select(sorted(MULTI.correct)[0])  # one of two
    quiz.submit.click()
    assert "Select 2 options first" in quiz.feedback.value
    assert not quiz.session.answers
    quiz.select(*MULTI.correct)
    quiz.submit.click()
    assert "Correct" in quiz.feedback.value


def test_submitting_nothing_asks_for_a_selection():
    quiz = QuizWidget([SINGLE], save=False)
    quiz.submit.click()
    assert "Select 1 option first" in quiz.feedback.value


def test_the_end_shows_the_score_and_a_weak_topic_report(course_home):
    questions = [q for q in BANK if q.topic == "kinesis"][:2] + [q for q in BANK if q.topic == "sns"][:2]
    quiz = QuizWidget(questions, save=True)
    for question in questions:
        quiz.select(*(question.correct if question.topic == "sns" else wrong_keys(question)))
        quiz.submit.click()
        quiz.next.click()
    result = quiz.feedback.value
    assert "Score: 2 / 4 (50%)" in result
    assert "Weak topics: Kinesis Data Streams" in result and "Amazon SNS</td><td>2 / 2" in result
    saved = json.loads((course_home / "quiz-results.json").read_text())
    assert [a["correct"] for a in saved[-1]["answers"]] == [False, False, True, True]
    quiz.submit.click()  # after the end, buttons do nothing
    assert "Score: 2 / 4" in quiz.feedback.value


def test_course_quiz_widget_draws_from_a_topic():
    quiz = course.quiz.widget(topic="fifo", n=3, seed=1, save=False)
    assert len(quiz.session.questions) == 3
    assert {q.topic for q in quiz.session.questions} == {"fifo"}
    assert "SQS FIFO queues" in quiz.header.value


def test_the_widget_displays_in_a_notebook():
    bundle = course.quiz.widget(n=1, seed=3, save=False)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


# -- the practice exam -------------------------------------------------------------------------
def test_the_practice_exam_has_65_questions_a_timer_and_no_feedback_per_question():
    clock = FakeClock()
    exam = QuizWidget(course.quiz.exam_draw(BANK, size=65, seed=2), exam=True, clock=clock, save=False)
    assert "Question 1 of 65" in exam.header.value and "130:00" in exam.header.value
    first = exam.question
    exam.select(*wrong_keys(first))
    clock.now += 95
    exam.submit.click()
    assert "Question 2 of 65" in exam.header.value          # moved on, no verdict shown
    assert "Correct" not in exam.feedback.value and "Not quite" not in exam.feedback.value
    assert "time left <b>128:25</b>" in exam.header.value    # display only, refreshed on each action
    exam.previous.click()
    assert exam.selected() == frozenset(wrong_keys(first))  # the saved answer is shown again


def test_the_review_screen_shows_answered_flagged_and_open_questions_and_jumps_to_one():
    exam = QuizWidget(course.quiz.exam_draw(BANK, size=65, seed=4), exam=True, clock=FakeClock(), save=False)
    exam.select(*exam.question.correct)
    exam.submit.click()
    exam.flag.value = True                 # flag question 2
    exam.review.click()
    buttons = exam.grid.children
    assert len(buttons) == 65
    assert buttons[0].button_style == "success" and buttons[1].button_style == "warning"
    assert buttons[2].button_style == ""
    assert "1 answered, 1 flagged (yellow), 64 not answered" in exam.feedback.value
    buttons[40].click()
    assert "Question 41 of 65" in exam.header.value


def test_finishing_the_exam_scores_against_the_pass_mark_per_topic():
    clock = FakeClock()
    questions = course.quiz.exam_draw(BANK, size=65, seed=5)
    exam = QuizWidget(questions, exam=True, clock=clock, save=False)
    for index, question in enumerate(questions):   # 48 right = 73.8%: a pass
        exam.select(*(question.correct if index < 48 else wrong_keys(question)))
        exam.submit.click()
    clock.now += 131 * 60
    exam.finish.click()
    result = exam.feedback.value
    assert "Score: 48 / 65 (74%) - PASS" in result
    assert "Pass mark 72%" in result and "720 of 1,000" in result
    assert result.count("<tr><td>") == 7                   # one row per topic
    assert result.count("<details>") == 17                 # every miss, with its explanation
    assert exam.submit.disabled and exam.finish.disabled


def test_an_unfinished_exam_counts_unanswered_questions_as_wrong():
    questions = course.quiz.exam_draw(BANK, size=65, seed=6)
    exam = QuizWidget(questions, exam=True, clock=FakeClock(), save=False)
    for question in questions[:50]:
        exam.select(*question.correct)
        exam.submit.click()
    exam.finish.click()
    assert "Score: 50 / 65 (77%) - PASS" in exam.feedback.value
    assert "no answer" in exam.feedback.value
