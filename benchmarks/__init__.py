"""cleantext benchmarks: a seeded corpus generator, glossary writers, peer runners and the
`fix` throughput benchmark (``python -m benchmarks.bench_fix``; see benchmarks/README.md).
"""
