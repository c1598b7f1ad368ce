"""Pipeline view for the capstone: where every order's messages are, stage by stage."""

from __future__ import annotations

import html
import json
from typing import Any

from course.sandbox import Sandbox

__all__ = ["PipelineView"]


class PipelineView:
    """Counts per stage: topic → queues (waiting, in flight, dead) → stream → S3."""

    def __init__(self, cloud: Sandbox, pipeline: dict) -> None:
        self.cloud = cloud
        self.pipeline = pipeline

    def stages(self) -> list[tuple[str, str]]:
        sqs, kinesis, s3 = (self.cloud.client(s) for s in ("sqs", "kinesis", "s3"))
        rows = []
        subs = self.cloud.client("sns").list_subscriptions_by_topic(TopicArn=self.pipeline["topic_arn"])["Subscriptions"]
        rows.append(("SNS topic", f"{len(subs)} subscriptions"))
        for role in ("billing", "shipping"):
            attributes = sqs.get_queue_attributes(QueueUrl=self.pipeline[f"{role}_queue_url"], AttributeNames=["All"])["Attributes"]
            text = f"{attributes['ApproximateNumberOfMessages']} waiting, {attributes['ApproximateNumberOfMessagesNotVisible']} in flight"
            if attributes.get("RedrivePolicy"):
                dlq = json.loads(attributes["RedrivePolicy"])["deadLetterTargetArn"].rsplit(":", 1)[-1]
                dead = sqs.get_queue_attributes(QueueUrl=sqs.get_queue_url(QueueName=dlq)["QueueUrl"],
                                                AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
                text += f", {dead['ApproximateNumberOfMessages']} in the DLQ"
            rows.append((f"SQS {role}", text))
        records = 0
        for shard in kinesis.describe_stream(StreamName=self.pipeline["stream_name"])["StreamDescription"]["Shards"]:
            iterator = kinesis.get_shard_iterator(StreamName=self.pipeline["stream_name"], ShardId=shard["ShardId"],
                                                  ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            records += len(kinesis.get_records(ShardIterator=iterator, Limit=10_000)["Records"])
        rows.append(("Kinesis analytics", f"{records} OrderBilled records"))
        objects = s3.list_objects_v2(Bucket=self.pipeline["bucket"]).get("Contents", [])
        rows.append(("Firehose → S3", f"{len(objects)} objects (buffered records appear after the interval)"))
        return rows

    def to_html(self) -> str:
        cells = " &#10230; ".join(f"<span style='display:inline-block;padding:4px 8px;border:1px solid #90a4ae;"
                                  f"border-radius:4px'><b>{html.escape(stage)}</b><br>{html.escape(text)}</span>"
                                  for stage, text in self.stages())
        return f'<div class="course-pipeline">{cells}</div>'

    def widget(self) -> Any:
        import ipywidgets as widgets

        view = widgets.HTML(value=self.to_html())
        button = widgets.Button(description="refresh")  # not on every clock step: checks move it a lot
        button.on_click(lambda _b: setattr(view, "value", self.to_html()))
        return widgets.VBox([button, view])

    def _repr_html_(self) -> str:
        return self.to_html()
