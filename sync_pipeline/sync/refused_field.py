"""Which field of a payload the WMS refused, read from its message.

Ongoing answers a refused record with Success=false and a sentence ("ArticleName is 130 characters
long…", "Order line 2: article with ProductCode 999 does not exist"), never with a field of its
own. The sentence names the element by its WSDL name, so the payload's element names are looked
for in it; where several elements share a name (the lines of an order), the one whose value the
message quotes wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any


def field_named_in(message: str | None, payload: Any) -> str | None:
    """The path ("ArticleName", "CustomerOrderLines[1].ProductCode") of the payload element the
    message names, or None when it names none."""
    if not message or not isinstance(payload, Mapping):
        return None
    named = [(path, value) for path, name, value in _leaves(payload, "")
             if re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", message)]
    if not named:
        return None
    quoted = [path for path, value in named
              if value not in (None, "") and re.search(rf"(?<!\w){re.escape(str(value))}(?!\w)", message)]
    return (quoted or [path for path, _ in named])[0]


def _leaves(value: Any, path: str) -> Iterator[tuple[str, str, Any]]:
    """(path, element name, value) of every simple value in a nested payload."""
    for name, item in value.items():
        where = f"{path}.{name}" if path else name
        if isinstance(item, Mapping):
            yield from _leaves(item, where)
        elif isinstance(item, (list, tuple)):
            for index, entry in enumerate(item):
                if isinstance(entry, Mapping):
                    yield from _leaves(entry, f"{where}[{index}]")
        else:
            yield where, name, item
