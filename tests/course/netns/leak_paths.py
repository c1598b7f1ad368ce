"""Run inside a network namespace with no route out: try every known leak path, print JSON.

Each scenario reports "blocked" (the guard's own NetworkBlockedError), "allowed" or the other
error it met. Loopback scenarios must be "allowed".
"""

import http.server
import json
import socket
import sys
import threading
import urllib.request

import boto3
from botocore.config import Config

resolved = []  # DNS lookups that reached the real resolver


def audit(event, args):
    if event == "socket.getaddrinfo" and args[0] not in (None, "localhost", "127.0.0.1", "::1"):
        resolved.append(args[0])


early_client = boto3.client("sqs", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
from socket import getaddrinfo as early_getaddrinfo  # noqa: E402 - bound before the guard

import course  # noqa: E402
from course import NetworkBlockedError  # noqa: E402

cloud = course.start()
course.start()  # re-running the setup cell must not stack patches
sys.addaudithook(audit)  # after the guard's hook: records only lookups the guard let through

results = {}


def attempt(name, action):
    try:
        action()
        results[name] = "allowed"
    except NetworkBlockedError as error:
        results[name] = "blocked" if str(error).startswith("This course runs offline") else f"bad message: {error}"
    except Exception as error:  # noqa: BLE001 - report whatever happened
        results[name] = f"{type(error).__name__}: {error}"[:200]


attempt("client made before the sandbox", lambda: early_client.list_queues())
attempt("custom endpoint_url", lambda: cloud.client("sqs", endpoint_url="http://192.0.2.1:4566").list_queues())
attempt("dualstack endpoint", lambda: cloud.client("sqs", config=Config(use_dualstack_endpoint=True)).list_queues())
attempt("requests", lambda: __import__("requests").get("http://192.0.2.1/", timeout=2))
attempt("urllib", lambda: urllib.request.urlopen("http://192.0.2.1/", timeout=2))
attempt("raw socket connect", lambda: socket.socket().connect(("192.0.2.1", 443)))
attempt("DNS lookup", lambda: socket.getaddrinfo("sqs.us-east-1.amazonaws.com", 443))
attempt("UDP sendto", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("192.0.2.1", 53)))
attempt("getaddrinfo bound before the guard", lambda: early_getaddrinfo("sqs.us-east-1.amazonaws.com", 443))
sns = cloud.client("sns")
topic = sns.create_topic(Name="orders")["TopicArn"]
sns.subscribe(TopicArn=topic, Protocol="http", Endpoint="http://192.0.2.1/hook")
attempt("SNS HTTP subscription delivery", lambda: sns.publish(TopicArn=topic, Message="order placed"))
attempt("moto still works", lambda: cloud.client("sqs").create_queue(QueueName="ok"))

server = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
threading.Thread(target=server.serve_forever, daemon=True).start()
attempt("local server on 127.0.0.1", lambda: urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/", timeout=5))
server.shutdown()

results["resolved names"] = resolved
results["getaddrinfo wrapped once"] = socket.getaddrinfo.__code__ is not early_getaddrinfo.__code__ and \
    "guarded" in socket.getaddrinfo.__qualname__ and len(cloud.guard._originals) == 9
print(json.dumps(results))
