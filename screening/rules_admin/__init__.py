"""The clinic admin's side of the rules: drafts, preview, publish, revisions,
questionnaire versions, export/import and re-screening.

``definitions``, ``examples`` and ``preview`` are pure Python over plain data
(no Django), like the engine they drive; ``services`` and ``selectors`` are
the database side; ``admin`` and ``forms`` the Django admin screens.
"""
