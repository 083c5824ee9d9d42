"""Writing a report into a folder the patient chose, from a worker thread.

A SQLite connection belongs to the thread that opened it, so each report opens its own for as long
as it takes. Problems come back as `ReportFolderError` with words a patient can act on.

A report never replaces a file: saved twice in a day, the second one is "facet-report-DATE (2).pdf",
as a browser names a second download. A patient expects what they saved before to be still there,
and a "Replace it?" question would be one more decision, where the wrong answer loses a file.

The messages are in the patient's language (`_()` when the problem is found); the PDF's
clinician fields in the clinic's (`write(..., clinic_language=...)`)."""

from __future__ import annotations

import errno
import os
from datetime import datetime
from pathlib import Path

from app.i18n import N_, _
from app.services.reports import Progress, export_report
from app.store.database import open_database
from app.store.files import DIARY_FOLDER, DestinationRefused, check_destination

NOT_WRITABLE = N_(
    "This folder cannot be written to. Choose another folder, for example "
    "Documents, or a memory stick."
)
GONE = N_("That folder is no longer there. Choose another folder.")
FULL = N_("There is no room left on that drive. Choose another folder, or free some space.")


class ReportFolderError(OSError):
    """A report could not be written; `str()` is the friendly message."""


def folder_problem(
    folder: str | os.PathLike, data_dir: str | os.PathLike | None = None
) -> str | None:
    """Why a report cannot go into `folder`, before trying; None when it looks fine. With
    `data_dir`, the folder holding the diary (or one inside it) is refused too."""
    path = Path(folder)
    if not path.is_dir():
        return _(GONE)
    if data_dir is not None:
        try:
            check_destination(path, data_dir)
        except DestinationRefused:
            return _(DIARY_FOLDER)
    if not os.access(path, os.W_OK | os.X_OK):
        return _(NOT_WRITABLE)
    return None


class ReportWriter:
    def __init__(self, data_dir: str | os.PathLike) -> None:
        self.data_dir = Path(data_dir)

    def folder_problem(self, folder: str | os.PathLike) -> str | None:
        """Why a report cannot go into `folder`, this app's data folder included; None when it
        looks fine."""
        return folder_problem(folder, self.data_dir)

    def write(
        self,
        fmt: str,
        folder: str | os.PathLike,
        *,
        now: datetime,
        zone: str,
        progress: Progress | None = None,
        clinic_language: str | None = None,
    ) -> Path:
        """Write the report in `fmt` (pdf, csv or fhir) into `folder`; returns the file. The
        PDF's clinician fields are in `clinic_language` (the patient's when None)."""
        problem = self.folder_problem(folder)
        if problem:
            raise ReportFolderError(problem)
        db = open_database(self.data_dir)
        try:
            return export_report(
                db,
                fmt,
                Path(folder),
                now=now,
                zone=zone,
                progress=progress,
                if_exists="new_name",
                clinic_language=clinic_language,
            )
        except DestinationRefused as error:
            raise ReportFolderError(_(DIARY_FOLDER)) from error
        except ReportFolderError:
            raise
        except OSError as error:
            raise ReportFolderError(_friendly(error)) from error
        finally:
            db.close()


def _friendly(error: OSError) -> str:
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _(NOT_WRITABLE)
    if error.errno == errno.ENOENT:
        return _(GONE)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _(FULL)
    reason = error.strerror or str(error)
    return _("The report could not be saved there ({reason}). Choose another folder.").format(
        reason=reason
    )
