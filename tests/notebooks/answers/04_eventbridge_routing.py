"""Answers for 04_eventbridge_routing (format: tests/notebooks/conftest.py)."""

ANSWERS = {
    "ev-1-answer": {
        "check": "ev-1",
        # >= instead of >, and the EU rule limited to the shop's orders
        "wrong": '''
def route_orders(events, bus_name, approvals_arn, eu_arn):
    events.put_rule(Name="big", EventBusName=bus_name, EventPattern=json.dumps(
        {"source": ["com.shop.orders"], "detail-type": ["OrderPlaced"], "detail": {"amount": [{"numeric": [">=", 500]}]}}))
    events.put_targets(Rule="big", EventBusName=bus_name, Targets=[{"Id": "q", "Arn": approvals_arn}])
    events.put_rule(Name="eu", EventBusName=bus_name, EventPattern=json.dumps(
        {"source": ["com.shop.orders"], "detail": {"region": ["EU"]}}))
    events.put_targets(Rule="eu", EventBusName=bus_name, Targets=[{"Id": "q", "Arn": eu_arn}])
''',
        "message": "a 500 order from the EU: expected ['eu'], went to ['approvals', 'eu']",
        "alternative": '''
def route_orders(events, bus_name, approvals_arn, eu_arn):
    big = {"detail": {"amount": [{"numeric": [">", 500]}]}, "source": ["com.shop.orders"],
           "detail-type": [{"equals-ignore-case": "orderplaced"}]}
    eu = {"$or": [{"detail": {"region": ["EU"]}}, {"detail": {"region": [{"prefix": "EU"}]}}]}
    for name, pattern, arn in (("approvals", big, approvals_arn), ("europe", eu, eu_arn)):
        events.put_rule(Name=name, EventBusName=bus_name, EventPattern=json.dumps(pattern), State="ENABLED")
        events.put_targets(Rule=name, EventBusName=bus_name, Targets=[{"Id": name + "-target", "Arn": arn}])
''',
    },
    "ev-2-answer": {
        "check": "ev-2",
        # prefix without the dot lets com.shopify in
        "wrong": '''
def customer_events_pattern():
    return {"source": [{"prefix": "com.shop"}], "detail-type": [{"anything-but": ["Heartbeat"]}],
            "detail": {"customer": {"id": [{"exists": True}]}}}
''',
        "message": "com.shopify: matched, should not match",
        "alternative": '''
def customer_events_pattern():
    return {"source": [{"wildcard": "com.shop.*"}],
            "detail-type": [{"anything-but": {"prefix": "Heartbeat"}}],
            "detail": {"customer": {"id": [{"exists": True}]}}}
''',
    },
    "ev-3-answer": {
        "check": "ev-3",
        # the total quoted: a string, not a number
        "wrong": '''
def add_notification_target(events, bus_name, rule_name, queue_arn):
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[{"Id": "n", "Arn": queue_arn, "InputTransformer": {
        "InputPathsMap": {"o": "$.detail.order_id", "t": "$.detail.amount", "c": "$.detail.customer.email"},
        "InputTemplate": '{"order": <o>, "total": "<t>", "customer": <c>}'}}])
''',
        "message": "numbers stay numbers",
        "alternative": '''
def add_notification_target(events, bus_name, rule_name, queue_arn):
    paths = dict(id="$.detail.order_id", amount="$.detail.amount", mail="$.detail.customer.email")
    template = '{"customer": <mail>, "order": "<id>", "total": <amount>}'
    target = dict(Id="notifications", Arn=queue_arn, InputTransformer=dict(InputPathsMap=paths, InputTemplate=template))
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[target])
''',
    },
    "ev-4-answer": {
        "check": "ev-4",
        # no RoleArn on the stream target: PutTargets refuses it
        "wrong": '''
def add_targets(events, bus_name, rule_name, stream_arn, topic_arn, role_arn):
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[
        {"Id": "audit", "Arn": stream_arn, "KinesisParameters": {"PartitionKeyPath": "$.detail.order_id"}},
        {"Id": "alerts", "Arn": topic_arn}])
''',
        "message": "it has no RoleArn",
        "alternative": '''
def add_targets(events, bus_name, rule_name, stream_arn, topic_arn, role_arn):
    events.put_targets(Rule=rule_name, EventBusName=bus_name,
                       Targets=[{"Id": "t1", "Arn": topic_arn}])
    events.put_targets(Rule=rule_name, EventBusName=bus_name,
                       Targets=[{"Id": "t2", "Arn": stream_arn, "RoleArn": role_arn,
                                 "KinesisParameters": {"PartitionKeyPath": "$.detail.order_id"}}])
''',
    },
    "ev-5-answer": {
        "check": "ev-5",
        # replays everything since the beginning: duplicates of processed events
        "wrong": '''
from datetime import datetime, timezone

def replay_outage(events, archive_arn, bus_arn, start, end):
    events.start_replay(ReplayName="everything", EventSourceArn=archive_arn,
                        EventStartTime=datetime(2000, 1, 1, tzinfo=timezone.utc), EventEndTime=cloud.now(),
                        Destination={"Arn": bus_arn})
    return "everything"
''',
        "message": "were not lost",
        "alternative": '''
def replay_outage(events, archive_arn, bus_arn, start, end):
    response = events.start_replay(ReplayName="fix-1", EventSourceArn=archive_arn,
                                   EventStartTime=start.timestamp(), EventEndTime=end.timestamp(),
                                   Destination=dict(Arn=bus_arn))
    return response["ReplayArn"].split("/")[-1]
''',
    },
    "ev-6-answer": {
        "check": "ev-6",
        # no retry policy: the defaults (24 h, 185 attempts) apply
        "wrong": '''
def configure_delivery(events, bus_name, rule_name, target_arn):
    url = sqs.create_queue(QueueName=rule_name + "-dlq")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[
        {"Id": "billing", "Arn": target_arn, "DeadLetterConfig": {"Arn": arn}}])
''',
        "message": "24 hours and 185 attempts",
        "alternative": '''
def configure_delivery(events, bus_name, rule_name, target_arn):
    queues = cloud.client("sqs")
    dlq = queues.create_queue(QueueName="failed-billing-events")["QueueUrl"]
    arn = queues.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]["QueueArn"]
    # the console's form: any principal, but only on behalf of rules of this bus
    queues.set_queue_attributes(QueueUrl=dlq, Attributes={"Policy": json.dumps({"Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "SQS:SendMessage", "Resource": arn,
        "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:events:*:*:rule/{bus_name}/*"}}}]})})
    target = {"Id": "billing-queue", "Arn": target_arn, "DeadLetterConfig": {"Arn": arn},
              "RetryPolicy": {"MaximumRetryAttempts": 10, "MaximumEventAgeInSeconds": 120 * 60}}
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[target])
''',
    },
}
