"""SNS deliveries are signed as AWS signs them - a subscriber can verify each one - with one key per
sandbox instead of a fresh RSA key per subscription."""

import base64
import json

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding


def envelopes(cloud, subscriptions=2):
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    topic = sns.create_topic(Name="signed")["TopicArn"]
    urls = []
    for i in range(subscriptions):
        url = sqs.create_queue(QueueName=f"signed-{i}")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
        urls.append(url)
    sns.publish(TopicArn=topic, Message="order 1")
    return [json.loads(sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"]) for url in urls]


def public_numbers(cloud, envelope):
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    pem = sns_backends[DEFAULT_ACCOUNT_ID][cloud.region]._message_public_keys[
        envelope["SigningCertURL"].rsplit("/", 1)[1]]
    return x509.load_pem_x509_certificate(pem).public_key()


def test_each_delivery_carries_a_signature_its_certificate_verifies(cloud):
    """The subscriber's check from the SNS Developer Guide ("Verifying the signatures of Amazon SNS
    messages"): rebuild the string to sign, verify it with the certificate's public key."""
    for envelope in envelopes(cloud):
        signed = "".join(f"{name}\n{envelope[name]}\n" for name in ("Message", "MessageId", "Timestamp", "TopicArn",
                                                                     "Type"))
        public_numbers(cloud, envelope).verify(base64.b64decode(envelope["Signature"]), signed.encode(), padding.PKCS1v15(), hashes.SHA256())
        assert envelope["SignatureVersion"] == "2"


def test_one_key_signs_every_subscription_of_a_sandbox(cloud):
    first, second = envelopes(cloud)
    assert public_numbers(cloud, first).public_numbers() == public_numbers(cloud, second).public_numbers()
