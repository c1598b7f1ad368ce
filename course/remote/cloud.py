"""The learner's side of a graded notebook: a cloud that lives in the grader's process.

Under ``course grade`` the learner's cells run in a kernel of their own, and the mocked cloud, the
course clock and the checks run in a separate, trusted process (docs/architecture.md, "Grading in
two processes"). ``course.start()`` in that kernel returns a :class:`RemoteCloud`: the same
``client``/``advance``/``now``/``clock`` the notebook uses, with every AWS call, every tick of the
clock and every registered Lambda handler going over one Unix socket. A boto3 client here is a real
boto3 client (its exceptions, paginators and waiters work); it validates and builds each call as
usual, then hands the call's parameters to the grader instead of sending HTTP.
"""

from __future__ import annotations

import builtins
import itertools
import socket
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from course.remote.values import decode, encode
from course.remote.wire import Channel, RemoteError, rebuilt
from course.sandbox import GRADER_BACKEND
from course.sandbox.errors import CourseError

__all__ = ["RemoteCloud", "RemoteClock", "RemoteFunction", "RemoteMapping"]


class NotWhileGraded(CourseError, AttributeError):
    """A part of the in-kernel sandbox that does not exist while the notebook is graded."""

    concise = True


class _Response:
    """The little of an HTTP response botocore reads when a ``before-call`` handler answers."""

    def __init__(self, status: int) -> None:
        self.status_code = status
        self.headers: dict[str, str] = {}
        self.content = b""
        self.raw = None


class RemoteClock:
    """The course clock, read and moved in the grader."""

    def __init__(self, cloud: RemoteCloud) -> None:
        self._cloud = cloud

    @property
    def offset(self) -> float:
        return float(self._cloud.channel.request("offset"))

    def advance(self, seconds: float) -> None:
        self._cloud.advance(seconds)

    def now(self) -> Any:
        return self._cloud.now()


@dataclass
class RemoteFunction:
    """A handler registered as a Lambda function in the grader's cloud (see ``register_function``)."""

    name: str
    arn: str
    handler: Any = field(repr=False)


class _Held:
    """An object the grader keeps; the learner's code calls the methods the grader allows for its kind."""

    def __init__(self, cloud: RemoteCloud, number: int) -> None:
        self._cloud, self._course_tag = cloud, {"$trusted": number}

    def _ask(self, method: str, *args: Any) -> Any:
        cloud = self._cloud
        try:
            reply = cloud.channel.request("method", handle=self._course_tag["$trusted"], method=method,
                                          args=cloud.encode(list(args)))
        except RemoteError as error:
            raise _rebuilt(error) from None
        return cloud.decode(reply)


class RemoteMapping(_Held):
    """``SqsEventSourceMapping`` while the notebook is graded: it polls in the grader."""

    def __init__(self, cloud: RemoteCloud, number: int, queue_url: str, handler: Any) -> None:
        super().__init__(cloud, number)
        self.queue_url, self.handler = queue_url, handler

    def run(self, seconds: float) -> list:
        """Let the pollers work for ``seconds`` of course time; the new invocations."""
        return self._ask("run", float(seconds))

    def poll_once(self) -> Any:
        """Receive one batch and invoke the handler on it."""
        return self._ask("poll_once")

    @property
    def invocations(self) -> list:
        return self._ask("invocations")

    @property
    def deliveries(self) -> Any:
        from collections import Counter

        return Counter(self._ask("deliveries"))

    @property
    def duplicates(self) -> dict:
        return self._ask("duplicates")


class RemoteDict(_Held, MutableMapping):
    """A check's dict that the learner's code fills in, kept in the grader (graders' ``SharedDict``)."""

    def __getitem__(self, key: Any) -> Any:
        return self._ask("__getitem__", key)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._ask("__setitem__", key, value)

    def __delitem__(self, key: Any) -> None:
        self._ask("__delitem__", key)

    def __contains__(self, key: object) -> bool:
        return bool(self._ask("__contains__", key))

    def __iter__(self) -> Iterator[Any]:
        return iter(self._ask("keys"))

    def __len__(self) -> int:
        return int(self._ask("__len__"))

    def __repr__(self) -> str:
        return repr(dict(self.items()))


class RemoteCloud:
    """``course.start()`` while the notebook is graded: the cloud is the grader's."""

    backend = GRADER_BACKEND
    endpoint_url = None
    running = True

    def __init__(self, sock: socket.socket, namespace: dict | None = None) -> None:
        #: where the grader looks up a test cell's names (None: the notebook's, from IPython)
        self.namespace = namespace
        self.channel = Channel(sock, {"lookup": self._lookup, "call": self._call})
        self.channel.describe = _describe  # type: ignore[method-assign]
        self._handles: dict[int, Any] = {}
        self._numbers = itertools.count(1)
        self._clients: dict[tuple[int, str, str], Any] = {}
        # the same lesson as in self-study when a notebook reaches for the internet
        from course.sandbox.guard import NetworkGuard

        self.guard = NetworkGuard()
        self.guard.install()
        hello = self.channel.request("hello")
        self.region = str(hello["region"])
        self.account_id = str(hello["account_id"])
        self.clock = RemoteClock(self)

    # -- the learner's API (as course.sandbox.Sandbox) -----------------------------------------------
    def client(self, service: str, **kwargs: Any) -> Any:
        """A boto3 client whose calls are made in the grader's cloud."""
        return self._client(0, service, str(kwargs.get("region_name") or self.region))

    def advance(self, seconds: float) -> None:
        """Move the course clock forward (in the grader, for every service)."""
        self.channel.request("advance", seconds=float(seconds))

    def now(self) -> Any:
        """The course's current time."""
        return decode(self.channel.request("now"))

    def register_function(self, name: str, handler: Any) -> RemoteFunction:
        """Register ``handler`` as the Lambda function ``name`` in the grader's cloud."""
        arn = self.channel.request("register_function", name=str(name), handler=self.encode(handler))
        return RemoteFunction(str(name), str(arn), handler)

    def event_source_mapping(self, queue_url: str, handler: Any, **options: Any) -> RemoteMapping:
        """An ``SqsEventSourceMapping`` polling in the grader's cloud and calling ``handler`` here."""
        number = self.channel.request("mapping", queue_url=str(queue_url), handler=self.encode(handler),
                                      options=self.encode(options))
        return RemoteMapping(self, int(number), queue_url, handler)

    def failed_deliveries(self) -> list:
        """The EventBridge deliveries the grader's cloud could not make (``failed_deliveries(cloud)``)."""
        from course.aws.events.permissions import FailedDelivery

        return [FailedDelivery(**record) for record in self.decode(self.channel.request("failed_deliveries"))]

    def stop(self) -> None:
        """Nothing to stop here: the grader owns the cloud."""

    def __repr__(self) -> str:
        return f"<Sandbox in the grader, region {self.region}>"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotWhileGraded(f"`cloud.{name}` is not available while the notebook is being graded: the cloud runs in "
                             "the grader, and only client(), advance(), now(), clock, region and account_id reach it.")

    # -- what crosses the socket -----------------------------------------------------------------------
    def encode(self, value: Any) -> Any:
        return encode(value, self._tag)

    def decode(self, data: Any) -> Any:
        return decode(data, self._untag)

    def _tag(self, value: Any) -> dict | None:
        if value is self:
            return {"$cloud": 1}
        tag = getattr(value, "_course_tag", None)
        if isinstance(tag, dict):  # a client or callback the grader handed us: named, not copied
            return tag
        if callable(value):
            number = next(self._numbers)
            self._handles[number] = value
            return {"$fn": number, "name": str(getattr(value, "__name__", type(value).__name__))[:200]}
        if hasattr(value, "read"):  # a file object given as a Body: its bytes
            return encode(bytes(value.read()))
        return {"$opaque": type(value).__name__[:100]}

    def _untag(self, tag: str, data: dict) -> Any:
        if tag == "$cloud":
            return self
        if tag == "$client":
            return self._client(int(data["$client"]), str(data["service"]), str(data["region"]))
        if tag == "$fn":
            return _Callback(self, int(data["$fn"]), str(data.get("name", "callback")))
        if tag == "$context":
            return _Context(self, int(data["$context"]), data)
        if tag == "$stream":  # an S3 object's body: a file-like object, as botocore gives it
            return _stream(data)
        if tag == "$shared":
            return RemoteDict(self, int(data["$shared"]))
        if tag == "$invocation":
            from course.aws.lambdas import Invocation

            return Invocation(**self.decode(data["$invocation"]))
        if tag == "$learner":
            return self._handles[int(data["$learner"])]
        raise ValueError(f"unknown value from the grader: {tag[:40]}")

    # -- what the grader asks -------------------------------------------------------------------------
    def _lookup(self, message: dict) -> Any:
        names = self.namespace
        if names is None:
            from IPython import get_ipython

            shell = get_ipython()
            names = shell.user_ns if shell is not None else {}
        name = str(message["name"])
        if name not in names:
            raise NameError(f"name '{name}' is not defined")
        return self.encode(names[name])

    def _call(self, message: dict) -> Any:
        function = self._handles[int(message["fn"])]
        args = self.decode(message.get("args", []))
        kwargs = self.decode(message.get("kwargs", {}))
        return self.encode(function(*args, **kwargs))

    # -- clients -------------------------------------------------------------------------------------
    def _client(self, number: int, service: str, region: str) -> Any:
        key = (number, service, region)
        if key not in self._clients:
            self._clients[key] = _forwarding_client(self, number, service, region)
        return self._clients[key]


class _Callback:
    """A function of the grader's (e.g. a check's ``charge``) that the learner's code may call."""

    def __init__(self, cloud: RemoteCloud, number: int, name: str) -> None:
        self._cloud, self._course_tag, self.__name__ = cloud, {"$trusted": number}, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        cloud = self._cloud
        try:
            reply = cloud.channel.request("call", fn=self._course_tag["$trusted"], args=cloud.encode(list(args)),
                                          kwargs=cloud.encode(kwargs))
        except RemoteError as error:
            raise _rebuilt(error) from None
        return cloud.decode(reply)

    def __repr__(self) -> str:
        return f"<function {self.__name__}>"


class _Context(_Held):
    """A Lambda handler's ``context``, kept in the grader: ``spend`` and the time left are asked there."""

    def __init__(self, cloud: RemoteCloud, number: int, fields: dict) -> None:
        super().__init__(cloud, number)
        self.function_name = str(fields.get("function_name", ""))
        self.aws_request_id = str(fields.get("aws_request_id", ""))
        self.timeout_seconds = float(fields.get("timeout_seconds", 3))

    def spend(self, seconds: float) -> None:
        """Pretend the function worked for ``seconds`` (course time; nothing sleeps)."""
        self._ask("spend", float(seconds))

    def get_remaining_time_in_millis(self) -> int:
        return int(self._ask("get_remaining_time_in_millis"))


def _rebuilt(error: RemoteError) -> BaseException:
    """The grader's exception as the learner would meet it in self-study (a builtin or a course error)."""
    from course.sandbox import errors

    return rebuilt(error, builtins, errors) or error


def _describe(error: BaseException) -> dict:
    described = {"type": type(error).__name__, "message": str(error)[:100_000]}
    response = getattr(error, "response", None)
    if isinstance(response, dict) and "Error" in response:  # botocore's ClientError: its code and message
        described["response"] = {"Error": {k: str(v)[:10_000] for k, v in response["Error"].items()}}
        described["operation"] = str(getattr(error, "operation_name", ""))
    return described


def _forwarding_client(cloud: RemoteCloud, number: int, service: str, region: str) -> Any:
    """A boto3 client that validates and builds each call here and has the grader make it."""
    import boto3
    from botocore.config import Config

    client = boto3.client(service, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing",
                          config=Config(retries={"total_max_attempts": 1}))
    client._course_tag = {"$client": number, "service": service, "region": region}
    event_name = client.meta.service_model.service_id.hyphenize()

    def keep(params: dict, context: dict, **_: Any) -> None:
        # botocore's own handlers add fields to the parameters later (tokens, checksums): the grader's
        # client adds its own, so the call is forwarded as the learner made it
        context["course.params"] = dict(params)

    def forward(model: Any, context: dict, **_: Any) -> tuple[_Response, dict]:
        params = context.pop("course.params", {})
        try:
            parsed = cloud.channel.request("aws", client=number, service=service, region=region,
                                           operation=model.name, params=cloud.encode(params))
        except RemoteError as error:
            if isinstance(error.detail.get("response"), dict):
                response = decode(error.detail["response"])
                status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400) or 400)
                return _Response(max(status, 300)), response
            raise _rebuilt(error) from None
        return _Response(200), decode(parsed, cloud._untag)

    # botocore's after-call handlers that rewrite a response (IAM's policy documents decoded, S3's keys
    # unquoted) ran on the grader's client already: a second pass here would decode twice. Those that
    # only read it (SQS's query-compatible error codes) stay.
    from botocore import handlers

    rewriting = {handlers.json_decode_policies, handlers.decode_console_output, handlers.json_decode_template_body,
                 handlers.parse_get_bucket_location, handlers.decode_list_object, handlers.decode_list_object_v2,
                 handlers.decode_list_object_versions}
    for spec in handlers.BUILTIN_HANDLERS:
        if spec[0].startswith("after-call") and spec[1] in rewriting:
            client.meta.events.unregister(spec[0], spec[1])
    client.meta.events.register_first(f"provide-client-params.{event_name}.*", keep)
    client.meta.events.register(f"before-call.{event_name}.*", forward)
    return client


def _stream(value: dict) -> Any:
    import io

    from botocore.response import StreamingBody

    data = decode(value["$stream"])
    return StreamingBody(io.BytesIO(data), len(data))
