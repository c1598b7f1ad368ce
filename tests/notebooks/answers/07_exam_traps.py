"""Answers for 07_exam_traps (format: tests/notebooks/conftest.py): per exercise, a plausible wrong
answer with the lesson its check must show, and a correct answer written differently."""

ANSWERS = {
    "trap-1-answer": {
        "check": "trap-1",
        # the classic confusion: one failure sends the message to the DLQ
        "wrong": '''
def crash_answer():
    return {"B"}
''',
        "message": "only after it has been received more than maxReceiveCount times",
        "alternative": '''
def crash_answer():
    return "c"
''',
    },
    "trap-2-answer": {
        "check": "trap-2",
        # visibility = function timeout: enough for one run, not for Lambda's retries
        "wrong": '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": str(function_timeout)})
''',
        "message": "not six times",
        "alternative": '''
def configure_for_lambda(sqs, queue_url, function_timeout):
    visibility = min(12 * 3600, function_timeout * 10)
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=dict(VisibilityTimeout=f"{visibility}"))
''',
    },
    "trap-3-answer": {
        "check": "trap-3",
        # batched, but short polling: an idle loop pays for empty receives
        "wrong": '''
def receive_batch(sqs, queue_url):
    return sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
''',
        "message": "every one billed, every one empty",
        "alternative": '''
_long_polling = set()

def receive_batch(sqs, queue_url):
    if queue_url not in _long_polling:   # long polling for every consumer of the queue
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"ReceiveMessageWaitTimeSeconds": "20"})
        _long_polling.add(queue_url)
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
    return list(response.get("Messages") or [])
''',
    },
    "trap-4-answer": {
        "check": "trap-4",
        # a per-message timer on a FIFO queue
        "wrong": '''
def mechanisms():
    return {1: "delay queue", 2: "message timer", 3: "visibility timeout", 4: "message timer"}
''',
        "message": "FIFO queues have no per-message timers",
        "alternative": '''
def mechanisms():
    answers = ["Delay queue", "Message timer", "Visibility timeout", "Delay queue"]
    return {str(number): answer for number, answer in enumerate(answers, start=1)}
''',
    },
    "trap-5-answer": {
        "check": "trap-5",
        # a standard DLQ for a FIFO queue
        "wrong": '''
def create_fifo_queue(sqs, name, max_receive_count):
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(QueueName=f"{name}.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})})["QueueUrl"]
    return queue_url, dlq_url
''',
        "message": "must be the same type as its source queue",
        "alternative": '''
def create_fifo_queue(sqs, name, max_receive_count):
    fifo = {"FifoQueue": "true"}
    queue_url = sqs.create_queue(QueueName=name + ".fifo", Attributes={**fifo, "ContentBasedDeduplication": "true"})["QueueUrl"]
    dlq_url = sqs.create_queue(QueueName="dead-" + name + ".fifo", Attributes=fifo)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["All"])["Attributes"]["QueueArn"]
    redrive = '{"deadLetterTargetArn": "%s", "maxReceiveCount": "%d"}' % (dlq_arn, max_receive_count)
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"RedrivePolicy": redrive})
    return [queue_url, dlq_url]
''',
    },
    "trap-6-answer": {
        "check": "trap-6",
        # the last message to arrive wins
        "wrong": '''
def make_handler(store):
    def handler(event, context):
        for record in event["Records"]:
            update = json.loads(record["body"])
            store[update["order_id"]] = update
    return handler
''',
        "message": "ordering is best effort",
        "alternative": '''
def make_handler(store):
    def handler(event, context):
        updates = sorted((json.loads(r["body"]) for r in event["Records"]), key=lambda u: u["version"])
        for update in updates:
            order = update["order_id"]
            store[order] = max(store.get(order, update), update, key=lambda u: u["version"])
        return {"batchItemFailures": []}
    return handler
''',
    },
    "trap-7-answer": {
        "check": "trap-7",
        # measures characters, not bytes
        "wrong": '''
import uuid

def send_large(sqs, s3, queue_url, bucket, payload):
    if len(payload) <= 1024 * 1024:
        sqs.send_message(QueueUrl=queue_url, MessageBody=payload)
        return
    key = str(uuid.uuid4())
    s3.put_object(Bucket=bucket, Key=key, Body=payload.encode("utf-8"))
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(
        ["software.amazon.payloadoffloading.PayloadS3Pointer", {"s3BucketName": bucket, "s3Key": key}]))
''',
        "message": "not characters",
        "alternative": '''
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
''',
    },
    "trap-8-answer": {
        "check": "trap-8",
        # SNS keeping messages for late subscribers
        "wrong": '''
def push_pull_answer():
    return {"B", "D"}
''',
        "message": "Standard topics do not store messages",
        "alternative": '''
def push_pull_answer():
    return ["c", "b"]
''',
    },
    "trap-9-answer": {
        "check": "trap-9",
        # one rule, seven targets
        "wrong": '''
def route_to_all(events, bus_name, queue_arns):
    events.put_rule(Name="order-placed", EventBusName=bus_name,
                    EventPattern=json.dumps({"source": ["com.shop.orders"], "detail-type": ["OrderPlaced"]}))
    events.put_targets(Rule="order-placed", EventBusName=bus_name,
                       Targets=[{"Id": str(i), "Arn": arn} for i, arn in enumerate(queue_arns)])
''',
        "message": "at most 5",
        # one rule whose single target is an SNS topic that fans out to every queue
        "alternative": '''
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
''',
    },
    "trap-10-answer": {
        "check": "trap-10",
        # days where the API wants hours
        "wrong": '''
def keep_for_a_year(kinesis, stream_name):
    kinesis.increase_stream_retention_period(StreamName=stream_name, RetentionPeriodHours=365)
''',
        "message": "counts hours, not days",
        "alternative": '''
from datetime import timedelta

def keep_for_a_year(kinesis, stream_name):
    hours = int(timedelta(days=365) / timedelta(hours=1))
    kinesis.increase_stream_retention_period(StreamName=stream_name, RetentionPeriodHours=hours)
''',
    },
    "trap-11-answer": {
        "check": "trap-11",
        # Firehose for a 200 ms requirement
        "wrong": '''
def choose_services():
    return {1: "Kinesis Data Streams", 2: "SQS", 3: "Firehose", 4: "Firehose", 5: "EventBridge",
            6: "SNS", 7: "SQS FIFO"}
''',
        "message": "near-real-time",
        "alternative": '''
def choose_services():
    names = ["kinesis-data-streams", "sqs", "firehose", "kinesis data streams", "eventbridge", "sns", "sqs_fifo"]
    return dict(zip(range(1, 8), names))
''',
    },
}
