"""Generated programs about the reference solutions: equivalent spellings and wrong mutants."""
