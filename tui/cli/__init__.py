"""The command line: `backprop-tui` and its headless subcommands (not the app; they import no Textual)."""
