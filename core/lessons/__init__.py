"""The lecture as a path: the lesson catalogue and the guided lessons built on the engine and training."""
