"""Answers for 03_sns_fanout (format: tests/notebooks/conftest.py)."""

ANSWERS = {
    "sns-1-answer": {
        "check": "sns-1",
        # subscribes, forgets the queue policy (moto would deliver; AWS would not)
        "wrong": '''
def fan_out_orders(sns, sqs, topic_arn, queue_urls):
    for url in queue_urls:
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn)
''',
        "message": "no access policy",
        "alternative": '''
def fan_out_orders(sns, sqs, topic_arn, queue_urls):
    for url in queue_urls:
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]["QueueArn"]
        statement = {"Sid": "topic-only", "Effect": "Allow", "Principal": {"Service": ["sns.amazonaws.com"]},
                     "Action": ["sqs:SendMessage"], "Resource": arn,
                     "Condition": {"ArnLike": {"aws:SourceArn": topic_arn}}}
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({"Statement": [statement]})})
        sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True)
''',
    },
    "sns-2-answer": {
        "check": "sns-2",
        # filters nothing and changes nothing that matters: the envelope stays
        "wrong": '''
def enable_raw_delivery(sns, subscription_arn):
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RawMessageDelivery", AttributeValue="false")
''',
        "message": "SNS envelope",
        "alternative": '''
def enable_raw_delivery(sns, subscription_arn):
    attributes = sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]
    if attributes.get("RawMessageDelivery") != "true":
        sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RawMessageDelivery",
                                        AttributeValue="True".lower())
''',
    },
    "sns-3-answer": {
        "check": "sns-3",
        # > instead of >=: the order of exactly 1,000 goes astray
        "wrong": '''
def set_routing(sns, fraud_subscription_arn, eu_subscription_arn):
    sns.set_subscription_attributes(SubscriptionArn=fraud_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps({"amount": [{"numeric": [">", 1000]}]}))
    sns.set_subscription_attributes(SubscriptionArn=eu_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps({"region": ["EU"]}))
''',
        "message": "exactly 1,000 from the EU",
        "alternative": '''
def set_routing(sns, fraud_subscription_arn, eu_subscription_arn):
    sns.set_subscription_attributes(SubscriptionArn=eu_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue='{"region": [{"prefix": "EU"}]}')
    sns.set_subscription_attributes(SubscriptionArn=fraud_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue='{"amount": [{"numeric": [">=", 1000, "<", 1e9]}]}')
''',
    },
    "sns-4-answer": {
        "check": "sns-4",
        # a good policy, but read from the attributes (the default scope)
        "wrong": '''
def set_priority_routing(sns, priority_subscription_arn):
    policy = {"$or": [{"shipping": {"method": ["express"]}}, {"total": [{"numeric": [">=", 500]}]}]}
    sns.set_subscription_attributes(SubscriptionArn=priority_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps(policy))
''',
        "message": "AWS refused",
        "alternative": '''
def set_priority_routing(sns, priority_subscription_arn):
    policy = {"$or": [{"shipping.method": ["express"]}, {"total": [{"numeric": [">", 499.999]}]}]}
    for name, value in (("FilterPolicyScope", "MessageBody"), ("FilterPolicy", json.dumps(policy))):
        sns.set_subscription_attributes(SubscriptionArn=priority_subscription_arn, AttributeName=name, AttributeValue=value)
''',
    },
    "sns-5-answer": {
        "check": "sns-5",
        # a standard topic: AWS refuses to subscribe a FIFO queue to it
        "wrong": '''
def create_ordered_fanout(sns, sqs, name):
    topic = sns.create_topic(Name=name)["TopicArn"]
    ledger = sqs.create_queue(QueueName=f"{name}-ledger.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    analytics = sqs.create_queue(QueueName=f"{name}-analytics")["QueueUrl"]
    for url in (ledger, analytics):
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=allow_topic(sqs, url, topic))
    return topic, ledger, analytics
''',
        "message": "AWS refused",
        "alternative": '''
def create_ordered_fanout(sns, sqs, name):
    topic = sns.create_topic(Name=name + ".fifo", Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
    urls = []
    for queue_name, attributes in ((name + "-ledger.fifo", {"FifoQueue": "true"}), (name + "-analytics", {})):
        url = sqs.create_queue(QueueName=queue_name, Attributes=attributes)["QueueUrl"]
        arn = allow_topic(sqs, url, topic)
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "false"})
        urls.append(url)
    return (topic, *urls)
''',
    },
    "sns-6-answer": {
        "check": "sns-6",
        # the queue's redrive policy instead of the subscription's
        "wrong": '''
def add_subscription_dlq(sns, sqs, subscription_arn):
    attributes = sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]
    dlq_url = sqs.create_queue(QueueName="billing-dlq-wrong")["QueueUrl"]
    dlq_arn = allow_topic(sqs, dlq_url, attributes["TopicArn"])
    queue_url = sqs.get_queue_url(QueueName=attributes["Endpoint"].rsplit(":", 1)[-1])["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5})})
    return dlq_url
''',
        "message": "you gave the *queue* a redrive policy instead",
        "alternative": '''
def add_subscription_dlq(sns, sqs, subscription_arn):
    topic_arn = sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]["TopicArn"]
    dlq_url = sqs.create_queue(QueueName="undeliverable-" + subscription_arn.rsplit(":", 1)[-1][:20])["QueueUrl"]
    arn = allow_topic(sqs, dlq_url, topic_arn)
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RedrivePolicy",
                                    AttributeValue='{"deadLetterTargetArn": "%s"}' % arn)
    return dlq_url
''',
    },
}
