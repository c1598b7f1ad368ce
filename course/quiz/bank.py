"""The question bank: scenario questions stored as TOML data files in this package.

One file per topic in ``course/quiz/questions/`` (read with the standard library's ``tomllib``)::

    topic = "sqs"

    [[question]]
    id = "sqs-visibility-duplicates"
    stem = "A worker takes up to 90 seconds per message ... What should the developer do?"
    correct = ["B"]
    difficulty = "easy"                     # easy | medium | hard
    tags = ["visibility-timeout"]
    source = { title = "Amazon SQS visibility timeout", url = "https://docs.aws.amazon.com/..." }
    options = [
      { key = "A", text = "...", why = "why A is right or wrong" },
      ...
    ]

A question with more than one correct answer says so in its stem, the way the exams do:
"(Choose two.)". :func:`validate` enforces the schema (the tests run it on every file).
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "TOPICS", "EXAM_WEIGHTS", "DIFFICULTIES", "Option", "Source", "Question", "BankError",
    "load", "load_file", "validate", "select", "exam_draw", "exam_allocation", "QUESTIONS_DIR",
]

QUESTIONS_DIR = Path(__file__).with_name("questions")

#: topic id -> the name a learner reads.
TOPICS: dict[str, str] = {
    "sqs": "SQS standard queues",
    "fifo": "SQS FIFO queues",
    "sns": "Amazon SNS",
    "eventbridge": "Amazon EventBridge",
    "kinesis": "Kinesis Data Streams",
    "firehose": "Amazon Data Firehose",
    "choice": "Choosing a service",
}
#: Share of each topic in a practice exam. AWS publishes weights per *domain* (security,
#: resilience, performance, cost), not per service: these are the course's own weights for a
#: messaging-only exam, roughly how often each service shows up in scenario questions.
EXAM_WEIGHTS: dict[str, float] = {
    "sqs": 0.20, "fifo": 0.12, "sns": 0.14, "eventbridge": 0.14,
    "kinesis": 0.15, "firehose": 0.08, "choice": 0.17,
}
DIFFICULTIES = ("easy", "medium", "hard")
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4}
_CHOOSE = re.compile(r"\(Choose (two|three|four)\.\)\s*$")
_SOURCE_HOSTS = ("https://docs.aws.amazon.com/", "https://aws.amazon.com/")


class BankError(ValueError):
    """A question file breaks the schema; the message lists every problem found."""


@dataclass(frozen=True)
class Option:
    """One answer option: its letter, its text, and why it is right or wrong."""

    key: str
    text: str
    why: str


@dataclass(frozen=True)
class Source:
    """The AWS documentation page that backs a question."""

    title: str
    url: str


@dataclass(frozen=True)
class Question:
    """A scenario question with one or several correct options."""

    id: str
    topic: str
    stem: str
    options: tuple[Option, ...]
    correct: frozenset[str]
    tags: tuple[str, ...]
    difficulty: str
    source: Source

    @property
    def choose(self) -> int:
        """How many options the learner must select."""
        return len(self.correct)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(option.key for option in self.options)

    def is_correct(self, selected: Iterable[str]) -> bool:
        """All-or-nothing, as on the exam: exactly the correct set."""
        return frozenset(key.strip().upper() for key in selected) == self.correct

    def option(self, key: str) -> Option:
        return next(option for option in self.options if option.key == key)


# -- loading and validation ---------------------------------------------------------------------
def load_file(path: Path) -> list[Question]:
    """Read and validate one topic file; raise :class:`BankError` listing every problem."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    problems = validate(data, name=path.name)
    if problems:
        raise BankError(f"{path.name}: " + "; ".join(problems))
    topic = data["topic"]
    return [_question(topic, record) for record in data["question"]]


@lru_cache(maxsize=4)
def _load_dir(directory: Path) -> tuple[Question, ...]:
    questions: list[Question] = []
    for path in sorted(directory.glob("*.toml")):
        questions += load_file(path)
    problems = _cross_file_problems(questions)
    if problems:
        raise BankError("; ".join(problems))
    return tuple(questions)


def load(directory: Path | None = None) -> list[Question]:
    """Every question of the bank (validated), in file order."""
    return list(_load_dir(Path(directory or QUESTIONS_DIR)))


def validate(data: Mapping, name: str = "<bank>") -> list[str]:
    """The schema problems of one parsed topic file (empty when it is valid)."""
    problems: list[str] = []
    topic = data.get("topic")
    if topic not in TOPICS:
        problems.append(f"topic {topic!r} is not one of {sorted(TOPICS)}")
    records = data.get("question")
    if not isinstance(records, list) or not records:
        return problems + ["no [[question]] records"]
    for index, record in enumerate(records):
        label = record.get("id") or f"question #{index + 1}"
        problems += [f"{label}: {p}" for p in _record_problems(record)]
    return problems


def _record_problems(record: Mapping) -> list[str]:
    problems = []
    for key, kind in (("id", str), ("stem", str), ("difficulty", str), ("correct", list), ("tags", list),
                      ("options", list), ("source", dict)):
        if not isinstance(record.get(key), kind):
            problems.append(f"missing or malformed {key!r}")
    if problems:
        return problems
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", record["id"]):
        problems.append("id must be lowercase words joined by '-'")
    if record["difficulty"] not in DIFFICULTIES:
        problems.append(f"difficulty must be one of {DIFFICULTIES}")
    if not record["tags"] or not all(isinstance(t, str) and t for t in record["tags"]):
        problems.append("needs at least one tag")
    options = record["options"]
    keys = [o.get("key") for o in options if isinstance(o, dict)]
    if not 4 <= len(options) <= 5:
        problems.append(f"has {len(options)} options; exam questions have 4 or 5")
    if keys != [chr(ord("A") + i) for i in range(len(options))]:
        problems.append(f"option keys must be A, B, C, ... in order, got {keys}")
    for option in options:
        if not isinstance(option, dict):
            continue
        if not str(option.get("text", "")).strip():
            problems.append(f"option {option.get('key')} has no text")
        if len(str(option.get("why", "")).strip()) < 15:
            problems.append(f"option {option.get('key')} has no explanation ('why')")
    correct = record["correct"]
    if len(set(correct)) != len(correct) or not set(correct) <= set(keys):
        problems.append(f"correct {correct} must be distinct option keys")
    if not correct or len(correct) >= len(options):
        problems.append("needs at least one correct and one wrong option")
    stated = _CHOOSE.search(record["stem"].strip())
    if len(correct) > 1 and not stated:
        problems.append(f"{len(correct)} correct answers but the stem does not end '(Choose {len(correct)}.)'")
    if stated and _NUMBER_WORDS[stated.group(1)] != len(correct):
        problems.append(f"the stem says choose {stated.group(1)} but {len(correct)} options are correct")
    if len(correct) > 1 and len(options) < 5:
        problems.append("a multiple-answer question needs 5 options")
    source = record["source"]
    if not str(source.get("title", "")).strip():
        problems.append("source has no title")
    if not str(source.get("url", "")).startswith(_SOURCE_HOSTS):
        problems.append("source url must be an AWS documentation page (https://docs.aws.amazon.com/ or https://aws.amazon.com/)")
    return problems


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


def _cross_file_problems(questions: Sequence[Question]) -> list[str]:
    problems, ids, stems = [], {}, {}
    for question in questions:
        if question.id in ids:
            problems.append(f"duplicate id {question.id}")
        ids[question.id] = question
        stem = _normal(question.stem)
        if stem in stems:
            problems.append(f"{question.id} repeats the stem of {stems[stem]}")
        stems[stem] = question.id
    return problems


def _question(topic: str, record: Mapping) -> Question:
    return Question(
        id=record["id"],
        topic=topic,
        stem=" ".join(record["stem"].split()),
        options=tuple(Option(o["key"], " ".join(o["text"].split()), " ".join(o["why"].split()))
                      for o in record["options"]),
        correct=frozenset(record["correct"]),
        tags=tuple(record["tags"]),
        difficulty=record["difficulty"],
        source=Source(record["source"]["title"], record["source"]["url"]),
    )


# -- drawing questions ----------------------------------------------------------------------------
def select(questions: Sequence[Question], *, topic: str | None = None, n: int | None = None,
           seed: int | None = None, weights: Mapping[str, float] | None = None) -> list[Question]:
    """Draw ``n`` questions (all if ``None``) in random order.

    ``topic`` keeps one topic (a topic id, or a tag); ``weights`` (topic -> weight) makes some
    topics more likely, e.g. the learner's weak topics from earlier runs. Same seed, same draw.
    """
    rng = random.Random(seed)
    pool = list(questions)
    if topic:
        # a topic id selects its file's questions; anything else is read as a tag
        pool = [q for q in pool if q.topic == topic] if topic in TOPICS else [q for q in pool if topic in q.tags]
        if not pool:
            raise BankError(f"no questions for topic {topic!r}; topics: {', '.join(TOPICS)}")
    n = len(pool) if n is None else max(0, min(n, len(pool)))
    if not weights:
        return rng.sample(pool, n)
    # weighted sampling without replacement (Efraimidis-Spirakis keys)
    keyed = [(rng.random() ** (1.0 / max(weights.get(q.topic, 1.0), 1e-6)), i) for i, q in enumerate(pool)]
    keyed.sort(reverse=True)
    return [pool[i] for _, i in keyed[:n]]


def exam_allocation(size: int = 65, weights: Mapping[str, float] = EXAM_WEIGHTS) -> dict[str, int]:
    """Questions per topic for an exam of ``size`` (largest-remainder rounding of the weights)."""
    total = sum(weights.values())
    exact = {topic: size * w / total for topic, w in weights.items()}
    counts = {topic: int(value) for topic, value in exact.items()}
    for topic in sorted(exact, key=lambda t: exact[t] - counts[t], reverse=True)[: size - sum(counts.values())]:
        counts[topic] += 1
    return counts


def exam_draw(questions: Sequence[Question], *, size: int = 65, seed: int | None = None) -> list[Question]:
    """A practice exam: ``size`` questions across topics in :data:`EXAM_WEIGHTS` proportion, shuffled."""
    rng = random.Random(seed)
    drawn: list[Question] = []
    for topic, count in exam_allocation(size).items():
        pool = [q for q in questions if q.topic == topic]
        if len(pool) < count:
            raise BankError(f"the bank has {len(pool)} {topic} questions; an exam of {size} needs {count}")
        drawn += rng.sample(pool, count)
    rng.shuffle(drawn)
    return drawn
