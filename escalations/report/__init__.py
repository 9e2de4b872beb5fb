"""The weekly executive brief: one ISO week's numbers from the published snapshot, as HTML, JSON
and (where a Chromium is found) PDF.

``brief.py`` queries the snapshot into plain data, ``charts.py`` draws inline SVG, ``render.py``
fills the Jinja2 template and ``output.py`` writes the files under ``<home>/reports/``.
"""

from escalations.report.brief import Brief, NoDataError, Week, build_brief
from escalations.report.output import BriefFiles, write_brief

__all__ = ["Brief", "BriefFiles", "NoDataError", "Week", "build_brief", "write_brief"]
