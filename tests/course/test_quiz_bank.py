"""The question bank: its schema, its size, and that it teaches current AWS facts (course.quiz.bank)."""

import copy
import re
import tomllib
from collections import Counter

import pytest

from course.quiz.bank import (EXAM_WEIGHTS, QUESTIONS_DIR, TOPICS, BankError, exam_allocation, exam_draw, load,
                              select, validate)

BANK = load()
FILES = sorted(QUESTIONS_DIR.glob("*.toml"))


def texts(question):
    """(where, text, is_correct_option_text) for every piece of text a learner reads."""
    yield "stem", question.stem, False
    for option in question.options:
        yield f"option {option.key}", option.text, option.key in question.correct
        yield f"why {option.key}", option.why, False


def sentences(text):
    return [s for s in re.split(r"(?<=[.;?!])\s+|\s+-\s+", text) if s]


# -- schema -------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_file_passes_the_schema(path):
    """Does each topic file validate: source, an explanation per option, stated number of answers?"""
    with path.open("rb") as handle:
        assert validate(tomllib.load(handle), path.name) == []


def test_the_bank_has_at_least_150_questions_across_every_topic():
    assert len(BANK) >= 150
    per_topic = Counter(q.topic for q in BANK)
    assert set(per_topic) == set(TOPICS)
    assert min(per_topic.values()) >= 15, per_topic


def test_the_bank_mixes_single_and_multiple_answer_questions():
    kinds = Counter("multiple" if q.choose > 1 else "single" for q in BANK)
    assert kinds["multiple"] >= 15 and kinds["single"] >= 100, kinds
    assert {q.difficulty for q in BANK} == {"easy", "medium", "hard"}


def test_ids_and_stems_are_unique():
    assert len({q.id for q in BANK}) == len(BANK)
    normal = Counter(re.sub(r"[^a-z0-9]+", " ", q.stem.lower()).strip() for q in BANK)
    assert [stem for stem, n in normal.items() if n > 1] == []


def test_every_question_states_how_many_answers_to_choose():
    """Exactly the stated number of options is correct: '(Choose two.)' means two."""
    words = {2: "two", 3: "three"}
    for q in BANK:
        if q.choose == 1:
            assert "(Choose" not in q.stem, q.id
        else:
            assert q.stem.endswith(f"(Choose {words[q.choose]}.)"), q.id
            assert len(q.options) == 5, q.id
        assert 4 <= len(q.options) <= 5 and q.correct < set(q.keys), q.id


def test_every_question_has_an_aws_documentation_source_and_every_option_an_explanation():
    for q in BANK:
        assert q.source.title.strip() and q.source.url.startswith(("https://docs.aws.amazon.com/", "https://aws.amazon.com/")), q.id
        for option in q.options:
            assert len(option.why) >= 15, (q.id, option.key)
        # the explanation of every correct option says so, so the learner is never confused
        for key in q.correct:
            assert q.option(key).why.startswith("Correct"), (q.id, key)
        for option in q.options:
            if option.key not in q.correct:
                assert not option.why.startswith("Correct"), (q.id, option.key)


def good_record():
    return {
        "id": "x-one", "stem": "A situation. What should be done?", "correct": ["A"], "difficulty": "easy",
        "tags": ["t"], "source": {"title": "Page", "url": "https://docs.aws.amazon.com/x.html"},
        "options": [{"key": k, "text": f"option {k}", "why": f"because of reason {k}, explained."} for k in "ABCD"],
    }


@pytest.mark.parametrize(("change", "problem"), [
    (lambda r: r.pop("source"), "source"),
    (lambda r: r["source"].update(url="https://example.com/blog"), "AWS documentation"),
    (lambda r: r["options"][2].update(why=""), "option C has no explanation"),
    (lambda r: r.update(correct=["A", "B"]), "does not end '(Choose 2.)'"),
    (lambda r: r.update(stem=r["stem"] + " (Choose two.)"), "says choose two but 1"),
    (lambda r: r.update(correct=["E"]), "distinct option keys"),
    (lambda r: r["options"].pop(), "3 options"),
    (lambda r: r.update(difficulty="trivial"), "difficulty"),
])
def test_the_validator_catches_broken_records(change, problem):
    """Would a broken record be caught before it reaches a learner?"""
    record = good_record()
    assert validate({"topic": "sqs", "question": [copy.deepcopy(record)]}) == []
    change(record)
    problems = validate({"topic": "sqs", "question": [record]})
    assert any(problem in p for p in problems), problems


def test_duplicate_stems_across_files_are_refused(tmp_path):
    record = good_record()
    for name in ("a", "b"):
        other = dict(record, id=f"x-{name}")
        (tmp_path / f"{name}.toml").write_text(_toml("sqs", other))
    with pytest.raises(BankError, match="repeats the stem"):
        load(tmp_path)


def _toml(topic, record):
    options = "\n".join(f'  {{ key = "{o["key"]}", text = "{o["text"]}", why = "{o["why"]}" }},' for o in record["options"])
    return (f'topic = "{topic}"\n[[question]]\nid = "{record["id"]}"\nstem = "{record["stem"]}"\n'
            f'correct = {record["correct"]!r}\ndifficulty = "{record["difficulty"]}"\ntags = ["t"]\n'
            f'source = {{ title = "P", url = "https://docs.aws.amazon.com/x.html" }}\noptions = [\n{options}\n]\n'
            ).replace("'", '"')


# -- currency: figures that older material gets wrong (figures older study material gets wrong) ------------------------
#: name -> pattern of the outdated figure (in the context that makes it wrong)
OUTDATED = {
    "SQS message size 256 KiB (1 MiB since August 2025)": r"256\s*(KB|KiB|kilobytes)",
    "FIFO in-flight 20,000 (now 120,000)": r"(?<![\d,])20,000\b",
    "Kinesis maximum retention 7 days (now 365 days)":
        r"(max(imum)?|up to|at most|limit(ed)? (of|to))\b[^.]{0,40}\b(7|seven) days|(7|seven) days[^.]{0,25}\b(max(imum)?|limit)",
    "SNS FIFO topics deliver only to FIFO queues (now standard queues too)": r"FIFO topics?[^.]{0,40}\bonly\b[^.]{0,25}FIFO queues",
    "SNS filters only on message attributes (body filtering exists)": r"only filter on message attributes",
}
HISTORY = re.compile(r"\b(older|old|was|were|until|before|previously|no longer|out of date|outdated|used to|"
                     r"earlier|since|now|renamed|raised)\b", re.IGNORECASE)


def test_no_question_teaches_an_outdated_figure_as_current():
    """An outdated figure appears only where the text says it is old, never as a correct answer."""
    offences = []
    for q in BANK:
        whys = {o.key: o.why for o in q.options}
        for where, text, is_correct_text in texts(q):
            for name, pattern in OUTDATED.items():
                for sentence in sentences(text):
                    if not re.search(pattern, sentence, re.IGNORECASE):
                        continue
                    if is_correct_text:
                        offences.append(f"{q.id} {where}: a correct answer says {name}")
                    elif where.startswith("option"):
                        # a wrong option may state the old figure if its explanation flags it as old
                        if not HISTORY.search(whys[where[-1]]):
                            offences.append(f"{q.id} {where}: the explanation does not say '{name}' is out of date")
                    elif not HISTORY.search(sentence):
                        offences.append(f"{q.id} {where}: '{sentence}' states {name} as current")
    assert offences == []


def test_the_currency_check_would_catch_an_outdated_question():
    """The check above is not vacuous: a question teaching 256 KiB as the limit is flagged."""
    sentence = "The maximum SQS message size is 256 KiB."
    assert re.search(OUTDATED["SQS message size 256 KiB (1 MiB since August 2025)"], sentence)
    assert not HISTORY.search(sentence)
    assert re.search(OUTDATED["Kinesis maximum retention 7 days (now 365 days)"], "retention can be at most 7 days")
    assert not re.search(OUTDATED["Kinesis maximum retention 7 days (now 365 days)"], "retention beyond 7 days is billed")


#: current facts the bank must teach somewhere, each as a pattern
CURRENT = {
    "SQS message size 1 MiB": r"1 MiB",
    "FIFO in-flight 120,000": r"120,000",
    "Kinesis retention up to 365 days / 8,760 hours": r"365 days|8,760 hours",
    "EventBridge 5 targets per rule": r"(five|5) targets",
    "dedup window 5 minutes": r"5-minute|5 minutes",
    "visibility >= 6x Lambda timeout": r"six times",
    "long poll <= 20 s": r"20 s(econds)?\b",
    "SQS retention 14 days, default 4 days": r"14 days",
    "visibility timeout up to 12 hours": r"12 hours",
    "delay up to 15 minutes": r"15 minutes",
    "EventBridge retries 24 h / 185 attempts": r"185 attempts",
    "Firehose buffer 1-128 MiB, 0-900 s": r"1-128 MiB",
    "Kinesis shard 1 MB/s or 1,000 records/s in": r"1 MB/s or 1,000 records/s|1 MB per second or 1,000 records per second",
    "PutRecords 500 records": r"500 records",
    "partition key 256 characters": r"256 characters",
    "SNS filter 150 combinations": r"150 combinations",
    "SNS FIFO topics to standard queues": r"FIFO and standard (SQS )?queues",
    "SNS MaximumMessageSize up to 1 MiB": r"MaximumMessageSize",
    "SNS FIFO archive 1 to 365 days": r"ArchivePolicy[^.]{0,30}1 to 365 days",
    "SQS fair queues": r"fair queue",
    "Kinesis records up to 10 MiB": r"10 MiB",
    "Kinesis 20 enhanced fan-out consumers per stream": r"20 (registered )?consumers",
}


@pytest.mark.parametrize("fact", sorted(CURRENT))
def test_the_bank_teaches_the_current_figure(fact):
    corpus = "\n".join(text for q in BANK for _, text, _ in texts(q))
    assert re.search(CURRENT[fact], corpus), fact


@pytest.mark.parametrize("wrong", [
    r"visibility timeout[^.]{0,60}(maximum|up to|at most)[^.]{0,20}\b(1|24|6) hours?",
    r"(wait time|long poll)[^.]{0,40}(maximum|up to|at most)[^.]{0,10}\b(30|60) seconds",
    r"(retention)[^.]{0,40}(maximum|up to)[^.]{0,15}\b(7|28|30) days",
    r"(rule)[^.]{0,30}up to (10|ten) targets",
])
def test_no_question_states_a_wrong_limit(wrong):
    offences = [(q.id, text) for q in BANK for _, text, correct in texts(q)
                if correct and re.search(wrong, text, re.IGNORECASE)]
    assert offences == []


# -- drawing questions ---------------------------------------------------------------------------
def test_select_is_deterministic_with_a_seed_and_filters_by_topic():
    first = select(BANK, topic="kinesis", n=5, seed=7)
    assert [q.id for q in first] == [q.id for q in select(BANK, topic="kinesis", n=5, seed=7)]
    assert len(first) == 5 and all(q.topic == "kinesis" for q in first)
    assert {q.id for q in select(BANK, topic="hot-shard")} <= {q.id for q in BANK if "hot-shard" in q.tags}
    with pytest.raises(BankError, match="no questions"):
        select(BANK, topic="lambda-layers")


def test_weights_favour_weak_topics():
    drawn = Counter(q.topic for seed in range(20) for q in select(BANK, n=20, seed=seed, weights={"fifo": 20.0}))
    assert drawn["fifo"] == max(drawn.values())


def test_the_practice_exam_has_65_questions_in_exam_proportion():
    allocation = exam_allocation(65)
    assert sum(allocation.values()) == 65 and set(allocation) == set(EXAM_WEIGHTS) == set(TOPICS)
    exam = exam_draw(BANK, size=65, seed=1)
    assert len(exam) == 65 and len({q.id for q in exam}) == 65
    assert Counter(q.topic for q in exam) == Counter(allocation)
    assert [q.id for q in exam] == [q.id for q in exam_draw(BANK, size=65, seed=1)]
