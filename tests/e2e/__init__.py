"""`python run.py` as a subprocess: processes, signals, nginx, the browser."""
