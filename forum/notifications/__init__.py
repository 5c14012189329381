"""How members hear about what is said: following, preferences, in-site notifications, the email
outbox, delivery, the inbox, one-click unsubscribe, and the Celery tasks and pages for them.

Callers outside this package import `forum.notifications.api` (notify, notify_encouragement,
schedule_fan_out, auto_follow, NotificationKind), never the modules
behind it.

Why this file imports nothing: the models in `models.py` keep app_label "forum" (same tables,
same migrations), and Django registers an app's models by importing only `forum.models`, so
`forum.models` imports `forum.notifications.models`, and importing a submodule runs this file
first. If it imported `api` (which needs `forum.models` for Post and Topic), loading
`forum.models` would come back to a half-built `forum.models`. So:

- this file has no imports, and `models.py` imports only Django and names the forum's models
  by string ("forum.Topic");
- every other module may import `forum.models`, and they import each other in one direction,
  each layer only from the layers above it:

      models
      preferences, inbox, subscriptions, outbox (-> forum.dispatch)
      unsubscribe (-> preferences), mutes (-> inbox)
      fan_out (-> preferences, inbox, outbox), delivery (-> preferences, unsubscribe, outbox)
      api, tasks, views, urls, admin, context_processors

Nothing imports `tasks`: work is handed to Celery by task name through `forum.dispatch` (names
in `outbox`), after commit. The tasks are registered by `forum.apps` in every process (eager
runs need them in-process) and by Celery's autodiscovery in workers (config/celery_app.py).
"""
