"""The sandbox's SNS signing key: a PUBLIC test key, made once for this course and published here.

It signs the sandbox's SNS deliveries so that a learner can verify them as a subscriber verifies
real ones (:mod:`course.aws.sns.signing`). It protects nothing: anyone can read it, so never trust
it outside the sandbox. Made with ``cryptography``: a 2048-bit RSA key (e = 65537) and a
certificate for it (subject ``CN=sns.amazonaws.com``, issuer ``Amazon RSA 2048 M01`` as moto names
it, serial 1, valid 2025-2125).
"""

from __future__ import annotations

__all__ = ["CERTIFICATE_PEM", "E", "N", "P", "Q"]

#: the certificate a ``SigningCertURL`` serves
CERTIFICATE_PEM = b"""-----BEGIN CERTIFICATE-----
MIIC0zCCAbugAwIBAgIBATANBgkqhkiG9w0BAQsFADA8MQswCQYDVQQGEwJVUzEP
MA0GA1UECgwGQW1hem9uMRwwGgYDVQQDDBNBbWF6b24gUlNBIDIwNDggTTAxMCAX
DTI1MDEwMTAwMDAwMFoYDzIxMjUwMTAxMDAwMDAwWjAcMRowGAYDVQQDDBFzbnMu
YW1hem9uYXdzLmNvbTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBALGk
pTaIVvJHRnnlJOnQCaQmSOAXze3L4SvngavvNX6yIN5naTN1oDYFcgmtNcNThLHu
8ayIiEAn3Vv/zTvCRli1H7DTI38/WI6lo65BaI+XQKOxloz9H8aDVMcnDwzuz/07
WMK0FLsmReRwS/CUDq3mFtJ6VSm1wGQILgbHdOB/u3fM8/TzSZqVRCUNi36cByIS
nqf2Vwk9kO7fik0N4AZs8xVxqEt0Gn/ZVgrDmbYhOLluMJ/lx2zT7l40wNi9tENB
mR/0UQXcy1dcSQbt9hkyivcfbCQlYL5qG+jQMEoDzOZAtUaQdvxVqBAFjYjGWQGO
EIecUDpgf+zh2auzauMCAwEAATANBgkqhkiG9w0BAQsFAAOCAQEAglpPt/1EUbw0
pqu8NyI9dK43xLETAL1wJFbgtDLRrG6zQbAvk3VnxjbEm3AV96FgfuuLS2z4xZEx
GSEX466Nfx4Dvt4OYrHlQ358QnNhlYHSRcKLbXnPsaJq1N0yPBKmXIRaQnkzSXay
BoB679zLN0cUu1sVSeidVaVsVoJqxLuSC4WJljZi8HHYFvDO47JJjvfZXTcdLObG
1r1v6eziVedb1/cf/4Nn1/hdl5a/EDVKXcR0IOWBTjbKBJUV2at4l/rIlH98zkwj
DL8Jmb/Zg+UB8YJdiYx+ENhQCNCNqUvZynz+M5LcAyfFAjzIvdo7w9TQKgBFVP37
z/1oVGNgOA==
-----END CERTIFICATE-----
"""

E = 65537
#: the modulus
N = int(
    "b1a4a5368856f2474679e524e9d009a42648e017cdedcbe12be781abef357eb220de67693375a036057209ad35c35384"
    "b1eef1ac88884027dd5bffcd3bc24658b51fb0d3237f3f588ea5a3ae41688f9740a3b1968cfd1fc68354c7270f0ceecf"
    "fd3b58c2b414bb2645e4704bf0940eade616d27a5529b5c064082e06c774e07fbb77ccf3f4f3499a9544250d8b7e9c07"
    "22129ea7f657093d90eedf8a4d0de0066cf31571a84b741a7fd9560ac399b62138b96e309fe5c76cd3ee5e34c0d8bdb4"
    "4341991ff45105dccb575c4906edf619328af71f6c242560be6a1be8d0304a03cce640b5469076fc55a810058d88c659"
    "018e10879c503a607fece1d9abb36ae3",
    16,
)
#: the two primes (the private exponent and the CRT values are derived from them)
P = int(
    "ec110db9af07846bd3b3ed3fa56dc67327ccf33a2a8fe53609ce11050c46cdf196ac81f30956d81d9636ed9b16306e47"
    "3c1b4843f995dca704ad1854fa2714327cd8d89147c59f1b6c2cd427a1cea2c538220a60d23764ed8f35af9044f23589"
    "ec70096687d48ba7f9cb0597629a61bc6e028b142d5dd96f03c26c3a93d096bb",
    16,
)
Q = int(
    "c0a4ad80ff2e779995c0e34ac7b0cf895b1a15b8fa8fce0b24f52601e0beac9e8b8ccca3eec8ab32b13bd76fa86fffc2"
    "d3f86e24a506874d27942e4171718f87f95dd54f0b3f15bfb3ba0246da29c51d0e4a0752ad390eaa3b72428e8e37ab5a"
    "dae62beb8c9331db497a494590d38256c3b1db179e18e7aaaf4de1836deefdf9",
    16,
)
