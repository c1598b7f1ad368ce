"""Answers for 06_capstone_order_pipeline (format: tests/notebooks/conftest.py).

``build_pipeline`` is long: most of its variants are the solution with one setting changed, made by
:func:`_changed` from the solution cell itself, so each variant differs from it in exactly the way its name says.
"""

from pathlib import Path

import nbformat

_SOURCE = Path(__file__).resolve().parents[3] / "solutions" / "06_capstone_order_pipeline" / "06_capstone_order_pipeline.ipynb"


def _changed(grade_id: str, *edits: tuple[str, str]) -> str:
    """The solution of ``grade_id`` (markers removed) with each ``(old, new)`` replaced; ``old`` must occur."""
    cell = next(c for c in nbformat.read(_SOURCE, as_version=4).cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    source = "\n".join(line for line in cell.source.splitlines() if "### " not in line)
    for old, new in edits:
        assert old in source, f"{grade_id}: {old!r} is not in the solution"
        source = source.replace(old, new)
    return source


_REDRIVE = '"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3})'
_VISIBILITY = '"VisibilityTimeout": "180"'
_RAW = ',\n                      Attributes={"RawMessageDelivery": "true"})'
_KEY = ',\n         "KinesisParameters": {"PartitionKeyPath": "$.detail.order_id"}'
_ARCHIVE = 'events.create_archive(ArchiveName="shop-everything", EventSourceArn=bus_arn)'
_RETURN = ('    return {"topic_arn": topic, "billing_queue_url": urls["billing"], "shipping_queue_url": urls["shipping"],\n'
           '            "bus_name": "shop", "stream_name": "order-analytics", "delivery_stream_name": "order-archive",\n'
           '            "bucket": "order-archive"}')
_SUBSCRIBE = ('        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=allow_topic(sqs, url, topic),\n'
              '                      Attributes={"RawMessageDelivery": "true"})')
_STREAM_TARGET = '{"Id": "analytics", "Arn": stream_arn, "RoleArn": role_arn,'
_FIREHOSE_TARGET = '{"Id": "archive", "Arn": firehose_arn, "RoleArn": role_arn}'
_QUEUE_ARN = 'sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]'

ANSWERS = {
    "cap-1-answer": {
        # build_pipeline is called by every check of the notebook: a wrong setting shows where it matters
        "check": ["cap-1", "cap-2", "cap-3", "cap-4"],
        "wrong": [
            {"name": "no-dlq", "requirement": "cap-1/queue-has-dlq", "message": "has no dead-letter queue",
             "code": _changed("cap-1-answer", (",\n            " + _REDRIVE, ""))},
            {"name": "visibility-is-function-timeout", "requirement": "cap-1/visibility-6x",
             "message": "at least 6x the function timeout",
             "code": _changed("cap-1-answer", (_VISIBILITY, '"VisibilityTimeout": "30"'))},
            {"name": "stream-without-partition-key", "requirement": "cap-1/stream-keyed-by-order",
             "message": "different partition keys", "code": _changed("cap-1-answer", (_KEY, ""))},
            {"name": "role-trusts-lambda", "requirement": "cap-1/target-roles",
             "message": "EventBridge could not write to the Kinesis stream",
             "code": _changed("cap-1-answer", ('"Principal": {"Service": "events.amazonaws.com"}',
                                               '"Principal": {"Service": "lambda.amazonaws.com"}'))},
            # the first failure parks the message: a transient crash loses the order
            {"name": "no-retry", "requirement": "cap-3/every-order-charged", "message": "maxReceiveCount is 1",
             "code": _changed("cap-1-answer", ('"maxReceiveCount": 3', '"maxReceiveCount": 1'))},
            # 25 x 180 s: the poison message is parked only after 75 minutes
            {"name": "dlq-after-the-hour", "requirement": "cap-3/poison-in-dlq",
             "message": "later than the exercise allows",
             "code": _changed("cap-1-answer", ('"maxReceiveCount": 3', '"maxReceiveCount": 25'))},
            # the loop subscribes billing only
            {"name": "shipping-not-subscribed", "requirement": "cap-1/queue-subscribed",
             "message": "the shipping queue is not subscribed",
             "code": _changed("cap-1-answer", ("        sns.subscribe(TopicArn=topic,", "        role == \"billing\" and sns.subscribe(TopicArn=topic,"))},
            {"name": "no-archive", "requirement": "cap-4/has-archive", "message": "the bus has no archive",
             "code": _changed("cap-1-answer", ("    if not events.list_archives(EventSourceArn=bus_arn)[\"Archives\"]:\n        " + _ARCHIVE + "\n", ""))},
            # keeps only what billing emits: the event nobody handles yet is dropped
            {"name": "archive-only-billed", "requirement": "cap-4/archive-keeps-unmatched",
             "message": "did not keep an event no rule matches",
             "code": _changed("cap-1-answer", (_ARCHIVE, _ARCHIVE[:-1] + ', EventPattern=json.dumps({"detail-type": ["OrderBilled"]}))'))},
            # subscribes each queue's ARN and writes no access policy: moto delivers anyway, AWS would not
            {"name": "no-queue-policies", "requirement": "cap-1/queue-policy", "message": "has no access policy",
             "code": _changed("cap-1-answer", ("Endpoint=allow_topic(sqs, url, topic)", "Endpoint=" + _QUEUE_ARN))},
            # the values in the order the task lists the keys, as a tuple
            {"name": "returns-a-tuple", "requirement": "cap-1/returns-pipeline", "message": "must return a dict",
             "code": _changed("cap-1-answer", (_RETURN, '    return (topic, urls["billing"], urls["shipping"], "shop", '
                                                        '"order-analytics", "order-archive", "order-archive")'))},
            # builds everything and returns nothing: the checks get None
            {"name": "forgets-to-return", "requirement": "cap-2/returns-pipeline", "message": "got None",
             "code": _changed("cap-1-answer", (_RETURN, ""))},
            # keeps each queue's ARN (what SNS subscribes) under the *_queue_url keys
            {"name": "returns-queue-arns", "requirement": "cap-3/returns-pipeline", "message": "not the URL of an SQS queue",
             "code": _changed("cap-1-answer", ("        urls[role] = url", "        urls[role] = " + _QUEUE_ARN))},
            # no create_bucket: Firehose is taken to create its destination bucket; it does not
            {"name": "firehose-creates-the-bucket", "requirement": "cap-4/returns-pipeline",
             "message": "not the name of an S3 bucket that exists",
             "code": _changed("cap-1-answer", ('    s3.create_bucket(Bucket="order-archive")\n', ""))},
            # put_rule and put_targets without EventBusName: the rule lands on the default bus, billing reports to "shop"
            {"name": "rule-on-the-default-bus", "requirement": "cap-1/rule-targets",
             "message": "no rule on the bus sends to the Kinesis stream",
             "code": _changed("cap-1-answer", ('Name="order-billed", EventBusName="shop", ', 'Name="order-billed", '),
                              ('Rule="order-billed", EventBusName="shop", ', 'Rule="order-billed", '))},
            # the delivery stream has a role of its own (RoleARN): taken for the one EventBridge writes with
            {"name": "firehose-target-without-role", "requirement": "cap-2/target-roles", "message": "it has no RoleArn",
             "code": _changed("cap-1-answer", (_FIREHOSE_TARGET, '{"Id": "archive", "Arn": firehose_arn}'))},
            # no role at all: EventBridge is taken to write to a stream as it invokes a Lambda function
            {"name": "no-target-roles", "requirement": "cap-3/target-roles", "message": "it has no RoleArn",
             "code": _changed("cap-1-answer",
                              ('    role_arn = events_role(cloud.client("iam"), "events-to-order-analytics", [stream_arn, firehose_arn])\n', ""),
                              (_STREAM_TARGET, '{"Id": "analytics", "Arn": stream_arn,'),
                              (_FIREHOSE_TARGET, '{"Id": "archive", "Arn": firehose_arn}'))},
            # the role given to PutRule (whose RoleArn is for targets on another bus), not to the targets
            {"name": "role-on-the-rule", "requirement": "cap-4/target-roles", "message": "it has no RoleArn",
             "code": _changed("cap-1-answer",
                              ('EventPattern=json.dumps({"detail-type": ["OrderBilled"]}))',
                               'EventPattern=json.dumps({"detail-type": ["OrderBilled"]}), RoleArn=role_arn)'),
                              (_STREAM_TARGET, '{"Id": "analytics", "Arn": stream_arn,'),
                              (_FIREHOSE_TARGET, '{"Id": "archive", "Arn": firehose_arn}'))},
            # one queue for both consumers: SQS hands each message to one consumer, and billing takes every order
            {"name": "one-queue-for-billing-and-shipping", "requirement": "cap-2/every-order-shipped",
             "message": "billing and shipping share one queue",
             "code": _changed("cap-1-answer", ('    for role in ("billing", "shipping"):', '    for role in ("orders",):'),
                              ('urls["billing"]', 'urls["orders"]'), ('urls["shipping"]', 'urls["orders"]'))},
            # shipping waits for billing: its queue is a target of the OrderBilled rule, not a subscriber of the topic
            {"name": "shipping-after-billing", "requirement": "cap-3/every-order-shipped",
             "message": "never reached the shipping queue",
             "code": _changed("cap-1-answer",
                              (_SUBSCRIBE, '        if role == "billing":\n    ' + _SUBSCRIBE.replace("\n", "\n    ")),
                              (_FIREHOSE_TARGET + "])", _FIREHOSE_TARGET + ',\n        {"Id": "shipping", "Arn": '
                               + _QUEUE_ARN.replace("QueueUrl=url", 'QueueUrl=urls["shipping"]') + "}])"))},
        ],
        "alternative": [
            # the SQS console's defaults: maxReceiveCount 10, the SNS envelope (no raw delivery)
            {"name": "console-defaults", "code": _changed("cap-1-answer", ('"maxReceiveCount": 3', '"maxReceiveCount": 10'),
                                                          (_RAW, ")"))},
            {"name": "long-visibility", "code": _changed("cap-1-answer", (_VISIBILITY, '"VisibilityTimeout": "600"'))},
            # 5 x 720 s: the poison message reaches the DLQ exactly at the stated hour
            {"name": "exactly-the-hour", "code": _changed("cap-1-answer", (_VISIBILITY, '"VisibilityTimeout": "720"'),
                                                          ('"maxReceiveCount": 3', '"maxReceiveCount": 5'))},
            {"name": "attributes-after-create-two-rules", "code": '''
def build_pipeline(cloud):
    c = {name: cloud.client(name) for name in ("sns", "sqs", "events", "kinesis", "firehose", "s3")}
    topic = c["sns"].create_topic(Name="shop-orders")["TopicArn"]
    queues = {}
    for role in ("billing", "shipping"):
        dead = c["sqs"].create_queue(QueueName=f"dead-{role}")["QueueUrl"]
        dead_arn = c["sqs"].get_queue_attributes(QueueUrl=dead, AttributeNames=["All"])["Attributes"]["QueueArn"]
        url = c["sqs"].create_queue(QueueName=f"{role}-work")["QueueUrl"]
        c["sqs"].set_queue_attributes(QueueUrl=url, Attributes={
            "VisibilityTimeout": str(7 * 30),
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dead_arn, "maxReceiveCount": "2"})})
        c["sns"].subscribe(TopicArn=topic, Protocol="sqs", Endpoint=allow_topic(c["sqs"], url, topic))
        queues[role] = url
    bus = "orders-bus"
    try:
        bus_arn = c["events"].describe_event_bus(Name=bus)["Arn"]
    except c["events"].exceptions.ResourceNotFoundException:
        bus_arn = c["events"].create_event_bus(Name=bus)["EventBusArn"]
    if not c["events"].list_archives(EventSourceArn=bus_arn)["Archives"]:
        c["events"].create_archive(ArchiveName="orders-bus-all", EventSourceArn=bus_arn, RetentionDays=30)
    if "analytics" not in c["kinesis"].list_streams()["StreamNames"]:
        c["kinesis"].create_stream(StreamName="analytics", ShardCount=1)
    stream_arn = c["kinesis"].describe_stream(StreamName="analytics")["StreamDescription"]["StreamARN"]
    c["s3"].create_bucket(Bucket="orders-lake")
    if "to-lake" not in c["firehose"].list_delivery_streams()["DeliveryStreamNames"]:
        c["firehose"].create_delivery_stream(DeliveryStreamName="to-lake", S3DestinationConfiguration={
            "RoleARN": f"arn:aws:iam::{ACCOUNT}:role/firehose", "BucketARN": "arn:aws:s3:::orders-lake"})
    fh_arn = c["firehose"].describe_delivery_stream(DeliveryStreamName="to-lake")["DeliveryStreamDescription"]["DeliveryStreamARN"]
    def role_for(name, action, resource):  # one role per target, its policy managed, trust limited to this account
        iam = cloud.client("iam")
        try:
            return iam.get_role(RoleName=name)["Role"]["Arn"]
        except iam.exceptions.NoSuchEntityException:
            pass
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": ["events.amazonaws.com"]}, "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}]}))["Role"]["Arn"]
        policy = iam.create_policy(PolicyName=name + "-put", PolicyDocument=json.dumps({"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": [action, action + "Batch"], "Resource": [resource]}]}))
        iam.attach_role_policy(RoleName=name, PolicyArn=policy["Policy"]["Arn"])
        return arn

    for rule, arn, extra in (("billed-to-analytics", stream_arn, {"KinesisParameters": {"PartitionKeyPath": "$.detail.order_id"},
                                                                   "RoleArn": role_for("eb-analytics", "kinesis:PutRecord", stream_arn)}),
                             ("billed-to-lake", fh_arn, {"RoleArn": role_for("eb-lake", "firehose:PutRecord", fh_arn)})):
        c["events"].put_rule(Name=rule, EventBusName=bus, EventPattern=json.dumps(
            {"source": ["com.shop.billing"], "detail-type": ["OrderBilled"]}))
        c["events"].put_targets(Rule=rule, EventBusName=bus, Targets=[{"Id": "t", "Arn": arn, **extra}])
    return dict(topic_arn=topic, billing_queue_url=queues["billing"], shipping_queue_url=queues["shipping"],
                bus_name=bus, stream_name="analytics", delivery_stream_name="to-lake", bucket="orders-lake")
'''},
        ],
    },
    "cap-2-answer": {
        "check": ["cap-2", "cap-3"],  # graded with build_pipeline too: cap-1-answer lists them
        "wrong": [
            {"name": "never-tells-the-bus", "requirement": "cap-2/billed-event-delivered",
             "message": "OrderBilled events missing", "code": '''
def make_billing_handler(charge, events, bus_name):
    done = set()
    def handler(event, context):
        for record in event["Records"]:
            order = json.loads(record["body"])
            order = json.loads(order["Message"]) if "Message" in order else order
            if order["order_id"] not in done:
                charge(order["order_id"], order["amount"])
                done.add(order["order_id"])
    return handler
'''},
            # SQS delivers at least once and the API retries: fine under normal load, not with a duplicate
            {"name": "not-idempotent", "requirement": "cap-3/charged-once", "message": "charged more than once",
             "code": _changed("cap-2-answer", ('            if order["order_id"] in charged:\n                continue\n', ""))},
            # the idempotency guard covers the charge, not the event: a duplicate is billed twice downstream
            {"name": "bills-every-delivery", "requirement": "cap-3/billed-once", "message": "billed twice",
             "code": '''
def make_billing_handler(charge, events, bus_name):
    charged = set()
    def handler(event, context):
        for record in event["Records"]:
            order = json.loads(record["body"])
            if order.get("Type") == "Notification":
                order = json.loads(order["Message"])
            if order["order_id"] not in charged:
                charge(order["order_id"], order["amount"])
                charged.add(order["order_id"])
            events.put_events(Entries=[{"EventBusName": bus_name, "Source": "com.shop.billing", "DetailType": "OrderBilled",
                                        "Detail": json.dumps({"order_id": order["order_id"], "amount": order["amount"]})}])
    return handler
'''},
            # catches the payment service's error: the message is deleted, the order never charged
            {"name": "swallows-errors", "requirement": "cap-3/every-order-charged", "message": "never charged",
             "code": _changed("cap-2-answer", ('            charge(order["order_id"], order["amount"])\n',
                                               '            try:\n                charge(order["order_id"], order["amount"])\n'
                                               '            except Exception:\n                continue\n'))},
            # reads only the SNS envelope: every raw body fails, and every order ends in the DLQ
            {"name": "envelope-only", "requirement": "cap-2/every-order-charged", "message": "never charged",
             "code": _changed("cap-2-answer", ('            order = json.loads(record["body"])\n            if order.get("Type") == "Notification":\n                order = json.loads(order["Message"])\n',
                                               '            order = json.loads(json.loads(record["body"])["Message"])\n'))},
            # an unreadable message is skipped: deleted, neither charged nor parked
            {"name": "skips-poison", "requirement": "cap-3/poison-in-dlq", "message": "returned normally",
             "code": _changed("cap-2-answer", ('            order = json.loads(record["body"])\n',
                                               '            try:\n                order = json.loads(record["body"])\n'
                                               '            except ValueError:\n                continue\n'))},
            # Detail given as a dict: PutEvents refuses it after the charge, and the order counts as charged only once
            # its event is out - so every retry charges it again
            {"name": "detail-as-a-dict", "requirement": "cap-2/charged-once", "message": "charged more than once",
             "code": _changed("cap-2-answer",
                              ('            charged.add(order["order_id"])\n', ""),
                              ('"Detail": json.dumps({"order_id": order["order_id"], "amount": order["amount"]})}])',
                               '"Detail": {"order_id": order["order_id"], "amount": order["amount"]}}])\n'
                               '            charged.add(order["order_id"])'))},
            # one OrderBilled entry per destination (analytics, archive): the rule sends every event to both targets
            {"name": "one-event-per-target", "requirement": "cap-2/billed-once", "message": "billed twice", "code": '''
def make_billing_handler(charge, events, bus_name):
    charged = set()
    def handler(event, context):
        for record in event["Records"]:
            order = json.loads(record["body"])
            if order.get("Type") == "Notification":
                order = json.loads(order["Message"])
            if order["order_id"] in charged:
                continue
            charge(order["order_id"], order["amount"])
            charged.add(order["order_id"])
            events.put_events(Entries=[{"EventBusName": bus_name, "Source": "com.shop.billing", "DetailType": "OrderBilled",
                                        "Detail": json.dumps({"order_id": order["order_id"], "amount": order["amount"], "for": where})}
                                       for where in ("analytics", "archive")])
    return handler
'''},
            # no EventBusName in the entry: the events go to the default bus, where no rule listens
            {"name": "default-bus", "requirement": "cap-3/billed-event-delivered", "message": "OrderBilled events missing",
             "code": _changed("cap-2-answer", ('[{"EventBusName": bus_name, "Source"', '[{"Source"'))},
        ],
        "alternative": [
            {"name": "ledger-and-batch-failures", "code": '''
def make_billing_handler(charge, events, bus_name):
    ledger = {}

    def read(body):
        data = json.loads(body)
        return json.loads(data["Message"]) if data.get("Type") == "Notification" else data

    def handler(event, context):
        for order in (read(r["body"]) for r in event["Records"]):
            key = order["order_id"]
            if ledger.get(key):
                continue
            charge(key, order["amount"])
            ledger[key] = True
            detail = {"amount": order["amount"], "order_id": key}
            events.put_events(Entries=[dict(EventBusName=bus_name, Source="com.shop.billing", DetailType="OrderBilled",
                                            Detail=json.dumps(detail))])
        return {"batchItemFailures": []}

    return handler
'''},
            # a class; it raises when PutEvents reports a failed entry, so SQS retries the record
            {"name": "callable-checks-failed-entries", "code": '''
class Billing:
    def __init__(self, charge, events, bus_name):
        self.charge, self.events, self.bus_name, self.billed = charge, events, bus_name, set()

    def __call__(self, event, context):
        for record in event["Records"]:
            body = json.loads(record["body"])
            order = json.loads(body["Message"]) if "TopicArn" in body and "Message" in body else body
            order_id = order["order_id"]
            if order_id in self.billed:
                continue
            self.charge(order_id, order["amount"])
            self.billed.add(order_id)
            response = self.events.put_events(Entries=[{
                "EventBusName": self.bus_name, "Source": "com.shop.billing", "DetailType": "OrderBilled",
                "Detail": json.dumps({"order_id": order_id, "amount": order["amount"]})}])
            if response["FailedEntryCount"]:
                raise RuntimeError(response["Entries"])


def make_billing_handler(charge, events, bus_name):
    return Billing(charge, events, bus_name)
'''},
            # charges first, then emits all of the batch's events in one PutEvents call
            {"name": "one-put-events-per-batch", "code": '''
def make_billing_handler(charge, events, bus_name):
    seen = set()

    def order_of(record):
        data = json.loads(record["body"])
        return json.loads(data["Message"]) if data.get("Type") == "Notification" else data

    def handler(event, context):
        entries = []
        for order in map(order_of, event["Records"]):
            if order["order_id"] in seen:
                continue
            charge(order["order_id"], order["amount"])
            seen.add(order["order_id"])
            entries.append({"EventBusName": bus_name, "Source": "com.shop.billing", "DetailType": "OrderBilled",
                            "Detail": json.dumps({"order_id": order["order_id"], "amount": order["amount"]})})
        if entries:
            events.put_events(Entries=entries)

    return handler
'''},
        ],
    },
    "cap-5-answer": {
        "check": "cap-5",
        "wrong": [
            # the publisher sets no message attributes: an attribute-scope policy matches nothing
            {"name": "attribute-scope", "requirement": "cap-5/large-orders-arrive", "message": "did not reach the fraud queue",
             "code": _changed("cap-5-answer", ('        "FilterPolicyScope": "MessageBody",\n', ""))},
            {"name": "at-least-100", "requirement": "cap-5/small-orders-filtered", "message": "only orders above the threshold",
             "code": _changed("cap-5-answer", ('[">", 100]', '[">=", 100]'))},
            {"name": "enveloped", "requirement": "cap-5/order-is-body", "message": "it is the SNS envelope",
             "code": _changed("cap-5-answer", ('        "RawMessageDelivery": "true",\n', ""))},
            {"name": "no-queue-policy", "requirement": "cap-5/queue-policy", "message": "no access policy",
             "code": _changed("cap-5-answer", ("Endpoint=allow_topic(sqs, url, topic_arn)",
                                               'Endpoint=sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]'))},
            {"name": "returns-queue-arn", "requirement": "cap-5/returns-queue-url", "message": "did not return the URL",
             "code": _changed("cap-5-answer", ("    return url", "    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[\"QueueArn\"])[\"Attributes\"][\"QueueArn\"]"))},
            # the filter set on every subscription of the topic: billing loses the small orders
            {"name": "filters-everyone", "requirement": "cap-5/others-unchanged", "message": "other subscriber received",
             "code": '''
def add_fraud_screen(sns, sqs, topic_arn):
    url = sqs.create_queue(QueueName="fraud-screen")["QueueUrl"]
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=allow_topic(sqs, url, topic_arn),
                  Attributes={"RawMessageDelivery": "true"})
    for subscription in sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]:
        arn = subscription["SubscriptionArn"]
        sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicyScope", AttributeValue="MessageBody")
        sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicy",
                                        AttributeValue=json.dumps({"amount": [{"numeric": [">", 100]}]}))
    return url
'''},
            # a rule on the bus: the screen hears of an order only once it is billed, not when it is placed
            {"name": "rule-on-the-bus", "requirement": "cap-5/queue-subscribed", "message": "the fraud queue is not subscribed",
             "code": '''
def add_fraud_screen(sns, sqs, topic_arn):
    events = cloud.client("events")
    url = sqs.create_queue(QueueName="fraud-screen")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({"Statement": [{
        "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": arn}]})})
    events.put_rule(Name="large-orders", EventBusName="shop", EventPattern=json.dumps({
        "source": ["com.shop.billing"], "detail-type": ["OrderBilled"], "detail": {"amount": [{"numeric": [">", 100]}]}}))
    events.put_targets(Rule="large-orders", EventBusName="shop", Targets=[{"Id": "fraud", "Arn": arn}])
    return url
'''},
        ],
        "alternative": [
            {"name": "attributes-after-subscribe", "code": '''
def add_fraud_screen(sns, sqs, topic_arn):
    url = sqs.create_queue(QueueName="fraud-large-orders")["QueueUrl"]
    arn = allow_topic(sqs, url, topic_arn)
    subscription = sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True)["SubscriptionArn"]
    for name, value in (("RawMessageDelivery", "true"), ("FilterPolicyScope", "MessageBody"),
                        ("FilterPolicy", '{"amount": [{"numeric": [">", 100]}]}')):
        sns.set_subscription_attributes(SubscriptionArn=subscription, AttributeName=name, AttributeValue=value)
    return url
'''},
            # the policy written by hand, the console's way; an upper bound far above any order
            {"name": "own-policy-bounded-range", "code": '''
def add_fraud_screen(sns, sqs, topic_arn):
    url = sqs.create_queue(QueueName="fraud", Attributes={"MessageRetentionPeriod": str(14 * 86400)})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "topic-only", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": arn, "Condition": {"ArnLike": {"aws:SourceArn": topic_arn}}}]})})
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes={
        "RawMessageDelivery": "true", "FilterPolicyScope": "MessageBody",
        "FilterPolicy": json.dumps({"amount": [{"numeric": [">", 100, "<=", 1_000_000_000]}]})})
    return url
'''},
            # safely re-runnable: reuses the queue and its subscription
            {"name": "idempotent-setup", "code": '''
FRAUD_FILTER = {"amount": [{"numeric": [">", 100]}]}

def add_fraud_screen(sns, sqs, topic_arn):
    url = sqs.create_queue(QueueName="fraud-" + topic_arn.rsplit(":", 1)[-1])["QueueUrl"]
    arn = allow_topic(sqs, url, topic_arn)
    existing = [s for s in sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"] if s["Endpoint"] == arn]
    if not existing:
        sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes={
            "FilterPolicy": json.dumps(FRAUD_FILTER), "FilterPolicyScope": "MessageBody", "RawMessageDelivery": "true"})
    return url
'''},
        ],
    },
}


#: requirements no plausible wrong answer reaches (defence in depth), each with the reason
SAFETY_NETS = {
    "cap-3/pipeline-survives": ("fires only when the harness itself raises; the simulated Lambda poller catches every "
        "error of the learner's handler, and returns-pipeline catches the values that made the "
        "harness raise"),
}
