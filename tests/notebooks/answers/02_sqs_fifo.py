"""Answers for 02_sqs_fifo (format: tests/notebooks/conftest.py)."""

ANSWERS = {
    "fifo-1-answer": {
        "check": "fifo-1",
        # forgets content-based deduplication
        "wrong": '''
def create_fifo_queue(sqs, name):
    return sqs.create_queue(QueueName=name + ".fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
''',
        "message": "content-based deduplication is off",
        "alternative": '''
def create_fifo_queue(sqs, name):
    url = sqs.create_queue(QueueName=f"{name}.fifo", Attributes=dict(FifoQueue="true"))["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"ContentBasedDeduplication": "true"})
    return url
''',
    },
    "fifo-2-answer": {
        "check": "fifo-2",
        # one group for everything: ordered, but no parallelism
        "wrong": '''
def send_order_events(sqs, queue_url, events):
    for event in events:
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(event), MessageGroupId="orders")
''',
        "message": "processed one at a time",
        "alternative": '''
def send_order_events(sqs, queue_url, events):
    entries = [{"Id": str(n), "MessageBody": json.dumps(e), "MessageGroupId": "order-" + e["order_id"]}
               for n, e in enumerate(events)]
    for start in range(0, len(entries), 10):
        sqs.send_message_batch(QueueUrl=queue_url, Entries=entries[start:start + 10])
''',
    },
    "fifo-3-answer": {
        "check": "fifo-3",
        # a fresh id per attempt defeats deduplication
        "wrong": '''
import uuid

def send_payment(sqs, queue_url, payment):
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(payment),
                     MessageGroupId=payment["payment_id"], MessageDeduplicationId=str(uuid.uuid4()))
''',
        "message": "A random id per send defeats it",
        "alternative": '''
import hashlib

def send_payment(sqs, queue_url, payment):
    dedup = hashlib.sha256(payment["payment_id"].encode()).hexdigest()
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(payment, sort_keys=True),
                     MessageGroupId="payments-" + payment["payment_id"], MessageDeduplicationId=dedup)
''',
    },
    "fifo-4-answer": {
        "check": "fifo-4",
        # batching alone, whatever the rate
        "wrong": '''
def design_fifo_queue(sqs, name, messages_per_second):
    sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})
    return {"batching": True, "high_throughput": False}
''',
        "message": "high-throughput mode",
        "alternative": '''
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
''',
    },
    "fifo-5-answer": {
        "check": "fifo-5",
        # a standard DLQ for a FIFO queue: AWS refuses
        "wrong": '''
def add_fifo_dlq(sqs, source_url, max_receive_count):
    name = source_url.rsplit("/", 1)[-1].replace(".fifo", "-dlq")
    dlq_url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": max_receive_count})})
    return dlq_url
''',
        "message": "AWS refused",
        "alternative": '''
def add_fifo_dlq(sqs, source_url, max_receive_count):
    arn = sqs.get_queue_attributes(QueueUrl=source_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    dlq_name = "dead-" + arn.rsplit(":", 1)[1]
    dlq_url = sqs.create_queue(QueueName=dlq_name, Attributes={"FifoQueue": "true"})["QueueUrl"]
    dlq_arn = arn.rsplit(":", 1)[0] + ":" + dlq_name
    redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive_count)}
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={"RedrivePolicy": json.dumps(redrive)})
    return dlq_url
''',
    },
    "fifo-6-answer": {
        "check": "fifo-6",
        # reports only the failed record, the standard-queue habit
        "wrong": '''
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
''',
        "message": "order broken",
        "alternative": '''
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
''',
    },
}
