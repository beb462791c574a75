# Unit tests: router
