"""The capstone's pipeline view counts each stage from the cloud's state."""

import json
from pathlib import Path

import nbformat

from course.views.pipeline import PipelineView

SOURCE = Path(__file__).resolve().parents[2] / "solutions" / "06_capstone_order_pipeline" / "06_capstone_order_pipeline.ipynb"


def test_stages_follow_an_order(cloud):
    cells = {c.id: c.source for c in nbformat.read(SOURCE, as_version=4).cells}
    namespace: dict = {}
    exec(cells["cap-setup"], namespace)
    exec(cells["cap-1-answer"], namespace)
    pipeline = namespace["build_pipeline"](cloud)
    cloud.client("sns").publish(TopicArn=pipeline["topic_arn"], Message=json.dumps({"order_id": "o-1", "amount": 5}))
    stages = dict(PipelineView(cloud, pipeline).stages())
    assert stages["SNS topic"] == "2 subscriptions"
    assert stages["SQS billing"].startswith("1 waiting, 0 in flight, 0 in the DLQ")
    assert stages["Kinesis analytics"] == "0 OrderBilled records"
    view = PipelineView(cloud, pipeline).widget()
    assert "course-pipeline" in view.children[1].value
