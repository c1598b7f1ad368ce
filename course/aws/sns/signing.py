"""SNS message signatures without a new RSA key per subscription (same envelope, same checks).

AWS signs every notification it delivers (``Signature``, ``SigningCertURL``, ``SignatureVersion``):
a subscriber verifies the signature with the certificate at that URL before trusting the message
(SNS Developer Guide, "Verifying the signatures of Amazon SNS messages"). moto does the same, but
makes a fresh 2048-bit RSA key for every subscription object and a certificate for every delivery
- about 0.15 s per subscription, paid by every fan-out demo and check. Here one key per sandbox
signs every delivery; the envelope and its signature are made exactly as moto makes them.
"""

from __future__ import annotations

from typing import Any

from course.sandbox import Sandbox

__all__ = ["install"]


def install(sandbox: Sandbox) -> None:
    """Sign with one key per sandbox (made on the first delivery) instead of one per subscription."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from moto.sns.models import Subscription

    keys: dict[str, Any] = sandbox.registry.state("sns.signing-key", dict)

    def private_key(subscription: Any) -> Any:
        if "key" not in keys:
            keys["key"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return keys["key"]

    sandbox.registry.patch(Subscription, "private_key", private_key)
