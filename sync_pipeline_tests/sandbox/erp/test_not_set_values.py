"""The ERP sandbox renders "not set" with the values the pipeline reads as "not set".

The pipeline never imports the sandbox, so the two keep their own tables of 24SevenOffice's sentinels
(sandbox/erp/shapes.py; erp/sentinels.py and mapping/values.py). Every element of the records the
pipeline reads is compared: where the sandbox has a "not set" value, the pipeline takes it for one
(by the element's XSD type, and by its value's type as the models check it), and where the pipeline
expects a sentinel for an XSD type, the sandbox renders that one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sync_pipeline.erp.sentinels import is_not_set
from sync_pipeline.mapping.schema import erp_schema
from sync_pipeline.mapping.values import NOT_SET_BY_XSD_TYPE, not_set_for
from sync_pipeline.sandbox.erp.shapes import COMPANY_WSDL, INVOICE_WSDL, LIST, PRODUCT_WSDL, RECORD, Shape, shape_of
from sync_pipeline.sandbox.values import NOT_SET_DATE

RECORDS = [(PRODUCT_WSDL, "Product"), (INVOICE_WSDL, "InvoiceOrder"), (COMPANY_WSDL, "Company")]


def _elements(shape: Shape, seen: set[str]) -> list[tuple[str, str, object]]:
    """(type, element, the sandbox's "not set" value) for the shape and the records inside it."""
    if shape.name in seen:
        return []
    seen.add(shape.name)
    found = [(shape.name, name, field.not_set) for name, field in shape.fields.items()]
    for field in shape.fields.values():
        if field.kind in (RECORD, LIST) and field.shape is not None:
            found += _elements(field.shape, seen)
    return found


@pytest.mark.parametrize(("wsdl", "record"), RECORDS, ids=[record for _, record in RECORDS])
def test_the_sandbox_and_the_pipeline_agree_on_every_not_set_value(wsdl: Path, record: str):
    schema = erp_schema()
    compared = 0
    for type_name, name, sandbox_value in _elements(shape_of(wsdl, record), set()):
        xsd_type = schema.fields(type_name)[name].type_name
        expected = NOT_SET_BY_XSD_TYPE.get(xsd_type)
        assert (sandbox_value is None) == (expected is None), f"{type_name}.{name} ({xsd_type}): {sandbox_value!r}"
        if sandbox_value is None:
            continue
        compared += 1
        assert not_set_for(xsd_type, sandbox_value), f"{type_name}.{name} ({xsd_type}): {sandbox_value!r}"
        if xsd_type in ("int", "decimal", "dateTime", "guid"):  # the types the models' own check knows
            assert is_not_set(sandbox_value), f"{type_name}.{name}: the models keep {sandbox_value!r} as data"
    assert compared, f"no element of {record} has a 'not set' value"


def test_both_services_not_set_date_is_the_pipelines():
    assert is_not_set(NOT_SET_DATE)
