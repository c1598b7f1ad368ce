"""Answers for 07_exam_traps (format: tests/notebooks/conftest.py): per exercise, plausible wrong answers - one per
requirement where one can be written, boundary values, inputs of another kind - each with the lesson its check must
show, and correct answers written differently."""


def _wrong(name, requirement, message, code):
    return {"name": name, "requirement": requirement, "message": message, "code": code}


ANSWERS = {
    "trap-1-answer": {
        "check": "trap-1",
        "wrong": [
            # the classic confusion: one failure sends the message to the DLQ
            _wrong("dlq-after-one-failure", "trap-1/correct-options", "only after it has been received more than",
                   'def crash_answer():\n    return {"B"}\n'),
            _wrong("right-and-wrong", "trap-1/correct-options", "not the right answer",
                   'def crash_answer():\n    return {"C", "D"}\n'),
            _wrong("no-such-option", "trap-1/known-options", "is not an option", 'def crash_answer():\n    return {"E"}\n'),
            _wrong("a-number", "trap-1/returns-letters", "return the letters you choose", 'def crash_answer():\n    return 3\n'),
        ],
        "alternative": [
            {"name": "lowercase-string", "code": 'def crash_answer():\n    return "c"\n'},
            {"name": "list", "code": 'def crash_answer():\n    return ["C"]\n'},
            {"name": "padded-tuple", "code": 'def crash_answer():\n    return (" C ",)\n'},
        ],
    },
    "trap-2-answer": {
        "check": "trap-2",
        "wrong": [
            # visibility = function timeout: enough for one run, not for Lambda's retries
            _wrong("equal-to-timeout", "trap-2/visibility-at-least-6x", "not six times", '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": str(function_timeout)})
'''),
            # SQS's default, whatever the function
            _wrong("default-30", "trap-2/visibility-at-least-timeout", "shorter than", '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": "30"})
'''),
            _wrong("five-times", "trap-2/visibility-at-least-6x", "not six times", '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": str(5 * function_timeout)})
'''),
            # capped at an hour: fine for short functions, not for a 15-minute one
            _wrong("capped-at-an-hour", "trap-2/visibility-at-least-6x", "not six times", '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": str(min(6 * function_timeout, 3600))})
'''),
        ],
        "alternative": [
            {"name": "ten-times-capped-at-12h", "code": '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    visibility = min(12 * 3600, function_timeout * 10)
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=dict(VisibilityTimeout=f"{visibility}"))
'''},
            {"name": "six-times-plus-margin", "code": '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": str(6 * function_timeout + 30)})
'''},
            {"name": "named-constant", "code": '''
LAMBDA_FACTOR = 6

def configure_for_lambda(sqs, queue_url, function_timeout):
    attributes = {"VisibilityTimeout": "%d" % (LAMBDA_FACTOR * function_timeout)}
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=attributes)
'''},
        ],
    },
    "trap-3-answer": {
        "check": "trap-3",
        "wrong": [
            # batched, but short polling: an idle loop pays for empty receives
            _wrong("short-polling", "trap-3/long-polling", "every one billed, every one empty", '''
def receive_batch(sqs, queue_url):
    return sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
'''),
            # long polling, but a short wait: 12 receives a minute, above the stated 6
            _wrong("wait-5-seconds", "trap-3/long-polling", "every one billed", '''
def receive_batch(sqs, queue_url):
    return sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=5, MaxNumberOfMessages=10).get("Messages", [])
'''),
            _wrong("one-at-a-time", "trap-3/batched-receive", "MaxNumberOfMessages=10", '''
def receive_batch(sqs, queue_url):
    return sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=20).get("Messages", [])
'''),
            # an empty response has no "Messages" key
            _wrong("messages-key", "trap-3/answer-runs", "KeyError", '''
def receive_batch(sqs, queue_url):
    return sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=20, MaxNumberOfMessages=10)["Messages"]
'''),
            # the bodies, not the messages: nothing left to delete them with
            _wrong("returns-bodies", "trap-3/returns-messages", "not of messages", '''
def receive_batch(sqs, queue_url):
    response = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=20, MaxNumberOfMessages=10)
    return [message["Body"] for message in response.get("Messages", [])]
'''),
            # append where extend was meant: [[]] for an empty queue, a list holding one list
            _wrong("append-not-extend", "trap-3/empty-receives-empty", "an empty queue returned a message", '''
def receive_batch(sqs, queue_url):
    messages = []
    response = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=20, MaxNumberOfMessages=10)
    messages.append(response.get("Messages", []))
    return messages
'''),
            # "saves" the empty receive by asking the queue's size first - itself a billed request
            _wrong("asks-size-first", "trap-3/makes-receive-call", "made no ReceiveMessage call", '''
def receive_batch(sqs, queue_url):
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    if int(attributes["ApproximateNumberOfMessages"]) == 0:
        return []
    return sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=20, MaxNumberOfMessages=10).get("Messages", [])
'''),
            # one message handed back, not the list: the rest of the batch is never processed
            _wrong("first-message-only", "trap-3/returns-every-message", "did not return every waiting message", '''
def receive_batch(sqs, queue_url):
    messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=20, MaxNumberOfMessages=10).get("Messages", [])
    return messages[0] if messages else []
'''),
        ],
        "alternative": [
            {"name": "queue-wide-long-polling", "code": '''
_long_polling = set()

def receive_batch(sqs, queue_url):
    if queue_url not in _long_polling:   # long polling for every consumer of the queue
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"ReceiveMessageWaitTimeSeconds": "20"})
        _long_polling.add(queue_url)
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
    return list(response.get("Messages") or [])
'''},
            # exactly the stated bound: one receive every 10 s while idle
            {"name": "wait-10-seconds", "code": '''
def receive_batch(sqs, queue_url):
    return sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=10, MaxNumberOfMessages=10).get("Messages", [])
'''},
            {"name": "whole-response", "code": '''
def receive_batch(sqs, queue_url):
    return sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=20,
                               MessageSystemAttributeNames=["ApproximateReceiveCount"])
'''},
        ],
    },
    "trap-4-answer": {
        "check": "trap-4",
        "wrong": [
            # a per-message timer on a FIFO queue
            _wrong("timer-on-fifo", "trap-4/every-match-fits", "FIFO queues have no per-message timers", '''
def mechanisms():
    return {1: "delay queue", 2: "message timer", 3: "visibility timeout", 4: "message timer"}
'''),
            _wrong("a-list", "trap-4/returns-mapping", "return a dict", '''
def mechanisms():
    return ["delay queue", "message timer", "visibility timeout", "delay queue"]
'''),
            _wrong("words-as-keys", "trap-4/numbered-keys", "is not a situation number", '''
def mechanisms():
    return {"one": "delay queue", "two": "message timer", "three": "visibility timeout", "four": "delay queue"}
'''),
            _wrong("own-word", "trap-4/known-choices", "choose from these", '''
def mechanisms():
    return {1: "delay queue", 2: "message timer", 3: "sleep", 4: "delay queue"}
'''),
            _wrong("one-missing", "trap-4/every-item-answered", "no answer for situation(s) [3]", '''
def mechanisms():
    return {1: "delay queue", 2: "message timer", 4: "delay queue"}
'''),
        ],
        "alternative": [
            {"name": "string-keys-capitalised", "code": '''
def mechanisms():
    answers = ["Delay queue", "Message timer", "Visibility timeout", "Delay queue"]
    return {str(number): answer for number, answer in enumerate(answers, start=1)}
'''},
            {"name": "hyphens-and-underscores", "code": '''
def mechanisms():
    return {1: "delay-queue", 2: "message_timer", 3: "VISIBILITY TIMEOUT", 4: "delay_queue"}
'''},
            {"name": "built-from-rules", "code": '''
def mechanisms():
    def pick(every_message, after_receive):
        return "visibility timeout" if after_receive else ("delay queue" if every_message else "message timer")
    return {1: pick(True, False), 2: pick(False, False), 3: pick(False, True), 4: pick(True, False)}
'''},
        ],
    },
    "trap-5-answer": {
        "check": "trap-5",
        "wrong": [
            # a standard DLQ for a FIFO queue
            _wrong("standard-dlq", "trap-5/answer-accepted-by-aws", "must be the same type as its source queue", '''
def create_fifo_queue(sqs, name, max_receive_count):
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(QueueName=f"{name}.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})})["QueueUrl"]
    return queue_url, dlq_url
'''),
            _wrong("no-content-dedup", "trap-5/content-based-dedup", "content-based deduplication is off", '''
def create_fifo_queue(sqs, name, max_receive_count):
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(QueueName=f"{name}.fifo", Attributes={
        "FifoQueue": "true",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})})["QueueUrl"]
    return queue_url, dlq_url
'''),
            # works for the visible test's 3 only: the hidden test asks for another count
            _wrong("always-three", "trap-5/max-receive-count", "not the max_receive_count your function was given", '''
def create_fifo_queue(sqs, name, max_receive_count):
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(QueueName=f"{name}.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3})})["QueueUrl"]
    return queue_url, dlq_url
'''),
            _wrong("swapped-urls", "trap-5/returns-queue-url", "is not the FIFO queue's URL", '''
def create_fifo_queue(sqs, name, max_receive_count):
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(QueueName=f"{name}.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})})["QueueUrl"]
    return dlq_url, queue_url
'''),
            _wrong("own-name", "trap-5/fifo-name", "with the .fifo suffix", '''
def create_fifo_queue(sqs, name, max_receive_count):
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(QueueName=f"{name}-main.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})})["QueueUrl"]
    return queue_url, dlq_url
'''),
            # the DLQ is set up but only the queue's URL comes back
            _wrong("returns-queue-only", "trap-5/returns-urls", "return (queue_url, dlq_url)", '''
def create_fifo_queue(sqs, name, max_receive_count):
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return sqs.create_queue(QueueName=f"{name}.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})})["QueueUrl"]
'''),
            # the DLQ's ARN returned, not its URL
            _wrong("returns-dlq-arn", "trap-5/returns-dlq-url", "is not the URL of an existing queue", '''
def create_fifo_queue(sqs, name, max_receive_count):
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(QueueName=f"{name}.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})})["QueueUrl"]
    return queue_url, dlq_arn
'''),
            # the DLQ "allows" the queue (RedriveAllowPolicy, set on the DLQ) but the queue has no RedrivePolicy
            _wrong("redrive-allow-policy-only", "trap-5/redrive-to-dlq", "does not point at the DLQ you returned", '''
def create_fifo_queue(sqs, name, max_receive_count):
    queue_url = sqs.create_queue(QueueName=f"{name}.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq.fifo", Attributes={"FifoQueue": "true", "RedriveAllowPolicy": json.dumps(
        {"redrivePermission": "byQueue", "sourceQueueArns": [queue_arn]})})["QueueUrl"]
    return queue_url, dlq_url
'''),
            # the same mistake with a standard DLQ: attached by a RedrivePolicy, AWS would refuse it (standard-dlq);
            # "attached" by the DLQ's RedriveAllowPolicy nothing refuses it, and the check names the type first
            _wrong("standard-dlq-allow-policy", "trap-5/dlq-fifo", "the dead-letter queue is a standard queue", '''
def create_fifo_queue(sqs, name, max_receive_count):
    queue_url = sqs.create_queue(QueueName=f"{name}.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq", Attributes={"RedriveAllowPolicy": json.dumps(
        {"redrivePermission": "byQueue", "sourceQueueArns": [queue_arn]})})["QueueUrl"]
    return queue_url, dlq_url
'''),
            # tries the deduplication out: the test message it leaves is handled with the charges
            _wrong("leaves-test-message", "trap-5/dedup-and-order", "not each charge once and in order", '''
def create_fifo_queue(sqs, name, max_receive_count):
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(QueueName=f"{name}.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})})["QueueUrl"]
    for _ in range(2):  # the second send is a duplicate: dropped
        sqs.send_message(QueueUrl=queue_url, MessageBody="test", MessageGroupId="test")
    return queue_url, dlq_url
'''),
        ],
        "alternative": [
            {"name": "redrive-after-create", "code": '''
def create_fifo_queue(sqs, name, max_receive_count):
    fifo = {"FifoQueue": "true"}
    queue_url = sqs.create_queue(QueueName=name + ".fifo", Attributes={**fifo, "ContentBasedDeduplication": "true"})["QueueUrl"]
    dlq_url = sqs.create_queue(QueueName="dead-" + name + ".fifo", Attributes=fifo)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["All"])["Attributes"]["QueueArn"]
    redrive = '{"deadLetterTargetArn": "%s", "maxReceiveCount": "%d"}' % (dlq_arn, max_receive_count)
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"RedrivePolicy": redrive})
    return [queue_url, dlq_url]
'''},
            # the DLQ's ARN built by hand from its URL; dedup also set on the DLQ; a high-throughput setting
            {"name": "arn-from-url", "code": '''
def create_fifo_queue(sqs, name, max_receive_count):
    attributes = {"FifoQueue": "true", "ContentBasedDeduplication": "true"}
    dlq_url = sqs.create_queue(QueueName=f"{name}_dead_letters.fifo", Attributes=attributes)["QueueUrl"]
    account, queue = dlq_url.rstrip("/").split("/")[-2:]
    dlq_arn = f"arn:aws:sqs:{sqs.meta.region_name}:{account}:{queue}"
    queue_url = sqs.create_queue(QueueName=f"{name}.fifo", Attributes={
        **attributes, "DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId",
        "RedrivePolicy": json.dumps({"maxReceiveCount": str(max_receive_count), "deadLetterTargetArn": dlq_arn})})["QueueUrl"]
    return queue_url, dlq_url
'''},
            {"name": "helper-function", "code": '''
def fifo_queue(sqs, queue_name, **extra):
    return sqs.create_queue(QueueName=queue_name + ".fifo", Attributes={"FifoQueue": "true", **extra})["QueueUrl"]

def create_fifo_queue(sqs, name, max_receive_count):
    dlq_url = fifo_queue(sqs, name + "-dlq")
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = fifo_queue(sqs, name, ContentBasedDeduplication="true",
                           RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count}))
    return queue_url, dlq_url
'''},
        ],
    },
    "trap-6-answer": {
        "check": "trap-6",
        "wrong": [
            # the last message to arrive wins
            _wrong("last-arrival-wins", "trap-6/newest-update-wins", "ordering is best effort", '''
def make_handler(store):
    def handler(event, context):
        for record in event["Records"]:
            update = json.loads(record["body"])
            store[update["order_id"]] = update
    return handler
'''),
            _wrong("keeps-status-only", "trap-6/stores-newest-update", "it must be the newest update", '''
def make_handler(store):
    versions = {}
    def handler(event, context):
        for record in event["Records"]:
            update = json.loads(record["body"])
            if update["version"] > versions.get(update["order_id"], 0):
                versions[update["order_id"]] = update["version"]
                store[update["order_id"]] = update["status"]
    return handler
'''),
            # the body is a JSON string, not a dict
            _wrong("body-not-parsed", "trap-6/handler-parses-records", "json.loads", '''
def make_handler(store):
    def handler(event, context):
        for record in event["Records"]:
            update = record["body"]
            current = store.get(update["order_id"])
            if current is None or update["version"] > current["version"]:
                store[update["order_id"]] = update
    return handler
'''),
            _wrong("handler-not-returned", "trap-6/returns-handler", "not a handler function", '''
def make_handler(store):
    def handler(event, context):
        for record in event["Records"]:
            update = json.loads(record["body"])
            current = store.get(update["order_id"])
            if current is None or update["version"] > current["version"]:
                store[update["order_id"]] = update
'''),
        ],
        "alternative": [
            {"name": "sorted-batch-max", "code": '''
def make_handler(store):
    def handler(event, context):
        updates = sorted((json.loads(r["body"]) for r in event["Records"]), key=lambda u: u["version"])
        for update in updates:
            order = update["order_id"]
            store[order] = max(store.get(order, update), update, key=lambda u: u["version"])
        return {"batchItemFailures": []}
    return handler
'''},
            {"name": "version-default-zero", "code": '''
def make_handler(store):
    def handler(event, context):
        for record in event["Records"]:
            update = json.loads(record["body"])
            if update["version"] > store.get(update["order_id"], {}).get("version", 0):
                store[update["order_id"]] = dict(update)
    return handler
'''},
            {"name": "callable-class", "code": '''
class NewestWins:
    def __init__(self, store):
        self.store = store

    def __call__(self, event, context):
        for update in (json.loads(record["body"]) for record in event["Records"]):
            kept = self.store.get(update["order_id"])
            if kept and kept["version"] >= update["version"]:
                continue
            self.store[update["order_id"]] = update

def make_handler(store):
    return NewestWins(store)
'''},
        ],
    },
    "trap-7-answer": {
        "check": "trap-7",
        "wrong": [
            # measures characters, not bytes
            _wrong("counts-characters", "trap-7/size-in-bytes", "not characters", '''
import uuid

def send_large(sqs, s3, queue_url, bucket, payload):
    if len(payload) <= 1024 * 1024:
        sqs.send_message(QueueUrl=queue_url, MessageBody=payload)
        return
    key = str(uuid.uuid4())
    s3.put_object(Bucket=bucket, Key=key, Body=payload.encode("utf-8"))
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(
        ["software.amazon.payloadoffloading.PayloadS3Pointer", {"s3BucketName": bucket, "s3Key": key}]))
'''),
            # "<" instead of "<=": a payload of exactly 1 MiB goes through S3
            _wrong("limit-exclusive", "trap-7/inline-when-fits", "although it fits in a message", '''
import uuid

def send_large(sqs, s3, queue_url, bucket, payload):
    if len(payload.encode("utf-8")) < 1024 * 1024:
        sqs.send_message(QueueUrl=queue_url, MessageBody=payload)
        return
    key = str(uuid.uuid4())
    s3.put_object(Bucket=bucket, Key=key, Body=payload.encode("utf-8"))
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(
        ["software.amazon.payloadoffloading.PayloadS3Pointer", {"s3BucketName": bucket, "s3Key": key}]))
'''),
            _wrong("own-pointer-format", "trap-7/large-through-s3", "could not be read back through an S3 pointer", '''
import uuid

def send_large(sqs, s3, queue_url, bucket, payload):
    if len(payload.encode("utf-8")) <= 1024 * 1024:
        sqs.send_message(QueueUrl=queue_url, MessageBody=payload)
        return
    key = str(uuid.uuid4())
    s3.put_object(Bucket=bucket, Key=key, Body=payload.encode("utf-8"))
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps({"bucket": bucket, "key": key}))
'''),
            # split into parts instead of offloading
            _wrong("chunks", "trap-7/one-message-per-payload", "send exactly one per payload", '''
def send_large(sqs, s3, queue_url, bucket, payload):
    step = 500_000
    for start in range(0, max(len(payload), 1), step):
        sqs.send_message(QueueUrl=queue_url, MessageBody=payload[start:start + step])
'''),
            # wraps the payload in JSON: the body is no longer the payload
            _wrong("json-wrapped", "trap-7/inline-unchanged", "is not the payload you were given", '''
import uuid

def send_large(sqs, s3, queue_url, bucket, payload):
    body = json.dumps({"payload": payload})
    if len(body.encode("utf-8")) <= 1024 * 1024:
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)
        return
    key = str(uuid.uuid4())
    s3.put_object(Bucket=bucket, Key=key, Body=payload.encode("utf-8"))
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(
        ["software.amazon.payloadoffloading.PayloadS3Pointer", {"s3BucketName": bucket, "s3Key": key}]))
'''),
        ],
        "alternative": [
            {"name": "upload-fileobj-hash-key", "code": '''
import hashlib
from io import BytesIO

LIMIT = 2 ** 20

def send_large(sqs, s3, queue_url, bucket, payload):
    data = payload.encode("utf-8")
    body = payload
    if len(data) > LIMIT:
        key = "offloaded/" + hashlib.sha256(data).hexdigest()
        s3.upload_fileobj(BytesIO(data), bucket, key)
        body = json.dumps(["software.amazon.payloadoffloading.PayloadS3Pointer",
                           {"s3Key": key, "s3BucketName": bucket}])
    sqs.send_message(QueueUrl=queue_url, MessageBody=body)
'''},
            {"name": "string-body-helper", "code": '''
import uuid

def utf8_size(text):
    return len(text.encode("utf-8"))

def send_large(sqs, s3, queue_url, bucket, payload):
    if utf8_size(payload) > 1_048_576:
        key = f"payloads/{uuid.uuid4().hex}.txt"
        s3.put_object(Bucket=bucket, Key=key, Body=payload, ContentType="text/plain; charset=utf-8")
        payload = json.dumps(["software.amazon.payloadoffloading.PayloadS3Pointer", dict(s3BucketName=bucket, s3Key=key)])
    sqs.send_message(QueueUrl=queue_url, MessageBody=payload)
'''},
            # the size of the queue asked from SQS instead of a constant
            {"name": "limit-from-the-queue", "code": '''
import uuid

def send_large(sqs, s3, queue_url, bucket, payload):
    limit = int(sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["MaximumMessageSize"])
                ["Attributes"]["MaximumMessageSize"])
    data = payload.encode("utf-8")
    if len(data) <= limit:
        sqs.send_message(QueueUrl=queue_url, MessageBody=payload)
    else:
        key = str(uuid.uuid4())
        s3.put_object(Bucket=bucket, Key=key, Body=data)
        pointer = ["software.amazon.payloadoffloading.PayloadS3Pointer", {"s3BucketName": bucket, "s3Key": key}]
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(pointer))
'''},
        ],
    },
    "trap-8-answer": {
        "check": "trap-8",
        "wrong": [
            # SNS keeping messages for late subscribers
            _wrong("sns-stores", "trap-8/correct-options", "Standard topics do not store messages",
                   'def push_pull_answer():\n    return {"B", "D"}\n'),
            # one of the two: the question asks for two
            _wrong("only-one", "trap-8/correct-options", "asks for 2 options; you chose 1",
                   'def push_pull_answer():\n    return {"B"}\n'),
            _wrong("no-such-option", "trap-8/known-options", "is not an option",
                   'def push_pull_answer():\n    return {"B", "F"}\n'),
            _wrong("a-dict", "trap-8/returns-letters", "return the letters you choose",
                   'def push_pull_answer():\n    return {"B": True, "C": True}\n'),
        ],
        "alternative": [
            {"name": "lowercase-list", "code": 'def push_pull_answer():\n    return ["c", "b"]\n'},
            {"name": "comma-string", "code": 'def push_pull_answer():\n    return "B, C"\n'},
            {"name": "frozenset", "code": 'def push_pull_answer():\n    return frozenset("BC")\n'},
        ],
    },
    "trap-9-answer": {
        "check": "trap-9",
        "wrong": [
            _wrong("seven-targets", "trap-9/max-5-targets-per-rule", "at most 5", '''
def route_to_all(events, bus_name, queue_arns):
    events.put_rule(Name="order-placed", EventBusName=bus_name,
                    EventPattern=json.dumps({"source": ["com.shop.orders"], "detail-type": ["OrderPlaced"]}))
    events.put_targets(Rule="order-placed", EventBusName=bus_name,
                       Targets=[{"Id": str(i), "Arn": arn} for i, arn in enumerate(queue_arns)])
'''),
            # any OrderPlaced, whoever sent it
            _wrong("no-source", "trap-9/only-shop-orders", "whose source is not com.shop.orders", '''
def route_to_all(events, bus_name, queue_arns):
    for start in range(0, len(queue_arns), 5):
        rule = f"order-placed-{start}"
        events.put_rule(Name=rule, EventBusName=bus_name, EventPattern=json.dumps({"detail-type": ["OrderPlaced"]}))
        events.put_targets(Rule=rule, EventBusName=bus_name,
                           Targets=[{"Id": f"t{i}", "Arn": a} for i, a in enumerate(queue_arns[start:start + 5])])
'''),
            # every event of the source, cancellations too
            _wrong("every-order-event", "trap-9/only-order-placed", "received an OrderCancelled event", '''
def route_to_all(events, bus_name, queue_arns):
    for start in range(0, len(queue_arns), 5):
        rule = f"orders-{start}"
        events.put_rule(Name=rule, EventBusName=bus_name, EventPattern=json.dumps({"source": ["com.shop.orders"]}))
        events.put_targets(Rule=rule, EventBusName=bus_name,
                           Targets=[{"Id": f"t{i}", "Arn": a} for i, a in enumerate(queue_arns[start:start + 5])])
'''),
            # the rules go on the default bus, not the one given
            _wrong("default-bus", "trap-9/rule-exists", "there is no rule on the bus", '''
def route_to_all(events, bus_name, queue_arns):
    pattern = json.dumps({"source": ["com.shop.orders"], "detail-type": ["OrderPlaced"]})
    for start in range(0, len(queue_arns), 5):
        events.put_rule(Name=f"order-placed-{start}", EventPattern=pattern)
        events.put_targets(Rule=f"order-placed-{start}",
                           Targets=[{"Id": f"t{i}", "Arn": a} for i, a in enumerate(queue_arns[start:start + 5])])
'''),
            # two rules of five: the queues in both get two copies
            _wrong("overlapping-rules", "trap-9/one-copy-per-queue", "2 copies", '''
def route_to_all(events, bus_name, queue_arns):
    pattern = json.dumps({"source": ["com.shop.orders"], "detail-type": ["OrderPlaced"]})
    for name, chunk in (("first", queue_arns[:5]), ("last", queue_arns[-5:])):
        events.put_rule(Name=name, EventBusName=bus_name, EventPattern=pattern)
        events.put_targets(Rule=name, EventBusName=bus_name, Targets=[{"Id": f"t{i}", "Arn": a} for i, a in enumerate(chunk)])
'''),
            # a topic that fans out, but whose policy does not let EventBridge publish
            _wrong("closed-topic", "trap-9/eventbridge-may-deliver", "events.amazonaws.com", '''
def route_to_all(events, bus_name, queue_arns):
    topic = sns.create_topic(Name=f"{bus_name}-fan-out")["TopicArn"]
    for queue_arn in queue_arns:
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    events.put_rule(Name="order-placed", EventBusName=bus_name,
                    EventPattern=json.dumps({"source": ["com.shop.orders"], "detail-type": ["OrderPlaced"]}))
    events.put_targets(Rule="order-placed", EventBusName=bus_name, Targets=[{"Id": "fan-out", "Arn": topic}])
'''),
        ],
        "alternative": [
            # one rule whose single target is an SNS topic that fans out to every queue
            {"name": "sns-fan-out", "code": '''
def route_to_all(events, bus_name, queue_arns):
    topic = sns.create_topic(Name=f"{bus_name}-order-placed")["TopicArn"]
    for queue_arn in queue_arns:
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    rule_arn = events.put_rule(Name="order-placed", EventBusName=bus_name,
                               EventPattern=json.dumps({"detail-type": ["OrderPlaced"], "source": ["com.shop.orders"]}))["RuleArn"]
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps({"Statement": [{
        "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish", "Resource": topic,
        "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}}}]}))
    events.put_targets(Rule="order-placed", EventBusName=bus_name, Targets=[{"Id": "fan-out", "Arn": topic}])
'''},
            {"name": "one-rule-per-queue", "code": '''
def route_to_all(events, bus_name, queue_arns):
    pattern = {"detail-type": ["OrderPlaced"], "source": ["com.shop.orders"]}
    for n, queue_arn in enumerate(queue_arns):
        events.put_rule(Name=f"to-team-{n}", EventBusName=bus_name, EventPattern=json.dumps(pattern), State="ENABLED")
        events.put_targets(Rule=f"to-team-{n}", EventBusName=bus_name, Targets=[{"Id": "team", "Arn": queue_arn}])
'''},
            {"name": "rules-of-three", "code": '''
def route_to_all(events, bus_name, queue_arns):
    pattern = json.dumps({"source": ["com.shop.orders"], "detail-type": ["OrderPlaced"]})
    groups = [queue_arns[i:i + 3] for i in range(0, len(queue_arns), 3)]
    for number, group in enumerate(groups):
        events.put_rule(Name=f"placed-{number}", EventBusName=bus_name, EventPattern=pattern)
        events.put_targets(Rule=f"placed-{number}", EventBusName=bus_name,
                           Targets=[{"Id": arn.rsplit(":", 1)[-1][-60:], "Arn": arn} for arn in group])
'''},
        ],
    },
    "trap-10-answer": {
        "check": "trap-10",
        "wrong": [
            # days where the API wants hours
            _wrong("days-not-hours", "trap-10/retention-in-hours", "counts hours, not days", '''
def keep_for_a_year(kinesis, stream_name):
    kinesis.increase_stream_retention_period(StreamName=stream_name, RetentionPeriodHours=365)
'''),
            # older material's maximum
            _wrong("seven-days", "trap-10/retention-one-year", "not 365 days", '''
def keep_for_a_year(kinesis, stream_name):
    kinesis.increase_stream_retention_period(StreamName=stream_name, RetentionPeriodHours=7 * 24)
'''),
            # returns the number instead of setting it
            _wrong("returns-the-hours", "trap-10/retention-raised", "default 24 hours", '''
def keep_for_a_year(kinesis, stream_name):
    return 365 * 24
'''),
            # minutes: beyond Kinesis's range, AWS refuses
            _wrong("minutes", "trap-10/answer-accepted-by-aws", "AWS refused", '''
def keep_for_a_year(kinesis, stream_name):
    kinesis.increase_stream_retention_period(StreamName=stream_name, RetentionPeriodHours=365 * 24 * 60)
'''),
        ],
        "alternative": [
            {"name": "timedelta", "code": '''
from datetime import timedelta

def keep_for_a_year(kinesis, stream_name):
    hours = int(timedelta(days=365) / timedelta(hours=1))
    kinesis.increase_stream_retention_period(StreamName=stream_name, RetentionPeriodHours=hours)
'''},
            {"name": "literal-hours", "code": '''
def keep_for_a_year(kinesis, stream_name):
    kinesis.increase_stream_retention_period(StreamName=stream_name, RetentionPeriodHours=8760)
'''},
            {"name": "only-if-shorter", "code": '''
def keep_for_a_year(kinesis, stream_name):
    year = 24 * 365
    current = kinesis.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]["RetentionPeriodHours"]
    if current < year:
        kinesis.increase_stream_retention_period(StreamName=stream_name, RetentionPeriodHours=year)
    return kinesis.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]["RetentionPeriodHours"]
'''},
        ],
    },
    "trap-11-answer": {
        "check": "trap-11",
        "wrong": [
            # Firehose for a 200 ms requirement
            _wrong("firehose-for-200ms", "trap-11/every-match-fits", "near-real-time", '''
def choose_services():
    return {1: "Kinesis Data Streams", 2: "SQS", 3: "Firehose", 4: "Firehose", 5: "EventBridge",
            6: "SNS", 7: "SQS FIFO"}
'''),
            _wrong("not-a-choice", "trap-11/known-choices", "choose from these", '''
def choose_services():
    return {1: "Kinesis Data Streams", 2: "Lambda", 3: "Firehose", 4: "Kinesis Data Streams", 5: "EventBridge",
            6: "SNS", 7: "SQS FIFO"}
'''),
            _wrong("one-missing", "trap-11/every-item-answered", "no answer for scenario(s) [5]", '''
def choose_services():
    return {1: "Kinesis Data Streams", 2: "SQS", 3: "Firehose", 4: "Kinesis Data Streams", 6: "SNS", 7: "SQS FIFO"}
'''),
            _wrong("a-list", "trap-11/returns-mapping", "return a dict", '''
def choose_services():
    return ["Kinesis Data Streams", "SQS", "Firehose", "Kinesis Data Streams", "EventBridge", "SNS", "SQS FIFO"]
'''),
            # the mapping the other way round: service -> scenario numbers
            _wrong("by-service", "trap-11/numbered-keys", "is not a scenario number", '''
def choose_services():
    return {"Kinesis Data Streams": [1, 4], "SQS": [2], "Firehose": [3], "EventBridge": [5], "SNS": [6],
            "SQS FIFO": [7]}
'''),
        ],
        "alternative": [
            {"name": "spellings", "code": '''
def choose_services():
    names = ["kinesis-data-streams", "sqs", "firehose", "kinesis data streams", "eventbridge", "sns", "sqs_fifo"]
    return dict(zip(range(1, 8), names))
'''},
            {"name": "string-keys", "code": '''
def choose_services():
    stream = "Kinesis Data Streams"
    return {"1": stream, "2": "SQS", "3": "Firehose", "4": stream, "5": "EventBridge", "6": "SNS", "7": "SQS FIFO"}
'''},
            {"name": "grouped", "code": '''
def choose_services():
    by_service = {"Kinesis Data Streams": [1, 4], "SQS": [2], "Firehose": [3], "EventBridge": [5], "SNS": [6],
                  "SQS FIFO": [7]}
    return {n: service for service, numbers in by_service.items() for n in numbers}
'''},
        ],
    },
}


#: requirements no plausible wrong answer reaches (defence in depth), each with the reason
SAFETY_NETS = {
    "trap-2/no-duplicates-when-slow": ("the simulated function takes 0.9x its timeout, so a duplicate needs a visibility below"
        " that, which visibility-at-least-timeout fails first"),
    "trap-5/poison-in-dlq": ("once the redrive policy, receive count and DLQ type are judged, SQS moves the message;"
        " only a DLQ retention under two minutes would lose it"),
    "trap-6/consumer-runs": ("the simulated event source mapping catches every exception a handler raises (reported "
        "as handler-parses-records)"),
}
