"""Article variations (SYNC_VARIATIONS): ERP products that are variants of another product.

Off (the default): one WMS article per ERP product, named Product ⇒ Name.

On: a product is a *variant* when its number has the form "<base><separator><variant>" and <base>
is the number of another product in the ERP catalogue (separator SYNC_VARIANT_SEPARATOR, default
"-"). When several prefixes of the number are products, the longest one is the base: with products
"TS", "TS-RED" and "TS-RED-L", "TS-RED-L" is a variant of "TS-RED" (variant part "L") and "TS-RED"
of "TS" (variant part "RED"); without "TS-RED", "TS-RED-L" is a variant of "TS" ("RED-L").
Numbers are compared exactly (no trimming, no case folding), as everywhere else in the sync.

Each variant stays its own WMS article (ArticleNumber = its full number, its own ProductCode,
barcode, weight and stock). The project's ArticleDefinition (sync_pipeline/wms/wsdl/ongoing.wsdl)
has no field that groups articles (the real service's ArticleGroup is not in the subset), so the
grouping is expressed by the shared article-number prefix plus the name: a variant's ArticleName is
"<base name> – <variant part>", e.g. "T-skjorte – RED-L". A base without a name leaves the variant's
own name unchanged.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from typing import Any

from .paths import get_path
from .values import text

DEFAULT_SEPARATOR = "-"
NAME_JOIN = " – "


@dataclass(frozen=True)
class VariantRule:
    """How variant numbers are written: "<base><separator><variant>"."""

    separator: str = DEFAULT_SEPARATOR

    def __post_init__(self) -> None:
        if not self.separator or self.separator.strip() != self.separator:
            raise ValueError(f"the variant separator must be non-empty, without surrounding spaces: {self.separator!r}")

    def catalogue(self, products: Iterable[Any]) -> VariantCatalogue:
        return VariantCatalogue(products, self)

    def base_number(self, number: str, numbers: Container[str]) -> str | None:
        """The longest proper prefix of `number` ending before a separator that is in `numbers`."""
        end = len(number)
        while (end := number.rfind(self.separator, 0, end)) > 0:
            if len(number) > end + len(self.separator) and number[:end] in numbers:
                return number[:end]
        return None


@dataclass(frozen=True)
class Variant:
    number: str
    base_number: str
    base_name: str | None
    part: str  # the number after "<base><separator>"

    def article_name(self) -> str | None:
        return f"{self.base_name}{NAME_JOIN}{self.part}" if self.base_name else None


class VariantCatalogue:
    """Which products of a catalogue are variants of which base."""

    def __init__(self, products: Iterable[Any], rule: VariantRule):
        self.rule = rule
        by_number: dict[str, Any] = {}
        for product in products:
            number = get_path(product, "No")
            if isinstance(number, str) and number:
                by_number[number] = product
        self._variants: dict[str, Variant] = {}
        for number in by_number:
            base = rule.base_number(number, by_number)
            if base is not None:
                self._variants[number] = Variant(
                    number, base, text(get_path(by_number[base], "Name")), number[len(base) + len(rule.separator):]
                )
        self._by_number = by_number

    def variant(self, product: Any) -> Variant | None:
        return self._variants.get(get_path(product, "No"))

    def variants_of(self, base_numbers: Iterable[str]) -> list[Any]:
        """The catalogue's products that are variants of any of `base_numbers`."""
        bases = set(base_numbers)
        return [self._by_number[v.number] for v in self._variants.values() if v.base_number in bases]

    def with_variants_of_changed(self, changed: list[Any]) -> list[Any]:
        """`changed` plus the variants of the changed products: a base's new name renames its variants."""
        numbers = {get_path(p, "No") for p in changed}
        extra = [p for p in self.variants_of(numbers) if get_path(p, "No") not in numbers]
        return changed + extra

    def article(self, product: Any, article: dict[str, Any]) -> dict[str, Any]:
        """The mapped article of `product`, named under its base when it is a variant."""
        variant = self.variant(product)
        name = variant.article_name() if variant else None
        return {**article, "ArticleName": name} if name else article
