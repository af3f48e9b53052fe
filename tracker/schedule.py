"""`tracker schedule`: run collect and digest on their cron expressions.

One long-running process on APScheduler 3.x's BlockingScheduler:

* each job has max_instances=1 and coalesce=True: a run that is still going
  when its next tick comes is not started twice (the tick is skipped and
  logged), and ticks missed while the process was busy or asleep collapse
  into one run;
* misfire_grace_time is explicit (APScheduler's default of 1 s would silently
  drop a digest that starts a little late, e.g. after a laptop wakes up);
* every run's outcome is logged on one line (ok / failed, duration);
* SIGTERM or SIGINT (or `stop_event`) stops scheduling new runs and waits for
  the current one to finish; a second signal abandons it and exits at once.
  Abandoning is safe for the database: every write is one SQLite transaction,
  so a killed run leaves all of a step or none of it, and a digest killed
  while sending is resent by the next run (see tracker.digest).
"""
from __future__ import annotations

import logging
import os
import signal
import threading
import time
from typing import Callable, Mapping, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from .config import Config
from .errors import ConfigError, TrackerError

log = logging.getLogger(__name__)

# Seconds a run may start late and still run (then coalesced into one run).
MISFIRE_GRACE = {"collect": 15 * 60, "digest": 60 * 60}


def make_triggers(cfg: Config) -> dict[str, BaseTrigger]:
    """CronTriggers from sources.yaml's schedule section (ConfigError if bad)."""
    tzname = cfg.schedule.timezone or "UTC"
    try:
        tz = ZoneInfo(tzname)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"schedule.timezone: unknown time zone {tzname!r}") from None
    out = {}
    for name in ("collect", "digest"):
        expr = getattr(cfg.schedule, name)
        try:
            out[name] = CronTrigger.from_crontab(expr, timezone=tz)
        except ValueError as e:
            raise ConfigError(f"schedule.{name}: bad cron expression {expr!r} ({e})") from None
    return out


class _Runs:
    """Counts runs in progress so shutdown can wait for them."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.active: dict[str, float] = {}

    def wait_idle(self, timeout: Optional[float] = None) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: not self.active, timeout)


def _describe(result: object) -> str:
    if result is None:
        return ""
    status = getattr(result, "status", None)
    text = str(status) if status is not None else str(result)
    text = " ".join(text.split())
    return f" ({text[:200]})" if text else ""


def _job(name: str, fn: Callable[[], object], runs: _Runs, stop: threading.Event) -> Callable[[], None]:
    def run() -> None:
        if stop.is_set():
            log.info("%s: not started, shutting down", name)
            return
        with runs.cond:
            runs.active[name] = time.monotonic()
        t0 = time.monotonic()
        log.info("%s: started", name)
        try:
            result = fn()
        except TrackerError as e:
            log.error("%s: failed after %.1fs: %s", name, time.monotonic() - t0, e)
        except Exception:  # noqa: BLE001 - one bad run must not stop the schedule
            log.exception("%s: crashed after %.1fs", name, time.monotonic() - t0)
        else:
            log.info("%s: ok in %.1fs%s", name, time.monotonic() - t0, _describe(result))
        finally:
            with runs.cond:
                runs.active.pop(name, None)
                runs.cond.notify_all()

    run.__name__ = name
    return run


def run_schedule(cfg: Config, *, collect: Callable[[], object], digest: Callable[[], object],
                 stop_event: Optional[threading.Event] = None,
                 triggers: Optional[Mapping[str, BaseTrigger]] = None,
                 misfire_grace: Optional[Mapping[str, int]] = None,
                 drain_timeout: Optional[float] = None) -> None:
    """Run collect and digest on schedule until SIGTERM/SIGINT or `stop_event`.

    `triggers` replaces the cron triggers from sources.yaml (tests use short
    IntervalTriggers); `drain_timeout` bounds the wait for a running job at
    shutdown (None: wait until it finishes).
    """
    trig = dict(triggers) if triggers is not None else make_triggers(cfg)
    if not logging.getLogger().handlers:
        # Nobody configured logging: each run's outcome must still be visible
        # (stderr, so journald / the container log gets it).
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    grace = dict(MISFIRE_GRACE, **(misfire_grace or {}))
    stop = stop_event or threading.Event()
    runs = _Runs()
    scheduler = BlockingScheduler(
        timezone=cfg.schedule.timezone or "UTC",
        executors={"default": ThreadPoolExecutor(max_workers=2)},
        job_defaults={"max_instances": 1, "coalesce": True},
    )
    for name, fn in (("collect", collect), ("digest", digest)):
        if name not in trig or trig[name] is None:
            continue
        scheduler.add_job(
            _job(name, fn, runs, stop), trig[name], id=name, name=name,
            max_instances=1, coalesce=True, misfire_grace_time=grace[name], replace_existing=True,
        )

    def on_event(event: JobEvent) -> None:
        times = getattr(event, "scheduled_run_times", None) or [getattr(event, "scheduled_run_time", None)]
        due = ", ".join(str(t) for t in times if t is not None) or "?"
        if event.code == EVENT_JOB_MAX_INSTANCES:
            log.warning("%s: previous run still going; skipped the run due at %s", event.job_id, due)
        elif event.code == EVENT_JOB_MISSED:
            log.warning("%s: missed the run due at %s (more than %ss late)",
                        event.job_id, due, grace.get(event.job_id))

    scheduler.add_listener(on_event, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED)

    # Signals only set the stop flag (or, the second time, exit at once); the
    # watcher thread does the actual shutdown outside the signal handler.
    previous: dict[int, object] = {}
    signals_seen = [0]

    def on_signal(signum: int, frame: object) -> None:
        signals_seen[0] += 1
        if signals_seen[0] == 1:
            log.info("received %s: finishing the current run, then stopping", signal.Signals(signum).name)
            stop.set()
        else:
            active = ", ".join(runs.active) or "nothing"
            log.warning("received %s again: abandoning %s and exiting now", signal.Signals(signum).name, active)
            logging.shutdown()
            os._exit(128 + signum)

    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, on_signal)

    done = threading.Event()

    def watch() -> None:
        stop.wait()
        while not done.is_set():
            try:
                scheduler.shutdown(wait=False)  # no new runs; wakes the main loop
                return
            except SchedulerNotRunningError:
                time.sleep(0.02)  # set before start() got going: try again

    watcher = threading.Thread(target=watch, name="schedule-stop", daemon=True)
    try:
        log.info("schedule: %s", "; ".join(f"{n} {t}" for n, t in trig.items() if t is not None))
        watcher.start()
        if stop.is_set():
            return
        scheduler.start()  # blocks until shutdown
        if runs.active:
            log.info("schedule: waiting for %s to finish", ", ".join(runs.active))
        if not runs.wait_idle(drain_timeout):
            log.warning("schedule: gave up waiting for %s", ", ".join(runs.active))
        log.info("schedule: stopped")
    finally:
        done.set()
        stop.set()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
