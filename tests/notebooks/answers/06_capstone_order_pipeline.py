"""Answers for 06_capstone_order_pipeline (format: tests/notebooks/conftest.py)."""

ANSWERS = {
    "cap-1-answer": {
        "check": ["cap-1", "cap-4"],
        # wired, but with no DLQs and no archive
        "wrong": '''
def build_pipeline(cloud):
    sns, sqs, events = cloud.client("sns"), cloud.client("sqs"), cloud.client("events")
    kinesis, firehose, s3 = cloud.client("kinesis"), cloud.client("firehose"), cloud.client("s3")
    topic = sns.create_topic(Name="orders")["TopicArn"]
    urls = {}
    for role in ("billing", "shipping"):
        url = sqs.create_queue(QueueName=role, Attributes={"VisibilityTimeout": "180"})["QueueUrl"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=allow_topic(sqs, url, topic))
        urls[role] = url
    if "shop" not in [b["Name"] for b in events.list_event_buses()["EventBuses"]]:
        events.create_event_bus(Name="shop")
    if "order-analytics" not in kinesis.list_streams()["StreamNames"]:
        kinesis.create_stream(StreamName="order-analytics", ShardCount=1)
    stream_arn = kinesis.describe_stream(StreamName="order-analytics")["StreamDescription"]["StreamARN"]
    s3.create_bucket(Bucket="order-archive")
    if "order-archive" not in firehose.list_delivery_streams()["DeliveryStreamNames"]:
        firehose.create_delivery_stream(DeliveryStreamName="order-archive", ExtendedS3DestinationConfiguration={
            "RoleARN": f"arn:aws:iam::{ACCOUNT}:role/firehose", "BucketARN": "arn:aws:s3:::order-archive"})
    fh = firehose.describe_delivery_stream(DeliveryStreamName="order-archive")["DeliveryStreamDescription"]["DeliveryStreamARN"]
    events.put_rule(Name="billed", EventBusName="shop", EventPattern=json.dumps({"detail-type": ["OrderBilled"]}))
    iam = cloud.client("iam")
    if "to-streams" not in [r["RoleName"] for r in iam.list_roles()["Roles"]]:
        iam.create_role(RoleName="to-streams", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
        iam.put_role_policy(RoleName="to-streams", PolicyName="put", PolicyDocument=json.dumps({"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["kinesis:PutRecord", "firehose:PutRecord"], "Resource": "*"}]}))
    role = iam.get_role(RoleName="to-streams")["Role"]["Arn"]
    events.put_targets(Rule="billed", EventBusName="shop", Targets=[{"Id": "k", "Arn": stream_arn, "RoleArn": role},
                                                                    {"Id": "f", "Arn": fh, "RoleArn": role}])
    return {"topic_arn": topic, "billing_queue_url": urls["billing"], "shipping_queue_url": urls["shipping"],
            "bus_name": "shop", "stream_name": "order-analytics", "delivery_stream_name": "order-archive",
            "bucket": "order-archive"}
''',
        "message": "dead-letter queue",
        "alternative": '''
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
''',
    },
    "cap-2-answer": {
        "check": ["cap-2", "cap-3"],
        "needs": ["cap-1-answer"],  # the checks run the learner's pipeline with the learner's handler
        # charges, but never tells the bus
        "wrong": '''
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
''',
        "message": "OrderBilled events missing",
        "alternative": '''
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
''',
    },
    "cap-5-answer": {
        "check": "cap-5",
        # the classic: SNS alone for fan-out, SQS for a replayable stream
        "wrong": '''
def choose_services(scenarios):
    return {s: ("SQS" if "replayable" in s or "retries" in s else "EventBridge") for s in scenarios}
''',
        "message": "differ from the pattern table",
        "alternative": '''
def choose_services(scenarios):
    table = ["SQS", "SNS + SQS", "EventBridge", "Kinesis", "Firehose"]
    return dict(zip(scenarios, table))
''',
    },
}
