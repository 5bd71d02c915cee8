"""The screens' "to printer" keys: a sheet already written under the data folder is handed to CUPS
``lp`` in a thread of its own, so a printer queue that hangs never holds up the database thread.

Where there is no ``lp`` or no default printer the operator is told so in one line; the PDF stays
written, named in the message before, to print from elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from console.i18n import error_text
from console.screens.base import PostScreen
from console.sheets.printer import PrinterError, choose_printer, send_and_say


def send_to_printer(screen: PostScreen, path: Path) -> None:
    """Call from any thread once ``path`` is written: the answer comes back as a notification."""
    app = screen.app

    def job() -> None:
        try:
            line = send_and_say(path, choose_printer(app.config.printer))
        except PrinterError as err:
            app.call_from_thread(app.notify, error_text(err), severity="error", markup=False, timeout=12)
            return
        app.call_from_thread(app.notify, line, markup=False, timeout=10)

    app.call_from_thread(screen.run_worker, job, thread=True, group="printer", exit_on_error=False)
