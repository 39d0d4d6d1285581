"""Reports: the after-action report (HSEEP AAR/IP or the GB/T 演练评估报告) with figures.

Reads only the event log and its scorecard (:mod:`drillsim.scoring`). Imports matplotlib lazily, when a
figure is drawn.
"""
