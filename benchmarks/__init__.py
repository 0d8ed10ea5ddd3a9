"""Benchmark suite: measures the engine against hand-written NumPy, PyTorch
and micrograd on fixed workloads. Measurement only; nothing here changes the engine.

Run everything with `python -m benchmarks` (see `__main__.py` for the options). Each
(case, variant) pair runs in its own subprocess (`benchmarks.runner`) with BLAS threads
pinned before NumPy is imported, so timings and peak RSS are not polluted by another
variant's imports or allocations.

Files:
- `case.py`: what a case and a variant are; `cases/`: the workloads, one file each,
  with the variants shared by the training cases (`_training.py`) and by the
  graph-building cases (`_graphs.py`);
- `data.py`: the fixed sizes, seeded weights and batches every variant shares;
- `models.py`: the MLP and CNN written once for the engine and PyTorch;
  `numpy_reference.py`: the same by hand in NumPy (forward and manual backward);
  `frameworks.py`: imports of the optional PyTorch and micrograd;
- `timing.py`: warm-up, repeats, median, time in gc, peak RSS (runs in the child);
- `runner.py`: the child entry point, prints one JSON object;
- `harness.py`: starts the children with pinned threads and collects their JSON;
- `targets.py`: the performance targets, judged met or missed;
- `profiling.py`: cProfile hot spots of the engine variants (and a pyinstrument view);
- `report.py`, `machine.py`: the printed table and `RESULTS.md`; `FINDINGS.md`: the
  hand-written reading of the profiles, copied into `RESULTS.md`.
"""
