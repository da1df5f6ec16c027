"""`backprop-tui serve`: the app in students' browsers, one process a session."""
