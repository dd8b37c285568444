"""GetInventoryByQuery: which articles' stock a query selects.

Filters (each one given narrows the result): ArticleNumbersToGet, ProductCodesToGet, StockInfoChangedFrom
(inclusive; refused when more than 24 hours back, as some real endpoints do, so delta readers need a
periodic full sweep). Paging by ArticleSystemId, see paging.py (ArticleSystemIdFrom is inclusive).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping, Sequence

from sync_pipeline.sandbox.soap import SoapFault
from sync_pipeline.sandbox.wms.inventory import MAX_DELTA_AGE
from sync_pipeline.sandbox.wms.paging import page
from sync_pipeline.sandbox.values import as_utc
from sync_pipeline.sandbox.views import Frozen, View
from sync_pipeline.sandbox.wms.values import strings, to_datetime

STALE_DELTA = ("Server was unable to process request. ---> StockInfoChangedFrom may not be more than 24 hours "
               "back in time. Read the whole inventory (without StockInfoChangedFrom) instead.")


def select_inventory(articles: View, stock: Mapping[str, Frozen], query: Mapping[str, Any],
                     now: datetime) -> list[tuple[Frozen, Frozen | None]]:
    """(article, its stock or None) pairs for one page of the answer; `articles` by article number.

    Asked for by number, the articles are looked up by number, as a service's index would find them:
    the answer then costs the numbers asked for, not the catalogue (a load asking for 1,000 numbers
    at a time otherwise walked every article the warehouse holds, 2.4 s at 100,000, with the
    interpreter lock the sandbox's writes need).
    """
    asked = strings(query.get("ArticleNumbersToGet"))
    numbers = set(asked) if asked is not None else None
    codes = strings(query.get("ProductCodesToGet"))
    changed_from = query.get("StockInfoChangedFrom")
    if changed_from is not None:
        changed_from = as_utc(changed_from)
        if changed_from < now - MAX_DELTA_AGE:
            raise SoapFault(STALE_DELTA)

    def wanted(article: Frozen) -> bool:
        if numbers is not None and article["ArticleNumber"] not in numbers:
            return False
        if codes is not None and article.get("ProductCode") not in codes:
            return False
        if changed_from is not None:
            changed = to_datetime((stock.get(article["ArticleNumber"]) or {}).get("StockInfoChanged"))
            return changed is not None and changed >= changed_from
        return True

    candidates: Sequence[Frozen] = (articles.sorted_by("SystemId") if numbers is None else
                                    sorted((articles[n] for n in numbers if n in articles),
                                           key=lambda a: a["SystemId"]))
    selected = page(candidates, lambda a: a["SystemId"], wanted, query.get("ArticleSystemIdFrom"),
                    query.get("MaxArticlesToGet"))
    return [(article, stock.get(article["ArticleNumber"])) for article in selected]
