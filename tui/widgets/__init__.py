"""Widgets of the stepper: each renders a snapshot from core and posts messages up to its screen."""

from .graph_canvas import GraphCanvas
from .step_info import StepExplanation, StepperHeader, SweepCounter
from .trace_table import TraceTable

__all__ = ["GraphCanvas", "StepExplanation", "StepperHeader", "SweepCounter", "TraceTable"]
