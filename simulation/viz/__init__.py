"""Watching strategies beside business as usual in the browser (Mesa's SolaraViz), and drawing runs in notebooks.

* :mod:`simulation.viz.runs` - what the charts show: runs (business as usual, strategies A and B), live from a
  model's recorder or stored in a results folder (the replay), and the paired difference between them.
* :mod:`simulation.viz.controls` - from the sidebar's state to scenarios (intervention parameters from their own
  schema, problems in a file's words), and :class:`~simulation.viz.controls.AppModel`, the runs stepped together.
* :mod:`simulation.viz.charts` - live matplotlib charts of runs (difference, community result and levers, levels,
  initiatives, money and reach), redrawn cheaply each step; usable on their own in a notebook.
* :mod:`simulation.viz.network_chart` and :mod:`simulation.viz.layout` - the social network on a seeded structural
  layout computed once per model (never a force-directed layout of thousands of nodes).
* :mod:`simulation.viz.components`, :mod:`simulation.viz.sidebar` and :mod:`simulation.viz.app` - the Solara
  components, the sidebar's controls and the pages (live, replay).
* :mod:`simulation.viz.server` - ``leadsim viz``'s server on 127.0.0.1.

Importing this package imports neither Solara nor Mesa's visualization (notebooks and benchmarks that only draw
charts do not need them); the app modules do. The model core never imports anything from here.
"""
