"""The child process of PF7: the initial article load and nothing else (no sandbox code imported).

    python -m benchmarks.pf7_child <timeout seconds>   (settings from the environment)

Prints {"before_mb", "peak_mb", "seconds", "created", "failed", "read_seconds", "read_first_byte_seconds",
"read_peak_mb", "pages", "pages_seconds", "write_median_ms", "write_mean_ms"} as JSON: the current RSS
before the load, the process's peak RSS after it, the load's elapsed time; how long the catalogue's
listing (GetProducts of Id, No and DateChanged) took, how much of it passed before its reply's first byte
arrived, and the peak RSS right after it; how many pages of products were then read by id and the
time spent reading them (while earlier writes were on the wire); a write's exchange (median, mean).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from typing import Any, Iterator

from sync_pipeline.erp import ErpClient
from sync_pipeline.erp.models import Product, ProductPages
from sync_pipeline.soap.direct import DirectPost
from sync_pipeline.settings import load_settings
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.wms import WmsClient


def peak_rss_mb() -> float:
    """This program's peak RSS. Linux's ru_maxrss keeps the peak of the image before exec, which is
    the forked copy of the parent (a benchmark process holding the sandboxes, a gigabyte after PF6),
    so VmHWM, the peak of this program's own memory, is read where there is one."""
    try:
        with open("/proc/self/status") as status:
            for entry in status:
                if entry.startswith("VmHWM:"):
                    return int(entry.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes


def current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux: the peak so far is the closest figure
        return peak_rss_mb()


def main(timeout: float) -> None:
    settings = load_settings(None)
    erp = ErpClient(settings.erp_connection(timeout=timeout))
    wms = WmsClient(settings.wms_connection(timeout=timeout))
    erp.session.login()  # as in a running code location: the session is there before the load
    read: dict[str, float] = {"pages_seconds": 0.0, "pages": 0}
    product_pages = erp.product_pages

    def timed_pages(since: Any) -> ProductPages:
        began = time.perf_counter()
        replied: list[float] = []
        hooks = erp.session.http.hooks["response"]
        hooks.append(note_reply := lambda response, **_: replied.append(time.perf_counter()))
        try:
            listed = product_pages(since)
        finally:
            hooks.remove(note_reply)
        read["read_seconds"] = time.perf_counter() - began
        # requests calls response hooks once the headers are in, before it reads the body; the sandbox
        # sends a reply in one write, so this is the time the server took to build it (with its latency).
        read["read_first_byte_seconds"] = replied[-1] - began
        read["read_peak_mb"] = peak_rss_mb()
        return ProductPages(timed(listed.pages), listed.listed_up_to)

    def timed(pages: Iterator[list[Product]]) -> Iterator[list[Product]]:
        while True:
            began = time.perf_counter()
            page = next(pages, None)
            read["pages_seconds"] += time.perf_counter() - began
            if page is None:
                return
            read["pages"] += 1
            yield page

    erp.product_pages = timed_pages  # type: ignore[method-assign]  # measuring, not changing, the read
    exchanges: list[float] = []
    send = DirectPost.send

    def timed_send(post: DirectPost, *args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return send(post, *args, **kwargs)
        finally:
            exchanges.append(time.perf_counter() - began)

    DirectPost.send = timed_send  # type: ignore[method-assign,assignment]  # measuring, not changing, the writes
    before = current_rss_mb()
    started = time.perf_counter()
    report = sync_articles(erp, wms, None)
    seconds = time.perf_counter() - started
    exchanges.sort()
    writes = {"write_median_ms": 1000 * exchanges[len(exchanges) // 2] if exchanges else 0.0,
              "write_mean_ms": 1000 * sum(exchanges) / len(exchanges) if exchanges else 0.0}
    print(json.dumps({"before_mb": before, "peak_mb": peak_rss_mb(), "seconds": seconds, "created": report.created,
                      "failed": report.failed, **read, **writes}))


if __name__ == "__main__":
    main(float(sys.argv[1]))
