"""A value the store has saved: its id. Pure Python.

A procedure, a check-in or a diary entry is made without an id (`id=None`) and gets one when the
store saves it; everything the store returns has one. `saved_id` is that id where only a saved
value has a meaning (its marks, its diary, its report), so a value that was never saved fails
there by name instead of travelling on as None.
"""

from __future__ import annotations


class NotSavedError(ValueError):
    """A value without an id (never saved) was used where only a saved one has a meaning."""


class Saved:
    """For a dataclass with `id: int | None`, None until the store saves it."""

    id: int | None

    @property
    def saved_id(self) -> int:
        if self.id is None:
            raise NotSavedError(f"this {type(self).__name__} was never saved: it has no id")
        return self.id
