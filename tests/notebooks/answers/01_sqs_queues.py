"""Answers for 01_sqs_queues: a plausible wrong answer (and the lesson its check must teach) and an
alternative correct answer, per exercise. Loaded by the nbgrader round-trip tests."""

ANSWERS = {
    "sqs-1-answer": {
        "check": "sqs-1",
        # hours instead of days: a plausible unit slip
        "wrong": '''
def create_queue_with_retention(sqs, name, retention_days):
    return sqs.create_queue(QueueName=name, Attributes={"MessageRetentionPeriod": str(retention_days * 3600)})["QueueUrl"]
''',
        "message": "must keep them for",
        "alternative": '''
from datetime import timedelta

def create_queue_with_retention(sqs, name, retention_days):
    sqs.create_queue(QueueName=name)
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    period = int(timedelta(days=retention_days).total_seconds())
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"MessageRetentionPeriod": f"{period}"})
    return url
''',
    },
    "sqs-2-answer": {
        "check": "sqs-2",
        # dedupes by MessageId: survives redelivery, not the producer's retry
        "wrong": '''
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
''',
        "message": "charged more than once",
        "alternative": '''
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
''',
    },
    "sqs-3-answer": {
        "check": "sqs-3",
        "wrong": '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": str(function_timeout)})
''',
        "message": "not six times",
        "alternative": '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    twelve_hours = 12 * 60 * 60
    visibility = min(twelve_hours, function_timeout * 8)
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=dict(VisibilityTimeout=str(visibility)))
''',
    },
    "sqs-4-answer": {
        "check": "sqs-4",
        # forgets the DLQ's retention: default 4 days, same as the source
        "wrong": '''
def add_dead_letter_queue(sqs, source_url, max_receive_count):
    name = source_url.rsplit("/", 1)[-1]
    fifo = name.endswith(".fifo")
    dlq_name = (name[:-5] + "-dlq.fifo") if fifo else name + "-dlq"
    dlq_url = sqs.create_queue(QueueName=dlq_name, Attributes={"FifoQueue": "true"} if fifo else {})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": max_receive_count})})
    return dlq_url
''',
        "message": "no longer than the source",
        "alternative": '''
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
''',
    },
    "sqs-5-answer": {
        "check": "sqs-5",
        # confuses the visibility timeout with the wait time
        "wrong": '''
def enable_long_polling(sqs, queue_url):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": "20"})
''',
        "message": "short polling",
        "alternative": '''
def enable_long_polling(sqs, queue_url):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"ReceiveMessageWaitTimeSeconds": "10"})
''',
    },
    "sqs-6-answer": {
        "check": "sqs-6",
        # batches correctly but ignores the Failed list of a 200 response
        "wrong": '''
def send_in_batches(sqs, queue_url, bodies):
    for start in range(0, len(bodies), 10):
        chunk = bodies[start:start + 10]
        sqs.send_message_batch(QueueUrl=queue_url,
                               Entries=[{"Id": str(i), "MessageBody": b} for i, b in enumerate(chunk)])
''',
        "message": "SendMessageBatch answers HTTP 200",
        "alternative": '''
def send_in_batches(sqs, queue_url, bodies):
    todo = list(enumerate(bodies))
    while todo:
        batch, todo = todo[:10], todo[10:]
        response = sqs.send_message_batch(
            QueueUrl=queue_url, Entries=[{"Id": f"m{n}", "MessageBody": body} for n, body in batch])
        failed = {entry["Id"] for entry in response.get("Failed", [])}
        todo = [(n, body) for n, body in batch if f"m{n}" in failed] + todo
''',
    },
    "sqs-7-answer": {
        "check": "sqs-7",
        # receives everything, never deletes (a long visibility timeout hides the bug for a while)
        "wrong": '''
def drain(sqs, queue_url):
    bodies = []
    while True:
        got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=600).get("Messages", [])
        if not got:
            return bodies
        bodies += [m["Body"] for m in got]
''',
        "message": "received but not deleted",
        "alternative": '''
def drain(sqs, queue_url):
    drained = []
    batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    while batch:
        entries = [dict(Id=m["MessageId"], ReceiptHandle=m["ReceiptHandle"]) for m in batch]
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
        drained += [m["Body"] for m in batch]
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    return drained
''',
    },
    "sqs-8-answer": {
        "check": "sqs-8",
        # a delay queue instead of a message timer
        "wrong": '''
def send_reminder(sqs, queue_url, body, delay_seconds):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"DelaySeconds": str(delay_seconds)})
    sqs.send_message(QueueUrl=queue_url, MessageBody=body)
''',
        "message": "every message on it is delayed",
        "alternative": '''
def send_reminder(sqs, queue_url, body, delay_seconds):
    sqs.send_message_batch(QueueUrl=queue_url, Entries=[
        {"Id": "reminder", "MessageBody": body, "DelaySeconds": delay_seconds}])
''',
    },
    "sqs-9-answer": {
        "check": "sqs-9",
        # ignores the size limit
        "wrong": '''
def send_document(sqs, s3, queue_url, bucket, document):
    sqs.send_message(QueueUrl=queue_url, MessageBody=document)
''',
        "message": "AWS refused",
        "alternative": '''
import hashlib

def send_document(sqs, s3, queue_url, bucket, document):
    limit = 256 * 1024            # offload early: a stricter threshold is still correct
    if len(document.encode()) < limit:
        return sqs.send_message(QueueUrl=queue_url, MessageBody=document)
    key = "docs/" + hashlib.sha256(document.encode()).hexdigest()
    s3.put_object(Bucket=bucket, Key=key, Body=document)
    body = json.dumps(["software.amazon.payloadoffloading.PayloadS3Pointer", dict(s3BucketName=bucket, s3Key=key)])
    return sqs.send_message(QueueUrl=queue_url, MessageBody=body)
''',
    },
}
