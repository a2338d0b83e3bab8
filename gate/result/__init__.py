"""Raw result-detail JSON -> Result: all tolerance for the Cekura API's quirks lives here."""
