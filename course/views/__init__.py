"""Interactive views for the notebooks (ipywidgets / HTML), one module per view.

Each view has a plain data model (tested headlessly) and a widget built on it, e.g.
``course.views.timeline``, ``course.views.fanout``, ``course.views.shard_map``,
``course.views.pattern_tester``, ``course.views.pipeline``.
"""
