"""The tenants file (SYNC_TENANTS_FILE): each merchant's logins and settings, checked at load.

Every wrong value gets its own line naming the merchant and the value's place in the file
(`merchants.acme.erp.password: ...`). Credentials are references, never the secret itself:
`{env: NAME}` (an environment variable) or `{file: PATH}` (a file holding it, e.g. a mounted secret).
Deployment-wide settings (alerts, ledger database, engine) stay in the environment; a merchant may set
any other SYNC_* value of the README's table, and `defaults:` sets one for every merchant.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from sync_pipeline.settings import Settings, SettingsError

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# The file's login blocks, as the settings fields they fill.
ERP_FIELDS = {"base_url": "so24_base_url", "application_id": "so24_application_id", "username": "so24_username",
              "password": "so24_password", "identity_id": "so24_identity_id"}
WMS_FIELDS = {"base_url": "ongoing_base_url", "goods_owner_code": "ongoing_goods_owner_code",
              "username": "ongoing_username", "password": "ongoing_password"}
SECRETS = {"so24_password", "ongoing_password"}
REQUIRED = {"erp": ("application_id", "username", "password"),
            "wms": ("base_url", "goods_owner_code", "username", "password")}
# One per deployment: where Dagster and the ledger keep things, how alerts go out, how sensors tick.
DEPLOYMENT_WIDE = frozenset({
    "sync_tenants_file", "sync_celery_broker_url", "sync_ledger_url", "sync_stock_history_url",
    "sync_stock_history_days", "sync_sensor_interval_seconds", "sync_ui_base_url", "sync_alert_webhook_url",
    "sync_slack_token", "sync_slack_channel", "sync_alert_email_from", "sync_alert_email_to",
    "sync_alert_email_smtp_host", "sync_alert_email_smtp_port", "sync_alert_email_smtp_type",
    "sync_alert_email_smtp_user", "sync_alert_email_smtp_password"})
PER_MERCHANT = sorted(name for name in Settings.model_fields if name.startswith("sync_") and name not in DEPLOYMENT_WIDE)


class TenantsError(SettingsError):
    """The tenants file cannot be used; one line per wrong value."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        super().__init__(problems)
        self.args = (f"invalid tenants file {path}:\n" + "\n".join(f"  {line}" for line in problems),)


def load_tenants(path: str | Path, environ: Mapping[str, str] | None = None,
                 env_file: str | Path | None = ".env") -> dict[str, Settings]:
    """Each merchant's settings by key, in the file's order; TenantsError listing every wrong value."""
    path = Path(path)
    environ = os.environ if environ is None else environ
    problems: list[str] = []
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as unreadable:
        raise TenantsError(path, [f"cannot be read: {unreadable.strerror or unreadable}"]) from None
    except yaml.YAMLError as bad:
        mark = getattr(bad, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise TenantsError(path, [f"is not YAML{where}: {getattr(bad, 'problem', None) or bad}"]) from None
    if not isinstance(document, dict):
        raise TenantsError(path, ["must be a mapping with `merchants:` (and optionally `defaults:`)"])
    problems += _unknown(document, ("merchants", "defaults"), "")
    defaults = _settings_block(document.get("defaults"), "defaults", problems)
    merchants = document.get("merchants")
    if not isinstance(merchants, dict) or not merchants:
        problems.append("merchants: list at least one merchant, as `<key>: {erp: ..., wms: ...}`")
        raise TenantsError(path, problems)
    found: dict[str, Settings] = {}
    owners: dict[tuple[str, str], str] = {}
    for key, entry in merchants.items():
        merchant = _merchant(str(key), entry, defaults, environ, env_file, problems)
        if merchant is None:
            continue
        owner = (merchant.ongoing_base_url.rstrip("/").lower(), merchant.ongoing_goods_owner_code)
        if owner in owners:
            problems.append(f"merchants.{key}.wms: goods owner {owner[1]} at {owner[0]} is merchant "
                            f"{owners[owner]}'s already (one merchant per goods owner)")
            continue
        owners[owner] = str(key)
        found[str(key)] = merchant
    if problems:
        raise TenantsError(path, problems)
    return found


def _merchant(key: str, entry: Any, defaults: dict[str, Any], environ: Mapping[str, str],
              env_file: str | Path | None, problems: list[str]) -> Settings | None:
    place = f"merchants.{key}"
    before = len(problems)
    if not KEY.match(key):
        problems.append(f"{place}: a merchant's key is lower-case letters, digits and _, starting with a letter, "
                        "at most 40 characters (it names the merchant's partition and ledger)")
    if not isinstance(entry, dict):
        problems.append(f"{place}: must be a mapping with erp:, wms: and optionally settings:")
        return None
    problems += _unknown(entry, ("erp", "wms", "settings", "title"), place)
    values: dict[str, Any] = dict(defaults)
    values.update(_settings_block(entry.get("settings"), f"{place}.settings", problems))
    for block, fields in (("erp", ERP_FIELDS), ("wms", WMS_FIELDS)):
        given = entry.get(block)
        if not isinstance(given, dict):
            problems.append(f"{place}.{block}: must be a mapping with {', '.join(REQUIRED[block])}")
            continue
        problems += _unknown(given, tuple(fields), f"{place}.{block}")
        for name in REQUIRED[block]:
            if given.get(name) in (None, ""):
                problems.append(f"{place}.{block}.{name}: not set (required)")
        for name, field in fields.items():
            if name not in given or given[name] in (None, ""):
                continue
            if field in SECRETS:
                secret = _secret(given[name], f"{place}.{block}.{name}", environ, problems)
                if secret is not None:
                    values[field] = secret
            else:
                values[field] = str(given[name])
    if len(problems) > before:
        return None
    try:
        return Settings.load(env_file, **values)
    except SettingsError as invalid:
        problems += [f"{place}: {_file_name(line)}" for line in invalid.problems]
        return None


def _settings_block(block: Any, place: str, problems: list[str]) -> dict[str, Any]:
    """A `settings:`/`defaults:` block as settings fields; names as in the README (SYNC_...), any case."""
    if block is None:
        return {}
    if not isinstance(block, dict):
        problems.append(f"{place}: must be a mapping of settings, like SYNC_SUPPLIERS: on")
        return {}
    values: dict[str, Any] = {}
    for name, value in block.items():
        field = str(name).strip().lower()
        if field in DEPLOYMENT_WIDE:
            problems.append(f"{place}.{name}: is one per deployment: set it in the environment, not per merchant")
        elif field not in PER_MERCHANT:
            close = difflib.get_close_matches(field, PER_MERCHANT, n=1)
            hint = f" (did you mean {close[0].upper()}?)" if close else ""
            problems.append(f"{place}.{name}: not a setting a merchant can set{hint}")
        elif value is not None:
            values[field] = value
    return values


def _secret(reference: Any, place: str, environ: Mapping[str, str], problems: list[str]) -> str | None:
    if not isinstance(reference, dict) or len(reference) != 1 or next(iter(reference)) not in ("env", "file"):
        problems.append(f"{place}: write {{env: VARIABLE}} or {{file: PATH}}; the file never holds the secret itself")
        return None
    kind, name = next(iter(reference.items()))
    if kind == "env":
        value = environ.get(str(name), "")
        if not value:
            problems.append(f"{place}: the environment variable {name} is not set")
            return None
        return value
    try:
        value = Path(str(name)).read_text(encoding="utf-8").strip()
    except OSError as unreadable:
        problems.append(f"{place}: the file {name} cannot be read ({unreadable.strerror or unreadable})")
        return None
    if not value:
        problems.append(f"{place}: the file {name} is empty")
        return None
    return value


def _unknown(mapping: dict[Any, Any], known: tuple[str, ...], place: str) -> list[str]:
    lines = []
    for name in mapping:
        if str(name) not in known:
            close = difflib.get_close_matches(str(name), known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            lines.append(f"{place + '.' if place else ''}{name}: not known here{hint}; expected {', '.join(known)}")
    return lines


_FIELD_PLACES = {field.upper(): f"{block}.{name}" for block, fields in (("erp", ERP_FIELDS), ("wms", WMS_FIELDS))
                 for name, field in fields.items()}


def _file_name(line: str) -> str:
    """A settings problem named as the file names it (erp.application_id, not SO24_APPLICATION_ID)."""
    name, _, rest = line.partition(":")
    if name in _FIELD_PLACES:
        return f"{_FIELD_PLACES[name]}:{rest}"
    return f"settings.{name}:{rest}" if name.startswith("SYNC_") else line
