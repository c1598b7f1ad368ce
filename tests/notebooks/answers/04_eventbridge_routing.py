"""Answers for 04_eventbridge_routing (format: tests/notebooks/conftest.py): per answer cell, plausible
wrong answers (each naming the requirement its check must report) and correct answers written differently."""


def _routes(big: str, eu: str, *, swap: bool = False, bus: str = "EventBusName=bus_name, ") -> str:
    """A route_orders answer with the two patterns given as Python dict literals."""
    first, second = ("eu_arn", "approvals_arn") if swap else ("approvals_arn", "eu_arn")
    return f'''
def route_orders(events, bus_name, approvals_arn, eu_arn):
    events.put_rule(Name="big", {bus}EventPattern=json.dumps({big}))
    events.put_targets(Rule="big", {bus}Targets=[{{"Id": "q", "Arn": {first}}}])
    events.put_rule(Name="eu", {bus}EventPattern=json.dumps({eu}))
    events.put_targets(Rule="eu", {bus}Targets=[{{"Id": "q", "Arn": {second}}}])
'''


BIG = '{"source": ["com.shop.orders"], "detail-type": ["OrderPlaced"], "detail": {"amount": [{"numeric": [">", 500]}]}}'
EU = '{"detail": {"region": ["EU"]}}'


def _targets(stream: str, topic: str = '{"Id": "alerts", "Arn": topic_arn}') -> str:
    """An add_targets answer with the given stream and topic targets (``None`` leaves one out)."""
    targets = ", ".join(t for t in (stream, topic) if t)
    return f'''
def add_targets(events, bus_name, rule_name, stream_arn, topic_arn, role_arn):
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[{targets}])
'''


def _replay(start: str, end: str, destination: str = "bus_arn", returns: str = "name") -> str:
    """A replay_outage answer with the given window, destination and return value."""
    return f'''
from datetime import timedelta

def replay_outage(events, archive_arn, bus_arn, start, end):
    name = f"outage-{{start:%H%M%S}}"
    response = events.start_replay(ReplayName=name, EventSourceArn=archive_arn, EventStartTime={start},
                                   EventEndTime={end}, Destination={{"Arn": {destination}}})
    return {returns}
'''


#: the DLQ policy of the solution: EventBridge, only from this rule
DLQ_POLICY = '''
def let_rule_send(dlq_url, dlq_arn, rule_arn):
    sqs.set_queue_attributes(QueueUrl=dlq_url, Attributes={"Policy": json.dumps({"Statement": [{
        "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage",
        "Resource": dlq_arn, "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}}}]})})
'''


def _delivery(target_extra: str, *, dlq_name: str = 'rule_name + "-dlq"', attributes: str = "{}",
              policy: bool = True, dlq: str = "dlq_arn") -> str:
    """A configure_delivery answer: a DLQ (with the rule's policy unless ``policy`` is False) and the target."""
    let = "    let_rule_send(url, dlq_arn, events.describe_rule(Name=rule_name, EventBusName=bus_name)['Arn'])\n" \
        if policy else ""
    return DLQ_POLICY + f'''
def configure_delivery(events, bus_name, rule_name, target_arn):
    url = sqs.create_queue(QueueName={dlq_name}, Attributes={attributes})["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
{let}    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[
        {{"Id": "billing", "Arn": target_arn, "DeadLetterConfig": {{"Arn": {dlq}}}{target_extra}}}])
'''


RETRY = ', "RetryPolicy": {"MaximumEventAgeInSeconds": 7200, "MaximumRetryAttempts": 10}'

ANSWERS = {
    "ev-1-answer": {
        "check": "ev-1",
        "wrong": [
            {   # >= instead of >: an order of exactly 500 needs no approval
                "name": "at-least-500",
                "requirement": "ev-1/events-routed",
                "message": "a 500 order from the EU: expected ['eu'], went to ['approvals', 'eu']",
                "code": _routes(BIG.replace('">"', '">="'), EU),
            },
            {   # the EU rule limited to the shop's orders: other sources' EU events are lost
                "name": "eu-only-shop-orders",
                "requirement": "ev-1/events-routed",
                "message": "an EU event from another source",
                "code": _routes(BIG, '{"source": ["com.shop.orders"], "detail": {"region": ["EU"]}}'),
            },
            {   # no detail-type: big refunds need approval too
                "name": "any-detail-type",
                "requirement": "ev-1/events-routed",
                "message": "a 900 refund from the US",
                "code": _routes('{"source": ["com.shop.orders"], "detail": {"amount": [{"numeric": [">", 500]}]}}', EU),
            },
            {   # the rules on the default bus: the shop's bus has none
                "name": "default-bus",
                "requirement": "ev-1/rules-exist",
                "message": "there are no rules on the bus",
                "code": _routes(BIG, EU, bus=""),
            },
        ],
        "alternative": [
            {   # ignore-case detail-type, an $or for the region, named targets
                "name": "ignore-case-and-or",
                "code": '''
def route_orders(events, bus_name, approvals_arn, eu_arn):
    big = {"detail": {"amount": [{"numeric": [">", 500]}]}, "source": ["com.shop.orders"],
           "detail-type": [{"equals-ignore-case": "orderplaced"}]}
    eu = {"$or": [{"detail": {"region": ["EU"]}}, {"detail": {"region": [{"prefix": "EU"}], "never": ["x"]}}]}
    for name, pattern, arn in (("approvals", big, approvals_arn), ("europe", eu, eu_arn)):
        events.put_rule(Name=name, EventBusName=bus_name, EventPattern=json.dumps(pattern), State="ENABLED")
        events.put_targets(Rule=name, EventBusName=bus_name, Targets=[{"Id": name + "-target", "Arn": arn}])
''',
            },
            {   # created disabled, targets added, then enabled
                "name": "disabled-then-enabled",
                "code": '''
def route_orders(events, bus_name, approvals_arn, eu_arn):
    rules = [("eu-events", {"detail": {"region": ["EU"]}}, eu_arn),
             ("big-orders", {"detail-type": ["OrderPlaced"], "source": ["com.shop.orders"],
                             "detail": {"amount": [{"numeric": [">", 500, "<=", 1e9]}]}}, approvals_arn)]
    for name, pattern, arn in rules:
        events.put_rule(Name=name, EventBusName=bus_name, EventPattern=json.dumps(pattern), State="DISABLED")
        events.put_targets(Rule=name, EventBusName=bus_name, Targets=[{"Id": "1", "Arn": arn}])
        events.enable_rule(Name=name, EventBusName=bus_name)
''',
            },
            {   # a helper, and the bus addressed by its ARN
                "name": "helper-bus-arn",
                "code": '''
def add_rule(events, bus, name, pattern, arn):
    events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps(pattern), Description=name)
    events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": name, "Arn": arn}])

def route_orders(events, bus_name, approvals_arn, eu_arn):
    bus = events.describe_event_bus(Name=bus_name)["Arn"]
    add_rule(events, bus, "approve", {"source": ["com.shop.orders"], "detail-type": ["OrderPlaced"],
                                      "detail": {"amount": [{"numeric": [">=", 500.0001]}]}}, approvals_arn)
    add_rule(events, bus, "eu", {"detail": {"region": ["EU"]}}, eu_arn)
''',
            },
        ],
    },
    "ev-2-answer": {
        "check": "ev-2",
        "wrong": [
            {   # prefix without the dot lets com.shopify in
                "name": "prefix-without-dot",
                "requirement": "ev-2/events-judged",
                "message": "com.shopify: matched, should not match",
                "code": '''
def customer_events_pattern():
    return {"source": [{"prefix": "com.shop"}], "detail-type": [{"anything-but": ["Heartbeat"]}],
            "detail": {"customer": {"id": [{"exists": True}]}}}
''',
            },
            {   # ignores case: a "heartbeat" is another detail-type, and must match
                "name": "heartbeat-ignore-case",
                "requirement": "ev-2/events-judged",
                "message": "detail-type heartbeat in lower case",
                "code": '''
def customer_events_pattern():
    return {"source": [{"prefix": "com.shop."}], "detail-type": [{"anything-but": {"equals-ignore-case": "Heartbeat"}}],
            "detail": {"customer": {"id": [{"exists": True}]}}}
''',
            },
            {   # a string prefix instead of exists: a numeric id is still an id
                "name": "id-as-string-only",
                "requirement": "ev-2/events-judged",
                "message": "customer id as a number",
                "code": '''
def customer_events_pattern():
    return {"source": [{"prefix": "com.shop."}], "detail-type": [{"anything-but": "Heartbeat"}],
            "detail": {"customer": {"id": [{"prefix": ""}]}}}
''',
            },
            {   # the pattern as JSON text
                "name": "returns-json-text",
                "requirement": "ev-2/returns-pattern",
                "message": "return the pattern as a dict",
                "code": '''
def customer_events_pattern():
    return json.dumps({"source": [{"prefix": "com.shop."}], "detail-type": [{"anything-but": "Heartbeat"}],
                       "detail": {"customer": {"id": [{"exists": True}]}}})
''',
            },
        ],
        "alternative": [
            {   # a wildcard for the source, anything-but a prefix
                "name": "wildcard-source",
                "code": '''
def customer_events_pattern():
    return {"source": [{"wildcard": "com.shop.*"}],
            "detail-type": [{"anything-but": {"prefix": "Heartbeat"}}],
            "detail": {"customer": {"id": [{"exists": True}]}}}
''',
            },
            {   # anything-but as a list, keys in another order, built up step by step
                "name": "built-step-by-step",
                "code": '''
def customer_events_pattern():
    pattern = {"detail": {"customer": {}}}
    pattern["detail"]["customer"]["id"] = [{"exists": True}]
    pattern["detail-type"] = [{"anything-but": ["Heartbeat"]}]
    pattern["source"] = [{"prefix": "com.shop."}]
    return pattern
''',
            },
            {   # parsed from the JSON a console user would paste
                "name": "parsed-from-json",
                "code": """
def customer_events_pattern():
    return json.loads('''{
      "source": [{"prefix": "com.shop."}],
      "detail-type": [{"anything-but": ["Heartbeat"]}],
      "detail": {"customer": {"id": [{"exists": true}]}}
    }''')
""",
            },
        ],
    },
    "ev-3-answer": {
        "check": "ev-3",
        "wrong": [
            {   # the total quoted: a string, not a number
                "name": "total-quoted",
                "requirement": "ev-3/fields-shaped",
                "message": "numbers stay numbers",
                "code": '''
def add_notification_target(events, bus_name, rule_name, queue_arn):
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[{"Id": "n", "Arn": queue_arn, "InputTransformer": {
        "InputPathsMap": {"o": "$.detail.order_id", "t": "$.detail.amount", "c": "$.detail.customer.email"},
        "InputTemplate": '{"order": <o>, "total": "<t>", "customer": <c>}'}}])
''',
            },
            {   # InputPath: the whole detail, not the three fields
                "name": "input-path-detail",
                "requirement": "ev-3/fields-shaped",
                "message": "InputPathsMap",
                "code": '''
def add_notification_target(events, bus_name, rule_name, queue_arn):
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[{"Id": "n", "Arn": queue_arn, "InputPath": "$.detail"}])
''',
            },
            {   # a readable sentence: not JSON
                "name": "text-template",
                "requirement": "ev-3/json-message",
                "message": "which is not JSON",
                "code": '''
def add_notification_target(events, bus_name, rule_name, queue_arn):
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[{"Id": "n", "Arn": queue_arn, "InputTransformer": {
        "InputPathsMap": {"o": "$.detail.order_id", "t": "$.detail.amount", "c": "$.detail.customer.email"},
        "InputTemplate": "Order <o> of <t> for <c>"}}])
''',
            },
            {   # the raw event to the queue as well, under a second target id
                "name": "two-targets",
                "requirement": "ev-3/one-message",
                "message": "messages reached the queue for one event",
                "code": '''
def add_notification_target(events, bus_name, rule_name, queue_arn):
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[
        {"Id": "raw", "Arn": queue_arn},
        {"Id": "shaped", "Arn": queue_arn, "InputTransformer": {
            "InputPathsMap": {"o": "$.detail.order_id", "t": "$.detail.amount", "c": "$.detail.customer.email"},
            "InputTemplate": '{"order": <o>, "total": <t>, "customer": <c>}'}}])
''',
            },
        ],
        "alternative": [
            {   # keys reordered, the string placeholder in quotes
                "name": "reordered-quoted-string",
                "code": '''
def add_notification_target(events, bus_name, rule_name, queue_arn):
    paths = dict(id="$.detail.order_id", amount="$.detail.amount", mail="$.detail.customer.email")
    template = '{"customer": <mail>, "order": "<id>", "total": <amount>}'
    target = dict(Id="notifications", Arn=queue_arn, InputTransformer=dict(InputPathsMap=paths, InputTemplate=template))
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[target])
''',
            },
            {   # a multi-line template, paths from a loop
                "name": "multiline-template",
                "code": '''
def add_notification_target(events, bus_name, rule_name, queue_arn):
    fields = {"order": "order_id", "total": "amount", "customer": "customer.email"}
    paths = {key: "$.detail." + path for key, path in fields.items()}
    template = "{\\n" + ",\\n".join(f'  "{key}": <{key}>' for key in fields) + "\\n}"
    events.put_targets(Rule=rule_name, EventBusName=bus_name,
                       Targets=[{"Id": "mail", "Arn": queue_arn, "InputTransformer": {"InputPathsMap": paths, "InputTemplate": template}}])
''',
            },
            {   # the template built with json.dumps around placeholders
                "name": "template-from-dumps",
                "code": '''
def add_notification_target(events, bus_name, rule_name, queue_arn):
    template = json.dumps({"order": "ORDER", "total": "TOTAL", "customer": "EMAIL"})
    template = template.replace('"ORDER"', "<o>").replace('"TOTAL"', "<t>").replace('"EMAIL"', "<e>")
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[{"Id": "n", "Arn": queue_arn, "InputTransformer": {
        "InputPathsMap": {"o": "$.detail.order_id", "t": "$.detail.amount", "e": "$.detail.customer.email"},
        "InputTemplate": template}}])
''',
            },
        ],
    },
    "ev-4-answer": {
        "check": "ev-4",
        "wrong": [
            {   # no RoleArn on the stream target: PutTargets refuses it
                "name": "no-role",
                "requirement": "ev-4/stream-role",
                "message": "it has no RoleArn",
                "code": _targets('{"Id": "audit", "Arn": stream_arn, "KinesisParameters": {"PartitionKeyPath": "$.detail.order_id"}}'),
            },
            {   # no partition key path: EventBridge uses the event id
                "name": "no-partition-key",
                "requirement": "ev-4/partition-key-order-id",
                "message": "without KinesisParameters",
                "code": _targets('{"Id": "audit", "Arn": stream_arn, "RoleArn": role_arn}'),
            },
            {   # the stream forgotten: the role alone does not make it a target
                "name": "no-stream",
                "requirement": "ev-4/stream-target",
                "message": "the audit stream holds 0 records",
                "code": _targets(""),
            },
            {   # the alerts topic forgotten
                "name": "no-topic",
                "requirement": "ev-4/topic-target",
                "message": "the alerts topic delivered 0 messages",
                "code": _targets('{"Id": "audit", "Arn": stream_arn, "RoleArn": role_arn, '
                                 '"KinesisParameters": {"PartitionKeyPath": "$.detail.order_id"}}', ""),
            },
        ],
        "alternative": [
            {   # two calls, the topic first
                "name": "two-calls",
                "code": '''
def add_targets(events, bus_name, rule_name, stream_arn, topic_arn, role_arn):
    events.put_targets(Rule=rule_name, EventBusName=bus_name,
                       Targets=[{"Id": "t1", "Arn": topic_arn}])
    events.put_targets(Rule=rule_name, EventBusName=bus_name,
                       Targets=[{"Id": "t2", "Arn": stream_arn, "RoleArn": role_arn,
                                 "KinesisParameters": {"PartitionKeyPath": "$.detail.order_id"}}])
''',
            },
            {   # targets built from a table, with retry policies
                "name": "table-with-retries",
                "code": '''
def add_targets(events, bus_name, rule_name, stream_arn, topic_arn, role_arn):
    retry = {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 3600}
    table = [("alerts-topic", topic_arn, {}),
             ("audit-stream", stream_arn, {"RoleArn": role_arn, "KinesisParameters": {"PartitionKeyPath": "$.detail.order_id"}})]
    events.put_targets(Rule=rule_name, EventBusName=bus_name,
                       Targets=[{"Id": i, "Arn": arn, "RetryPolicy": retry, **extra} for i, arn, extra in table])
''',
            },
            {   # the bus addressed by ARN, the rule checked first
                "name": "bus-arn",
                "code": '''
def add_targets(events, bus_name, rule_name, stream_arn, topic_arn, role_arn):
    bus = events.describe_event_bus(Name=bus_name)["Arn"]
    assert events.describe_rule(Name=rule_name, EventBusName=bus)["State"] == "ENABLED"
    events.put_targets(Rule=rule_name, EventBusName=bus, Targets=[
        {"Id": "alerts", "Arn": topic_arn},
        {"Id": "audit", "Arn": stream_arn, "RoleArn": role_arn, "KinesisParameters": {"PartitionKeyPath": "$.detail.order_id"}}])
''',
            },
        ],
    },
    "ev-5-answer": {
        "check": "ev-5",
        "wrong": [
            {   # replays everything since the beginning: duplicates of processed events
                "name": "everything",
                "requirement": "ev-5/replays-outage-window",
                "message": "were not lost",
                "code": '''
from datetime import datetime, timezone

def replay_outage(events, archive_arn, bus_arn, start, end):
    events.start_replay(ReplayName="everything", EventSourceArn=archive_arn,
                        EventStartTime=datetime(2000, 1, 1, tzinfo=timezone.utc), EventEndTime=cloud.now(),
                        Destination={"Arn": bus_arn})
    return "everything"
''',
            },
            {   # an hour of margin before the outage: events processed before it come back
                "name": "hour-of-margin",
                "requirement": "ev-5/replays-outage-window",
                "message": "were not lost",
                "code": _replay("start - timedelta(hours=1)", "end"),
            },
            {   # a window that ends too soon: the last events of the outage stay lost
                "name": "window-too-short",
                "requirement": "ev-5/replays-outage-window",
                "message": "were lost in the outage and not replayed",
                "code": _replay("start", "start + timedelta(minutes=10)"),
            },
            {   # the replay's ARN, not its name
                "name": "returns-arn",
                "requirement": "ev-5/returns-replay-name",
                "message": "there is no replay named",
                "code": _replay("start", "end", returns='response["ReplayArn"]'),
            },
            {   # replayed to the default bus: the fixed consumer's rule is not there
                "name": "default-bus",
                "requirement": "ev-5/answer-accepted-by-aws",
                "message": "Cross event bus replay is not permitted",
                "code": _replay("start", "end", destination='bus_arn.rsplit("/", 1)[0] + "/default"'),
            },
        ],
        "alternative": [
            {   # epoch seconds, the name from the response
                "name": "epoch-seconds",
                "code": '''
def replay_outage(events, archive_arn, bus_arn, start, end):
    response = events.start_replay(ReplayName="fix-1", EventSourceArn=archive_arn,
                                   EventStartTime=start.timestamp(), EventEndTime=end.timestamp(),
                                   Destination=dict(Arn=bus_arn))
    return response["ReplayArn"].split("/")[-1]
''',
            },
            {   # a unique name, and a look at the replay's state
                "name": "uuid-name",
                "code": '''
import uuid

def replay_outage(events, archive_arn, bus_arn, start, end):
    name = f"replay-{uuid.uuid4().hex[:12]}"
    events.start_replay(ReplayName=name, Description="after the consumer fix", EventSourceArn=archive_arn,
                        EventStartTime=start, EventEndTime=end, Destination={"Arn": bus_arn})
    events.describe_replay(ReplayName=name)
    return name
''',
            },
            {   # the bus's ARN looked up from the archive
                "name": "bus-from-archive",
                "code": '''
def replay_outage(events, archive_arn, bus_arn, start, end):
    archive = events.describe_archive(ArchiveName=archive_arn.rsplit("/", 1)[-1])
    kwargs = {"ReplayName": "outage", "EventSourceArn": archive["ArchiveArn"], "EventStartTime": start,
              "EventEndTime": end, "Destination": {"Arn": archive["EventSourceArn"]}}
    return events.start_replay(**kwargs) and kwargs["ReplayName"]
''',
            },
        ],
    },
    "ev-6-answer": {
        "check": "ev-6",
        "wrong": [
            {   # two hours written in minutes
                "name": "minutes-not-seconds",
                "requirement": "ev-6/retry-policy",
                "message": "MaximumEventAgeInSeconds",
                "code": _delivery(', "RetryPolicy": {"MaximumEventAgeInSeconds": 120, "MaximumRetryAttempts": 10}'),
            },
            {   # the billing queue as its own dead-letter queue
                "name": "target-as-dlq",
                "requirement": "ev-6/dlq-not-target",
                "message": "is the billing queue itself",
                "code": _delivery(RETRY, dlq="target_arn"),
            },
            {   # a FIFO queue as DLQ
                "name": "fifo-dlq",
                "requirement": "ev-6/dlq-standard",
                "message": "must be a standard SQS queue",
                "code": _delivery(RETRY, dlq_name='rule_name + "-dlq.fifo"', attributes='{"FifoQueue": "true"}'),
            },
            {   # a DLQ EventBridge may not write to
                "name": "dlq-without-policy",
                "requirement": "ev-6/dlq-allows-eventbridge",
                "message": "events.amazonaws.com",
                "code": _delivery(RETRY, policy=False),
            },
            {   # a DLQ ARN written by hand for a queue never created
                "name": "dlq-never-created",
                "requirement": "ev-6/dlq-exists",
                "message": "does not exist",
                "code": _delivery(RETRY, dlq='dlq_arn + "-dlq"'),
            },
            {   # bounded retries, then nothing: the event is dropped
                "name": "no-dlq",
                "requirement": "ev-6/has-dlq",
                "message": "the target has no dead-letter queue",
                "code": '''
def configure_delivery(events, bus_name, rule_name, target_arn):
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[{"Id": "billing", "Arn": target_arn,
        "RetryPolicy": {"MaximumEventAgeInSeconds": 7200, "MaximumRetryAttempts": 10}}])
''',
            },
            {   # the billing queue's ARN typed by hand (a wrong name), not the one given
                "name": "own-billing-queue",
                "requirement": "ev-6/target-exists",
                "message": "the billing queue is not a target of the rule",
                "code": _delivery(RETRY).replace('"Arn": target_arn', '"Arn": dlq_arn.replace("-dlq", "-billing")'),
            },
        ],
        "alternative": [
            {   # the console's form: any principal, but only on behalf of rules of this bus
                "name": "console-policy",
                "code": '''
def configure_delivery(events, bus_name, rule_name, target_arn):
    queues = cloud.client("sqs")
    dlq = queues.create_queue(QueueName="failed-billing-events-" + rule_name)["QueueUrl"]
    arn = queues.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]["QueueArn"]
    queues.set_queue_attributes(QueueUrl=dlq, Attributes={"Policy": json.dumps({"Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "SQS:SendMessage", "Resource": arn,
        "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:events:*:*:rule/{bus_name}/*"}}}]})})
    target = {"Id": "billing-queue", "Arn": target_arn, "DeadLetterConfig": {"Arn": arn},
              "RetryPolicy": {"MaximumRetryAttempts": 10, "MaximumEventAgeInSeconds": 120 * 60}}
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[target])
''',
            },
            {   # the target first, the retry policy and DLQ added by a second put_targets of the same Id
                "name": "target-then-update",
                "code": DLQ_POLICY + '''
def configure_delivery(events, bus_name, rule_name, target_arn):
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[{"Id": "billing", "Arn": target_arn}])
    url = sqs.create_queue(QueueName=rule_name + "-failed")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    let_rule_send(url, dlq_arn, events.describe_rule(Name=rule_name, EventBusName=bus_name)["Arn"])
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[{
        "Id": "billing", "Arn": target_arn, "DeadLetterConfig": {"Arn": dlq_arn},
        "RetryPolicy": {"MaximumRetryAttempts": 10, "MaximumEventAgeInSeconds": round(2.0 * 60 * 60)}}])
''',
            },
            {   # the policy given at creation, limited by account (aws:SourceAccount)
                "name": "policy-at-create-source-account",
                "code": '''
def configure_delivery(events, bus_name, rule_name, target_arn):
    account = target_arn.split(":")[4]
    dlq_arn = target_arn.rsplit(":", 1)[0] + ":" + rule_name + "-dead-letters"
    policy = {"Version": "2012-10-17", "Statement": [{
        "Sid": "events", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": ["sqs:SendMessage"], "Resource": dlq_arn,
        "Condition": {"StringEquals": {"aws:SourceAccount": account}}}]}
    sqs.create_queue(QueueName=rule_name + "-dead-letters", Attributes={"Policy": json.dumps(policy)})
    events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[{
        "Id": "billing", "Arn": target_arn, "DeadLetterConfig": {"Arn": dlq_arn},
        "RetryPolicy": {"MaximumEventAgeInSeconds": 2 * 60 * 60, "MaximumRetryAttempts": 10}}])
''',
            },
        ],
    },
}
