"""The ground floor: code every app may use (API conventions, the schema's hooks, the cache, form
and admin helpers). It imports no app of this project, and nothing here knows of learners or
content; `config/` sits on top of everything and nothing imports it."""
