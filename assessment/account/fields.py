"""A form field for a date and time typed in the reader's zone and stored in UTC."""

from __future__ import annotations

from wtforms import DateTimeLocalField

from ..local_time import TimeNotInZone, local_naive, to_utc, zone_name

FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class LocalDateTimeField(DateTimeLocalField):
    """A browser's date-time box in `zone`: shows a stored (naive UTC) time as the wall
    clock there; `data` is what was typed (shown again if the form comes back) and `utc`
    the time to store. A time the clocks skip that night is an error naming the time to
    use instead."""

    utc = None

    def __init__(self, label=None, validators=None, zone: str | None = None, **kwargs):
        kwargs.setdefault("format", FORMATS)
        self.zone = zone_name(zone)
        if kwargs.get("default") is not None:
            kwargs["default"] = local_naive(kwargs["default"], self.zone)
        super().__init__(label, validators, **kwargs)

    def post_validate(self, form, validation_stopped) -> None:
        """Once the typed text parsed, read it in the zone (stored times are UTC)."""
        self.utc = None
        if validation_stopped or self.errors or self.data is None:
            return
        try:
            self.utc = to_utc(self.data, self.zone)
        except TimeNotInZone as error:
            self.errors.append(str(error))
