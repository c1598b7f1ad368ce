"""Fan-out graph: topic -> subscriptions (with their filter policies) -> endpoints.

>>> graph = FanoutGraph(cloud, topic_arn)
>>> graph.trace(message='{"total": 700}', attributes={"region": "EU"})   # which edges it takes, and why
>>> graph.widget()
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

from course.sandbox import Sandbox
from course.aws.filtering.sns import matches

__all__ = ["Edge", "FanoutGraph"]


@dataclass
class Edge:
    """One subscription of the topic, and what a sample message does on it."""

    subscription_arn: str
    protocol: str
    endpoint: str
    filter_policy: dict | None
    scope: str
    raw: bool
    delivered: bool | None = None  #: None until a message is traced
    why: str = ""


class FanoutGraph:
    """Data model and widget for one topic."""

    def __init__(self, cloud: Sandbox, topic_arn: str) -> None:
        self.cloud = cloud
        self.topic_arn = topic_arn
        self.sns = cloud.client("sns")
        self.last_message: tuple[str, dict] | None = None

    def edges(self) -> list[Edge]:
        edges = []
        for sub in self.sns.list_subscriptions_by_topic(TopicArn=self.topic_arn)["Subscriptions"]:
            attributes = self.sns.get_subscription_attributes(SubscriptionArn=sub["SubscriptionArn"])["Attributes"]
            policy = json.loads(attributes["FilterPolicy"]) if attributes.get("FilterPolicy") else None
            edges.append(Edge(sub["SubscriptionArn"], sub["Protocol"], sub["Endpoint"], policy,
                              attributes.get("FilterPolicyScope", "MessageAttributes"),
                              attributes.get("RawMessageDelivery") == "true"))
        return edges

    def trace(self, message: str, attributes: dict[str, Any] | None = None) -> list[Edge]:
        """Which subscriptions would receive this message (nothing is published)."""
        attributes = attributes or {}
        sns_attributes = {k: ({"DataType": "Number", "StringValue": str(v)} if isinstance(v, (int, float))
                              else {"DataType": "String", "StringValue": str(v)}) for k, v in attributes.items()}
        self.last_message = (message, attributes)
        edges = self.edges()
        for edge in edges:
            if edge.filter_policy is None:
                edge.delivered, edge.why = True, "no filter policy: receives everything"
            else:
                edge.delivered = matches(edge.filter_policy, edge.scope, sns_attributes, message)
                place = "body" if edge.scope == "MessageBody" else "attributes"
                edge.why = f"the message {place} {'match' if edge.delivered else 'do not match'} " \
                           f"{json.dumps(edge.filter_policy)}"
        return edges

    def to_html(self) -> str:
        edges = self.trace(*self.last_message) if self.last_message else self.edges()
        topic = self.topic_arn.rsplit(":", 1)[-1]
        rows = []
        for edge in edges:
            colour = {True: "#2e7d32", False: "#c62828", None: "#607d8b"}[edge.delivered]
            arrow = {True: "&#10230;", False: "&#8603;", None: "&#8594;"}[edge.delivered]
            endpoint = edge.endpoint.rsplit(":", 1)[-1]
            policy = html.escape(json.dumps(edge.filter_policy)) if edge.filter_policy else "<i>no filter</i>"
            rows.append(f'<tr><td>{html.escape(topic)}</td><td style="color:{colour};font-size:18px">{arrow}</td>'
                        f"<td>{edge.protocol}: <b>{html.escape(endpoint)}</b>{' (raw)' if edge.raw else ''}</td>"
                        f"<td><code>{policy}</code></td><td>{html.escape(edge.why)}</td></tr>")
        return f'<div class="course-fanout"><table>{"".join(rows)}</table></div>'

    def widget(self) -> Any:
        """Type a sample message and attributes; see which edges it takes."""
        import ipywidgets as widgets

        body = widgets.Textarea(value='{"order_id": "o-1", "total": 700}', description="message")
        attributes = widgets.Textarea(value='{"region": "EU", "amount": 700}', description="attributes")
        view = widgets.HTML(value=self.to_html())
        button = widgets.Button(description="trace")

        def trace(_button: Any) -> None:
            try:
                self.trace(body.value, json.loads(attributes.value or "{}"))
                view.value = self.to_html()
            except ValueError as error:
                view.value = f"<b>attributes must be a JSON object</b>: {html.escape(str(error))}"

        button.on_click(trace)
        return widgets.VBox([widgets.HBox([body, attributes, button]), view])

    def _repr_html_(self) -> str:
        return self.to_html()
