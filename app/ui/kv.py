"""Each widget or screen module loads the .kv file beside it, once, when first imported."""

from pathlib import Path

from kivy.lang import Builder


def load_kv_beside(module_file: str) -> None:
    path = str(Path(module_file).with_suffix(".kv"))
    if path not in Builder.files:
        Builder.load_file(path)
