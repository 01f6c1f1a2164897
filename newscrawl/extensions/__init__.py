"""Extensions: the run's state store, and the end-of-run report that decides the exit code."""
