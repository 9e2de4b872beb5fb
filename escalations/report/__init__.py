"""The weekly executive brief: one ISO week's numbers from the published snapshot, as HTML, JSON
and (where a Chromium is found) PDF.

``brief.py`` reads the snapshot (the SQL in ``queries.py``) into the plain data of ``model.py``,
``rules.py`` says what is shown and how it is worded, ``charts.py`` draws inline SVG, ``render.py``
fills the Jinja2 template and ``output.py`` writes the files under ``<home>/reports/``.
"""

from escalations.report.brief import build_brief
from escalations.report.model import Brief, NoDataError, Week
from escalations.report.output import BriefFiles, write_brief

__all__ = ["Brief", "BriefFiles", "NoDataError", "Week", "build_brief", "write_brief"]
