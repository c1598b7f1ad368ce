"""The quiz in a notebook (ipywidgets): one question at a time, or a timed practice exam.

Built by ``course.quiz.widget()`` and ``course.quiz.practice_exam()``.

Practice (``exam=False``): select, Submit, read right/wrong with every option's explanation and
the AWS page behind it, Next; a score and a weak-topic report at the end.
Exam (``exam=True``): answers are saved without feedback; Previous/Next, Flag, a Review screen
that shows answered/flagged/unanswered questions and jumps to any of them; Finish shows the
score against the pass mark, the per-topic table and the explanation of every miss. The
130-minute timer is display only and is refreshed whenever the learner acts.

Everything is reachable from Python (``select``, ``submit.click()``, ``feedback.value``), which is
how the tests drive it - no browser needed.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Sequence

import ipywidgets as w

from course.quiz import history
from course.quiz.bank import TOPICS, Question
from course.quiz.session import EXAM_MINUTES, PASS_MARK, Session, format_seconds

__all__ = ["QuizWidget"]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


class QuizWidget:
    """An interactive quiz over ``questions``; display it as the last value of a cell."""

    def __init__(self, questions: Sequence[Question], *, exam: bool = False,
                 clock: Callable[[], float] = time.monotonic, save: bool = True) -> None:
        if not questions:
            raise ValueError("no questions to ask")
        self.session = Session(questions, exam=exam, clock=clock)
        self.exam = exam
        self.save = save
        self.saved_to = None
        self.index = 0
        self.header = w.HTML()
        self.stem = w.HTML()
        self.choices: w.Widget = w.VBox()
        self.feedback = w.HTML()
        self.submit = w.Button(description="Save answer" if exam else "Submit", button_style="primary")
        self.next = w.Button(description="Next")
        self.previous = w.Button(description="Previous")
        self.flag = w.ToggleButton(description="Flag for review", value=False)
        self.review = w.Button(description="Review")
        self.finish = w.Button(description="Finish exam", button_style="warning")
        self.grid = w.GridBox(layout=w.Layout(grid_template_columns="repeat(13, 3.2em)"))
        self.submit.on_click(lambda _: self._submit())
        self.next.on_click(lambda _: self._go(self.index + 1))
        self.previous.on_click(lambda _: self._go(self.index - 1))
        self.flag.observe(self._flagged, names="value")
        self.review.on_click(lambda _: self._review())
        self.finish.on_click(lambda _: self._finish())
        buttons = [self.submit, self.next] if not exam else [self.previous, self.submit, self.next, self.flag,
                                                             self.review, self.finish]
        self.controls = w.HBox(buttons)
        self.box = w.VBox([self.header, self.stem, self.choices, self.controls, self.feedback, self.grid])
        self.done = False
        self._show(0)

    # -- what a learner does --------------------------------------------------------------------
    def select(self, *keys: str) -> None:
        """Tick exactly these options of the current question (what a click on them does)."""
        wanted = {k.upper() for k in keys}
        if isinstance(self.choices, w.RadioButtons):
            self.choices.value = next(iter(wanted)) if wanted else None
        else:
            for box in self.choices.children:
                box.value = box.description[0] in wanted

    def selected(self) -> frozenset[str]:
        """The options ticked now."""
        if isinstance(self.choices, w.RadioButtons):
            return frozenset([self.choices.value]) if self.choices.value else frozenset()
        return frozenset(box.description[0] for box in self.choices.children if box.value)

    @property
    def question(self) -> Question:
        return self.session.questions[self.index]

    # -- rendering ------------------------------------------------------------------------------
    def _timer(self) -> str:
        left = self.session.remaining()
        note = "time is up - finish when ready" if left < 0 else "display only"
        return f" · time left <b>{format_seconds(left)}</b> of {EXAM_MINUTES}:00 ({note})"

    def _show(self, index: int) -> None:
        self.index = index
        question = self.question
        total = len(self.session.questions)
        header = f"<b>Question {index + 1} of {total}</b> · {_e(TOPICS[question.topic])} · {question.difficulty}"
        if self.exam:
            header += f" · {len(self.session.answers)} answered" + self._timer()
        elif self.session.answers:
            header += f" · {self.session.right}/{len(self.session.answers)} right so far"
        self.header.value = header
        choose = "" if question.choose == 1 else f" <i>Select {question.choose}.</i>"
        self.stem.value = f"<p>{_e(question.stem)}{choose}</p>"
        labels = [(f"{o.key}) {o.text}", o.key) for o in question.options]
        if question.choose == 1:
            self.choices = w.RadioButtons(options=labels, value=None, layout=w.Layout(width="auto"))
        else:
            self.choices = w.VBox([w.Checkbox(description=label, value=False, indent=False,
                                              layout=w.Layout(width="auto")) for label, _ in labels])
        previous = self.session.answers.get(index)
        if previous is not None:
            self.select(*previous.selected)
        self.box.children = [self.header, self.stem, self.choices, self.controls, self.feedback, self.grid]
        self.feedback.value = ""
        self.grid.children = ()
        self.submit.disabled = False
        if self.exam:
            self.previous.disabled = index == 0
            self.next.disabled = index == total - 1
            self.flag.value = index in self.session.flagged
        else:
            self.next.disabled = True

    def _explanations(self, question: Question, selected: frozenset[str]) -> str:
        rows = []
        for option in question.options:
            right = option.key in question.correct
            mark = "✔" if right else "✘"
            mine = " <i>(your choice)</i>" if option.key in selected else ""
            colour = "#1a7f37" if right else "#b42318"
            rows.append(f"<li><b style='color:{colour}'>{mark} {option.key}</b>{mine}: {_e(option.why)}</li>")
        source = (f"<p>Source: <a href='{_e(question.source.url)}' target='_blank'>"
                  f"{_e(question.source.title)}</a></p>")
        return "<ul>" + "".join(rows) + "</ul>" + source

    # -- actions --------------------------------------------------------------------------------
    def _submit(self) -> None:
        if self.done:
            return
        question = self.question
        selected = self.selected()
        if len(selected) != question.choose:
            self.feedback.value = (f"<p>Select {question.choose} option{'s' if question.choose > 1 else ''} "
                                   "first.</p>")
            return
        answer = self.session.answer(self.index, selected)
        if self.exam:
            last = self.index == len(self.session.questions) - 1
            if last:
                self._show(self.index)
                self.feedback.value = "<p>Answer saved. That was the last question: Review or Finish exam.</p>"
            else:
                self._show(self.index + 1)
            return
        verdict = ("<h4 style='color:#1a7f37'>✔ Correct</h4>" if answer.correct else
                   f"<h4 style='color:#b42318'>✘ Not quite - the answer is {', '.join(sorted(question.correct))}</h4>")
        self.feedback.value = verdict + self._explanations(question, selected)
        self.submit.disabled = True
        self.next.disabled = False
        self.next.description = "Next" if self.index + 1 < len(self.session.questions) else "See results"

    def _go(self, index: int) -> None:
        if self.done:
            return
        if not self.exam and index >= len(self.session.questions):
            self._finish()
            return
        if 0 <= index < len(self.session.questions):
            self._show(index)

    def _flagged(self, change: dict) -> None:
        if change["new"]:
            self.session.flagged.add(self.index)
        else:
            self.session.flagged.discard(self.index)

    def _review(self) -> None:
        """The review screen: a button per question - answered, flagged or still open."""
        if self.done:
            return
        buttons = []
        for i in range(len(self.session.questions)):
            style = "warning" if i in self.session.flagged else ("success" if i in self.session.answers else "")
            button = w.Button(description=str(i + 1), button_style=style, layout=w.Layout(width="3em"),
                              tooltip="flagged" if i in self.session.flagged else
                              ("answered" if i in self.session.answers else "not answered"))
            button.on_click(lambda _, i=i: self._show(i))
            buttons.append(button)
        self.grid.children = tuple(buttons)
        open_ = self.session.unanswered()
        self.feedback.value = (
            f"<p><b>Review</b>{self._timer()}<br>{len(self.session.answers)} answered, "
            f"{len(self.session.flagged)} flagged (yellow), {len(open_)} not answered"
            + (f" (e.g. {', '.join(str(i + 1) for i in open_[:10])})" if open_ else "")
            + ". Click a number to go there; an unanswered question counts as wrong.</p>")

    def _finish(self) -> None:
        if self.done:
            return
        self.done = True
        session = self.session
        for control in (self.submit, self.next, self.previous, self.review, self.finish):
            control.disabled = True
        rows = "".join(
            f"<tr><td>{_e(TOPICS[t])}</td><td>{right} / {asked}</td><td>{right / asked:.0%}</td></tr>"
            for t, (right, asked) in session.by_topic().items())
        weak = session.weak_topics()
        weak_text = ("Weak topics: " + ", ".join(_e(TOPICS[t]) for t in weak)
                     + ". Practise one with <code>course.quiz.widget(topic=...)</code>." if weak
                     else "No weak topics in this run.")
        head = f"<h3>Score: {session.right} / {len(session.questions)} ({session.score:.0%})"
        if self.exam:
            verdict = "PASS" if session.passed else "NOT YET"
            head += (f" - {verdict}</h3><p>Pass mark {PASS_MARK:.0%} (the real exam reports a scaled score "
                     f"and passes at 720 of 1,000). Time used {format_seconds(session.elapsed())} of "
                     f"{EXAM_MINUTES}:00.</p>")
        else:
            head += "</h3>"
        body = (head + "<table><tr><th>topic</th><th>right</th><th></th></tr>" + rows + "</table>"
                + f"<p>{weak_text}</p>")
        if self.exam:
            missed = []
            for index, question in session.missed():
                answer = session.answers.get(index)
                given = ", ".join(sorted(answer.selected)) if answer else "no answer"
                missed.append(f"<details><summary>Question {index + 1} ({_e(question.id)}): you {given}, "
                              f"correct {', '.join(sorted(question.correct))}</summary><p>{_e(question.stem)}</p>"
                              + self._explanations(question, answer.selected if answer else frozenset())
                              + "</details>")
            body += "<h4>Review your misses</h4>" + ("".join(missed) or "<p>None - well done.</p>")
        if self.save and session.answers:
            try:
                self.saved_to = history.save_run(session, mode="exam" if self.exam else "quiz")
            except OSError:
                self.saved_to = None
        self.header.value = "<b>Results</b>"
        self.stem.value = ""
        self.feedback.value = body
        self.grid.children = ()
        self.box.children = [self.header, self.feedback]

    # -- display --------------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):  # noqa: ANN003 - IPython's display protocol
        return self.box._repr_mimebundle_(**kwargs)
