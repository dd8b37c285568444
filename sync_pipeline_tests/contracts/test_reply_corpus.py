"""The generated reply corpus (corpus.py) itself: it is built from the real descriptions, every reply
matches the real schema except the deliberate deviations (elements no description has, children out
of the sequence's order, a misplaced APIException), and it covers every element of every reply.

How the clients read the corpus is tested in test_corpus_erp.py and test_corpus_wms.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from sync_pipeline_tests.contracts.corpus import (
    API_EXCEPTION,
    RECURSION,
    UNKNOWN_FIELD,
    Operation,
    drawn_reply,
    non_replies,
    operations,
    replies,
)
from sync_pipeline_tests.contracts.corpus_schema import ComplexType, Decl
from sync_pipeline_tests.contracts.corpus_values import DrawingPicker
from sync_pipeline_tests.contracts.real import (
    body_child,
    contracts_dir,
    validate_element,
)

OPERATIONS = operations()
# Deterministic property tests: the same examples on every run, nothing stored between runs.
DRAWN = settings(derandomize=True, database=None, deadline=None, max_examples=8,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def valid(operation: Operation, envelope: bytes) -> bool:
    try:
        validate_element(contracts_dir() / operation.description, body_child(envelope))
    except AssertionError:
        return False
    return True


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_replies_match_the_real_schema_unless_deliberately_not(operation: Operation) -> None:
    found = replies(operation)
    wrong = [str(reply) for reply in found if valid(operation, reply.envelope) != reply.valid]
    assert not wrong, wrong
    deliberate = {reply.label.split(" ")[0] for reply in found if not reply.valid}
    assert "unknown" in deliberate
    if operation.record_path:  # records have children to reorder
        assert "reversed" in deliberate


def element_paths(decl: Decl, path: tuple[str, ...] = (), stack: tuple[ComplexType, ...] = ()
                  ) -> Iterator[tuple[tuple[str, ...], Decl]]:
    """Every element below `decl` by its path of names, as deep as the corpus nests a recursive type."""
    for child in decl.type.children if decl.complex else ():
        if child.complex and stack.count(child.type) >= RECURSION:
            continue
        yield path + (child.name,), child
        yield from element_paths(child, path + (child.name,), stack + (decl.type,))


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_every_element_is_present_absent_and_nil_somewhere(operation: Operation) -> None:
    found = replies(operation)
    labels = {label for reply in found for labels in (reply.label, *reply.record_labels)
              for label in labels.split("; ")}
    paths = list(element_paths(operation.output))

    def shown(path: tuple[str, ...]) -> str:
        return "/".join(path[1:]) or path[0]

    missing = [f"absent {shown(path)}" for path, decl in paths if decl.optional] + [
        f"nil {shown(path)}" for path, decl in paths if decl.nillable]
    assert not [label for label in missing if label not in labels]

    full = etree.fromstring(found[0].envelope)
    assert found[0].label == "full" and found[0].valid
    present = {tuple(etree.QName(node).localname for node in reversed(list(element.iterancestors())))[3:]
               + (etree.QName(element).localname,) for element in full.iter()}
    assert {path for path, _ in paths} <= present


@pytest.mark.parametrize("operation", [op for op in OPERATIONS if op.description.startswith("24sevenoffice/")
                                       and op.record_path], ids=str)
def test_api_exceptions_sit_at_every_position_inside_a_record(operation: Operation) -> None:
    found = replies(operation)
    positions = [label for reply in found for label in reply.record_labels if label.startswith(API_EXCEPTION)]
    nested = [label for label in positions if label.count("/") > 0]
    record_type = next(decl for path, decl in element_paths(operation.output)
                       if path[1:] == operation.record_path).type
    has_nested = any(child.complex and child.name != API_EXCEPTION for child in record_type.children)
    assert len(positions) > 20 and bool(nested) == has_nested, positions
    full = etree.fromstring(found[0].envelope)
    record = next(full.iterfind(f".//{{*}}{operation.record_path[-1]}"))
    # every child of every complex element of the record gives a position before it, plus one at the end
    complex_elements = [element for element in record.iter() if len(element)]
    api = [element for element in record.iter() if etree.QName(element).localname == API_EXCEPTION]
    expected = sum(len(element) + 1 for element in complex_elements if element not in api) - len(api)
    assert len(positions) == expected


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_unknown_elements_are_counted_where_they_are(operation: Operation) -> None:
    (unknown,) = [reply for reply in replies(operation) if reply.label == "unknown"]
    document = etree.fromstring(unknown.envelope)
    body = document[0]
    complex_elements = [element for element in body.iter() if len(element) and element is not body
                        and not etree.QName(element).localname.startswith("Future")]
    assert sum(count for name, count in unknown.unknown.items() if name.endswith(f".{UNKNOWN_FIELD}")) == len(
        complex_elements)


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_non_replies_are_not_replies_of_the_operation(operation: Operation) -> None:
    for non_reply in non_replies(operation):
        try:
            child = body_child(non_reply.body)
        except (AssertionError, etree.XMLSyntaxError):
            continue  # not a SOAP envelope at all
        assert etree.QName(child).localname != f"{operation.name}Response", non_reply


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
@DRAWN
@given(data=st.data())
def test_drawn_replies_match_the_real_schema_unless_reordered_or_extended(operation: Operation,
                                                                          data: st.DataObject) -> None:
    reply = drawn_reply(operation, DrawingPicker(data.draw))
    assert valid(operation, reply.envelope) == reply.valid
