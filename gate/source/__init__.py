"""Where a result comes from: the Cekura API (transport, endpoints, the one wait loop), saved files,
the baseline lookup, cancelling, and secrets kept out of what is read."""
