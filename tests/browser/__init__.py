"""Page-wide browser tests: accessibility (axe-core), narrow screens, screenshots."""
