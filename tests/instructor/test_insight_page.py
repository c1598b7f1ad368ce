"""The insight page, the notebook widget and the anonymised export (no nbgrader run)."""

from __future__ import annotations

import re

import ipywidgets

from instructor.autograde.intake import Flag
from instructor.autograde.report import Row
from instructor.insight import anonymise
from instructor.insight.aggregate import assignment_insight, topic_insight
from instructor.insight.page import render_page
from instructor.insight.record import CellResult
from instructor.insight.view import insight_widget

A = "01_sqs_queues"
EVIL = "<script>alert('x')</script>"


def _class() -> tuple[list[CellResult], list[Row]]:
    records = [CellResult(s, A, "sqs-1", 1, 1) for s in ("ann.lee", EVIL, "bob.k")]
    records += [CellResult("ann.lee", A, "sqs-3", 2, 2),
                CellResult(EVIL, A, "sqs-3", 0, 2, "sqs-3/visibility-below-6x", "timeout <b>equals</b> & more"),
                CellResult("bob.k", A, "sqs-3", 0, 2, "sqs-3/visibility-below-6x", "timeout <b>equals</b> & more")]
    rows = [Row("ann.lee", A, 3, 3), Row(EVIL, A, 1, 3, [Flag("tampered-metadata", "read <the> solution")]), Row("bob.k", A, 1, 3)]
    return records, rows


def _without_data_uris(html: str) -> str:
    return re.sub(r'src="data:image/png;base64,[A-Za-z0-9+/=]+"', 'src=""', html)


def test_the_page_loads_nothing_from_anywhere_and_holds_both_charts():
    records, rows = _class()
    html = render_page(assignment_insight(A, records, rows), topic_insight(records))
    assert html.count('src="data:image/png;base64,') == 2
    assert 'class="chart pass-rate"' in html and 'class="chart histogram"' in html
    rest = _without_data_uris(html)
    assert "http" not in rest and "//" not in rest
    assert "<script" not in rest.lower() and "<link" not in rest.lower() and "@import" not in rest


def test_the_page_escapes_student_ids_and_messages():
    records, rows = _class()
    html = render_page(assignment_insight(A, records, rows))
    assert EVIL not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<b>equals</b>" not in html and "timeout &lt;b&gt;equals&lt;/b&gt; &amp; more" in html


def test_the_widget_holds_the_table_and_both_charts():
    records, rows = _class()
    box = insight_widget(assignment_insight(A, records, rows))
    heading, table, charts = box.children
    assert isinstance(table, ipywidgets.HTML) and "sqs-3/visibility-below-6x" in table.value
    assert "67% (2/3)" in table.value and EVIL not in table.value
    images = charts.children
    assert [type(i) for i in images] == [ipywidgets.Image, ipywidgets.Image]
    assert all(i.get_state()["format"] == "png" and bytes(i.value).startswith(b"\x89PNG") for i in images)


def test_pseudonyms_are_stable_per_course_and_hide_the_ids(tmp_path):
    salt = anonymise.course_salt(tmp_path)
    assert anonymise.course_salt(tmp_path) == salt and len(salt) == 32
    assert (anonymise.salt_path(tmp_path).stat().st_mode & 0o777) == 0o600
    assert anonymise.course_salt(tmp_path / "other") != salt
    records, rows = _class()
    hidden = anonymise.anonymise_records(records, salt)
    hidden_rows = anonymise.anonymise_rows(rows, salt)
    names = {r.student for r in hidden} | {r.student for r in hidden_rows}
    assert len(names) == 3 and all(re.fullmatch(r"s-[0-9a-f]{10}", n) for n in names)
    html = render_page(assignment_insight(A, hidden, hidden_rows), anonymised=True)
    assert not any(name in html for name in ("ann.lee", "bob.k", "script&gt;")) and "read &lt;the&gt;" not in html
    assert anonymise.pseudonym(EVIL, salt) in html  # flagged; the instructor, with the salt, maps it back


def test_the_package_function_survives_its_modules_being_imported():
    """``instructor.insight.widget`` stays the function after every submodule is imported (a
    submodule of the same name once replaced it on the package)."""
    import importlib
    import pkgutil

    import instructor.insight

    for info in pkgutil.iter_modules(instructor.insight.__path__, prefix="instructor.insight."):
        importlib.import_module(info.name)
    assert callable(instructor.insight.widget)
