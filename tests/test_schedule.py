"""`tracker schedule`: jobs run on their triggers, never overlap themselves,
and the process stops cleanly on stop_event, SIGTERM and SIGINT."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from tracker.config import Config, ScheduleConfig
from tracker.errors import ConfigError, DeliveryError
from tracker.schedule import make_triggers, run_schedule

REPO = Path(__file__).resolve().parents[1]


def _start(cfg, **kw):
    t = threading.Thread(target=run_schedule, args=(cfg,), kwargs=kw, daemon=True)
    t.start()
    return t


def _wait(pred, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.01)
    return False


def test_jobs_run_never_overlap_and_failures_are_logged(caplog):
    caplog.set_level(logging.INFO, logger="tracker.schedule")
    lock = threading.Lock()
    state = {"running": 0, "max": 0, "collects": 0, "digests": 0}

    def collect():
        with lock:
            state["running"] += 1
            state["max"] = max(state["max"], state["running"])
        time.sleep(0.35)  # longer than the 0.1 s interval: ticks overlap the run
        with lock:
            state["running"] -= 1
            state["collects"] += 1
        return "3 new documents"

    def digest():
        state["digests"] += 1
        raise DeliveryError("cannot reach SMTP server 127.0.0.1:1: Connection refused")

    stop = threading.Event()
    t = _start(Config(), collect=collect, digest=digest, stop_event=stop,
               triggers={"collect": IntervalTrigger(seconds=0.1), "digest": IntervalTrigger(seconds=0.25)})
    assert _wait(lambda: state["collects"] >= 2 and state["digests"] >= 2)
    stop.set()
    t.join(5)
    assert not t.is_alive()
    assert state["max"] == 1  # never two collects at once
    assert state["running"] == 0  # the last run finished before run_schedule returned
    text = caplog.text
    assert "collect: ok in" in text and "3 new documents" in text
    assert "digest: failed after" in text and "127.0.0.1:1" in text
    assert "previous run still going" in text  # the skipped overlapping ticks
    assert "schedule: stopped" in text


def test_stop_event_waits_for_the_current_run():
    started, finished = threading.Event(), threading.Event()

    def collect():
        started.set()
        time.sleep(0.4)
        finished.set()

    stop = threading.Event()
    t = _start(Config(), collect=collect, digest=lambda: None, stop_event=stop,
               triggers={"collect": IntervalTrigger(seconds=0.05), "digest": None})
    assert started.wait(5)
    stop.set()
    t.join(5)
    assert not t.is_alive() and finished.is_set()


def test_stop_before_start_returns():
    stop = threading.Event()
    stop.set()
    t = _start(Config(), collect=lambda: None, digest=lambda: None, stop_event=stop)
    t.join(5)
    assert not t.is_alive()


def test_cron_triggers_from_config():
    cfg = Config(schedule=ScheduleConfig(collect="*/30 * * * *", digest="0 7 * * 1-5", timezone="Europe/Paris"))
    trig = make_triggers(cfg)
    assert isinstance(trig["digest"], CronTrigger)
    assert str(trig["digest"].timezone) == "Europe/Paris"
    with pytest.raises(ConfigError, match="schedule.timezone"):
        make_triggers(Config(schedule=ScheduleConfig(timezone="Mars/Olympus")))
    with pytest.raises(ConfigError, match="schedule.digest"):
        make_triggers(Config(schedule=ScheduleConfig(digest="61 7 * * *")))


HELPER = textwrap.dedent("""
    import logging, sys, time
    from pathlib import Path
    from apscheduler.triggers.interval import IntervalTrigger
    from tracker.config import Config
    from tracker.schedule import run_schedule

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
    marks = Path(sys.argv[1])

    def collect():
        (marks / "started").touch()
        time.sleep(0.6)
        (marks / "finished").touch()

    run_schedule(Config(), collect=collect, digest=lambda: None,
                 triggers={"collect": IntervalTrigger(seconds=0.05), "digest": None})
    (marks / "returned").touch()
""")


def _spawn(tmp_path):
    script = tmp_path / "sched_helper.py"
    script.write_text(HELPER)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, str(script), str(tmp_path)], env=env,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_finishes_current_run_then_exits(tmp_path, sig):
    proc = _spawn(tmp_path)
    try:
        assert _wait(lambda: (tmp_path / "started").exists(), 10)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert (tmp_path / "finished").exists() and (tmp_path / "returned").exists()
    assert "finishing the current run" in err and "schedule: stopped" in err


def test_second_signal_abandons_the_run(tmp_path):
    proc = _spawn(tmp_path)
    try:
        assert _wait(lambda: (tmp_path / "started").exists(), 10)
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "abandoning collect" in err
    assert not (tmp_path / "returned").exists()
