"""Case files: cases, notes and citations. Built in the case-files issue; empty for now."""
