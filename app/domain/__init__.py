"""Pure rules and values: no Kivy, no SQLite, no clock reads."""
