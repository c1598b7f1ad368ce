"""The trusted process of a graded notebook, against a learner's kernel that may be hostile.

Each test runs the trusted side (:class:`instructor.autograde.trusted.Trusted`) in this thread and
the learner's end (:class:`course.remote.RemoteCloud`) in another, on a socket pair: the learner's
"cells" run first (their AWS calls are served by the trusted side), then a test cell runs in the
trusted side while the learner serves it, as ``course grade`` does with two processes.
"""

from __future__ import annotations

import json
import selectors
import socket
import threading
from collections.abc import Callable
from typing import Any

import pytest

import course
from course.remote.cloud import RemoteCloud
from course.remote.wire import ChannelClosed
from instructor.autograde.trusted import Trusted

SETUP = "import json\nimport course\nfrom graders import sqs as check\ncloud = course.start()\nsqs = cloud.client('sqs')\n"


class Notebook:
    """One graded notebook: the trusted side here, the learner's kernel in a thread."""

    def __init__(self) -> None:
        grader_end, learner_end = socket.socketpair()
        self.trusted = Trusted()
        setup = self.trusted.run(SETUP, None, "setup")
        assert setup["error"] is None, setup
        self.trusted.attach(grader_end)
        self.learner_end = learner_end
        self.namespace: dict[str, Any] = {}
        self.cloud: RemoteCloud | None = None
        self.cells = 0

    def learner(self, cell: Callable[[RemoteCloud, dict], None]) -> None:
        """Run a learner's cell (in its thread) while the trusted side serves its calls."""
        errors: list[BaseException] = []

        def run() -> None:
            try:
                if self.cloud is None:
                    self.cloud = RemoteCloud(self.learner_end, self.namespace)
                cell(self.cloud, self.namespace)
            except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
                errors.append(error)

        thread = threading.Thread(target=run)
        thread.start()
        selector = selectors.DefaultSelector()
        selector.register(self.trusted.learner.sock, selectors.EVENT_READ)
        while thread.is_alive():
            if selector.select(timeout=0.02):
                try:
                    message = self.trusted.learner.receive()
                except ChannelClosed:
                    break
                if "id" in message:
                    self.trusted.learner.answer(message)
        thread.join()
        selector.close()
        if errors:
            raise errors[0]

    def test(self, source: str) -> dict:
        """Run a test cell in the trusted side while the learner's kernel serves it."""
        self.cells += 1
        cell = self.cells
        thread = threading.Thread(target=lambda: self.cloud.channel.serve_until(
            lambda m: m.get("op") == "done" and m.get("cell") == cell))
        thread.start()
        report = self.trusted.run(source, cell, f"test-{cell}")
        thread.join(10)
        assert not thread.is_alive()
        return report


@pytest.fixture
def notebook():
    yield Notebook()
    course.stop()


def define(**names: Any) -> Callable[[RemoteCloud, dict], None]:
    return lambda cloud, namespace: namespace.update(names)


def create_queue_with_retention(sqs, name, retention_days):
    response = sqs.create_queue(QueueName=name, Attributes={"MessageRetentionPeriod": str(retention_days * 86400)})
    return response["QueueUrl"]


def test_a_correct_answer_passes_with_the_checks_praise(notebook):
    notebook.learner(define(create_queue_with_retention=create_queue_with_retention))
    report = notebook.test("check.queue_with_retention(cloud, create_queue_with_retention, name='orders', "
                           "retention_days=7)")
    assert report["error"] is None and "✔ [sqs-1]" in report["stdout"]


def test_the_learners_own_calls_are_made_in_the_graders_cloud(notebook):
    def cell(cloud, namespace):
        sqs = cloud.client("sqs")
        namespace["url"] = sqs.create_queue(QueueName="made-by-learner")["QueueUrl"]
        cloud.advance(30)
        with pytest.raises(sqs.exceptions.QueueDoesNotExist):  # AWS's error, as the learner's client's class
            sqs.get_queue_url(QueueName="missing")

    notebook.learner(cell)
    queues = notebook.trusted.names["sqs"].list_queues()["QueueUrls"]
    assert notebook.namespace["url"] in queues
    assert notebook.trusted.names["cloud"].clock.offset >= 30


def test_a_wrong_answer_fails_with_the_lesson_and_no_traceback(notebook):
    def too_short(sqs, name, retention_days):
        return sqs.create_queue(QueueName=name)["QueueUrl"]

    notebook.learner(define(create_queue_with_retention=too_short))
    report = notebook.test("check.queue_with_retention(cloud, create_queue_with_retention, name='o', retention_days=7)\n"
                           "### BEGIN HIDDEN TESTS\nprint('hidden line')\n### END HIDDEN TESTS")
    assert report["error"]["ename"] == "CheckFailed"
    assert "Requirement: sqs-1/" in report["error"]["evalue"]
    assert "HIDDEN" not in str(report) and "Traceback" not in str(report)


def test_the_release_stub_is_not_answered_yet(notebook):
    def stub(sqs, name, retention_days):
        raise NotImplementedError()

    notebook.learner(define(create_queue_with_retention=stub))
    report = notebook.test("check.queue_with_retention(cloud, create_queue_with_retention, name='o', retention_days=7)")
    assert "answer-implemented" in report["error"]["evalue"]


def test_the_learner_cannot_shadow_the_checks_or_the_cloud(notebook):
    """An answer cell that rebinds ``check`` and ``cloud`` changes the learner's kernel only."""
    class Passing:
        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    notebook.learner(define(check=Passing(), cloud=None, print=None, create_queue_with_retention=None))
    report = notebook.test("check.queue_with_retention(cloud, create_queue_with_retention, name='o', retention_days=7)")
    assert report["error"]["ename"] == "CheckFailed" and "answer-is-function" in report["error"]["evalue"]


def test_an_always_equal_object_arrives_as_an_opaque_value(notebook):
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    notebook.learner(define(answer=AlwaysEqual()))
    report = notebook.test("assert answer == 'the right letter', 'not equal'\nprint(type(answer).__name__)")
    assert report["error"] == {"ename": "AssertionError", "evalue": "not equal"}


def test_a_learner_exception_is_rebuilt_by_name_only(notebook):
    class Evil(Exception):
        def __str__(self):
            return "evil message"

    def raises(*args):
        raise Evil()

    notebook.learner(define(create_queue_with_retention=raises))
    report = notebook.test("check.queue_with_retention(cloud, create_queue_with_retention, name='o', retention_days=7)")
    assert "raised Evil: evil message" in report["error"]["evalue"]


def test_instrumented_clients_see_the_learners_calls(notebook):
    """A check counts the calls an answer makes through the client it handed over."""
    def send(sqs, url):
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "a"}])

    notebook.learner(define(send=send))
    report = notebook.test(
        "from graders.instrument import CallRecorder\n"
        "url = sqs.create_queue(QueueName='counted')['QueueUrl']\n"
        "client = cloud.client('sqs')\nrecorder = CallRecorder(client)\n"
        "send(client, url)\nprint(dict(recorder.calls))")
    assert report["error"] is None and "{'SendMessageBatch': 1}" in report["stdout"]


@pytest.mark.parametrize("request_", [
    {"op": "aws", "client": 0, "service": "sqs", "region": "us-east-1", "operation": "__init__", "params": {}},
    {"op": "aws", "client": 0, "service": "../../etc", "region": "us-east-1", "operation": "ListQueues", "params": {}},
    {"op": "call", "fn": 1, "args": [], "kwargs": {}},
    {"op": "method", "handle": 1, "method": "__class__", "args": []},
    {"op": "exec", "source": "import os"},
])
def test_the_learner_can_ask_for_nothing_but_the_api(notebook, request_):
    """Requests outside the AWS API and the handles the grader gave out are refused, not obeyed."""
    notebook.learner(lambda cloud, namespace: None)
    answered: dict = {}

    def ask(cloud, namespace):
        fields = {k: v for k, v in request_.items() if k != "op"}
        try:
            cloud.channel.request(request_["op"], **fields)
        except Exception as error:  # noqa: BLE001 - the refusal is what the test reads
            answered["error"] = error

    notebook.learner(ask)
    assert "error" in answered


def test_a_shared_dict_crosses_by_reference(notebook):
    """A check's SharedDict is the learner's handler's store: what it writes, the check reads."""
    def make_handler(store):
        def handler(order, status):
            store[order] = status
            return order in store and len(store)
        return handler

    notebook.learner(define(make_handler=make_handler))
    report = notebook.test(
        "from graders.check import SharedDict\nstore = SharedDict()\nhandler = make_handler(store)\n"
        "print(handler('o-1', 'paid'), handler('o-2', 'sent'), dict(store))")
    assert report["error"] is None and "1 2 {'o-1': 'paid', 'o-2': 'sent'}" in report["stdout"]


def test_botocore_post_processing_runs_once(notebook):
    """IAM's policy documents are decoded by the grader's client; the learner's does not decode them again."""
    def cell(cloud, namespace):
        iam = cloud.client("iam")
        role = iam.create_role(RoleName="r", AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": []}')
        namespace["document"] = role["Role"]["AssumeRolePolicyDocument"]

    notebook.learner(cell)
    assert notebook.namespace["document"] == {"Version": "2012-10-17", "Statement": []}


def test_a_learner_kernel_gets_the_network_guards_lesson(notebook):
    from course.sandbox import NetworkBlockedError

    def cell(cloud, namespace):
        import urllib.request

        with pytest.raises(NetworkBlockedError):
            urllib.request.urlopen("http://192.0.2.1/", timeout=1)

    try:
        notebook.learner(cell)
    finally:
        notebook.cloud.guard.uninstall()


def test_lambda_functions_and_pollers_live_in_the_grader(notebook):
    """register_function and SqsEventSourceMapping given the learner's cloud: made in the grader, handler here."""
    from course.aws.lambdas import SqsEventSourceMapping, function_for, register_function

    def cell(cloud, namespace):
        seen = []
        namespace["arn"] = register_function(cloud, "audit", lambda event, context: seen.append(event)).arn
        sqs = cloud.client("sqs")
        url = sqs.create_queue(QueueName="work")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="job")

        def handler(event, context):
            context.spend(2)
            seen.extend(record["body"] for record in event["Records"])

        mapping = SqsEventSourceMapping(cloud, url, handler, function_timeout=30)
        namespace["outcomes"] = [i.outcome for i in mapping.run(10)]
        namespace["seen"] = seen

    notebook.learner(cell)
    assert notebook.namespace["outcomes"] == ["ok"] and notebook.namespace["seen"] == ["job"]
    assert function_for(notebook.trusted.names["cloud"], notebook.namespace["arn"]) is not None


def test_the_trusted_cells_and_their_sources_come_from_the_gradebook(tmp_path):
    """A submission's copy of a test or setup cell is never what the trusted process runs."""
    import nbformat

    from instructor.autograde.split import roles
    from instructor.nbgrader_api import api_for
    from tests.instructor.conftest import cell, make_course

    source, release = make_course(tmp_path)
    submitted = nbformat.from_dict(json.loads(json.dumps(release)))
    cell(submitted, "sqs-1").source = "pass  # always passes"
    cell(submitted, "sqs-setup").source = "cloud = None"
    resources = {"nbgrader": {"db_url": api_for(tmp_path).coursedir.db_url, "notebook": "01_sqs_queues",
                              "assignment": "01_sqs_queues"}}
    found = {submitted.cells[i].metadata.nbgrader["grade_id"]: role for i, role in roles(submitted, resources).items()}
    assert found["sqs-1"].kind == "test" and "BEGIN HIDDEN TESTS" in found["sqs-1"].source
    assert found["sqs-setup"].kind == "setup" and "course.start()" in found["sqs-setup"].source
    assert "sqs-1-answer" not in found and "sqs-1-demo" not in found


def test_the_graders_own_errors_reach_the_learner_as_their_type(notebook):
    """An SNS delivery the grader's guard refused is the NetworkBlockedError a lesson catches."""
    from course.sandbox import NetworkBlockedError

    def cell(cloud, namespace):
        sns = cloud.client("sns")
        topic = sns.create_topic(Name="hooks")["TopicArn"]
        sns.subscribe(TopicArn=topic, Protocol="http", Endpoint="http://192.0.2.1/hooks")
        with pytest.raises(NetworkBlockedError, match="runs offline"):
            sns.publish(TopicArn=topic, Message="order placed")

    try:
        notebook.learner(cell)
    finally:
        notebook.cloud.guard.uninstall()


def test_the_learners_code_may_call_aws_from_its_own_threads(notebook):
    """boto3's S3 uploads (a thread pool) and an answer's own pool reach the grader while a check waits."""
    def send_all(sqs, s3, url, bodies):
        import io
        from concurrent.futures import ThreadPoolExecutor

        s3.create_bucket(Bucket="offload")
        s3.upload_fileobj(io.BytesIO(b"x" * 1000), "offload", "big")
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda body: sqs.send_message(QueueUrl=url, MessageBody=body), bodies))

    notebook.learner(define(send_all=send_all))
    report = notebook.test(
        "url = sqs.create_queue(QueueName='parallel')['QueueUrl']\n"
        "send_all(cloud.client('sqs'), cloud.client('s3'), url, [str(n) for n in range(8)])\n"
        "print(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['ApproximateNumberOfMessages'])"
        "['Attributes']['ApproximateNumberOfMessages'],"
        " cloud.client('s3').head_object(Bucket='offload', Key='big')['ContentLength'])")
    assert report["error"] is None and "8 1000" in report["stdout"], report
