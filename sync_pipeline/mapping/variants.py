"""Article variations (SYNC_VARIATIONS): ERP products that are variants of another product.

Off (the default): one WMS article per ERP product, as the article table says, nothing grouped.

On, which products belong together: 24SevenOffice's Product has no element that relates products
(its real description has none; the only ParentId is a product category's), so the relation comes
from the numbers. A product is a *variant* when its number is "<base><separator><variant>" and
<base> is the number of another product (separator SYNC_VARIANT_SEPARATOR, default "-"); the
longest such prefix is its base. Following bases up ends at the *root*; the root and all products
under it are a *family*. With "TS", "TS-RED" and "TS-RED-L": "TS-RED-L" is a variant of "TS-RED",
"TS-RED" of "TS", and all three are the family "TS". Numbers compare exactly (no trimming or case
folding), as everywhere else in the sync.

On, how Ongoing groups them: with ArticleDefinition's own grouping register, ArticleGroup. Every
member of a family (the root too) is sent with ArticleGroup ArticleGroupCode = the root's number,
ArticleGroupName = the root's name, operation CreateOrUpdate (these groups are the sync's: a
renamed root renames its group) found by code. A product without variants gets no ArticleGroup,
so a group the warehouse gave it stays. Optionally (SYNC_VARIANT_PARTS, e.g. "color,size") the
parts of a variant's number after its root's, split at the separator, fill ArticleColor (ColorCode
and ColorName) and ArticleSize (SizeCode and SizeName) in the order named, found or created by
code; a part beyond the named ones stays with the last ("TS-RED-L-XL" with "size": size "RED-L-XL").

Every member keeps its own article: ArticleNumber, ProductCode, barcode, weight, stock, and its own
ArticleName ← Product.Name, as the seed's article table says.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from typing import Any

from .paths import get_path
from .values import text

DEFAULT_SEPARATOR = "-"
FAMILY_ELEMENT = "ArticleGroup"
# SYNC_VARIANT_PARTS names -> the ArticleDefinition structure and its code and name elements.
PART_ELEMENTS = {
    "color": ("ArticleColor", "ColorCode", "ColorName", "ArticleColorOperation"),
    "size": ("ArticleSize", "SizeCode", "SizeName", "ArticleSizeOperation"),
}


@dataclass(frozen=True)
class VariantRule:
    """How variant numbers are written ("<base><separator><variant>") and what their parts are."""

    separator: str = DEFAULT_SEPARATOR
    parts: tuple[str, ...] = ()  # names in PART_ELEMENTS, in the order the number's parts come

    def __post_init__(self) -> None:
        if not self.separator or self.separator.strip() != self.separator:
            raise ValueError(f"the variant separator must be non-empty, without surrounding spaces: {self.separator!r}")
        unknown = [part for part in self.parts if part not in PART_ELEMENTS]
        if unknown:
            raise ValueError(f"unknown variant part {unknown[0]!r}; use {' and/or '.join(PART_ELEMENTS)}")
        if len(set(self.parts)) != len(self.parts):
            raise ValueError(f"each variant part may be named once, got {', '.join(self.parts)}")

    def elements(self) -> tuple[str, ...]:
        """The ArticleDefinition structures this rule fills (configuration must leave them to it)."""
        return (FAMILY_ELEMENT, *(PART_ELEMENTS[part][0] for part in self.parts))

    def catalogue(self, products: Iterable[Any]) -> VariantCatalogue:
        return VariantCatalogue(products, self)

    def base_number(self, number: str, numbers: Container[str]) -> str | None:
        """The longest proper prefix of `number` ending before a separator that is in `numbers`."""
        end = len(number)
        while (end := number.rfind(self.separator, 0, end)) > 0:
            if len(number) > end + len(self.separator) and number[:end] in numbers:
                return number[:end]
        return None

    def part_values(self, number: str, root: str) -> dict[str, str]:
        """The configured parts of a variant's number after its root's: {"color": "RED", "size": "L"}."""
        if not self.parts:
            return {}
        pieces = number[len(root) + len(self.separator):].split(self.separator, len(self.parts) - 1)
        return dict(zip(self.parts, pieces))


@dataclass(frozen=True)
class Variant:
    number: str
    base_number: str  # the direct base (longest existing prefix)
    root_number: str  # the family's root


class VariantCatalogue:
    """Which products of a catalogue are variants of which base, and which family each belongs to."""

    def __init__(self, products: Iterable[Any], rule: VariantRule):
        self.rule = rule
        by_number: dict[str, Any] = {}
        for product in products:
            number = get_path(product, "No")
            if isinstance(number, str) and number:
                by_number[number] = product
        bases = {number: base for number in by_number if (base := rule.base_number(number, by_number))}
        self._variants: dict[str, Variant] = {}
        for number, base in bases.items():
            root = base
            while root in bases:  # bases are strictly shorter prefixes: this ends
                root = bases[root]
            self._variants[number] = Variant(number, base, root)
        self._roots = {variant.root_number for variant in self._variants.values()}
        self._by_number = by_number

    def variant(self, product: Any) -> Variant | None:
        return self._variants.get(get_path(product, "No"))

    def root_of(self, product: Any) -> str | None:
        """The family's root number for a member (a root is its own), None outside any family."""
        number = get_path(product, "No")
        variant = self._variants.get(number)
        return variant.root_number if variant else (number if number in self._roots else None)

    def family(self, root_number: str) -> list[Any]:
        """The members of the family with this root, the root first."""
        members = [self._by_number[v.number] for v in self._variants.values() if v.root_number == root_number]
        return [self._by_number[root_number], *members] if members else []

    def with_variants_of_changed(self, changed: list[Any]) -> list[Any]:
        """`changed` plus the articles whose grouping they change: the family of a changed root (its
        name names the group; a new root gathers existing products), and the root of a changed
        variant (a product gets its group when its first variant appears)."""
        numbers = {get_path(p, "No") for p in changed}
        extra: dict[str, Any] = {}
        for number in numbers:
            variant = self._variants.get(number)
            if variant is not None:
                extra.setdefault(variant.root_number, self._by_number[variant.root_number])
            elif number in self._roots:
                extra.update((get_path(p, "No"), p) for p in self.family(number))
        return changed + [product for number, product in extra.items() if number not in numbers]

    def article(self, product: Any, article: dict[str, Any]) -> dict[str, Any]:
        """The mapped article of `product` with its family's group (and its parts), if in a family."""
        root = self.root_of(product)
        if root is None:
            return article
        grouped = {**article, FAMILY_ELEMENT: {
            "ArticleGroupOperation": "CreateOrUpdate", "ArticleGroupIdentification": "ArticleGroupCode",
            "ArticleGroupCode": root,
            **({"ArticleGroupName": name} if (name := text(get_path(self._by_number[root], "Name"))) else {}),
        }}
        number = get_path(product, "No")
        if number != root:
            for part, value in self.rule.part_values(number, root).items():
                element, code, name, operation = PART_ELEMENTS[part]
                grouped[element] = {code: value, name: value, operation: "FindOrCreate"}
        return grouped
