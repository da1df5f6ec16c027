"""Every null in a JSON document must carry its reason: a finder for the ones that do not."""

from __future__ import annotations

from typing import Any


def _reasons(entry: dict[str, Any]) -> set[str]:
    """The fields an entry explains: `non_finite` (a NaN or an infinity) and `null_reasons` (anything else)."""
    explained = set(entry.get("non_finite", {})) | set(entry.get("null_reasons", {}))
    return explained | set(entry.get("non_finite_gradient", {}))


def unexplained_nulls(document: Any, path: str = "$") -> list[str]:
    """The paths of nulls no reason names. A null nested one level down (`local_values.x`, `params.β0`,
    `contributions.ξ1`, `fd_check.value`) is explained by its entry's dotted key; an fd_check's own null
    `ok`/`value` by its note; a null `note` beside a verdict is the absence of a note, not a missing number."""
    found: list[str] = []
    if isinstance(document, list):
        for index, item in enumerate(document):
            found.extend(unexplained_nulls(item, f"{path}[{index}]"))
        return found
    if not isinstance(document, dict):
        return found
    explained = _reasons(document)
    for key, value in document.items():
        where = f"{path}.{key}"
        if value is None:
            if key not in explained and key != "note":
                found.append(where)
        elif key == "fd_check" and isinstance(value, dict):
            has_note = bool(value.get("note"))
            for inner in ("value", "ok"):
                if value.get(inner) is None and not has_note and f"fd_check.{inner}" not in explained:
                    found.append(f"{where}.{inner}")
        elif key == "gradient" and isinstance(value, dict):
            found.extend(f"{where}.{name}" for name, item in value.items()
                         if item is None and name not in document.get("non_finite_gradient", {}))
        elif key == "inputs" and isinstance(value, dict):
            rows = {row["name"]: row for row in document.get("input_rows", [])}
            found.extend(f"{where}.{name}" for name, item in value.items()
                         if item is None and "value" not in rows.get(name, {}).get("non_finite", {}))
        elif key == "contributions" and isinstance(value, list):
            found.extend(f"{where}[{index}]" for index, item in enumerate(value)
                         if item.get("value") is None and f"contributions.{item.get('from')}" not in explained)
        elif isinstance(value, dict) and not any(isinstance(item, (dict, list)) for item in value.values()):
            inner = _reasons(value)
            found.extend(f"{where}.{name}" for name, item in value.items()
                         if item is None and f"{key}.{name}" not in explained and name not in inner)
        else:
            found.extend(unexplained_nulls(value, where))
    return found
