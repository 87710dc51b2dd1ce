#!/usr/bin/env bash
# The `cron` service of compose.yaml: runs deploy/crontab's jobs without a cron daemon.
# Every 5 minutes: the */5 jobs; once a day, from DAILY_JOBS_HOUR (local time, default 3):
# the daily ones. One failing job is logged and does not stop the others. Run exactly one
# scheduler per installation (the jobs are safe to repeat, but need not run twice).
set -u
cd "$(dirname "$0")/.."

DAILY_JOBS_HOUR="${DAILY_JOBS_HOUR:-3}"
EVERY_5_MINUTES=(publish_scheduled conference_tick)
DAILY=(send_review_reminders forum_send_digests forum_prune_read_marks forum_prune_notifications
       prune_db_task_results clearsessions)
last_daily_run=""

run_job() {
  local started=$SECONDS
  python manage.py "$1"
  local status=$?
  printf '{"logger": "scheduler", "job": "%s", "exit": %d, "seconds": %d}\n' \
    "$1" "$status" "$((SECONDS - started))"
}

trap 'exit 0' TERM INT
while true; do
  for job in "${EVERY_5_MINUTES[@]}"; do run_job "$job"; done
  today=$(date +%F)
  if [ "$(date +%-H)" -ge "$DAILY_JOBS_HOUR" ] && [ "$last_daily_run" != "$today" ]; then
    for job in "${DAILY[@]}"; do run_job "$job"; done
    last_daily_run=$today
  fi
  # Sleep to the next 5-minute mark (in the background, so a stop signal is handled).
  sleep $(( 300 - $(date +%s) % 300 )) &
  wait $!
done
