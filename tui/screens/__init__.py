"""Screens of the app: the stepper, the descent screen, the lessons. Each is imported where it is first shown."""
