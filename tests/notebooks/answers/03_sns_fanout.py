"""Answers for 03_sns_fanout (format: tests/notebooks/conftest.py): per answer cell, plausible wrong
answers (each naming the requirement its check must report) and correct answers written differently."""

# a queue policy in the form the SQS console writes for "Subscribe to Amazon SNS topic"
CONSOLE_POLICY = '''
def console_policy(sqs, url, topic_arn):
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "topic-subscription-" + topic_arn, "Effect": "Allow", "Principal": {"AWS": "*"},
        "Action": "SQS:SendMessage", "Resource": arn, "Condition": {"ArnLike": {"aws:SourceArn": topic_arn}}}]})})
    return arn
'''


def _policy(statement: str) -> str:
    """A fan-out answer whose queue policy has the given statement (``arn``, ``topic_arn`` in scope)."""
    return f'''
def fan_out_orders(sns, sqs, topic_arn, queue_urls):
    for url in queue_urls:
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        statement = {statement}
        sqs.set_queue_attributes(QueueUrl=url, Attributes={{"Policy": json.dumps({{"Statement": [statement]}})}})
        sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn)
'''


def _fanout(subscribe: str = "    for url in (ledger, analytics):\n"
                             "        sns.subscribe(TopicArn=topic, Protocol=\"sqs\", Endpoint=allow_topic(sqs, url, topic))\n",
            topic: str = 'Name=f"{name}.fifo", Attributes={"FifoTopic": "true"}', returns: str = "topic, ledger, analytics") -> str:
    """A create_ordered_fanout answer: the solution's resources, with ``subscribe`` lines, ``topic``'s
    create_topic arguments and the ``returns`` expression changed."""
    return (f"""
def create_ordered_fanout(sns, sqs, name):
    topic = sns.create_topic({topic})["TopicArn"]
""" + """    ledger = sqs.create_queue(QueueName=f"{name}-ledger.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    analytics = sqs.create_queue(QueueName=f"{name}-analytics")["QueueUrl"]
""" + subscribe + f"    return {returns}\n")


ANSWERS = {
    "sns-1-answer": {
        "check": "sns-1",
        "wrong": [
            {   # subscribes, forgets the queue policy (moto would deliver; AWS would not)
                "name": "no-queue-policy",
                "requirement": "sns-1/queue-policy",
                "message": "no access policy",
                "code": '''
def fan_out_orders(sns, sqs, topic_arn, queue_urls):
    for url in queue_urls:
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn)
''',
            },
            {   # the service may send, from any topic: no aws:SourceArn condition
                "name": "service-without-source-arn",
                "requirement": "sns-1/policy-only-this-topic",
                "message": "lets other topics send",
                "code": _policy('{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, '
                                '"Action": "sqs:SendMessage", "Resource": arn}'),
            },
            {   # written for the three queues of the visible test
                "name": "three-queues-only",
                "requirement": "sns-1/queue-subscribed",
                "message": "is not subscribed",
                "code": '''
def fan_out_orders(sns, sqs, topic_arn, queue_urls):
    for url in queue_urls[:3]:
        sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=allow_topic(sqs, url, topic_arn))
''',
            },
            {   # tries it out: the test message is an extra copy in every queue
                "name": "publishes-a-test-message",
                "requirement": "sns-1/one-copy-per-queue",
                "message": "publish nothing yourself",
                "code": '''
def fan_out_orders(sns, sqs, topic_arn, queue_urls):
    for url in queue_urls:
        sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=allow_topic(sqs, url, topic_arn))
    sns.publish(TopicArn=topic_arn, Message="test")
''',
            },
        ],
        "alternative": [
            {   # the SQS console's form: Principal {"AWS": "*"} limited by aws:SourceArn
                "name": "console-principal-aws-star",
                "code": CONSOLE_POLICY + '''
def fan_out_orders(sns, sqs, topic_arn, queue_urls):
    for url in queue_urls:
        sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=console_policy(sqs, url, topic_arn))
''',
            },
            {   # subscribe first, policy after; a list of services, ArnLike, one statement as a dict
                "name": "subscribe-then-policy",
                "code": '''
def fan_out_orders(sns, sqs, topic_arn, queue_urls):
    for url in queue_urls:
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True)
        statement = {"Sid": "topic-only", "Effect": "Allow", "Principal": {"Service": ["sns.amazonaws.com"]},
                     "Action": ["sqs:SendMessage"], "Resource": arn,
                     "Condition": {"ArnLike": {"aws:SourceArn": topic_arn}}}
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({"Statement": statement})})
''',
            },
            {   # Principal "*" with StringEquals, plus an explicit deny of other topics
                "name": "star-with-string-equals-and-deny",
                "code": '''
def fan_out_orders(sns, sqs, topic_arn, queue_urls):
    arns = [sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"] for u in queue_urls]
    for url, arn in zip(queue_urls, arns):
        policy = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": arn,
             "Condition": {"StringEquals": {"aws:SourceArn": topic_arn}}},
            {"Effect": "Deny", "Principal": "*", "Action": "sqs:SendMessage", "Resource": arn,
             "Condition": {"ArnNotEquals": {"aws:SourceArn": topic_arn}}}]}
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    for arn in arns:
        sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn)
''',
            },
        ],
    },
    "sns-2-answer": {
        "check": "sns-2",
        "wrong": [
            {   # the value turned the wrong way
                "name": "false-not-true",
                "requirement": "sns-2/raw-delivery",
                "message": "SNS envelope",
                "code": '''
def enable_raw_delivery(sns, subscription_arn):
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RawMessageDelivery", AttributeValue="false")
''',
            },
            {   # set on the topic (moto stores it; the subscription still wraps)
                "name": "set-on-the-topic",
                "requirement": "sns-2/raw-delivery",
                "message": "RawMessageDelivery to 'true'",
                "code": '''
def enable_raw_delivery(sns, subscription_arn):
    topic_arn = subscription_arn.rsplit(":", 1)[0]
    sns.set_topic_attributes(TopicArn=topic_arn, AttributeName="RawMessageDelivery", AttributeValue="true")
''',
            },
            {   # a Python bool: botocore wants the string "true"
                "name": "python-bool",
                "requirement": "sns-2/answer-runs",
                "message": "ParamValidationError",
                "code": '''
def enable_raw_delivery(sns, subscription_arn):
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RawMessageDelivery", AttributeValue=True)
''',
            },
            {   # tries it out with a publish of its own
                "name": "publishes-a-test-message",
                "requirement": "sns-2/one-message",
                "message": "messages for one publish",
                "code": '''
def enable_raw_delivery(sns, subscription_arn):
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RawMessageDelivery", AttributeValue="true")
    topic_arn = sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]["TopicArn"]
    sns.publish(TopicArn=topic_arn, Message='{"test": true}')
''',
            },
        ],
        "alternative": [
            {   # read first, change only if needed
                "name": "read-then-set",
                "code": '''
def enable_raw_delivery(sns, subscription_arn):
    attributes = sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]
    if attributes.get("RawMessageDelivery") != "true":
        sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RawMessageDelivery",
                                        AttributeValue="True".lower())
''',
            },
            {   # a table of settings, applied in a loop
                "name": "settings-table",
                "code": '''
SETTINGS = {"RawMessageDelivery": json.dumps(True)}

def enable_raw_delivery(sns, subscription_arn):
    for name, value in SETTINGS.items():
        sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName=name, AttributeValue=value)
''',
            },
            {   # through a resource object's keyword arguments
                "name": "keyword-dict",
                "code": '''
def enable_raw_delivery(sns, subscription_arn):
    request = dict(SubscriptionArn=subscription_arn, AttributeName="RawMessageDelivery", AttributeValue="true")
    sns.set_subscription_attributes(**request)
    assert sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]["RawMessageDelivery"] == "true"
''',
            },
        ],
    },
    "sns-3-answer": {
        "check": "sns-3",
        "wrong": [
            {   # > instead of >=: the order of exactly 1,000 goes astray
                "name": "greater-not-at-least",
                "requirement": "sns-3/events-routed",
                "message": "exactly 1,000 from the EU",
                "code": '''
def set_routing(sns, fraud_subscription_arn, eu_subscription_arn):
    sns.set_subscription_attributes(SubscriptionArn=fraud_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps({"amount": [{"numeric": [">", 1000]}]}))
    sns.set_subscription_attributes(SubscriptionArn=eu_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps({"region": ["EU"]}))
''',
            },
            {   # an upper bound nobody asked for: the 25,000 order escapes fraud checks
                "name": "upper-bound",
                "requirement": "sns-3/events-routed",
                "message": "25,000 from APAC",
                "code": '''
def set_routing(sns, fraud_subscription_arn, eu_subscription_arn):
    sns.set_subscription_attributes(SubscriptionArn=fraud_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps({"amount": [{"numeric": [">=", 1000, "<=", 10000]}]}))
    sns.set_subscription_attributes(SubscriptionArn=eu_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps({"region": ["EU"]}))
''',
            },
            {   # "EU" in any case: a lower-case region is not EU
                "name": "ignore-case-region",
                "requirement": "sns-3/events-routed",
                "message": "region eu (lower case)",
                "code": '''
def set_routing(sns, fraud_subscription_arn, eu_subscription_arn):
    sns.set_subscription_attributes(SubscriptionArn=fraud_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps({"amount": [{"numeric": [">=", 1000]}]}))
    sns.set_subscription_attributes(SubscriptionArn=eu_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps({"region": [{"equals-ignore-case": "EU"}]}))
''',
            },
            {   # "not the US" is not "EU": UK and APAC orders reach the EU queue
                "name": "anything-but-us",
                "requirement": "sns-3/events-routed",
                "message": "25,000 from APAC",
                "code": '''
def set_routing(sns, fraud_subscription_arn, eu_subscription_arn):
    sns.set_subscription_attributes(SubscriptionArn=fraud_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps({"amount": [{"numeric": [">=", 1000]}]}))
    sns.set_subscription_attributes(SubscriptionArn=eu_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps({"region": [{"anything-but": ["US"]}]}))
''',
            },
        ],
        "alternative": [
            {   # prefix for the region, a range with a far upper bound, the EU first
                "name": "prefix-and-range",
                "code": '''
def set_routing(sns, fraud_subscription_arn, eu_subscription_arn):
    sns.set_subscription_attributes(SubscriptionArn=eu_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue='{"region": [{"prefix": "EU"}]}')
    sns.set_subscription_attributes(SubscriptionArn=fraud_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue='{"amount": [{"numeric": [">=", 1000, "<", 1e9]}]}')
''',
            },
            {   # scope set explicitly to the default, 1e3 as the number
                "name": "explicit-scope",
                "code": '''
def set_routing(sns, fraud_subscription_arn, eu_subscription_arn):
    for arn, policy in {fraud_subscription_arn: {"amount": [{"numeric": [">=", 1e3]}]},
                        eu_subscription_arn: {"region": ["EU"]}}.items():
        sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicyScope",
                                        AttributeValue="MessageAttributes")
        sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicy", AttributeValue=json.dumps(policy))
''',
            },
            {   # the EU as an $or of exact value (AWS accepts $or on attributes)
                "name": "or-policy",
                "code": '''
def set_routing(sns, fraud_subscription_arn, eu_subscription_arn):
    fraud = {"$or": [{"amount": [{"numeric": [">=", 1000]}]}, {"amount": [{"numeric": [">", 5000]}]}]}
    sns.set_subscription_attributes(SubscriptionArn=fraud_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps(fraud))
    sns.set_subscription_attributes(SubscriptionArn=eu_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps({"region": ["EU", "EU"]}))
''',
            },
        ],
    },
    "sns-4-answer": {
        "check": "sns-4",
        "wrong": [
            {   # a good policy, but read from the attributes (the default scope): AWS refuses nesting there
                "name": "attribute-scope",
                "requirement": "sns-4/answer-accepted-by-aws",
                "message": "AWS refused",
                "code": '''
def set_priority_routing(sns, priority_subscription_arn):
    policy = {"$or": [{"shipping": {"method": ["express"]}}, {"total": [{"numeric": [">=", 500]}]}]}
    sns.set_subscription_attributes(SubscriptionArn=priority_subscription_arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps(policy))
''',
            },
            {   # both conditions in one policy: AND, not OR
                "name": "and-not-or",
                "requirement": "sns-4/events-routed",
                "message": "express, 40",
                "code": '''
def set_priority_routing(sns, priority_subscription_arn):
    policy = {"shipping": {"method": ["express"]}, "total": [{"numeric": [">=", 500]}]}
    sns.set_subscription_attributes(SubscriptionArn=priority_subscription_arn, AttributeName="FilterPolicyScope", AttributeValue="MessageBody")
    sns.set_subscription_attributes(SubscriptionArn=priority_subscription_arn, AttributeName="FilterPolicy", AttributeValue=json.dumps(policy))
''',
            },
            {   # > 500: an order of exactly 500 is not priority
                "name": "greater-than-500",
                "requirement": "sns-4/events-routed",
                "message": "no shipping, 500",
                "code": '''
def set_priority_routing(sns, priority_subscription_arn):
    policy = {"$or": [{"shipping": {"method": ["express"]}}, {"total": [{"numeric": [">", 500]}]}]}
    sns.set_subscription_attributes(SubscriptionArn=priority_subscription_arn, AttributeName="FilterPolicyScope", AttributeValue="MessageBody")
    sns.set_subscription_attributes(SubscriptionArn=priority_subscription_arn, AttributeName="FilterPolicy", AttributeValue=json.dumps(policy))
''',
            },
            {   # "not standard" is not "express": pickup orders jump the queue
                "name": "anything-but-standard",
                "requirement": "sns-4/events-routed",
                "message": "pickup, 10",
                "code": '''
def set_priority_routing(sns, priority_subscription_arn):
    policy = {"$or": [{"shipping": {"method": [{"anything-but": ["standard"]}]}}, {"total": [{"numeric": [">=", 500]}]}]}
    sns.set_subscription_attributes(SubscriptionArn=priority_subscription_arn, AttributeName="FilterPolicyScope", AttributeValue="MessageBody")
    sns.set_subscription_attributes(SubscriptionArn=priority_subscription_arn, AttributeName="FilterPolicy", AttributeValue=json.dumps(policy))
''',
            },
        ],
        "alternative": [
            {   # a dotted key for the nested field, > 499.999
                "name": "dotted-key",
                "code": '''
def set_priority_routing(sns, priority_subscription_arn):
    policy = {"$or": [{"shipping.method": ["express"]}, {"total": [{"numeric": [">", 499.999]}]}]}
    for name, value in (("FilterPolicyScope", "MessageBody"), ("FilterPolicy", json.dumps(policy))):
        sns.set_subscription_attributes(SubscriptionArn=priority_subscription_arn, AttributeName=name, AttributeValue=value)
''',
            },
            {   # the $or the other way round, written as JSON text
                "name": "or-reversed-text",
                "code": '''
def set_priority_routing(sns, priority_subscription_arn):
    sns.set_subscription_attributes(SubscriptionArn=priority_subscription_arn, AttributeName="FilterPolicyScope",
                                    AttributeValue="MessageBody")
    sns.set_subscription_attributes(SubscriptionArn=priority_subscription_arn, AttributeName="FilterPolicy", AttributeValue=
        '{"$or": [{"total": [{"numeric": [">=", 500, "<=", 1000000000]}]}, {"shipping": {"method": ["express"]}}]}')
''',
            },
            {   # a helper that sets both attributes, the method as a prefix match
                "name": "helper-and-prefix",
                "code": '''
def body_filter(sns, subscription_arn, policy):
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="FilterPolicyScope", AttributeValue="MessageBody")
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="FilterPolicy", AttributeValue=json.dumps(policy))

def set_priority_routing(sns, priority_subscription_arn):
    body_filter(sns, priority_subscription_arn, {"$or": [
        {"shipping": {"method": [{"prefix": "express"}]}},
        {"total": [{"numeric": [">=", 500]}]}]})
''',
            },
        ],
    },
    "sns-5-answer": {
        "check": "sns-5",
        "wrong": [
            {   # a standard topic: AWS refuses to subscribe a FIFO queue to it
                "name": "standard-topic",
                "requirement": "sns-5/answer-accepted-by-aws",
                "message": "AWS refused",
                "code": _fanout(topic="Name=name"),
            },
            {   # the queues returned the other way round
                "name": "queues-swapped",
                "requirement": "sns-5/returns-resources",
                "message": "wrong order",
                "code": _fanout(returns="topic, analytics, ledger"),
            },
            {   # believes FIFO topics only feed FIFO queues
                "name": "standard-queue-not-subscribed",
                "requirement": "sns-5/standard-queue-delivered",
                "message": "FIFO topics can deliver to standard queues too",
                "code": _fanout(subscribe="    sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=allow_topic(sqs, ledger, topic))\n"),
            },
            {   # the analytics queue subscribed without a policy (moto delivers; AWS would not)
                "name": "analytics-without-policy",
                "requirement": "sns-5/queue-policy",
                "message": "no access policy",
                "code": _fanout(subscribe="    sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=allow_topic(sqs, ledger, topic))\n"
                                 "    arn = sqs.get_queue_attributes(QueueUrl=analytics, AttributeNames=['QueueArn'])['Attributes']['QueueArn']\n"
                                 "    sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=arn)\n"),
            },
            {   # the ledger queue created but never subscribed
                "name": "ledger-not-subscribed",
                "requirement": "sns-5/fifo-queue-in-order",
                "message": "subscribe the FIFO queue to the FIFO topic",
                "code": _fanout(subscribe="    allow_topic(sqs, ledger, topic)\n"
                                 "    sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=allow_topic(sqs, analytics, topic))\n"),
            },
            {   # names of its own choosing
                "name": "other-names",
                "requirement": "sns-5/names",
                "message": "use the names the exercise gives",
                "code": _fanout(topic='Name=f"{name}-topic.fifo", Attributes={"FifoTopic": "true"}'),
            },
            {   # limits SNS to the account (aws:SourceAccount), not to the topic: every topic of the account may send
                "name": "source-account-only",
                "requirement": "sns-5/policy-only-this-topic",
                "message": "lets other topics send",
                "code": '''
def create_ordered_fanout(sns, sqs, name):
    topic = sns.create_topic(Name=f"{name}.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    account = topic.split(":")[4]
    urls = []
    for queue_name, attributes in ((f"{name}-ledger.fifo", {"FifoQueue": "true"}), (f"{name}-analytics", {})):
        url = sqs.create_queue(QueueName=queue_name, Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        policy = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
            "Resource": arn, "Condition": {"StringEquals": {"aws:SourceAccount": account}}}]}
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
        urls.append(url)
    return topic, urls[0], urls[1]
''',
            },
        ],
        "alternative": [
            {   # content-based dedup, a loop over (name, attributes), a tuple built by unpacking
                "name": "content-dedup-loop",
                "code": '''
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
            {   # queues first, console-style policies, a list returned
                "name": "queues-first-console-policy",
                "code": CONSOLE_POLICY + '''
def create_ordered_fanout(sns, sqs, name):
    ledger = sqs.create_queue(QueueName=f"{name}-ledger.fifo", Attributes={"FifoQueue": "true",
                                                                           "ContentBasedDeduplication": "true"})["QueueUrl"]
    analytics = sqs.create_queue(QueueName=f"{name}-analytics")["QueueUrl"]
    topic = sns.create_topic(Name=f"{name}.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    for url in (analytics, ledger):
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=console_policy(sqs, url, topic))
    return [topic, ledger, analytics]
''',
            },
            {   # raw delivery to the ledger, the URL looked up by name
                "name": "raw-ledger-lookup",
                "code": '''
def create_ordered_fanout(sns, sqs, name):
    topic = sns.create_topic(Name=f"{name}.fifo", Attributes={"FifoTopic": "true", "FifoThroughputScope": "MessageGroup"})["TopicArn"]
    sqs.create_queue(QueueName=f"{name}-ledger.fifo", Attributes={"FifoQueue": "true"})
    sqs.create_queue(QueueName=f"{name}-analytics")
    ledger = sqs.get_queue_url(QueueName=f"{name}-ledger.fifo")["QueueUrl"]
    analytics = sqs.get_queue_url(QueueName=f"{name}-analytics")["QueueUrl"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=allow_topic(sqs, ledger, topic),
                  Attributes={"RawMessageDelivery": "true"})
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=allow_topic(sqs, analytics, topic))
    return topic, ledger, analytics
''',
            },
        ],
    },
    "sns-6-answer": {
        "check": "sns-6",
        "wrong": [
            {   # the queue's redrive policy instead of the subscription's
                "name": "queue-redrive-policy",
                "requirement": "sns-6/subscription-redrive-policy",
                "message": "you gave the *queue* a redrive policy instead",
                "code": '''
def add_subscription_dlq(sns, sqs, subscription_arn):
    attributes = sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]
    dlq_url = sqs.create_queue(QueueName="billing-dlq-wrong")["QueueUrl"]
    dlq_arn = allow_topic(sqs, dlq_url, attributes["TopicArn"])
    queue_url = sqs.get_queue_url(QueueName=attributes["Endpoint"].rsplit(":", 1)[-1])["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5})})
    return dlq_url
''',
            },
            {   # the queue it delivers to as its own DLQ
                "name": "endpoint-as-dlq",
                "requirement": "sns-6/dlq-not-endpoint",
                "message": "is the queue it delivers to",
                "code": '''
def add_subscription_dlq(sns, sqs, subscription_arn):
    attributes = sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]
    url = sqs.get_queue_url(QueueName=attributes["Endpoint"].rsplit(":", 1)[-1])["QueueUrl"]
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RedrivePolicy",
                                    AttributeValue=json.dumps({"deadLetterTargetArn": attributes["Endpoint"]}))
    return url
''',
            },
            {   # the ARN returned, not the URL
                "name": "returns-arn",
                "requirement": "sns-6/returns-dlq-url",
                "message": "not the URL of an existing queue",
                "code": '''
def add_subscription_dlq(sns, sqs, subscription_arn):
    topic_arn = sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]["TopicArn"]
    dlq_url = sqs.create_queue(QueueName="billing-delivery-dlq")["QueueUrl"]
    dlq_arn = allow_topic(sqs, dlq_url, topic_arn)
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RedrivePolicy",
                                    AttributeValue=json.dumps({"deadLetterTargetArn": dlq_arn}))
    return dlq_arn
''',
            },
            {   # a FIFO DLQ for a standard topic
                "name": "fifo-dlq",
                "requirement": "sns-6/dlq-standard",
                "message": "must be a standard SQS queue",
                "code": '''
def add_subscription_dlq(sns, sqs, subscription_arn):
    topic_arn = sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]["TopicArn"]
    dlq_url = sqs.create_queue(QueueName="billing-delivery-dlq.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RedrivePolicy",
                                    AttributeValue=json.dumps({"deadLetterTargetArn": allow_topic(sqs, dlq_url, topic_arn)}))
    return dlq_url
''',
            },
            {   # the DLQ without an access policy: SNS cannot write the failed message there
                "name": "dlq-without-policy",
                "requirement": "sns-6/dlq-policy",
                "message": "no access policy",
                "code": '''
def add_subscription_dlq(sns, sqs, subscription_arn):
    dlq_url = sqs.create_queue(QueueName="billing-delivery-dlq-open")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RedrivePolicy",
                                    AttributeValue=json.dumps({"deadLetterTargetArn": dlq_arn}))
    return dlq_url
''',
            },
            {   # the DLQ named after the queue, its ARN written by hand from the topic's (as if named after the topic)
                "name": "hand-written-arn-other-name",
                "requirement": "sns-6/targets-returned-dlq",
                "message": "names a different queue than the one you returned",
                "code": '''
def add_subscription_dlq(sns, sqs, subscription_arn):
    attributes = sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]
    dlq_url = sqs.create_queue(QueueName=attributes["Endpoint"].rsplit(":", 1)[-1] + "-dlq")["QueueUrl"]
    allow_topic(sqs, dlq_url, attributes["TopicArn"])
    dlq_arn = attributes["TopicArn"].replace(":sns:", ":sqs:") + "-dlq"
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RedrivePolicy",
                                    AttributeValue=json.dumps({"deadLetterTargetArn": dlq_arn}))
    return dlq_url
''',
            },
            {   # a DLQ policy every topic may use
                "name": "dlq-any-topic",
                "requirement": "sns-6/dlq-policy-only-this-topic",
                "message": "lets other topics send",
                "code": '''
def add_subscription_dlq(sns, sqs, subscription_arn):
    dlq_url = sqs.create_queue(QueueName="billing-delivery-dlq-any")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=dlq_url, Attributes={"Policy": json.dumps({"Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": dlq_arn}]})})
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RedrivePolicy",
                                    AttributeValue=json.dumps({"deadLetterTargetArn": dlq_arn}))
    return dlq_url
''',
            },
        ],
        "alternative": [
            {   # the JSON written by hand, the name from the subscription id
                "name": "hand-written-json",
                "code": '''
def add_subscription_dlq(sns, sqs, subscription_arn):
    topic_arn = sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]["TopicArn"]
    dlq_url = sqs.create_queue(QueueName="undeliverable-" + subscription_arn.rsplit(":", 1)[-1][:20])["QueueUrl"]
    arn = allow_topic(sqs, dlq_url, topic_arn)
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RedrivePolicy",
                                    AttributeValue='{"deadLetterTargetArn": "%s"}' % arn)
    return dlq_url
''',
            },
            {   # the console's policy form, set after the redrive policy
                "name": "console-policy-after",
                "code": CONSOLE_POLICY + '''
def add_subscription_dlq(sns, sqs, subscription_arn):
    topic_arn = sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]["TopicArn"]
    dlq_url = sqs.create_queue(QueueName="sub-dlq-" + topic_arn.rsplit(":", 1)[-1],
                               Attributes={"MessageRetentionPeriod": str(14 * 24 * 3600)})["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RedrivePolicy",
                                    AttributeValue=json.dumps({"deadLetterTargetArn": dlq_arn}))
    console_policy(sqs, dlq_url, topic_arn)
    return dlq_url
''',
            },
            {   # the policy given at creation, the topic from the subscription ARN
                "name": "policy-at-create",
                "code": '''
def add_subscription_dlq(sns, sqs, subscription_arn):
    topic_arn = subscription_arn.rsplit(":", 1)[0]
    name = "dlq-" + topic_arn.rsplit(":", 1)[-1]
    dlq_arn = topic_arn.replace(":sns:", ":sqs:").rsplit(":", 1)[0] + ":" + name
    policy = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
                             "Resource": dlq_arn, "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}]}
    dlq_url = sqs.create_queue(QueueName=name, Attributes={"Policy": json.dumps(policy)})["QueueUrl"]
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RedrivePolicy",
                                    AttributeValue=json.dumps({"deadLetterTargetArn": dlq_arn}))
    return dlq_url
''',
            },
        ],
    },
}


#: requirements no plausible wrong answer reaches (defence in depth), each with the reason
SAFETY_NETS = {
    "sns-5/fifo-topic": ("names is judged first and needs '<name>.fifo', and AWS (as the sandbox) creates a "
        ".fifo topic only as a FIFO topic"),
}
