"""UI tests run the real app in a real Kivy window under the display the test command starts.

Without a display every test file here is reported as skipped, with the reason, instead of
failing to open the window or vanishing from the run."""

from __future__ import annotations

import pytest

from tests.ui.display import NO_DISPLAY, has_display

if has_display():
    # The fixtures (clock, data_dir, speech_wav, start_app) and the failure-screenshot hook.
    from tests.ui.app_window import (  # noqa: F401
        NOW,
        clock,
        data_dir,
        pytest_runtest_makereport,
        speech_wav,
        start_app,
        stop_app,
    )
else:

    class _NoDisplayModule(pytest.Module):
        """A test file that is not imported (importing Kivy's window fails without a
        display): it stands as one test, skipped with the reason under the file's name."""

        def collect(self):
            return [_SkippedForNoDisplay.from_parent(self, name="every test in this file")]

    class _SkippedForNoDisplay(pytest.Item):
        def runtest(self):
            raise pytest.skip.Exception(NO_DISPLAY, _use_item_location=True)

        def reportinfo(self):
            return self.path, 0, self.name

    def pytest_pycollect_makemodule(module_path, parent):
        return _NoDisplayModule.from_parent(parent, path=module_path)
