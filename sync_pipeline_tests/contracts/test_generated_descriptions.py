"""Our service descriptions are the real ones' operations with every type they reach, whole.

tools/generate_descriptions.py builds them from ../shared/contracts; these tests build them again
and compare, so a description edited by hand, or a real one that changed, is noticed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from lxml import etree

from sync_pipeline_tests.contracts import compare as cmp
from sync_pipeline_tests.contracts.real import ONGOING_2017, PROJECT_ROOT, REAL_WSDL, contracts_dir, real_wsdl

OURS = sorted(REAL_WSDL)
ONLY_IN_2024 = ("SetInventoryChangesToReported",)


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_descriptions",
                                                  PROJECT_ROOT / "tools" / "generate_descriptions.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()


def _id(path: Path) -> str:
    return path.name


def test_the_generator_covers_every_description_of_ours() -> None:
    assert {PROJECT_ROOT / ours for ours in GENERATOR.DESCRIPTIONS} == set(OURS)


@pytest.mark.parametrize("ours", OURS, ids=_id)
def test_descriptions_are_what_the_generator_makes_of_the_real_ones(ours: Path) -> None:
    expected = GENERATOR.generated(contracts_dir())[ours]
    assert ours.read_bytes() == expected, f"{ours.name} is stale: run tools/generate_descriptions.py"


@pytest.mark.parametrize("ours", OURS, ids=_id)
def test_every_type_we_have_holds_all_of_the_real_types_elements(ours: Path) -> None:
    mine, real = cmp.load(ours), cmp.load(real_wsdl(ours))
    checked = 0
    for namespace, schema in mine.schemas.items():
        real_types = real.schemas[namespace].complex_types
        for name, complex_type in schema.complex_types.items():
            ours_names = [p.name for p in cmp.content_model(complex_type).particles]
            assert ours_names == [p.name for p in cmp.content_model(real_types[name]).particles], name
            checked += 1
    assert checked > 0 or ours.name == "authenticate.wsdl"


def test_the_2017_description_has_nothing_for_our_operations_that_ours_lacks(tmp_path: Path) -> None:
    real, operations, purpose = GENERATOR.DESCRIPTIONS["sync_pipeline/wms/wsdl/ongoing.wsdl"]
    # The 2017 description has the change feed's read but not its marking (SetInventoryChangesToReported
    # came later): a service that old is read through the full inventory walk (docs/operations.md).
    in_2017 = tuple(name for name in operations if name not in ONLY_IN_2024)
    from_2017 = tmp_path / "ongoing-2017.wsdl"
    from_2017.write_bytes(GENERATOR.generate(contracts_dir() / ONGOING_2017, in_2017, purpose, ONGOING_2017))
    ours = PROJECT_ROOT / "sync_pipeline" / "wms" / "wsdl" / "ongoing.wsdl"
    assert cmp.load(from_2017).operations.keys() == cmp.load(ours).operations.keys() - set(ONLY_IN_2024)
    with pytest.raises(KeyError, match="SetInventoryChangesToReported"):
        GENERATOR.generate(contracts_dir() / ONGOING_2017, operations, purpose, ONGOING_2017)
    assert cmp.missing_in(from_2017, ours) == []
    # and the 2024 description really is the larger one (the reason we follow it)
    assert "InventoryLine.SellableNumberOfItems" in cmp.missing_in(ours, from_2017)


def test_the_generator_refuses_an_operation_the_real_description_lacks(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="NoSuchOperation"):
        GENERATOR.generate(real_wsdl("product.wsdl"), ("GetProducts", "NoSuchOperation"), "test", "test")


def test_generated_descriptions_carry_no_documentation_text() -> None:
    for ours in OURS:
        texts = etree.parse(str(ours)).getroot().iter("{http://schemas.xmlsoap.org/wsdl/}documentation",
                                                        "{http://www.w3.org/2001/XMLSchema}documentation")
        assert [node.text for node in texts][1:] == [], ours.name  # only our own header
