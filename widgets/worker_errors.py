"""Getting a worker's error to the operator.

Textual does not bubble a worker's state change past the widget or screen that ran it, so an app
handler never hears of a failed worker it did not start itself. Workers hand their errors to the
app's ``report_error`` (cmdpost's one place for them), or to a plain notification without one.
"""

from __future__ import annotations

from db.safe_text import shown


def report_from_thread(app, error: BaseException) -> None:
    report = getattr(app, "report_error", None)
    try:
        if report is not None:
            app.call_from_thread(report, error)
        else:
            app.call_from_thread(
                app.notify, shown(f"{type(error).__name__}: {error}"), severity="error", markup=False
            )
    except RuntimeError:
        pass  # the app is closing: nobody left to tell
