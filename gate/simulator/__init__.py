"""A stand-in for the Cekura API on 127.0.0.1, for the demo and the tests: server, faults,
payload builders, the demo catalogue."""
