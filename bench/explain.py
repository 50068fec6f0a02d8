"""EXPLAIN ANALYZE every query the dashboard runs (uncached) for a sample of seeded learners.

Run by bench/run.py after the load; prints and returns the slowest execution time in ms.
"""

import json

from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from progress.management.commands.seed_learners import EMAIL_DOMAIN
from progress.reads.summary import compute_summary


def slowest_dashboard_query(sample: int = 20) -> dict:
    learners = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").order_by("?")[:sample]
    worst = {"ms": 0.0, "sql": ""}
    for learner in learners:
        with CaptureQueriesContext(connection) as captured:
            summary = compute_summary(learner)
            request = RequestFactory().get("/dashboard/")
            request.user = learner
            context = {"summary": summary, "user": learner, "request": request, "csrf_token": "x"}
            render_to_string("progress/_dashboard_body.html", context)
        for query in captured.captured_queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
            ms = plan[0]["Execution Time"]
            if ms > worst["ms"]:
                worst = {"ms": round(ms, 2), "sql": query["sql"][:200]}
    return worst
