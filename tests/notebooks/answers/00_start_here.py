"""Answers for 00_start_here (format: tests/notebooks/conftest.py)."""

ANSWERS = {
    "start-1-answer": {
        "check": "start-1",
        "wrong": [
            {"name": "returns-name", "requirement": "start-1/returns-queue-url", "message": "not its URL",
             "code": '''
def create_first_queue(sqs):
    sqs.create_queue(QueueName="hello")
    return "hello"
'''},
            {"name": "other-name", "requirement": "start-1/queue-exists", "message": "there is no queue named 'hello'",
             "code": '''
def create_first_queue(sqs):
    return sqs.create_queue(QueueName="hello-queue")["QueueUrl"]
'''},
            # the first URL of list_queues: the demo queue an earlier cell left
            {"name": "first-listed-url", "requirement": "start-1/returns-queue-url", "message": "not the URL of queue",
             "code": '''
def create_first_queue(sqs):
    sqs.create_queue(QueueName="hello")
    return sqs.list_queues()["QueueUrls"][0]
'''},
            # "start clean": deleting and re-creating loses the messages of a re-run
            {"name": "recreate-on-rerun", "requirement": "start-1/idempotent", "message": "emptied the queue",
             "code": '''
def create_first_queue(sqs):
    try:
        sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName="hello")["QueueUrl"])
    except sqs.exceptions.QueueDoesNotExist:
        pass
    return sqs.create_queue(QueueName="hello")["QueueUrl"]
'''},
            {"name": "delay-queue", "requirement": "start-1/delivers-messages", "message": "could not be received at once",
             "code": '''
def create_first_queue(sqs):
    return sqs.create_queue(QueueName="hello", Attributes={"DelaySeconds": "900"})["QueueUrl"]
'''},
        ],
        "alternative": [
            {"name": "get-url-after-create", "code": '''
def create_first_queue(sqs):
    sqs.create_queue(QueueName="hello", Attributes={"VisibilityTimeout": "30"})
    return sqs.get_queue_url(QueueName="hello")["QueueUrl"]
'''},
            {"name": "reuse-if-exists", "code": '''
def create_first_queue(sqs):
    try:
        return sqs.get_queue_url(QueueName="hello")["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        return sqs.create_queue(QueueName="hello")["QueueUrl"]
'''},
            {"name": "response-variable", "code": '''
def create_first_queue(sqs):
    name = "hello"
    response = sqs.create_queue(QueueName=name, Attributes={"MessageRetentionPeriod": "345600"})
    url = response.get("QueueUrl")
    return url
'''},
        ],
    },
}
