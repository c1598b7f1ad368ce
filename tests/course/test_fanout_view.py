"""The fan-out graph: edges, filter verdicts that agree with real delivery, and its widget."""

import json

from course.views.fanout import FanoutGraph


def build(cloud):
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    topic = sns.create_topic(Name="orders")["TopicArn"]
    queues = {}
    for name, policy in (("billing", None), ("eu", {"region": ["EU"]}), ("big", {"amount": [{"numeric": [">=", 1000]}]})):
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        attributes = {"FilterPolicy": json.dumps(policy)} if policy else {}
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes=attributes)
        queues[name] = url
    return sns, sqs, topic, queues


def test_trace_agrees_with_what_sns_delivers(cloud):
    sns, sqs, topic, queues = build(cloud)
    graph = FanoutGraph(cloud, topic)
    attributes = {"region": "EU", "amount": 200}
    traced = {e.endpoint.rsplit(":", 1)[-1]: e.delivered for e in graph.trace("order", attributes)}
    assert traced == {"billing": True, "eu": True, "big": False}
    sns.publish(TopicArn=topic, Message="order", MessageAttributes={
        "region": {"DataType": "String", "StringValue": "EU"}, "amount": {"DataType": "Number", "StringValue": "200"}})
    delivered = {name: bool(sqs.receive_message(QueueUrl=url).get("Messages")) for name, url in queues.items()}
    assert delivered == traced


def test_html_and_widget(cloud):
    _, _, topic, _ = build(cloud)
    graph = FanoutGraph(cloud, topic)
    graph.trace('{"x": 1}', {"amount": 5000})
    page = graph.to_html()
    assert page.count("<tr>") == 3 and "do not match" in page and "no filter" in page
    box = graph.widget()
    box.children[0].children[2].click()
    assert "course-fanout" in box.children[1].value
