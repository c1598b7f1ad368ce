"""SNS deliveries are signed as AWS signs them - a subscriber verifies each one with the certificate
at its SigningCertURL - with the course's published test key, computed without ``cryptography``
(which the browser build of the course cannot load). ``cryptography`` verifies here, as a
subscriber's library would."""

import base64
import json

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from course.aws.sns import sandbox_key, signing


def subscribe_queues(cloud, subscriptions):
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    topic = sns.create_topic(Name="signed")["TopicArn"]
    urls = []
    for i in range(subscriptions):
        url = sqs.create_queue(QueueName=f"signed-{i}")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
        urls.append(url)
    return topic, urls


def envelopes(cloud, subscriptions=2, **publish):
    topic, urls = subscribe_queues(cloud, subscriptions=subscriptions)
    cloud.client("sns").publish(TopicArn=topic, Message="order 1", **publish)
    sqs = cloud.client("sqs")
    return [json.loads(sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"]) for url in urls]


def certificate(cloud, envelope):
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    pem = sns_backends[DEFAULT_ACCOUNT_ID][cloud.region]._message_public_keys[
        envelope["SigningCertURL"].rsplit("/", 1)[1]]
    return x509.load_pem_x509_certificate(pem)


def verify(cloud, envelope):
    """The subscriber's check from the SNS Developer Guide ("Verifying the signatures of Amazon SNS
    messages"): rebuild the string to sign from the fields, verify it with the certificate's key."""
    names = ["Message", "MessageId", *(["Subject"] if "Subject" in envelope else []), "Timestamp", "TopicArn", "Type"]
    signed = "".join(f"{name}\n{envelope[name]}\n" for name in names)
    certificate(cloud, envelope).public_key().verify(
        base64.b64decode(envelope["Signature"]), signed.encode(), padding.PKCS1v15(), hashes.SHA256())


def test_each_delivery_carries_a_signature_its_certificate_verifies(cloud):
    for envelope in envelopes(cloud):
        verify(cloud, envelope)
        assert envelope["SignatureVersion"] == "2"


def test_the_subject_is_signed_when_there_is_one(cloud):
    """AWS signs Subject too when a message has one (moto leaves it out)."""
    for envelope in envelopes(cloud, Subject="new order"):
        assert envelope["Subject"] == "new order"
        verify(cloud, envelope)


def test_a_tampered_message_fails_verification(cloud):
    """What the signature is for: a subscriber rejects a message changed on the way."""
    envelope = envelopes(cloud, subscriptions=1)[0]
    with pytest.raises(InvalidSignature):
        verify(cloud, {**envelope, "Message": "order 1 (refund me)"})


def test_a_replayed_message_keeps_its_original_timestamp_and_still_verifies(cloud):
    """Replay re-dates the envelope to the original Timestamp; the signature must cover that."""
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    topic = sns.create_topic(Name="ledger.fifo", Attributes={
        "FifoTopic": "true", "ContentBasedDeduplication": "true",
        "ArchivePolicy": json.dumps({"MessageRetentionPeriod": "7"})})["TopicArn"]
    url = sqs.create_queue(QueueName="ledger-copy")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)["SubscriptionArn"]
    start = cloud.now()
    sns.publish(TopicArn=topic, Message="order 1", MessageGroupId="orders")
    original = json.loads(sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"])
    cloud.advance(3600)
    sns.set_subscription_attributes(SubscriptionArn=subscription, AttributeName="ReplayPolicy", AttributeValue=json.dumps(
        {"PointType": "Timestamp", "StartingPoint": start.isoformat()}))
    replayed = [json.loads(m["Body"]) for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
                if json.loads(m["Body"]).get("Replayed")]
    assert replayed and replayed[0]["Timestamp"] == original["Timestamp"]
    verify(cloud, replayed[0])


def test_one_published_key_signs_every_delivery(cloud):
    first, second = envelopes(cloud)
    assert certificate(cloud, first).public_key().public_numbers() == rsa.RSAPublicNumbers(sandbox_key.E, sandbox_key.N)
    assert certificate(cloud, second).public_key().public_numbers() == certificate(cloud, first).public_key().public_numbers()


def test_deliveries_make_no_rsa_key_and_no_certificate(cloud, monkeypatch):
    """Signing needs no cryptography: a sandbox whose cryptography refuses every key and certificate
    still delivers verifiable fan-out (the browser build has no cryptography at all)."""
    def refuse(*args, **kwargs):
        raise AssertionError("the sandbox called cryptography")

    monkeypatch.setattr(rsa, "generate_private_key", refuse)
    monkeypatch.setattr(x509.CertificateBuilder, "sign", refuse)
    for envelope in envelopes(cloud, subscriptions=3):
        verify(cloud, envelope)


def test_sign_matches_cryptography_pkcs1v15_sha256():
    """The pure-Python signature is byte for byte what cryptography makes with the same key."""
    p, q, e = sandbox_key.P, sandbox_key.Q, sandbox_key.E
    d = pow(e, -1, (p - 1) * (q - 1))
    key = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p),
                                rsa.RSAPublicNumbers(e, p * q)).private_key()
    data = "Message\nhello\n".encode()
    assert signing.sign(data) == key.sign(data, padding.PKCS1v15(), hashes.SHA256())
