"""Calibration of the model to the evidence by ABC-SMC (``leadsim calibrate``; docs/calibration.md).

``spec`` (the calibration file, validated), ``sampler`` (pyabc's evaluation-parallel strategy, seeded per
evaluation), ``smc`` (priors, the particle model, the interval distance, run and resume), ``output`` (the folder:
manifest, posterior, summary) and ``calibrate`` (the whole run). Nothing is imported here: pyabc loads only when a
calibration runs.
"""
