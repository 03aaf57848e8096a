//! Demo data: the demo township from fixtures/, and generated data for benchmarks.
