"""Watching a model in the browser (Mesa's SolaraViz) and drawing it in notebooks.

* :mod:`simulation.viz.layout` - where people and organizations are drawn: a seeded structural layout computed
  once per model (never a force-directed layout of thousands of nodes).
* :mod:`simulation.viz.charts` - live matplotlib charts of a running model (network, community result and
  levers, levels, initiatives, money and reach), redrawn cheaply each step; usable on their own in a notebook.
* :mod:`simulation.viz.components` and :mod:`simulation.viz.app` - the Solara components and the SolaraViz page.
* :mod:`simulation.viz.server` - ``leadsim viz``'s server on 127.0.0.1.

Importing this package imports neither Solara nor Mesa's visualization (notebooks and benchmarks that only draw
charts do not need them); the app modules do. The model core never imports anything from here.
"""
