"""Topics: the lexicons (lexicon), matching passages and query words against them
(matching), tags suggested and decided (services, selectors, views), and their
quality on the hand-labelled seeds (quality)."""
