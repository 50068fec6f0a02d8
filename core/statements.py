"""The few reads every request makes, with their SQL built once per process.

For a small read by key (the signed-in user, the content version, a learner's statuses), building
the SQL in the ORM costs more than running it, and the SQL is the same on every request: only the
key changes. A Statement has the ORM build it once per database connection (each thread has its
own), finds where its arguments landed among the parameters, and then runs the same SQL with new
arguments; rows come back converted exactly as the ORM converts them. Only for querysets whose SQL
does not depend on the arguments' values (an id, a key; not a list of varying length).
"""

import datetime
import weakref
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

# Stand-ins for the arguments while the ORM builds the SQL: values no real row has. The ORM passes
# an integer or a string through unchanged; a datetime it adapts for the database, as `rows` does.
_MARKERS = {
    int: tuple(-(2**62) - n for n in range(8)),
    str: tuple(f"\x00statement-argument-{n}\x00" for n in range(8)),
    datetime.datetime: tuple(datetime.datetime(1, 1, 1, 0, 0, n, tzinfo=datetime.UTC) for n in range(8)),
}


def _adapted(value, connection):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise TypeError("A statement takes aware datetimes only")
        return connection.ops.adapt_datetimefield_value(value)
    return value


class Statement:
    """`build(*args)` returns a `values_list` queryset; `rows(*args)` runs its SQL for `args`."""

    def __init__(self, build: Callable[..., QuerySet], *kinds: type):
        if not set(kinds) <= set(_MARKERS):
            raise TypeError("A statement's arguments are ints, strs or aware datetimes")
        self.build = build
        self.kinds = kinds
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._alias: str | None = None

    def _markers(self) -> list:
        return [_MARKERS[kind][n] for n, kind in enumerate(self.kinds)]

    def _compile(self, connection, queryset: QuerySet):
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = []
        for marker in self._markers():
            found = [n for n, value in enumerate(params) if value == _adapted(marker, connection)]
            if not found:
                raise ValueError(f"{self.build.__qualname__}: an argument does not reach the SQL as a parameter")
            slots.append(found)
        converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
        return compiler, sql, params, slots, converters

    def rows(self, *args) -> list[tuple]:
        if len(args) != len(self.kinds) or not all(isinstance(a, k) for a, k in zip(args, self.kinds, strict=True)):
            raise TypeError(f"{self.build.__qualname__} takes {', '.join(k.__name__ for k in self.kinds)}")
        if self._alias is None:
            self._alias = self.build(*self._markers()).db
        connection = connections[self._alias]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(connection, self.build(*self._markers()))
        compiler, sql, params, slots, converters = compiled
        values = list(params)
        for arg, positions in zip(args, slots, strict=True):
            for position in positions:
                values[position] = _adapted(arg, connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            rows = cursor.fetchall()
        if converters:
            return [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows


class InstanceStatement(Statement):
    """A Statement whose rows are instances of `model` with every concrete field loaded, as the
    ORM's own `get()` would give them; with `related`, the instance that foreign key points to is
    read in the same row and attached, as `select_related` would."""

    def __init__(self, model: type[Model], build: Callable[..., QuerySet], *kinds: type, related: str = ""):
        self.model = model
        self.fields = [field.attname for field in model._meta.concrete_fields]
        self.related = related
        other: Any = model._meta.get_field(related).related_model if related else None
        self.related_model = other
        self.related_fields = [field.attname for field in other._meta.concrete_fields] if related else []
        columns = [*self.fields, *(f"{related}__{name}" for name in self.related_fields)]
        super().__init__(lambda *args: build(*args).values_list(*columns), *kinds)
        self.build.__qualname__ = build.__qualname__

    def instances(self, *args) -> list[Any]:
        found = []
        for row in self.rows(*args):
            instance = self.model.from_db(self._alias, self.fields, row[: len(self.fields)])
            if self.related_model is not None:
                values = row[len(self.fields) :]
                other = self.related_model.from_db(self._alias, self.related_fields, values) if any(values) else None
                setattr(instance, self.related, other)
            found.append(instance)
        return found
