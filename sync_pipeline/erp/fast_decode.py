"""A faster decoder for large 24SevenOffice reads, giving exactly the records zeep's path gives.

zeep decodes a 50,000-product GetProducts reply in about 5 s, most of it walking its schema objects
for every element; the models then validate zeep's values once more. FastReader sends the same
request through zeep and reads the reply as sync_pipeline.soap.fast_reply describes (zeep's own
handling of failures and faults, zeep's safe parser, the client's ingress plugins). The records are
read in one pass by plans made from the operation's schema and the models, and built with the values
`Model.model_validate(serialize_object(zeep's result, dict))` gives: the same conversions, "not set"
sentinels as None, UTC date-times, enums, nested records and lists.

Like TolerantReading (soap/tolerant.py), which tidies a reply before zeep decodes it, the plans
skip and note the elements the description does not define, read known ones in whatever order they
come, and keep the present, valued elements a model does not name as its extras (models.py).

Over HTTP a reply is read as a stream (ReplyDecoder.read, PF7): each record is built when its
element ends and its elements are then freed, so a 100,000-product reply never stands as one tree;
what that pass does not take as it comes is read as a whole document, as below. Records share what
is equal among them (their plan's set of fields, equal values within one reply): they are frozen.

The plans only take what they know to give identically. An element carrying attributes (xsi:nil,
xsi:type) is parsed by zeep and validated by the model. Any other surprise (a repeated element, an
APIException where the type has none, an empty result, a value the model would refuse, a model
with validators the plans do not know) sends the whole reply through TolerantReading, zeep's
decoding and model_validate instead.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from copy import deepcopy
from datetime import datetime, timezone
from decimal import Decimal
from enum import Enum
from io import BytesIO
from typing import Any, Generic, Protocol, TypeVar

from lxml import etree
from pydantic import AfterValidator, BaseModel
from zeep.helpers import serialize_object
from zeep.utils import get_media_type
from zeep.xsd import ComplexType, Element
from zeep.xsd.context import XmlParserContext
from zeep.xsd.types import builtins

from sync_pipeline.erp.models import NEVER_KEPT, ErpModel, extra_value
from sync_pipeline.erp.sentinels import none_if_not_set, not_set_value
from sync_pipeline.soap.fast_reply import (
    BOOL,
    CANONICAL_DATETIME,
    DATETIME,
    DECIMAL,
    INT,
    INT_TYPES,
    SIMPLE_KINDS,
    TEXT,
    Decoded,
    ReplyReader,
    Unusual,
    gc_paused,
    raw_reply,
    reads_as_text,
    repeated,
    sequence_elements,
    simple_kind,
    skip_unknown,
)
from sync_pipeline.soap.transport import SoapBodyCheck
from sync_pipeline.soap.tolerant import HOISTED, TolerantReading, type_label
from sync_pipeline.soap.unknown import Notes
from sync_pipeline.soap.values import as_utc, unwrap_array

M = TypeVar("M", bound=ErpModel)

# The validators of ErpModel subclasses that the plans reproduce: the sentinel check every model
# has, and the list unwrapping of array fields. A model with any other validator is left to pydantic.
KNOWN_MODEL_VALIDATORS = {"_sentinels_to_none"}
KNOWN_FIELD_VALIDATORS = {"_rows_as_list"}

ENUM, RECORD, ARRAY, IGNORED, CHECKED, EXTRA, BY_ZEEP = range(SIMPLE_KINDS, SIMPLE_KINDS + 7)
_has_attributes = etree.XPath("boolean(descendant::*/@*)")  # namespace declarations are not attributes
_UTC = AfterValidator(as_utc)
INTERNED = 4096  # distinct values of one kind kept per reply and plan
_new = object.__new__
_set = object.__setattr__


class _Plan(Protocol):
    def read(self, node: etree._Element, checked: bool, notes: Notes) -> Any:
        """A RECORD's model or an ARRAY's list from its element (RecordPlan, ArrayPlan)."""


class _NoPlan:
    def read(self, node: etree._Element, checked: bool, notes: Notes) -> Any:
        raise Unusual(f"{node.tag!r}: a field without a plan")


_NO_PLAN = _NoPlan()


V = TypeVar("V")


class Interned(dict[str, V]):
    """Values read from their text, each text's kept once; at most INTERNED of them, then made afresh."""

    def __init__(self, make: Callable[[str], V] | None):
        super().__init__()
        self.make = make

    def __missing__(self, text: str) -> V:
        assert self.make is not None  # only get() and keep() for values not made from their text alone
        value = self.make(text)
        self.keep(text, value)
        return value

    def keep(self, text: str, value: V) -> None:
        if len(self) < INTERNED:
            self[text] = value


_MADE_FROM_TEXT: dict[int, Callable[[str], Any]] = {TEXT: str, DECIMAL: Decimal}  # DATETIME: kept by hand


class _Field:
    __slots__ = ("index", "name", "kind", "plan", "enum", "not_set", "element", "schema", "tidier", "model",
                 "extra_name", "reads", "kept")

    def __init__(self, index: int, name: str, kind: int, element: Element, tidier: TolerantReading,
                 model: type[BaseModel], plan: _Plan = _NO_PLAN, enum: type[Enum] | None = None,
                 read_as: type | None = None, extra_name: str = "", reads: int = BY_ZEEP):
        self.index, self.name, self.kind = index, name, kind
        self.plan, self.enum = plan, enum
        # The sentinel the element's value is compared with, as the models' check compares zeep's value.
        self.not_set = not_set_value(read_as) if read_as is not None else None
        self.element, self.tidier, self.schema, self.model = element, tidier, tidier.schema, model
        self.extra_name, self.reads = extra_name, reads  # an extra: its key, and how its text is read
        # Equal values of one reply are one object (records are immutable): a catalogue repeats prices,
        # weights, stock, descriptions and change times. Emptied after each reply (RecordPlan.forget).
        self.kept: Interned[Any] = Interned(_MADE_FROM_TEXT.get(kind))

    def extra(self, node: etree._Element, notes: Notes, checked: bool = False) -> Any:
        """The value an unmodelled element keeps as an extra (models.extra_value of zeep's value); None: none.

        checked: the element may carry attributes (zeep reads it then).
        """
        text, reads = node.text, self.reads
        if reads == BY_ZEEP or (checked and node.attrib):
            return extra_value(self.zeep_value(self.tidied(node, notes)))
        if text is None:
            return None  # zeep gives None for a simple element without text
        if reads == TEXT:
            value: Any = text
        elif reads == INT:
            value = int(text)  # zeep's own conversion for these types
        elif reads == DECIMAL:
            value = Decimal(text)
            if not value.is_finite():
                value = self.zeep_value(node)
        elif reads == BOOL:
            value = text == "true" if text in ("true", "false") else self.zeep_value(node)
        else:  # DATETIME
            value = datetime.fromisoformat(text) if CANONICAL_DATETIME.fullmatch(text) else self.zeep_value(node)
        return extra_value(value)

    def tidied(self, node: etree._Element, notes: Notes) -> etree._Element:
        """A complex element as TolerantReading leaves it (a copy: the reply stays as it came)."""
        if not len(node) or not isinstance(self.element.type, ComplexType):
            return node
        if any(isinstance(inner.tag, str) and inner.tag.endswith("}" + HOISTED) for inner in node.iter()):
            raise Unusual(f"an {HOISTED} inside {node.tag!r}: TolerantReading moves it to its record")
        copy = deepcopy(node)
        self.tidier.tidy_part(copy, self.element, notes)
        return copy

    def zeep_value(self, node: etree._Element) -> Any:
        """zeep's own value for this element, as plain Python values."""
        context = XmlParserContext(settings=self.schema.settings)
        return serialize_object(self.element.parse(node, self.schema, allow_none=True, context=context), dict)

    def validated(self, node: etree._Element, notes: Notes) -> Any:
        """zeep's value for this element, validated by the model as that one field (elements with attributes)."""
        return getattr(self.model.model_validate({self.name: self.zeep_value(self.tidied(node, notes))}), self.name)


class RecordPlan:
    """Builds one model from elements of one complex type (a plain sequence of elements)."""

    def __init__(self, model: type[BaseModel], xsd_type: ComplexType, element: Element, tidier: TolerantReading,
                 plans: dict[tuple[type, ComplexType], "RecordPlan"]):
        plans[(model, xsd_type)] = self
        _require_known_validators(model)
        elements = sequence_elements(xsd_type)
        self.model = model
        self.label = type_label(xsd_type, element)
        self.keeps_extras = model.model_config.get("extra") == "allow"
        self.entries: dict[str, tuple[int, str, int, Any, _Field]] = {}  # name "": not a model field
        template: dict[str, Any] = {}
        for index, (name, child) in enumerate(elements):
            if child.max_occurs != 1:
                raise Unusual(f"{xsd_type.name}.{name} is not a single element")
            info = model.model_fields.get(name)
            field = _field(index, name, child, info, tidier, model, plans, self.keeps_extras)
            self.entries[child.qname.text] = (index, field.name, field.kind, field.not_set, field)
            if info is not None:
                template[name] = None
        for name, info in model.model_fields.items():
            if name not in template and info.default is not None:
                raise Unusual(f"{model.__name__}.{name} is not in the schema and has a default to copy")
        # model_validate keeps the model's field order and marks the fields zeep's dict had as set.
        self.template = {name: template.get(name) for name in model.model_fields}
        self.fields_set = frozenset(template)
        # Shared by every record of this plan without extras (a set of its own is 700 bytes a record,
        # a third of a Product): records are frozen, and pydantic copies both on model_copy.
        self.shared_fields_set = set(template)
        self.no_extras: dict[str, Any] | None = {} if self.keeps_extras else None
        self.array_names = [name for _, name, kind, _, _ in self.entries.values() if kind == ARRAY]
        self.required = [index for index, (_, child) in enumerate(elements) if child.min_occurs > 0]
        self.extra_order = {name: index for index, (name, _) in enumerate(elements)}

    def forget(self) -> None:
        """Let go of the values kept from the last reply."""
        for *_, field in self.entries.values():
            field.kept.clear()

    def read(self, node: etree._Element, checked: bool, notes: Notes) -> Any:
        """The model for one element without attributes (the caller checks them), or None when empty."""
        if len(node) == 0:
            return None  # zeep gives None for a complex element without children or attributes
        values = dict(self.template)
        extras: dict[str, Any] | None = None
        entries = self.entries
        canonical_datetime = CANONICAL_DATETIME.fullmatch
        fromisoformat = datetime.fromisoformat
        position = -1
        in_order = True
        skipped = 0
        try:
            for child in node:
                entry = entries.get(child.tag)
                if entry is None:
                    skip_unknown(child, self.label, notes)
                    skipped += 1
                    continue
                index, name, kind, not_set, field = entry
                if index > position:
                    position = index
                elif repeated(child):
                    raise Unusual(f"{self.model.__name__}: {child.tag!r} repeated")
                else:
                    in_order = False
                if checked and child.attrib:
                    if kind == EXTRA:
                        value = field.extra(child, notes, checked)
                        if value is not None:
                            extras = extras or {}
                            extras[field.extra_name] = value
                    elif name:
                        values[name] = field.validated(child, notes)
                    else:
                        field.zeep_value(child)
                    continue
                text = child.text
                if kind == TEXT:
                    values[name] = None if text is None or text == not_set else field.kept[text]
                elif kind == DECIMAL:
                    if text is not None:
                        value = field.kept[text]  # zeep collapses whitespace first; Decimal() strips it itself
                        if not value.is_finite():
                            raise Unusual("a decimal the model refuses")
                        values[name] = None if value == not_set else value
                elif kind == INT:
                    if text is not None:
                        value = int(text)  # zeep's own conversion for these types
                        if not -2**63 <= value < 2**63:
                            raise Unusual("an integer beyond 64 bits")
                        values[name] = None if value == not_set else value
                elif kind == DATETIME:
                    if text is not None:
                        value = field.kept.get(text)
                        if value is None:
                            value = fromisoformat(text) if canonical_datetime(text) else None
                            if value is None or value.year == 1:  # year 1: perhaps the "not set" sentinel
                                value = _datetime(text, field, child)
                            else:
                                if value.tzinfo is None:
                                    value = value.replace(tzinfo=timezone.utc)  # the service sends UTC
                                elif value.tzinfo is not timezone.utc:
                                    value = value.astimezone(timezone.utc)
                                field.kept.keep(text, value)
                        values[name] = value
                elif kind == BOOL:
                    if text is not None:
                        values[name] = text == "true" if text in ("true", "false") else field.zeep_value(child)
                elif kind == ENUM:
                    if text is not None:
                        values[name] = None if text == not_set else _member(field.enum, text)
                elif kind == RECORD or kind == ARRAY:
                    values[name] = field.plan.read(child, checked, notes)
                elif kind == EXTRA:
                    value = field.extra(child, notes)
                    if value is not None:
                        extras = extras or {}
                        extras[field.extra_name] = value
                elif kind == CHECKED:
                    field.zeep_value(child)  # zeep parses it, and may refuse it, before it is dropped
                # IGNORED: a simple value the model drops (zeep's conversion cannot fail)
        except (ValueError, ArithmeticError) as bad:
            # zeep logs an unreadable number and gives None, or raises: let it do so
            raise Unusual(f"{self.model.__name__}: a value zeep reads its own way ({bad})") from None
        if skipped and skipped == len(node):
            raise Unusual(f"{self.model.__name__}: only elements that were skipped")  # zeep: None
        if self.required:
            # zeep refuses a missing required element when a later one follows (not at the end)
            present = {entry[0] for child in node if (entry := entries.get(child.tag)) is not None}
            if any(index not in present and index < position for index in self.required):
                raise Unusual(f"{self.model.__name__}: a required element is missing")
        for name in self.array_names:
            if values[name] is None:
                values[name] = []  # a list of its own for each record, as validation gives
        fields_set = self.shared_fields_set
        if extras:
            if not in_order and len(extras) > 1:
                order = self.extra_order
                extras = dict(sorted(extras.items(), key=lambda item: order[item[0]]))
            fields_set = set(self.fields_set)
            fields_set.update(extras)
        record = _new(self.model)
        _set(record, "__dict__", values)
        _set(record, "__pydantic_fields_set__", fields_set)
        _set(record, "__pydantic_extra__", extras if extras and self.keeps_extras else self.no_extras)
        _set(record, "__pydantic_private__", None)
        return record


class ArrayPlan:
    """A list field from an ArrayOf… element: its items as models, without the empty (nil) ones."""

    def __init__(self, model: type[BaseModel], item: Element, label: str, tidier: TolerantReading,
                 plans: dict[tuple[type, ComplexType], RecordPlan]):
        if not isinstance(item.type, ComplexType):
            raise Unusual(f"{item.name}: an array of simple values")
        self.tag = item.qname.text
        self.label = label
        self.item = _Field(0, "", RECORD, item, tidier, model)
        self.plan = plans.get((model, item.type)) or RecordPlan(model, item.type, item, tidier, plans)

    def read(self, node: etree._Element, checked: bool, notes: Notes) -> list[Any]:
        found: list[Any] = []
        for child in node:
            self.read_item(child, checked, notes, found)
        return found

    def read_item(self, child: etree._Element, checked: bool, notes: Notes, found: list[Any]) -> None:
        """One child of the array: its record appended to `found`, or skipped and noted."""
        if child.tag != self.tag:
            skip_unknown(child, self.label, notes)
            return
        if checked and child.attrib:
            record = self.item.zeep_value(self.item.tidied(child, notes))
            record = None if record is None else self.plan.model.model_validate(record)
        else:
            record = self.plan.read(child, checked, notes)
        if record is not None:
            found.append(record)


def _field(index: int, name: str, element: Element, info: Any, tidier: TolerantReading, model: type[BaseModel],
           plans: dict[tuple[type, ComplexType], RecordPlan], keeps_extras: bool) -> _Field:
    """How one schema element becomes the model field of the same name, an extra, or is dropped."""
    xsd_type = element.type
    if info is None:
        if keeps_extras and name not in NEVER_KEPT:
            return _Field(index, "", EXTRA, element, tidier, model, extra_name=name, reads=_extra_reading(xsd_type))
        # Dropped, but zeep parses it first: skipped only where zeep's parsing cannot fail.
        harmless = type(xsd_type) in (builtins.String, builtins.Boolean, *INT_TYPES)
        return _Field(index, "", IGNORED if harmless else CHECKED, element, tidier, model)
    annotation = _optional(info.annotation)
    if isinstance(xsd_type, ComplexType):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            plan = plans.get((annotation, xsd_type)) or RecordPlan(annotation, xsd_type, element, tidier, plans)
            return _Field(index, name, RECORD, element, tidier, model, plan=plan)
        if typing.get_origin(annotation) is list and name in _validated_fields(model):
            (item_model,) = typing.get_args(annotation)
            (_, item), = xsd_type.elements
            if not item.accepts_multiple or xsd_type.attributes:
                raise Unusual(f"{model.__name__}.{name} is not an array type")
            array = ArrayPlan(item_model, item, type_label(xsd_type, element), tidier, plans)
            return _Field(index, name, ARRAY, element, tidier, model, plan=array)
        raise Unusual(f"{model.__name__}.{name}: {annotation} from a complex type")
    if name in _validated_fields(model):
        raise Unusual(f"{model.__name__}.{name} has its own validator")
    kind = type(xsd_type)
    if annotation is str and kind is builtins.String:
        return _Field(index, name, TEXT, element, tidier, model, read_as=str)
    if annotation is int and kind in INT_TYPES:
        return _Field(index, name, INT, element, tidier, model, read_as=int)
    if annotation is Decimal and kind is builtins.Decimal:
        return _Field(index, name, DECIMAL, element, tidier, model, read_as=Decimal)
    if annotation is bool and kind is builtins.Boolean:
        return _Field(index, name, BOOL, element, tidier, model)
    if (typing.get_origin(annotation) is typing.Annotated and typing.get_args(annotation)[0] is datetime
            and list(annotation.__metadata__) == [_UTC] and kind is builtins.DateTime):
        return _Field(index, name, DATETIME, element, tidier, model)
    if isinstance(annotation, type) and issubclass(annotation, Enum) and issubclass(annotation, str) \
            and reads_as_text(xsd_type):
        return _Field(index, name, ENUM, element, tidier, model, enum=annotation, read_as=str)
    raise Unusual(f"{model.__name__}.{name}: {annotation} from {kind.__name__}")


def _extra_reading(xsd_type: Any) -> int:
    """How the value of an unmodelled element is read: from its text as zeep reads it, or by zeep."""
    kind = simple_kind(xsd_type)
    return BY_ZEEP if kind is None else kind


def _optional(annotation: Any) -> Any:
    """T from `T | None` (the only shape of ErpModel fields besides list fields)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _validated_fields(model: type[BaseModel]) -> set[str]:
    return {name for decorator in model.__pydantic_decorators__.field_validators.values()
            for name in decorator.info.fields}


def _require_known_validators(model: type[BaseModel]) -> None:
    decorators = model.__pydantic_decorators__
    if (set(decorators.model_validators) != KNOWN_MODEL_VALIDATORS
            or not set(decorators.field_validators) <= KNOWN_FIELD_VALIDATORS
            or decorators.validators or decorators.root_validators
            or model.model_config.get("extra") not in ("ignore", "allow") or model.__pydantic_post_init__):
        raise Unusual(f"{model.__name__} validates in ways the fast path does not reproduce")


def _datetime(text: str, field: _Field, node: etree._Element) -> datetime | None:
    value = None
    if CANONICAL_DATETIME.fullmatch(text):
        try:
            value = datetime.fromisoformat(text)
        except ValueError:  # e.g. a 13th month: zeep's parser has the last word
            value = None
    if value is None:
        value = field.zeep_value(node)
        if value is None:
            return None
        if type(value) is not datetime:
            raise Unusual("a date-time zeep reads as something else")
    value = none_if_not_set(value)  # the models' two steps: sentinels to None, then UtcDateTime's as_utc
    return None if value is None else as_utc(value)


def _member(enum: type[Enum] | None, text: str) -> Enum:
    member = enum._value2member_map_.get(text) if enum is not None else None
    if member is None:
        raise Unusual(f"{text!r} is not a {enum}: the model refuses it")
    return member


# -- replies ------------------------------------------------------------------------------------

class ReplyDecoder(ReplyReader[M]):
    """Decodes replies of one operation returning an array of records (GetProducts, GetInvoices, ...).

    The reply's shape: Envelope > Body > <Op>Response > <Op>Result > item*. zeep unwraps the two
    single-child wrappers and gives the list of items; the records are those items as `model`.
    """

    def __init__(self, client: Any, binding: Any, operation_name: str, model: type[M], item: str):
        super().__init__(client, binding, operation_name)
        self.model = model
        self.item = item
        result = self.result_element
        (_, item_element), = result.type.elements
        if result.accepts_multiple or item_element.name != item:
            raise Unusual(f"{operation_name} does not return one array of {item}")
        # Parts of records the fast pass leaves to zeep are tidied as TolerantReading tidies them.
        assert self.tolerant is not None  # ReplyReader refuses a client without it
        self._plans: dict[tuple[type, ComplexType], RecordPlan] = {}
        self._array = ArrayPlan(model, item_element, type_label(result.type, result), self.tolerant, self._plans)

    def fast_items(self, result: etree._Element, notes: Notes) -> list[M]:
        # One pass in C tells whether any element below carries an attribute (xsi:nil, xsi:type);
        # only then is every element checked for them.
        try:
            return self._array.read(result, _has_attributes(result), notes)
        finally:
            self._forget()

    def _forget(self) -> None:
        for plan in self._plans.values():
            plan.forget()

    def read(self, response: Any) -> Decoded:
        """An HTTP reply read as ReplyReader.read reads it, but record by record as its elements end
        (streamed_records) when it is a plain reply that pass takes: the whole tree of a 100,000-product
        reply is 290 MB, each record's elements a few kilobytes."""
        client = self.client
        if (response.status_code == 200 and response.content and not client.wsse
                and get_media_type(response.headers.get("Content-Type", "text/xml")) != "multipart/related"
                and all(plugin is self.tolerant or type(plugin) is SoapBodyCheck for plugin in client.plugins)):
            records = self.streamed_records(response.content)
            if records is not None:
                return Decoded(records)
        return super().read(response)

    def streamed_records(self, content: bytes) -> list[M] | None:
        """The records of a reply's bytes, each built when its element ends and its elements then freed.

        The same records and notes as the whole document's fast pass. None for whatever this pass does
        not take as it comes (a DTD, a fault, an unusual envelope, a record the fast pass leaves to zeep,
        XML that does not parse, ...): the caller then reads the whole document as before, which ends
        as it always ended. The skipped elements go into the client's collector when it succeeds.
        """
        settings = self.client.settings
        if b"<!DOCTYPE" in content or not settings.strict:  # zeep's own parse refuses DTDs or recovers
            return None
        notes: Notes = {}
        try:
            with gc_paused():
                records = self._stream(etree.iterparse(
                    BytesIO(content), events=("start", "end", "pi"), remove_comments=True, resolve_entities=False,
                    load_dtd=False, no_network=True, huge_tree=settings.xml_huge_tree), notes)
        except Exception:  # noqa: BLE001 - any of it: the whole document's path decides how it ends
            return None
        finally:
            self._forget()
        if self.tolerant is not None:
            self.tolerant.collector.add(self.operation.name, notes)
        return records

    def _stream(self, events: Any, notes: Notes) -> list[M]:
        """Envelope > Body > <Op>Response > <Op>Result > item*, each level the only child of the one above,
        without attributes (as fast_records requires); each item read and removed when it ends."""
        path, array = self._path, self._array
        found: list[M] = []
        depth = items = 0
        for event, node in events:
            if event == "start":
                if depth < len(path) and (node.tag != path[depth] or node.attrib or node.getprevious() is not None):
                    raise Unusual(f"unexpected {node.tag!r} in the envelope")
                depth += 1
            elif event == "end":
                depth -= 1
                if depth == len(path):
                    array.read_item(node, bool(node.attrib) or _has_attributes(node), notes, found)
                    items += 1
                    node.getparent().remove(node)
                elif depth < len(path) - 1 and len(node) != 1 or depth == len(path) - 1 and not items:
                    raise Unusual(f"unexpected content in {node.tag!r}, or an empty result")
            else:
                raise Unusual("a processing instruction")
        return found

    def by_zeep_values(self, values: Any) -> list[M]:
        return validated_records(self.model, values, self.item)


def validated_records(model: type[M], values: Any, item: str) -> list[M]:
    """zeep's way: the array `values` (zeep's result as plain values) validated as `model` records."""
    validate = model.model_validate
    return [validate(entry) for entry in unwrap_array(values, item)]


class FastReader(Generic[M]):
    """Calls one array-returning operation of a zeep service proxy and returns typed records.

    `reader(**arguments)` sends what `proxy.<operation>(**arguments)` sends and returns what
    `[model.model_validate(e) for e in unwrap_array(serialize_object(result, dict), item)]` gives
    for zeep's result. Not thread-safe (like the zeep client it uses).
    """

    def __init__(self, proxy: Any, operation_name: str, model: type[M], item: str):
        self.proxy = proxy
        self.operation_name = operation_name
        self.model = model
        self.item = item
        try:
            self.decoder: ReplyDecoder[M] | None = ReplyDecoder(proxy._client, proxy._binding, operation_name,
                                                                model, item)
        except Unusual:  # a service description or model the plans cannot follow: zeep decodes
            self.decoder = None

    def __call__(self, **arguments: Any) -> list[M]:
        if self.decoder is None:
            operation = getattr(self.proxy, self.operation_name)
            return validated_records(self.model, serialize_object(operation(**arguments), dict), self.item)
        return self.decoder.reply(raw_reply(self.proxy, self.operation_name, **arguments))
