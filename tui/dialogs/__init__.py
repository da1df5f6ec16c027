"""Modal dialogs: each closes exactly once (see `base.Dialog`), and returns its answer to whoever opened it."""
