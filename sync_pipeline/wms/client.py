"""The Ongoing WMS client the pipeline uses: article and order writes, stock, order and return order reads.

Every call has the connection's timeout and goes through call_with_retry: faults worth
repeating (timeouts, dropped connections, 5xx, "Timeout expired" while another write runs,
quarantine) are retried, the rest raise at once. A record the service refuses is not an
exception but a WriteResult with success=False and the service's message. Stock pages are read
by a fast path (fast_inventory.py) that gives exactly the records and errors zeep's decoding gives.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, TypeVar

import zeep
from zeep.helpers import serialize_object
from zeep.wsdl.utils import etree_to_string

from sync_pipeline.soap import redaction
from sync_pipeline.soap.client import build_client, call_with_retry
from sync_pipeline.soap.direct import DirectPost, Reply
from sync_pipeline.soap.errors import AuthenticationError, SyncError, TerminalError, classify
from sync_pipeline.soap.fast_reply import ReplyReader, raw_reply
from sync_pipeline.soap.unknown import UnknownElements
from sync_pipeline.soap.values import require_utc, string_array
from sync_pipeline.wms import payloads
from sync_pipeline.wms.back_to_back import BackToBack
from sync_pipeline.wms.connection import WmsConnection
from sync_pipeline.wms.fast_inventory import InventoryReplies
from sync_pipeline.wms.models import (
    InventoryLine,
    ReturnOrder,
    ReturnOrdersRefused,
    WmsOrder,
    WriteResult,
    inventory_lines,
    orders_of,
    return_orders_of,
)
from sync_pipeline.wms.paging import walk_pages
from sync_pipeline.wms.write_calls import WriteCall, article_write, order_removal, order_write
from sync_pipeline.wms.write_lock import goods_owner_write_lock

T = TypeVar("T")

WSDL_PATH = Path(__file__).parent / "wsdl" / "ongoing.wsdl"
_WRONG_CREDENTIALS = re.compile(r"wrong username|password or goodsownercode|not authori[sz]ed", re.IGNORECASE)


class WmsClient:
    """One goods owner in one Ongoing warehouse. Safe to share between threads.

    Elements of replies that the service description does not define are skipped and counted in
    `unknown_elements` (soap/unknown.py).
    """

    def __init__(self, connection: WmsConnection, plugins: Iterable[zeep.Plugin] = ()):
        redaction.install(connection.password.get_secret_value())
        self.connection = connection
        self.unknown_elements = UnknownElements()
        self._zeep, self._service = build_client(
            WSDL_PATH, connection.service_url, timeout=connection.timeout, plugins=plugins,
            max_reply_bytes=connection.max_reply_bytes, unknown_elements=self.unknown_elements,
        )
        self._write_lock: threading.Lock = goods_owner_write_lock(
            connection.service_url, connection.goods_owner_code
        )
        self._inventory_replies = InventoryReplies.for_service(self._zeep, self._service._binding)

    def __repr__(self) -> str:
        return f"WmsClient({self.connection.service_url!r}, goods_owner={self.connection.goods_owner_code!r})"

    # -- writes ------------------------------------------------------------------------------

    def process_article(self, article: Mapping[str, Any]) -> WriteResult:
        """Create or update one article by ArticleNumber (with its MainSupplier, if given)."""
        return self._write(article_write(article))

    def process_order(self, order: Mapping[str, Any]) -> WriteResult:
        """Create or update one customer order by GoodsOwnerOrderNumber."""
        return self._write(order_write(order))

    def remove_order(self, number: str, delivery_date: datetime) -> WriteResult:
        """Cancel one customer order by GoodsOwnerOrderNumber (refused once the warehouse began picking).

        delivery_date: the order's own, which the description requires in every OrderInfo.
        """
        return self._write(order_removal(number, delivery_date))

    def back_to_back(self, *, window: int = 4) -> BackToBack[Any]:
        """Writes posted one after another by a thread of their own (see back_to_back.py).

        Use it from one thread; zeep renders and reads the messages in that thread.
        """
        return BackToBack(self._render, self._read_reply, DirectPost(self._zeep.transport, self.connection.service_url),
                          self._write_lock, window=window)

    def repeat_write(self, call: WriteCall, failed: SyncError) -> WriteResult:
        """Send a write again whose first attempt (back to back) failed with `failed`, as the policy allows."""
        return self._write(call, failed=failed)

    # -- reads -------------------------------------------------------------------------------

    def inventory(
        self,
        article_numbers: Iterable[str] | None = None,
        changed_since: datetime | None = None,
    ) -> Iterator[InventoryLine]:
        """Stock per article, page by page (page_size articles per call), each article once."""
        numbers = list(article_numbers) if article_numbers is not None else None
        if numbers == []:
            return iter(())
        require_utc(changed_since, "changed_since")  # refuse a naive time before the first call

        def page(system_id_from: int) -> list[InventoryLine]:
            query = payloads.inventory_query(
                max_articles=self.connection.page_size,
                article_system_id_from=system_id_from,
                article_numbers=numbers,
                changed_since=changed_since,
            )
            if self._inventory_replies is None:  # a service description the fast path does not follow
                return inventory_lines(serialize_object(self._read("GetInventoryByQuery", GetInventoryQuery=query),
                                                        dict))
            return self._read_fast(self._inventory_replies, GetInventoryQuery=query)

        lines = walk_pages(page, lambda line: line.ArticleSystemId)
        return lines if numbers is None else _until_all_read(lines, set(numbers))

    def orders(
        self,
        status_from: int | None = None,
        status_to: int | None = None,
        changed_since: datetime | None = None,
        order_numbers: Iterable[str] | None = None,
    ) -> Iterator[WmsOrder]:
        """Orders matching every given filter, page by page (page_size orders per call)."""
        numbers = list(order_numbers) if order_numbers is not None else None
        if numbers == []:
            return iter(())
        require_utc(changed_since, "changed_since")

        def page(order_id_from: int) -> list[WmsOrder]:
            query = payloads.order_filters(
                max_orders=self.connection.page_size,
                order_id_from=order_id_from,
                status_from=status_from,
                status_to=status_to,
                changed_since=changed_since,
                order_numbers=numbers,
            )
            return orders_of(serialize_object(self._read("GetOrdersByQuery", query=query), dict))

        return walk_pages(page, lambda order: order.OrderId)

    def return_orders(
        self,
        order_numbers: Iterable[str] | None = None,
        returned_since: datetime | None = None,
    ) -> list[ReturnOrder]:
        """Return orders matching every given filter: of these customer orders (GoodsOwnerOrderNumber),
        whose goods came back at or after `returned_since`. The service has no paging: one call."""
        numbers = list(order_numbers) if order_numbers is not None else None
        if numbers == []:
            return []
        query: dict[str, Any] = {}  # a filter left out is not sent: the description has them all optional
        if numbers is not None:
            query["CustomerOrderNumbersToGet"] = string_array(numbers)
        if returned_since is not None:
            query["GoodsReturnedFromDate"] = require_utc(returned_since, "returned_since")
        result = serialize_object(self._read("GetReturnOrdersByQuery", ReturnOrdersQuery=query), dict)
        try:
            return return_orders_of(result)
        except ReturnOrdersRefused as refused:
            kind = AuthenticationError if "LogonError" in str(refused) else TerminalError
            raise kind(f"GetReturnOrdersByQuery refused: {refused}") from refused

    # -- calling -----------------------------------------------------------------------------

    def _credentials(self) -> dict[str, str]:
        return {
            "GoodsOwnerCode": self.connection.goods_owner_code,
            "UserName": self.connection.username,
            "Password": self.connection.password.get_secret_value(),
        }

    def _write(self, call: WriteCall, failed: SyncError | None = None) -> WriteResult:
        method = getattr(self._service, call.operation)

        def attempt() -> Any:
            # Held per attempt, not across the retry wait, so other writers are not kept waiting.
            with self._write_lock:
                return method(**self._credentials(), **call.arguments)

        return call.result(self._call(call.operation, attempt, failed))

    def _render(self, call: WriteCall) -> tuple[bytes, dict[str, str]]:
        """The request as zeep would post it (plugins applied), and its HTTP headers."""
        # zeep's own first step of a call (zeep is pinned); create_message() would drop the headers.
        envelope, headers = self._service._binding._create(
            call.operation, (), {**self._credentials(), **call.arguments}, client=self._zeep,
            options=self._service._binding_options)
        return etree_to_string(envelope), headers

    def _read_reply(self, call: WriteCall, reply: Reply | None,
                    failure: BaseException | None) -> tuple[WriteResult | None, SyncError | None]:
        """A back-to-back write's result as zeep reads it, or its error as a plain call would raise it."""
        try:
            if failure is not None:
                raise failure
            binding = self._service._binding
            return call.result(binding.process_reply(self._zeep, binding.get(call.operation), reply)), None
        except Exception as exc:  # noqa: BLE001 - sorted as call_with_retry sorts it
            return None, _credentials_refused(classify(exc, call.operation))

    def _read(self, operation: str, **payload: Any) -> Any:
        method = getattr(self._service, operation)
        return self._call(operation, lambda: method(**self._credentials(), **payload))

    def _read_fast(self, replies: ReplyReader[T], **payload: Any) -> list[T]:
        """What _read and the records made of its result give, the reply read by a fast reader.

        zeep's errors (faults, transport, XML) are raised inside the retries, the records' own errors
        outside them, as for a _read whose caller makes the records.
        """
        operation = replies.operation.name
        decoded = self._call(operation, lambda: replies.read(
            raw_reply(self._service, operation, **self._credentials(), **payload)))
        return replies.records(decoded)

    def _call(self, operation: str, attempt: Callable[[], T], failed: SyncError | None = None) -> T:
        try:
            return call_with_retry(operation, attempt, self.connection.retry, failed=failed)
        except TerminalError as error:
            refused = _credentials_refused(error)
            if refused is not error:
                raise refused from error
            raise


def _until_all_read(lines: Iterator[InventoryLine], wanted: set[str]) -> Iterator[InventoryLine]:
    """The lines of the articles asked for by number, ending the walk once each has come (article numbers
    are unique per goods owner): a read of a few articles costs one page, not one more to find the end."""
    for line in lines:
        yield line
        wanted.discard(line.ArticleNumber or "")
        if not wanted:
            return


def _credentials_refused(error: SyncError) -> SyncError:
    """A fault that says the credentials are wrong, as the AuthenticationError it is."""
    if isinstance(error, TerminalError) and not isinstance(error, AuthenticationError) \
            and _WRONG_CREDENTIALS.search(str(error)):
        return AuthenticationError(str(error))
    return error
