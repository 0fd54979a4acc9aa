"""The model core: everything a run's numbers depend on, and nothing else.

It imports nothing from the rest of ``simulation`` (files, running, results, studies, the command line, the app),
so its source alone decides a run's numbers: the studies' code version and numba's cache folder both hash this
folder's files (``simulation/studies/runkeys.py``, ``compiled.py``). See ``docs/architecture.md``.

Importing the package imports nothing: the parameters (``scenario.py``) load without numba or Mesa, and each
kernel module takes numba's decorator from ``compiled.py``, which chooses the cache folder first.
"""
