"""SNS message signatures without ``cryptography`` and without a new RSA key per delivery.

AWS signs every notification it delivers (``Signature``, ``SigningCertURL``, ``SignatureVersion``):
a subscriber verifies the signature with the certificate at that URL before trusting the message
(SNS Developer Guide, "Verifying the signatures of Amazon SNS messages"). moto does the same with
``cryptography``: a fresh 2048-bit RSA key for every subscription object and a certificate for
every delivery - about 0.15 s per subscription, paid by every fan-out demo and check.

Here every delivery is signed with the course's published test key
(:mod:`course.aws.sns.sandbox_key`): the same envelope, the same string to sign, an RSA PKCS#1 v1.5
SHA-256 signature (``SignatureVersion`` 2) computed with Python's own ``pow``, and the key's
certificate served under the ``SigningCertURL``. So a subscriber's verification works as with AWS,
and the sandbox needs no ``cryptography`` - which the browser build of the course cannot load.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from course.aws.sns import sandbox_key
from course.sandbox import Sandbox

__all__ = ["install", "sign", "signature", "string_to_sign"]

#: DER prefix of a SHA-256 DigestInfo (RFC 8017, section 9.2, note 1)
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
_KEY_BYTES = (sandbox_key.N.bit_length() + 7) // 8
# CRT form of the private key: two half-size exponentiations instead of one full-size one
_DP = pow(sandbox_key.E, -1, sandbox_key.P - 1)
_DQ = pow(sandbox_key.E, -1, sandbox_key.Q - 1)
_Q_INV = pow(sandbox_key.Q, -1, sandbox_key.P)


def string_to_sign(envelope: dict[str, Any]) -> str:
    """The text SNS signs for a ``Notification``: each signed field's name and value, one a line."""
    names = ["Message", "MessageId", *(["Subject"] if "Subject" in envelope else []), "Timestamp", "TopicArn", "Type"]
    return "".join(f"{name}\n{envelope[name]}\n" for name in names)


def sign(data: bytes) -> bytes:
    """RSASSA-PKCS1-v1_5 with SHA-256 under the sandbox key (RFC 8017, 8.2.1)."""
    digest_info = _SHA256_DIGEST_INFO + hashlib.sha256(data).digest()
    encoded = b"\x00\x01" + b"\xff" * (_KEY_BYTES - len(digest_info) - 3) + b"\x00" + digest_info
    message = int.from_bytes(encoded, "big")
    m1 = pow(message, _DP, sandbox_key.P)
    m2 = pow(message, _DQ, sandbox_key.Q)
    signature = m2 + (_Q_INV * (m1 - m2) % sandbox_key.P) * sandbox_key.Q
    return signature.to_bytes(_KEY_BYTES, "big")


def signature(envelope: dict[str, Any]) -> str:
    """The ``Signature`` field for an envelope: its string to sign, signed, in base64."""
    return base64.b64encode(sign(string_to_sign(envelope).encode("utf-8"))).decode("ascii")


def install(sandbox: Sandbox) -> None:
    """Build delivery envelopes as moto does, signed with the sandbox key instead of a new RSA key.

    The replacement does not call moto's ``get_post_data``: all it would add is the RSA key and
    certificate this module exists to avoid. Install it before anything that wraps the envelope
    (:mod:`course.aws.sns.archive` re-signs the replays it re-dates).
    """
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.core.utils import iso_8601_datetime_with_milliseconds
    from moto.moto_api._internal import mock_random
    from moto.sns.models import Subscription, sns_backends

    def get_post_data(
        subscription: Any, message: str, message_id: str, subject: str | None,
        message_attributes: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        # one uuid per delivery, drawn from moto's seeded generator exactly as moto draws it
        key_name = f"SimpleNotificationService-{str(mock_random.uuid4()).replace('-', '')}.pem"
        region = subscription.topic.sns_backend.region_name
        # moto serves certificates from the default account's backend: the URL names no account
        sns_backends[DEFAULT_ACCOUNT_ID][region]._message_public_keys[key_name] = sandbox_key.CERTIFICATE_PEM
        envelope: dict[str, Any] = {
            "Type": "Notification",
            "MessageId": message_id,
            "TopicArn": subscription.topic.arn,
            "Message": message,
            "Timestamp": iso_8601_datetime_with_milliseconds(),
            "SignatureVersion": "2",
            "SigningCertURL": f"https://sns.{region}.amazonaws.com/{key_name}",
            "UnsubscribeURL": (
                f"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:"
                f"{subscription.account_id}:{subscription.topic.name}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55"
            ),
        }
        if subject:
            envelope["Subject"] = subject
        if message_attributes:
            envelope["MessageAttributes"] = message_attributes
        envelope["Signature"] = signature(envelope)
        return envelope

    sandbox.registry.patch(Subscription, "get_post_data", get_post_data)
