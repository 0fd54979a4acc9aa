"""The model core: everything a run's numbers depend on, and nothing else.

It imports nothing from the rest of ``simulation`` (files, running, results, studies, the command line, the app),
so its source alone decides a run's numbers: the studies' code version and numba's cache folder both hash this
folder's files (``simulation/studies/runkeys.py``, ``compiled.py``). See ``docs/architecture.md``.
"""

from . import compiled  # noqa: F401  (first: it chooses numba's cache folder before any kernel is compiled)
