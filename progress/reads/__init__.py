"""Every number derived from what learners recorded, with one owner each: `rules` (the one copy of
each rule), `summary`, `plan`, `activity` (one learner), `roster` and `matrix` (many learners), and
`keys`, the only module that builds the key a derived value is cached under."""
