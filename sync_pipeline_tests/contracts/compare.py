"""Compare one of our subset service descriptions with the vendor's real one.

`compare(ours, real)` lists, as readable sentences, every way in which ours is not a faithful
subset of the real description: operations (name, SOAPAction, wrapper elements, document/literal),
global elements, complex types (element sequence is a subsequence of the real one, same facets,
nothing the real type requires left out) and simple types (same base, enumerations and patterns).

`missing_in(ours, other)` lists what our subset uses that another description lacks entirely; it
documents why the Ongoing subset follows the 2024 description rather than the 2017 one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

XSD = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/"

# Facets of a particle that must agree; the value is the XSD default when the attribute is absent.
PARTICLE_FACETS = {"type": None, "minOccurs": "1", "maxOccurs": "1", "nillable": "false", "default": None}


@dataclass(frozen=True)
class Particle:
    name: str
    facets: dict[str, str | None]

    @property
    def required(self) -> bool:
        return self.facets["minOccurs"] != "0"


@dataclass
class ContentModel:
    """The parts of a complex type we compare; `unsupported` names constructs we do not understand."""

    base: str | None = None
    particles: list[Particle] = field(default_factory=list)
    attributes: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    unsupported: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Operation:
    soap_action: str | None
    style: str | None
    input_use: str | None
    output_use: str | None
    input_element: str | None
    output_element: str | None


@dataclass
class Schema:
    element_form_default: str | None
    elements: dict[str, etree._Element]
    complex_types: dict[str, etree._Element]
    simple_types: dict[str, etree._Element]


@dataclass
class Description:
    target_namespace: str | None
    operations: dict[str, Operation]
    schemas: dict[str, Schema]


def _q(tag: str, namespace: str = XSD) -> str:
    return f"{{{namespace}}}{tag}"


def _resolve(element: etree._Element, value: str | None) -> str | None:
    """A QName-valued attribute in Clark notation, so that differing prefixes compare equal."""
    if value is None:
        return None
    prefix, _, local = value.rpartition(":")
    namespace = element.nsmap.get(prefix or None)
    return f"{{{namespace}}}{local}" if namespace else local


def _short(clark: str | None) -> str:
    return etree.QName(clark).localname if clark and clark.startswith("{") else str(clark)


def load(path: Path) -> Description:
    root = etree.parse(str(path)).getroot()
    schemas = root.iterfind(f"{_q('types', WSDL)}/{_q('schema')}")
    return Description(
        target_namespace=root.get("targetNamespace"),
        operations=_operations(root),
        schemas={s.get("targetNamespace", ""): _schema(s) for s in schemas},
    )


def _schema(schema: etree._Element) -> Schema:
    def named(tag: str) -> dict[str, etree._Element]:
        return {e.get("name"): e for e in schema.iterfind(_q(tag))}

    return Schema(
        element_form_default=schema.get("elementFormDefault"),
        elements=named("element"),
        complex_types=named("complexType"),
        simple_types=named("simpleType"),
    )


def _operations(root: etree._Element) -> dict[str, Operation]:
    """Operations of the SOAP 1.1 binding(s); the SOAP 1.2 ones in the real files repeat them."""
    part_elements: dict[str, str | None] = {}
    for message in root.iterfind(_q("message", WSDL)):
        part = message.find(_q("part", WSDL))
        part_elements[message.get("name")] = _resolve(part, part.get("element")) if part is not None else None

    port_type_ops: dict[tuple[str | None, str], tuple[str | None, str | None]] = {}
    for port_type in root.iterfind(_q("portType", WSDL)):
        for op in port_type.iterfind(_q("operation", WSDL)):
            messages = []
            for direction in ("input", "output"):
                node = op.find(_q(direction, WSDL))
                message = _resolve(node, node.get("message")) if node is not None else None
                messages.append(part_elements.get(_short(message)))
            port_type_ops[(port_type.get("name"), op.get("name"))] = (messages[0], messages[1])

    operations: dict[str, Operation] = {}
    for binding in root.iterfind(_q("binding", WSDL)):
        soap_binding = binding.find(_q("binding", SOAP11))
        if soap_binding is None:
            continue
        port_type = _short(_resolve(binding, binding.get("type")))
        for op in binding.iterfind(_q("operation", WSDL)):
            soap_op = op.find(_q("operation", SOAP11))
            input_body = op.find(f"{_q('input', WSDL)}/{_q('body', SOAP11)}")
            output_body = op.find(f"{_q('output', WSDL)}/{_q('body', SOAP11)}")
            input_element, output_element = port_type_ops.get((port_type, op.get("name")), (None, None))
            operations[op.get("name")] = Operation(
                soap_action=soap_op.get("soapAction") if soap_op is not None else None,
                style=(soap_op.get("style") if soap_op is not None else None) or soap_binding.get("style", "document"),
                input_use=input_body.get("use") if input_body is not None else None,
                output_use=output_body.get("use") if output_body is not None else None,
                input_element=input_element,
                output_element=output_element,
            )
    return operations


def content_model(complex_type: etree._Element) -> ContentModel:
    model = ContentModel()
    holder = complex_type
    complex_content = complex_type.find(_q("complexContent"))
    if complex_content is not None:
        derivation = complex_content[0]
        model.base = f"{etree.QName(derivation).localname} of {_resolve(derivation, derivation.get('base'))}"
        holder = derivation
    for child in holder:
        if not isinstance(child.tag, str) or child.tag == _q("annotation"):
            continue
        if child.tag == _q("sequence"):
            for item in child:
                if not isinstance(item.tag, str):
                    continue
                if item.tag != _q("element") or item.get("name") is None:
                    model.unsupported.append(f"{etree.QName(item).localname} in sequence")
                    continue
                facets = {
                    key: (_resolve(item, item.get(key)) if key == "type" else item.get(key, default))
                    for key, default in PARTICLE_FACETS.items()
                }
                if facets["type"] is None and len(item):
                    model.unsupported.append(f"anonymous type of element {item.get('name')}")
                model.particles.append(Particle(item.get("name"), facets))
        elif child.tag == _q("attribute"):
            model.attributes[child.get("name")] = (_resolve(child, child.get("type")), child.get("use", "optional"))
        else:
            model.unsupported.append(etree.QName(child).localname)
    return model


def compare_content(label: str, ours: ContentModel, real: ContentModel) -> list[str]:
    problems = [f"{label}: unsupported construct {what!r} in ours" for what in ours.unsupported]
    if ours.base != real.base:
        problems.append(f"{label}: derivation ours={ours.base} real={real.base}")

    real_index = {p.name: i for i, p in enumerate(real.particles)}
    real_by_name = {p.name: p for p in real.particles}
    previous: Particle | None = None
    for particle in ours.particles:
        if particle.name not in real_index:
            problems.append(f"{label}: element {particle.name!r} does not exist in the real type")
            continue
        if previous is not None and real_index[particle.name] <= real_index[previous.name]:
            problems.append(
                f"{label}: element {particle.name!r} follows {previous.name!r} in ours but precedes it in the real type"
            )
        previous = particle
        real_particle = real_by_name[particle.name]
        for facet in PARTICLE_FACETS:
            if particle.facets[facet] != real_particle.facets[facet]:
                problems.append(
                    f"{label}.{particle.name}: {facet} ours={particle.facets[facet]!r} "
                    f"real={real_particle.facets[facet]!r}"
                )

    our_names = {p.name for p in ours.particles}
    for real_particle in real.particles:
        if real_particle.required and real_particle.name not in our_names:
            problems.append(
                f"{label}: required element {real_particle.name!r} "
                f"(minOccurs={real_particle.facets['minOccurs']}) is missing"
            )

    for name, (type_, use) in ours.attributes.items():
        if name not in real.attributes:
            problems.append(f"{label}: attribute {name!r} does not exist in the real type")
        elif real.attributes[name] != (type_, use):
            problems.append(f"{label}: attribute {name!r} ours={(type_, use)} real={real.attributes[name]}")
    for name, (_, use) in real.attributes.items():
        if use == "required" and name not in ours.attributes:
            problems.append(f"{label}: required attribute {name!r} is missing")
    return problems


def _restriction(simple_type: etree._Element) -> tuple[str | None, list[str], list[tuple[str, str]]]:
    """(base, enumeration values, other facets) of a simple type."""
    restriction = simple_type.find(_q("restriction"))
    if restriction is None:
        return None, [], [("unsupported", etree.QName(simple_type[0]).localname if len(simple_type) else "empty")]
    enumerations = [f.get("value") for f in restriction.iterfind(_q("enumeration"))]
    others = sorted(
        (etree.QName(f).localname, f.get("value"))
        for f in restriction
        if isinstance(f.tag, str) and f.tag != _q("enumeration")
    )
    return _resolve(restriction, restriction.get("base")), enumerations, others


def compare_simple_type(label: str, ours: etree._Element, real: etree._Element) -> list[str]:
    our_base, our_values, our_facets = _restriction(ours)
    real_base, real_values, real_facets = _restriction(real)
    problems = []
    if our_base != real_base:
        problems.append(f"{label}: base ours={_short(our_base)} real={_short(real_base)}")
    extra = [v for v in our_values if v not in real_values]
    missing = [v for v in real_values if v not in our_values]
    if extra:
        problems.append(f"{label}: enumeration values not in the real type: {extra}")
    if missing:
        problems.append(f"{label}: enumeration values of the real type missing in ours: {missing}")
    if our_facets != real_facets:
        problems.append(f"{label}: facets ours={our_facets} real={real_facets}")
    return problems


def compare_element(label: str, ours: etree._Element, real: etree._Element) -> list[str]:
    problems = []
    for key in ("type", "nillable", "default", "abstract", "substitutionGroup"):
        our_value, real_value = ours.get(key), real.get(key)
        if key in ("type", "substitutionGroup"):
            our_value, real_value = _resolve(ours, our_value), _resolve(real, real_value)
        if our_value != real_value:
            problems.append(f"{label}: {key} ours={our_value!r} real={real_value!r}")
    our_anonymous, real_anonymous = ours.find(_q("complexType")), real.find(_q("complexType"))
    if (our_anonymous is None) != (real_anonymous is None):
        problems.append(f"{label}: anonymous complex type only in {'ours' if real_anonymous is None else 'real'}")
    elif our_anonymous is not None:
        problems += compare_content(label, content_model(our_anonymous), content_model(real_anonymous))
    return problems


def compare_operations(ours: Description, real: Description) -> list[str]:
    problems = []
    if not ours.operations:
        problems.append("ours has no SOAP 1.1 operations")
    for name, op in ours.operations.items():
        if (op.style, op.input_use, op.output_use) != ("document", "literal", "literal"):
            styles = f"{op.style}/{op.input_use}/{op.output_use}"
            problems.append(f"operation {name}: ours is not document/literal ({styles})")
        real_op = real.operations.get(name)
        if real_op is None:
            problems.append(f"operation {name}: does not exist in the real description")
            continue
        for attribute in ("soap_action", "style", "input_use", "output_use", "input_element", "output_element"):
            our_value, real_value = getattr(op, attribute), getattr(real_op, attribute)
            if our_value != real_value:
                problems.append(f"operation {name}: {attribute} ours={our_value!r} real={real_value!r}")
    return problems


def compare_schema(namespace: str, ours: Schema, real: Schema) -> list[str]:
    problems = []
    if ours.element_form_default != real.element_form_default:
        problems.append(
            f"schema {namespace}: elementFormDefault ours={ours.element_form_default!r} "
            f"real={real.element_form_default!r}"
        )
    kinds = (
        ("element", ours.elements, real.elements, compare_element),
        ("complexType", ours.complex_types, real.complex_types,
         lambda label, o, r: compare_content(label, content_model(o), content_model(r))),
        ("simpleType", ours.simple_types, real.simple_types, compare_simple_type),
    )
    for kind, our_items, real_items, compare_one in kinds:
        for name, item in our_items.items():
            if name not in real_items:
                problems.append(f"{kind} {name}: does not exist in the real description")
            else:
                problems += compare_one(f"{kind} {name}", item, real_items[name])
    return problems


def compare(ours_path: Path, real_path: Path) -> list[str]:
    """Every way in which `ours_path` is not a faithful subset of `real_path`; empty when it is."""
    ours, real = load(Path(ours_path)), load(Path(real_path))
    problems = []
    if ours.target_namespace != real.target_namespace:
        problems.append(f"targetNamespace ours={ours.target_namespace!r} real={real.target_namespace!r}")
    problems += compare_operations(ours, real)
    for namespace, schema in ours.schemas.items():
        if namespace not in real.schemas:
            problems.append(f"schema {namespace}: does not exist in the real description")
        else:
            problems += compare_schema(namespace, schema, real.schemas[namespace])
    return problems


def missing_in(ours_path: Path, other_path: Path) -> list[str]:
    """What our subset uses that `other_path` lacks: operations, global elements and types by name,
    members of complex types as "Type.Element" (wrapper elements as "Element.child") and
    enumeration values as "Type=Value"."""
    ours, other = load(Path(ours_path)), load(Path(other_path))
    missing = [f"operation {name}" for name in ours.operations if name not in other.operations]
    for namespace, schema in ours.schemas.items():
        other_schema = other.schemas.get(namespace, Schema(None, {}, {}, {}))
        for name, simple_type in schema.simple_types.items():
            if name not in other_schema.simple_types:
                missing.append(name)
                continue
            other_values = _restriction(other_schema.simple_types[name])[1]
            missing += [f"{name}={v}" for v in _restriction(simple_type)[1] if v not in other_values]
        containers = [(n, e.find(_q("complexType")), other_schema.elements.get(n)) for n, e in schema.elements.items()]
        containers += [(n, t, other_schema.complex_types.get(n)) for n, t in schema.complex_types.items()]
        for name, complex_type, other_holder in containers:
            if complex_type is None:
                continue
            if other_holder is None:
                missing.append(name)
                continue
            other_type = other_holder.find(_q("complexType")) if other_holder.tag == _q("element") else other_holder
            other_names = {p.name for p in content_model(other_type).particles} if other_type is not None else set()
            missing += [f"{name}.{p.name}" for p in content_model(complex_type).particles if p.name not in other_names]
    return sorted(missing)
