"""The runner: Dask and in-process give the same stored results; a killed worker costs a retry, not a result;
an interrupted run keeps its finished tasks and resumes only the rest."""

import os
import signal
import threading
import time

import cloudpickle
import pytest

import tests.discovery.slow_engine as slow_engine_module
from discovery.runner import RunnerOptions, connect, resume_engine, run_engine
from discovery.store import Store
from tests.discovery.slow_engine import SlowEngine

# Worker processes cannot import the tests package: ship the test engine by value.
cloudpickle.register_pickle_by_value(slow_engine_module)


def _summary(records):
    return sorted((r["target"], r["rhs"], r["validated"], r["meta"]["seed"]) for r in records)


def test_in_process_run_is_complete_and_deterministic(tmp_path):
    opts = RunnerOptions(no_cluster=True, progress=False)
    with Store(tmp_path / "a.sqlite") as st:
        r1 = run_engine(SlowEngine(6, 0.0), store=st, params={}, options=opts, digits=30, seed=3)
    with Store(tmp_path / "b.sqlite") as st:
        r2 = run_engine(SlowEngine(6, 0.0), store=st, params={}, options=opts, digits=30, seed=3)
    assert r1.status == "done" and r1.n_done == 6
    assert all(r["validated"] for r in r1.records)
    assert _summary(r1.records) == _summary(r2.records)


def test_dask_matches_in_process_and_survives_a_killed_worker(tmp_path):
    from distributed import Client, LocalCluster

    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 5}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
        try:
            pids = list(client.run(os.getpid).values())
            killer = threading.Timer(2.0, lambda: os.kill(pids[0], signal.SIGKILL))
            killer.start()
            opts = RunnerOptions(client=client, progress=False)
            with Store(tmp_path / "d.sqlite") as st:
                t0 = time.monotonic()
                res = run_engine(SlowEngine(16, 0.4), store=st, params={}, options=opts, digits=30, seed=3)
                assert time.monotonic() - t0 > 2.0, "the worker was killed after the run ended"
                assert res.status == "done"
                assert res.n_done == 16 and res.n_failed == 0
                assert st.pending_tasks(res.run_id) == []
            killer.join()
        finally:
            client.close()
            cluster.close()
    with Store(tmp_path / "p.sqlite") as st:
        ref = run_engine(SlowEngine(16, 0.0), store=st, params={}, options=RunnerOptions(no_cluster=True, progress=False),
                         digits=30, seed=3)
    assert _summary(res.records) == _summary(ref.records)


def test_interrupt_then_resume_reruns_only_unfinished(tmp_path):
    opts = RunnerOptions(no_cluster=True, progress=False)
    with Store(tmp_path / "i.sqlite") as st:
        with pytest.raises(KeyboardInterrupt):
            run_engine(SlowEngine(8, 0.0, interrupt_at=5), store=st, params={}, options=opts, digits=30, seed=1)
        (run,) = st.runs()
        assert run["status"] == "interrupted"
        assert len(st.pending_tasks(run["id"])) == 3
        assert len(st.query(run_id=run["id"])) == 5
        res = resume_engine(SlowEngine(8, 0.0), store=st, run_id=run["id"], options=opts)
        assert res.n_done == 3
        assert st.get_run(run["id"])["status"] == "done"
        assert len(st.query(run_id=run["id"])) == 8
    with Store(tmp_path / "ref.sqlite") as st:
        ref = run_engine(SlowEngine(8, 0.0), store=st, params={}, options=opts, digits=30, seed=1)
        assert _summary(st.query(run_id=ref.run_id)) == _summary(
            Store(tmp_path / "i.sqlite").query(run_id=run["id"]))


def test_connect_embedded_cluster_has_requested_workers():
    client, cluster = connect(RunnerOptions(workers=2))
    try:
        assert len(client.scheduler_info()["workers"]) == 2
    finally:
        client.close()
        cluster.close()
