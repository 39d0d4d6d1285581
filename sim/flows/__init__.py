"""Doctrine as simpy processes: incidents, reporting, activation, rescue, MSEL, decisions.

Each flow is a small class bound to one :class:`~drillsim.engine.Exercise` (its ``ctx``): it reads the
scenario, drives agents and writes records. Flows talk to each other through the exercise
(``ctx.reporting``, ``ctx.dispatcher`` …), never through globals.
"""
