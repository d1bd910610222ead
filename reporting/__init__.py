"""Figures and reports.

* ``figures``: the figures (docs/figures.md), one named function each, computed in
  the database; ``figure_set`` gives all of them per partner and in total.
* ``selectors``: what a user's report covers (``visible_to``), report data.
* ``exporters``: XLSX / CSV / JSON exporters in a registry.
* ``services`` and ``tasks``: report requests, built by a Celery task that
  re-checks the requester's rights; expired files deleted by Celery beat.
* ``views``: the dashboard (``reporting:dashboard``) and the report screens.
* ``management/commands/report.py``: the same report from the command line.
"""
