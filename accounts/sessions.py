"""Django's database sessions, read without the ORM: the session is loaded on every signed-in
request, and building its query cost more than running it. Stored, written, expired and signed out
exactly as django.contrib.sessions.backends.db does (sessions stay in the database only: see
config/settings.py)."""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self):
        connection = connections[router.db_for_read(self.model)]
        table = connection.ops.quote_name(self.model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        sql = f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's: a missing or expired session is a new one
            return {}
        return self.decode(row[0])
