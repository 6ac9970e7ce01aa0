"""`claimtrack browse`: the interactive browser (Textual). Imported only when the command runs, so
that `claimtrack --help` and the other commands never pay for Textual's start-up."""
