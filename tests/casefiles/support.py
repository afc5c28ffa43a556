"""What the case-file tests share that is not a fixture."""

# The first passage of conftest's `bilag`, the passage the tests cite.
PASSAGE_TEXT = "Flygtningelejren ved Baghouz: børn og kvinder får ikke nok vand."
