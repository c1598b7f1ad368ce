"""Answers for 01_sqs_queues (format: tests/notebooks/conftest.py): per answer cell, plausible wrong
answers (each naming the requirement its check must report) and correct answers written differently."""

POINTER = "software.amazon.payloadoffloading.PayloadS3Pointer"

ANSWERS = {
    "sqs-1-answer": {
        "check": "sqs-1",
        "wrong": [
            {"name": "hours-not-days", "requirement": "sqs-1/keeps-until-retention",
             "message": "disappeared before `retention_days` days", "code": '''
def create_queue_with_retention(sqs, name, retention_days):
    return sqs.create_queue(QueueName=name, Attributes={"MessageRetentionPeriod": str(retention_days * 3600)})["QueueUrl"]
'''},
            # the longest retention "to be safe": the queue keeps messages past the asked days
            {"name": "maximum-retention", "requirement": "sqs-1/drops-after-retention",
             "message": "still there after `retention_days` days", "code": '''
def create_queue_with_retention(sqs, name, retention_days):
    return sqs.create_queue(QueueName=name, Attributes={"MessageRetentionPeriod": "1209600"})["QueueUrl"]
'''},
            {"name": "returns-name", "requirement": "sqs-1/returns-queue-url", "message": "not its URL", "code": '''
def create_queue_with_retention(sqs, name, retention_days):
    sqs.create_queue(QueueName=name, Attributes={"MessageRetentionPeriod": str(retention_days * 86400)})
    return name
'''},
            {"name": "name-suffixed", "requirement": "sqs-1/queue-exists", "message": "there is no queue named", "code": '''
def create_queue_with_retention(sqs, name, retention_days):
    return sqs.create_queue(QueueName=f"{name}-queue",
                            Attributes={"MessageRetentionPeriod": str(retention_days * 86400)})["QueueUrl"]
'''},
        ],
        "alternative": [
            {"name": "attributes-after-create", "code": '''
from datetime import timedelta

def create_queue_with_retention(sqs, name, retention_days):
    sqs.create_queue(QueueName=name)
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    period = int(timedelta(days=retention_days).total_seconds())
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"MessageRetentionPeriod": f"{period}"})
    return url
'''},
            {"name": "constant-and-more-attributes", "code": '''
SECONDS_PER_DAY = 86_400

def create_queue_with_retention(sqs, name, retention_days):
    attributes = dict(MessageRetentionPeriod=str(retention_days * SECONDS_PER_DAY), VisibilityTimeout="60")
    return sqs.create_queue(QueueName=name, Attributes=attributes).get("QueueUrl")
'''},
            {"name": "tagged-queue", "code": '''
def create_queue_with_retention(sqs, name, retention_days):
    response = sqs.create_queue(QueueName=name, tags={"team": "orders"},
                                Attributes={"MessageRetentionPeriod": "%d" % (retention_days * 24 * 3600)})
    return response["QueueUrl"]
'''},
        ],
    },
    "sqs-2-answer": {
        "check": "sqs-2",
        "wrong": [
            # dedupes by MessageId: survives redelivery, not the producer's retry
            {"name": "dedupe-by-message-id", "requirement": "sqs-2/charged-once", "message": "charged more than once",
             "code": '''
def make_consumer(charge):
    seen = set()
    def handler(event, context):
        for record in event["Records"]:
            if record["messageId"] in seen:
                continue
            seen.add(record["messageId"])
            order = json.loads(record["body"])
            charge(order["order_id"], order["amount"])
    return handler
'''},
            # only the first record: passes when every batch has one record
            {"name": "first-record-only", "requirement": "sqs-2/every-order-charged", "message": "never charged",
             "code": '''
def make_consumer(charge):
    charged = set()
    def handler(event, context):
        order = json.loads(event["Records"][0]["body"])
        if order["order_id"] not in charged:
            charged.add(order["order_id"])
            charge(order["order_id"], order["amount"])
    return handler
'''},
            # the ledger outside make_consumer: shared by every handler
            {"name": "module-level-ledger", "requirement": "sqs-2/fresh-per-consumer",
             "message": "not charged by a new one", "code": '''
charged_orders = set()

def make_consumer(charge):
    def handler(event, context):
        for record in event["Records"]:
            order = json.loads(record["body"])
            if order["order_id"] not in charged_orders:
                charged_orders.add(order["order_id"])
                charge(order["order_id"], order["amount"])
    return handler
'''},
            # boto3's receive_message shape, not Lambda's event
            {"name": "capital-body", "requirement": "sqs-2/handler-parses-records", "message": "record['body']",
             "code": '''
def make_consumer(charge):
    charged = set()
    def handler(event, context):
        for record in event["Records"]:
            order = json.loads(record["Body"])
            if order["order_id"] not in charged:
                charged.add(order["order_id"])
                charge(order["order_id"], order["amount"])
    return handler
'''},
            {"name": "forgets-return", "requirement": "sqs-2/returns-handler", "message": "not a handler function",
             "code": '''
def make_consumer(charge):
    charged = set()
    def handler(event, context):
        for record in event["Records"]:
            order = json.loads(record["body"])
            if order["order_id"] not in charged:
                charged.add(order["order_id"])
                charge(order["order_id"], order["amount"])
'''},
        ],
        "alternative": [
            {"name": "ledger-dict-batch-report", "code": '''
def make_consumer(charge):
    ledger = {}
    def handler(event, context):
        orders = [json.loads(r["body"]) for r in event["Records"]]
        for order in orders:
            if ledger.get(order["order_id"]) == "charged":
                continue
            ledger[order["order_id"]] = "charged"
            charge(order["order_id"], order["amount"])
        return {"batchItemFailures": []}
    return handler
'''},
            {"name": "callable-object", "code": '''
class Consumer:
    def __init__(self, charge):
        self.charge = charge
        self.done = []

    def __call__(self, event, context):
        for record in event.get("Records", []):
            body = json.loads(record["body"])
            if body["order_id"] in self.done:
                continue
            self.done.append(body["order_id"])
            self.charge(body["order_id"], body["amount"])

def make_consumer(charge):
    return Consumer(charge)
'''},
            {"name": "helper-and-set-difference", "code": '''
def _orders(event):
    return {o["order_id"]: o for o in map(lambda r: json.loads(r["body"]), event["Records"])}

def make_consumer(charge):
    paid = set()
    def handler(event, context):
        orders = _orders(event)
        for order_id in sorted(set(orders) - paid):
            charge(order_id, orders[order_id]["amount"])
            paid.add(order_id)
    return handler
'''},
        ],
    },
    "sqs-3-answer": {
        "check": "sqs-3",
        "wrong": [
            {"name": "equal-to-timeout", "requirement": "sqs-3/visibility-at-least-6x", "message": "not six",
             "code": '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": str(function_timeout)})
'''},
            # right for the visible test's 30 s only
            {"name": "fixed-180", "requirement": "sqs-3/visibility-at-least-timeout",
             "message": "shorter than the function's timeout", "code": '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": "180"})
'''},
            {"name": "five-times", "requirement": "sqs-3/visibility-at-least-6x", "message": "not six", "code": '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": str(5 * function_timeout)})
'''},
            # a unit slip: minutes, where SQS counts seconds
            {"name": "minutes-not-seconds", "requirement": "sqs-3/visibility-at-least-timeout",
             "message": "shorter than the function's timeout", "code": '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    minutes = 6 * function_timeout // 60
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": str(minutes)})
'''},
        ],
        "alternative": [
            {"name": "eight-times-capped", "code": '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    twelve_hours = 12 * 60 * 60
    visibility = min(twelve_hours, function_timeout * 8)
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=dict(VisibilityTimeout=str(visibility)))
'''},
            {"name": "six-times-plus-batch-window", "code": '''
def configure_for_lambda(sqs, queue_url, function_timeout, batching_window=20):
    visibility = 6 * function_timeout + batching_window
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": f"{visibility}"})
'''},
            # the maximum AWS allows: at least six times any Lambda timeout
            {"name": "twelve-hours", "code": '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": "43200"})
'''},
        ],
    },
    "sqs-4-answer": {
        "check": "sqs-4",
        "wrong": [
            # a day more than the default 4: longer only while the source keeps the default
            {"name": "five-days-fixed", "requirement": "sqs-4/dlq-retention-longer",
             "message": "no longer than the source", "code": '''
def add_dead_letter_queue(sqs, source_url, max_receive_count):
    name = source_url.rsplit("/", 1)[-1]
    attributes = {"MessageRetentionPeriod": str(5 * 86400)}
    if name.endswith(".fifo"):
        attributes["FifoQueue"] = "true"
        name = name[:-5] + "-dlq.fifo"
    else:
        name += "-dlq"
    dlq_url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": max_receive_count})})
    return dlq_url
'''},
            # always a standard DLQ: the hidden FIFO source is refused by AWS
            {"name": "always-standard", "requirement": "sqs-4/dlq-same-type", "message": "same type as its source",
             "code": '''
def add_dead_letter_queue(sqs, source_url, max_receive_count):
    name = source_url.rsplit("/", 1)[-1].replace(".fifo", "") + "-dlq"
    dlq_url = sqs.create_queue(QueueName=name, Attributes={"MessageRetentionPeriod": "1209600"})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": max_receive_count})})
    return dlq_url
'''},
            {"name": "fixed-three-receives", "requirement": "sqs-4/max-receive-count",
             "message": "not the max_receive_count", "code": '''
def add_dead_letter_queue(sqs, source_url, max_receive_count):
    name = source_url.rsplit("/", 1)[-1]
    attributes = {"MessageRetentionPeriod": "1209600"}
    if name.endswith(".fifo"):
        attributes["FifoQueue"] = "true"
        name = name[:-5] + "-dlq.fifo"
    else:
        name += "-dlq"
    dlq_url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 3})})
    return dlq_url
'''},
            {"name": "returns-arn", "requirement": "sqs-4/returns-dlq-url", "message": "not the URL of an existing queue",
             "code": '''
def add_dead_letter_queue(sqs, source_url, max_receive_count):
    name = source_url.rsplit("/", 1)[-1]
    attributes = {"MessageRetentionPeriod": "1209600"}
    if name.endswith(".fifo"):
        attributes["FifoQueue"] = "true"
        name = name[:-5] + "-dlq.fifo"
    else:
        name += "-dlq"
    dlq_url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": max_receive_count})})
    return arn
'''},
            # the wrong variable returned: the source, not the DLQ
            {"name": "returns-source", "requirement": "sqs-4/targets-returned-dlq",
             "message": "points at a different queue than the one you returned", "code": '''
def add_dead_letter_queue(sqs, source_url, max_receive_count):
    source = sqs.get_queue_attributes(QueueUrl=source_url, AttributeNames=["All"])["Attributes"]
    attributes = {"MessageRetentionPeriod": "1209600"}
    name = source_url.rsplit("/", 1)[-1]
    if source.get("FifoQueue") == "true":
        attributes["FifoQueue"] = "true"
        name = name[:-5] + "-dlq.fifo"
    else:
        name += "-dlq"
    dlq_url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": max_receive_count})})
    return source_url
'''},
            # the redrive policy set on the DLQ instead of the source
            {"name": "policy-on-dlq", "requirement": "sqs-4/redrive-policy", "message": "has no RedrivePolicy",
             "code": '''
def add_dead_letter_queue(sqs, source_url, max_receive_count):
    name = source_url.rsplit("/", 1)[-1]
    attributes = {"MessageRetentionPeriod": "1209600"}
    if name.endswith(".fifo"):
        attributes["FifoQueue"] = "true"
        name = name[:-5] + "-dlq.fifo"
    else:
        name += "-dlq"
    dlq_url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    source_arn = sqs.get_queue_attributes(QueueUrl=source_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=dlq_url, Attributes={"RedriveAllowPolicy": json.dumps(
        {"redrivePermission": "byQueue", "sourceQueueArns": [source_arn]})})
    return dlq_url
'''},
            # "redrive" read as a policy both ways: the DLQ gets a RedrivePolicy back to the source, so
            # a message moved there is sent on again when it is received
            {"name": "redrive-policy-back-to-source", "requirement": "sqs-4/poison-reaches-dlq",
             "message": "your DLQ has a RedrivePolicy of its own", "code": '''
def _arn(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

def add_dead_letter_queue(sqs, source_url, max_receive_count):
    name = source_url.rsplit("/", 1)[-1]
    attributes = {"MessageRetentionPeriod": "1209600"}
    if name.endswith(".fifo"):
        attributes["FifoQueue"] = "true"
        name = name[:-5] + "-dlq.fifo"
    else:
        name += "-dlq"
    dlq_url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": _arn(sqs, dlq_url), "maxReceiveCount": max_receive_count})})
    sqs.set_queue_attributes(QueueUrl=dlq_url, Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": _arn(sqs, source_url), "maxReceiveCount": max_receive_count})})
    return dlq_url
'''},
        ],
        "alternative": [
            {"name": "a-day-longer-than-source", "code": '''
def add_dead_letter_queue(sqs, source_url, max_receive_count):
    source = sqs.get_queue_attributes(QueueUrl=source_url, AttributeNames=["All"])["Attributes"]
    is_fifo = source.get("FifoQueue") == "true"
    attributes = {"MessageRetentionPeriod": str(int(source["MessageRetentionPeriod"]) + 86400)}
    if is_fifo:
        attributes["FifoQueue"] = "true"
    name = "parking-" + source["QueueArn"].split(":")[-1]
    dlq = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = '{"deadLetterTargetArn": "%s", "maxReceiveCount": "%d"}' % (dlq_arn, max_receive_count)
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={"RedrivePolicy": redrive})
    return dlq
'''},
            # the retention set after create, the ARN built from the source's
            {"name": "attributes-after-create", "code": '''
def add_dead_letter_queue(sqs, source_url, max_receive_count):
    source_arn = sqs.get_queue_attributes(QueueUrl=source_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    base = source_arn.rsplit(":", 1)[1]
    fifo = base.endswith(".fifo")
    dlq_name = base.removesuffix(".fifo") + ("-dead.fifo" if fifo else "-dead")
    dlq_url = sqs.create_queue(QueueName=dlq_name, Attributes={"FifoQueue": "true"} if fifo else {})["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=dlq_url, Attributes={"MessageRetentionPeriod": str(14 * 86400)})
    dlq_arn = source_arn.rsplit(":", 1)[0] + ":" + dlq_name
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive_count)})})
    return dlq_url
'''},
            # the longest retention within AWS's range: 14 days, never shorter than a source's (the
            # check's sources keep less)
            {"name": "helper-functions", "code": '''
def _arn(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

def _dlq_attributes(source_attributes):
    attributes = {"MessageRetentionPeriod": "1209600"}
    if source_attributes.get("FifoQueue") == "true":
        attributes.update(FifoQueue="true", ContentBasedDeduplication="true")
    return attributes

def add_dead_letter_queue(sqs, source_url, max_receive_count):
    source = sqs.get_queue_attributes(QueueUrl=source_url, AttributeNames=["FifoQueue"]).get("Attributes", {})
    suffix = ".fifo" if source.get("FifoQueue") == "true" else ""
    name = source_url.rsplit("/", 1)[-1].removesuffix(".fifo") + "_dlq" + suffix
    dlq_url = sqs.create_queue(QueueName=name, Attributes=_dlq_attributes(source))["QueueUrl"]
    policy = {"maxReceiveCount": max_receive_count, "deadLetterTargetArn": _arn(sqs, dlq_url)}
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={"RedrivePolicy": json.dumps(policy)})
    return dlq_url
'''},
        ],
    },
    "sqs-5-answer": {
        "check": "sqs-5",
        "wrong": [
            # confuses the visibility timeout with the wait time
            {"name": "visibility-not-wait", "requirement": "sqs-5/long-polling-on", "message": "short polling",
             "code": '''
def enable_long_polling(sqs, queue_url):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": "20"})
'''},
            # just under the budget's boundary: 10 s is the shortest wait that fits 60 receives in 10 minutes
            {"name": "nine-seconds", "requirement": "sqs-5/idle-receive-budget", "message": "the budget is 60",
             "code": '''
def enable_long_polling(sqs, queue_url):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"ReceiveMessageWaitTimeSeconds": "9"})
'''},
            {"name": "beyond-twenty", "requirement": "sqs-5/answer-accepted-by-aws", "message": "AWS refused",
             "code": '''
def enable_long_polling(sqs, queue_url):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"ReceiveMessageWaitTimeSeconds": "60"})
'''},
            # a "test message" left in the queue
            {"name": "leaves-test-message", "requirement": "sqs-5/empty-receives-empty",
             "message": "an empty queue returned a message", "code": '''
def enable_long_polling(sqs, queue_url):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"ReceiveMessageWaitTimeSeconds": "20"})
    sqs.send_message(QueueUrl=queue_url, MessageBody="long polling is on")
'''},
            # the delay too, "so that consumers wait": every new message is hidden for 20 s
            {"name": "wait-and-delay", "requirement": "sqs-5/message-received",
             "message": "your queue's DelaySeconds is 20", "code": '''
def enable_long_polling(sqs, queue_url):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"ReceiveMessageWaitTimeSeconds": "20",
                                                             "DelaySeconds": "20"})
'''},
        ],
        "alternative": [
            {"name": "ten-seconds-boundary", "code": '''
def enable_long_polling(sqs, queue_url):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"ReceiveMessageWaitTimeSeconds": "10"})
'''},
            {"name": "constant-int", "code": '''
MAX_WAIT = 20

def enable_long_polling(sqs, queue_url):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=dict(ReceiveMessageWaitTimeSeconds=str(MAX_WAIT)))
'''},
            {"name": "fifteen-read-back", "code": '''
def enable_long_polling(sqs, queue_url):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"ReceiveMessageWaitTimeSeconds": "15"})
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["ReceiveMessageWaitTimeSeconds"])
    assert attributes["Attributes"]["ReceiveMessageWaitTimeSeconds"] == "15"
'''},
        ],
    },
    "sqs-6-answer": {
        "check": "sqs-6",
        "wrong": [
            # batches correctly but ignores the Failed list of a 200 response
            {"name": "ignores-failed", "requirement": "sqs-6/retries-failed-entries",
             "message": "SendMessageBatch answers HTTP 200", "code": '''
def send_in_batches(sqs, queue_url, bodies):
    for start in range(0, len(bodies), 10):
        chunk = bodies[start:start + 10]
        sqs.send_message_batch(QueueUrl=queue_url,
                               Entries=[{"Id": str(i), "MessageBody": b} for i, b in enumerate(chunk)])
'''},
            # retries the whole batch
            {"name": "retries-whole-batch", "requirement": "sqs-6/sent-once", "message": "sent more than once",
             "code": '''
def send_in_batches(sqs, queue_url, bodies):
    for start in range(0, len(bodies), 10):
        entries = [{"Id": str(i), "MessageBody": b} for i, b in enumerate(bodies[start:start + 10])]
        while sqs.send_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed"):
            pass
'''},
            {"name": "send-message-each", "requirement": "sqs-6/uses-batch-send", "message": "you called SendMessage",
             "code": '''
def send_in_batches(sqs, queue_url, bodies):
    for body in bodies:
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)
'''},
            # batches of one entry
            {"name": "one-entry-batches", "requirement": "sqs-6/full-batches", "message": "fill each batch",
             "code": '''
def send_in_batches(sqs, queue_url, bodies):
    for n, body in enumerate(bodies):
        while sqs.send_message_batch(QueueUrl=queue_url, Entries=[{"Id": str(n), "MessageBody": body}]).get("Failed"):
            pass
'''},
            # len(bodies) // 10 batches: the last, shorter batch is never sent
            {"name": "drops-last-batch", "requirement": "sqs-6/all-messages-arrive",
             "message": "no batch response listed them as Failed", "code": '''
def send_in_batches(sqs, queue_url, bodies):
    for n in range(len(bodies) // 10):
        pending = {str(i): body for i, body in enumerate(bodies[n * 10:(n + 1) * 10])}
        while pending:
            response = sqs.send_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": i, "MessageBody": body} for i, body in pending.items()])
            pending = {f["Id"]: pending[f["Id"]] for f in response.get("Failed", [])}
'''},
        ],
        "alternative": [
            {"name": "failed-first-in-next-batch", "code": '''
def send_in_batches(sqs, queue_url, bodies):
    todo = list(enumerate(bodies))
    while todo:
        batch, todo = todo[:10], todo[10:]
        response = sqs.send_message_batch(
            QueueUrl=queue_url, Entries=[{"Id": f"m{n}", "MessageBody": body} for n, body in batch])
        failed = {entry["Id"] for entry in response.get("Failed", [])}
        todo = [(n, body) for n, body in batch if f"m{n}" in failed] + todo
'''},
            # the successful ids, not the failed ones, decide what is left
            {"name": "by-successful-ids", "code": '''
def send_in_batches(sqs, queue_url, bodies):
    chunks = [bodies[i:i + 10] for i in range(0, len(bodies), 10)]
    for chunk in chunks:
        pending = {f"e{i}": body for i, body in enumerate(chunk)}
        while pending:
            response = sqs.send_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": key, "MessageBody": body} for key, body in pending.items()])
            for ok in response.get("Successful", []):
                pending.pop(ok["Id"])
'''},
            # a helper and itertools; retries with the original entries
            {"name": "helper-retry-loop", "code": '''
from itertools import islice

def _chunks(items, size=10):
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk

def _send(sqs, queue_url, entries):
    while entries:
        failed = {f["Id"] for f in sqs.send_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])}
        entries = [e for e in entries if e["Id"] in failed]

def send_in_batches(sqs, queue_url, bodies):
    numbered = [{"Id": str(n), "MessageBody": body} for n, body in enumerate(bodies)]
    for entries in _chunks(numbered):
        _send(sqs, queue_url, entries)
'''},
        ],
    },
    "sqs-7-answer": {
        "check": "sqs-7",
        "wrong": [
            # receives everything, never deletes (a long visibility timeout hides the bug for a while)
            {"name": "never-deletes", "requirement": "sqs-7/deletes-received", "message": "received but not deleted",
             "code": '''
def drain(sqs, queue_url):
    bodies = []
    while True:
        got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=600).get("Messages", [])
        if not got:
            return bodies
        bodies += [m["Body"] for m in got]
'''},
            # stops on a short receive: AWS may return fewer than asked with messages left
            {"name": "stops-on-short-receive", "requirement": "sqs-7/returns-every-body",
             "message": "fewer than you ask for", "code": '''
def drain(sqs, queue_url):
    bodies = []
    while True:
        got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if got:
            bodies += [m["Body"] for m in got]
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])
        if len(got) < 10:
            return bodies
'''},
            {"name": "delete-one-by-one", "requirement": "sqs-7/uses-batch-delete", "message": "DeleteMessage calls",
             "code": '''
def drain(sqs, queue_url):
    bodies = []
    while got := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
        for message in got:
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return bodies
'''},
            # returns the messages, not their bodies
            {"name": "returns-messages", "requirement": "sqs-7/returns-bodies", "message": "a list of dict",
             "code": '''
def drain(sqs, queue_url):
    messages = []
    while got := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])
        messages += got
    return messages
'''},
        ],
        "alternative": [
            {"name": "long-poll-message-ids", "code": '''
def drain(sqs, queue_url):
    drained = []
    batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    while batch:
        entries = [dict(Id=m["MessageId"], ReceiptHandle=m["ReceiptHandle"]) for m in batch]
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
        drained += [m["Body"] for m in batch]
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    return drained
'''},
            # receives first (hidden for 5 minutes), deletes afterwards in chunks of 10
            {"name": "receive-all-then-delete", "code": '''
def drain(sqs, queue_url):
    received = []
    while True:
        got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=300).get("Messages")
        if not got:
            break
        received.extend(got)
    for start in range(0, len(received), 10):
        chunk = received[start:start + 10]
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": f"d{n}", "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(chunk)])
    return [m["Body"] for m in received]
'''},
            # a generator helper, the result as a tuple-free list
            {"name": "generator-helper", "code": '''
def _batches(sqs, queue_url):
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return
        yield messages

def drain(sqs, queue_url):
    bodies = []
    for messages in _batches(sqs, queue_url):
        response = sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages)])
        assert not response.get("Failed")
        bodies.extend(m["Body"] for m in messages)
    return bodies
'''},
        ],
    },
    "sqs-8-answer": {
        "check": "sqs-8",
        "wrong": [
            # the queue's delay set and reset: the queue looks untouched afterwards
            {"name": "delay-queue-reset", "requirement": "sqs-8/no-queue-delay", "message": "even if you reset it",
             "code": '''
def send_reminder(sqs, queue_url, body, delay_seconds):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"DelaySeconds": str(delay_seconds)})
    sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"DelaySeconds": "0"})
'''},
            {"name": "no-delay", "requirement": "sqs-8/reminder-hidden", "message": "could be received at once",
             "code": '''
def send_reminder(sqs, queue_url, body, delay_seconds):
    sqs.send_message(QueueUrl=queue_url, MessageBody=body)
'''},
            # minutes instead of seconds
            {"name": "minutes-not-seconds", "requirement": "sqs-8/reminder-hidden-for-delay",
             "message": "appeared before its delay", "code": '''
def send_reminder(sqs, queue_url, body, delay_seconds):
    sqs.send_message(QueueUrl=queue_url, MessageBody=body, DelaySeconds=max(1, delay_seconds // 60))
'''},
            # a queue of its own: the reminder never reaches the given queue
            {"name": "own-queue", "requirement": "sqs-8/reminder-sent", "message": "never reached the queue",
             "code": '''
def send_reminder(sqs, queue_url, body, delay_seconds):
    url = sqs.create_queue(QueueName="reminders")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=body, DelaySeconds=delay_seconds)
'''},
            # delay_seconds taken for minutes, then capped at the 15-minute maximum AWS refused to exceed:
            # the reminder comes late
            {"name": "minutes-capped", "requirement": "sqs-8/reminder-appears-after-delay",
             "message": "did not appear once its delay", "code": '''
def send_reminder(sqs, queue_url, body, delay_seconds):
    sqs.send_message(QueueUrl=queue_url, MessageBody=body, DelaySeconds=min(delay_seconds * 60, 900))
'''},
        ],
        "alternative": [
            {"name": "batch-entry-delay", "code": '''
def send_reminder(sqs, queue_url, body, delay_seconds):
    sqs.send_message_batch(QueueUrl=queue_url, Entries=[
        {"Id": "reminder", "MessageBody": body, "DelaySeconds": delay_seconds}])
'''},
            {"name": "kwargs-with-attributes", "code": '''
def send_reminder(sqs, queue_url, body, delay_seconds):
    request = {"QueueUrl": queue_url, "MessageBody": body, "DelaySeconds": int(delay_seconds),
               "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "reminder"}}}
    return sqs.send_message(**request)["MessageId"]
'''},
            # the queue's attributes read (not changed) before sending
            {"name": "reads-queue-first", "code": '''
def send_reminder(sqs, queue_url, body, delay_seconds):
    queue_delay = int(sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["DelaySeconds"])
                      ["Attributes"]["DelaySeconds"])
    assert queue_delay == 0, "the queue itself delays messages"
    sqs.send_message(QueueUrl=queue_url, DelaySeconds=delay_seconds, MessageBody=body)
'''},
        ],
    },
    "sqs-9-answer": {
        "check": "sqs-9",
        "wrong": [
            # counts characters: multi-byte text is larger in UTF-8
            {"name": "counts-characters", "requirement": "sqs-9/measures-utf8-bytes", "message": "bytes of UTF-8 was sent inline",
             "code": '''
import uuid

def send_document(sqs, s3, queue_url, bucket, document):
    if len(document) <= 1024 * 1024:
        sqs.send_message(QueueUrl=queue_url, MessageBody=document)
        return
    key = f"payloads/{uuid.uuid4()}"
    s3.put_object(Bucket=bucket, Key=key, Body=document.encode())
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(
        ["''' + POINTER + '''", {"s3BucketName": bucket, "s3Key": key}]))
'''},
            # a strict < : a document of exactly 1 MiB goes through S3
            {"name": "strict-less-than", "requirement": "sqs-9/small-inline", "message": "that size included",
             "code": '''
import uuid

def send_document(sqs, s3, queue_url, bucket, document):
    if len(document.encode("utf-8")) < 1024 * 1024:
        sqs.send_message(QueueUrl=queue_url, MessageBody=document)
        return
    key = f"payloads/{uuid.uuid4()}"
    s3.put_object(Bucket=bucket, Key=key, Body=document.encode())
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(
        ["''' + POINTER + '''", {"s3BucketName": bucket, "s3Key": key}]))
'''},
            # ignores the size limit
            {"name": "always-inline", "requirement": "sqs-9/large-through-s3", "message": "larger than 1 MiB was sent inline",
             "code": '''
def send_document(sqs, s3, queue_url, bucket, document):
    sqs.send_message(QueueUrl=queue_url, MessageBody=document)
'''},
            # splits a large document into several messages
            {"name": "chunks", "requirement": "sqs-9/one-message-per-document", "message": "messages arrived for one document",
             "code": '''
def send_document(sqs, s3, queue_url, bucket, document):
    data = document.encode()
    for start in range(0, len(data), 512 * 1024):
        sqs.send_message(QueueUrl=queue_url, MessageBody=data[start:start + 512 * 1024].decode(errors="replace"))
'''},
            # a bucket of its own, not the one it was given
            {"name": "own-bucket", "requirement": "sqs-9/uses-given-bucket", "message": "another bucket",
             "code": '''
import uuid

def send_document(sqs, s3, queue_url, bucket, document):
    if len(document.encode()) <= 1024 * 1024:
        sqs.send_message(QueueUrl=queue_url, MessageBody=document)
        return
    s3.create_bucket(Bucket="my-large-payloads")
    key = str(uuid.uuid4())
    s3.put_object(Bucket="my-large-payloads", Key=key, Body=document)
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(
        ["''' + POINTER + '''", {"s3BucketName": "my-large-payloads", "s3Key": key}]))
'''},
        ],
        "alternative": [
            # the key derived from the content; the body sent as str
            {"name": "hash-key", "code": '''
import hashlib

LIMIT = 1_048_576

def send_document(sqs, s3, queue_url, bucket, document):
    size = len(document.encode())
    if size > LIMIT:
        key = "docs/" + hashlib.sha256(document.encode()).hexdigest()
        s3.put_object(Bucket=bucket, Key=key, Body=document)
        document = json.dumps(["''' + POINTER + '''", dict(s3BucketName=bucket, s3Key=key)])
    return sqs.send_message(QueueUrl=queue_url, MessageBody=document)
'''},
            # the size counted without encoding: a sum over characters
            {"name": "utf8-length-helper", "code": '''
import itertools

_keys = itertools.count()

def utf8_length(text):
    return sum(1 if ord(c) < 0x80 else 2 if ord(c) < 0x800 else 3 if ord(c) < 0x10000 else 4 for c in text)

def send_document(sqs, s3, queue_url, bucket, document):
    if utf8_length(document) <= 1 << 20:
        sqs.send_message(QueueUrl=queue_url, MessageBody=document)
    else:
        key = f"large/{next(_keys)}.json"
        s3.put_object(Bucket=bucket, Key=key, Body=document.encode("utf-8"), ContentType="application/json")
        pointer = ["''' + POINTER + '''", {"s3BucketName": bucket, "s3Key": key}]
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(pointer))
'''},
            # attributes mark an offloaded message, as the Extended Client does (they count toward the size
            # only of the small pointer message)
            {"name": "pointer-with-attribute", "code": '''
import uuid

def send_document(sqs, s3, queue_url, bucket, document):
    data = document.encode()
    if len(data) > 1024 * 1024:
        key = uuid.uuid4().hex
        s3.put_object(Bucket=bucket, Key=key, Body=data)
        sqs.send_message(QueueUrl=queue_url,
                         MessageBody=json.dumps(["''' + POINTER + '''", {"s3BucketName": bucket, "s3Key": key}]),
                         MessageAttributes={"ExtendedPayloadSize": {"DataType": "Number", "StringValue": str(len(data))}})
    else:
        sqs.send_message(QueueUrl=queue_url, MessageBody=document)
'''},
        ],
    },
}


#: requirements no plausible wrong answer reaches (defence in depth), each with the reason
SAFETY_NETS = {
    "sqs-2/consumer-runs": ("the simulated event source mapping catches every exception a handler raises; the "
        "check's direct calls of the handler catch the rest first"),
    "sqs-3/no-duplicates-when-slow": ("the run lasts 3x the function timeout and visibility-at-least-6x is judged first, so "
        "no message can reappear"),
    "sqs-4/retries-before-dlq": ("max-receive-count is judged first, and SQS moves the message after exactly that many "
        "receives; a message left in the source fails poison-reaches-dlq first"),
}
