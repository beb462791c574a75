# Unit tests: serial
