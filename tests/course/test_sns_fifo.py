"""FIFO topics deduplicate for 5 minutes and pass the id to FIFO queues (course.aws.sns.fifo)."""

import json


def fanout(cloud, content_based=True):
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    attributes = {"FifoTopic": "true", "ContentBasedDeduplication": str(content_based).lower()}
    topic = sns.create_topic(Name="orders.fifo", Attributes=attributes)["TopicArn"]
    queues = {}
    for name, queue_attributes in (("ordered.fifo", {"FifoQueue": "true"}), ("analytics", {})):
        url = sqs.create_queue(QueueName=name, Attributes=queue_attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
        queues[name] = url
    return sns, sqs, topic, queues


def bodies(sqs, url):
    return [json.loads(m["Body"])["Message"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])]


def test_duplicate_publish_is_dropped_for_every_subscriber(cloud):
    sns, sqs, topic, queues = fanout(cloud)
    for body in ("e0", "e1", "e0"):
        sns.publish(TopicArn=topic, Message=body, MessageGroupId="g")
    assert bodies(sqs, queues["ordered.fifo"]) == ["e0", "e1"]
    assert bodies(sqs, queues["analytics"]) == ["e0", "e1"]  # FIFO topics deliver to standard queues too


def test_explicit_deduplication_id_and_the_window(cloud):
    sns, sqs, topic, queues = fanout(cloud, content_based=False)
    sns.publish(TopicArn=topic, Message="pay", MessageGroupId="g", MessageDeduplicationId="p-1")
    sns.publish(TopicArn=topic, Message="pay again", MessageGroupId="g", MessageDeduplicationId="p-1")
    cloud.advance(301)
    sns.publish(TopicArn=topic, Message="pay later", MessageGroupId="g", MessageDeduplicationId="p-1")
    assert bodies(sqs, queues["analytics"]) == ["pay", "pay later"]
