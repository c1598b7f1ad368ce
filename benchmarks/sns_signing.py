"""What does signing an SNS delivery cost? moto's way and the course's, side by side in one run.

moto (``Subscription.get_post_data``) makes an RSA key per subscription object and a certificate per
delivery with ``cryptography``; the course signs with its published test key in pure Python
(``course.aws.sns.signing``). Both sign the same envelope for a fan-out of one message to N SQS
subscriptions. Prints milliseconds per delivery for each (median of the repeats) and the ratio.

Run: ``.venv/bin/python benchmarks/sns_signing.py [--subscriptions N] [--repeat N]``
"""

from __future__ import annotations

import argparse
import statistics
import time

import course


def fan_out(subscriptions: int, moto_signing: bool) -> float:
    """Seconds per delivery for one publish to ``subscriptions`` SQS queues (fresh sandbox)."""
    from moto.sns.models import Subscription

    moto_get_post_data = Subscription.get_post_data  # no sandbox runs: this is moto's own
    cloud = course.start()
    try:
        if moto_signing:  # moto's method for this sandbox only (the registry undoes it on stop)
            cloud.registry.patch(Subscription, "get_post_data", moto_get_post_data)
        sns, sqs = cloud.client("sns"), cloud.client("sqs")
        topic = sns.create_topic(Name="bench")["TopicArn"]
        for i in range(subscriptions):
            url = sqs.create_queue(QueueName=f"bench-{i}")["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
        start = time.perf_counter()
        sns.publish(TopicArn=topic, Message="order 1")
        return (time.perf_counter() - start) / subscriptions
    finally:
        cloud.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    results = {}
    for name, moto_signing in (("moto (RSA key + certificate)", True), ("course (test key, pure Python)", False)):
        runs = [fan_out(args.subscriptions, moto_signing) for _ in range(args.repeat)]
        results[name] = statistics.median(runs)
        print(f"{name:32} {results[name] * 1000:8.2f} ms per delivery  (runs: "
              + ", ".join(f"{r * 1000:.1f}" for r in runs) + ")")
    moto_ms, course_ms = results.values()
    print(f"moto / course: {moto_ms / course_ms:.1f}x  ({args.subscriptions} subscriptions, {args.repeat} runs)")


if __name__ == "__main__":
    main()
