"""One process for the lent GPU machine: build the CPU and CUDA ufuncs once, run the log-Bessel tests, then the benchmark.

    python3 benchmarks/log_bessel_device_run.py --gpu

(CUDA compilation is the slow part, so the tests and ``bench_log_bessel.py --gpu`` share it in one process.)
"""
import os, sys, time
sys.path.insert(0, os.getcwd())
import numba, numpy
print("numba", numba.__version__, "numpy", numpy.__version__, flush=True)
t = time.time()
import numerics.bessel  # CPU ufuncs (compile here: no cache on a fresh machine)
print("cpu compile %.1fs" % (time.time() - t), flush=True)
import numerics.cuda as nc
t = time.time(); nc._build(); print("cuda build %.1fs" % (time.time() - t), flush=True)
import pytest
t = time.time()
rc = pytest.main(["-q", "-p", "no:cacheprovider", "-o", "addopts=", "tests/numerics/test_bessel_cuda.py",
                  "tests/numerics/test_bessel.py", "-k", "not live"])
print("pytest rc", rc, "%.1fs" % (time.time() - t), flush=True)
from benchmarks.bench_log_bessel import main
main(sys.argv[1:])
