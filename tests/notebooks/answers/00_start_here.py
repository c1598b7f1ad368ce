"""Answers for 00_start_here (see tests/notebooks/conftest.py for the format)."""

ANSWERS = {
    "start-1-answer": {
        "check": "start-1",
        # returns the queue's name, the classic first mistake
        "wrong": '''
def create_first_queue(sqs):
    sqs.create_queue(QueueName="hello")
    return "hello"
''',
        "message": "not its URL",
        "alternative": '''
def create_first_queue(sqs):
    sqs.create_queue(QueueName="hello", Attributes={"VisibilityTimeout": "30"})
    return sqs.get_queue_url(QueueName="hello")["QueueUrl"]
''',
    },
}
