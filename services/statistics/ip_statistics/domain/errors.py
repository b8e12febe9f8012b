"""Why the statistics refuse a request. A refusal about one query parameter names it as
the problem's ``field`` and starts its detail with it."""

from __future__ import annotations

from typing import Any

from shared.errors import Forbidden, InvalidRequest


class ParameterInvalid(InvalidRequest):
    """A query parameter's value is not one the statistics understand."""

    slug = "statistics-parameter-invalid"
    title = "A query parameter is not valid"

    def __init__(self, field: str, reason: str, **extensions: Any) -> None:
        super().__init__(f"{field}: {reason}", field=field, **extensions)
        self.field = field


class ExportTooLarge(InvalidRequest):
    slug = "export-too-large"
    title = "The export has more rows than an export may have"

    def __init__(self, rows: int, cap: int) -> None:
        super().__init__(
            f"the export would have {rows} rows; at most {cap} "
            "(STATISTICS_EXPORT_MAX_ROWS): group by fewer dimensions or narrow the months",
            rows=rows,
            cap=cap,
        )


class FiguresNotYours(Forbidden):
    slug = "statistics-not-readable"
    title = "This organisation may not read these figures"
