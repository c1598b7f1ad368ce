"""``course lite``: the course as a static JupyterLite site that runs in a browser tab.

The site is built from the release notebooks (``notebooks/``) with everything it needs inside it,
so it works with no outside network once loaded: the Pyodide core from the npm registry
(:mod:`instructor.lite.pyodide`), the course and its pure-Python dependencies as wheels from PyPI
(:mod:`instructor.lite.wheels`), and JupyterLite itself from PyPI (:mod:`instructor.lite.site`).
``docs/lite.md`` has the measured facts behind each choice.
"""

from instructor.lite.site import DEFAULT_CACHE, DEFAULT_OUTPUT, build

__all__ = ["DEFAULT_CACHE", "DEFAULT_OUTPUT", "build"]
