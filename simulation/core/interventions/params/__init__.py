"""The interventions' parameters: one module per strategy module of the package, of the same name.

``params/hosting.py`` holds ``HostingParams`` (and the concept source its fields cite); ``hosting.py`` imports it
and sets it as ``Hosting.Params``. Kept apart from the strategies because a strategy module defines Mesa agents and
calls the compiled kernels: a parameter module imports only pydantic, the shared ``InterventionParams``
(``base.py``) and the core's light declarations, so that validating a scenario or describing an intervention
(``REGISTRY.params(name)``) loads neither Mesa nor numba.
"""
