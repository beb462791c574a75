# Unit tests: at
