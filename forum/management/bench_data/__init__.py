"""The benchmark data set: the measured category, a very long topic, a crowd of members.

Two sizes (`--scale`):

- small (the default): one category with 10,000 topics, the first of which has 1,000 posts,
  every other topic one opening post; 200 members.
- large (PostgreSQL only): 100,000 topics and 1,000,000 posts by 50,000 members. The measured
  category holds 40,000 topics (the long topic among them), the other 60,000 are spread over
  the forum's other categories; besides the long topic, replies are spread unevenly over the
  topics (most have a few, some have dozens).

On PostgreSQL rows are loaded with COPY (secondary indexes and constraints are dropped first
and rebuilt after, then the tables are vacuumed and analyzed); elsewhere with bulk_create.
Every denormalized counter is set from the data: post positions, Topic.reply_count,
last_position, last_activity_at, last_poster; Category.topic_count, post_count,
last_activity_at; User.approved_post_count; and the per-kind encouragement counts on Post when
the model has them.

`shape` plans what exists, `rows` says what each row holds, `orm_load` and `copy_load` write
it, `counters` sets what spans tables and `clearing` removes an earlier data set. The command
(`manage.py seed_bench`) reads the sizes, refuses bad ones and reports the time of each step.
"""
