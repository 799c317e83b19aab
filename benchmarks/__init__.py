"""Speed, size and memory benchmarks; run with ``python -m benchmarks [name ...]``."""
