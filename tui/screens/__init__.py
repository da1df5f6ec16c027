"""Screens of the app: the stepper, and the dialogs it opens."""

from .choice import ChoiceScreen
from .edit import EditScreen
from .help import HelpScreen
from .stepper import StepperScreen, step_of
from .stepper_commands import StepperCommands
from .too_small import MIN_SIZE, TooSmallScreen

__all__ = ["MIN_SIZE", "ChoiceScreen", "EditScreen", "HelpScreen", "StepperCommands", "StepperScreen",
           "TooSmallScreen", "step_of"]
