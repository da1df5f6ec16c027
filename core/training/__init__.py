"""Gradient descent: data sets, models, the objective, optimizers, the run and its history, the
landscape, the minima example, the run's set-up and its report."""
