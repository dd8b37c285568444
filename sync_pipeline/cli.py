"""The `sync-pipeline` command."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sync-pipeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    sandbox = commands.add_parser("sandbox", help="serve the 24SevenOffice and Ongoing WMS sandboxes")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--erp-port", type=int, default=8024)
    sandbox.add_argument("--wms-port", type=int, default=8025)
    sandbox.add_argument("--state", default=None, help="SQLite file to keep the sandboxes' data in (memory if omitted)")
    sandbox.add_argument("--seed-demo", action="store_true", help="load a demo catalogue, customers, suppliers, orders")
    sandbox.add_argument("--merchants", type=_count, default=0, metavar="N",
                         help="also N merchants (ERP clients and goods owners merchant_1…), each with its demo data")
    demo = commands.add_parser("demo", help="sandboxes with demo data plus the Dagster UI (dagster dev)")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=3000, help="Dagster UI port")
    demo.add_argument("--erp-port", type=int, default=8024)
    demo.add_argument("--wms-port", type=int, default=8025)
    demo.add_argument("--dagster-home", default=None, help="DAGSTER_HOME folder (default: .dagster_home/)")
    demo.add_argument("--fresh", action="store_true",
                      help="start anew: empty the sandboxes' data, the sync ledger and Dagster's storage together")
    demo.add_argument("--merchants", type=_count, default=0, metavar="N",
                      help="N merchants side by side (merchant_1…): tenants of the sandboxes, in a tenants file")
    history = commands.add_parser("stock-history", help="a SKU's stock balances over time, as the stock cycles kept "
                                  "them (reads the pipeline's settings: the database of SYNC_STOCK_HISTORY_URL, else "
                                  "the ledger's PostgreSQL, else files under DAGSTER_HOME)")
    history.add_argument("sku", help="the article number (24SevenOffice No = Ongoing ArticleNumber)")
    history.add_argument("--merchant", default=None,
                         help="with a tenants file (SYNC_TENANTS_FILE): the merchant's key; its own stock history")
    args = parser.parse_args(argv)
    if args.command == "stock-history":
        return _stock_history(args.sku, args.merchant)
    if args.command == "sandbox":
        # Imported here: the pipeline itself never depends on the sandbox package.
        from sync_pipeline.sandbox.main import serve

        return serve(host=args.host, erp_port=args.erp_port, wms_port=args.wms_port,
                     state=args.state, seed_demo=args.seed_demo, merchants=args.merchants)
    if args.command == "demo":
        from pathlib import Path

        from sync_pipeline.sandbox.demo_stack import run_demo

        return run_demo(Path.cwd(), host=args.host, ui_port=args.port, erp_port=args.erp_port,
                        wms_port=args.wms_port,
                        dagster_home=Path(args.dagster_home).resolve() if args.dagster_home else None,
                        fresh=args.fresh, merchants=args.merchants)
    return 2


def _count(text: str) -> int:
    """A number of merchants: 0 to 100."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError(f"expected 0 to 100, got {number}")
    return number


def _stock_history(sku: str, merchant_key: str | None = None) -> int:
    from sync_pipeline.settings import SettingsError
    from sync_pipeline.stock.history import history_markdown
    from sync_pipeline.tenants.deployment import load_deployment

    try:
        _, merchants = load_deployment()
        merchant = merchants.get(merchant_key)
    except SettingsError as invalid:
        sys.stderr.write(f"{invalid}\n")
        return 2
    except KeyError as unknown:
        sys.stderr.write(f"{unknown.args[0]}" + ("" if merchant_key else " with --merchant") + "\n")
        return 2
    sys.stdout.write(history_markdown(sku, store=merchant.stock_history()))
    return 0

if __name__ == "__main__":
    sys.exit(main())
