"""Exam questions answered in code, for 07_exam_traps.

* :func:`exam_question` - a question of the course's sourced bank (:mod:`course.quiz`), answered
  with the letters of the options; :func:`ask` shows it in the notebook, from the bank itself, so
  the notebook and the check can never disagree;
* :func:`delay_mechanisms` and :func:`service_choice` - numbered situations matched to a mechanism
  or a service.

A wrong answer is told why *its* choice does not fit, never which one does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from course.sandbox import Sandbox
from graders.exercise import Exercise, declared_in

__all__ = ["BANK_EXERCISES", "BANK_QUESTIONS", "DELAYS", "MECHANISMS", "SITUATIONS", "SERVICES", "SCENARIOS",
           "SERVICE_CHOICE", "Matching", "ask",
           "exam_question", "delay_mechanisms", "service_choice", "show_situations", "show_scenarios"]

#: This module's exercises, declared in graders/exercises/questions.toml.
EXERCISES = declared_in("questions")


def _letters(ex: Exercise, answer: Any) -> set[str]:
    """The options a learner chose: ``{"B"}``, ``["b", "c"]``, ``"B"`` or ``"B, C"``."""
    if isinstance(answer, str):
        answer = re.split(r"[\s,;]+", answer.strip())
    if not isinstance(answer, Iterable) or isinstance(answer, dict):
        ex.fail("returns-letters", f"your function returned {answer!r}; return the letters you choose, e.g. {{\"A\"}}.")
    letters = {str(item).strip().upper() for item in answer if str(item).strip()}
    if not letters:
        ex.fail("returns-letters", "your function returned no letter.", hint='return a set of letters, e.g. {"A"}.')
    return letters


def _normal(text: Any) -> str:
    return re.sub(r"[\s_\-+]+", " ", str(text)).strip().lower()


@dataclass(frozen=True)
class Matching:
    """A matching ``exercise``: numbered ``items`` (``{n: (text, the choice that fits)}``), each to be
    matched to one of ``choices`` (``{choice: what it is}``) by the learner's ``function``.

    Its notebook shows the items with :meth:`show` and checks the answer with :meth:`check`.

    A wrong match is told by ``wrong_line`` (``{n}``, ``{chosen}`` and ``{meaning}``: what the
    chosen one is), under ``headline`` (``{wrong}`` of ``{total}`` items), with ``why`` and ``hint``;
    a right answer is told ``praise``.
    """

    exercise: Exercise
    question: str
    function: str
    noun: str
    items: Mapping[int, tuple[str, str]]
    choices: Mapping[str, str]
    wrong_line: str
    headline: str
    praise: str
    why: str = ""
    hint: str = ""

    def show(self) -> Any:
        """The question and its numbered items, as Markdown."""
        from IPython.display import Markdown

        lines = [f"**{self.exercise.id}.** {self.question}", ""]
        lines += [f"{n}. {text}" for n, (text, _) in self.items.items()]
        lines += ["", "Choose from: " + ", ".join(f"`{c!r}`" for c in self.choices) + "."]
        return Markdown("\n".join(lines))

    def check(self, cloud: Sandbox, answer: Callable[[], Any]) -> None:
        """The notebook's check: ``answer()`` returns ``{number: choice}`` for every item."""
        self.exercise.check(self.judge)(cloud, answer)

    def judge(self, ex: Exercise, cloud: Sandbox, answer: Callable[[], Any]) -> None:
        """Pass ``ex`` when ``answer()`` matches every item to the choice that fits it; else fail with a lesson."""
        if wrong := self.mismatched(ex, answer):
            ex.fail("every-match-fits", wrong, why=self.why, hint=self.hint)
        ex.passed(self.praise)

    def mismatched(self, ex: Exercise, answer: Callable[[], Any]) -> str:
        """The items ``answer()`` matched wrongly, told under the headline; "" when every match is right."""
        chosen = self._chosen(ex, ex.call_learner(answer))
        wrong = [self.wrong_line.format(n=n, chosen=chosen[n], meaning=self.choices[chosen[n]])
                 for n, (_, want) in self.items.items() if chosen[n] != want]
        if not wrong:
            return ""
        return self.headline.format(wrong=len(wrong), total=len(self.items)) + ":\n  - " + "\n  - ".join(wrong)

    def _chosen(self, ex: Exercise, answer: Any) -> dict[int, str]:
        """The learner's ``{number: choice}``: every item answered, each with one of ``choices`` (its own spelling)."""
        noun = self.noun
        if not isinstance(answer, dict):
            ex.fail("returns-mapping",
                    f"{self.function}() returned {type(answer).__name__}; return a dict {{1: '...', 2: '...', ...}}.")
        names = {_normal(name): name for name in self.choices}
        chosen = {}
        for key, value in answer.items():
            try:
                number = int(key)
            except (TypeError, ValueError):
                ex.fail("numbered-keys", f"{key!r} is not a {noun} number (1 to {len(self.items)}).")
            if _normal(value) not in names:
                ex.fail("known-choices",
                        f"{noun} {number}: {value!r} is not one of {', '.join(self.choices)} - choose from these.")
            chosen[number] = names[_normal(value)]
        missing = [n for n in self.items if n not in chosen]
        if missing:
            ex.fail("every-item-answered", f"no answer for {noun}(s) {missing}.")
        return chosen


# -- exam questions from the course's bank ------------------------------------------------------
#: exercise id -> the bank question it asks (course/quiz/questions/*.toml)
BANK_QUESTIONS: Mapping[str, str] = MappingProxyType({
    "trap-1": "sqs-consumer-crash",
    "trap-8": "choice-push-vs-pull",
})
#: exercise id -> its exercise, for the questions of the bank
BANK_EXERCISES: Mapping[str, Exercise] = MappingProxyType({id: EXERCISES[id] for id in BANK_QUESTIONS})


def ask(exercise: str) -> Any:
    """The question of ``exercise`` as Markdown (the last line of a cell shows it)."""
    from IPython.display import Markdown

    from course import quiz

    question = quiz.question(BANK_QUESTIONS[exercise])
    lines = [f"**{exercise}.** {question.stem}", ""]
    lines += [f"- **{option.key}.** {option.text}" for option in question.options]
    lines += ["", f"*Source: {question.source.title}*"]
    return Markdown("\n".join(lines))


def exam_question(exercise: str, answer: Callable[[], Any]) -> None:
    """``answer()`` returns the letters of the correct options of the bank question of ``exercise``."""
    BANK_EXERCISES[exercise].check(_judge_bank_answer)(BANK_QUESTIONS[exercise], answer)


def _judge_bank_answer(ex: Exercise, question_id: str, answer: Callable[[], Any]) -> None:
    """``answer()`` judged against the bank question ``question_id``, for the exercise ``ex`` that asks it."""
    from course import quiz

    question = quiz.question(question_id)
    chosen = _letters(ex, ex.call_learner(answer))
    unknown = sorted(chosen - set(question.keys))
    if unknown:
        ex.fail("known-options", f"{', '.join(unknown)} is not an option; the options are {', '.join(question.keys)}.")
    if question.is_correct(chosen):
        why = " ".join(question.option(key).why.removeprefix("Correct. ") for key in sorted(chosen))
        ex.passed(f"right. {why}")
        return
    wrong = [f"{key}: {question.option(key).why}" for key in sorted(chosen - question.correct)]
    count = "" if len(chosen) == question.choose else \
        f" This question asks for {question.choose} option{'s' if question.choose > 1 else ''}; you chose {len(chosen)}."
    ex.fail("correct-options", f"not the right answer.{count}" + ("\n  - " + "\n  - ".join(wrong) if wrong else ""),
            hint=f"run the demonstration above again, and read {question.source.title}.")


# -- 3. delay queue vs message timer vs visibility timeout --------------------------------------
MECHANISMS = {
    "delay queue": "hides every new message on the queue before its first delivery (the queue's DelaySeconds, "
                   "0-15 min)",
    "message timer": "hides one message before its first delivery (DelaySeconds on SendMessage, 0-15 min; "
                     "standard queues only - FIFO queues have no per-message timers)",
    "visibility timeout": "hides a message after a consumer received it, until it is deleted or the timeout "
                          "ends (ChangeMessageVisibility extends it, up to 12 h)",
}
SITUATIONS = {
    1: ("Every new sign-up on the welcome queue must wait 5 minutes before any worker may see it.", "delay queue"),
    2: ("One reminder must stay hidden for 10 minutes; the other messages on its standard queue go out at once.",
        "message timer"),
    3: ("A worker has received a video and needs 20 more minutes of work before it can delete it.",
        "visibility timeout"),
    4: ("Every message on a FIFO queue must be held back 2 minutes after it is sent.", "delay queue"),
}


DELAYS = Matching(EXERCISES["trap-4"], "Which mechanism fits each situation?", "mechanisms", "situation",
                  SITUATIONS, MECHANISMS,
                  wrong_line="{n}. a {chosen} {meaning} - not what this situation needs",
                  headline="{wrong} of {total} situations got the wrong mechanism",
                  praise="delay queue: every message, before delivery; message timer: one message (standard "
                  "queues); visibility timeout: after a receive.",
                  why="all three make a message invisible, but at different moments and for different scopes - "
                  "the exam's favourite way to tell them apart.")


#: trap-4's situations, shown in its notebook, and its check
show_situations, delay_mechanisms = DELAYS.show, DELAYS.check


# -- 9. choosing the service ----------------------------------------------------------------------
SERVICES = {
    "SQS": "a queue: each message handled once by one of a pool of workers, with retries and a DLQ; no replay",
    "SQS FIFO": "a queue with strict order per message group and deduplication, at FIFO throughput",
    "SNS": "push fan-out of each message to every subscription (queues, Lambda, HTTP, email, SMS), "
           "filtered by attributes; nothing is kept",
    "EventBridge": "content-based routing on any field of the event, from AWS services and SaaS partners, with "
                   "archive and replay",
    "Kinesis Data Streams": "an ordered log per shard read by several consumers independently, replayable for "
                            "up to 365 days, each record within about a second",
    "Firehose": "buffered, near-real-time delivery to S3, Redshift, OpenSearch, Splunk and HTTP with no "
                "consumer code - seconds to minutes of latency, no replay",
}
SCENARIOS = {
    1: ("Three teams must each read every click event, and a new team must be able to reprocess the last "
        "3 days of them.", "Kinesis Data Streams"),
    2: ("Every uploaded image must be resized once by a pool of workers; failures are retried, then parked.", "SQS"),
    3: ("Land the clickstream in S3 as compressed files for Athena; up to a minute of delay is fine and "
        "nobody wants to run consumers.", "Firehose"),
    4: ("A fraud model and a live dashboard must both see every card transaction within about 200 milliseconds "
        "of it being written, in order per card.", "Kinesis Data Streams"),
    5: ("Route events from AWS services and a SaaS ticketing tool by any field of their payload (prefixes, "
        "numeric ranges) to different targets.", "EventBridge"),
    6: ("Push each new order at once to three queues and an e-mail address; one queue only wants orders "
        "whose 'region' attribute is EU.", "SNS"),
    7: ("Apply each bank account's transactions strictly in order, each exactly once, with several workers "
        "sharing the accounts.", "SQS FIFO"),
}


SERVICE_CHOICE = Matching(EXERCISES["trap-11"], "Which service fits each scenario?", "choose_services", "scenario",
                          SCENARIOS, SERVICES,
                          wrong_line="{n}. {chosen} is {meaning} - not what this scenario needs",
                          headline="{wrong} of {total} choices miss the scenario",
                          praise=f"all {len(SCENARIOS)} scenarios matched to the service that fits.",
                          hint="for each scenario, find the word that decides: replay, several consumers, "
                          "milliseconds, no code, any field, push, strictly in order.")


#: trap-11's scenarios, shown in its notebook, and its check
show_scenarios, service_choice = SERVICE_CHOICE.show, SERVICE_CHOICE.check
