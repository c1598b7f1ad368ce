"""Answers for 02_sqs_fifo (format: tests/notebooks/conftest.py): per answer cell, plausible wrong
answers (each naming the requirement its check must report) and correct answers written differently."""

ANSWERS = {
    "fifo-1-answer": {
        "check": "fifo-1",
        "wrong": [
            {"name": "no-content-dedup", "requirement": "fifo-1/content-based-dedup",
             "message": "content-based deduplication is off", "code": '''
def create_fifo_queue(sqs, name):
    return sqs.create_queue(QueueName=name + ".fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
'''},
            # the name says FIFO, the attributes do not
            {"name": "suffix-without-attribute", "requirement": "fifo-1/fifo-queue", "message": "FifoQueue='true'",
             "code": '''
def create_fifo_queue(sqs, name):
    return sqs.create_queue(QueueName=name + ".fifo",
                            Attributes={"ContentBasedDeduplication": "true"})["QueueUrl"]
'''},
            {"name": "returns-name", "requirement": "fifo-1/returns-queue-url", "message": "not its URL", "code": '''
def create_fifo_queue(sqs, name):
    sqs.create_queue(QueueName=f"{name}.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"})
    return f"{name}.fifo"
'''},
            # the visible test's name hard-coded
            {"name": "hard-coded-name", "requirement": "fifo-1/queue-exists", "message": "there is no queue named",
             "code": '''
def create_fifo_queue(sqs, name):
    return sqs.create_queue(QueueName="payments.fifo", Attributes={"FifoQueue": "true",
                                                                   "ContentBasedDeduplication": "true"})["QueueUrl"]
'''},
        ],
        "alternative": [
            {"name": "dedup-after-create", "code": '''
def create_fifo_queue(sqs, name):
    url = sqs.create_queue(QueueName=f"{name}.fifo", Attributes=dict(FifoQueue="true"))["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"ContentBasedDeduplication": "true"})
    return url
'''},
            {"name": "get-url-and-more-attributes", "code": '''
def create_fifo_queue(sqs, name):
    queue_name = name + ".fifo"
    sqs.create_queue(QueueName=queue_name, Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true", "VisibilityTimeout": "60",
        "DeduplicationScope": "queue", "FifoThroughputLimit": "perQueue"})
    return sqs.get_queue_url(QueueName=queue_name)["QueueUrl"]
'''},
            {"name": "high-throughput-mode", "code": '''
def create_fifo_queue(sqs, name):
    attributes = {"FifoQueue": "true", "ContentBasedDeduplication": "true",
                  "DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"}
    return sqs.create_queue(QueueName=name + ".fifo", Attributes=attributes).get("QueueUrl")
'''},
        ],
    },
    "fifo-2-answer": {
        "check": "fifo-2",
        "wrong": [
            # one group for everything: ordered, but no parallelism
            {"name": "one-group", "requirement": "fifo-2/groups-in-parallel", "message": "processed one at a time",
             "code": '''
def send_order_events(sqs, queue_url, events):
    for event in events:
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(event), MessageGroupId="orders")
'''},
            # a group per kind of event: an order's events in several groups
            {"name": "group-per-event-kind", "requirement": "fifo-2/group-per-order",
             "message": "in different message groups", "code": '''
def send_order_events(sqs, queue_url, events):
    for event in events:
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(event), MessageGroupId=event["event"])
'''},
            # the order id as deduplication id: an order's later events are dropped
            {"name": "order-id-as-dedup-id", "requirement": "fifo-2/one-message-per-event",
             "message": "deduplication id", "code": '''
def send_order_events(sqs, queue_url, events):
    for event in events:
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(event), MessageGroupId=event["order_id"],
                         MessageDeduplicationId=event["order_id"])
'''},
            # sorted to "group" the events: the event names' alphabet is not their order
            {"name": "sorted-events", "requirement": "fifo-2/order-kept", "message": "another order than they happened",
             "code": '''
def send_order_events(sqs, queue_url, events):
    for event in sorted(events, key=lambda e: (e["order_id"], e["event"])):
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(event), MessageGroupId=event["order_id"])
'''},
            {"name": "python-repr-body", "requirement": "fifo-2/events-as-json", "message": "not the event as JSON",
             "code": '''
def send_order_events(sqs, queue_url, events):
    for event in events:
        sqs.send_message(QueueUrl=queue_url, MessageBody=str(event), MessageGroupId=event["order_id"])
'''},
        ],
        "alternative": [
            {"name": "batches-prefixed-groups", "code": '''
def send_order_events(sqs, queue_url, events):
    entries = [{"Id": str(n), "MessageBody": json.dumps(e), "MessageGroupId": "order-" + e["order_id"]}
               for n, e in enumerate(events)]
    for start in range(0, len(entries), 10):
        sqs.send_message_batch(QueueUrl=queue_url, Entries=entries[start:start + 10])
'''},
            # an explicit deduplication id per event (position + order)
            {"name": "explicit-dedup-ids", "code": '''
def send_order_events(sqs, queue_url, events):
    for position, event in enumerate(events):
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(event, sort_keys=True),
                         MessageGroupId=event["order_id"],
                         MessageDeduplicationId=f"{event['order_id']}-{position}")
'''},
            # grouped per order first (order within each order kept), one batch per order
            {"name": "batch-per-order", "code": '''
from collections import defaultdict

def send_order_events(sqs, queue_url, events):
    per_order = defaultdict(list)
    for event in events:
        per_order[event["order_id"]].append(event)
    for order_id, steps in per_order.items():
        for start in range(0, len(steps), 10):
            sqs.send_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": f"e{n}", "MessageBody": json.dumps(step), "MessageGroupId": order_id}
                for n, step in enumerate(steps[start:start + 10])])
'''},
        ],
    },
    "fifo-3-answer": {
        "check": "fifo-3",
        "wrong": [
            # a fresh id per attempt defeats deduplication
            {"name": "random-dedup-id", "requirement": "fifo-3/retries-dropped", "message": "A random id per send defeats it",
             "code": '''
import uuid

def send_payment(sqs, queue_url, payment):
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(payment),
                     MessageGroupId=payment["payment_id"], MessageDeduplicationId=str(uuid.uuid4()))
'''},
            # deduplicates on the amount: two customers paying the same are one payment
            {"name": "dedup-on-amount", "requirement": "fifo-3/distinct-payments-arrive", "message": "two payments with the same body",
             "code": '''
def send_payment(sqs, queue_url, payment):
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(payment), MessageGroupId=payment["payment_id"],
                     MessageDeduplicationId=f"amount-{payment['amount']}")
'''},
            {"name": "one-group", "requirement": "fifo-3/group-per-payment", "message": "different payments share a message group",
             "code": '''
def send_payment(sqs, queue_url, payment):
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(payment), MessageGroupId="payments",
                     MessageDeduplicationId=payment["payment_id"])
'''},
            # no deduplication id on a queue without content-based deduplication: AWS refuses
            {"name": "no-dedup-id", "requirement": "fifo-3/answer-accepted-by-aws", "message": "AWS refused",
             "code": '''
def send_payment(sqs, queue_url, payment):
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(payment), MessageGroupId=payment["payment_id"])
'''},
            {"name": "python-repr-body", "requirement": "fifo-3/payment-as-json", "message": "not the payment as JSON",
             "code": '''
def send_payment(sqs, queue_url, payment):
    sqs.send_message(QueueUrl=queue_url, MessageBody=str(payment), MessageGroupId=payment["payment_id"],
                     MessageDeduplicationId=payment["payment_id"])
'''},
            # the producer remembers what it sent (the id only because AWS asks for one): a payment id
            # is never sent again, not even after the 5-minute window
            {"name": "producer-remembers-sent", "requirement": "fifo-3/accepted-after-window",
             "message": "should be accepted again", "code": '''
import uuid

sent_payments = set()

def send_payment(sqs, queue_url, payment):
    if payment["payment_id"] in sent_payments:
        return
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(payment), MessageGroupId=payment["payment_id"],
                     MessageDeduplicationId=str(uuid.uuid4()))
    sent_payments.add(payment["payment_id"])
'''},
        ],
        "alternative": [
            {"name": "hashed-id-prefixed-group", "code": '''
import hashlib

def send_payment(sqs, queue_url, payment):
    dedup = hashlib.sha256(payment["payment_id"].encode()).hexdigest()
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(payment, sort_keys=True),
                     MessageGroupId="payments-" + payment["payment_id"], MessageDeduplicationId=dedup)
'''},
            {"name": "batch-of-one", "code": '''
def send_payment(sqs, queue_url, payment):
    pid = str(payment["payment_id"])
    response = sqs.send_message_batch(QueueUrl=queue_url, Entries=[{
        "Id": "payment", "MessageBody": json.dumps(payment), "MessageGroupId": pid,
        "MessageDeduplicationId": f"payment-{pid}"}])
    assert not response.get("Failed"), response["Failed"]
'''},
            # an id that spells out the business key, the body compact
            {"name": "kwargs-compact-body", "code": '''
def send_payment(sqs, queue_url, payment):
    request = dict(QueueUrl=queue_url, MessageBody=json.dumps(payment, separators=(",", ":")),
                   MessageGroupId=payment["payment_id"], MessageDeduplicationId="pay:" + payment["payment_id"])
    return sqs.send_message(**request).get("MessageId")
'''},
        ],
    },
    "fifo-4-answer": {
        "check": "fifo-4",
        "wrong": [
            # batching alone, whatever the rate
            {"name": "always-batching", "requirement": "fifo-4/high-throughput-when-needed", "message": "high-throughput mode",
             "code": '''
def design_fifo_queue(sqs, name, messages_per_second):
    sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})
    return {"batching": True, "high_throughput": False}
'''},
            # >= where the exercise says "up to": exactly 300 and 3,000 get the bigger design
            {"name": "at-least-thresholds", "requirement": "fifo-4/simplest-design", "message": "300 messages/s exactly",
             "code": '''
def design_fifo_queue(sqs, name, messages_per_second):
    high = messages_per_second >= 3000
    attributes = {"FifoQueue": "true"}
    if high:
        attributes.update(DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId")
    sqs.create_queue(QueueName=name, Attributes=attributes)
    return {"batching": messages_per_second >= 300, "high_throughput": high}
'''},
            # high-throughput mode instead of batching above 300
            {"name": "high-throughput-instead-of-batching", "requirement": "fifo-4/batching-when-needed",
             "message": "needs batching", "code": '''
def design_fifo_queue(sqs, name, messages_per_second):
    high = messages_per_second > 300
    attributes = {"FifoQueue": "true"}
    if high:
        attributes.update(DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId")
    sqs.create_queue(QueueName=name, Attributes=attributes)
    return {"batching": False, "high_throughput": high}
'''},
            # half of high-throughput mode: the design says yes, the queue says no
            {"name": "one-attribute-only", "requirement": "fifo-4/design-matches-queue", "message": "disagree",
             "code": '''
def design_fifo_queue(sqs, name, messages_per_second):
    high = messages_per_second > 3000
    attributes = {"FifoQueue": "true"}
    if high:
        attributes["DeduplicationScope"] = "messageGroup"
    sqs.create_queue(QueueName=name, Attributes=attributes)
    return {"batching": messages_per_second > 300, "high_throughput": high}
'''},
            {"name": "returns-tuple", "requirement": "fifo-4/returns-design", "message": "it must return",
             "code": '''
def design_fifo_queue(sqs, name, messages_per_second):
    high = messages_per_second > 3000
    attributes = {"FifoQueue": "true"}
    if high:
        attributes.update(DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId")
    sqs.create_queue(QueueName=name, Attributes=attributes)
    return messages_per_second > 300, high
'''},
            # early returns for the simple designs: only the high-throughput path creates the queue
            {"name": "early-returns", "requirement": "fifo-4/queue-exists",
             "message": "there is no queue with the name", "code": '''
def design_fifo_queue(sqs, name, messages_per_second):
    if messages_per_second <= 300:
        return {"batching": False, "high_throughput": False}
    if messages_per_second <= 3000:
        return {"batching": True, "high_throughput": False}
    sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true", "DeduplicationScope": "messageGroup",
                                                 "FifoThroughputLimit": "perMessageGroupId"})
    return {"batching": True, "high_throughput": True}
'''},
        ],
        "alternative": [
            {"name": "attributes-after-create", "code": '''
def design_fifo_queue(sqs, name, messages_per_second):
    if messages_per_second <= 300:
        design = {"batching": False, "high_throughput": False}
    elif messages_per_second <= 3000:
        design = {"batching": True, "high_throughput": False}
    else:
        design = {"batching": True, "high_throughput": True}
    url = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"]
    if design["high_throughput"]:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"DeduplicationScope": "messageGroup"})
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoThroughputLimit": "perMessageGroupId"})
    return design
'''},
            # above 3,000 high-throughput mode alone ("batching too is fine": optional)
            {"name": "high-throughput-without-batching-above-3000", "code": '''
CALLS_PER_SECOND = 300
BATCH = 10

def design_fifo_queue(sqs, name, messages_per_second):
    high = messages_per_second > CALLS_PER_SECOND * BATCH
    batching = CALLS_PER_SECOND < messages_per_second and not high
    attributes = {"FifoQueue": "true", "ContentBasedDeduplication": "true"}
    if high:
        attributes |= {"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"}
    sqs.create_queue(QueueName=name, Attributes=attributes)
    return dict(batching=batching, high_throughput=high)
'''},
            # the explicit per-queue settings of a plain FIFO queue, from a table
            {"name": "table-of-designs", "code": '''
DESIGNS = [
    (300, False, {"DeduplicationScope": "queue", "FifoThroughputLimit": "perQueue"}),
    (3000, True, {"DeduplicationScope": "queue", "FifoThroughputLimit": "perQueue"}),
    (float("inf"), True, {"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"}),
]

def design_fifo_queue(sqs, name, messages_per_second):
    for ceiling, batching, attributes in DESIGNS:
        if messages_per_second <= ceiling:
            sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true", **attributes})
            return {"batching": batching,
                    "high_throughput": attributes["FifoThroughputLimit"] == "perMessageGroupId"}
'''},
        ],
    },
    "fifo-5-answer": {
        "check": "fifo-5",
        "wrong": [
            # a standard DLQ for a FIFO queue: AWS refuses
            {"name": "standard-dlq", "requirement": "fifo-5/dlq-is-fifo", "message": "must be FIFO too", "code": '''
def add_fifo_dlq(sqs, source_url, max_receive_count):
    name = source_url.rsplit("/", 1)[-1].replace(".fifo", "-dlq")
    dlq_url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": max_receive_count})})
    return dlq_url
'''},
            # the ARN ends in .fifo too, but it is not a URL
            {"name": "returns-arn", "requirement": "fifo-5/returns-dlq-url", "message": "not the URL of an existing queue",
             "code": '''
def add_fifo_dlq(sqs, source_url, max_receive_count):
    name = source_url.rsplit("/", 1)[-1][:-5] + "-dlq.fifo"
    dlq_url = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": max_receive_count})})
    return arn
'''},
            {"name": "fixed-two-receives", "requirement": "fifo-5/max-receive-count", "message": "not the max_receive_count",
             "code": '''
def add_fifo_dlq(sqs, source_url, max_receive_count):
    name = source_url.rsplit("/", 1)[-1][:-5] + "-dlq.fifo"
    dlq_url = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 2})})
    return dlq_url
'''},
            # creates the DLQ and returns it, never attaches it
            {"name": "never-attached", "requirement": "fifo-5/targets-returned-dlq", "message": "does not target the queue you returned",
             "code": '''
def add_fifo_dlq(sqs, source_url, max_receive_count):
    name = source_url.rsplit("/", 1)[-1][:-5] + "-dlq.fifo"
    return sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true", "MessageRetentionPeriod": "1209600"})["QueueUrl"]
'''},
            # "redrive" read as a policy both ways: the DLQ gets a RedrivePolicy back to the source
            {"name": "redrive-policy-back-to-source", "requirement": "fifo-5/poison-in-dlq",
             "message": "your DLQ has a RedrivePolicy of its own", "code": '''
def add_fifo_dlq(sqs, source_url, max_receive_count):
    arn = lambda url: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    name = source_url.rsplit("/", 1)[-1][:-5] + "-dlq.fifo"
    dlq_url = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": arn(dlq_url), "maxReceiveCount": max_receive_count})})
    sqs.set_queue_attributes(QueueUrl=dlq_url, Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": arn(source_url), "maxReceiveCount": max_receive_count})})
    return dlq_url
'''},
        ],
        "alternative": [
            {"name": "arn-built-from-source", "code": '''
def add_fifo_dlq(sqs, source_url, max_receive_count):
    arn = sqs.get_queue_attributes(QueueUrl=source_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    dlq_name = "dead-" + arn.rsplit(":", 1)[1]
    dlq_url = sqs.create_queue(QueueName=dlq_name, Attributes={"FifoQueue": "true"})["QueueUrl"]
    dlq_arn = arn.rsplit(":", 1)[0] + ":" + dlq_name
    redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive_count)}
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={"RedrivePolicy": json.dumps(redrive)})
    return dlq_url
'''},
            # the DLQ with content-based deduplication and a redrive-allow policy naming its source
            {"name": "redrive-allow-policy", "code": '''
def add_fifo_dlq(sqs, source_url, max_receive_count):
    source_arn = sqs.get_queue_attributes(QueueUrl=source_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    dlq_url = sqs.create_queue(QueueName=source_url.rsplit("/", 1)[-1].removesuffix(".fifo") + "_dead.fifo",
                               Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=dlq_url, Attributes={"RedriveAllowPolicy": json.dumps(
        {"redrivePermission": "byQueue", "sourceQueueArns": [source_arn]})})
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["All"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={"RedrivePolicy": json.dumps(
        {"maxReceiveCount": max_receive_count, "deadLetterTargetArn": dlq_arn})})
    return dlq_url
'''},
            {"name": "helper-and-get-url", "code": '''
def _queue_arn(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

def add_fifo_dlq(sqs, source_url, max_receive_count):
    name = "dlq-" + source_url.split("/")[-1]
    sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true", "MessageRetentionPeriod": str(14 * 86400)})
    dlq_url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    policy = '{"deadLetterTargetArn": "%s", "maxReceiveCount": %d}' % (_queue_arn(sqs, dlq_url), max_receive_count)
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={"RedrivePolicy": policy})
    return dlq_url
'''},
        ],
    },
    "fifo-6-answer": {
        "check": "fifo-6",
        "wrong": [
            # reports only the failed record, the standard-queue habit
            {"name": "only-the-failed-record", "requirement": "fifo-6/order-kept-after-failure", "message": "order broken",
             "code": '''
def make_fifo_handler(process):
    def handler(event, context):
        failures = []
        for record in event["Records"]:
            try:
                process(record)
            except Exception:
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}
    return handler
'''},
            # raises: Lambda retries the whole batch, processed records included
            {"name": "raises", "requirement": "fifo-6/processed-once", "message": "processed twice", "code": '''
def make_fifo_handler(process):
    def handler(event, context):
        for record in event["Records"]:
            process(record)
        return {"batchItemFailures": []}
    return handler
'''},
            # a batch is taken for one message group: the other groups' records are dropped
            {"name": "first-group-only", "requirement": "fifo-6/every-group-in-order", "message": "group B was processed as",
             "code": '''
def make_fifo_handler(process):
    def handler(event, context):
        records = event["Records"]
        group = records[0]["attributes"]["MessageGroupId"]
        mine = [r for r in records if r["attributes"]["MessageGroupId"] == group]
        for position, record in enumerate(mine):
            try:
                process(record)
            except Exception:
                return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in mine[position:]]}
        return {"batchItemFailures": []}
    return handler
'''},
            # swallows the failure: the failed record is deleted with the batch
            {"name": "swallows-failure", "requirement": "fifo-6/order-kept-after-failure", "message": "it must be a1, a2, a3",
             "code": '''
def make_fifo_handler(process):
    def handler(event, context):
        for record in event["Records"]:
            try:
                process(record)
            except Exception as exc:
                print("failed:", exc)
        return {"batchItemFailures": []}
    return handler
'''},
        ],
        "alternative": [
            {"name": "flag-then-report", "code": '''
def make_fifo_handler(process):
    def handler(event, context):
        failed = []
        for record in event["Records"]:
            if failed:
                failed.append(record["messageId"])
                continue
            try:
                process(record)
            except Exception:
                failed.append(record["messageId"])
        return {"batchItemFailures": [{"itemIdentifier": i} for i in failed]}
    return handler
'''},
            # per group: a failure holds back only the rest of its own group (order kept per group)
            {"name": "per-group-hold-back", "code": '''
def make_fifo_handler(process):
    def handler(event, context):
        blocked, failures = set(), []
        for record in event["Records"]:
            group = record["attributes"]["MessageGroupId"]
            if group in blocked:
                failures.append({"itemIdentifier": record["messageId"]})
                continue
            try:
                process(record)
            except Exception:
                blocked.add(group)
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}
    return handler
'''},
            # the processed ids kept; every other id of the batch is reported; None when all succeed
            {"name": "set-difference", "code": '''
def make_fifo_handler(process):
    def handler(event, context):
        ids = [r["messageId"] for r in event["Records"]]
        done = []
        try:
            for record in event["Records"]:
                process(record)
                done.append(record["messageId"])
        except Exception:
            return {"batchItemFailures": [{"itemIdentifier": i} for i in ids if i not in done]}
        return {"batchItemFailures": []}
    return handler
'''},
        ],
    },
}


#: requirements no plausible wrong answer reaches (defence in depth), each with the reason
SAFETY_NETS = {
    "fifo-1/drops-identical-sends": ("SQS's own deduplication, once fifo-queue and content-based-dedup are judged"),
    "fifo-3/late-retry-dropped": ("breaking it needs a dedup id that stays the same for three instant retries and changes"
        " a minute later: one built from the course clock, which no learner's code reads"),
    "fifo-5/order-kept-in-group": ("once the redrive policy is judged, group order is SQS's behaviour; the check follows "
        "the source's own visibility timeout"),
    "fifo-5/poison-unblocks-group": ("once the redrive policy is judged, the move to the DLQ is SQS's behaviour; the check "
        "follows the source's own visibility timeout"),
}
