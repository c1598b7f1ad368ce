"""Values as plain data: what may cross between the grader and the learner's kernel.

Only data crosses: JSON's types, plus tagged forms for the Python values a check and an answer
trade (bytes, tuples, sets, dicts with non-string keys, datetimes, Decimals). Anything else is
turned into a tag by the side that owns it (a function becomes a *handle* the other side can only
call back; a boto3 client becomes the name of a client the other side builds itself), through the
``extra`` hooks each side gives :func:`encode` and :func:`decode`. Nothing here imports, evaluates
or unpickles: decoding a hostile value builds plain data or fails.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import math
from collections.abc import Callable
from typing import Any

__all__ = ["MAX_DEPTH", "Unsendable", "decode", "encode"]

#: how deeply nested a value may be (a check's data is shallow; a self-referencing one is refused)
MAX_DEPTH = 64

Encoder = Callable[[Any], "dict | None"]
Decoder = Callable[[str, dict], Any]


class Unsendable(TypeError):
    """A value that is neither data nor something a hook knows how to send."""


def _float(value: float) -> Any:
    return value if math.isfinite(value) else {"$float": repr(value)}


def encode(value: Any, extra: Encoder | None = None, depth: int = 0) -> Any:
    """``value`` as JSON-ready data; ``extra(value)`` may tag what is not data (or return None)."""
    if depth > MAX_DEPTH:
        raise Unsendable(f"a value nested more than {MAX_DEPTH} deep")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _float(float(value))
    down = depth + 1
    if type(value) is list:
        return [encode(v, extra, down) for v in value]
    if type(value) is dict:
        if all(type(k) is str for k in value) and not any(k.startswith("$") for k in value):
            return {k: encode(v, extra, down) for k, v in value.items()}
        return {"$map": [[encode(k, extra, down), encode(v, extra, down)] for k, v in value.items()]}
    if type(value) is tuple:
        return {"$tuple": [encode(v, extra, down) for v in value]}
    if type(value) in (set, frozenset):
        return {"$set": [encode(v, extra, down) for v in value], "frozen": type(value) is frozenset}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    tagged = extra(value) if extra is not None else None
    if tagged is not None:
        return tagged
    # subclasses of data (an OrderedDict, a namedtuple, a str enum) travel as their plain base
    for base in (dict, list, tuple, str, int, float):
        if isinstance(value, base):
            return encode(base(value.items()) if base is dict else base(value), extra, depth)
    raise Unsendable(f"a {type(value).__name__} cannot be sent")


def decode(data: Any, extra: Decoder | None = None, depth: int = 0) -> Any:
    """The value :func:`encode` made; ``extra(tag, data)`` builds what a hook tagged."""
    if depth > MAX_DEPTH:
        raise Unsendable(f"a value nested more than {MAX_DEPTH} deep")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    down = depth + 1
    if isinstance(data, list):
        return [decode(v, extra, down) for v in data]
    if not isinstance(data, dict):
        raise Unsendable(f"not data: {type(data).__name__}")
    tags = [k for k in data if k.startswith("$")]
    if not tags:
        return {k: decode(v, extra, down) for k, v in data.items()}
    tag = tags[0]
    body = data[tag]
    if tag == "$map":
        return {_key(decode(k, extra, down)): decode(v, extra, down) for k, v in body}
    if tag == "$tuple":
        return tuple(decode(v, extra, down) for v in body)
    if tag == "$set":
        items = [_key(decode(v, extra, down)) for v in body]
        return frozenset(items) if data.get("frozen") else set(items)
    if tag == "$bytes":
        return base64.b64decode(str(body), validate=True)
    if tag == "$datetime":
        return dt.datetime.fromisoformat(str(body))
    if tag == "$date":
        return dt.date.fromisoformat(str(body))
    if tag == "$decimal":
        return decimal.Decimal(str(body))
    if tag == "$float":
        return float(str(body)) if str(body) in ("nan", "inf", "-inf") else math.nan
    if extra is not None:
        return extra(tag, data)
    raise Unsendable(f"unknown tag {tag[:40]!r}")


def _key(value: Any) -> Any:
    """A dict key or set member must be hashable: a list sent as one becomes a tuple."""
    if isinstance(value, list):
        return tuple(_key(v) for v in value)
    if isinstance(value, dict):
        raise Unsendable("a dict cannot be a key")
    return value
