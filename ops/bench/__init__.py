"""`legalbot bench` (ops/bench/run.py): the speed of the message path, measured in rounds."""
