# Unit tests: fixtures
