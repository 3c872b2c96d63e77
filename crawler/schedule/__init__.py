"""Yearly re-crawls on a schedule: APScheduler 3 with its job store in the project database.

``cron`` parses schedules, ``store`` builds schedulers over the ``nianbao_jobs`` table,
``schedules`` adds, lists and removes them, ``lock`` makes sure two scheduler processes on one
database never fire a job twice, ``jobs`` holds the job functions (each crawl runs in its own
process), ``children`` tracks those processes, ``recovery`` closes runs whose process died, and
``runner`` is the long-running ``nianbao scheduler run`` loop.
"""
